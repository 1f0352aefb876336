"""Where a module hands AWS credentials to a Bedrock client or an AWS session (BDR007).

The input of BDR007 is *a call plus the parameters that carry credentials for it*
(:class:`CredentialCall`).  Clients made by boto3/botocore take the
parameters of :data:`CREDENTIAL_PARAMETERS`, sessions those of
:data:`SESSION_PARAMETERS`; every library entry point (AnthropicBedrock, langchain-aws,
LiteLLM, LlamaIndex, pydantic-ai, Strands, aioboto3/aiobotocore) names its own in the
``credentials`` column of its row of ``analysis.entry_points``, (keyword, kind) pairs,
which the client the index makes from that row carries (``ClientSite.entry``).  Keyword
names without a kind are mapped by ``secrets.role_of_keyword``.

What "for a Bedrock client or session" means here (rules.md, Scope):

- a Bedrock client (``bedrock-runtime`` or any other ``bedrock*`` service, through
  ``boto3.client``, a session's ``client``/``create_client``, AnthropicBedrock, the
  langchain-aws Bedrock classes) is always in scope — including one that only calls
  Titan or Nova models: a leaked key does not care which model it was meant for;
- a session (``boto3.Session``, ``boto3.setup_default_session``, aioboto3 sessions,
  botocore ``set_credentials``), a client for another AWS service
  (``boto3.client("s3", …)``) and a credential variable written into ``os.environ``
  (:func:`environment_credentials`) are in scope only when the module uses Bedrock
  (:func:`module_uses_bedrock`): the same keys reach Bedrock there, and elsewhere the
  file is not bedrock-lint's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

import libcst as cst

from bedrock_lint.analysis import bedrock
from bedrock_lint.analysis.scopes import Scope
from bedrock_lint.analysis.secrets import (
    ACCESS_KEY_ID,
    BEDROCK_API_KEY,
    ROLES,
    SECRET_ACCESS_KEY,
    SESSION_TOKEN,
    role_of_keyword,
)
from bedrock_lint.analysis.values import DictValue

# boto3/botocore client factories: client(service_name, region_name, api_version,
# use_ssl, verify, endpoint_url, aws_access_key_id, aws_secret_access_key,
# aws_session_token, config, …) — boto3 session.py, botocore session.py.
_CLIENT_KEYWORDS = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")
_CLIENT_POSITIONS = {6: "aws_access_key_id", 7: "aws_secret_access_key", 8: "aws_session_token"}


@dataclass(frozen=True)
class CredentialParameters:
    """The parameters of one entry point that carry credentials: keyword names, the
    positional index of those that may be passed positionally, and (optionally) the
    credential kind of a keyword, when its name does not say it
    (``secrets.role_of_keyword`` reads the usual names)."""

    keywords: tuple[str, ...]
    positions: tuple[tuple[int, str], ...] = ()
    roles: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> "CredentialParameters":
        """From the table's ``credentials`` column: (keyword, kind) pairs, kinds as in
        ``analysis.secrets`` (``access_key_id``, ``secret_access_key``,
        ``session_token``, ``api_key``)."""
        pairs = tuple(pairs)
        return cls(tuple(keyword for keyword, _ in pairs), roles=pairs)

    def role(self, keyword: str) -> str | None:
        for name, kind in self.roles:
            if name == keyword:
                return kind if kind in ROLES else None
        return role_of_keyword(keyword)

    def merged(self, other: "CredentialParameters") -> "CredentialParameters":
        return CredentialParameters(
            tuple(dict.fromkeys(self.keywords + other.keywords)),
            self.positions or other.positions,
            other.roles + self.roles,
        )


CLIENT_FACTORY = CredentialParameters(_CLIENT_KEYWORDS, tuple(_CLIENT_POSITIONS.items()))
# boto3.Session(aws_access_key_id, aws_secret_access_key, aws_session_token, region_name, …)
SESSION = CredentialParameters(_CLIENT_KEYWORDS, ((0, "aws_access_key_id"), (1, "aws_secret_access_key"), (2, "aws_session_token")))
# botocore Session.set_credentials(access_key, secret_key, token=None)
SET_CREDENTIALS = CredentialParameters(("access_key", "secret_key", "token"), ((0, "access_key"), (1, "secret_key"), (2, "token")))

# Bedrock clients by ClientSite.kind (analysis.bedrock.CLIENT_KINDS).
CREDENTIAL_PARAMETERS: dict[str, CredentialParameters] = {
    "boto3": CLIENT_FACTORY,
    "aioboto3": CLIENT_FACTORY,
    "botocore": CLIENT_FACTORY,
    "aiobotocore": CLIENT_FACTORY,
    # Library entry points (AnthropicBedrock, langchain-aws, LiteLLM, …) carry their own
    # credential parameters in the table's ``credentials`` column (analysis.entry_points).
}

# Sessions and other credential setters, by qualified name.
SESSION_PARAMETERS: dict[str, CredentialParameters] = {
    "boto3.Session": SESSION,
    "boto3.session.Session": SESSION,
    "boto3.setup_default_session": SESSION,
    "aioboto3.Session": SESSION,
    "aioboto3.session.Session": SESSION,
}

# langchain-aws Bedrock classes the index does not treat as chat clients (embeddings,
# rerank, knowledge bases, the Anthropic-on-Bedrock chat models): Bedrock all the same.
LANGCHAIN_BEDROCK_CLASSES = frozenset({
    "BedrockEmbeddings", "BedrockRerank", "AmazonKnowledgeBasesRetriever", "ChatAnthropicBedrock",
    "ChatBedrockNovaSonic",
})

# langchain-aws 1.9.1: the SecretStr fields of these classes (bedrock_api_key has the
# alias api_key), as in the ChatBedrock rows of the table.
LANGCHAIN_OTHER_CLASSES = CredentialParameters(_CLIENT_KEYWORDS + ("bedrock_api_key", "api_key"))

# SecretStr(...) wrappers whose first argument is the value itself (langchain-aws and
# pydantic-ai fields are SecretStr).
SECRET_WRAPPERS = frozenset({"pydantic.SecretStr", "pydantic.types.SecretStr", "pydantic.v1.SecretStr", "SecretStr"})


@dataclass(eq=False)
class CredentialCall:
    """A call that may receive credentials, with the parameters that carry them."""

    call: cst.Call
    scope: Scope
    description: str  # for messages: "boto3.client", "boto3.Session", "AnthropicBedrock" …
    parameters: CredentialParameters
    # True: a Bedrock client (always in scope); False: a session or another service's
    # client (in scope when the module uses Bedrock).
    bedrock: bool

    def arguments(self) -> Iterator[tuple[str, str, cst.Arg]]:
        """(parameter name, credential kind, argument) for every credential argument
        given by keyword or position; ``**splat`` arguments are :meth:`splats`."""
        positional: list[cst.Arg] = []
        for argument in self.call.args:
            if argument.star == "*":
                break  # positions after *args are unknown
            if argument.keyword is None and argument.star == "":
                positional.append(argument)
        for position, name in self.parameters.positions:
            if position < len(positional):
                role = self.parameters.role(name)
                if role is not None:
                    yield name, role, positional[position]
        for argument in self.call.args:
            if argument.keyword is not None and argument.keyword.value in self.parameters.keywords:
                role = self.parameters.role(argument.keyword.value)
                if role is not None:
                    yield argument.keyword.value, role, argument

    def splats(self) -> list[cst.Arg]:
        return [a for a in self.call.args if a.star == "**"]


def credential_calls(index) -> Iterator[CredentialCall]:
    """Every call of the module that may receive credentials (see the module docstring
    for what is in scope; sessions and other services' clients only when the module
    uses Bedrock)."""
    calls, uses_bedrock = credential_candidates(index)
    for call in calls:
        if call.bedrock or uses_bedrock:
            yield call


def module_uses_bedrock(index) -> bool:
    """The module makes a Bedrock client (of any ``bedrock*`` service, or a library's
    Bedrock entry point) or calls a Bedrock Runtime operation."""
    return credential_candidates(index)[1]


def credential_candidates(index) -> tuple[list[CredentialCall], bool]:
    """Every call that may receive credentials, in scope or not, and whether the module
    uses Bedrock (which puts the sessions and other services' clients in scope)."""
    calls: list[CredentialCall] = []
    seen: set[int] = set()
    for client in index.clients:
        parameters = CREDENTIAL_PARAMETERS.get(client.kind)
        # A client made by a library entry point carries its row of the declarative
        # table (``ClientSite.entry``) with a ``credentials`` column of (keyword, kind)
        # pairs.
        pairs = client.entry.credentials if client.entry is not None else ()
        if pairs:
            row = CredentialParameters.from_pairs(pairs)
            parameters = parameters.merged(row) if parameters is not None else row
        if parameters is not None:
            seen.add(id(client.call))
            calls.append(CredentialCall(client.call, client.scope, client.constructor, parameters, bedrock=True))

    for site in index.calls:
        if id(site.call) in seen:
            continue
        name = site.qualified_name or ""
        if name in SESSION_PARAMETERS:
            calls.append(CredentialCall(site.call, site.scope, name, SESSION_PARAMETERS[name], bedrock=False))
            continue
        langchain = _langchain_bedrock_class(name)
        if langchain is not None:
            calls.append(CredentialCall(site.call, site.scope, langchain, LANGCHAIN_OTHER_CLASSES, bedrock=True))
            continue
        found = _other_client(site, index)
        if found is not None:
            description, service, parameters = found
            is_bedrock = service is not None and service.startswith("bedrock")
            calls.append(CredentialCall(site.call, site.scope, description, parameters, bedrock=is_bedrock))
    uses_bedrock = bool(index.clients) or bool(index.operations) or any(call.bedrock for call in calls)
    return calls, uses_bedrock


# Environment variables the AWS SDKs read credentials from, and AnthropicBedrock's /
# botocore's Bedrock API key variable.
ENVIRONMENT_VARIABLES = {
    "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
    "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
    "AWS_SESSION_TOKEN": SESSION_TOKEN,
    "AWS_SECURITY_TOKEN": SESSION_TOKEN,
    "AWS_BEARER_TOKEN_BEDROCK": BEDROCK_API_KEY,
}


@dataclass(eq=False)
class EnvironmentCredential:
    """A credential variable set in the process environment by the code:
    ``os.environ["AWS_SECRET_ACCESS_KEY"] = …``, ``os.environ.setdefault(…)``,
    ``os.environ.update(…)``, ``os.putenv(…)``.  Every client the module makes then
    uses it."""

    node: cst.CSTNode  # where to report: the assignment target or the call argument
    variable: str
    role: str
    value: cst.BaseExpression
    scope: Scope


def environment_credentials(index) -> Iterator[EnvironmentCredential]:
    """Credential variables the module writes into ``os.environ``; in scope when the
    module uses Bedrock (its clients pick them up): the caller checks."""
    resolver = index.resolver
    for target, value, scope in index.subscript_assignments:
        if resolver.qualified_name(target.value, scope) != "os.environ" or len(target.slice) != 1:
            continue
        element = target.slice[0].slice
        if not isinstance(element, cst.Index):
            continue
        variable = resolver.resolve_string(element.value, scope)
        if variable in ENVIRONMENT_VARIABLES:
            yield EnvironmentCredential(target, variable, ENVIRONMENT_VARIABLES[variable], value, scope)
    for site in index.calls:
        name = site.qualified_name
        if name not in ("os.environ.setdefault", "os.putenv", "os.environ.update"):
            continue
        positional = [a for a in site.call.args if a.keyword is None and a.star == ""]
        if name == "os.environ.update":
            for argument in site.call.args:
                if argument.keyword is not None and argument.keyword.value in ENVIRONMENT_VARIABLES:
                    variable = argument.keyword.value
                    yield EnvironmentCredential(argument, variable, ENVIRONMENT_VARIABLES[variable], argument.value, site.scope)
            if positional:
                mapping = resolver.resolve(positional[0].value, site.scope)
                if isinstance(mapping, DictValue):
                    for key, entry in mapping.entries.items():
                        if key in ENVIRONMENT_VARIABLES:
                            node = entry.key_node if entry.key_node is not None else positional[0]
                            yield EnvironmentCredential(node, key, ENVIRONMENT_VARIABLES[key], entry.value, entry.scope)
        elif len(positional) >= 2:
            variable = resolver.resolve_string(positional[0].value, site.scope)
            if variable in ENVIRONMENT_VARIABLES:
                yield EnvironmentCredential(positional[1], variable, ENVIRONMENT_VARIABLES[variable], positional[1].value, site.scope)


def _langchain_bedrock_class(name: str) -> str | None:
    module, _, cls = name.rpartition(".")
    if cls in LANGCHAIN_BEDROCK_CLASSES and module.split(".")[0] == "langchain_aws":
        return cls
    return None


def _other_client(site, index) -> tuple[str, str | None, CredentialParameters] | None:
    """A client of any service made by boto3, a boto3/aioboto3 session or a botocore
    session, or a botocore session's ``set_credentials``: (description, service name or
    None when unknown, parameters)."""
    call = site.call
    if site.qualified_name in bedrock.DIRECT_CLIENT_FACTORIES:
        return site.qualified_name, bedrock.service_name(call, site, index), CLIENT_FACTORY
    func = call.func
    if not isinstance(func, cst.Attribute) or func.attr.value not in ("client", "create_client", "set_credentials"):
        return None
    definition = index.resolver.definition_of(func.value, site.scope)
    if definition is None or not isinstance(definition[0], cst.Call):
        return None
    session_call, session_scope = definition
    session_name = index.resolver.qualified_name(session_call.func, session_scope) or ""
    method = func.attr.value
    if method == "client" and session_name in bedrock.SESSION_FACTORIES:
        return f"{session_name}().client", bedrock.service_name(call, site, index), CLIENT_FACTORY
    if session_name in bedrock.BOTOCORE_SESSION_FACTORIES:
        if method == "create_client":
            return f"{session_name}().create_client", bedrock.service_name(call, site, index), CLIENT_FACTORY
        if method == "set_credentials":
            return f"{session_name}().set_credentials", None, SET_CREDENTIALS
    return None
