"""The pre-commit hooks (``.pre-commit-hooks.yaml``) through the real pre-commit, in a
temporary git repository, with no network.

The configuration is the README's snippet, exactly, with its placeholders for where the
user hosts bedrock-lint replaced by a local git clone of this repository and a commit
of that clone (tests/readme_support.py).  pre-commit clones it at that commit, builds
a virtualenv for the hooks and pip-installs the clone into it.  That install is made
offline: pip gets no index, only a wheelhouse built here from the distributions
installed in the test environment (this project's dependencies and its build backend),
and every proxy variable points at a closed local port so that anything that still
tried the network would fail rather than succeed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.readme_support import ROOT, clone_at_a_commit, git, offline_environment, readme_blocks, with_hosting

pytest.importorskip("pre_commit", reason="pre-commit is not installed")
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

# Only safely fixable findings, so that after the fix hook the check hook passes.
APP = textwrap.dedent(
    """\
    import boto3

    client = boto3.client("bedrock-runtime")
    """
)

# Excluded by the project's configuration: the hooks must leave it alone although
# pre-commit names it explicitly.
GENERATED = "import boto3\n\nclient = boto3.client('bedrock-runtime')\n"


def readme_pre_commit_config() -> str:
    """The README's ``.pre-commit-config.yaml`` snippet: its one YAML block."""
    blocks = [block for block in readme_blocks("yaml") if block.startswith("repos:")]
    assert len(blocks) == 1, blocks
    return blocks[0]


@pytest.fixture(scope="module")
def environment(tmp_path_factory) -> dict[str, str]:
    """The environment pre-commit runs in: pip sees only the wheelhouse."""
    return offline_environment(tmp_path_factory.mktemp("wheelhouse"), tmp_path_factory.mktemp("pre-commit-home"))


@pytest.fixture(scope="module")
def hooks_clone(tmp_path_factory, environment) -> tuple[Path, str]:
    return clone_at_a_commit(tmp_path_factory.mktemp("hosted") / "bedrock-lint", environment)


@pytest.fixture
def repository(tmp_path: Path, environment, hooks_clone) -> Path:
    clone, commit = hooks_clone
    git("init", "-q", cwd=tmp_path, env=environment)
    (tmp_path / ".pre-commit-config.yaml").write_text(with_hosting(readme_pre_commit_config(), clone, commit), encoding="utf-8")
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "client.py").write_text(GENERATED, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.bedrock-lint]\nextend-exclude = ["generated/"]\n', encoding="utf-8")
    git("add", ".pre-commit-config.yaml", "app.py", "generated/client.py", "pyproject.toml", cwd=tmp_path, env=environment)
    return tmp_path


def run_hooks(repository: Path, environment: dict[str, str], *hook_id: str) -> subprocess.CompletedProcess:
    """``pre-commit run [HOOK]`` with the README's configuration, on the staged files, as
    the git hook runs it at commit time."""
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", *hook_id, "--verbose"],
        cwd=repository,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


def hook_reports(output: str) -> dict[str, str]:
    """pre-commit's report of each hook that ran, by hook id: from its status line
    (``bedrock-lint....Failed``) to the next one."""
    reports = {}
    for block in re.split(r"^(?=\S.*\.{3,}(?:Passed|Failed)$)", output, flags=re.MULTILINE):
        hook_id = re.search(r"^- hook id: (\S+)$", block, re.MULTILINE)
        if hook_id:
            reports[hook_id.group(1)] = block
    return reports


def test_the_readme_configuration_from_a_clone_at_a_commit(repository, environment, hooks_clone):
    config = (repository / ".pre-commit-config.yaml").read_text("utf-8")
    assert f"rev: {hooks_clone[1]}" in config and hooks_clone[0].as_posix() in config

    first = run_hooks(repository, environment)
    assert first.returncode == 1, first.stdout + first.stderr
    reports = hook_reports(first.stdout)
    assert set(reports) == {"bedrock-lint", "bedrock-lint-fix"}, first.stdout

    # The fix hook runs first, as the README orders them: it fixes the file and stops
    # the commit for review.
    fixed = reports["bedrock-lint-fix"]
    assert fixed.splitlines()[0].endswith("Failed") and "- exit code: 1" in fixed
    assert "files were modified by this hook" in fixed
    rewritten = (repository / "app.py").read_text("utf-8")
    assert rewritten != APP and "read_timeout=300" in rewritten and '"mode": "adaptive"' in rewritten
    assert (repository / "generated" / "client.py").read_text("utf-8") == GENERATED  # excluded, though named
    assert "generated/client.py" not in first.stdout

    # The check hook then sees the fixed file: only safely fixable findings, so nothing is left.
    assert reports["bedrock-lint"].splitlines()[0].endswith("Passed"), first.stdout

    # Before the fix was staged, the check hook reports what is staged.
    (repository / "app.py").write_text(APP, encoding="utf-8")
    checked = run_hooks(repository, environment, "bedrock-lint")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "app.py:3:10: BDR001" in checked.stdout and "app.py:3:10: BDR002" in checked.stdout
    assert "generated/client.py" not in checked.stdout

    # Once the fix is staged, the commit goes through.
    (repository / "app.py").write_text(rewritten, encoding="utf-8")
    git("add", "app.py", cwd=repository, env=environment)
    second = run_hooks(repository, environment)
    assert second.returncode == 0, second.stdout + second.stderr
    reports = hook_reports(second.stdout)
    assert set(reports) == {"bedrock-lint", "bedrock-lint-fix"}, second.stdout
    assert all(report.splitlines()[0].endswith("Passed") for report in reports.values())
    assert (repository / "app.py").read_text("utf-8") == rewritten


def test_hook_definitions():
    """What the hooks promise: the CLI they run and the files pre-commit passes them."""
    import yaml

    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))}
    assert set(hooks) == {"bedrock-lint", "bedrock-lint-fix"}
    assert hooks["bedrock-lint"]["entry"] == "bedrock-lint check --force-exclude"
    assert hooks["bedrock-lint-fix"]["entry"] == "bedrock-lint check --force-exclude --fix --exit-non-zero-on-fix"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["types_or"] == ["python", "pyi", "jupyter"]
        assert hook["require_serial"] is False
