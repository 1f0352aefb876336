"""BDR501-BDR504 on a model chosen from several literal values (rules.md, BDR5xx: "judge
against each literal value that can reach the call and name the one that fails"): one
finding per call, naming every model that rejects the request and no model that takes it."""

from __future__ import annotations

import pytest

from tests.fixture_support import RULE_FIXTURES, analyse_file

# (rule, line of the fixture reported_model_choices.py, models named, models not named)
CASES = [
    ("BDR501", 14, ["claude-haiku-4-5"], ["claude-3-7-sonnet"]),
    ("BDR501", 26, ["claude-sonnet-4-6"], ["claude-3-haiku"]),
    ("BDR501", 34, ["claude-opus-4-5", "claude-opus-4-1"], ["claude-3-haiku"]),
    ("BDR501", 53, ["claude-sonnet-4-5"], ["nova"]),
    ("BDR502", 14, ["claude-opus-4-7"], ["claude-haiku-4-5"]),
    ("BDR502", 39, ["claude-opus-4-7", "claude-sonnet-5"], ["claude-3-7-sonnet"]),
    # Two reasons in one finding: Haiku 4.5 takes 0–1, Opus 4.7 only 1.0.
    ("BDR502", 49, ["claude-haiku-4-5", "claude-opus-4-7"], []),
    ("BDR503", 14, ["claude-opus-4-1", "32,000"], ["claude-sonnet-4-5"]),
    ("BDR503", 34, ["claude-3-haiku", "claude-opus-4-1", "4096"], ["claude-opus-4-6"]),
    ("BDR504", 21, ["claude-sonnet-4-6", "claude-opus-4-7"], ["claude-3-haiku"]),
    ("BDR504", 31, ["claude-3-7-sonnet", "claude-sonnet-4-5", "thinking"], []),
]


@pytest.mark.parametrize(("code", "line", "named", "not_named"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_the_finding_names_the_models_that_reject_the_request(code, line, named, not_named):
    analysis = analyse_file(RULE_FIXTURES / code / "reported_model_choices.py", frozenset({code}))
    on_line = [f for f in analysis.findings if f.start.line == line]
    assert len(on_line) == 1, [f.message for f in on_line]  # one finding per call
    message = on_line[0].message
    assert all(name in message for name in named), message
    assert not any(name in message for name in not_named), message


def test_a_fix_for_several_models_lowers_to_the_lowest_cap():
    analysis = analyse_file(RULE_FIXTURES / "BDR503" / "reported_model_choices.py", frozenset({"BDR503"}))
    loop = next(f for f in analysis.findings if f.start.line == 34)
    assert loop.fix is not None and "4096" in loop.fix.message


def _findings_in(tmp_path, source: str, code: str):
    path = tmp_path / "app.py"
    path.write_text(source, encoding="utf-8")
    return analyse_file(path, frozenset({code})).findings


CAP_SOURCE = """\
import boto3
runtime = boto3.client("bedrock-runtime", region_name="us-east-1")
runtime.converse_stream(modelId="MODEL", messages=[], inferenceConfig={"maxTokens": 200000})
"""


def test_a_fix_lowers_an_uncertain_cap_only_to_what_every_source_lets_through(tmp_path):
    """Sonnet 4.6's cap is 128,000 (uncertain; 64,000 in earlier sources): the warning says
    both, and the fix lowers to 64,000."""
    (finding,) = _findings_in(tmp_path, CAP_SOURCE.replace("MODEL", "global.anthropic.claude-sonnet-4-6"), "BDR503")
    assert finding.severity.value == "warning" and "128000 (64000 for certain)" in finding.message
    assert finding.fix is not None and finding.fix.message == "Lower maxTokens to 64000"


def test_no_fix_rests_on_an_uncertain_cap_without_a_certain_bound(tmp_path):
    """Mythos Preview's cap of 128,000 is uncertain and no source bounds it lower."""
    (finding,) = _findings_in(tmp_path, CAP_SOURCE.replace("MODEL", "anthropic.claude-mythos-preview"), "BDR503")
    assert finding.severity.value == "warning" and finding.fix is None
