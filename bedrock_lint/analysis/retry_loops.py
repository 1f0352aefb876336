"""Hand-written retry loops around Bedrock calls: how they wait and when they stop.

A retry loop here is a ``for``/``while`` loop whose body has a ``try`` around a Bedrock
operation call, with an ``except`` that catches a throttling-capable error and lets
the loop go round again.  We describe how it sleeps (not at all, a constant, or a
growing/jittered delay) and whether anything bounds the number of attempts.
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

import libcst as cst

from bedrock_lint.analysis.bedrock import SLEEP_FUNCTIONS
from bedrock_lint.analysis.walk import iter_children, names_in
from bedrock_lint.analysis.values import Literal, positional_arguments

if TYPE_CHECKING:
    from bedrock_lint.analysis.sites import CallSite, ModuleIndex, OperationCall

# Exception names (last dotted component) that throttling or transient Bedrock errors
# arrive as, through boto3, botocore or the Anthropic SDK.
RETRYABLE_EXCEPTIONS = frozenset(
    {
        "ClientError", "ThrottlingException", "ServiceUnavailableException", "ModelNotReadyException",
        "InternalServerException", "ModelTimeoutException", "EventStreamError", "BotoCoreError",
        "ReadTimeoutError", "RateLimitError", "APIStatusError", "APIError", "InternalServerError",
        "APIConnectionError", "APITimeoutError", "Exception", "BaseException",
    }
)
UNBOUNDED_ITERATORS = frozenset({"itertools.count", "itertools.repeat", "itertools.cycle"})


@dataclass(eq=False)
class RetryLoop:
    loop: cst.For | cst.While
    try_node: cst.CSTNode
    handler: cst.ExceptHandler
    operation: "OperationCall"
    sleeps: list["CallSite"] = field(default_factory=list)
    # Sleeps whose delay resolves to a constant number of seconds.
    constant_sleeps: list[tuple["CallSite", float]] = field(default_factory=list)
    capped: bool = True

    @property
    def sleeps_at_all(self) -> bool:
        return bool(self.sleeps)

    @property
    def only_constant_sleeps(self) -> bool:
        return bool(self.sleeps) and len(self.constant_sleeps) == len(self.sleeps)


def find_retry_loops(index: "ModuleIndex") -> list[RetryLoop]:
    found: dict[tuple[int, int], RetryLoop] = {}
    sleeping_helpers = _functions_that_sleep(index)
    for operation in index.operations:
        located = _enclosing_try_and_loop(operation)
        if located is None:
            continue
        try_node, loop = located
        key = (id(loop), id(try_node))
        if key in found or not _iterates_attempts(loop, index, operation):
            continue
        handler = next((h for h in try_node.handlers if _catches_retryable(h)), None)  # type: ignore[attr-defined]
        if handler is None or not _lets_loop_continue(handler):
            continue
        retry = RetryLoop(loop, try_node, handler, operation)
        for site in _calls_in_loop(loop, operation, index):
            if site.qualified_name in SLEEP_FUNCTIONS:
                retry.sleeps.append(site)
                delay = _delay_argument(site.call)
                value = index.resolve(delay, site.scope) if delay is not None else None
                if isinstance(value, Literal) and value.is_number:
                    retry.constant_sleeps.append((site, float(value.value)))  # type: ignore[arg-type]
            elif _called_function(site, index) in sleeping_helpers or _named_like_sleep(site.call):
                retry.sleeps.append(site)  # a backoff helper: its delay is not ours to judge
        retry.capped = _is_capped(loop, try_node, handler, index, operation)
        found[key] = retry
    return list(found.values())


_SLEEP_NAME = re.compile(r"sleep|backoff|back_off", re.IGNORECASE)


def _named_like_sleep(call: cst.Call) -> bool:
    """``self._sleep(self.cooldown)``, ``await self._backoff(attempt)``: a helper defined
    elsewhere (an injectable sleep) whose name says it waits."""
    func = call.func
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
    return bool(_SLEEP_NAME.search(name))


def _delay_argument(call: cst.Call) -> cst.BaseExpression | None:
    positional = positional_arguments(call)
    if positional:
        return positional[0].value
    for argument in call.args:
        if argument.keyword is not None and argument.keyword.value in ("delay", "seconds", "secs"):
            return argument.value
    return None


def _functions_that_sleep(index: "ModuleIndex") -> set[int]:
    """Def nodes (by id) of module functions that call a sleep function."""
    return {
        id(site.context.function.node)
        for site in index.calls
        if site.qualified_name in SLEEP_FUNCTIONS and site.context.function is not None
    }


def _called_function(site: "CallSite", index: "ModuleIndex") -> int | None:
    func = site.call.func
    if isinstance(func, cst.Name):
        binding = index.resolver.single_binding(func.value, site.scope, func)
        if binding is not None and binding[0].kind == "def" and binding[0].definition is not None:
            return id(binding[0].definition)
    return None


def _iterates_attempts(loop: cst.For | cst.While, index: "ModuleIndex", operation: "OperationCall") -> bool:
    """A ``for`` over data (documents, regions) that uses its loop variable is a batch
    or failover loop: an error moves on to the next item instead of retrying."""
    if not isinstance(loop, cst.For):
        return True
    targets = set(names_in(loop.target))
    if isinstance(loop.iter, cst.Call):
        name = index.resolver.qualified_name(loop.iter.func, operation.scope) or ""
        if name.startswith("itertools."):
            return True
        if name == "range":
            # for attempt in range(3): an attempt counter, unless the request is built
            # from it (for i in range(0, len(texts), n): batch = texts[i:i + n]).
            return not _builds_request_from(loop, targets, operation)
    return not any(name in targets for name in names_in(loop.body))


def _builds_request_from(loop: cst.For, names: set[str], operation: "OperationCall") -> bool:
    """The loop variable reaches the request: an assignment in the loop body (outside
    ``except`` handlers, where a backoff is computed) reads it, or the call itself does."""
    if names & set(names_in(operation.call)):
        return True
    stack: list[cst.CSTNode] = [loop.body]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.ExceptHandler):
            continue
        if isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign)) and node.value is not None:
            if names & set(names_in(node.value)):
                return True
        stack.extend(iter_children(node))
    return False


def _enclosing_try_and_loop(operation: "OperationCall") -> tuple[cst.CSTNode, cst.For | cst.While] | None:
    ancestors = operation.context.ancestors
    try_types = tuple(t for t in (cst.Try, getattr(cst, "TryStar", None)) if t is not None)
    for position in range(len(ancestors) - 1, -1, -1):
        node = ancestors[position]
        if isinstance(node, (cst.FunctionDef, cst.Lambda)):
            return None
        if isinstance(node, try_types):
            following = ancestors[position + 1] if position + 1 < len(ancestors) else None
            if isinstance(following, cst.ExceptHandler):
                continue  # the call is inside a handler, not guarded by this try
            for outer in range(position - 1, -1, -1):
                candidate = ancestors[outer]
                if isinstance(candidate, (cst.FunctionDef, cst.Lambda)):
                    return None
                if isinstance(candidate, (cst.For, cst.While)):
                    return node, candidate
            return None
    return None


def _exception_names(expression: cst.BaseExpression | None) -> Iterator[str]:
    if expression is None:
        yield "BaseException"
    elif isinstance(expression, cst.Name):
        yield expression.value
    elif isinstance(expression, cst.Attribute):
        yield expression.attr.value
    elif isinstance(expression, cst.Tuple):
        for element in expression.elements:
            yield from _exception_names(element.value)


def _catches_retryable(handler: cst.ExceptHandler) -> bool:
    return any(name in RETRYABLE_EXCEPTIONS for name in _exception_names(handler.type))


def _statements(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Nodes under ``node``, not descending into nested functions, classes or loops
    (their ``continue``/``break``/``return`` are not this loop's)."""
    stack = list(iter_children(node))
    while stack:
        current = stack.pop()
        yield current
        if not isinstance(current, (cst.FunctionDef, cst.Lambda, cst.ClassDef, cst.For, cst.While)):
            stack.extend(iter_children(current))


