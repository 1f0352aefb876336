"""``--config 'KEY = VALUE'``, ``--extend-per-file-ignores`` and the file-level
``# bedrock-lint: noqa: CODES`` (issue 24, item 3)."""

from __future__ import annotations

import json
import textwrap

import pytest

from tests.cli_runner import run

APP = textwrap.dedent(
    """\
    import boto3

    client = boto3.client("bedrock-runtime", region_name="us-east-1")
    """
)


def codes(result) -> list[str]:
    return sorted(f["code"] for f in json.loads(result.stdout))


@pytest.fixture
def project(tmp_path):
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.bedrock-lint]\nretry-mode = "adaptive"\n', encoding="utf-8")
    return tmp_path


def test_config_key_value_overrides_the_configuration_file(project):
    result = run(
        "check", "--no-cache", "--format", "json", "--config", 'retry-mode = "standard"', "--config", "min-read-timeout = 400",
        "app.py", cwd=project,
    )
    messages = " ".join(f["message"] for f in json.loads(result.stdout))
    assert '"mode": "standard"' in messages and "read_timeout=400" in messages
    ignored = run("check", "--no-cache", "--format", "json", "--config", 'ignore = ["BDR00"]', "app.py", cwd=project)
    assert codes(ignored) == []
    # Next to a configuration file given as --config.
    (project / "other.toml").write_text('select = ["BDR003"]\n', encoding="utf-8")
    both = run("check", "--no-cache", "--format", "json", "--config", "other.toml", "--config", 'select = ["BDR001"]', "app.py", cwd=project)
    assert codes(both) == ["BDR001"]


@pytest.mark.parametrize(
    "value, message",
    [
        ('retry-mode = "fast"', "--config: 'retry-mode' must be one of standard, adaptive, got 'fast'"),
        ("retry-mode = ", "--config 'retry-mode = ': neither a configuration file nor a TOML 'KEY = VALUE'"),
        ("nope = 1", "--config: unknown key 'nope'"),
        ('select = ["BDR777"]', "--config: select: unknown rule code 'BDR777'"),
        ("missing.toml", "--config: missing.toml: no such file"),
    ],
)
def test_config_errors_name_the_option(project, value, message):
    result = run("check", "--no-cache", "--config", value, "app.py", cwd=project)
    assert result.exit_code == 2
    assert message in result.stderr


def test_two_configuration_files_are_refused(project):
    (project / "a.toml").write_text("", encoding="utf-8")
    (project / "b.toml").write_text("", encoding="utf-8")
    result = run("check", "--config", "a.toml", "--config", "b.toml", "app.py", cwd=project)
    assert result.exit_code == 2 and "one configuration file at most" in result.stderr


def test_extend_per_file_ignores(project):
    (project / "pyproject.toml").write_text('[tool.bedrock-lint.per-file-ignores]\n"app.py" = ["BDR003"]\n', encoding="utf-8")
    configured = run("check", "--no-cache", "--format", "json", "app.py", cwd=project)
    assert codes(configured) == ["BDR001", "BDR002"]
    extended = run(
        "check", "--no-cache", "--format", "json", "--extend-per-file-ignores", "app.py:BDR001", "--extend-per-file-ignores", "other/*:BDR002",
        "app.py", cwd=project,
    )
    assert codes(extended) == ["BDR002"]
    for bad, message in (("app.py", "is not PATTERN:CODES"), ("app.py:BDR77", "unknown rule code 'BDR77'")):
        result = run("check", "--extend-per-file-ignores", bad, "app.py", cwd=project)
        assert result.exit_code == 2 and f"--extend-per-file-ignores: " in result.stderr and message in result.stderr


@pytest.mark.parametrize(
    "directive, left",
    [
        ("# bedrock-lint: noqa: BDR003", ["BDR001", "BDR002"]),
        ("# bedrock-lint: noqa: BDR003, BDR00", []),
        ("  #bedrock-lint: noqa:BDR1", ["BDR001", "BDR002", "BDR003"]),
        ("# bedrock-lint: noqa", []),
        # Not on a line of its own: not a file-level directive.
        ("x = 1  # bedrock-lint: noqa: BDR003", ["BDR001", "BDR002", "BDR003"]),
    ],
)
def test_file_level_noqa_with_codes(tmp_path, directive, left):
    (tmp_path / "app.py").write_text(APP + directive + "\n", encoding="utf-8")
    assert codes(run("check", "--no-cache", "--format", "json", "app.py", cwd=tmp_path)) == left
