"""Value resolution: what an expression evaluates to, as far as one module can tell.

This is the only module that follows values through the code.  It understands
literals, names (module constants, locals, parameter defaults: the binding that reaches
the use in statement order, so a name rebound from cell to cell or line to line has the
value it has there; see ``Resolver.reaching_bindings``), names imported from other
modules of the run (``project``: constants, environment values, clients, calls of
factories and attributes of settings classes, prompt files; the value's node is then
where this module uses the name, and its ``origin`` where it is defined),
``self.attr`` set once in a class, ``os.environ.get("X", "fallback")`` / ``os.getenv``,
f-strings (partially known), string concatenation, dict literals and ``dict(...)``,
literal-key updates (``d["k"] = v``), lists, and ``json.dumps(d)``.  Anything else is
:data:`UNKNOWN`, and rules stay silent on unknown values: precision beats recall.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Union

import libcst as cst

from bedrock_lint.analysis.project import CALL, ConfigObject, Constant, Environment, Found, PlainDict, PlainList, RuntimeClient
from bedrock_lint.analysis.scopes import Binding, Scope

# A name no module binds: synthetic nodes for values the project index does not know.
UNRESOLVED_NAME = "__bedrock_lint_unknown__"

# How many names/attributes resolution follows before giving up (cycles, deep chains).
MAX_DEPTH = 25


class _Unknown:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN = _Unknown()


@dataclass(frozen=True, eq=False)
class Literal:
    """A known constant: str, int, float, bool, None or bytes."""

    value: object
    node: cst.CSTNode = field(repr=False)
    # (path, line) of the module that defines an imported value (``project``); the node
    # is then where this module uses it.  Fixes never edit an imported value here.
    origin: tuple[str, int] | None = None

    @property
    def is_number(self) -> bool:
        return isinstance(self.value, (int, float)) and not isinstance(self.value, bool)


@dataclass(frozen=True, eq=False)
class EnvironmentValue:
    """``os.environ.get("VAR", fallback)`` and friends: provided at run time."""

    variable: str | None
    fallback: "Value"
    node: cst.CSTNode = field(repr=False)
    origin: tuple[str, int] | None = None


@dataclass(frozen=True, eq=False)
class PartialString:
    """An f-string or concatenation with some unknown parts (None stands for a hole)."""

    parts: tuple[str | None, ...]
    node: cst.CSTNode = field(repr=False)

    @property
    def known_text(self) -> str:
        return "".join(p for p in self.parts if p is not None)


@dataclass(frozen=True, eq=False)
class DictEntry:
    key: str
    value: cst.BaseExpression = field(repr=False)
    scope: Scope = field(repr=False)
    key_node: cst.CSTNode | None = field(repr=False)


@dataclass(frozen=True, eq=False)
class DictValue:
    """A dict whose string keys are known; ``complete`` is False when ``**splat`` or
    untraceable updates may add keys we cannot see."""

    entries: dict[str, DictEntry]
    complete: bool
    node: cst.CSTNode = field(repr=False)
    # The dict literal when the dict is written as ``{...}`` (fixes edit it).
    literal: cst.Dict | None = field(default=None, repr=False)
    origin: tuple[str, int] | None = None


@dataclass(frozen=True, eq=False)
class ListValue:
    items: tuple[tuple[cst.BaseExpression, Scope], ...] = field(repr=False)
    complete: bool
    node: cst.CSTNode = field(repr=False)
    origin: tuple[str, int] | None = None


@dataclass(frozen=True, eq=False)
class JsonText:
    """``json.dumps(payload)``: a JSON string whose content is ``payload``."""

    payload: "Value"
    node: cst.CSTNode = field(repr=False)


@dataclass(frozen=True, eq=False)
class CallResult:
    """The result of a call we do not evaluate; rules ask what was called."""

    call: cst.Call = field(repr=False)
    qualified_name: str | None
    scope: Scope = field(repr=False)


Value = Union[Literal, EnvironmentValue, PartialString, DictValue, ListValue, JsonText, CallResult, _Unknown]

ENVIRONMENT_GETTERS = {"os.environ.get", "os.getenv", "os.environ.setdefault"}

# Numeric operators folded when both sides are known numbers (``2 * 60``).
_ARITHMETIC = {
    cst.Multiply: lambda a, b: a * b,
    cst.Subtract: lambda a, b: a - b,
    cst.Divide: lambda a, b: a / b,
    cst.FloorDivide: lambda a, b: a // b,
}


# A string literal ``ast.literal_eval`` rejects (odd prefixes): its value is unknown.
_UNREADABLE = object()


@dataclass
class Resolver:
    """Resolves expressions against the scopes built by the index walker."""

    module_scope: Scope
    # Where each name is used: name node id -> (statement number, blocks), and the ids
    # of loop bodies (index walker).  Without them a name bound twice is unknown.
    name_uses: dict[int, tuple[int, tuple[cst.CSTNode, ...]]] = field(default_factory=dict)
    loop_bodies: frozenset[int] = frozenset()
    # Blocks of if/elif/else chains: block id -> the chain (only one of them runs).
    branches: dict[int, int] = field(default_factory=dict)
    # Memo for qualified names of expressions (by node identity).
    _qualified: dict[int, str | None] = field(default_factory=dict)
    # The project around this module (``analysis.project.ModuleView``): names imported
    # from other modules of the run resolve through it.  None: the module alone.
    project: object | None = None
    # Nodes that stand for imported values: node id -> (the node, the node of this
    # module a finding about it is shown at, origin).  The use of an imported name
    # itself, and the nodes built for the items of an imported dict or list; a fix that
    # edits one of them is not offered (the value is fixed where it is defined).
    imported: dict[int, tuple[cst.CSTNode, cst.CSTNode, tuple[str, int]]] = field(default_factory=dict)
    # The value of each string literal resolved so far (``evaluated_value`` runs
    # ``ast.literal_eval``, and the rules resolve the same strings many times): node id
    # -> (the node, kept so that its id is not reused, the value or _UNREADABLE).
    _strings: dict[int, tuple[cst.SimpleString, object]] = field(default_factory=dict)

    # ----------------------------------------------------------------- names
    def single_binding(self, name: str, scope: Scope, use: cst.Name | None = None) -> tuple[Binding, Scope] | None:
        """The one binding of ``name`` seen from ``scope``: its only binding, or the only
        one that reaches ``use``; None if unbound or ambiguous there."""
        found = self._bindings_at(name, scope, use)
        if found is None or len(found[0]) != 1:
            return None
        return found[0][0], found[1]

    def _bindings_at(self, name: str, scope: Scope, use: cst.Name | None) -> tuple[list[Binding], Scope] | None:
        """The bindings of ``name`` that can give ``use`` its value (its only binding, or
        ``reaching_bindings``) and the scope that owns them; None if unbound or unknown."""
        owner = scope.lookup_scope(name)
        if owner is None:
            return None
        bindings = owner.bindings.get(name) or []
        if len(bindings) == 1:
            return bindings, owner
        reaching = self.reaching_bindings(bindings, owner, scope, use)
        return (reaching, owner) if reaching else None

    def reaching_bindings(self, bindings: list[Binding], owner: Scope, scope: Scope, use: cst.Name | None) -> list[Binding] | None:
        """The bindings of a name (in ``owner``) that can give ``use`` its value, in
        statement order: the last binding before the use that certainly ran (its blocks
        hold the use), every later one before the use that may have run (inside a branch,
        a loop or a ``try`` the use is not in), and those later in a loop that holds the
        use (the next iteration sees them).  None when the flow cannot tell: the use is
        in a function the owner's code calls at a time we do not know, or no binding
        binding may have run before it."""
        point = self.name_uses.get(id(use)) if use is not None else None
        if point is None:
            return None
        inner = scope
        while inner is not owner:  # only class bodies and comprehensions run in place
            if inner.kind not in ("class", "comprehension") or inner.parent is None:
                return None
            inner = inner.parent
        statement, blocks = point
        reaching: list[Binding] = []
        for binding in reversed(bindings):
            if binding.statement >= statement or self._exclusive(binding.blocks, blocks):
                continue
            reaching.append(binding)
            if _holds(binding.blocks, blocks):
                break
        # With no binding certain to have run, the value still comes from one that may
        # have (code that runs does not read an unbound name).
        if not reaching:
            return None
        loops = [block for block in blocks if id(block) in self.loop_bodies]
        if loops:
            reaching.extend(
                b for b in bindings if b.statement > statement and any(block in b.blocks for block in loops)
            )
        reaching.reverse()
        return reaching

    def qualified_name(self, expr: cst.BaseExpression, scope: Scope, depth: int = 0) -> str | None:
        """Dotted name an expression refers to through imports: ``b.client`` -> ``boto3.client``
        after ``import boto3 as b``.  Builtins resolve to their own name."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(expr, cst.Name):
            owner = scope.lookup_scope(expr.value)
            if owner is None:
                return expr.value  # a builtin or an unknown global
            bindings = owner.bindings[expr.value]
            if len(bindings) == 1 and bindings[0].kind == "import":
                return bindings[0].qualified_name
            if all(b.kind == "import" for b in bindings):
                names = {b.qualified_name for b in bindings}
                if len(names) == 1:  # the same import repeated (try/except ImportError)
                    return names.pop()
            if len(bindings) == 1 and bindings[0].kind == "assign" and isinstance(bindings[0].value, (cst.Name, cst.Attribute)):
                # alias = boto3.client
                return self.qualified_name(bindings[0].value, bindings[0].value_scope or owner, depth + 1)
            return None
        if isinstance(expr, cst.Attribute):
            base = self.qualified_name(expr.value, scope, depth + 1)
            return f"{base}.{expr.attr.value}" if base else None
        return None

    def definition_of(self, expr: cst.BaseExpression, scope: Scope, depth: int = 0) -> tuple[cst.BaseExpression, Scope] | None:
        """Follow names and ``self.attr`` to the single expression that produced the value.

        ``client`` -> ``boto3.client("bedrock-runtime")``; a ``with X as name`` binding
        yields ``X``; ``await X`` yields ``X``.  None when there is no single definition.
        """
        if depth > MAX_DEPTH:
            return None
        if isinstance(expr, cst.Await):
            return self.definition_of(expr.expression, scope, depth + 1)
        if isinstance(expr, cst.Name):
            found = self.single_binding(expr.value, scope, expr)
            if found is None:
                return None
            binding, owner = found
            if binding.kind in ("assign", "with") and binding.value is not None:
                return self.definition_of(binding.value, binding.value_scope or owner, depth + 1)
            if binding.kind == "param" and binding.value is not None:
                return self.definition_of(binding.value, binding.value_scope or owner, depth + 1)
            return None
        if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name):
            attribute = self._attribute_binding(expr, scope)
            if attribute is not None:
                binding, owner = attribute
                if binding.value is not None:
                    return self.definition_of(binding.value, binding.value_scope or owner, depth + 1)
                return None
        return expr, scope

    def _attribute_binding(self, expr: cst.Attribute, scope: Scope) -> tuple[Binding, Scope] | None:
        """``self.x`` / ``cls.x`` / ``ClassName.x`` assigned exactly once in the class."""
        assert isinstance(expr.value, cst.Name)
        receiver = expr.value.value
        class_scope: Scope | None = None
        function = scope.enclosing_function()
        if function is not None and function.owner_class is not None and receiver in (function.self_name, "cls"):
            class_scope = function.owner_class
        else:
            found = self.single_binding(receiver, scope, expr.value)
            if found is not None and found[0].kind == "class":
                class_scope = self.module_scope.class_scopes.get(id(found[0].definition))
        if class_scope is None:
            return None
        bindings = class_scope.attribute_bindings.get(expr.attr.value) or []
        if len(bindings) != 1:
            return None
        return bindings[0], class_scope

    # ---------------------------------------------------------------- values
    def resolve(self, expr: cst.BaseExpression | None, scope: Scope, depth: int = 0) -> Value:
        """What ``expr`` evaluates to (see the module docstring for what is understood)."""
        if expr is None or depth > MAX_DEPTH:
            return UNKNOWN
        if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            return self._resolve_string(expr, scope, depth)
        if isinstance(expr, (cst.Integer, cst.Float)):
            return Literal(ast.literal_eval(expr.value), expr)
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
            inner = self.resolve(expr.expression, scope, depth + 1)
            if isinstance(inner, Literal) and inner.is_number:
                return Literal(-inner.value, expr)  # type: ignore[operator]
            return UNKNOWN
        if isinstance(expr, cst.Name):
            if expr.value in ("True", "False", "None"):
                return Literal({"True": True, "False": False, "None": None}[expr.value], expr)
            found = self._bindings_at(expr.value, scope, expr)
            if found is None:
                return UNKNOWN
            reaching, owner = found
            if len(reaching) > 1:
                return self._merged(reaching, owner, depth)
            binding = reaching[0]
            if binding.kind == "import":
                return self._imported_value(binding.qualified_name, expr)
            if binding.kind == "assign":
                value = self.resolve(binding.value, binding.value_scope or owner, depth + 1)
                if isinstance(value, DictValue):
                    return self._apply_dict_updates(expr.value, owner, value)
                return value
            if binding.kind == "param" and binding.value is not None:
                return self.resolve(binding.value, binding.value_scope or owner, depth + 1)
            if binding.kind == "with" and binding.value is not None:
                return self.resolve(binding.value, binding.value_scope or owner, depth + 1)
            return UNKNOWN
        if isinstance(expr, cst.Attribute):
            if isinstance(expr.value, cst.Name):
                attribute = self._attribute_binding(expr, scope)
                if attribute is not None:
                    binding, owner = attribute
                    return self.resolve(binding.value, binding.value_scope or owner, depth + 1)
            return self._imported_value(self.project_reference(expr, scope), expr)
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
            return self._concatenate(
                self.resolve(expr.left, scope, depth + 1), self.resolve(expr.right, scope, depth + 1), expr
            )
        if isinstance(expr, cst.BinaryOperation) and type(expr.operator) in _ARITHMETIC:
            left, right = self.resolve(expr.left, scope, depth + 1), self.resolve(expr.right, scope, depth + 1)
            if isinstance(left, Literal) and isinstance(right, Literal) and left.is_number and right.is_number:
                try:
                    return Literal(_ARITHMETIC[type(expr.operator)](left.value, right.value), expr)
                except (ArithmeticError, ValueError):
                    return UNKNOWN
            return UNKNOWN
        if isinstance(expr, cst.Dict):
            return self._resolve_dict_literal(expr, scope)
        if isinstance(expr, (cst.List, cst.Tuple)):
            items = []
            complete = True
            for element in expr.elements:
                if isinstance(element, cst.Element):
                    items.append((element.value, scope))
                else:
                    complete = False
            return ListValue(tuple(items), complete, expr)
        if isinstance(expr, cst.Subscript):
            return self._resolve_subscript(expr, scope, depth)
        if isinstance(expr, cst.Call):
            return self._resolve_call(expr, scope, depth)
        if isinstance(expr, cst.Await):
            return self.resolve(expr.expression, scope, depth + 1)
        return UNKNOWN

    def _exclusive(self, first: tuple[cst.CSTNode, ...], second: tuple[cst.CSTNode, ...]) -> bool:
        """Code in blocks ``first`` and code in blocks ``second`` never both run: where
        they part, they are two branches of one if/elif/else chain."""
        for a, b in zip(first, second):
            if a is not b:
                chain = self.branches.get(id(a))
                return chain is not None and chain == self.branches.get(id(b))
        return False

    def keyword_entry(self, call: cst.Call, name: str, scope: Scope) -> DictEntry | None:
        """The argument ``name`` of ``call``: given as a keyword, or as a key of a dict
        passed as ``**params`` (a dict literal, ``dict(...)`` or one built up in the
        scope).  A ``DictEntry`` whose ``key_node`` is the keyword or the dict key."""
        argument = keyword_argument(call, name)
        if argument is not None:
            return DictEntry(name, argument.value, scope, argument.keyword)
        return self.splat_entries(call, scope)[0].get(name)

    def splat_entries(self, call: cst.Call, scope: Scope) -> tuple[dict[str, DictEntry], bool]:
        """The keyword arguments ``**`` dicts pass to ``call``, and whether they are all
        known (False for a ``**`` or ``*`` argument that does not resolve to a complete
        dict)."""
        entries: dict[str, DictEntry] = {}
        complete = True
        for argument in call.args:
            if argument.star == "**":
                value = self.resolve(argument.value, scope)
                if isinstance(value, DictValue):
                    entries.update(value.entries)
                    complete = complete and value.complete
                else:
                    complete = False
            elif argument.star:
                complete = False
        return entries, complete

    def _merged(self, reaching: list[Binding], owner: Scope, depth: int) -> Value:
        """A name that several bindings can reach: their value when they all assign the
        same constant (``model_id = "…"`` in two branches), else unknown."""
        values = [
            self.resolve(b.value, b.value_scope or owner, depth + 1) if b.kind == "assign" else UNKNOWN for b in reaching
        ]
        first = values[0]
        if isinstance(first, Literal) and all(isinstance(v, Literal) and type(v.value) is type(first.value) and v.value == first.value for v in values):
            return first
        return UNKNOWN

    def _resolve_string(self, expr: cst.BaseExpression, scope: Scope, depth: int) -> Value:
        if isinstance(expr, cst.SimpleString):
            known = self._strings.get(id(expr))
            if known is None or known[0] is not expr:
                try:
                    value: object = expr.evaluated_value
                except Exception:  # noqa: BLE001 - odd prefixes; treat as unknown
                    value = _UNREADABLE
                known = self._strings[id(expr)] = (expr, value)
            return UNKNOWN if known[1] is _UNREADABLE else Literal(known[1], expr)
        if isinstance(expr, cst.ConcatenatedString):
            return self._concatenate(
                self.resolve(expr.left, scope, depth + 1), self.resolve(expr.right, scope, depth + 1), expr
            )
        assert isinstance(expr, cst.FormattedString)
        parts: list[str | None] = []
        for part in expr.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(part.value.replace("{{", "{").replace("}}", "}"))
            else:
                value = (
                    self.resolve(part.expression, scope, depth + 1)
                    if part.conversion is None and part.format_spec is None
                    else UNKNOWN
                )
                if isinstance(value, Literal) and isinstance(value.value, (str, int)) and not isinstance(value.value, bool):
                    parts.append(str(value.value))
                else:
                    parts.append(None)
        return _string_value(parts, expr)

    def _concatenate(self, left: Value, right: Value, node: cst.CSTNode) -> Value:
        def pieces(value: Value) -> list[str | None] | None:
            if isinstance(value, Literal) and isinstance(value.value, str):
                return [value.value]
            if isinstance(value, PartialString):
                return list(value.parts)
            if isinstance(value, EnvironmentValue):
                return [None]
            return None

        left_parts, right_parts = pieces(left), pieces(right)
        if left_parts is None or right_parts is None:
            if isinstance(left, Literal) and isinstance(right, Literal) and left.is_number and right.is_number:
                return Literal(left.value + right.value, node)  # type: ignore[operator]
            return UNKNOWN
        return _string_value(left_parts + right_parts, node)

    def _resolve_dict_literal(self, expr: cst.Dict, scope: Scope) -> DictValue:
        entries: dict[str, DictEntry] = {}
        complete = True
        for element in expr.elements:
            if isinstance(element, cst.DictElement):
                key = self.resolve(element.key, scope)
                if isinstance(key, Literal) and isinstance(key.value, str):
                    entries[key.value] = DictEntry(key.value, element.value, scope, element.key)
                else:
                    complete = False
            else:  # **splat
                complete = False
        return DictValue(entries, complete, expr, literal=expr)

    def _apply_dict_updates(self, name: str, owner: Scope, value: DictValue) -> DictValue:
        updates = owner.dict_updates.get(name)
        if not updates:
            return value
        entries = dict(value.entries)
        complete = value.complete
        for key, update_value in updates:
            if key is None or update_value is None:
                complete = False
            else:
                entries[key] = DictEntry(key, update_value, owner, None)
        return DictValue(entries, complete, value.node, literal=value.literal)

    def _resolve_subscript(self, expr: cst.Subscript, scope: Scope, depth: int) -> Value:
        # os.environ["X"]: environment-provided with no fallback; CONSTANTS["key"].
        if self.qualified_name(expr.value, scope) == "os.environ":
            return EnvironmentValue(_subscript_key(expr, self, scope), UNKNOWN, expr)
        container = self.resolve(expr.value, scope, depth + 1)
        key = _subscript_key(expr, self, scope)
        if isinstance(container, DictValue) and key is not None and key in container.entries:
            entry = container.entries[key]
            return self.resolve(entry.value, entry.scope, depth + 1)
        return UNKNOWN

    def _resolve_call(self, call: cst.Call, scope: Scope, depth: int) -> Value:
        name = self.qualified_name(call.func, scope)
        if name in ENVIRONMENT_GETTERS:
            positional = [a for a in call.args if a.keyword is None and a.star == ""]
            variable = self.resolve(positional[0].value, scope, depth + 1) if positional else UNKNOWN
            fallback: Value = Literal(None, call)
            if len(positional) > 1:
                fallback = self.resolve(positional[1].value, scope, depth + 1)
            else:
                default = keyword_argument(call, "default")
                if default is not None:
                    fallback = self.resolve(default.value, scope, depth + 1)
            return EnvironmentValue(
                variable.value if isinstance(variable, Literal) and isinstance(variable.value, str) else None,
                fallback,
                call,
            )
        if name == "dict" and all(a.star == "" for a in call.args):
            entries: dict[str, DictEntry] = {}
            complete = True
            for argument in call.args:
                if argument.keyword is not None:
                    entries[argument.keyword.value] = DictEntry(argument.keyword.value, argument.value, scope, argument.keyword)
                else:
                    base = self.resolve(argument.value, scope, depth + 1)
                    if isinstance(base, DictValue):
                        entries = {**base.entries, **entries}
                        complete = complete and base.complete
                    else:
                        complete = False
            return DictValue(entries, complete, call)
        if name == "json.dumps" and call.args and call.args[0].keyword is None and call.args[0].star == "":
            return JsonText(self.resolve(call.args[0].value, scope, depth + 1), call)
        if name in ("str.strip", "textwrap.dedent") and call.args:
            return UNKNOWN
        if self.project is not None and not call.args:
            # get_model_id(), get_settings().model_id: what a factory of the project returns.
            value = self._imported_value(self.project_reference(call, scope), call)
            if value is not UNKNOWN:
                return value
        return CallResult(call, name, scope)

    # ------------------------------------------------------- imported values
    def project_reference(self, expr: cst.BaseExpression, scope: Scope, depth: int = 0) -> str | None:
        """The dotted reference an expression stands for in the project: a name bound
        by an import, an attribute chain on it, a call of it without arguments (``CALL``)
        and a name bound once to one of these (``config.MODEL_ID`` after ``from app import
        config``: ``app.config.MODEL_ID``; ``settings.model_id`` after ``settings =
        get_settings()``: ``app.config.get_settings.().model_id``)."""
        if self.project is None or depth > MAX_DEPTH:
            return None
        if isinstance(expr, cst.Attribute):
            base = self.project_reference(expr.value, scope, depth + 1)
            return f"{base}.{expr.attr.value}" if base is not None else None
        if isinstance(expr, cst.Call):
            if expr.args:
                return None
            base = self.project_reference(expr.func, scope, depth + 1)
            return f"{base}.{CALL}" if base is not None else None
        if not isinstance(expr, cst.Name):
            return None
        found = self._bindings_at(expr.value, scope, expr)
        if found is None:
            return None
        reaching, owner = found
        if all(b.kind == "import" for b in reaching):
            names = {b.qualified_name for b in reaching}
            return names.pop() if len(names) == 1 else None
        if len(reaching) == 1 and reaching[0].kind == "assign" and isinstance(reaching[0].value, (cst.Name, cst.Attribute, cst.Call)):
            return self.project_reference(reaching[0].value, reaching[0].value_scope or owner, depth + 1)
        return None

    def _imported_value(self, dotted: str | None, use: cst.BaseExpression) -> Value:
        """The value another module of the project binds ``dotted`` to, shown at ``use``."""
        found = self.project.lookup(dotted) if self.project is not None and dotted else None  # type: ignore[attr-defined]
        if not isinstance(found, Found):
            return UNKNOWN
        export = found.export
        origin = (found.path, export.line)
        if isinstance(export, Constant):
            return self._plain_value(export.value, use, origin)
        if isinstance(export, Environment):
            fallback = self._plain_value(export.fallback.value, use, origin) if export.fallback is not None else UNKNOWN
            return EnvironmentValue(export.variable, fallback, use, origin)
        return UNKNOWN

    def imported_client(self, expr: cst.BaseExpression, scope: Scope) -> tuple[str, int] | None:
        """(path, line) of the bedrock-runtime client another module of the project
        builds, when ``expr`` is an imported name of it or a call of an imported factory
        that returns it."""
        found = self._project_export(expr, scope)
        if found is not None and isinstance(found.export, RuntimeClient):
            return found.path, found.export.line
        return None

    def imported_config(self, expr: cst.BaseExpression, scope: Scope) -> tuple[cst.Call, str] | None:
        """A ``Config(...)`` another module of the project builds, when ``expr`` is an
        imported name of it (or a factory's call): a call node standing for it, whose
        arguments resolve like those written here (findings about them are shown at
        ``expr``, and fixes that edit them are not offered), and its qualified name."""
        found = self._project_export(expr, scope)
        if found is None or not isinstance(found.export, ConfigObject):
            return None
        export = found.export
        origin = (found.path, export.line)
        arguments = []
        for keyword, plain in export.arguments:
            argument = cst.Arg(
                value=self._synthetic(plain, expr, origin),
                keyword=cst.Name(keyword) if keyword is not None else None,
                equal=cst.AssignEqual() if keyword is not None else cst.MaybeSentinel.DEFAULT,
            )
            self.imported[id(argument)] = (argument, expr, origin)
            arguments.append(argument)
        if export.has_splat:
            arguments.append(cst.Arg(value=cst.Name(UNRESOLVED_NAME), star="**"))
        call = cst.Call(func=cst.Name(export.qualified_name.rpartition(".")[2]), args=arguments)
        self.imported[id(call)] = (call, expr, origin)
        return call, export.qualified_name

    def _project_export(self, expr: cst.BaseExpression, scope: Scope) -> Found | None:
        dotted = self.project_reference(expr, scope)
        found = self.project.lookup(dotted) if self.project is not None and dotted else None  # type: ignore[attr-defined]
        return found if isinstance(found, Found) else None

    def _plain_value(self, plain: object, use: cst.BaseExpression, origin: tuple[str, int]) -> Value:
        self.imported[id(use)] = (use, use, origin)
        scope = self.module_scope
        if isinstance(plain, PlainDict):
            entries = {key: DictEntry(key, self._synthetic(item, use, origin), scope, None) for key, item in plain.items}
            return DictValue(entries, True, use, origin=origin)
        if isinstance(plain, PlainList):
            return ListValue(tuple((self._synthetic(item, use, origin), scope) for item in plain.items), True, use, origin=origin)
        return Literal(plain, use, origin)

    def _synthetic(self, plain: object, use: cst.BaseExpression, origin: tuple[str, int]) -> cst.BaseExpression:
        """A node holding an item of an imported dict or list, so that it resolves like
        one written here; it is not in this module's tree (findings about it are shown at
        ``use``)."""
        node: cst.BaseExpression
        if isinstance(plain, PlainDict):
            node = cst.Dict([
                cst.DictElement(self._synthetic(key, use, origin), self._synthetic(item, use, origin)) for key, item in plain.items
            ])
        elif isinstance(plain, PlainList):
            node = cst.List([cst.Element(self._synthetic(item, use, origin)) for item in plain.items])
        elif isinstance(plain, bool) or plain is None:
            node = cst.Name(repr(plain))
        elif isinstance(plain, str):
            node = cst.SimpleString(repr(plain))
        elif isinstance(plain, int) or (isinstance(plain, float) and plain == plain and abs(plain) != float("inf")):
            digits = repr(abs(plain))
            number = cst.Integer(digits) if isinstance(plain, int) else cst.Float(digits)
            node = cst.UnaryOperation(cst.Minus(), number) if plain < 0 else number
        else:
            node = cst.Name(UNRESOLVED_NAME)  # not finite, or not known: an unbound name, unknown
        self.imported[id(node)] = (node, use, origin)
        return node

    # -------------------------------------------------------------- helpers
    def resolve_string(self, expr: cst.BaseExpression | None, scope: Scope) -> str | None:
        """The value as a fully known string, else None."""
        value = self.resolve(expr, scope)
        if isinstance(value, Literal) and isinstance(value.value, str):
            return value.value
        return None

