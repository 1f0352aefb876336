"""Keys the code builds from pieces are masked in every output (issue 22, H1): split
across adjacent strings, joined with ``+``, written with ``\\u`` escapes, built in an
f-string, between smart quotes (a syntax error), and in a notebook.  No output format,
cache file, diff or fix contains 8 consecutive characters of a key."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bedrock_lint.analysis.secrets import mask_spans, mask_spellings, spelling_spans
from bedrock_lint.output import FORMATS
from tests.cli_runner import run

# Random keys of the real shapes (generated for this test; never valid anywhere).
KEY_ID = "AKIA3U55XTPLPFT7V4SE"
SECRET = "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"
OTHER_KEY_ID = "AKIAZ7QW2MNB4VCX6LKJ"
QUOTED_KEY_ID = "AKIAR5TY7UIO3PLK9MNB"
KEYS = (KEY_ID, SECRET, OTHER_KEY_ID, QUOTED_KEY_ID)

SPLIT = f'''import boto3

KEY_ID = "{KEY_ID[:8]}" "{KEY_ID[8:]}"
SECRET = "{SECRET[:22]}" + "{SECRET[22:]}"
prefix = "{OTHER_KEY_ID[:8]}"
client = boto3.client(
    "bedrock-runtime",
    aws_access_key_id=KEY_ID,
    aws_secret_access_key=SECRET,
)
other = boto3.client("bedrock-runtime", aws_access_key_id=f"{{prefix}}{OTHER_KEY_ID[8:]}", aws_secret_access_key="\\u00{ord(SECRET[0]):x}{SECRET[1:]}")
'''
SMART_QUOTES = f'import boto3\nclient = boto3.client("bedrock-runtime", aws_access_key_id=\u201c{QUOTED_KEY_ID}\u201d)\n'


def notebook() -> str:
    cells = [
        ["import boto3\n", f'KEY_ID = "{KEY_ID[:10]}" "{KEY_ID[10:]}"\n'],
        [f'runtime = boto3.client("bedrock-runtime", aws_access_key_id=KEY_ID, aws_secret_access_key="{SECRET[:20]}" + "{SECRET[20:]}")\n', "ask(runtime)\n"],
    ]
    return json.dumps(
        {
            "cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": c} for c in cells],
            "metadata": {"language_info": {"name": "python"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def leaks(output: str) -> list[str]:
    """Runs of 8 characters of a key found in ``output``."""
    return sorted({key[i : i + 8] for key in KEYS for i in range(len(key) - 7) if key[i : i + 8] in output})


@pytest.fixture()
def project(tmp_path):
    (tmp_path / "split.py").write_text(SPLIT, encoding="utf-8")
    (tmp_path / "quoted.py").write_text(SMART_QUOTES, encoding="utf-8")
    (tmp_path / "keys.ipynb").write_text(notebook(), encoding="utf-8")
    return tmp_path


def test_the_check_can_fail(project):
    sources = "".join(p.read_text(encoding="utf-8") for p in project.iterdir())
    assert leaks(sources)  # the pieces are in the files
    assert not leaks("nothing")


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_output_format_shows_a_key(project, fmt):
    result = run("check", "--no-cache", "--format", fmt, "--show-fixes", "--unsafe-fixes", ".", cwd=project)
    assert result.exit_code == 1
    assert "BDR007" in result.stdout and "BDR000" in result.stdout
    assert leaks(result.stdout + result.stderr) == []


def test_the_syntax_error_is_cpythons_and_at_the_right_line(project):
    result = run("check", "--no-cache", "--format", "concise", "quoted.py", cwd=project)
    assert "quoted.py:2:60: BDR000 syntax error: invalid character '\u201c' (U+201C)" in result.stdout


def test_the_cache_and_the_cached_report_show_no_key(project):
    first = run("check", "--format", "text", ".", cwd=project)
    second = run("check", "--format", "text", ".", cwd=project)  # from the cache, the files read again
    assert first.stdout == second.stdout and "BDR007" in second.stdout
    cache = "".join(p.read_text(encoding="utf-8") for p in (project / ".bedrock_lint_cache").rglob("*.json"))
    assert cache and leaks(cache) == []
    assert leaks(second.stdout) == []


def test_diffs_and_migrate_show_no_key(project):
    diff = run("check", "--no-cache", "--diff", "--unsafe-fixes", ".", cwd=project)
    assert "+++ b/" in diff.stdout
    assert leaks(diff.stdout + diff.stderr) == []
    migrate = run("migrate", ".", cwd=project)
    assert leaks(migrate.stdout + migrate.stderr) == []


def test_fixes_write_the_key_unchanged(project):
    """Masking is for output only: --fix keeps every piece of the file as written."""
    before = (project / "split.py").read_text(encoding="utf-8")
    run("check", "--no-cache", "--fix", "--unsafe-fixes", "split.py", cwd=project)
    after = (project / "split.py").read_text(encoding="utf-8")
    assert after != before
    for line in before.splitlines():
        if "KEY_ID =" in line or "SECRET =" in line:
            assert line in after


def test_flake8_messages_show_no_key(project):
    """flake8 prints its own source lines with --show-source (not ours to mask: see
    bench/RELIABILITY.md); the messages are ours.  The smart-quoted key is flake8's own
    E999, with CPython's message."""
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "BDR,E999", "split.py", "quoted.py"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "BDR007" in result.stdout and "E999" in result.stdout
    assert leaks(result.stdout + result.stderr) == []


def test_masking_keeps_lengths():
    text = 'k = "AKIA3U55" "XTPLPFT7V4SE"  # x'
    spellings = ("XTPLPFT7V4SE",)
    masked = mask_spellings(text, spellings)
    assert len(masked) == len(text) and "XTPL********" in masked
    assert mask_spans(text, spelling_spans(text, spellings)) == masked
