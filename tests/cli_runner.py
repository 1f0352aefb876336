"""Running the ``bedrock-lint`` command line in-process, as the tests do."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from bedrock_lint.cli import main


def run(*args: str, cwd: Path, input: bytes | str | None = None):
    """Run the CLI in-process in ``cwd``; returns the click Result."""
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)
    finally:
        os.chdir(old)
