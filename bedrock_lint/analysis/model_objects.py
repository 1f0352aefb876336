"""What a library model object is used for: generating, counting tokens, or nothing.

Constructing Strands ``BedrockModel`` or langchain-aws ``ChatBedrockConverse`` sends
nothing; only the object's methods do (``ObjectMethods`` in the entry-point table,
read from each library's source).  When every use of the object can be seen, the rules
know what it sends:

- ``NOTHING``: it is only used through methods that build or format requests
  (a unit test calling ``model._get_additional_request_fields(…)``, strands-agents
  ``tests/strands/models/test_bedrock_thinking.py``): no request is sent, and the
  client, model-id and request rules have nothing to judge;
- ``COUNTS``: it only counts tokens (``get_num_tokens_from_messages``,
  ``count_tokens``): a CountTokens request has no generated answer to time out, no
  output to reserve quota for, and takes the foundation-model id (AWS API reference,
  CountTokens ``modelId``: "The unique identifier or ARN of the foundation model to use
  for token counting");
- ``GENERATES``: anything else, and whenever a use cannot be followed (the object is
  passed on, stored, returned from a function that is not a pytest fixture, bound at
  module level where other modules may import it, or read as an attribute such as
  ``llm.client``).  Unknown means the rules judge it as before.

An object is followed through the local name it is assigned to, and from a pytest
fixture that returns (or yields) it to the parameters of the tests and fixtures of the
module that request it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import libcst as cst

from bedrock_lint.analysis.walk import dotted_name, iter_children

if TYPE_CHECKING:
    from bedrock_lint.analysis.entry_points import ObjectMethods
    from bedrock_lint.analysis.sites import ClientSite, ModuleIndex
    from bedrock_lint.analysis.scopes import FunctionInfo

GENERATES = "generates"
COUNTS = "counts"
NOTHING = "nothing"


def object_use(index: "ModuleIndex", site: "ClientSite") -> str:
    """What the object a library entry point builds at ``site`` is used for:
    ``GENERATES``, ``COUNTS`` (tokens only) or ``NOTHING``; ``GENERATES`` for every
    other client.  Computed once per client (kept on the index)."""
    uses = index.derived.setdefault("object_use", {})
    use = uses.get(id(site))
    if use is None:
        use = uses[id(site)] = _object_use(index, site)
    return use


def sends_generations(index: "ModuleIndex", site: "ClientSite") -> bool:
    return object_use(index, site) == GENERATES

# How many fixtures deep a value is followed (a fixture returning a fixture's value).
_MAX_FIXTURE_DEPTH = 4

# Holders of the object: (function, name) pairs whose every mention is a use of it.
Holder = tuple["FunctionInfo", str]


def _object_use(index: "ModuleIndex", site: "ClientSite") -> str:
    """``NOTHING``, ``COUNTS`` or ``GENERATES`` for the object a library entry point
    builds at ``site`` (always ``GENERATES`` for other clients)."""
    methods = site.entry.methods if site.entry is not None else None
    function = site.context.function
    if methods is None or function is None or site.scope is not function.scope:
        return GENERATES
    holders = _construction_holders(index, site, function)
    if holders is None:
        return GENERATES
    uses = _uses(index, holders, methods, site.call, depth=0)
    if uses is None or GENERATES in uses:
        return GENERATES
    return COUNTS if COUNTS in uses else NOTHING


def _construction_holders(index: "ModuleIndex", site: "ClientSite", function: "FunctionInfo") -> list[Holder] | None:
    target = index.assignment_targets.get(id(site.call))
    if isinstance(target, cst.Name):
        name = target.value
        scope = function.scope
        if scope is None or name in scope.global_names or name in scope.nonlocal_names:
            return None
        bindings = scope.bindings.get(name, [])
        if len(bindings) != 1 or bindings[0].value is not site.call:
            return None  # rebound: later mentions may be another object
        return [(function, name)]
    statement = _statement_of(function.node, site.call)
    if isinstance(statement, cst.Expr):
        return []  # ``BedrockModel(…)`` as a statement: built and dropped
    if isinstance(statement, (cst.Return, cst.Yield)):
        return _fixture_holders(index, function)
    return None


def _uses(index: "ModuleIndex", holders: list[Holder], methods: "ObjectMethods", construction: cst.Call, depth: int) -> set[str] | None:
    """The kinds of every use of the holders' names; None when one cannot be followed."""
    found: set[str] = set()
    for function, name in holders:
        for node, parent, grandparent in _mentions(function.node, name):
            if isinstance(parent, cst.AssignTarget) and getattr(grandparent, "value", None) is construction:
                continue  # the construction's own ``name = BedrockModel(…)``
            if isinstance(parent, cst.Attribute) and parent.value is node:
                if not (isinstance(grandparent, cst.Call) and grandparent.func is parent):
                    return None  # an attribute read: ``llm.client`` may be used to send
                method = parent.attr.value
                found.add(GENERATES if method in methods.generating else COUNTS if method in methods.counting else NOTHING)
                continue
            if isinstance(parent, (cst.Return, cst.Yield)) and parent.value is node and depth < _MAX_FIXTURE_DEPTH:
                holders_of_fixture = _fixture_holders(index, function)
                if holders_of_fixture is None:
                    return None
                more = _uses(index, holders_of_fixture, methods, construction, depth + 1)
                if more is None:
                    return None
                found |= more
                continue
            return None  # passed on, stored, compared, rebound …: not followed
    return found


