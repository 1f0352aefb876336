"""Edit builders for rules: small, layout-preserving changes to calls, dicts and imports.

Each builder returns :class:`~bedrock_lint.rules.report.NodeEdit` objects; nothing here
touches text or files.  New arguments follow the call's existing layout: on a
multi-line call the new argument goes on its own line with the same indentation, and
a trailing comma stays trailing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from bedrock_lint.rules.report import NodeEdit

if TYPE_CHECKING:
    from bedrock_lint.analysis.index import ModuleIndex

_NO_SPACE = cst.SimpleWhitespace("")


def _separator(
    between_items: object, opening_whitespace: cst.BaseParenthesizableWhitespace, last_comma: object
) -> cst.BaseParenthesizableWhitespace:
    """Whitespace to put after the comma that precedes a new item: the layout already
    used between items, else the one after the opening bracket, else one space."""
    for candidate in (
        between_items.whitespace_after if isinstance(between_items, cst.Comma) else None,
        opening_whitespace,
        last_comma.whitespace_after if isinstance(last_comma, cst.Comma) else None,
    ):
        if isinstance(candidate, cst.ParenthesizedWhitespace):
            return candidate
    return cst.SimpleWhitespace(" ")


def call_with_keyword(call: cst.Call, keyword: str, value: cst.BaseExpression) -> cst.Call:
    """``call`` with ``keyword=value`` appended after its last argument."""
    new_argument = cst.Arg(
        value=value,
        keyword=cst.Name(keyword),
        equal=cst.AssignEqual(whitespace_before=_NO_SPACE, whitespace_after=_NO_SPACE),
    )
    arguments = list(call.args)
    if not arguments:
        return call.with_changes(args=[new_argument])
    last = arguments[-1]
    between = arguments[-2].comma if len(arguments) > 1 else None
    separator = _separator(between, call.whitespace_before_args, last.comma)
    arguments[-1] = last.with_changes(comma=cst.Comma(whitespace_after=separator), whitespace_after_arg=_NO_SPACE)
    arguments.append(new_argument.with_changes(comma=last.comma, whitespace_after_arg=last.whitespace_after_arg))
    return call.with_changes(args=arguments)


def dict_with_entry(node: cst.Dict, key: str, value: cst.BaseExpression) -> cst.Dict:
    """``node`` with ``"key": value`` appended."""
    new_element = cst.DictElement(
        key=cst.SimpleString(_quote(key, node)),
        value=value,
        whitespace_before_colon=_NO_SPACE,
        whitespace_after_colon=cst.SimpleWhitespace(" "),
    )
    elements = list(node.elements)
    if not elements:
        return node.with_changes(elements=[new_element])
    last = elements[-1]
    between = elements[-2].comma if len(elements) > 1 else None
    separator = _separator(between, node.lbrace.whitespace_after, last.comma)
    elements[-1] = last.with_changes(comma=cst.Comma(whitespace_after=separator))
    elements.append(new_element.with_changes(comma=last.comma))
    return node.with_changes(elements=elements)


def _quote(text: str, near: cst.CSTNode) -> str:
    """Quote a key the way the surrounding dict already quotes its keys."""
    quote = '"'
    if isinstance(near, cst.Dict):
        for element in near.elements:
            if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
                quote = element.key.quote[0] if element.key.quote else '"'
                break
    return f"{quote}{text}{quote}"


def replace_node(index: "ModuleIndex", node: cst.CSTNode, replacement: cst.CSTNode | str) -> NodeEdit:
    content = replacement if isinstance(replacement, str) else index.code_for(replacement)
    return NodeEdit("replace", node, content)


def string_literal_like(text: str, near: cst.CSTNode | None) -> str:
    """A string literal for ``text`` using the quote style of ``near`` when it is a string."""
    quote = '"'
    if isinstance(near, cst.SimpleString) and near.quote in ("'", '"') and near.quote not in text:
        quote = near.quote
    return f"{quote}{text}{quote}"


def import_name(index: "ModuleIndex", module: str, name: str, *, fallback_alias: str) -> tuple[str, list[NodeEdit]]:
    """The local name under which ``module.name`` can be used, and the import edit needed
    (none when the module already imports it).  If ``name`` is taken by something else,
    the import is aliased as ``fallback_alias``."""
    qualified = f"{module}.{name}"
    module_scope = index.module_scope
    for bound, bindings in module_scope.bindings.items():
        if any(b.kind == "import" and b.qualified_name == qualified for b in bindings):
            return bound, []
    for bound, bindings in module_scope.bindings.items():
        if any(b.kind == "import" and b.qualified_name == module for b in bindings):
            return f"{bound}.{name}", []
    local = name if name not in module_scope.bindings else fallback_alias
    if local in module_scope.bindings:
        local = fallback_alias + "_"
    statement = f"from {module} import {name}" if local == name else f"from {module} import {name} as {local}"
    return local, [NodeEdit("add_import", None, statement)]


def import_module(index: "ModuleIndex", module: str) -> tuple[str | None, list[NodeEdit]]:
    """The name to use for ``module`` (``import os``); None when the name is taken by
    something else, in which case a fix should not be offered."""
    for bound, bindings in index.module_scope.bindings.items():
        if any(b.kind == "import" and b.qualified_name == module for b in bindings):
            return bound, []
    if module in index.module_scope.bindings:
        return None, []
    return module, [NodeEdit("add_import", None, f"import {module}")]