def keyword_argument(call: cst.Call, name: str) -> cst.Arg | None:
    for argument in call.args:
        if argument.keyword is not None and argument.keyword.value == name:
            return argument
    return None


def positional_arguments(call: cst.Call) -> list[cst.Arg]:
    return [a for a in call.args if a.keyword is None and a.star == ""]


def _string_value(parts: list[str | None], node: cst.CSTNode) -> Value:
    merged: list[str | None] = []
    for part in parts:
        if part is not None and merged and merged[-1] is not None:
            merged[-1] = merged[-1] + part  # type: ignore[operator]
        else:
            merged.append(part)
    if all(p is not None for p in merged):
        return Literal("".join(merged), node)  # type: ignore[arg-type]
    return PartialString(tuple(merged), node)


def _subscript_key(expr: cst.Subscript, resolver: Resolver, scope: Scope) -> str | None:
    if len(expr.slice) != 1 or not isinstance(expr.slice[0].slice, cst.Index):
        return None
    return resolver.resolve_string(expr.slice[0].slice.value, scope)


def _holds(outer: tuple[cst.CSTNode, ...], inner: tuple[cst.CSTNode, ...]) -> bool:
    """The blocks ``outer`` are the first blocks of ``inner`` (the same nodes)."""
    return len(outer) <= len(inner) and all(a is b for a, b in zip(outer, inner))
