"""``bench/run.py --quick`` runs (no network: a corpus from fixtures/, installed peers
only) and reports every row and target.  Timings are never asserted here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent

EXPECTED_ROWS = {
    "mixed/bedrock-lint-cold",
    "mixed/bedrock-lint-warm",
    "mixed/ruff",
    "mixed/flake8",
    "mixed/flake8-plugin",
    "bedrock-heavy/bedrock-lint-cold-j1",
    "bedrock-heavy/bedrock-lint-cold",
    "bedrock-heavy/libcst-parse",
    "bedrock-heavy/fixit",
    "bedrock-heavy/ruff",
    "bedrock-heavy-x2/bedrock-lint-cold-j1",
    "single-file/bedrock-lint-hook",
    "single-file/ruff",
    "single-file/flake8",
    "single-file-no-bedrock/bedrock-lint-hook",
}


def test_quick_benchmark_runs(tmp_path):
    output = tmp_path / "out"
    completed = subprocess.run(
        [sys.executable, str(REPOSITORY / "bench" / "run.py"), "--quick", "--cache-dir", str(tmp_path / "cache"), "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    report = json.loads((output / "results.json").read_text())
    rows = {row["id"]: row for row in report["rows"]}
    assert set(rows) == EXPECTED_ROWS
    for row in rows.values():
        # Measured, or skipped with the reason (a peer that is not installed).
        assert "median_wall" in row or row.get("skipped"), row
    for key in ("mixed/bedrock-lint-cold", "mixed/bedrock-lint-warm", "bedrock-heavy/bedrock-lint-cold-j1", "single-file/bedrock-lint-hook"):
        assert rows[key]["median_wall"] > 0 and rows[key]["lines"] > 0
        assert set(rows[key]["returncodes"]) <= {0, 1}
    assert len(report["targets"]) == 10
    assert "| target |" in (output / "results.md").read_text()
