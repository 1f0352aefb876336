"""Where the responses of a module's Claude calls go.

A response is followed as a *path* from the call: ``response["output"]["message"]``
is the path ``("output", "message")`` of that ``converse`` call,
``json.loads(response["body"].read())`` is ``("body", "read()", "json()")``, the items
of a ``for`` loop over a value add ``"[]"``.  Values are followed through names bound
once (the resolver's rule), ``with … as``, ``for`` targets, ``.get("key")``, calls of
module functions that return them, and parameters of module functions every caller
passes the same value to.  Each operation's :class:`ResponseShape` says which paths are
its text, its stop reason, the other API's stop-reason key, and its event stream.

Built lazily from the index (``responses_of(index)``) over the nodes the walk
recorded (``SyntaxSites``); nothing here walks the module again.  Only calls the Scope
section of rules.md lets the response rules judge are followed: the model resolves to
an Anthropic model, or is unknown and the request is Anthropic-shaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

import libcst as cst

from bedrock_lint.analysis.requests import request_for
from bedrock_lint.analysis.scope import is_in_scope
from bedrock_lint.analysis.values import (
    DictValue,
    ListValue,
    keyword_argument,
    positional_arguments,
)
from bedrock_lint.analysis.walk import iter_children
from bedrock_lint.catalog.stop_reasons import CONVERSE, MESSAGES

if TYPE_CHECKING:
    from bedrock_lint.analysis.sites import CallSite, Context, Frame, ModuleIndex, OperationCall
    from bedrock_lint.analysis.scopes import FunctionInfo, Scope

# How many expressions one value is followed through (names, calls, returns, parameters).
MAX_DEPTH = 60

ITEM = "[]"  # an element: an integer index, or an item of an iteration
READ = "read()"  # StreamingBody.read()
JSON = "json()"  # json.loads(...)

# Calls that look at a value without being able to act on its stop reason.
INERT_FUNCTIONS = frozenset({"print", "len", "str", "repr", "type", "isinstance", "id", "json.dumps", "pprint.pprint"})
LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})
# Exceptions that catch an error raised in the middle of a botocore event stream.
STREAM_ERROR_CATCHES = frozenset({"EventStreamError", "ClientError", "BotoCoreError", "Exception", "BaseException"})


@dataclass(frozen=True)
class ResponseShape:
    """Where one operation's response keeps things, as paths from the call."""

    api: str  # stop_reasons.CONVERSE or stop_reasons.MESSAGES
    stop_reason: tuple[str, ...]
    # The same place under the other API's key (``stop_reason`` in a Converse response).
    other_api_stop_reason: tuple[str, ...] | None
    # Prefix of the paths that read the answer's text (None: streams, not judged).
    text: tuple[str, ...] | None = None
    event_stream: tuple[str, ...] | None = None

    def carries_stop_reason(self, path: tuple[str, ...]) -> bool:
        """The value at ``path`` still holds the stop reason (the response, the body)."""
        return len(path) < len(self.stop_reason) and self.stop_reason[: len(path)] == path


_INVOKE_BODY = ("body", READ, JSON)
_INVOKE_CHUNK = ("body", ITEM, "chunk", "bytes", JSON)
SHAPES = {
    "converse": ResponseShape(CONVERSE, ("stopReason",), ("stop_reason",), text=("output", "message", "content")),
    "invoke_model": ResponseShape(
        MESSAGES, _INVOKE_BODY + ("stop_reason",), _INVOKE_BODY + ("stopReason",), text=_INVOKE_BODY + ("content",)
    ),
    "messages.create": ResponseShape(MESSAGES, ("stop_reason",), None, text=("content",)),
    "converse_stream": ResponseShape(
        CONVERSE,
        ("stream", ITEM, "messageStop", "stopReason"),
        ("stream", ITEM, "messageStop", "stop_reason"),
        event_stream=("stream",),
    ),
    "invoke_model_with_response_stream": ResponseShape(
        MESSAGES, _INVOKE_CHUNK + ("delta", "stop_reason"), _INVOKE_CHUNK + ("delta", "stopReason"), event_stream=("body",)
    ),
}


