"""Every rule against its fixture folder: exact findings, clean cases, fixed output."""

from __future__ import annotations

import pytest

from bedrock_lint.rules.registry import all_rules
from tests.fixture_support import (
    RULE_FIXTURES,
    analyse_file,
    count_cases,
    expected_findings,
    fix_file,
)

# Minimum number of cases the foundation issue asks for, per rule.
MINIMUM_CASES = {
    "BDR001": 15, "BDR002": 15, "BDR003": 15, "BDR004": 15, "BDR005": 15, "BDR006": 8,
    # Issue 13 (libraries and credentials): 15 each for BDR007.
    "BDR007": 15,
    # The model-identifier issue: 20 each for BDR101-BDR105, 10 each for BDR106-BDR108.
    "BDR101": 20, "BDR102": 20, "BDR103": 20, "BDR104": 20, "BDR105": 20,
    "BDR106": 10, "BDR107": 10, "BDR108": 10,
    # The request-shape issue: 25 each for BDR201-BDR203, 12 each for BDR204-BDR206.
    "BDR201": 25, "BDR202": 25, "BDR203": 25, "BDR204": 12, "BDR205": 12, "BDR206": 12,
    # The prompts-and-caching issue: 20 each for BDR301-BDR302, 12 each for BDR303-BDR305.
    "BDR301": 20, "BDR302": 20, "BDR303": 12, "BDR304": 12, "BDR305": 12,
    # The response-handling issue: 20 each for BDR401-BDR402, 12 each for BDR403-BDR404.
    "BDR401": 20, "BDR402": 20, "BDR403": 12, "BDR404": 12,
    # Issue 21 (model compatibility): 15 each for BDR501-BDR504, 8 each for BDR505-BDR506.
    "BDR501": 15, "BDR502": 15, "BDR503": 15, "BDR504": 15, "BDR505": 8, "BDR506": 8,
}

RULES_WITH_FIXTURES = sorted(p.name for p in RULE_FIXTURES.iterdir() if p.is_dir()) if RULE_FIXTURES.is_dir() else []


def _files(code: str, prefix: str) -> list:
    return sorted(p for p in (RULE_FIXTURES / code).glob(f"{prefix}*.py") if not p.name.endswith(".fixed.py"))


def test_every_checking_rule_has_fixtures():
    missing = [r.code for r in all_rules() if r.check is not None and r.code not in RULES_WITH_FIXTURES]
    assert not missing, f"rules without a fixtures/rules/<CODE> folder: {missing}"


@pytest.mark.parametrize("code", RULES_WITH_FIXTURES)
def test_reported_cases(code):
    files = _files(code, "reported")
    assert files, f"{code}: no reported*.py fixture"
    total = 0
    for path in files:
        expected = expected_findings(path.read_text(encoding="utf-8"))
        assert expected, f"{path.name}: no '# expect:' comments"
        analysis = analyse_file(path, frozenset({code}))
        assert not analysis.internal_errors, analysis.internal_errors
        actual = {(f.start.line, f.code) for f in analysis.findings}
        assert actual == expected, (
            f"{path.name}: missing {sorted(expected - actual)}, unexpected {sorted(actual - expected)}"
        )
        total += len(expected)
    assert total >= MINIMUM_CASES.get(code, 1), f"{code}: only {total} reported cases"


@pytest.mark.parametrize("code", RULES_WITH_FIXTURES)
def test_clean_cases(code):
    files = _files(code, "clean")
    assert files, f"{code}: no clean*.py fixture"
    total = 0
    for path in files:
        analysis = analyse_file(path, frozenset({code}))
        assert not analysis.internal_errors, analysis.internal_errors
        found = [(f.start.line, f.message) for f in analysis.findings]
        assert not found, f"{path.name}: unexpected findings {found}"
        total += count_cases(path.read_text(encoding="utf-8"))
    assert total >= MINIMUM_CASES.get(code, 1), f"{code}: only {total} clean cases"


@pytest.mark.parametrize("code", RULES_WITH_FIXTURES)
def test_fixed_output(code):
    rule = next(r for r in all_rules() if r.code == code)
    for path in _files(code, "reported"):
        expected_path = path.with_name(path.stem + ".fixed.py")
        if rule.fix == "none":
            assert not expected_path.exists(), f"{expected_path.name}: {code} has no fix"
            continue
        assert expected_path.exists(), f"{code}: {expected_path.name} is missing"
        outcome = fix_file(path, frozenset({code}))
        assert not outcome.rejected, outcome.rejected
        assert outcome.source.raw == expected_path.read_bytes(), f"{path.name}: fixed output differs from {expected_path.name}"
        # Fixing again changes nothing, and nothing fixable is left to report.
        again = fix_file(expected_path, frozenset({code}))
        assert not again.changed, f"{expected_path.name}: a second --fix round still changed {[(f.code, f.start.line) for f in again.applied]}"
        left = [f for f in analyse_file(expected_path, frozenset({code})).findings if f.fix is not None]
        assert not left, f"{expected_path.name}: still reports fixable findings {[(f.start.line, f.message) for f in left]}"
