"""Scopes and name bindings of one module, filled in by the index walker.

Only what value resolution needs is kept: for every scope, each name's bindings (an
assignment's value, an import's qualified name, a parameter's default), ``self.attr``
assignments per class, and literal-key subscript updates of dicts (``d["k"] = v``).
Each binding records where it happens (its statement's number and blocks), so a name
bound more than once resolves to the binding that reaches the use (``values``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import libcst as cst

BindingKind = Literal["assign", "import", "param", "def", "class", "with", "for", "other"]
ScopeKind = Literal["module", "function", "class", "comprehension"]


@dataclass(eq=False)
class Binding:
    kind: BindingKind
    # assign: the assigned expression; with: the context manager expression;
    # param: the default value (None when the parameter has no default);
    # for: the iterable of the ``for`` loop whose target is the name.
    value: cst.BaseExpression | None = field(default=None, repr=False)
    # Scope the value is evaluated in (a parameter default: the defining scope).
    value_scope: "Scope | None" = field(default=None, repr=False)
    # import: the dotted name it stands for ("boto3", "botocore.config.Config").
    qualified_name: str | None = None
    # def/class: the definition node.
    definition: cst.CSTNode | None = field(default=None, repr=False)
    # The statement that binds (numbered in source order) and the blocks holding it.
    statement: int = -1
    blocks: tuple[cst.CSTNode, ...] = field(default=(), repr=False)


@dataclass(eq=False, repr=False)
class FunctionInfo:
    node: cst.FunctionDef
    name: str
    parameters: list[str]
    decorators: list[cst.Decorator]
    is_async: bool
    # The class whose body defines this function, if it is a method.
    owner_class: "Scope | None"
    scope: "Scope | None" = None

    def __repr__(self) -> str:
        return f"FunctionInfo({self.name!r})"

    @property
    def self_name(self) -> str | None:
        """Name of the instance parameter of a method (usually ``self``)."""
        if self.owner_class is None or not self.parameters:
            return None
        for decorator in self.decorators:
            if isinstance(decorator.decorator, cst.Name) and decorator.decorator.value in ("staticmethod", "classmethod"):
                return None
        return self.parameters[0]


@dataclass(eq=False, repr=False)
class Scope:
    kind: ScopeKind
    node: cst.CSTNode
    parent: "Scope | None"
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    global_names: set[str] = field(default_factory=set)
    nonlocal_names: set[str] = field(default_factory=set)
    # name -> [(key, value expression)] for ``name["key"] = value`` in this scope;
    # a key of None records an update we cannot follow (unknown key, .update()).
    dict_updates: dict[str, list[tuple[str | None, cst.BaseExpression | None]]] = field(default_factory=dict)
    # Class scopes: attribute -> bindings from ``self.attr = ...`` in its methods
    # and plain assignments in the class body.
    attribute_bindings: dict[str, list[Binding]] = field(default_factory=dict)
    function: FunctionInfo | None = None
    name: str = ""
    # Module scope only: every class scope of the module, by class definition node.
    class_scopes: dict[int, "Scope"] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Scope({self.kind} {self.name!r})"

    def add(self, name: str, binding: Binding) -> None:
        target = self
        if name in self.global_names:
            target = self.module
        elif name in self.nonlocal_names and self.parent is not None:
            target = self.parent.enclosing_function_or_module()
        target.bindings.setdefault(name, []).append(binding)

    @property
    def module(self) -> "Scope":
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def enclosing_function_or_module(self) -> "Scope":
        scope: Scope | None = self
        while scope is not None and scope.kind == "class":
            scope = scope.parent
        return scope or self.module

    def lookup(self, name: str) -> list[Binding] | None:
        """Bindings visible for ``name`` from this scope, using Python's scoping rules
        (class bodies are skipped for enclosed functions).  None when unbound here."""
        scope: Scope | None = self
        first = True
        while scope is not None:
            if scope.kind != "class" or first:
                if name in scope.global_names:
                    return self.module.bindings.get(name)
                found = scope.bindings.get(name)
                if found:
                    return found
            first = False
            scope = scope.parent
        return None

    def lookup_scope(self, name: str) -> "Scope | None":
        """The scope that owns ``name`` as seen from here."""
        scope: Scope | None = self
        first = True
        while scope is not None:
            if scope.kind != "class" or first:
                if name in scope.global_names:
                    # Declared global but bound nowhere: as unknown as an unbound global.
                    return self.module if name in self.module.bindings else None
                if name in scope.bindings:
                    return scope
            first = False
            scope = scope.parent
        return None

    def enclosing_function(self) -> FunctionInfo | None:
        scope: Scope | None = self
        while scope is not None:
            if scope.function is not None:
                return scope.function
            scope = scope.parent
        return None