@dataclass(frozen=True, eq=False)
class ResponseValue:
    operation: "OperationCall"
    shape: ResponseShape
    path: tuple[str, ...]

    def extend(self, *steps: str) -> "ResponseValue":
        return ResponseValue(self.operation, self.shape, self.path + steps)

    @property
    def is_stop_reason(self) -> bool:
        return self.path == self.shape.stop_reason

    @property
    def is_text(self) -> bool:
        text = self.shape.text
        return text is not None and self.path[: len(text)] == text


@dataclass(eq=False)
class ResponseRead:
    """A place that reads part of a response."""

    node: cst.CSTNode
    value: ResponseValue
    scope: "Scope"
    context: "Context"

    @property
    def function_key(self) -> int | None:
        return _function_key(self.context)


@dataclass(eq=False)
class OtherApiKeyRead:
    """``response["stop_reason"]`` on a Converse response (or ``"stopReason"`` on an
    InvokeModel body): the key string, and the key the response really has."""

    read: ResponseRead
    key: cst.SimpleString
    correct_key: str


@dataclass(eq=False)
class ComparedValue:
    """A string the stop reason is compared with (or a ``case`` / dispatch key)."""

    value: str
    node: cst.CSTNode
    # Written in the test itself (a literal at the comparison or ``case``), not taken
    # from a constant or dispatch table another API's code may share.
    written_in_test: bool = False


@dataclass(eq=False)
class StopReasonBranching:
    """How one function branches on one call's stop reason."""

    operation: "OperationCall"
    shape: ResponseShape
    function_key: int | None
    first_node: cst.CSTNode | None = None
    # Values that have their own branch (``==``, ``in``, ``case``, dispatch keys).
    handled: set[str] = field(default_factory=set)
    # Some branch takes every other value and fails loudly: ``!=``/``not in`` tests, an
    # ``else``/``case _`` that raises or logs, a ``raise`` after the ``if`` chain, a
    # ``HANDLERS[reason]`` lookup (KeyError) or a ``.get`` with a default.
    generic: bool = False
    # The stop reason is also used in a way we do not follow (returned, passed on,
    # compared outside an ``if``/``while``/``match``): the rules stay silent.
    opaque: bool = False
    compared: list[ComparedValue] = field(default_factory=list)


@dataclass(eq=False)
class EventStreamLoop:
    """A ``for`` loop over a botocore event stream."""

    loop: cst.For
    operation: "OperationCall"
    handles_errors: bool


def _function_key(context: "Context") -> int | None:
    return id(context.function.node) if context.function is not None else None


def responses_of(index: "ModuleIndex") -> "ResponseFlow":
    """Where the responses of the module's Bedrock calls go, built once per index."""
    found = index.derived.get("responses")
    if found is None:
        found = index.derived["responses"] = ResponseFlow(index)
    return found


