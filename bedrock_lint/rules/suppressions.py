"""BDR900: ``# noqa`` codes that no longer suppress anything.  Reported by the engine
(engine/noqa.py, after every other rule ran), documented here."""

from __future__ import annotations

from typing import Iterator

from bedrock_lint.findings import Severity
from bedrock_lint.rules.registry import rule


@rule(
    code="BDR900",
    name="unused-noqa",
    severity=Severity.INFO,
    summary="A `# noqa` lists a bedrock-lint code that suppressed no finding on its line",
    why="""
        A `# noqa: BDR103` written for an end-of-life model id stays after the id is
        updated; the next end-of-life id on that line is then silently suppressed, and a
        reader believes a problem is there that is not. As ruff's RUF100, a code is
        reported only when its rule was selected and ran on the file in this run (codes of
        other tools, `E501`, and of rules turned off are left alone), and a code that
        names no bedrock-lint rule is reported as unknown. A bare `# noqa` and the
        file-level `# bedrock-lint: noqa` are not judged. `--add-noqa` never adds BDR900.
    """,
    bad="""
        import boto3
        from botocore.config import Config

        client = boto3.client("bedrock-runtime", config=Config(read_timeout=300, retries={"mode": "adaptive"}))  # noqa: BDR001, E501
    """,
    good="""
        import boto3
        from botocore.config import Config

        client = boto3.client("bedrock-runtime", config=Config(read_timeout=300, retries={"mode": "adaptive"}))  # noqa: E501
    """,
    fix="safe",
    fix_safety="""
        Removes the stale codes from the directive, or the whole `# noqa: …` when no code
        is left (a comment after it stays). A code that suppressed nothing changes no
        report of this run. No fix when text other than a comment follows the codes
        (`# noqa: BDR001 because …`), or when the directive is not a comment of its own
        (inside a string).
    """,
    engine_rule=True,
    preview=True,
)
def unused_noqa(index, settings) -> Iterator:  # pragma: no cover - reported by the engine
    return iter(())
