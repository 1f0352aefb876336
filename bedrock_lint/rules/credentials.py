"""BDR007: AWS credentials written into the code of a Bedrock client or session.

A family member of BDR0xx (client configuration) kept in its own module: its input is
"a call plus the parameters that carry credentials for it"
(``analysis.credentials.CredentialCall``), which is where the library entry-point
table plugs in, and it shares nothing with the timeout/retry/region code of
``rules/client.py``.

Facts: ``docs/facts.md`` §1.4 (boto3 ``client``/``Session``
signatures), §5.1 (AnthropicBedrock ``aws_access_key``/``aws_secret_key``/
``aws_session_token``/``api_key``), §5.2 (langchain-aws credential fields), §6 (the
semgrep rule for hard-coded boto3 keys); credential shapes in ``analysis.secrets``.
"""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from bedrock_lint.analysis.credentials import (
    SECRET_WRAPPERS,
    CredentialCall,
    EnvironmentCredential,
    credential_candidates,
    environment_credentials,
)
from bedrock_lint.analysis.sites import ModuleIndex
from bedrock_lint.analysis.scopes import Scope
from bedrock_lint.analysis.secrets import ROLE_NAMES, looks_like_credential, shown
from bedrock_lint.analysis.values import CallResult, DictValue, EnvironmentValue, Literal
from bedrock_lint.findings import Severity
from bedrock_lint.rules.registry import rule
from bedrock_lint.rules.report import Report
from bedrock_lint.settings import Settings


