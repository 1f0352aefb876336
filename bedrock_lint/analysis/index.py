"""The semantic index of one module's Bedrock usage, built in one pass over the tree.

The walker visits every node once (iteratively, over dataclass fields: roughly ten
times cheaper than a ``CSTVisitor``) and records scopes, bindings, calls and the
syntactic context of each call (enclosing function, loops, ``try`` blocks).  After
the walk, calls are classified with the value resolver into Bedrock clients, botocore
``Config`` objects and Bedrock operation calls.  Rules only read this index.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import libcst as cst

from bedrock_lint.analysis import bedrock, model_objects
from bedrock_lint.analysis.entry_points import EntryPoint, ModelArgument
from bedrock_lint.analysis.scopes import Binding, FunctionInfo, Scope
from bedrock_lint.analysis.walk import dotted_name, iter_children
from bedrock_lint.analysis.values import (
    UNKNOWN,
    Literal,
    Resolver,
    Value,
    keyword_argument,
    positional_arguments,
)
from bedrock_lint.catalog.providers import model_provider
from bedrock_lint.catalog.api import operation_parameters


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


@dataclass(eq=False)
class ClientSite:
    """A Bedrock client construction: boto3/aioboto3/botocore ``bedrock-runtime``
    clients, and a call of a library entry point (AnthropicBedrock, the langchain-aws
    chat models, LiteLLM ``completion``, Strands ``BedrockModel`` …: ``entry``)."""

    call: cst.Call
    kind: str  # one of bedrock.CLIENT_KINDS
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
        return self.kind in bedrock.BOTOCORE_KINDS

    def read_timeout(self, index: "ModuleIndex") -> float | None:
        """The botocore read timeout this client ends up with when the code says so
        literally: the Config's ``read_timeout``, or botocore's 60 s when no Config (or a
        Config without it) is given.  None when it is not known (or not botocore)."""
        if not self.is_botocore_family:
            return None
        if self.config_state == "absent":
            return bedrock.BOTOCORE_READ_TIMEOUT
        config = self.config
        if self.config_state != "known" or config is None or config.has_splat or config.positional:
            return None
        argument = config.keyword("read_timeout")
        if argument is None:
            return bedrock.BOTOCORE_READ_TIMEOUT
        value = index.resolve(argument.value, config.scope)
        return float(value.value) if isinstance(value, Literal) and value.is_number else None  # type: ignore[arg-type]

    def region_arguments(self) -> Iterator[tuple[cst.Arg, Scope, str]]:
        """Every argument that sets this client's region, in precedence order, with its
        scope and where it is written: ``"client"``, ``"session"`` or ``"config"``."""
        keywords = self.entry.region_keywords if self.entry is not None else ("region_name",)
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
        with_model = [op for op in self.operations if op.operation.startswith("messages.") or "modelId" in operation_parameters(op.operation)]
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
    collection_elements: set[int] = field(default_factory=set)
    # Statements and expressions the response analysis reads (see SyntaxSites).
    sites: "SyntaxSites" = field(default_factory=lambda: SyntaxSites())
    # ``x[key] = value`` statements: (target, value, scope); BDR007 reads
    # ``os.environ["AWS_SECRET_ACCESS_KEY"] = "…"`` from them.
    subscript_assignments: list[tuple[cst.Subscript, cst.BaseExpression, Scope]] = field(default_factory=list)
    _model_ids: list | None = field(default=None, repr=False)
    _object_uses: dict[int, str] = field(default_factory=dict, repr=False)
    _requests: dict | None = field(default=None, repr=False)
    _responses: object | None = field(default=None, repr=False)

    def model_ids(self) -> list:
        """Every model identifier in the module and where it is sent, built on first use
        (``analysis.model_ids.ModelIdString``)."""
        if self._model_ids is None:
            from bedrock_lint.analysis.model_ids import collect_model_ids

            self._model_ids = collect_model_ids(self)
        return self._model_ids

    def object_use(self, client: ClientSite) -> str:
        """What the object a library entry point builds at ``client`` is used for:
        ``GENERATES``, ``COUNTS`` (tokens only) or ``NOTHING`` (``analysis.model_objects``);
        ``GENERATES`` for every other client."""
        use = self._object_uses.get(id(client))
        if use is None:
            use = self._object_uses[id(client)] = model_objects.object_use(self, client)
        return use

    def sends_generations(self, client: ClientSite) -> bool:
        return self.object_use(client) == model_objects.GENERATES

    def requests(self) -> list:
        """The request of every Bedrock call and langchain-aws model, built on first use
        (``analysis.requests.Request``)."""
        return list(self._requests_by_call().values())

    def request_for(self, call: cst.Call):
        return self._requests_by_call().get(id(call))

    def _requests_by_call(self) -> dict:
        if self._requests is None:
            from bedrock_lint.analysis.requests import build_requests

            self._requests = {id(request.call): request for request in build_requests(self)}
        return self._requests

    def responses(self):
        """Where the responses of the module's Bedrock calls go: text reads, stop-reason
        reads and branches, event-stream loops, built on first use
        (``analysis.responses.ResponseFlow``)."""
        if self._responses is None:
            from bedrock_lint.analysis.responses import ResponseFlow

            self._responses = ResponseFlow(self)
        return self._responses

    def name_mentions(self, name: str) -> int:
        return self.name_mention_counts.get(name, 0)

    def code_for(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    @property
    def newline(self) -> str:
        return self.module.default_newline

    def resolve(self, expr: cst.BaseExpression | None, scope: Scope) -> Value:
        return self.resolver.resolve(expr, scope)

    def imports_module(self, prefix: str) -> bool:
        return any(name == prefix or name.startswith(prefix + ".") for name in self.imported_modules)


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


# String methods whose arguments are patterns matched against a value.
STRING_TEST_METHODS = frozenset({
    "startswith", "endswith", "removeprefix", "removesuffix", "replace", "find", "rfind", "index", "rindex",
    "count", "split", "rsplit", "partition", "rpartition", "strip", "lstrip", "rstrip",
})
# Mapping methods whose first argument is a key.
KEY_LOOKUP_METHODS = frozenset({"get", "pop"})
# Methods that keep their argument in a collection.
COLLECTING_METHODS = frozenset({"append", "appendleft", "add", "insert", "setdefault", "put", "put_nowait"})


class _Walker:
    def __init__(self, module: cst.Module) -> None:
        self.module_scope = Scope("module", module, None)
        self.calls: list[CallSite] = []
        self.functions: list[FunctionInfo] = []
        self.imported_modules: set[str] = set()
        self.assignment_targets: dict[int, cst.BaseExpression] = {}
        self.subscript_assignments: list[tuple[cst.Subscript, cst.BaseExpression, Scope]] = []
        self.collected_values: set[int] = set()
        self.stored_names: set[tuple[int, str]] = set()
        # Strings that may hold a model id (see analysis.model_ids), and the ids of
        # strings whose value is never used as data: docstrings and other bare
        # expression statements, dict keys, comparison operands, subscripts, match cases.
        self.model_strings: list[tuple[cst.SimpleString | cst.FormattedString, Scope]] = []
        self.unused_strings: set[int] = set()
        # Uses of each name (as a name or an attribute); assignment targets are not uses.
        self.name_mentions: dict[str, int] = {}
        self._assigned_attributes: set[int] = set()
        # Strings that are elements of a list, tuple or set literal: capability tables
        # and pickers, judged as model ids only where they reach a model argument.
        self.collection_elements: set[int] = set()
        self.sites = SyntaxSites()
        # Docstrings and other bare string statements: text, not code that reads a key.
        self.docstrings: set[int] = set()
        self.stack: list[Frame] = [(module, self.module_scope, Context())]
        self.handlers: dict[type, Callable[[cst.CSTNode, Scope, Context], None]] = {
            cst.FunctionDef: self._function,
            cst.ClassDef: self._class,
            cst.Lambda: self._lambda,
            cst.Assign: self._assign,
            cst.AnnAssign: self._annotated_assign,
            cst.AugAssign: self._augmented_assign,
            cst.NamedExpr: self._named_expr,
            cst.Import: self._import,
            cst.ImportFrom: self._import_from,
            cst.For: self._for,
            cst.While: self._while,
            cst.With: self._with,
            cst.Try: self._try,
            cst.If: self._if,
            cst.Global: self._global,
            cst.Nonlocal: self._nonlocal,
            cst.Call: self._call,
            cst.Del: self._del,
            cst.ListComp: self._comprehension,
            cst.SetComp: self._comprehension,
            cst.GeneratorExp: self._comprehension,
            cst.DictComp: self._comprehension,
            cst.SimpleString: self._string,
            cst.FormattedString: self._string,
            cst.Expr: self._expression_statement,
            cst.Comparison: self._comparison,
            cst.Assert: self._assert,
            cst.DictElement: self._dict_element,
            cst.SubscriptElement: self._subscript_element,
            cst.MatchValue: self._match_value,
            cst.Name: self._name,
            cst.Subscript: self._subscript,
            cst.Attribute: self._attribute,
            cst.Match: self._match,
            cst.Return: self._return,
            cst.List: self._collection,
            cst.Tuple: self._collection,
            cst.Set: self._collection,
        }
        try_star = getattr(cst, "TryStar", None)
        if try_star is not None:
            self.handlers[try_star] = self._try

    def run(self) -> None:
        stack, handlers = self.stack, self.handlers
        while stack:
            node, scope, context = stack.pop()
            handler = handlers.get(type(node))
            if handler is not None:
                handler(node, scope, context)
            else:
                self._push_children(node, scope, context)

    # -------------------------------------------------------------- pushing
    def _push_children(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        children = list(iter_children(node))
        for child in reversed(children):
            self.stack.append((child, scope, context))

    def _push(self, nodes: object, scope: Scope, context: Context) -> None:
        if isinstance(nodes, cst.CSTNode):
            self.stack.append((nodes, scope, context))
        elif isinstance(nodes, (list, tuple)):
            for node in reversed(nodes):
                if isinstance(node, cst.CSTNode):
                    self.stack.append((node, scope, context))

    # ------------------------------------------------------------- bindings
    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression | None, scope: Scope, kind: str) -> None:
        if isinstance(target, cst.Name):
            scope.add(target.value, Binding(kind, value, value_scope=scope))  # type: ignore[arg-type]
            if scope.kind == "class":
                scope.attribute_bindings.setdefault(target.value, []).append(Binding(kind, value, value_scope=scope))  # type: ignore[arg-type]
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            function = scope.enclosing_function()
            if function is not None and function.owner_class is not None and target.value.value == function.self_name:
                function.owner_class.attribute_bindings.setdefault(target.attr.value, []).append(
                    Binding(kind, value, value_scope=scope)  # type: ignore[arg-type]
                )
        elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
            owner = scope.lookup_scope(target.value.value) or scope
            key = None
            if len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
                index_value = target.slice[0].slice.value
                if isinstance(index_value, cst.SimpleString):
                    evaluated = index_value.evaluated_value
                    key = evaluated if isinstance(evaluated, str) else None
            owner.dict_updates.setdefault(target.value.value, []).append(
                (key, value if kind == "assign" else None)
            )
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind(element.value, None, scope, "other")
        elif isinstance(target, cst.StarredElement):
            self._bind(target.value, None, scope, "other")

    # ------------------------------------------------------------- handlers
    def _function(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.FunctionDef)
        parameters = node.params
        all_params = [*parameters.posonly_params, *parameters.params, *parameters.kwonly_params]
        if isinstance(parameters.star_arg, cst.Param):
            all_params.append(parameters.star_arg)
        if parameters.star_kwarg is not None:
            all_params.append(parameters.star_kwarg)
        info = FunctionInfo(
            node=node,
            name=node.name.value,
            parameters=[p.name.value for p in [*parameters.posonly_params, *parameters.params]],
            decorators=list(node.decorators),
            is_async=node.asynchronous is not None,
            owner_class=scope if scope.kind == "class" else None,
        )
        function_scope = Scope("function", node, scope, function=info, name=node.name.value)
        info.scope = function_scope
        self.functions.append(info)
        scope.add(node.name.value, Binding("def", definition=node))
        for param in all_params:
            function_scope.add(param.name.value, Binding("param", param.default, value_scope=scope))
        body_context = Context(function=info, ancestors=context.ancestors + (node,))
        self._push(node.body, function_scope, body_context)
        self._push([p.default for p in all_params if p.default is not None], scope, dataclasses.replace(context, in_default=True))
        self._mark_decorators_unused(node.decorators)
        self._push([d.decorator for d in node.decorators], scope, context)

    def _lambda(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Lambda)
        lambda_scope = Scope("function", node, scope)
        parameters = node.params
        for param in [*parameters.posonly_params, *parameters.params, *parameters.kwonly_params]:
            lambda_scope.add(param.name.value, Binding("param", param.default, value_scope=scope))
        self._push(node.body, lambda_scope, context)

    def _class(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.ClassDef)
        class_scope = Scope("class", node, scope, name=node.name.value)
        self.module_scope.class_scopes[id(node)] = class_scope
        scope.add(node.name.value, Binding("class", definition=node))
        self._push(node.body, class_scope, context.enter(node))
        self._mark_decorators_unused(node.decorators)
        self._push([a.value for a in node.bases] + [d.decorator for d in node.decorators], scope, context)

    def _assign(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Assign)
        for target in node.targets:
            self._bind(target.target, node.value, scope, "assign")
            if isinstance(target.target, (cst.Attribute, cst.Subscript)) and isinstance(node.value, cst.Name):
                self._stored(node.value.value, scope)
        for target in node.targets:
            if isinstance(target.target, cst.Attribute):
                self._assigned_attributes.add(id(target.target.attr))
        if len(node.targets) == 1:
            self.assignment_targets[id(node.value)] = node.targets[0].target
        for target in node.targets:
            if isinstance(target.target, cst.Subscript):
                self.subscript_assignments.append((target.target, node.value, scope))
        self._push(node.value, scope, context)
        self._push([t.target for t in node.targets if not isinstance(t.target, cst.Name)], scope, context)

    def _annotated_assign(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.AnnAssign)
        if node.value is not None:
            self._bind(node.target, node.value, scope, "assign")
            self.assignment_targets[id(node.value)] = node.target
            self._push(node.value, scope, context)

    def _augmented_assign(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.AugAssign)
        self._bind(node.target, None, scope, "other")
        self._push([node.value, node.target], scope, context)

    def _named_expr(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.NamedExpr)
        target_scope = scope
        while target_scope.kind == "comprehension" and target_scope.parent is not None:
            target_scope = target_scope.parent
        self._bind(node.target, node.value, target_scope, "assign")
        self._push(node.value, scope, context)

    def _import(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Import)
        for alias in node.names:
            dotted = dotted_name(alias.name)
            if dotted is None:
                continue
            self.imported_modules.add(dotted)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                scope.add(alias.asname.name.value, Binding("import", qualified_name=dotted))
            else:
                top = dotted.split(".")[0]
                scope.add(top, Binding("import", qualified_name=top))

    def _import_from(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.ImportFrom)
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        module = dotted_name(node.module)
        if module is None:
            return
        self.imported_modules.add(module)
        for alias in node.names:
            name = dotted_name(alias.name)
            if name is None:
                continue
            bound = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else name
            scope.add(bound, Binding("import", qualified_name=f"{module}.{name}"))

    def _for(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.For)
        if isinstance(node.target, cst.Name):
            # The iterable, so that the items of an event stream can be followed.
            self._bind(node.target, node.iter, scope, "for")
        else:
            self._bind(node.target, None, scope, "other")
        self.sites.loops.append((node, scope, context))
        self._push(node.orelse, scope, context)
        self._push(node.body, scope, context.enter(node, loop=True))
        self._push(node.iter, scope, context)

    def _while(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.While)
        self.sites.branches.append((node, scope, context))
        self._push(node.orelse, scope, context)
        self._push(node.body, scope, context.enter(node, loop=True))
        self._push(node.test, scope, context)

    def _with(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.With)
        self._push(node.body, scope, context.enter(node))
        for item in reversed(node.items):
            if item.asname is not None:
                self._bind(item.asname.name, item.item, scope, "with")
            self._push(item.item, scope, context)

    def _try(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        inner = context.enter(node)
        self._push(node.finalbody, scope, context)  # type: ignore[attr-defined]
        self._push(node.orelse, scope, context)  # type: ignore[attr-defined]
        for handler in reversed(node.handlers):  # type: ignore[attr-defined]
            if handler.name is not None:
                self._bind(handler.name.name, None, scope, "other")
            self._push(handler.body, scope, inner.enter(handler))
            self._push(handler.type, scope, context)
        self._push(node.body, scope, inner)  # type: ignore[attr-defined]

    def _if(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.If)
        self.sites.branches.append((node, scope, context))
        inner = context.enter(node)
        self._push(node.orelse, scope, inner)
        self._push(node.body, scope, inner)
        self._push(node.test, scope, context)

    def _global(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Global)
        scope.global_names.update(item.name.value for item in node.names)

    def _nonlocal(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Nonlocal)
        scope.nonlocal_names.update(item.name.value for item in node.names)

    def _del(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Del)
        self._bind(node.target, None, scope, "other")

    def _call(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Call)
        self.calls.append(CallSite(node, scope, context))
        func = node.func
        # d.update(...) / d.setdefault(...): keys we cannot follow.
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.attr.value in ("update", "setdefault", "pop", "clear"):
            owner = scope.lookup_scope(func.value.value)
            if owner is not None:
                owner.dict_updates.setdefault(func.value.value, []).append((None, None))
        if isinstance(func, cst.Attribute) and func.attr.value in STRING_TEST_METHODS:
            for argument in node.args:  # model_id.startswith("anthropic.claude-3"): a pattern, not a value
                self._mark_unused(argument.value)
        if isinstance(func, cst.Attribute) and func.attr.value in KEY_LOOKUP_METHODS and node.args:
            self._mark_unused(node.args[0].value)  # PRICES.get("anthropic.claude-…"): a key, like d["…"]
        if isinstance(func, cst.Attribute) and func.attr.value in COLLECTING_METHODS:
            for argument in node.args:
                self.collected_values.add(id(argument.value))
                if isinstance(argument.value, cst.Name):
                    self._stored(argument.value.value, scope)
        self._push_children(node, scope, context)

    def _name(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Name)
        if id(node) not in self._assigned_attributes:
            self.name_mentions[node.value] = self.name_mentions.get(node.value, 0) + 1

    # ------------------------------------------------------------- strings
    def _string(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        if id(node) not in self.unused_strings and might_hold_model_id(node):
            self.model_strings.append((node, scope))  # type: ignore[arg-type]
        if (
            isinstance(node, cst.SimpleString)
            and ("stopReason" in node.value or "stop_reason" in node.value)
            and id(node) not in self.docstrings
        ):
            self._mentions_stop_reason(context)
        if isinstance(node, cst.FormattedString):
            self._push_children(node, scope, context)

    def _mark_unused(self, node: cst.CSTNode | None) -> None:
        if isinstance(node, (cst.SimpleString, cst.FormattedString)):
            self.unused_strings.add(id(node))
        elif isinstance(node, cst.ConcatenatedString):
            self._mark_unused(node.left)
            self._mark_unused(node.right)
        elif isinstance(node, (cst.Tuple, cst.List, cst.Set)):  # x in ("a", "b")
            for element in node.elements:
                self._mark_unused(element.value)

    def _expression_statement(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Expr)
        self._mark_unused(node.value)
        if isinstance(node.value, cst.SimpleString):
            self.docstrings.add(id(node.value))
        self._push_children(node, scope, context)

    def _comparison(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Comparison)
        self.sites.comparisons.append((node, scope, context))
        self._mark_unused(node.left)
        for target in node.comparisons:
            self._mark_unused(target.comparator)
        self._push_children(node, scope, context)

    def _assert(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        # What an assert checks is expected data (a lookup's input in a unit test), not
        # a value sent anywhere; a string reaching a model slot inside it is still judged.
        assert isinstance(node, cst.Assert)
        stack: list[cst.CSTNode] = [node.test] + ([node.msg] if node.msg is not None else [])
        while stack:
            current = stack.pop()
            if isinstance(current, (cst.SimpleString, cst.FormattedString)):
                self.unused_strings.add(id(current))
            stack.extend(iter_children(current))
        self._push_children(node, scope, context)

    def _mark_decorators_unused(self, decorators) -> None:
        # Decorator arguments are configuration and test data (pytest.mark.parametrize
        # tables of ids), not values sent anywhere.
        stack: list[cst.CSTNode] = [d.decorator for d in decorators]
        while stack:
            current = stack.pop()
            if isinstance(current, (cst.SimpleString, cst.FormattedString)):
                self.unused_strings.add(id(current))
            stack.extend(iter_children(current))

    def _dict_element(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.DictElement)
        self._mark_unused(node.key)
        self._push_children(node, scope, context)

    def _subscript_element(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.SubscriptElement)
        if isinstance(node.slice, cst.Index):
            self._mark_unused(node.slice.value)
        self._push_children(node, scope, context)

    def _match_value(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.MatchValue)
        self._mark_unused(node.value)
        self._push_children(node, scope, context)

    def _subscript(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Subscript)
        if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            self.sites.subscripts.append((node, scope, context))
        self._push_children(node, scope, context)

    def _attribute(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Attribute)
        if node.attr.value in RESPONSE_ATTRIBUTES:
            self.sites.attributes.append((node, scope, context))
            if node.attr.value in STOP_REASON_KEYS:
                self._mentions_stop_reason(context)
        self._push_children(node, scope, context)

    def _match(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        self.sites.matches.append((node, scope, context))
        self._push_children(node, scope, context)

    def _return(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Return)
        self.sites.returns.append((node, scope, context))
        self._push_children(node, scope, context)

    def _collection(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        for element in node.elements:  # type: ignore[attr-defined]
            self.collection_elements.add(id(element.value))
            if isinstance(element.value, cst.Call) and _describes_capabilities(element.value):
                # A row of a capability table (``(ModelCapabilities(model_id="…",
                # supports_thinking=True), …)``, bedrock-ops): its fields describe a model,
                # like the names of a table of names; judged only where sent.  A row of a
                # routing table (``BedrockRoute(region=…, model_id=…)``) is still judged.
                for argument in element.value.args:
                    self.collection_elements.add(id(argument.value))
        self._push_children(node, scope, context)

    def _mentions_stop_reason(self, context: Context) -> None:
        self.sites.stop_reason_mentions.add(id(context.function.node) if context.function is not None else None)

    def _stored(self, name: str, scope: Scope) -> None:
        owner = scope.lookup_scope(name) or scope
        self.stored_names.add((id(owner), name))

    def _comprehension(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        comprehension_scope = Scope("comprehension", node, scope)
        inner = context.enter(node, loop=True)
        clause = node.for_in  # type: ignore[attr-defined]
        first = True
        while clause is not None:
            self._bind(clause.target, None, comprehension_scope, "other")
            self._push(clause.iter, scope if first else comprehension_scope, context if first else inner)
            self._push(list(clause.ifs), comprehension_scope, inner)
            clause = clause.inner_for_in
            first = False
        if isinstance(node, cst.DictComp):
            self._push([node.key, node.value], comprehension_scope, inner)
        else:
            self._push(node.elt, comprehension_scope, inner)  # type: ignore[attr-defined]


# Keywords of a record that states what a model can do rather than how to call it.
_CAPABILITY_KEYWORD = re.compile(r"^(?:supports_\w+|max_(?:input|output)_tokens|context_window\w*|input_modalities|output_modalities)$")


def _describes_capabilities(call: cst.Call) -> bool:
    return any(a.keyword is not None and _CAPABILITY_KEYWORD.match(a.keyword.value) for a in call.args)


def might_hold_model_id(node: cst.CSTNode) -> bool:
    """A cheap test on a string's source: could it contain a Claude id or a Bedrock ARN?"""
    if isinstance(node, cst.SimpleString):
        return "claude" in node.value or "arn:aws" in node.value
    if isinstance(node, cst.FormattedString):
        return any(
            isinstance(part, cst.FormattedStringText) and ("claude" in part.value or "arn:aws" in part.value)
            for part in node.parts
        )
    return False


def build_index(module: cst.Module, text: str, filename: str = "<string>", path: Path | None = None) -> ModuleIndex:
    walker = _Walker(module)
    walker.run()
    resolver = Resolver(walker.module_scope)
    index = ModuleIndex(
        module=module,
        text=text,
        filename=filename,
        resolver=resolver,
        module_scope=walker.module_scope,
        calls=walker.calls,
        functions=walker.functions,
        clients=[],
        configs={},
        operations=[],
        imported_modules=frozenset(walker.imported_modules),
        request_handlers={},
        assignment_targets=walker.assignment_targets,
        collected_values=walker.collected_values,
        stored_names=walker.stored_names,
        model_strings=walker.model_strings,
        name_mention_counts=walker.name_mentions,
        collection_elements=walker.collection_elements,
        path=path,
        sites=walker.sites,
        subscript_assignments=walker.subscript_assignments,
    )
    bedrock.classify_calls(index)
    return index
