"""The fix applier rejects results that would not parse or compile, and converges."""

from __future__ import annotations

from bedrock_lint.engine.analyse import Analysis
from bedrock_lint.engine.source import source_from_bytes
from bedrock_lint.findings import Applicability, Finding, Fix, Position, TextEdit
from bedrock_lint.fixes.applier import apply_edits, choose_fixes, fix_source


def finding_with(*edits: TextEdit, code: str = "BDR001") -> Finding:
    return Finding(code, f"{code} message", Position(1, 1), Position(1, 2), Fix(Applicability.SAFE, "fix", edits), start_offset=edits[0].start)


def rebuild(source, new_text, edits):
    return source_from_bytes(new_text.encode(), source.display_name)


def run_fix(text: str, *findings: Finding):
    source = source_from_bytes(text.encode(), "x.py")
    rounds = iter([Analysis(list(findings))])
    return fix_source(source, lambda s: next(rounds, Analysis()), rebuild, unsafe=False)


def test_fix_that_cpython_would_not_compile_is_rejected():
    text = "f(a=1)\n"
    outcome = run_fix(text, finding_with(TextEdit(5, 5, ", a=2")))  # f(a=1, a=2): parses, never compiles
    assert not outcome.changed
    assert outcome.source.text == text
    assert [reason for _, reason in outcome.rejected] == ["the fixed code would not parse or compile"]


def test_fix_that_breaks_syntax_is_rejected_and_others_still_apply():
    text = "x = 1\ny = 2\n"
    broken = finding_with(TextEdit(0, 1, "x ="), code="BDR002")
    good = finding_with(TextEdit(10, 11, "3"), code="BDR001")
    outcome = run_fix(text, broken, good)
    assert outcome.source.text == "x = 1\ny = 3\n"
    assert [f.code for f in outcome.applied] == ["BDR001"]
    assert [f.code for f, _ in outcome.rejected] == ["BDR002"]


def test_overlapping_fixes_wait_and_identical_edits_are_shared():
    shared = TextEdit(0, 0, "import os\n")
    first = finding_with(shared, TextEdit(10, 11, "a"))
    second = finding_with(shared, TextEdit(12, 13, "b"), code="BDR003")
    overlapping = finding_with(TextEdit(10, 13, "zzz"), code="BDR002")
    chosen, edits = choose_fixes([first, second, overlapping], unsafe=False)
    assert [f.code for f in chosen] == ["BDR001", "BDR003"]
    assert edits.count(shared) == 1
    assert apply_edits("x = 1\ny = 2\n", [TextEdit(4, 5, "9")]) == "x = 9\ny = 2\n"


def test_a_fix_applied_last_waits_for_the_fixes_that_read_what_it_removes(tmp_path):
    """BDR101 corrects a dateless id to one that needs a profile; BDR104 then reads the
    literal region for the geography.  BDR003 (region from the environment) must not
    take that literal away first; and once the id carries the eu. profile, BDR003 offers
    no fix, so the region and the profile stay consistent."""
    from tests.cli_runner import run

    path = tmp_path / "app.py"
    path.write_text(
        "import boto3\n"
        "client = boto3.client('bedrock-runtime', region_name='eu-west-1')\n"
        "client.converse(modelId='anthropic.claude-opus-4-1-v1:0', messages=[])\n",
        encoding="utf-8",
    )
    result = run("check", "--no-cache", "--fix", "--unsafe-fixes", "--select", "BDR003,BDR101,BDR104", ".", cwd=tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "modelId='eu.anthropic.claude-opus-4-1-20250805-v1:0'" in text, (text, result.stdout)
    assert "region_name='eu-west-1'" in text, text
    assert result.exit_code == 1 and "no fix: the client sends eu. profile ids" in result.stdout, result.stdout
