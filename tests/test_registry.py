"""The rule registry: metadata complete, examples proven, docs generated from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bedrock_lint.docs import rule_markdown, rules_document
from bedrock_lint.engine.analyse import analyse_text
from bedrock_lint.engine.source import source_from_bytes
from bedrock_lint.rules.registry import RULE_CODES, all_rules
from bedrock_lint.settings import RULE_OPTIONS, Settings
from tests.fixture_support import FIXTURE_DAY, frozen_today

ROOT = Path(__file__).resolve().parent.parent
RULES = all_rules()


def test_code_table_matches_registry():
    assert RULE_CODES == {r.code: r.default_enabled for r in RULES}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_metadata_is_complete(rule):
    assert re.fullmatch(r"BDR\d{3}", rule.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert rule.summary and not rule.summary.endswith(".")
    assert len(rule.why) > 80, "the rationale must explain the Bedrock fact behind the rule"
    assert rule.fix in ("safe", "unsafe", "none")
    if rule.fix != "none":
        assert rule.fix_safety, f"{rule.code}: a fixable rule must say why its fix is {rule.fix}"
    for option in rule.options:
        assert option in RULE_OPTIONS


def _codes_found(code: str, example: str) -> list[str]:
    source = source_from_bytes(example.encode(), "example.py")
    with frozen_today(FIXTURE_DAY):  # lifecycle examples are true on that day
        analysis = analyse_text(source, Settings(), frozenset({code}))
    assert not analysis.internal_errors
    return [f.code for f in analysis.findings]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_bad_example_is_reported(rule):
    assert rule.code in _codes_found(rule.code, rule.bad)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_good_example_is_not_reported(rule):
    assert rule.code not in _codes_found(rule.code, rule.good)


def test_rule_page_has_the_ruff_sections():
    page = rule_markdown(next(r for r in RULES if r.code == "BDR001"))
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Options", "## Fix safety"):
        assert section in page


def test_docs_rules_md_is_generated_from_the_registry():
    path = ROOT / "docs" / "rules.md"
    assert path.read_text(encoding="utf-8") == rules_document(), "run: python scripts/generate_docs.py"
