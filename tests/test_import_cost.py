"""What a one-file run imports, as pre-commit runs it (issue 23, item 4).

Importing libcst alone takes about 0.25 s, the rule modules and the analysis more: a run
whose every file the cache answers, and a run over files that cannot hold a finding
(the prefilter and the gate say so), must report without importing them.  Each run
here is a fresh interpreter, whose modules are listed once the command has finished.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bedrock_lint.engine.gate import may_hold_findings
from bedrock_lint.engine.prefilter import may_use_bedrock
from bedrock_lint.rules.registry import RULE_MODULES

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "fixtures" / "projects" / "fastapi_app"

# Runs the command line, then prints the modules it imported as the last line of stderr.
PROBE = """
import json, sys
from bedrock_lint.cli import main
try:
    main(sys.argv[1:], prog_name="bedrock-lint")
except SystemExit as exit:
    sys.stdout.flush()
    print(json.dumps(sorted(sys.modules)), file=sys.stderr)
    sys.exit(exit.code)
"""

# What answering from the cache, or rejecting a file, may use of the analysis: the
# project's layout (part of the cache key), offsets to lines, and the masking of
# credentials in the text shown around a finding.
ALLOWED_ANALYSIS = {"bedrock_lint.analysis", "bedrock_lint.analysis.layout", "bedrock_lint.analysis.lines", "bedrock_lint.analysis.secrets"}
HEAVY = ("bedrock_lint.engine.analyse", "bedrock_lint.rules.report", "bedrock_lint.catalog.models", *RULE_MODULES)
# Neither the parser nor botocore (whose service model the cache key does not need).
HEAVY_PACKAGES = ("libcst", "botocore")


def run(cwd: Path, *arguments: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, *arguments], cwd=cwd, capture_output=True, text=True, timeout=300
    )
    *messages, modules = completed.stderr.rstrip("\n").split("\n")
    completed.stderr = "\n".join(messages)
    return completed, set(json.loads(modules))


def heavy_modules(modules: set[str]) -> set[str]:
    heavy = {name for name in modules if name.split(".")[0] in HEAVY_PACKAGES or name in HEAVY}
    return heavy | {name for name in modules if name.startswith("bedrock_lint.analysis") and name not in ALLOWED_ANALYSIS}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy = tmp_path / "fastapi_app"
    shutil.copytree(PROJECT, copy, ignore=shutil.ignore_patterns(".bedrock_lint_cache"))
    return copy


@pytest.mark.parametrize("output_format", ["text", "sarif"])
def test_a_warm_run_reports_from_the_cache_without_the_rules_or_libcst(project, output_format):
    """The findings, their rules' names, severities, documentation (SARIF) come from the
    cache and the generated rule table (rules/table.py): the same report as the cold run."""
    arguments = ("check", "--format", output_format, "app/api/chat.py")
    cold, cold_modules = run(project, *arguments)
    assert cold.returncode == 1 and "BDR205" in cold.stdout, cold.stderr
    assert "libcst" in cold_modules  # the control: the cold run parses the file
    warm, warm_modules = run(project, *arguments)
    assert (warm.returncode, warm.stdout, warm.stderr) == (cold.returncode, cold.stdout, cold.stderr)
    assert heavy_modules(warm_modules) == set()


def test_a_changed_import_is_checked_again_with_the_rules(project):
    """Control for the test above: when a module the file imports changes, the cache
    does not answer and the analysis runs."""
    run(project, "check", "app/api/chat.py")
    config = project / "app" / "config.py"
    config.write_text(config.read_text(encoding="utf-8") + "\nOTHER = 1\n", encoding="utf-8")
    _, modules = run(project, "check", "app/api/chat.py")
    assert "libcst" in modules and "bedrock_lint.rules.client" in modules


@pytest.mark.parametrize(
    ("text", "mentions_bedrock"),
    [
        pytest.param("import os\n\nprint(os.getcwd())\n", False, id="prefilter"),
        pytest.param('"""Talks to Bedrock through boto3, elsewhere."""\n\nimport json\n\nprint(json.dumps({}))\n', True, id="gate"),
    ],
)
def test_a_file_that_cannot_hold_findings_is_answered_without_the_analysis(project, text, mentions_bedrock):
    """Most files a pre-commit hook sees: the prefilter (no mention of Bedrock) or the
    gate (mentions it in a docstring only) answers, on a cold run."""
    assert may_use_bedrock(text, in_project=True) is mentions_bedrock and not may_hold_findings(text)
    (project / "app" / "util.py").write_text(text, encoding="utf-8")
    completed, modules = run(project, "check", "--no-cache", "app/util.py")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert heavy_modules(modules) == set()