def _mentions(function: cst.FunctionDef, name: str) -> Iterator[tuple[cst.Name, cst.CSTNode, cst.CSTNode | None]]:
    """Each ``Name`` node spelling ``name`` in the function's body (nested functions
    included) that reads or binds the name, with its parent and grandparent."""
    stack: list[tuple[cst.CSTNode, cst.CSTNode | None, cst.CSTNode | None]] = [(function.body, function, None)]
    while stack:
        node, parent, grandparent = stack.pop()
        if isinstance(node, cst.Name):
            if node.value == name and not _is_label(node, parent):
                yield node, parent, grandparent  # type: ignore[misc]
            continue
        for child in iter_children(node):
            stack.append((child, node, parent))


def _is_label(node: cst.Name, parent: cst.CSTNode | None) -> bool:
    """A name that is not a variable: ``x.name``, ``f(name=…)``, a nested def's or
    parameter's own name, an import alias."""
    if isinstance(parent, cst.Attribute):
        return parent.attr is node
    if isinstance(parent, cst.Arg):
        return parent.keyword is node
    if isinstance(parent, (cst.Param, cst.FunctionDef, cst.ClassDef)):
        return parent.name is node
    return isinstance(parent, (cst.ImportAlias, cst.AsName))


def _statement_of(function: cst.FunctionDef, call: cst.Call) -> cst.CSTNode | None:
    """The ``return``, ``yield`` or expression statement of the function itself whose
    value is ``call``, if any."""
    stack: list[cst.CSTNode] = [function.body]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Return, cst.Yield, cst.Expr)) and node.value is call:
            return node
        if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            continue
        stack.extend(iter_children(node))
    return None


def _fixture_holders(index: "ModuleIndex", fixture: "FunctionInfo") -> list[Holder] | None:
    """The parameters that receive a pytest fixture's value in this module; None when
    the value may reach code elsewhere (``conftest.py``, a fixture renamed with
    ``name=``, a test class whose inherited tests live in another module,
    ``request.getfixturevalue``)."""
    if not _is_fixture(fixture) or index.filename.replace("\\", "/").endswith("conftest.py"):
        return None
    if "getfixturevalue" in index.text:
        return None
    owner = fixture.owner_class
    if owner is not None and _has_bases(owner.node):
        return None
    if owner is None and any(_has_bases(scope.node) for scope in index.module_scope.class_scopes.values()):
        return None  # a module fixture also feeds tests a base class brings from elsewhere
    name = fixture.name
    holders: list[Holder] = []
    for function in index.functions:
        if function is fixture or name not in function.parameters:
            continue
        if owner is not None and function.owner_class is not owner:
            continue
        if owner is None and function.owner_class is not None and name in function.owner_class.bindings:
            continue  # the class defines its own fixture of that name
        holders.append((function, name))
    return holders


def _is_fixture(function: "FunctionInfo") -> bool:
    for decorator in function.decorators:
        expression = decorator.decorator
        if isinstance(expression, cst.Call):
            if any(argument.keyword is not None and argument.keyword.value == "name" for argument in expression.args):
                return False  # requested under another name
            expression = expression.func
        dotted = dotted_name(expression)
        if dotted in ("fixture", "pytest.fixture", "pytest_asyncio.fixture"):
            return True
    return False


def _has_bases(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.ClassDef) and any(
        not (isinstance(base.value, cst.Name) and base.value.value == "object") for base in node.bases
    )