def _lets_loop_continue(handler: cst.ExceptHandler) -> bool:
    """Some path through the handler goes round the loop again: it has a ``continue``,
    or its last statement is not a ``raise``/``return``/``break``."""
    if any(isinstance(node, cst.Continue) for node in _statements(handler.body)):
        return True
    body = handler.body.body
    if not body:
        return True
    last = body[-1]
    if isinstance(last, cst.SimpleStatementLine):
        return not any(isinstance(statement, (cst.Raise, cst.Return, cst.Break)) for statement in last.body)
    return True


def _calls_in_loop(loop: cst.CSTNode, operation: "OperationCall", index: "ModuleIndex") -> Iterator["CallSite"]:
    for site in index.calls:
        if site.context.function is operation.context.function and any(a is loop for a in site.context.ancestors):
            yield site


def _is_capped(loop: cst.For | cst.While, try_node: cst.CSTNode, handler: cst.ExceptHandler, index: "ModuleIndex", operation: "OperationCall") -> bool:
    if isinstance(loop, cst.For):
        if isinstance(loop.iter, cst.Call):
            name = index.resolver.qualified_name(loop.iter.func, operation.scope)
            if name in UNBOUNDED_ITERATORS:
                return _has_attempt_limit(loop, try_node, handler)
        return True
    test = index.resolve(loop.test, operation.scope)
    if isinstance(test, Literal):
        return not bool(test.value) or _has_attempt_limit(loop, try_node, handler)
    if _is_counter_test(loop.test, loop):
        return True
    return _has_attempt_limit(loop, try_node, handler)


