"""The last turn of a request's message list: who speaks last (BDR504).

A message list is understood when it is written at the request, or bound to a name
whose one binding is a list literal (or ``[*history, …]``, ``history + […]``: only the
last element matters), built further in the same scope only by ``.append(...)`` calls
that certainly run before the request (in its block or an enclosing one, earlier in
statement order).  Any other use of the name — another list method, ``+=``, a call
that receives it — may change the list in ways one module cannot tell, and the turn is
unknown: rules stay silent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from bedrock_lint.analysis.values import DictValue, Literal
from bedrock_lint.analysis.walk import iter_children

if TYPE_CHECKING:
    from bedrock_lint.analysis.scopes import Scope
    from bedrock_lint.analysis.sites import ModuleIndex

MAX_DEPTH = 8


@dataclass(frozen=True, eq=False)
class Turn:
    """A message of the list: its role literal and the expression that writes it."""

    role: str
    node: cst.BaseExpression
    scope: "Scope"


def last_turn(index: "ModuleIndex", expr: cst.BaseExpression, scope: "Scope", other_uses: int = 0) -> Turn | None:
    """The last message of the list ``expr`` evaluates to, when its role is a literal.
    ``other_uses``: mentions of the list's name known to be harmless (the same list given
    to other requests)."""
    found = _last_element(index, expr, scope, other_uses, 0)
    if found is None:
        return None
    element, element_scope = found
    message = index.resolve(element, element_scope)
    if not isinstance(message, DictValue) or "role" not in message.entries:
        return None
    entry = message.entries["role"]
    role = index.resolve(entry.value, entry.scope)
    if not isinstance(role, Literal) or not isinstance(role.value, str):
        return None
    return Turn(role.value, element, element_scope)


def _last_element(
    index: "ModuleIndex", expr: cst.BaseExpression, scope: "Scope", other_uses: int, depth: int
) -> tuple[cst.BaseExpression, "Scope"] | None:
    if depth > MAX_DEPTH:
        return None
    if isinstance(expr, cst.List):
        if not expr.elements or not isinstance(expr.elements[-1], cst.Element):
            return None
        return expr.elements[-1].value, scope
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
        return _last_element(index, expr.right, scope, 0, depth + 1)
    if not isinstance(expr, cst.Name):
        return None
    found = index.resolver.single_binding(expr.value, scope, expr)
    if found is None:
        return None
    binding, owner = found
    if binding.kind != "assign" or binding.value is None:
        return None
    appends = _appends(index, expr, scope, owner, other_uses)
    if appends is None:
        return None
    if appends:
        return appends[-1]
    return _last_element(index, binding.value, binding.value_scope or owner, 0, depth + 1)


def _appends(
    index: "ModuleIndex", use: cst.Name, scope: "Scope", owner: "Scope", other_uses: int
) -> list[tuple[cst.BaseExpression, "Scope"]] | None:
    """The arguments of ``name.append(x)`` calls that build the list before ``use``, in
    order; None when the name is used in any other way, or an append may not have run
    before the use (or may run after it and before a later iteration's use)."""
    name = use.value
    calls = []
    for site in index.calls:
        func = site.call.func
        if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == name):
            continue
        if site.scope.lookup_scope(name) is not owner:
            continue
        if func.attr.value != "append" or len(site.call.args) != 1 or site.call.args[0].keyword or site.call.args[0].star:
            return None
        calls.append(site)
    # Every mention of the name is the use, an append, or a use known to be harmless.
    if _mentions(index, name, owner) != 1 + len(calls) + other_uses:
        return None
    if not calls:
        return []
    if scope is not owner:
        return None
    uses = index.resolver.name_uses
    use_point = uses.get(id(use))
    if use_point is None:
        return None
    found = []
    for site in calls:
        point = uses.get(id(site.call.func.value))  # type: ignore[attr-defined]
        if point is None or site.scope is not owner:
            return None
        statement, blocks = point
        if statement >= use_point[0] or not _holds(blocks, use_point[1]):
            return None
        found.append((statement, site.call.args[0].value, site.scope))
    found.sort(key=lambda item: item[0])
    return [(value, scope) for _, value, scope in found]


def _mentions(index: "ModuleIndex", name: str, owner: "Scope") -> int:
    """References to ``name`` in the code of ``owner`` (nested functions included: a use
    there counts): every ``Name`` but attribute names, keyword names, parameters and
    the targets of plain assignments."""
    # Nested functions with their own binding of the name (a local list of the same
    # name) do not use this one.
    shadowing = {
        id(function.node) for function in index.functions
        if function.scope is not None and function.scope is not owner and name in function.scope.bindings
        and name not in function.scope.global_names | function.scope.nonlocal_names
    }
    count = 0
    stack: list[cst.CSTNode] = [owner.node]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name):
            count += node.value == name
            continue
        if isinstance(node, cst.Attribute):
            stack.append(node.value)
            continue
        if isinstance(node, cst.Arg):
            stack.append(node.value)
            continue
        if isinstance(node, cst.AssignTarget) and isinstance(node.target, cst.Name):
            continue
        if isinstance(node, cst.AnnAssign) and isinstance(node.target, cst.Name):
            stack.extend(child for child in (node.annotation, node.value) if child is not None)
            continue
        if isinstance(node, cst.Param):
            if node.default is not None:
                stack.append(node.default)
            continue
        if isinstance(node, cst.FunctionDef) and id(node) in shadowing:
            stack.extend(decorator.decorator for decorator in node.decorators)
            stack.extend(param.default for param in _params(node) if param.default is not None)
            continue
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            stack.extend(child for child in iter_children(node) if child is not node.name)
            continue
        stack.extend(iter_children(node))
    return count


def _params(node: cst.FunctionDef) -> list[cst.Param]:
    params = node.params
    return [*params.posonly_params, *params.params, *params.kwonly_params]


def _holds(outer: tuple[cst.CSTNode, ...], inner: tuple[cst.CSTNode, ...]) -> bool:
    return len(outer) <= len(inner) and all(a is b for a, b in zip(outer, inner))
