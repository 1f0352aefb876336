"""The records of a module's Bedrock usage, and the index that holds them.

The bottom floor of the analysis: the sites the walk records (calls, clients, configs,
operation calls, with their scope and syntactic context) and ``ModuleIndex``, which
holds them with the module's value resolver.  It imports nothing of the analyses above
it; those (``bedrock``, ``model_ids``, ``requests``, ``responses`` …) read these records,
and ``index`` builds them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Hashable, Iterator, TypeVar

import libcst as cst

from bedrock_lint.analysis.scopes import FunctionInfo, Scope
from bedrock_lint.analysis.values import UNKNOWN, Literal, Resolver, Value, keyword_argument, positional_arguments
from bedrock_lint.analysis.walk import tree_links
from bedrock_lint.catalog.api import config_positional_order, operation_parameters
from bedrock_lint.catalog.providers import model_provider

_T = TypeVar("_T")

if TYPE_CHECKING:
    from bedrock_lint.analysis.entry_points import EntryPoint, ModelArgument

BOTOCORE_READ_TIMEOUT = 60  # botocore.endpoint.DEFAULT_TIMEOUT
# Client kinds built by botocore (boto3, aioboto3 and botocore itself): their timeouts,
# retries and regions are botocore's.
BOTOCORE_KINDS = frozenset({"boto3", "aioboto3", "botocore", "aiobotocore"})


@dataclass(frozen=True)
class Context:
    """Where a node sits: its function, loop nesting inside that function, and the
    enclosing compound statements (innermost last)."""

    function: FunctionInfo | None = None
    loop_depth: int = 0
    in_default: bool = False
    ancestors: tuple[cst.CSTNode, ...] = ()

    def enter(self, node: cst.CSTNode, *, loop: bool = False) -> "Context":
        return dataclasses.replace(
            self, loop_depth=self.loop_depth + (1 if loop else 0), ancestors=self.ancestors + (node,)
        )


@dataclass(eq=False)
class CallSite:
    call: cst.Call
    scope: Scope
    context: Context
    qualified_name: str | None = None


@dataclass(eq=False)
class ConfigSite:
    """A ``botocore.config.Config(...)`` (or ``AioConfig``) construction."""

    call: cst.Call
    scope: Scope
    qualified_name: str

    def keyword(self, name: str) -> cst.Arg | None:
        return keyword_argument(self.call, name)

    @property
    def positional(self) -> list[cst.Arg]:
        return positional_arguments(self.call)

    @property
    def has_splat(self) -> bool:
        return any(a.star for a in self.call.args)

    def option(self, name: str) -> cst.Arg | None:
        """The argument that sets option ``name``: its keyword, or the positional
        argument in its place (``Config(300)`` sets ``region_name``, not a timeout)."""
        argument = self.keyword(name)
        if argument is not None:
            return argument
        order = config_positional_order()
        positional = self.positional
        position = order.index(name) if name in order else len(positional)
        return positional[position] if position < len(positional) else None


@dataclass(eq=False)
class OperationCall:
    """A call of a Bedrock Runtime operation (``converse``, ``invoke_model`` …) or of
    ``messages.create`` / ``messages.stream`` on an AnthropicBedrock client."""

    call: cst.Call
    operation: str
    client: "ClientSite | None"
    scope: Scope
    context: Context
    model: Value = UNKNOWN
    # "other" when an InvokeModel body is in another provider's format (bedrock.py).
    body_provider: str | None = None

    @property
    def model_provider(self) -> str | None:
        if isinstance(self.model, Literal) and isinstance(self.model.value, str):
            return model_provider(self.model.value)
        return self.body_provider

    @property
    def names_a_model(self) -> bool:
        """It sends a request to a model (``converse``, ``invoke_model``, ``count_tokens``,
        ``messages.create`` …), not a guardrail check or a job lookup."""
        return self.operation.startswith("messages.") or "modelId" in operation_parameters(self.operation)


@dataclass(eq=False)
class ClientSite:
    """A Bedrock client construction: boto3/aioboto3/botocore ``bedrock-runtime``
    clients, and a call of a library entry point (AnthropicBedrock, the langchain-aws
    chat models, LiteLLM ``completion``, Strands ``BedrockModel`` …: ``entry``)."""

    call: cst.Call
    kind: str  # one of analysis.bedrock.CLIENT_KINDS
    constructor: str  # what the user wrote, for messages: "boto3.client", "ChatBedrockConverse" …
    scope: Scope
    context: Context
    session_call: cst.Call | None = None
    session_scope: Scope | None = None
    # "absent": no config argument; "known": resolved to a Config(...) call;
    # "unknown": given but not resolvable (rules stay silent).
    config_state: str = "absent"
    config: ConfigSite | None = None
    operations: list[OperationCall] = field(default_factory=list)
    # The library entry point this site is a call of (analysis.entry_points), None for
    # boto3/aioboto3/botocore clients.
    entry: "EntryPoint | None" = None

    def keyword(self, name: str) -> cst.Arg | None:
        return keyword_argument(self.call, name)

    @property
    def is_botocore_family(self) -> bool:
        return self.kind in BOTOCORE_KINDS

    def read_timeout(self, index: "ModuleIndex") -> float | None:
        """The botocore read timeout this client ends up with when the code says so
        literally: the Config's ``read_timeout``, or botocore's 60 s when no Config (or a
        Config without it) is given.  None when it is not known (or not botocore)."""
        if not self.is_botocore_family:
            return None
        if self.config_state == "absent":
            return BOTOCORE_READ_TIMEOUT
        config = self.config
        if self.config_state != "known" or config is None or config.has_splat:
            return None
        argument = config.option("read_timeout")
        if argument is None:
            return BOTOCORE_READ_TIMEOUT
        value = index.resolve(argument.value, config.scope)
        return float(value.value) if isinstance(value, Literal) and value.is_number else None  # type: ignore[arg-type]

    def region_arguments(self) -> Iterator[tuple[cst.Arg, Scope, str]]:
        """Every argument that sets this client's region, in precedence order, with its
        scope and where it is written: ``"client"``, ``"session"`` or ``"config"``."""
        keywords = self.entry.region_keywords if self.entry is not None else ("region_name",)
        if self.entry is not None and any(self.keyword(k) is not None for k in self.entry.client_keywords):
            # A pre-built client is handed over (langchain-aws client=, pydantic-ai
            # bedrock_client=): its region decides, the row's region keywords do not.
            keywords = ()
        for keyword in keywords:
            argument = self.keyword(keyword)
            if argument is not None:
                yield argument, self.scope, "client"
        if self.is_botocore_family:
            # client(service_name, region_name, …): the region is the second positional.
            positional = positional_arguments(self.call)
            if len(positional) > 1:
                yield positional[1], self.scope, "client"
        if self.config is not None:
            argument = self.config.keyword("region_name")
            positional = self.config.positional
            if argument is None and positional and self.config.qualified_name.endswith(".Config"):
                argument = positional[0]  # Config(region_name, …)
            if argument is not None:
                yield argument, self.config.scope, "config"
        if self.session_call is not None and self.session_scope is not None:
            for argument in self.session_call.args:
                if argument.keyword is not None and argument.keyword.value == "region_name":
                    yield argument, self.session_scope, "session"

    # The model given to the constructor or call (langchain-aws ``model``/``model_id``,
    # LiteLLM ``model`` …) and the row's argument that carries it.
    model: Value = UNKNOWN
    model_argument: "ModelArgument | None" = None
    # The provider the library is told the model belongs to (langchain-aws ``provider=``).
    provider: Value = UNKNOWN
    # (path, line) where another module of the project builds this client, when this
    # module imports it (``analysis.project``): ``call`` then only stands for that
    # construction, and the client is judged in its own module, not in this one.
    origin: tuple[str, int] | None = None

    @property
    def only_calls_other_providers(self) -> bool:
        """Every call made on this client resolves to a non-Anthropic model (Scope rule
        in rules.md): an embeddings-only client needs none of the Claude advice."""
        if isinstance(self.provider, Literal) and isinstance(self.provider.value, str) and self.provider.value:
            return self.provider.value.strip().lower() != "anthropic"
        if isinstance(self.model, Literal) and isinstance(self.model.value, str):
            return model_provider(self.model.value) == "other"
        # Operations that name no model (get_async_invoke, list_async_invokes,
        # apply_guardrail) say nothing about the provider.
        with_model = [op for op in self.operations if op.names_a_model]
        if not with_model:
            return False
        return all(op.model_provider == "other" for op in with_model)


@dataclass(eq=False)
class ModuleIndex:
    module: cst.Module
    text: str
    filename: str
    resolver: Resolver
    module_scope: Scope
    calls: list[CallSite]
    functions: list[FunctionInfo]
    clients: list[ClientSite]
    configs: dict[int, ConfigSite]
    operations: list[OperationCall]
    imported_modules: frozenset[str]
    # Functions that a framework calls per request without a decorator on them (UI
    # callbacks, routes added with add_url_rule/Route, FastAPI dependencies):
    # def node id -> (request path kind, description for messages).
    request_handlers: dict[int, tuple[str, str]]
    # Statement assignments: value node id -> target expression.
    assignment_targets: dict[int, cst.BaseExpression]
    # Values kept beyond the statement: expressions passed to .append()/.add()/…
    # (by node id), and (scope id, name) of names stored into an attribute, a
    # subscript or a collection.
    collected_values: set[int]
    stored_names: set[tuple[int, str]]
    # The checked file on disk (None for stdin and tests): prompt files are read next to it.
    path: Path | None = None
    # Strings that may hold a model id, with their scope (see analysis.model_ids).
    model_strings: list[tuple[cst.SimpleString | cst.FormattedString, Scope]] = field(default_factory=list)
    # How often each name is used in the module (as a name or an attribute; assignment
    # targets do not count), for fixes that may edit a constant only when nothing else uses it.
    name_mention_counts: dict[str, int] = field(default_factory=dict)
    # The same per scope the mention is made in: scope id -> (scope, name -> count).
    scope_mention_counts: dict[int, tuple[Scope, dict[str, int]]] = field(default_factory=dict)
    collection_elements: set[int] = field(default_factory=set)
    # Statements and expressions the response analysis reads (see SyntaxSites).
    sites: "SyntaxSites" = field(default_factory=lambda: SyntaxSites())
    # ``x[key] = value`` statements: (target, value, scope); BDR007 reads
    # ``os.environ["AWS_SECRET_ACCESS_KEY"] = "…"`` from them.
    subscript_assignments: list[tuple[cst.Subscript, cst.BaseExpression, Scope]] = field(default_factory=list)
    # What the analyses above derive from the index, computed on first use and kept
    # here (``requests.requests_of``, ``responses.responses_of``, ``model_ids.model_ids_of``,
    # ``model_objects.object_use``): by key, owned by the analysis that computes it.
    derived: dict = field(default_factory=dict, repr=False)

    def name_mentions(self, name: str) -> int:
        return self.name_mention_counts.get(name, 0)

    def name_mentions_within(self, scope: Scope, name: str) -> int:
        """Mentions of ``name`` made in ``scope`` or a scope nested in it."""
        total = 0
        for inner, counts in self.scope_mention_counts.values():
            if name in counts and _nested_in(inner, scope):
                total += counts[name]
        return total

    def code_for(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def remembered(self, kind: str, owner: object, compute: Callable[[], _T], *variant: Hashable) -> _T:
        """``compute()`` for ``owner`` (a request, a node) and ``variant``, worked out once
        per index: several rules ask the same question of the same request.  The owner is
        kept with the answer, so its id is not reused while the index lives."""
        known = self.derived.setdefault(kind, {})
        key = (id(owner), *variant)
        found = known.get(key)
        if found is None:
            found = known[key] = (owner, compute())
        return found[1]

    def parents(self) -> dict[int, cst.CSTNode]:
        """The parent of each node of the module by node id (``walk.tree_links``),
        computed on first use and shared: rules and fixes that look up from a node
        (the scope around it, the call around an edit) walk the module once."""
        return self._tree_links()[0]

    def ancestors(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        """``node`` and the nodes above it, innermost first, up to the module."""
        parents = self.parents()
        current: cst.CSTNode | None = node
        while current is not None:
            yield current
            current = parents.get(id(current))

    def nodes_of(self, kind: type[cst.CSTNode]) -> list[cst.CSTNode]:
        """Every node of exactly this type under the module, from the same walk as
        :meth:`parents`."""
        return self._tree_links()[1].get(kind, [])

    def _tree_links(self) -> tuple[dict[int, cst.CSTNode], dict[type, list[cst.CSTNode]]]:
        found = self.derived.get("tree_links")
        if found is None:
            found = self.derived["tree_links"] = tree_links(self.module)
        return found

    @property
    def newline(self) -> str:
        return self.module.default_newline

    def resolve(self, expr: cst.BaseExpression | None, scope: Scope) -> Value:
        return self.resolver.resolve(expr, scope)

    def imports_module(self, prefix: str) -> bool:
        return any(name == prefix or name.startswith(prefix + ".") for name in self.imported_modules)

    def calls_by_name(self, function: FunctionInfo) -> Iterator[CallSite]:
        """This module's calls of ``function`` by its name (``f(...)``), where the name
        is bound to that very function."""
        for site in self.calls:
            func = site.call.func
            if not (isinstance(func, cst.Name) and func.value == function.name):
                continue
            found = self.resolver.single_binding(func.value, site.scope, func)
            if found is not None and found[0].definition is function.node:
                yield site

    def arguments_for(self, function_scope: Scope, parameter: str) -> Iterator[tuple[cst.Arg, CallSite]]:
        """The argument each of this module's calls of a plain function (not a method)
        passes for ``parameter``, with the call; calls that leave it to the default, or
        whose ``*args`` may cover it, give none."""
        function = function_scope.function
        if function is None or function.owner_class is not None or parameter not in function.parameters:
            return
        position = function.parameters.index(parameter)
        for site in self.calls_by_name(function):
            argument = keyword_argument(site.call, parameter)
            if argument is None:
                positional = positional_arguments(site.call)
                if any(a.star for a in positional[: position + 1]) or len(positional) <= position:
                    continue
                argument = positional[position]
            yield argument, site


Frame = tuple[cst.CSTNode, Scope, Context]

# Attributes read on Anthropic SDK messages (``message.content[0].text``,
# ``message.stop_reason``); other attribute reads are not recorded.
RESPONSE_ATTRIBUTES = frozenset({"content", "text", "stop_reason", "stopReason"})
STOP_REASON_KEYS = ("stopReason", "stop_reason")


@dataclass(eq=False)
class SyntaxSites:
    """Nodes the response analysis needs, each with its scope and context, recorded by
    the one walk: subscripts with a single index, attribute reads of
    ``RESPONSE_ATTRIBUTES``, comparisons, ``if``/``while``/``for``/``match``/``return``
    statements; and the functions (def node id, None for module level) whose code
    spells a stop-reason key at all."""

    subscripts: list[Frame] = field(default_factory=list)
    attributes: list[Frame] = field(default_factory=list)
    comparisons: list[Frame] = field(default_factory=list)
    branches: list[Frame] = field(default_factory=list)  # If and While
    loops: list[Frame] = field(default_factory=list)  # For
    matches: list[Frame] = field(default_factory=list)
    returns: list[Frame] = field(default_factory=list)
    stop_reason_mentions: set[int | None] = field(default_factory=set)


def _nested_in(inner: Scope | None, outer: Scope) -> bool:
    while inner is not None:
        if inner is outer:
            return True
        inner = inner.parent
    return False
