"""One level of indirection inside a module: a value a helper receives as a parameter
is judged at each of the module's own calls of the helper, with the argument it passes
(issue 20: ``get_bedrock_client(region="us-west-2")``, ``ask(prompt, max_tokens=100000)``).

Only plain functions are followed (``ModuleIndex.arguments_for``); a value that reaches
the use through a local assignment (``target_region = region`` in one branch) counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import libcst as cst

from bedrock_lint.analysis.values import Literal

if TYPE_CHECKING:
    from bedrock_lint.analysis.scopes import Scope
    from bedrock_lint.analysis.sites import CallSite, ModuleIndex

MAX_DEPTH = 3


def parameter_behind(index: "ModuleIndex", expr: cst.BaseExpression, scope: "Scope", depth: int = 0) -> tuple["Scope", str] | None:
    """The function parameter a name holds, directly or through one of the assignments
    that reach it: (its function's scope, its name), else None."""
    if not isinstance(expr, cst.Name) or depth > MAX_DEPTH:
        return None
    owner = scope.lookup_scope(expr.value)
    bindings = owner.bindings.get(expr.value) if owner is not None else None
    if not bindings or owner is None or owner.function is None:
        return None
    reaching = index.resolver.reaching_bindings(bindings, owner, scope, expr) or bindings
    for binding in reaching:
        if binding.kind == "param":
            return owner, expr.value
        if binding.kind == "assign" and isinstance(binding.value, cst.Name):
            found = parameter_behind(index, binding.value, binding.value_scope or owner, depth + 1)
            if found is not None:
                return found
    return None


def passed_literals(index: "ModuleIndex", expr: cst.BaseExpression, scope: "Scope") -> Iterator[tuple[Literal, cst.Arg, "CallSite"]]:
    """When ``expr`` holds a helper's parameter: each literal the module's calls of the
    helper pass for it, with the argument and the call (other arguments give none)."""
    parameter = parameter_behind(index, expr, scope)
    if parameter is None:
        return
    for argument, site in index.arguments_for(*parameter):
        value = index.resolve(argument.value, site.scope)
        if isinstance(value, Literal):
            yield value, argument, site
