"""The README works when copied: each command of its shell blocks is run, as written, by
the test this table names, and the first command prints a short report with findings
of every rule family.  (The README's pre-commit configuration is run by
tests/test_pre_commit_hooks.py.)

A command with the placeholders for where the user hosts bedrock-lint is run with them
replaced by a local clone at a commit (tests/readme_support.py).  The
``python -m pip install -e .`` in front of the first command is how this test
environment was made; the test runs what follows it.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import shutil
import sys
import venv
from pathlib import Path

import pytest

from tests.migration_support import copy_app, tree_files
from tests.readme_support import (
    ROOT,
    clone_at_a_commit,
    offline_environment,
    readme_command,
    readme_commands,
    shell,
    with_hosting,
)

FIRST_COMMAND = "python -m pip install -e . && bedrock-lint check examples/"
GIT_URL_INSTALL = 'python -m pip install "bedrock-lint @ git+https://<your host>/<path>.git@<commit>"'
TEST_SUITE = "python -m pip install -e '.[test]' && python -m pytest"
CODEMOD = "python -m libcst.tool codemod -x bedrock_lint.codemods.add_client_config.AddClientConfig --no-format src/"
CODEMOD_BY_CONFIGURATION = "python -m libcst.tool codemod add_client_config.AddClientConfig --no-format src/"

# Each command of the README's shell blocks → the test that runs it.  .ci/run is the CI
# script: it runs the whole test suite, which no test can run from inside it.
EXERCISED_BY = {
    FIRST_COMMAND: "test_first_command_checks_the_examples",
    GIT_URL_INSTALL: "test_install_from_a_git_url_at_a_commit",
    TEST_SUITE: ".ci/run",
    "bedrock-lint migrate": "test_migrate_commands",
    "bedrock-lint migrate --write": "test_migrate_commands",
    "bedrock-lint migrate --interactive": "test_migrate_commands",
    "bedrock-lint migrate --select BDR004 --write": "test_migrate_commands",
    "bedrock-lint migrate --safe-only --write": "test_migrate_commands",
    "bedrock-lint migrate --format json": "test_migrate_commands",
    CODEMOD: "test_codemod_commands",
    CODEMOD_BY_CONFIGURATION: "test_codemod_commands",
    "flake8 --select BDR src/": "test_flake8_commands",
    "flake8 --extend-select BDR src/": "test_flake8_commands",
    "flake8 --ignore BDR003 --per-file-ignores 'tests/*:BDR005' --statistics src/": "test_flake8_commands",
    "bedrock-lint check --format concise --stdin-filename path/to/file.py -": "test_editor_commands",
    "bedrock-lint check --fix --stdin-filename path/to/file.py -": "test_editor_commands",
    "python -P -m bedrock_lint check .": "test_module_command_in_a_repository_root",
}

FAMILIES = ("BDR0", "BDR1", "BDR2", "BDR3", "BDR4")
FINDING = re.compile(r"^(?P<file>\S+?):(?P<line>\d+):(?P<column>\d+): (?P<code>BDR\d{3}) ", re.MULTILINE)


def test_every_readme_command_is_run_by_a_test():
    commands = readme_commands()
    missing = [command for command in commands if command not in EXERCISED_BY]
    assert not missing, f"README commands no test runs (add one, and a row to EXERCISED_BY): {missing}"
    stale = [command for command in EXERCISED_BY if command not in commands]
    assert not stale, f"EXERCISED_BY rows for commands the README no longer has: {stale}"
    for command, test_name in EXERCISED_BY.items():
        if test_name == ".ci/run":
            assert command in (ROOT / ".ci" / "run").read_text("utf-8").splitlines(), command
            continue
        test = globals().get(test_name)
        assert callable(test), f"{command}: no test {test_name} in {__name__}"
        # The test names the command: written out, or through one of the constants above.
        source = inspect.getsource(test)
        names = [name for name, value in globals().items() if value == command and name.isupper()]
        assert any(f"{quote}{command}{quote}" in source for quote in "\"'") or any(
            re.search(rf"\b{name}\b", source) for name in names
        ), f"{test_name} does not run {command!r}"


@pytest.mark.skipif(sys.version_info < (3, 11), reason="python -P is new in Python 3.11")
def test_module_command_in_a_repository_root(tmp_path):
    """Issue 22 (minor): a repository's own ``click.py`` must not be imported by the
    README's module command."""
    (tmp_path / "click.py").write_text("raise SystemExit('the repository ran')\n", encoding="utf-8")
    (tmp_path / "libcst.py").write_text("raise SystemExit('the repository ran')\n", encoding="utf-8")
    (tmp_path / "app.py").write_text("import boto3\nclient = boto3.client('bedrock-runtime')\n", encoding="utf-8")
    completed = shell(readme_command("python -P -m bedrock_lint check ."), cwd=tmp_path)
    assert "the repository ran" not in completed.stderr
    assert completed.returncode == 1 and "app.py:2:10: BDR001" in completed.stdout, completed.stderr


