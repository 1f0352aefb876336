"""The models a request may be sent to (rules.md, BDR5xx): the one literal its model
resolves to, or — where the model comes from a variable with several possible values —
each literal value that can reach the call.

Several values are followed through: a name bound in more than one place (branches of
an ``if``), a conditional expression, a ``for`` loop over a list or tuple of ids, a
lookup in a routing table (``MODELS[kind]`` with an unknown key: every value of the dict
literal), and a function parameter (its default and the arguments the module's own calls
of the function pass).  Values that cannot be resolved are left out; a request none of
whose values is known has no model choices, and rules stay silent on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

import libcst as cst

from bedrock_lint.analysis.bedrock import model_argument
from bedrock_lint.analysis.scope import model_text
from bedrock_lint.analysis.values import DictValue, EnvironmentValue, ListValue, Literal
from bedrock_lint.catalog.providers import arn_model_id, non_claude_arn_placeholder

if TYPE_CHECKING:
    from bedrock_lint.analysis.requests import Request
    from bedrock_lint.analysis.scopes import Binding, Scope
    from bedrock_lint.analysis.sites import ModuleIndex

MAX_DEPTH = 8


@dataclass(frozen=True)
class ModelChoice:
    """One model id a request may be sent to: as written (library prefix stripped), the
    id the catalog judges (an ARN's model part), and the string literals that write it
    (a model-id fix there moves this request)."""

    text: str
    model_id: str
    literals: tuple[cst.CSTNode, ...] = field(default=(), compare=False)


def model_choices(index: "ModuleIndex", request: "Request", *, every_binding: bool = False) -> tuple[list[ModelChoice], bool]:
    """The distinct model ids the request may be sent to, and whether they come from a
    variable with several possible values (messages then name the one that fails).

    Where the flow cannot tell which of a name's bindings reaches the call (a function
    reading a global that notebook cells rebind), the name gives no choice, unless
    ``every_binding``: then each of its bindings is one, and the request has no choices
    at all when one of them cannot be resolved (for "may this reach Claude?").
    Worked out once per request and kept on the index (the BDR5xx rules each ask)."""
    choices, several = index.remembered(
        "model_choices", request, lambda: _model_choices(index, request, every_binding), every_binding
    )
    return list(choices), several


def _model_choices(index: "ModuleIndex", request: "Request", every_binding: bool) -> tuple[list[ModelChoice], bool]:
    found = _model_expression(index, request)
    if found is None:
        text = model_text(request.model)
        return ([_choice(text, [])] if text is not None else []), False
    texts: dict[str, list[cst.CSTNode]] = {}
    for value in _literal_texts(index, found[0], found[1], 0, every_binding):
        if value is None:
            return [], False  # a binding that may reach the call has an unknown value
        text, node = value
        texts.setdefault(text, [])
        if node is not None and not any(node is n for n in texts[text]):
            texts[text].append(node)
    return [_choice(t, nodes) for t, nodes in texts.items()], len(texts) > 1


def _choice(text: str, literals: list[cst.CSTNode]) -> ModelChoice:
    return ModelChoice(text, arn_model_id(text) or text, tuple(literals))


def _literal_node(value) -> cst.CSTNode | None:
    """The string literal a resolved model value was written as (an environment
    variable's default too)."""
    if isinstance(value, EnvironmentValue):
        return _literal_node(value.fallback)
    return value.node if isinstance(value, Literal) else None


def _model_expression(index: "ModuleIndex", request: "Request") -> tuple[cst.BaseExpression, "Scope"] | None:
    operation = request.operation
    if operation is not None:
        keyword = "modelId" if "." not in operation.operation else (
            request.client.entry.method_model_keyword if request.client and request.client.entry else None
        )
        if keyword is None:
            return None
        entry = index.resolver.keyword_entry(operation.call, keyword, operation.scope)
        return (entry.value, entry.scope) if entry is not None else None
    client = request.client
    argument_spelling = getattr(client, "model_argument", None) if client is not None else None
    if client is None or argument_spelling is None:
        return None
    argument = model_argument(client.call, argument_spelling)
    return (argument.value, client.scope) if argument is not None else None


def _literal_texts(index: "ModuleIndex", expr: cst.BaseExpression, scope: "Scope", depth: int, every: bool) -> Iterator[tuple[str, cst.CSTNode | None] | None]:
    """The literal ids ``expr`` may hold, each with the literal that writes it; None
    stands for a binding of unknown value (only where ``every`` binding of a name is taken)."""
    if depth > MAX_DEPTH:
        return
    if isinstance(expr, cst.Name) and _is_parameter(index, expr, scope):
        yield from _name_texts(index, expr, scope, depth, every)
        return
    value = index.resolve(expr, scope)
    text = model_text(value)
    if text is not None:
        yield text, _literal_node(value)
        return
    if isinstance(expr, cst.IfExp):
        yield from _literal_texts(index, expr.body, scope, depth + 1, every)
        yield from _literal_texts(index, expr.orelse, scope, depth + 1, every)
    elif isinstance(expr, cst.Subscript):
        arn = _control_plane_arn(expr)
        if arn is not None:
            yield arn, None  # response["importedModelArn"]: an imported model's ARN (facts §2.7)
            return
        container = index.resolve(expr.value, scope)
        if isinstance(container, DictValue):
            for entry in container.entries.values():
                yield from _literal_texts(index, entry.value, entry.scope, depth + 1, every)
        elif isinstance(container, ListValue):
            for item, item_scope in container.items:
                yield from _literal_texts(index, item, item_scope, depth + 1, every)
    elif isinstance(expr, cst.Name):
        yield from _name_texts(index, expr, scope, depth, every)


def _control_plane_arn(expr: cst.Subscript) -> str | None:
    """``job["importedModelArn"]``: a field of a ``bedrock`` control-plane response that
    holds an ARN of a kind that never names Claude, written with placeholders."""
    if len(expr.slice) != 1 or not isinstance(expr.slice[0].slice, cst.Index):
        return None
    key = expr.slice[0].slice.value
    if not isinstance(key, cst.SimpleString):
        return None
    return non_claude_arn_placeholder(key.evaluated_value) if isinstance(key.evaluated_value, str) else None


def _is_parameter(index: "ModuleIndex", name: cst.Name, scope: "Scope") -> bool:
    """A function parameter: its default is only one of the values that reach it."""
    found = index.resolver.single_binding(name.value, scope, name)
    return found is not None and found[0].kind == "param"


def _name_texts(index: "ModuleIndex", name: cst.Name, scope: "Scope", depth: int, every: bool) -> Iterator[tuple[str, cst.CSTNode | None] | None]:
    owner = scope.lookup_scope(name.value)
    if owner is None:
        return
    bindings = owner.bindings.get(name.value) or []
    reaching = index.resolver.reaching_bindings(bindings, owner, scope, name)
    if reaching is None and every and len(bindings) > 1:
        for binding in bindings:
            texts = list(_name_binding_texts(index, binding, owner, name, depth, every))
            yield from texts if texts else [None]
        return
    if reaching is None:
        reaching = bindings if len(bindings) == 1 else []
    for binding in reaching:
        yield from _name_binding_texts(index, binding, owner, name, depth, every)


def _name_binding_texts(index: "ModuleIndex", binding: "Binding", owner: "Scope", name: cst.Name, depth: int, every: bool) -> Iterator[tuple[str, cst.CSTNode | None] | None]:
    value_scope = binding.value_scope or owner
    if binding.kind == "assign" and binding.value is not None:
        yield from _literal_texts(index, binding.value, value_scope, depth + 1, every)
    elif binding.kind == "for" and binding.value is not None:
        iterable = index.resolve(binding.value, value_scope)
        if isinstance(iterable, ListValue):
            for item, item_scope in iterable.items:
                yield from _literal_texts(index, item, item_scope, depth + 1, every)
    elif binding.kind == "param":
        if binding.value is not None:
            yield from _literal_texts(index, binding.value, value_scope, depth + 1, every)
        yield from _argument_texts(index, owner, name.value, depth, every)


def _argument_texts(index: "ModuleIndex", function_scope: "Scope", parameter: str, depth: int, every: bool) -> Iterator[tuple[str, cst.CSTNode | None] | None]:
    """The values the module's own calls pass to a plain function's parameter."""
    for argument, site in index.arguments_for(function_scope, parameter):
        yield from _literal_texts(index, argument.value, site.scope, depth + 1, every)
