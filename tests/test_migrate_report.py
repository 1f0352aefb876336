"""``migrate`` says what it did (issue 21, item 6): each hunk of the diff names the rules
and fix safety that made it (and the diff still applies with ``git apply`` and
``patch``), ``--format json`` lists every change and every skipped fix with its reason,
and the summary says which setting or option would unlock the skipped fixes."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bedrock_lint.engine.analyse import analyse_text
from bedrock_lint.engine.source import read_source, source_from_bytes
from bedrock_lint.settings import Settings
from tests.cli_runner import run
from tests.json_schema import MIGRATE_JSON_SCHEMA
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


# ---------------------------------------------------------------------------
# migrate --format json


def migrate_json(*arguments: str, cwd: Path) -> dict:
    import jsonschema

    result = run("migrate", "--format", "json", *arguments, cwd=cwd)
    assert result.exit_code in (0, 1), result.stderr
    document = json.loads(result.stdout)
    jsonschema.validate(document, MIGRATE_JSON_SCHEMA)
    return document


def replayed(text: str, changes: list[dict]) -> str:
    """``text`` with the changes applied round by round, from their positions."""
    from bedrock_lint.analysis.positions import LineTable

    for number in sorted({change["round"] for change in changes}):
        table = LineTable(text)
        edits = []
        for change in changes:
            if change["round"] != number:
                continue
            for edit in change["edits"]:
                start = table.offset(edit["location"]["line"], edit["location"]["column"])
                end = table.offset(edit["end_location"]["line"], edit["end_location"]["column"])
                assert text[start:end] == edit["original"]
                edits.append((start, end, edit["content"]))
        for start, end, content in sorted(set(edits), reverse=True):
            text = text[:start] + content + text[end:]
    return text


def test_json_lists_every_change_with_its_rule_safety_reason_and_range(tmp_path):
    app = python_app(tmp_path, "dry-run")
    document = migrate_json(".", cwd=app)
    assert migrate_json(".", cwd=app) == document  # stable
    changes = document["changes"]
    assert document["summary"]["mode"] == "dry run"
    assert document["summary"]["fixes"] == len(changes) > 10
    assert {row["code"]: row["fixes"] for row in document["summary"]["rules"] if row["fixes"]} == Counter(c["code"] for c in changes)
    assert document["summary"]["files"] == len({c["filename"] for c in changes})
    assert any(change["round"] > 1 for change in changes)  # fixes that waited for another round
    clients = [c for c in changes if c["filename"] == "support_bot/clients.py" and c["code"] == "BDR004"]
    assert clients == [
        {
            "filename": "support_bot/clients.py", "code": "BDR004", "name": "config-positional-arg", "applicability": "safe",
            "description": "Pass it as read_timeout=",
            "reason": "positional argument 300 to Config sets `region_name`, not `read_timeout`; pass read_timeout=300",
            "round": 1, "cell": None, "line": 13, "column": 19,
            "edits": [
                {"cell": None, "location": {"line": 13, "column": 19}, "end_location": {"line": 13, "column": 22}, "original": "300", "content": "read_timeout=300"}
            ],
        }
    ]
    # Replaying the changes from their positions gives what --write writes.
    written = python_app(tmp_path, "written")
    run("migrate", "--write", ".", cwd=written)
    by_file: dict[str, list[dict]] = {}
    for change in changes:
        by_file.setdefault(change["filename"], []).append(change)
    for name, file_changes in by_file.items():
        before = read_source(app / name, name).text
        after = read_source(written / name, name).text
        assert replayed(before, file_changes) == after, name
    # In the order of the files, then rounds, then the findings' positions.
    order = [(c["filename"], c["round"], c["cell"] or 0, c["line"], c["column"]) for c in changes]
    assert order == sorted(order, key=lambda key: (sorted(by_file).index(key[0]), *key[1:]))


WITHHELD = {
    # A client in an unknown region sending an id that needs a profile, and an EOL id
    # whose successor needs one.
    "profiles.py": UNKNOWN_REGION + BASE_ID_CALL + EOL_CALL,
    # A literal region with no profile id sent: BDR003's fix is unsafe.
    "region.py": 'import boto3\nclient = boto3.client("bedrock-runtime", region_name="us-east-1", config=None)\n',
}


def test_json_says_why_fixes_were_skipped_and_what_unlocks_them(tmp_path):
    for name, text in WITHHELD.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    document = migrate_json("--safe-only", ".", cwd=tmp_path)
    skipped = {(s["filename"], s["code"]): s for s in document["skipped"]}
    assert skipped[("profiles.py", "BDR104")]["setting"] == "profile-geography"
    assert skipped[("profiles.py", "BDR104")]["reason"] == "no fix without profile-geography"
    # Positions in the file as read (the fixes applied added an import above it).
    assert skipped[("profiles.py", "BDR104")]["line"] == 4 and skipped[("profiles.py", "BDR104")]["column"] == 33
    assert skipped[("profiles.py", "BDR103")]["setting"] == "profile-geography"
    assert skipped[("region.py", "BDR003")]["reason"] == "unsafe fix (--safe-only)"
    assert skipped[("region.py", "BDR003")]["setting"] is None
    assert document["summary"]["unlock"] == [
        {"fixes": 1, "codes": ["BDR003"], "kind": "option", "name": "--safe-only", "message": "1 fix is unsafe (BDR003): run without --safe-only"},
        {"fixes": 1, "codes": ["BDR103"], "kind": "setting", "name": "profile-geography", "message": "1 BDR103 fix needs a geography: set profile-geography"},
        {"fixes": 1, "codes": ["BDR104"], "kind": "setting", "name": "profile-geography", "message": "1 BDR104 fix needs a geography: set profile-geography"},
    ]
    # The text summary says the same.
    text = run("migrate", "--safe-only", ".", cwd=tmp_path).stderr
    for hint in document["summary"]["unlock"]:
        assert hint["message"] in text
    assert "no fix without profile-geography" in text

    # Set, the geography unlocks both fixes.
    (tmp_path / "pyproject.toml").write_text('[tool.bedrock-lint]\nprofile-geography = "eu"\n', encoding="utf-8")
    unlocked = migrate_json(".", cwd=tmp_path)
    applied = {(c["filename"], c["code"]) for c in unlocked["changes"]}
    assert {("profiles.py", "BDR104"), ("profiles.py", "BDR103"), ("region.py", "BDR003")} <= applied
    assert unlocked["summary"]["unlock"] == []


def test_json_moves_the_changes_of_a_file_not_written_to_skipped(tmp_path, monkeypatch):
    from bedrock_lint.fixes import writer

    (tmp_path / "region.py").write_text(WITHHELD["region.py"], encoding="utf-8")

    def disk_full(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "write_atomically", disk_full)
    result = run("migrate", "--write", "--format", "json", ".", cwd=tmp_path)
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["changes"] == [] and document["summary"]["fixes"] == 0
    assert {s["reason"] for s in document["skipped"]} == {"could not be written"}
    assert {s["code"] for s in document["skipped"]} == {"BDR001", "BDR002", "BDR003"}


def test_json_shows_no_credential(tmp_path):
    from tests.test_secret_masking import SPLIT, leaks, notebook

    (tmp_path / "split.py").write_text(SPLIT, encoding="utf-8")
    (tmp_path / "keys.ipynb").write_text(notebook(), encoding="utf-8")
    result = run("migrate", "--format", "json", ".", cwd=tmp_path)
    document = json.loads(result.stdout)
    assert {change["filename"] for change in document["changes"]} == {"split.py", "keys.ipynb"}
    assert leaks(result.stdout + result.stderr) == []


def test_a_change_that_replaces_a_key_shows_it_masked():
    """Fix edits are narrowed around credentials (engine.analyse); the texts of a change
    are masked all the same."""
    from bedrock_lint.engine.change_report import applied_changes
    from bedrock_lint.findings import Applicability, Finding, Fix, Position, TextEdit
    from bedrock_lint.fixes.applier import AppliedRound, FixOutcome
    from tests.test_secret_masking import KEY_ID, leaks

    text = f'import boto3\nclient = boto3.client("bedrock-runtime", aws_access_key_id="{KEY_ID}")\n'
    source = source_from_bytes(text.encode(), "app.py")
    start = text.index('aws_access_key_id')
    edit = TextEdit(start, text.index(")\n"), 'aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"]')
    finding = Finding("BDR007", "hard-coded key", Position(2, 1), Position(2, 2), Fix(Applicability.UNSAFE, f"Replace {KEY_ID}", (edit,)))
    outcome = FixOutcome(source, rounds=[AppliedRound(source, [finding], [edit])])
    (change,) = applied_changes(outcome)
    assert change.edits[0].original == f'aws_access_key_id="{KEY_ID[:4]}{"*" * 16}"'
    assert change.edits[0].line == 2 and change.edits[0].column == start - text.index("client") + 1
    assert leaks(repr(change)) == []


def test_json_cannot_be_combined_with_interactive(tmp_path):
    result = run("migrate", "--format", "json", "--interactive", ".", cwd=tmp_path)
    assert result.exit_code == 2 and "--interactive" in result.stderr


def test_a_notebook_hunk_names_its_rules(tmp_path):
    app = copy_app(tmp_path)
    result = run("migrate", "notebooks", cwd=app)
    assert hunk_labels(result.stdout) == ["BDR001 (safe), BDR002 (safe), BDR103 (unsafe)"]
