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
