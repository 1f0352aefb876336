"""The README's snippets, and what running them needs without the network: a git
clone of this repository at a commit (its working tree committed on top, as
``pre-commit try-repo`` does) and an environment in which pip installs only from a
wheelhouse built from the distributions installed here.

The README's placeholders for where the user hosts bedrock-lint are replaced by the
clone: ``https://<your host>/<path>.git`` by its path, ``<commit>`` by its commit.
"""

from __future__ import annotations

import email.parser
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

# Where the user hosts bedrock-lint, as the README writes it.
HOSTED_URL = "https://<your host>/<path>.git"
COMMIT = "<commit>"

CLOSED_PORT_PROXY = "http://127.0.0.1:9"

FENCE = re.compile(r"^```(?P<language>\w*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
SHELL_LANGUAGES = ("sh", "bash", "shell", "console")
TRAILING_COMMENT = re.compile(r"\s+#\s.*$")


def readme_blocks(language: str) -> list[str]:
    """The bodies of the README's fenced blocks in ``language``."""
    text = README.read_text("utf-8")
    return [match.group("body") for match in FENCE.finditer(text) if match.group("language") == language]


def readme_commands() -> list[str]:
    """Every command line of the README's shell blocks, without its trailing comment."""
    commands = []
    for language in SHELL_LANGUAGES:
        for block in readme_blocks(language):
            commands.extend(TRAILING_COMMENT.sub("", line).strip() for line in block.splitlines() if line.strip())
    return commands


def readme_command(command: str) -> str:
    """``command``, checked to be one of the README's (so a test runs what it says)."""
    assert command in readme_commands(), f"not a command of the README's shell blocks: {command}"
    return command


def shell(
    command: str, cwd: Path, *, env: dict[str, str] | None = None, scripts: Path | None = None, **kwargs
) -> subprocess.CompletedProcess:
    """Run ``command`` as written, through the shell, with the scripts of ``scripts``
    (default: this environment's ``bedrock-lint``, ``flake8``, ``python``) first on PATH."""
    environment = dict(os.environ if env is None else env)
    scripts = scripts or Path(sys.executable).parent
    environment["PATH"] = os.pathsep.join([str(scripts), environment.get("PATH", "")])
    return subprocess.run(
        command, shell=True, cwd=cwd, env=environment, capture_output=True, text=True, timeout=600, **kwargs
    )


def with_hosting(text: str, clone: Path, commit: str) -> str:
    """README text with the hosting placeholders replaced by ``clone`` at ``commit``."""
    assert HOSTED_URL in text and COMMIT in text, text
    # With a host: the pip that venv bundles with Python 3.11 (23.2) rejects a
    # ``git+file:///`` URL without one; git takes ``file://localhost/…`` as a local path.
    url = clone.as_uri().replace("file://", "file://localhost", 1)
    return text.replace(HOSTED_URL, url).replace(COMMIT, commit)


def git(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True, timeout=120
    ).stdout


def clone_at_a_commit(destination: Path, env: dict[str, str]) -> tuple[Path, str]:
    """A git clone of this repository and the commit to use: its HEAD, or a commit of
    the working tree on top of it when that has changes (tracked, or new files that
    are not ignored), so that what is tested is what is checked out here."""
    git("clone", "-q", str(ROOT), str(destination), cwd=ROOT, env=env)
    files = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT).split("\0")
    present = {name for name in files if name and (ROOT / name).is_file()}
    for name in git("ls-files", "-z", cwd=destination).split("\0"):
        if name and name not in present:
            (destination / name).unlink()
    for name in present:
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    git("add", "-A", cwd=destination, env=env)
    if git("status", "--porcelain", cwd=destination):
        git("commit", "-q", "-m", "working tree", cwd=destination, env=env)
    return destination, git("rev-parse", "HEAD", cwd=destination).strip()


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


def offline_environment(wheelhouse: Path, pre_commit_home: Path) -> dict[str, str]:
    """An environment in which pip sees only ``wheelhouse`` (filled here with this
    project's dependencies and its build backend) and every proxy variable points at a
    closed local port, so that anything that still tried the network would fail."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib

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
        PRE_COMMIT_HOME=str(pre_commit_home),
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