@rule(
    code="BDR007",
    name="hardcoded-credentials",
    severity=Severity.ERROR,
    summary="AWS credentials (access key id, secret access key, session token, Bedrock API key) written into the code of a Bedrock client or session",
    why="""
        Keys written into source code are committed, copied into notebooks, forks, CI logs
        and container images, and stay in the version history after they are deleted.
        AWS's guidance is never to put access keys in code: "Access credentials, such as
        passwords and access keys, should not be hardcoded in source code. Hardcoding
        credentials may cause leaks even after removing them" (Amazon Q / CodeGuru
        detector `python/hardcoded-credentials`); "Do NOT put literal access keys in your
        application files" (AWS SDK developer guides, "Important warnings and guidance for
        credentials", pointing to "Best practices for managing AWS access keys" in the
        AWS General Reference); let IAM roles or the default credential chain supply them.
        The Bedrock angle: a leaked key with Bedrock access is paid for per token. Stolen
        cloud keys are used to run Claude at the owner's expense ("LLMjacking": Sysdig
        Threat Research reports costs up to $100,000 a day; Prowler ships the CloudTrail
        check `cloudtrail_threat_detection_llm_jacking` for it), and an Amazon Bedrock API
        key (`ABSK…`, IAM User Guide "API keys for Amazon Bedrock") is a credential of the
        same kind.
        Only values that look like real keys are reported (`AKIA…`/`ASIA…` ids, 40-character
        secrets, long session tokens, `ABSK…`/`bedrock-api-key-…` API keys) when they are
        literals, module constants, aliases or `os.environ.get` fallbacks, and credential
        variables the code writes into `os.environ` (`AWS_SECRET_ACCESS_KEY`,
        `AWS_BEARER_TOKEN_BEDROCK` …), which every client then uses; placeholders
        (`"<your key>"`, `"XXXX…"`, `"test"`, `"dummy"`) and AWS's documented example keys
        (`AKIAIOSFODNN7EXAMPLE`) are not. Sessions and clients of other services count
        when the module uses Bedrock. Messages, and the source lines the text format
        shows, show at most the first four characters of a key.
        Source: docs/facts.md §1.4, §5.1, §5.2, §6.
    """,
    bad="""
        import boto3

        runtime = boto3.client(
            "bedrock-runtime",
            aws_access_key_id="AKIA2E0A8F3B244C9986",
            aws_secret_access_key="u3Kd9fQ2Lw7Zp1Xr8Tb5Nc0Vy6Hj4Mg2Ra7Se1Wo",
        )
    """,
    good="""
        import boto3

        # Credentials come from the default chain: an IAM role, AWS_PROFILE or the environment.
        runtime = boto3.client("bedrock-runtime")
    """,
    fix="none",
    fix_safety="""
        No automatic fix: removing the key changes where credentials come from, and the
        key must be rotated anyway, since it has been exposed.
    """,
    known_problems="""
        Only keys that reach a client, session, credential parameter or `os.environ`
        credential variable in the same module are found; keys in configuration files,
        `.env` files, notebook `%env` magics, `botocore.credentials.Credentials(...)`
        objects and names assigned more than once are not. A key assembled from unknown
        parts (f-strings, function results) is not reported.
    """,
    # Critical for GitHub code scanning (9.0 and up): a committed key is use of hard-coded
    # credentials (CWE-798), giving whoever reads the code the account's access.
    security_severity="9.8",
)
def hardcoded_credentials(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    calls, uses_bedrock = credential_candidates(index)
    for call in calls:
        if call.bedrock or uses_bedrock:
            yield from check_credential_call(index, call)
    if uses_bedrock:
        for item in environment_credentials(index):
            found = _credential(index, item.value, item.scope)
            if found is not None and looks_like_credential(found[0], item.role):
                yield Report("BDR007", item.node, _environment_message(item, found[0], _via(item.value)))


def check_credential_call(index: ModuleIndex, call: CredentialCall) -> Iterator[Report]:
    """Reports for one call and the parameters that carry credentials for it (the
    entry point for library tables: see ``analysis.credentials``)."""
    for parameter, role, argument in call.arguments():
        found = _credential(index, argument.value, call.scope)
        if found is not None:
            text, fallback = found
            if looks_like_credential(text, role):
                yield Report("BDR007", argument, _message(parameter, role, text, call, _via(argument.value), fallback))
    for splat in call.splats():
        value = index.resolve(splat.value, call.scope)
        if not isinstance(value, DictValue):
            continue
        for key, entry in value.entries.items():
            role = call.parameters.role(key) if key in call.parameters.keywords else None
            if role is None:
                continue
            found = _credential(index, entry.value, entry.scope)
            if found is not None and looks_like_credential(found[0], role):
                name = _name(splat.value)
                via = f" in `**{name}`" if name else ""
                yield Report("BDR007", splat, _message(key, role, found[0], call, via, found[1]))


def _credential(index: ModuleIndex, expr: cst.BaseExpression, scope: Scope) -> tuple[str, str | None] | None:
    """The string a credential argument evaluates to, and the environment variable it
    is the fallback of (None when it is not a fallback)."""
    value = index.resolve(expr, scope)
    variable: str | None = None
    for _ in range(3):
        if isinstance(value, EnvironmentValue):
            variable = value.variable or "the environment variable"
            value = value.fallback
        elif isinstance(value, CallResult) and value.qualified_name in SECRET_WRAPPERS and value.call.args:
            first = value.call.args[0]
            if first.keyword is not None or first.star:
                return None
            value = index.resolve(first.value, value.scope)
        else:
            break
    if isinstance(value, Literal) and isinstance(value.value, str):
        return value.value, variable
    return None


def _name(expr: cst.BaseExpression) -> str | None:
    """The dotted name an expression is written as (``KEYS``, ``settings.aws_key``), or
    None: messages name where a value came from, never the value's own text."""
    parts = []
    node: cst.BaseExpression = expr
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def _via(expr: cst.BaseExpression) -> str:
    name = _name(expr)
    return f" from `{name}`" if name else ""


def _message(parameter: str, role: str, text: str, call: CredentialCall, via: str, fallback: str | None) -> str:
    # The keyword (``parameter``) is not repeated: the role names it and the position shows it.
    what = ROLE_NAMES[role]
    where = f"as the {fallback} fallback" if fallback is not None else ""
    return f"{what} ('{shown(text)}'){via} hard-coded in {call.description}{' ' + where if where else ''}; remove and rotate it"


def _environment_message(item: EnvironmentCredential, text: str, via: str) -> str:
    return f"hard-coded {ROLE_NAMES[item.role]} ('{shown(text)}'){via} set as {item.variable}; remove and rotate it"


# --------------------------------------------------------------------------- masking
# Pieces shorter than this cannot show 8 consecutive characters of a key on their own.
MIN_SECRET_PIECE = 8


def secret_spellings(index: ModuleIndex) -> tuple[str, ...]:
    """The source text of every string piece (8 characters or more) that makes up a
    credential the module hard-codes, in any client of any service: output, fixes,
    diffs and the cache mask these, whichever rules run (issue 22, H1)."""
    calls, _ = credential_candidates(index)
    found: set[str] = set()
    for expr, scope, role in _credential_expressions(index, calls):
        resolved = _credential(index, expr, scope)
        if resolved is not None and looks_like_credential(resolved[0], role):
            found.update(piece for piece in _pieces(index, expr, scope, 0) if len(piece) >= MIN_SECRET_PIECE)
    return tuple(sorted(found))


def _credential_expressions(index: ModuleIndex, calls: list[CredentialCall]) -> Iterator[tuple[cst.BaseExpression, Scope, str]]:
    for call in calls:
        for _, role, argument in call.arguments():
            yield argument.value, call.scope, role
        for splat in call.splats():
            value = index.resolve(splat.value, call.scope)
            if isinstance(value, DictValue):
                for key, entry in value.entries.items():
                    role = call.parameters.role(key) if key in call.parameters.keywords else None
                    if role is not None:
                        yield entry.value, entry.scope, role
    for item in environment_credentials(index):
        yield item.value, item.scope, item.role


def _pieces(index: ModuleIndex, expr: cst.BaseExpression, scope: Scope, depth: int) -> Iterator[str]:
    """The source text of the string literals an expression's value is built from."""
    if depth > 8:
        return
    if isinstance(expr, cst.SimpleString):
        yield expr.value[len(expr.prefix) + len(expr.quote) : len(expr.value) - len(expr.quote)]
    elif isinstance(expr, cst.ConcatenatedString):
        yield from _pieces(index, expr.left, scope, depth + 1)
        yield from _pieces(index, expr.right, scope, depth + 1)
    elif isinstance(expr, cst.FormattedString):
        for part in expr.parts:
            if isinstance(part, cst.FormattedStringText):
                yield part.value
            elif isinstance(part, cst.FormattedStringExpression):
                yield from _pieces(index, part.expression, scope, depth + 1)
    elif isinstance(expr, cst.BinaryOperation):
        yield from _pieces(index, expr.left, scope, depth + 1)
        yield from _pieces(index, expr.right, scope, depth + 1)
    else:
        value = index.resolve(expr, scope)
        if isinstance(value, EnvironmentValue):
            value = value.fallback
        elif isinstance(value, CallResult) and value.qualified_name in SECRET_WRAPPERS and value.call.args:
            yield from _pieces(index, value.call.args[0].value, value.scope, depth + 1)
            return
        node = value.node if isinstance(value, Literal) else None
        if isinstance(node, cst.BaseExpression) and node is not expr:
            yield from _pieces(index, node, _scope_of(index, expr, scope), depth + 1)


def _scope_of(index: ModuleIndex, expr: cst.BaseExpression, scope: Scope) -> Scope:
    definition = index.resolver.definition_of(expr, scope)
    return definition[1] if definition is not None else scope