class ResponseFlow:
    """The response analysis of one module (see the module docstring)."""

    def __init__(self, index: "ModuleIndex") -> None:
        self.index = index
        self._operations = {
            id(op.call): op
            for op in index.operations
            if op.operation in SHAPES and not is_streaming_sdk_call(op) and _judged(index, op)
        }
        self._memo: dict[int, ResponseValue | None] = {}
        self._depth = 0
        self._calls_of_function: dict[int, list["CallSite"]] | None = None
        self._returns_of_function: dict[int, list["Frame"]] | None = None
        self._function_infos = {id(function.node): function for function in index.functions}
        self.text_reads: list[ResponseRead] = []
        self.stop_reason_reads: list[ResponseRead] = []
        self.other_api_key_reads: list[OtherApiKeyRead] = []
        # (function key, id(operation call)) where the response escapes the function.
        self.escapes: set[tuple[int | None, int]] = set()
        self.branchings: dict[tuple[int | None, int], StopReasonBranching] = {}
        self.event_stream_loops: list[EventStreamLoop] = []
        if self._operations:
            self._collect()

    def stop_reason_handling(self) -> Iterator[tuple[list[StopReasonBranching], set[str]]]:
        """For each call whose stop reason is branched on with known values, and whose
        response and stop reason go nowhere we cannot see: its branchings (one per
        function) and the values that have a path in any of them."""
        by_call: dict[int, list[StopReasonBranching]] = {}
        for branching in self.branchings.values():
            by_call.setdefault(id(branching.operation.call), []).append(branching)
        escaped = {call for _function, call in self.escapes}
        for call, branchings in by_call.items():
            if call in escaped or any(b.generic or b.opaque for b in branchings):
                continue
            handled = set().union(*(b.handled for b in branchings))
            yield [b for b in branchings if b.first_node is not None], handled

    # ------------------------------------------------------------------ values
    def value_of(self, expr: cst.BaseExpression | None, scope: "Scope") -> ResponseValue | None:
        """The response part ``expr`` holds, or None when it is not a followed response."""
        if expr is None:
            return None
        key = id(expr)
        if key in self._memo:
            return self._memo[key]
        if self._depth >= MAX_DEPTH:
            return None  # a chain too long to follow (not remembered: a shorter path may reach it)
        self._memo[key] = None  # a cycle resolves to nothing
        self._depth += 1
        try:
            result = self._value_of(expr, scope)
        finally:
            self._depth -= 1
        self._memo[key] = result
        return result

    def _value_of(self, expr: cst.BaseExpression, scope: "Scope") -> ResponseValue | None:
        if isinstance(expr, cst.Await):
            return self.value_of(expr.expression, scope)
        if isinstance(expr, cst.Call):
            return self._call_value(expr, scope)
        if isinstance(expr, cst.Subscript):
            base = self.value_of(expr.value, scope)
            if base is None or len(expr.slice) != 1 or not isinstance(expr.slice[0].slice, cst.Index):
                return None
            key = self.index.resolver.resolve_string(expr.slice[0].slice.value, scope)
            return base.extend(key if key is not None else ITEM)
        if isinstance(expr, cst.Attribute):
            base = self.value_of(expr.value, scope)
            return base.extend(expr.attr.value) if base is not None else None
        if isinstance(expr, cst.Name):
            return self._name_value(expr, scope)
        return None

    def _call_value(self, call: cst.Call, scope: "Scope") -> ResponseValue | None:
        operation = self._operations.get(id(call))
        if operation is not None:
            return ResponseValue(operation, SHAPES[operation.operation], ())
        func = call.func
        name = self.index.resolver.qualified_name(func, scope)
        positional = positional_arguments(call)
        first = positional[0].value if positional else None
        if name in ("json.loads", "json.load"):
            base = self.value_of(first, scope)
            if base is None:
                return None
            return base.extend(JSON) if name == "json.loads" else base.extend(READ, JSON)
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if method == "read" and not call.args:
                base = self.value_of(func.value, scope)
                return base.extend(READ) if base is not None else None
            if method == "decode":
                return self.value_of(func.value, scope)
            if method == "get" and first is not None:
                key = self.index.resolver.resolve_string(first, scope)
                base = self.value_of(func.value, scope) if key is not None else None
                return base.extend(key) if base is not None else None  # type: ignore[arg-type]
        function = self._callee(func, scope)
        return self._returned_value(function.node) if function is not None else None

    def _name_value(self, name: cst.Name, scope: "Scope") -> ResponseValue | None:
        found = self.index.resolver.single_binding(name.value, scope, name)
        if found is None:
            return self._rebound_value(name, scope)
        binding, owner = found
        value_scope = binding.value_scope or owner
        if binding.kind in ("assign", "with"):
            return self.value_of(binding.value, value_scope)
        if binding.kind == "for":
            base = self.value_of(binding.value, value_scope)
            return base.extend(ITEM) if base is not None else None
        if binding.kind == "param" and owner.function is not None:
            return self._parameter_value(owner.function, name.value)
        return None

    def _rebound_value(self, name: cst.Name, scope: "Scope") -> ResponseValue | None:
        """A name assigned several times, each time the same part of a response of the
        same kind (``response = client.converse(...)`` again in an agent loop): it stands
        for the first of those calls."""
        owner = scope.lookup_scope(name.value)
        bindings = owner.bindings.get(name.value, []) if owner is not None else []
        if len(bindings) < 2 or any(binding.kind != "assign" for binding in bindings):
            return None
        return _agreed([self.value_of(b.value, b.value_scope or owner) for b in bindings], same_call=False)  # type: ignore[misc]

    def _parameter_value(self, function: "FunctionInfo", parameter: str) -> ResponseValue | None:
        """What every caller in the module passes for ``parameter`` of a function."""
        positional_parameters = _positional_parameters(function)
        position = positional_parameters.index(parameter) if parameter in positional_parameters else None
        if parameter == function.self_name:
            return None
        values = []
        for site in self._calls_of(id(function.node)):
            argument = keyword_argument(site.call, parameter)
            if argument is None and position is not None:
                positional = positional_arguments(site.call)
                argument = positional[position] if position < len(positional) else None
            values.append(self.value_of(argument.value, site.scope) if argument is not None else None)
        return _agreed(values)

    def _returned_value(self, definition: cst.FunctionDef) -> ResponseValue | None:
        returns = self._returns_of(id(definition))
        return _agreed([self.value_of(node.value, scope) for node, scope, _context in returns])  # type: ignore[attr-defined]

    def _callee(self, func: cst.BaseExpression, scope: "Scope") -> "FunctionInfo | None":
        """The module function a call runs: a function by name, or a method of the
        caller's own class through ``self.method(...)``."""
        bindings = None
        if isinstance(func, cst.Name):
            owner = scope.lookup_scope(func.value)
            bindings = owner.bindings.get(func.value) if owner is not None else None
        elif isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            caller = scope.enclosing_function()
            if caller is not None and caller.owner_class is not None and func.value.value == caller.self_name:
                bindings = caller.owner_class.bindings.get(func.attr.value)
        if not bindings or len(bindings) != 1 or bindings[0].kind != "def":
            return None
        return self._function_infos.get(id(bindings[0].definition))

    def _calls_of(self, definition_id: int) -> list["CallSite"]:
        if self._calls_of_function is None:
            self._calls_of_function = {}
            for site in self.index.calls:
                function = self._callee(site.call.func, site.scope)
                if function is not None:
                    self._calls_of_function.setdefault(id(function.node), []).append(site)
        return self._calls_of_function.get(definition_id, [])

    def _returns_of(self, definition_id: int) -> list["Frame"]:
        if self._returns_of_function is None:
            self._returns_of_function = {}
            for frame in self.index.sites.returns:
                context = frame[2]
                if context.function is not None:
                    self._returns_of_function.setdefault(id(context.function.node), []).append(frame)
        return self._returns_of_function.get(definition_id, [])

    # -------------------------------------------------------------- collection
    def _collect(self) -> None:
        sites = self.index.sites
        get_calls = [
            (site.call, site.scope, site.context)
            for site in self.index.calls
            if isinstance(site.call.func, cst.Attribute) and site.call.func.attr.value == "get"
        ]
        for node, scope, context in [*sites.subscripts, *sites.attributes, *get_calls]:
            value = self.value_of(node, scope)  # type: ignore[arg-type]
            if value is None:
                continue
            read = ResponseRead(node, value, scope, context)
            if value.is_text:
                self.text_reads.append(read)
            elif value.is_stop_reason:
                self.stop_reason_reads.append(read)
            elif value.path == value.shape.other_api_stop_reason:
                key = _key_string(node)
                if key is not None:
                    self.other_api_key_reads.append(OtherApiKeyRead(read, key, value.shape.stop_reason[-1]))
        self._collect_escapes()
        self._collect_branchings()
        self._collect_event_stream_loops()

    def _collect_escapes(self) -> None:
        """Responses (or bodies) returned from a function no code here calls, or handed to a
        function we do not follow: whoever receives them may check the stop reason."""
        for node, scope, context in self.index.sites.returns:
            value = self.value_of(node.value, scope)  # type: ignore[attr-defined]
            # Returned to callers in this module, the value is followed there; to none, the
            # callers are elsewhere.
            called_here = context.function is not None and self._calls_of(id(context.function.node))
            if value is not None and value.shape.carries_stop_reason(value.path) and not called_here:
                self.escapes.add((_function_key(context), id(value.operation.call)))
            for stop in self._stop_reasons_within(node.value, scope):  # type: ignore[attr-defined]
                self._branching(stop.operation, stop.shape, _function_key(context)).opaque = True
        for site in self.index.calls:
            if self._is_inert(site):
                continue
            for argument in site.call.args:
                value = self.value_of(argument.value, site.scope)
                if value is None or self._followed_into(site, argument):
                    continue
                key = (_function_key(site.context), id(value.operation.call))
                if value.shape.carries_stop_reason(value.path):
                    self.escapes.add(key)
                elif value.is_stop_reason:
                    self._branching(value.operation, value.shape, key[0]).opaque = True

    def _followed_into(self, site: "CallSite", argument: cst.Arg) -> bool:
        """The argument goes to a parameter of a module function that this analysis follows
        (every caller passes the same response part), so what happens to it is seen."""
        function = self._callee(site.call.func, site.scope)
        if function is None:
            return False
        if argument.keyword is not None:
            parameter: str | None = argument.keyword.value
        else:
            parameters = _positional_parameters(function)
            position = next((i for i, a in enumerate(positional_arguments(site.call)) if a is argument), len(parameters))
            parameter = parameters[position] if position < len(parameters) else None
        return parameter is not None and self._parameter_value(function, parameter) is not None

    def _is_inert(self, site: "CallSite") -> bool:
        func = site.call.func
        if site.qualified_name in INERT_FUNCTIONS or site.qualified_name in ("json.loads", "json.load"):
            return True
        return isinstance(func, cst.Attribute) and func.attr.value in LOG_METHODS | {"get", "decode"}

    def _stop_reasons_within(self, node: cst.CSTNode | None, scope: "Scope") -> Iterator[ResponseValue]:
        stack = [node] if node is not None else []
        while stack:
            current = stack.pop()
            if isinstance(current, (cst.Name, cst.Subscript, cst.Attribute, cst.Call)):
                value = self.value_of(current, scope)
                if value is not None and value.is_stop_reason:
                    yield value
                    continue
            if not isinstance(current, (cst.Lambda, cst.FunctionDef)):
                stack.extend(iter_children(current))

    def _branching(self, operation: "OperationCall", shape: ResponseShape, function_key: int | None) -> StopReasonBranching:
        key = (function_key, id(operation.call))
        branching = self.branchings.get(key)
        if branching is None:
            branching = self.branchings[key] = StopReasonBranching(operation, shape, function_key)
        return branching

    # ---------------------------------------------------------------- branches
    def _collect_branchings(self) -> None:
        index = self.index
        tests: dict[int, tuple[cst.CSTNode, "Context", bool]] = {}
        for node, _scope, context in index.sites.branches:
            for comparison, negated in _conditions(node.test, False):  # type: ignore[attr-defined]
                tests[id(comparison)] = (node, context, negated)
        for node, scope, context in index.sites.comparisons:
            assert isinstance(node, cst.Comparison)
            found = self._compared_stop_reason(node, scope)
            if found is None:
                continue
            value, operator, compared = found
            branching = self._branching(value.operation, value.shape, _function_key(context))
            if compared is None:
                branching.opaque = True
                continue
            branching.compared.extend(compared)
            test = tests.get(id(node))
            if test is None:
                branching.opaque = True  # assert, return, assignment, conditional expression
                continue
            branch, branch_context, negated = test
            negative = isinstance(operator, (cst.NotEqual, cst.NotIn)) != negated
            if negative:
                branching.generic = True
            else:
                branching.handled.update(item.value for item in compared)
                branching.first_node = branching.first_node or node
            if isinstance(branch, cst.If) and _if_chain_fails_loudly(branch, branch_context):
                branching.generic = True
        for node, scope, context in index.sites.matches:
            assert isinstance(node, cst.Match)
            value = self.value_of(node.subject, scope)
            if value is not None and value.is_stop_reason:
                self._match_branching(node, value, context)
        self._collect_dispatch()

    def _compared_stop_reason(self, node: cst.Comparison, scope: "Scope"):
        """(stop-reason value, operator, compared strings or None when not all known)."""
        if len(node.comparisons) != 1:
            return None
        target = node.comparisons[0]
        operator = target.operator
        if isinstance(operator, (cst.Equal, cst.NotEqual)):
            for side, other in ((node.left, target.comparator), (target.comparator, node.left)):
                value = self.value_of(side, scope)
                if value is not None and value.is_stop_reason:
                    text = self.index.resolver.resolve_string(other, scope)
                    written = isinstance(other, (cst.SimpleString, cst.ConcatenatedString))
                    return value, operator, [ComparedValue(text, other, written)] if text is not None else None
            return None
        if isinstance(operator, (cst.In, cst.NotIn)):
            value = self.value_of(node.left, scope)
            if value is not None and value.is_stop_reason:
                compared = self._strings_of_collection(target.comparator, scope)
                if compared is not None and isinstance(target.comparator, (cst.Tuple, cst.List, cst.Set)):
                    for item in compared:
                        item.written_in_test = True
                return value, operator, compared
        return None

    def _strings_of_collection(self, expr: cst.BaseExpression, scope: "Scope") -> list[ComparedValue] | None:
        resolver = self.index.resolver
        if isinstance(expr, cst.Set):
            items = [(element.value, scope) for element in expr.elements if isinstance(element, cst.Element)]
            complete = len(items) == len(expr.elements)
        else:
            value = resolver.resolve(expr, scope)
            if isinstance(value, ListValue):
                items, complete = list(value.items), value.complete
            elif isinstance(value, DictValue):
                return [ComparedValue(k, e.key_node or e.value) for k, e in value.entries.items()] if value.complete else None
            elif isinstance(expr, cst.Name):
                found = resolver.single_binding(expr.value, scope, expr)
                if found is None or found[0].kind != "assign" or not isinstance(found[0].value, cst.Set):
                    return None
                return self._strings_of_collection(found[0].value, found[0].value_scope or found[1])
            else:
                return None
        strings = []
        for item, item_scope in items:
            text = resolver.resolve_string(item, item_scope)
            if text is None:
                return None
            strings.append(ComparedValue(text, item))
        return strings if complete else None

    def _match_branching(self, node: cst.Match, value: ResponseValue, context: "Context") -> None:
        branching = self._branching(value.operation, value.shape, _function_key(context))
        branching.first_node = branching.first_node or node
        for case in node.cases:
            compared = _case_strings(case.pattern)
            if compared is None:
                if _is_wildcard(case.pattern):
                    if case.guard is None and _fails_loudly(case.body):
                        branching.generic = True
                    continue
                branching.opaque = True
                continue
            branching.compared.extend(compared)
            if case.guard is None:
                branching.handled.update(item.value for item in compared)
        if any(_raises(statement) for statement in _statements_after(node, context)):
            branching.generic = True

    def _collect_dispatch(self) -> None:
        """``HANDLERS.get(reason)`` / ``HANDLERS[reason]`` on a dict of the stop reasons."""
        resolver = self.index.resolver
        for site in self.index.calls:
            func = site.call.func
            if not (isinstance(func, cst.Attribute) and func.attr.value == "get" and site.call.args):
                continue
            value = self.value_of(site.call.args[0].value, site.scope)
            if value is None or not value.is_stop_reason:
                continue
            branching = self._branching(value.operation, value.shape, _function_key(site.context))
            table = resolver.resolve(func.value, site.scope)
            if not isinstance(table, DictValue) or not table.complete:
                branching.opaque = True
                continue
            branching.compared.extend(ComparedValue(k, e.key_node or e.value) for k, e in table.entries.items())
            default = site.call.args[1].value if len(site.call.args) > 1 else None
            if default is not None and not (isinstance(default, cst.Name) and default.value == "None"):
                branching.generic = True
            else:
                branching.handled.update(table.entries)
                branching.first_node = branching.first_node or site.call
        for node, scope, context in self.index.sites.subscripts:
            assert isinstance(node, cst.Subscript)
            value = self.value_of(node.slice[0].slice.value, scope)  # type: ignore[attr-defined]
            if value is not None and value.is_stop_reason:
                # A missing key raises KeyError: every other value fails loudly.
                self._branching(value.operation, value.shape, _function_key(context)).generic = True

    # ----------------------------------------------------------------- streams
    def _collect_event_stream_loops(self) -> None:
        for node, scope, context in self.index.sites.loops:
            assert isinstance(node, cst.For)
            value = self.value_of(node.iter, scope)
            if value is None or value.path != value.shape.event_stream:
                continue
            handled = (
                _in_try_catching(context, STREAM_ERROR_CATCHES)
                or _names_stream_exceptions(node.body)
                or self._a_call_catches(context, generator=_yields(node.body))
            )
            self.event_stream_loops.append(EventStreamLoop(node, value.operation, handled))

    def _a_call_catches(self, context: "Context", *, generator: bool) -> bool:
        """Some call of the loop's function in this module sits in a ``try`` that catches
        stream errors.  A generator passes the errors to whoever iterates it: with no
        call in this module, that code is elsewhere and may handle them."""
        function = context.function
        if function is None:
            return False
        calls = self._calls_of(id(function.node))
        if generator and not calls:
            return True
        return any(_in_try_catching(site.context, STREAM_ERROR_CATCHES) for site in calls)