def test_first_command_checks_the_examples(tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    command = readme_command(FIRST_COMMAND).split(" && ", 1)[1]
    completed = shell(command, cwd=tmp_path)
    assert completed.returncode == 1, completed.stderr
    assert completed.stderr == ""
    lines = completed.stdout.splitlines()
    assert len(lines) <= 300, len(lines)
    codes = [match.group("code") for match in FINDING.finditer(completed.stdout)]
    assert 0 < len(codes) <= 60, codes
    assert "BDR000" not in codes
    for family in FAMILIES:
        assert any(code.startswith(family) for code in codes), f"no {family}xx finding in examples/: {sorted(set(codes))}"
    assert f"Found {len(codes)} errors." in completed.stdout


def test_examples_are_walked_and_are_not_test_modules():
    """examples/ is not excluded by default (``bedrock-lint check .`` from the repository
    root checks it) and every file in it has findings: none is taken for a test module."""
    from bedrock_lint.engine.discovery import is_excluded
    from bedrock_lint.settings import Settings
    from tests.cli_runner import run

    assert not is_excluded(ROOT / "examples", Settings())
    result = run("check", "--no-cache", "--format", "json", ".", cwd=ROOT / "examples")
    assert {Path(finding["filename"]).name for finding in json.loads(result.stdout)} == {
        path.name for path in (ROOT / "examples").glob("*.py")
    }


@pytest.fixture(scope="module")
def environment(tmp_path_factory) -> dict[str, str]:
    return offline_environment(tmp_path_factory.mktemp("wheelhouse"), tmp_path_factory.mktemp("pre-commit-home"))


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_install_from_a_git_url_at_a_commit(tmp_path, environment):
    clone, commit = clone_at_a_commit(tmp_path / "hosted" / "bedrock-lint", environment)
    venv.create(tmp_path / "venv", with_pip=True)
    scripts = tmp_path / "venv" / ("Scripts" if os.name == "nt" else "bin")
    installed = shell(with_hosting(readme_command(GIT_URL_INSTALL), clone, commit), cwd=tmp_path, env=environment, scripts=scripts)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    checked = shell("bedrock-lint check --no-cache examples/", cwd=tmp_path, env=environment, scripts=scripts)
    assert checked.returncode == 1 and FINDING.search(checked.stdout), checked.stdout + checked.stderr


def test_migrate_commands(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "examples", project)
    original = tree_files(project)

    dry_run = shell(readme_command("bedrock-lint migrate"), cwd=project)
    assert dry_run.returncode == 1, dry_run.stderr
    assert "+++ b/chat_service.py" in dry_run.stdout and "Would apply" in dry_run.stderr
    assert tree_files(project) == original

    positional_only = shell(readme_command("bedrock-lint migrate --select BDR004 --write"), cwd=project)
    assert positional_only.returncode == 1, positional_only.stderr
    chat_service = (project / "chat_service.py").read_text("utf-8")
    # Only BDR004's fix: the positional timeout, and nothing else (the region stays).
    assert "    config=Config(read_timeout=300),\n)" in chat_service and 'REGION = "us-east-1"' in chat_service

    # --interactive asks on a terminal: "a" (all files), typed ahead on a pseudo-terminal.
    controller, terminal = os.openpty()
    try:
        os.write(controller, b"a\n")
        interactive = shell(readme_command("bedrock-lint migrate --interactive"), cwd=project, stdin=terminal)
    finally:
        os.close(terminal)
        os.close(controller)
    assert interactive.returncode == 1, interactive.stderr
    assert "Apply these changes to" in interactive.stderr
    assert "Config(read_timeout=300" in (project / "chat_service.py").read_text("utf-8")

    after = tree_files(project)
    nothing_left = shell(readme_command("bedrock-lint migrate --write"), cwd=project)
    assert nothing_left.returncode == 0, nothing_left.stderr
    assert tree_files(project) == after

    written = tmp_path / "written"
    shutil.copytree(ROOT / "examples", written)
    assert shell(readme_command("bedrock-lint migrate --write"), cwd=written).returncode == 1
    assert tree_files(written) == after

    safe = tmp_path / "safe"
    shutil.copytree(ROOT / "examples", safe)
    safe_only = shell(readme_command("bedrock-lint migrate --safe-only --write"), cwd=safe)
    assert safe_only.returncode == 1, safe_only.stderr
    assert "Applied" in safe_only.stderr and tree_files(safe) != original
    # (the examples' fixes are all safe; tests/test_migrate.py covers skipped unsafe ones)

    described = tmp_path / "described"
    shutil.copytree(ROOT / "examples", described)
    as_json = shell(readme_command("bedrock-lint migrate --format json"), cwd=described)
    assert as_json.returncode == 1, as_json.stderr
    document = json.loads(as_json.stdout)
    assert document["summary"]["mode"] == "dry run" and document["summary"]["fixes"] == len(document["changes"]) > 0
    assert "chat_service.py" in {change["filename"] for change in document["changes"]}
    assert tree_files(described) == original


def python_files(root: Path) -> dict[str, tuple[bytes, int]]:
    """The ``.py`` files of ``root``: the only files libcst.tool changes."""
    return {name: content for name, content in tree_files(root).items() if name.endswith(".py")}


def test_codemod_commands(tmp_path):
    """The codemod commands need no formatter (``--no-format``); a file they fail on is
    left alone and the run exits 1."""
    by_path = copy_app(tmp_path / "by-path").rename(tmp_path / "by-path" / "src").parent
    by_configuration = copy_app(tmp_path / "by-configuration").rename(tmp_path / "by-configuration" / "src").parent
    (by_configuration / ".libcst.codemod.yaml").write_text('modules: ["bedrock_lint.codemods"]\n', encoding="utf-8")
    expected = copy_app(tmp_path / "expected")
    from tests.cli_runner import run

    run("migrate", "--write", "--select", "BDR001,BDR002,BDR004", ".", cwd=expected)

    for project, command in ((by_path, CODEMOD), (by_configuration, CODEMOD_BY_CONFIGURATION)):
        completed = shell(readme_command(command), cwd=project)
        assert completed.returncode == 0, completed.stderr
        assert "Failed to codemod 0 files" in completed.stderr
        assert python_files(project / "src") == python_files(expected), command

    # A file that does not parse fails; the others are still transformed.
    failing = copy_app(tmp_path / "failing").rename(tmp_path / "failing" / "src").parent
    (failing / "src" / "broken.py").write_text('import boto3\nclient = boto3.client("bedrock-runtime"\n', encoding="utf-8")
    completed = shell(readme_command(CODEMOD), cwd=failing)
    assert completed.returncode == 1, completed.stderr
    assert "Failed to codemod 1 files" in completed.stderr
    assert (failing / "src" / "broken.py").read_text("utf-8").endswith('"bedrock-runtime"\n')
    assert python_files(failing / "src") == {**python_files(expected), "broken.py": python_files(failing / "src")["broken.py"]}


@pytest.mark.skipif(shutil.which("black") is not None, reason="black is installed")
def test_codemod_without_no_format_needs_black(tmp_path):
    """What the README says of leaving out ``--no-format`` with no black installed:
    every changed file fails, nothing is written, and the run exits 1."""
    project = copy_app(tmp_path).rename(tmp_path / "src").parent
    original = tree_files(project)
    completed = shell(readme_command(CODEMOD).replace(" --no-format", ""), cwd=project)
    assert completed.returncode == 1, completed.stderr
    assert "No such file or directory" in completed.stderr and "black" in completed.stderr
    assert tree_files(project) == original


def test_flake8_commands(tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "src")
    reported = shell("bedrock-lint check --no-cache --format json src/", cwd=tmp_path)
    expected = {(f["filename"], f["line"], f["column"], f["code"]) for f in json.loads(reported.stdout)}

    def findings(stdout: str) -> set[tuple[str, int, int, str]]:
        return {(m["file"], int(m["line"]), int(m["column"]), m["code"]) for m in FINDING.finditer(stdout)}

    selected = shell(readme_command("flake8 --select BDR src/"), cwd=tmp_path)
    assert selected.returncode == 1, selected.stderr
    assert findings(selected.stdout) == expected
    assert all(" BDR" in line for line in selected.stdout.splitlines())

    extended = shell(readme_command("flake8 --extend-select BDR src/"), cwd=tmp_path)
    assert extended.returncode == 1, extended.stderr
    assert findings(extended.stdout) == expected

    ignoring = shell(readme_command("flake8 --ignore BDR003 --per-file-ignores 'tests/*:BDR005' --statistics src/"), cwd=tmp_path)
    assert ignoring.returncode == 1, ignoring.stderr
    assert findings(ignoring.stdout) == {finding for finding in expected if finding[3] != "BDR003"}
    assert re.search(r"^2\s+BDR202 ", ignoring.stdout, re.MULTILINE), ignoring.stdout  # --statistics


def test_editor_commands(tmp_path):
    source = (ROOT / "examples" / "chat_service.py").read_text("utf-8")

    concise = shell(readme_command("bedrock-lint check --format concise --stdin-filename path/to/file.py -"), cwd=tmp_path, input=source)
    assert concise.returncode == 1, concise.stderr
    assert {m["file"] for m in FINDING.finditer(concise.stdout)} == {"path/to/file.py"}

    fixed = shell(readme_command("bedrock-lint check --fix --stdin-filename path/to/file.py -"), cwd=tmp_path, input=source)
    assert "Config(read_timeout=300" in fixed.stdout and "Config(300)" not in fixed.stdout, fixed.stderr
    compile(fixed.stdout, "path/to/file.py", "exec")
