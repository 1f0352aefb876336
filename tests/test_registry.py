"""The rule registry: metadata complete, examples proven, docs generated from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dataclasses import replace

from bedrock_lint.docs import rule_markdown, rule_table_module, rules_document
from bedrock_lint.engine.analyse import analyse_text
from bedrock_lint.engine.source import source_from_bytes
from bedrock_lint.rules.registry import PREVIEW_CODES, RULE_CODES, all_rules, documented_rule, rule_table
from bedrock_lint.settings import RULE_OPTIONS, Settings
from tests.fixture_support import FIXTURE_DAY, frozen_today

ROOT = Path(__file__).resolve().parent.parent
RULES = all_rules()


def test_code_table_matches_registry():
    assert RULE_CODES == {r.code: r.default_enabled for r in RULES}
    assert PREVIEW_CODES == {r.code for r in RULES if r.preview}


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


# BDR900 judges the noqa codes of the rules that ran: its examples run with every rule.
WITH_EVERY_RULE = ("BDR900",)


def _codes_found(code: str, example: str) -> list[str]:
    source = source_from_bytes(example.encode(), "example.py")
    codes = frozenset(RULE_CODES) if code in WITH_EVERY_RULE else frozenset({code})
    with frozen_today(FIXTURE_DAY):  # lifecycle examples are true on that day
        analysis = analyse_text(source, Settings(), codes)
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


def test_the_rule_table_is_generated_from_the_registry():
    path = ROOT / "bedrock_lint" / "rules" / "table.py"
    assert path.read_text(encoding="utf-8") == rule_table_module(), "run: python scripts/generate_docs.py"


def test_the_rule_table_holds_what_the_rules_declare():
    """Every field but the functions: a run that reports from the table (cached
    findings, ``bedrock-lint rules``) says what one that imported the rules says."""
    table = rule_table()
    assert list(table) == [r.code for r in RULES]
    for rule in RULES:
        assert table[rule.code] == replace(rule, check=None, facts=None)
        assert documented_rule(rule.code.lower()) == (rule if rule.facts is not None else table[rule.code])
    assert documented_rule("BDR999") is None


# --------------------------------------------------------------------------- an interrupted load (issue 22, minor)

# A fresh interpreter: this process has loaded the registry already.
_INTERRUPTED_LOAD = '''
import sys
import bedrock_lint.rules.registry as registry
from bedrock_lint.engine.limits import FileTimeout

original = registry.rule
fired = []

def rule(**metadata):
    register = original(**metadata)
    def interrupted(check):
        if metadata["code"] == "BDR002" and not fired:
            fired.append(True)
            raise FileTimeout(0.5)  # the per-file timer fires in the middle of rules.client
        return register(check)
    return interrupted

registry.rule = rule
try:
    registry.all_rules()
except FileTimeout:
    pass
registry.rule = original
assert fired and "BDR001" in registry._RULES and "bedrock_lint.rules.client" not in sys.modules
from bedrock_lint.cli import main
sys.argv[0] = "bedrock-lint"
main()
'''

_TIMER_ENTRY = '''
import sys
import bedrock_lint.engine.limits as limits
import bedrock_lint.rules.registry as registry

original = limits.time_limit
loaded_when_timed = []

def time_limit(seconds):
    loaded_when_timed.append(registry._loaded)
    return original(seconds)

limits.time_limit = time_limit
from bedrock_lint.cli import main
sys.argv[0] = "bedrock-lint"
try:
    main()
finally:
    print("loaded when timed:", loaded_when_timed, file=sys.stderr)
'''

_CLIENT = 'import boto3\nclient = boto3.client("bedrock-runtime", region_name="us-east-1")\nask(client)\n'


def _run_script(script: str, directory: Path, *args: str):
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-c", script, "check", "--no-cache", "--jobs", "1", *args],
        cwd=directory, capture_output=True, text=True, timeout=600,
    )


def test_a_registry_load_interrupted_by_the_timer_loads_again_cleanly(tmp_path):
    """Issue 22 (minor): the per-file timer firing inside a rule module's import left the
    rules registered before it; the next file re-imported the module and failed with
    "rule BDR001 registered twice"."""
    (tmp_path / "app.py").write_text(_CLIENT, encoding="utf-8")
    result = _run_script(_INTERRUPTED_LOAD, tmp_path, "--select", "BDR001,BDR002", "--format", "concise", "app.py")
    assert "registered twice" not in result.stderr and "internal error" not in result.stderr, result.stderr
    assert "app.py:2:10: BDR001" in result.stdout and "app.py:2:10: BDR002" in result.stdout
    assert result.returncode == 1


def test_the_registry_is_loaded_before_the_per_file_timer_starts(tmp_path):
    (tmp_path / "app.py").write_text(_CLIENT, encoding="utf-8")
    result = _run_script(_TIMER_ENTRY, tmp_path, "app.py")
    assert "loaded when timed: [True]" in result.stderr, result.stderr


def test_registering_a_different_function_under_a_taken_code_is_still_refused():
    from bedrock_lint.findings import Severity
    from bedrock_lint.rules.registry import rule

    def impostor(index, settings):
        return []

    with pytest.raises(ValueError, match="rule BDR001 registered twice"):
        rule(code="BDR001", name="x", severity=Severity.ERROR, summary="x", why="x", bad="x", good="x")(impostor)
