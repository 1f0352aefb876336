"""BDR000: files that do not parse.  Reported by the engine, documented here."""

from __future__ import annotations

from typing import Iterator

from bedrock_lint.findings import Severity
from bedrock_lint.rules.registry import rule


@rule(
    code="BDR000",
    name="syntax-error",
    severity=Severity.ERROR,
    summary="The file could not be parsed, so no other rule ran on it",
    why="""
        bedrock-lint reads code without running it, through libcst's parser. A file that
        does not parse cannot be analysed; the finding carries the parser's line and
        message so it can be fixed, and the rest of the run goes on. Code nested beyond
        Python's own limits (more than 200 nested brackets) is reported with CPython's
        message without being given to libcst, whose parser would crash on it.
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime"
    """,
    good="""
        import boto3

        client = boto3.client("bedrock-runtime")
    """,
    engine_rule=True,
)
def syntax_error(index, settings) -> Iterator:  # pragma: no cover - reported by the engine
    return iter(())
