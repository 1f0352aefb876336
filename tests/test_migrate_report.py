"""``migrate`` says what it did (issue 21, item 6): each hunk of the diff names the rules
and fix safety that made it (and the diff still applies with ``git apply`` and
``patch``), ``--format json`` lists every change and every skipped fix with its reason,
and the summary says which setting or option would unlock the skipped fixes."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bedrock_lint.engine.analyse import analyse_text
from bedrock_lint.engine.source import source_from_bytes
from bedrock_lint.settings import Settings
from tests.cli_runner import run
from tests.migration_support import copy_app, tree_files

# A region the linter cannot read: which geography's profile to use is not known.
UNKNOWN_REGION = 'import os\nimport boto3\nclient = boto3.client("bedrock-runtime", region_name=os.environ["AWS_REGION"])\n'
LITERAL_REGION = 'import boto3\nclient = boto3.client("bedrock-runtime", region_name="eu-west-1")\n'
# Claude 3 Haiku (EOL) → Haiku 4.5, only callable through a profile.
EOL_CALL = 'reply = client.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0", messages=[], inferenceConfig={"maxTokens": 100})\n'
# Sonnet 4.5 needs a profile (BDR104).
BASE_ID_CALL = 'reply = client.converse(modelId="anthropic.claude-sonnet-4-5-20250929-v1:0", messages=[], inferenceConfig={"maxTokens": 100})\n'
# An Anthropic API name of a profile-only model (BDR105).
FIRST_PARTY_CALL = 'reply = client.converse(modelId="claude-sonnet-4-5", messages=[], inferenceConfig={"maxTokens": 100})\n'
# Opus for a 10-token answer (BDR107): the small model, Haiku 4.5, needs a profile.
OVERSIZED_CALL = 'reply = client.converse(modelId="anthropic.claude-opus-4-5-20251101-v1:0", messages=[], inferenceConfig={"maxTokens": 10})\n'


def findings_of(text: str, code: str, settings: Settings = Settings()):
    analysis = analyse_text(source_from_bytes(text.encode(), "app.py"), settings, frozenset({code}))
    return [finding for finding in analysis.findings if finding.code == code]


@pytest.mark.parametrize(
    ("code", "call"), [("BDR103", EOL_CALL), ("BDR104", BASE_ID_CALL), ("BDR105", FIRST_PARTY_CALL), ("BDR107", OVERSIZED_CALL)]
)
def test_a_fix_withheld_for_want_of_a_geography_names_the_setting(code, call):
    (withheld,) = findings_of(UNKNOWN_REGION + call, code)
    assert withheld.fix is None and withheld.fix_needs_setting == "profile-geography"
    # With the setting there is a fix, and nothing is said to be missing.
    (fixed,) = findings_of(UNKNOWN_REGION + call, code, dataclasses.replace(Settings(), profile_geography="eu"))
    assert fixed.fix is not None and fixed.fix_needs_setting is None
    # A literal region gives the geography: the fix is there without the setting.
    (from_region,) = findings_of(LITERAL_REGION + call, code)
    assert from_region.fix is not None and from_region.fix_needs_setting is None


def test_a_fix_no_setting_would_give_names_none():
    # Two clients in different geographies send the same id: no one geography fits both.
    text = (
        'import boto3\nMODEL = "anthropic.claude-sonnet-4-5-20250929-v1:0"\n'
        'us = boto3.client("bedrock-runtime", region_name="us-east-1")\n'
        'eu = boto3.client("bedrock-runtime", region_name="eu-west-1")\n'
        'us.converse(modelId=MODEL, messages=[], inferenceConfig={"maxTokens": 100})\n'
        'eu.converse(modelId=MODEL, messages=[], inferenceConfig={"maxTokens": 100})\n'
    )
    (withheld,) = findings_of(text, "BDR104")
    assert withheld.fix is None and withheld.fix_needs_setting is None


def test_the_cache_keeps_the_setting_a_fix_needs():
    from bedrock_lint.engine.cache import finding_from_json, finding_to_json

    (withheld,) = findings_of(UNKNOWN_REGION + BASE_ID_CALL, "BDR104")
    assert finding_from_json(finding_to_json(withheld)).fix_needs_setting == "profile-geography"


# ---------------------------------------------------------------------------
# The diff names the rules of each hunk


HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@(.*)$", re.MULTILINE)
# A client far from the model id, so that their changes make separate hunks (the region
# stays: the upgraded id is a us. profile tied to it).
TWO_HUNKS = (
    'import boto3\n\nclient = boto3.client("bedrock-runtime", region_name="us-east-1")\n'
    + "".join(f"step_{number} = {number}\n" for number in range(10))
    + 'reply = client.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0", messages=[], inferenceConfig={"maxTokens": 100})\n'
)


def hunk_labels(diff: str) -> list[str]:
    return [match.group(1).strip() for match in HUNK.finditer(diff)]


def test_each_hunk_names_the_rules_and_safety_that_made_it(tmp_path):
    (tmp_path / "app.py").write_text(TWO_HUNKS, encoding="utf-8")
    result = run("migrate", "app.py", cwd=tmp_path)
    assert result.exit_code == 1, result.stderr
    # One edit made by two fixes names both; the model id is another hunk.
    assert hunk_labels(result.stdout) == ["BDR001 (safe), BDR002 (safe)", "BDR103 (unsafe)"]
    # --safe-only: only what it applies.
    safe = run("migrate", "--safe-only", "app.py", cwd=tmp_path)
    assert hunk_labels(safe.stdout) == ["BDR001 (safe), BDR002 (safe)"]


def python_app(tmp_path: Path, name: str) -> Path:
    """The migration fixture app without its notebook (a notebook's diff shows its
    cells, not its JSON: it is for review, not for ``patch``) and without its Latin-1
    file (the diff is printed in UTF-8)."""
    app = copy_app(tmp_path / name)
    shutil.rmtree(app / "notebooks")
    (app / "support_bot" / "paris_export.py").unlink()
    return app


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("patch") is None, reason="needs git and patch")
def test_the_labelled_diff_applies_with_git_apply_and_patch(tmp_path):
    app = python_app(tmp_path, "dry-run")
    # A real process: the bytes as printed (CRLF files keep their line endings).
    dry_run = subprocess.run([sys.executable, "-m", "bedrock_lint", "migrate", "."], cwd=app, capture_output=True, timeout=600)
    assert dry_run.returncode == 1, dry_run.stderr
    diff = dry_run.stdout
    labels = hunk_labels(diff.decode("utf-8"))
    assert len(labels) > 10 and all(re.fullmatch(r"BDR\d{3} \((safe|unsafe)\)(, BDR\d{3} \((safe|unsafe)\))*", label) for label in labels), labels
    written = python_app(tmp_path, "written")
    run("migrate", "--write", ".", cwd=written)
    for tool, command in (("git", ["git", "apply", "-p1", "-"]), ("patch", ["patch", "-p1", "--batch", "--no-backup-if-mismatch"])):
        patched = python_app(tmp_path, tool)
        completed = subprocess.run(command, input=diff, cwd=patched, capture_output=True, timeout=300)
        assert completed.returncode == 0, completed.stdout + completed.stderr
        assert {name: data for name, (data, _) in tree_files(patched).items()} == {
            name: data for name, (data, _) in tree_files(written).items()
        }, tool
