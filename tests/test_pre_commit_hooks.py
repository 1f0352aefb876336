"""The pre-commit hooks (``.pre-commit-hooks.yaml``) through the real pre-commit, in a
temporary git repository, with no network.

``pre-commit try-repo`` clones this repository (with its uncommitted, staged changes),
builds a virtualenv for the hooks and pip-installs the clone into it.  That install is
made offline: pip gets no index, only a wheelhouse built here from the distributions
installed in the test environment (this project's dependencies and its build backend),
and every proxy variable points at a closed local port so that anything that still
tried the network would fail rather than succeed.
"""

from __future__ import annotations

import email.parser
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("pre_commit", reason="pre-commit is not installed")
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

ROOT = Path(__file__).resolve().parent.parent

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

CLOSED_PORT_PROXY = "http://127.0.0.1:9"


def requirement_closure(requirements: list[str]) -> list[importlib.metadata.Distribution]:
    """The installed distributions that satisfy ``requirements`` and, recursively, theirs."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    found: dict[str, importlib.metadata.Distribution] = {}
    pending = list(requirements)
    while pending:
        requirement = Requirement(pending.pop())
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        distribution = importlib.metadata.distribution(requirement.name)
        assert requirement.specifier.contains(distribution.version, prereleases=True), (
            f"{requirement} is needed offline, but {distribution.version} is installed"
        )
        found[name] = distribution
        pending.extend(distribution.requires or [])
    return list(found.values())


def repack_as_wheel(distribution: importlib.metadata.Distribution, wheelhouse: Path) -> Path:
    """A wheel of an installed distribution, made from the files its RECORD lists."""
    from wheel.wheelfile import WheelFile

    files = distribution.files or []
    dist_info = next(f.parent.name for f in files if f.name == "METADATA" and f.parent.name.endswith(".dist-info"))
    tags = email.parser.Parser().parsestr(distribution.read_text("WHEEL") or "").get_all("Tag")
    target = wheelhouse / f"{dist_info.removesuffix('.dist-info')}-{tags[0]}.whl"
    with WheelFile(target, "w") as wheel:
        for file in files:
            name = file.as_posix()
            if (
                name.startswith("..")  # console scripts: pip writes them again
                or "__pycache__" in file.parts
                or (file.parent.name == dist_info and file.name in ("RECORD", "INSTALLER", "REQUESTED", "direct_url.json"))
            ):
                continue
            located = Path(distribution.locate_file(file))
            if located.is_file():
                wheel.write(str(located), name)
    return target


@pytest.fixture(scope="module")
def offline_environment(tmp_path_factory) -> dict[str, str]:
    """The environment pre-commit runs in: pip sees only the wheelhouse."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib

    wheelhouse = tmp_path_factory.mktemp("wheelhouse")
    build_requirements = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["build-system"]["requires"]
    runtime_requirements = importlib.metadata.distribution("bedrock-lint").requires or []
    for distribution in requirement_closure([*build_requirements, *runtime_requirements]):
        repack_as_wheel(distribution, wheelhouse)

    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUALENV_", "PRE_COMMIT"))}
    environment.update(
        PIP_CONFIG_FILE=os.devnull,  # no machine or user pip configuration (indexes, find-links)
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(wheelhouse),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        VIRTUALENV_NO_PERIODIC_UPDATE="1",
        PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")),
        PRE_COMMIT_COLOR="never",
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.invalid",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.invalid",
    )
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        environment[proxy] = CLOSED_PORT_PROXY
    environment.pop("no_proxy", None)
    environment.pop("NO_PROXY", None)
    return environment


@pytest.fixture
def repository(tmp_path: Path, offline_environment) -> Path:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, env=offline_environment, check=True, capture_output=True, timeout=60)

    git("init", "-q")
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "client.py").write_text(GENERATED, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.bedrock-lint]\nextend-exclude = ["generated/"]\n', encoding="utf-8")
    git("add", "app.py", "generated/client.py", "pyproject.toml")
    return tmp_path


def try_hooks(repository: Path, environment: dict[str, str]) -> subprocess.CompletedProcess:
    """``pre-commit try-repo`` with this repository's hooks, in their order, on the
    staged files.  (Each try-repo builds its hook environment anew, so one run per
    state of the file.)"""
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "--verbose"],
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


def test_check_hook_fails_with_findings_and_fix_hook_fixes_once(repository, offline_environment):
    first = try_hooks(repository, offline_environment)
    assert first.returncode == 1, first.stdout + first.stderr
    reports = hook_reports(first.stdout)
    assert set(reports) == {"bedrock-lint", "bedrock-lint-fix"}, first.stdout

    # The check hook runs first, on the file as staged.
    checked = reports["bedrock-lint"]
    assert checked.splitlines()[0].endswith("Failed")
    assert "app.py:3:10: BDR001" in checked and "app.py:3:10: BDR002" in checked
    assert "generated/client.py" not in first.stdout  # excluded, though named: --force-exclude

    fixed = reports["bedrock-lint-fix"]
    assert fixed.splitlines()[0].endswith("Failed") and "- exit code: 1" in fixed
    assert "files were modified by this hook" in fixed
    rewritten = (repository / "app.py").read_text("utf-8")
    assert rewritten != APP and "read_timeout=300" in rewritten and '"mode": "adaptive"' in rewritten
    assert (repository / "generated" / "client.py").read_text("utf-8") == GENERATED

    subprocess.run(["git", "add", "app.py"], cwd=repository, env=offline_environment, check=True, timeout=60)
    second = try_hooks(repository, offline_environment)
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