def _is_counter_test(test: cst.BaseExpression, loop: cst.While) -> bool:
    """``while attempt < 5`` or ``while retries:`` with ``retries -= 1`` in the loop."""
    for node in [test, *iter_children(test)]:
        if isinstance(node, cst.Comparison) and any(
            isinstance(c.operator, (cst.LessThan, cst.LessThanEqual, cst.GreaterThan, cst.GreaterThanEqual))
            for c in node.comparisons
        ):
            return True
    counted = {
        target.value
        for node in _statements(loop.body)
        if isinstance(node, cst.AugAssign) and isinstance((target := node.target), cst.Name)
    }
    return any(name in counted for name in names_in(test))


def _has_attempt_limit(loop: cst.For | cst.While, try_node: cst.CSTNode, handler: cst.ExceptHandler) -> bool:
    """A ``raise``/``break``/``return`` under an ``if`` in the loop, outside the guarded
    call's success path, whose test is not about the caught exception alone (``if code
    != "ThrottlingException": raise`` does not stop a persistent throttle)."""
    exception_name = handler.name.name.value if handler.name is not None and isinstance(handler.name.name, cst.Name) else None
    guarded = try_node.body  # type: ignore[attr-defined]
    stack: list[tuple[cst.CSTNode, bool]] = [(loop.body, False)]
    while stack:
        node, under_limit_if = stack.pop()
        if node is guarded:
            continue
        if isinstance(node, (cst.Raise, cst.Return, cst.Break)) and under_limit_if:
            return True
        if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef, cst.For, cst.While)):
            continue
        limit_if = under_limit_if
        if isinstance(node, cst.If):
            names = set(names_in(node.test))
            limit_if = under_limit_if or not (exception_name is not None and exception_name in names)
            stack.append((node.body, limit_if))
            if node.orelse is not None:
                stack.append((node.orelse, limit_if))
            continue
        for child in iter_children(node):
            stack.append((child, limit_if))
    return False
