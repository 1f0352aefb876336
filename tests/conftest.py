"""Every test runs with its own empty user data directory, so a catalog written by a
real ``bedrock-lint models --refresh`` on this machine never changes a test's findings,
and no test can write into the real home directory (subprocesses inherit it too)."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def user_data_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    # platformdirs: XDG_DATA_HOME on Linux, ~/Library/Application Support on macOS.
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def no_output_environment(monkeypatch):
    """The environment variables that change the output or the cache's place are unset,
    so a developer's NO_COLOR or cache directory never changes a test."""
    for name in ("NO_COLOR", "FORCE_COLOR", "BEDROCK_LINT_CACHE_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def no_aws_configuration(monkeypatch, tmp_path):
    """No AWS credentials, region or profile to be found: the environment cleared, AWS
    config files that do not exist, and no instance-metadata lookup (a network call)."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
