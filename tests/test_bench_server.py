"""``bench/server.py`` runs against the real server and reports every figure (a short
run: 60 lines, one edit).  Timings are never asserted here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent


def test_server_benchmark_runs(tmp_path):
    output = tmp_path / "server.json"
    completed = subprocess.run(
        [sys.executable, str(REPOSITORY / "bench" / "server.py"), "--lines", "60", "--edits", "1", "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(output.read_text())
    assert result["lines"] == 60 and result["findings"] > 0 and result["exit_code"] == 0
    for key in ("edit_to_diagnostics_s", "warm_check_after_edit_s", "warm_check_cpu_s", "code_action_s"):
        assert result[key]["n"] == 1 and result[key]["median"] >= 0
    assert result["libcst_parse_cpu_s"]["n"] == 5 and result["incremental_parse_cpu_s"]["n"] == 5
    assert result["idle_rss_mb_after_initialise"] > 0 and result["idle_rss_mb_with_file_open"] > 0
    assert "| warm check after an edit (didSave → diagnostics) |" in completed.stdout


def test_generated_module_has_the_asked_length():
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_server", REPOSITORY / "bench" / "server.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    for lines in (60, 1000):
        text = bench.bedrock_module(lines)
        assert text.count("\n") == lines and text.endswith("\n")
        compile(text, "generated.py", "exec")
