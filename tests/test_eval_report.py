"""eval/report.py on a tiny synthetic review (no network, no corpus)."""

import json
import sys
from pathlib import Path

import pytest

EVAL = Path(__file__).resolve().parent.parent / "eval"
sys.path.insert(0, str(EVAL))

import report  # noqa: E402
import run  # noqa: E402


def finding(code, line, package="pkg", file="pkg/a.py", message="m"):
    return {"package": package, "version": "1.0", "file": file, "line": line, "column": 1, "cell": None,
            "code": code, "message": message, "key": run.finding_key(package, "1.0", file, line, code, message)}


def verdict(f, value, reason="r", **extra):
    return {**{k: f[k] for k in ("package", "version", "file", "line", "code", "key")}, "verdict": value, "reason": reason, **extra}


def test_report(tmp_path):
    findings = [finding("BDR001", n) for n in range(1, 13)] + [finding("BDR103", 1, package="other", file="o.py")]
    lines = [verdict(f, "tp", test=(f["line"] == 1)) for f in findings[:11]] + [verdict(findings[11], "fp", "not Claude")]
    gone = finding("BDR003", 99)
    lines.append(verdict(gone, "fp", "unit test", fixed="mocked tests are silent"))
    (tmp_path / "findings.json").write_text(json.dumps(findings))
    (tmp_path / "review.jsonl").write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    (tmp_path / "fp_patterns.md").write_text("## Known gaps\n\n- something\n")
    out = tmp_path / "REPORT.md"
    assert report.main(["--findings", str(tmp_path / "findings.json"), "--review", str(tmp_path / "review.jsonl"),
                        "--patterns", str(tmp_path / "fp_patterns.md"), "--output", str(out)]) == 0
    text = out.read_text()
    assert "| BDR001 hardcoded" not in text
    row = next(line for line in text.splitlines() if line.startswith("| BDR001"))
    assert row.split("|")[2:8] == [" 12 ", " 12 ", " 11 ", " 1 ", " 0.92 ", " 1 "]
    assert "**no**" in row
    assert "| BDR103" in text and "(< 10 reviewed)" in text
    assert "Overall: 11 TP, 1 FP of 12 reviewed, precision 0.92" in text
    assert "1 findings of the review set not yet reviewed" in text
    assert "| BDR003 | fp | 1 | mocked tests are silent |" in text
    assert "BDR001 pkg 1.0 `pkg/a.py:12`: not Claude" in text
    assert "1. **BDR001" in text and "## Known gaps" in text


def test_sample_is_seeded_and_stable():
    findings = [finding("BDR204", n) for n in range(1, 101)]
    first = [f["key"] for f in run.review_set(findings)]
    assert len(first) == run.SAMPLE_SIZE
    assert first == [f["key"] for f in run.review_set(list(reversed(findings)))]
    more = [f["key"] for f in run.review_set(findings + [finding("BDR204", n) for n in range(101, 111)])]
    assert len(set(first) & set(more)) >= 50


def test_bad_verdict_is_refused(tmp_path):
    f = finding("BDR001", 1)
    path = tmp_path / "review.jsonl"
    path.write_text(json.dumps(verdict(f, "maybe")) + "\n")
    with pytest.raises(SystemExit):
        run.load_review(path)