def _positional_parameters(function: "FunctionInfo") -> list[str]:
    """The parameters a call's positional arguments fill (a method's instance parameter
    is filled by the receiver)."""
    return function.parameters[1:] if function.self_name is not None else function.parameters


def _agreed(values: list[ResponseValue | None], *, same_call: bool = True) -> ResponseValue | None:
    """The value all of ``values`` stand for: the same path of the same call (or, without
    ``same_call``, of calls of the same kind); None when they differ or one is unknown."""
    if not values or values[0] is None:
        return None
    first = values[0]
    for value in values[1:]:
        if value is None or value.path != first.path:
            return None
        if value.operation is not first.operation if same_call else value.shape is not first.shape:
            return None
    return first


# --------------------------------------------------------------------------- scope
def _judged(index: "ModuleIndex", operation: "OperationCall") -> bool:
    """Scope (rules.md, ``analysis.scope``), less Text Completions bodies: their response
    has neither content blocks nor these stop reasons."""
    request = request_for(index, operation.call)
    if request is None:
        return False
    if request.api == "invoke" and "prompt" in request.fields and "messages" not in request.fields:
        return False
    return is_in_scope(request)


def is_streaming_sdk_call(operation: "OperationCall") -> bool:
    """``messages.create(stream=…)`` returns an SDK event stream, not a message."""
    if operation.operation != "messages.create":
        return False
    argument = keyword_argument(operation.call, "stream")
    return argument is not None and not (isinstance(argument.value, cst.Name) and argument.value.value == "False")


