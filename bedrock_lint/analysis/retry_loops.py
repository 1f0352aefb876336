"""Hand-written retry loops around Bedrock calls: how they wait and when they stop.

A retry loop here is a ``for``/``while`` loop whose body has a ``try`` around a Bedrock
operation call, with an ``except`` that catches a throttling-capable error and lets
the loop go round again.  We describe how it sleeps (not at all, a constant, or a
growing/jittered delay) and whether anything bounds the number of attempts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

import libcst as cst

from bedrock_lint.analysis.bedrock import SLEEP_FUNCTIONS
from bedrock_lint.analysis.index import iter_children
from bedrock_lint.analysis.values import Literal, positional_arguments

if TYPE_CHECKING:
    from bedrock_lint.analysis.index import CallSite, ModuleIndex, OperationCall

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
    for operation in index.operations:
        located = _enclosing_try_and_loop(operation)
        if located is None:
            continue
        try_node, loop = located
        key = (id(loop), id(try_node))
        if key in found:
            continue
        handler = next((h for h in try_node.handlers if _catches_retryable(h, index, operation)), None)  # type: ignore[attr-defined]
        if handler is None or not _lets_loop_continue(handler):
            continue
        retry = RetryLoop(loop, try_node, handler, operation)
        retry.sleeps = [site for site in _sleeps_in(loop, operation, index)]
        for site in retry.sleeps:
            arguments = positional_arguments(site.call)
            delay = index.resolve(arguments[0].value, site.scope) if arguments else None
            if isinstance(delay, Literal) and delay.is_number:
                retry.constant_sleeps.append((site, float(delay.value)))  # type: ignore[arg-type]
        retry.capped = _is_capped(loop, index, operation)
        found[key] = retry
    return list(found.values())


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


def _catches_retryable(handler: cst.ExceptHandler, index: "ModuleIndex", operation: "OperationCall") -> bool:
    return any(name in RETRYABLE_EXCEPTIONS for name in _exception_names(handler.type))


def _lets_loop_continue(handler: cst.ExceptHandler) -> bool:
    """False when the handler always leaves the loop (its last statement raises,
    returns or breaks)."""
    body = handler.body.body
    if not body:
        return True
    last = body[-1]
    if isinstance(last, cst.SimpleStatementLine):
        return not any(isinstance(statement, (cst.Raise, cst.Return, cst.Break)) for statement in last.body)
    return True


def _sleeps_in(loop: cst.CSTNode, operation: "OperationCall", index: "ModuleIndex") -> Iterator["CallSite"]:
    for site in index.calls:
        if site.qualified_name in SLEEP_FUNCTIONS and site.context.function is operation.context.function:
            if any(ancestor is loop for ancestor in site.context.ancestors):
                yield site


def _is_capped(loop: cst.For | cst.While, index: "ModuleIndex", operation: "OperationCall") -> bool:
    if isinstance(loop, cst.For):
        iterator = loop.iter
        if isinstance(iterator, cst.Call):
            name = index.resolver.qualified_name(iterator.func, operation.scope)
            if name in UNBOUNDED_ITERATORS:
                return _has_conditional_exit(loop.body)
        return True
    test = index.resolve(loop.test, operation.scope)
    if isinstance(test, Literal) and bool(test.value):
        return _has_conditional_exit(loop.body)
    return True


def _has_conditional_exit(body: cst.CSTNode) -> bool:
    """A ``raise``/``break``/``return`` under an ``if`` somewhere in the loop body (not
    inside nested functions or loops): the loop gives up at some point."""
    stack: list[tuple[cst.CSTNode, bool]] = [(body, False)]
    while stack:
        node, under_if = stack.pop()
        if isinstance(node, (cst.Raise, cst.Return, cst.Break)) and under_if:
            return True
        if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef, cst.For, cst.While)):
            continue
        conditional = under_if or isinstance(node, (cst.If, cst.Else))
        for child in iter_children(node):
            stack.append((child, conditional))
    return False
