"""BDR900 unused-noqa (fixtures/suppressions/: reported cases, clean cases, the fixed
file) and preview rules: off unless ``--preview`` or ``preview = true``."""

from __future__ import annotations

import textwrap
from pathlib import Path

from bedrock_lint.rules.registry import PREVIEW_CODES, RULE_CODES, all_rules
from bedrock_lint.rules.selection import enabled_codes
from bedrock_lint.settings import Settings
from tests.cli_runner import run
from tests.fixture_support import analyse_file, expected_findings, fix_file

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "suppressions" / "unused_noqa.py"
EVERY_RULE = frozenset(RULE_CODES)

STALE = textwrap.dedent(
    """\
    import boto3
    from botocore.config import Config

    client = boto3.client("bedrock-runtime", config=Config(read_timeout=300, retries={"mode": "adaptive"}))  # noqa: BDR001
    """
)


def test_reported_and_clean_cases():
    analysis = analyse_file(FIXTURE, EVERY_RULE)
    assert not analysis.internal_errors
    assert {(f.start.line, f.code) for f in analysis.findings} == expected_findings(FIXTURE.read_text("utf-8"))


def test_the_fix_removes_the_stale_codes_or_the_directive():
    outcome = fix_file(FIXTURE, EVERY_RULE, unsafe=False)
    expected = FIXTURE.with_name("unused_noqa.fixed.py").read_bytes()
    assert outcome.source.raw == expected
    # Only the directive with a reason after it is left, without a fix.
    left = [f for f in outcome.remaining.findings if f.code == "BDR900"]
    assert [(f.start.line, f.fix) for f in left] == [(21, None)]


def test_only_codes_of_rules_that_ran_are_judged(tmp_path):
    (tmp_path / "app.py").write_text(STALE, encoding="utf-8")
    reported = run("check", "--no-cache", "--preview", "--format", "concise", "app.py", cwd=tmp_path)
    assert reported.exit_code == 1 and "app.py:4:106: BDR900" in reported.stdout
    assert "BDR001 suppressed nothing" in reported.stdout
    not_run = run("check", "--no-cache", "--preview", "--ignore", "BDR001", "app.py", cwd=tmp_path)
    assert not_run.exit_code == 0, not_run.stdout
    fixed = run("check", "--no-cache", "--preview", "--fix", "app.py", cwd=tmp_path)
    assert fixed.exit_code == 0
    assert (tmp_path / "app.py").read_text("utf-8") == STALE.replace("  # noqa: BDR001", "")


def test_preview_rules_are_off_unless_preview_is_on(tmp_path):
    assert "BDR900" in PREVIEW_CODES
    assert PREVIEW_CODES == {rule.code for rule in all_rules() if rule.preview}
    assert "BDR900" not in enabled_codes(["ALL"], ["BDR900"], [])
    assert "BDR900" in enabled_codes([], [], [], preview=True)
    assert "BDR900" not in enabled_codes([], [], ["BDR9"], preview=True)
    (tmp_path / "app.py").write_text(STALE, encoding="utf-8")
    assert run("check", "--no-cache", "--select", "BDR900", "app.py", cwd=tmp_path).exit_code == 0
    (tmp_path / "pyproject.toml").write_text("[tool.bedrock-lint]\npreview = true\n", encoding="utf-8")
    assert "BDR900" in run("check", "--no-cache", "app.py", cwd=tmp_path).stdout
    (tmp_path / "pyproject.toml").write_text("[tool.bedrock-lint]\npreview = 1\n", encoding="utf-8")
    bad = run("check", "--no-cache", "app.py", cwd=tmp_path)
    assert bad.exit_code == 2 and "'preview' must be true or false" in bad.stderr


def test_rules_lists_preview_rules(tmp_path):
    listing = run("rules", cwd=tmp_path).stdout
    row = next(line for line in listing.splitlines() if "BDR900" in line)
    assert "preview" in row
    assert not any("preview" in line for line in listing.splitlines() if "BDR001" in line)
    page = run("rule", "BDR900", cwd=tmp_path).stdout
    assert "Preview rule: off unless `--preview`" in page


def test_add_noqa_never_adds_bdr900(tmp_path):
    (tmp_path / "app.py").write_text(STALE, encoding="utf-8")
    result = run("check", "--no-cache", "--preview", "--add-noqa", "app.py", cwd=tmp_path)
    assert "BDR900" in result.stdout  # left to its fix
    assert (tmp_path / "app.py").read_text("utf-8") == STALE


def test_settings_preview_defaults_off():
    assert Settings().preview is False