# ------------------------------------------------------------------ syntax helpers
def _key_string(node: cst.CSTNode) -> cst.SimpleString | None:
    """The literal key of ``x["key"]`` or ``x.get("key")``."""
    if isinstance(node, cst.Subscript):
        key = node.slice[0].slice.value  # type: ignore[attr-defined]
    elif isinstance(node, cst.Call) and node.args:
        key = node.args[0].value
    else:
        return None
    return key if isinstance(key, cst.SimpleString) else None


def _conditions(expr: cst.BaseExpression, negated: bool) -> Iterator[tuple[cst.Comparison, bool]]:
    """Comparisons a test is made of, through ``and``/``or``/``not``, with whether an
    odd number of ``not`` applies to each."""
    if isinstance(expr, cst.BooleanOperation):
        yield from _conditions(expr.left, negated)
        yield from _conditions(expr.right, negated)
    elif isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Not):
        yield from _conditions(expr.expression, not negated)
    elif isinstance(expr, cst.Comparison):
        yield expr, negated


def _case_strings(pattern: cst.MatchPattern) -> list[ComparedValue] | None:
    if isinstance(pattern, cst.MatchValue) and isinstance(pattern.value, cst.SimpleString):
        text = pattern.value.evaluated_value
        return [ComparedValue(text, pattern.value, written_in_test=True)] if isinstance(text, str) else None
    if isinstance(pattern, cst.MatchOr):
        found: list[ComparedValue] = []
        for element in pattern.patterns:
            strings = _case_strings(element.pattern)
            if strings is None:
                return None
            found.extend(strings)
        return found
    if isinstance(pattern, cst.MatchAs) and pattern.pattern is not None:
        return _case_strings(pattern.pattern)
    return None


def _is_wildcard(pattern: cst.MatchPattern) -> bool:
    return isinstance(pattern, cst.MatchAs) and pattern.pattern is None


def _if_chain_fails_loudly(branch: cst.If, context: "Context") -> bool:
    """The ``if``/``elif`` chain ends in an ``else`` that raises or logs, or a ``raise``
    follows the chain: values without their own branch do not pass silently."""
    ancestors = context.ancestors
    head = branch
    while ancestors and isinstance(ancestors[-1], cst.If) and ancestors[-1].orelse is head:
        head, ancestors = ancestors[-1], ancestors[:-1]
    current: cst.If = head
    while isinstance(current.orelse, cst.If):
        current = current.orelse
    if isinstance(current.orelse, cst.Else) and _fails_loudly(current.orelse.body):
        return True
    parent_context = type(context)(function=context.function, ancestors=ancestors)
    return any(_raises(statement) for statement in _statements_after(head, parent_context))


def _statements_after(statement: cst.CSTNode, context: "Context") -> list[cst.CSTNode]:
    """The statements following ``statement`` in its block."""
    stack: list[cst.CSTNode] = [context.ancestors[-1]] if context.ancestors else []
    while stack:
        current = stack.pop()
        body = getattr(current, "body", None)
        if isinstance(body, (list, tuple)):
            for position, item in enumerate(body):
                if item is statement:
                    return list(body[position + 1:])
        stack.extend(child for child in iter_children(current) if not isinstance(child, cst.BaseExpression))
    return []


def _fails_loudly(node: cst.CSTNode) -> bool:
    """Raises, or logs/warns (the lead's "else that raises or logs")."""
    return _raises(node) or any(
        isinstance(n, cst.Call) and isinstance(n.func, (cst.Attribute, cst.Name)) and _called_name(n.func) in LOG_METHODS
        for n in _descendants(node)
    )


def _raises(node: cst.CSTNode) -> bool:
    return any(isinstance(n, cst.Raise) for n in _descendants(node))


def _called_name(func: cst.BaseExpression) -> str:
    return func.attr.value if isinstance(func, cst.Attribute) else func.value  # type: ignore[attr-defined]


def _descendants(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if not isinstance(current, (cst.FunctionDef, cst.Lambda, cst.ClassDef)) or current is node:
            stack.extend(iter_children(current))


def _in_try_catching(context: "Context", names: frozenset[str]) -> bool:
    """The node is in the body of a ``try`` (not a handler) with an ``except`` for one of
    ``names`` (last dotted part) or a bare ``except:``."""
    ancestors = context.ancestors
    # A try outside the enclosing function does not run around the function's body.
    start = max((i for i, a in enumerate(ancestors) if isinstance(a, (cst.FunctionDef, cst.Lambda))), default=-1) + 1
    for position, ancestor in enumerate(ancestors[start:], start):
        if not isinstance(ancestor, (cst.Try, getattr(cst, "TryStar", cst.Try))):
            continue
        following = ancestors[position + 1] if position + 1 < len(ancestors) else None
        if isinstance(following, (cst.ExceptHandler, getattr(cst, "ExceptStarHandler", cst.ExceptHandler))):
            continue
        for handler in ancestor.handlers:
            if handler.type is None or _exception_names(handler.type) & names:
                return True
    return False


def _exception_names(expr: cst.BaseExpression) -> set[str]:
    if isinstance(expr, cst.Tuple):
        return {name for element in expr.elements for name in _exception_names(element.value)}
    if isinstance(expr, cst.Attribute):
        return {expr.attr.value}
    if isinstance(expr, cst.Name):
        return {expr.value}
    return set()


def _yields(body: cst.CSTNode) -> bool:
    return any(isinstance(n, cst.Yield) for n in _descendants(body))


def _names_stream_exceptions(body: cst.CSTNode) -> bool:
    """The loop looks for exception events (``"throttlingException" in event``)."""
    return any(
        isinstance(n, cst.SimpleString) and n.value.strip("'\"").endswith("Exception") for n in _descendants(body)
    )
