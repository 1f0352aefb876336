"""Edit builders for rules: small, layout-preserving changes to calls, dicts and imports.

Each builder returns :class:`~bedrock_lint.rules.report.NodeEdit` objects; nothing here
touches text or files.  New arguments follow the call's existing layout: on a
multi-line call the new argument goes on its own line with the same indentation, and
a trailing comma stays trailing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

import libcst as cst

from bedrock_lint.analysis.walk import contains
from bedrock_lint.rules.report import NodeEdit

if TYPE_CHECKING:
    from bedrock_lint.analysis.scopes import Scope
    from bedrock_lint.analysis.sites import ModuleIndex

_NO_SPACE = cst.SimpleWhitespace("")


def _item_layout(
    between_items: object, opening_whitespace: cst.BaseParenthesizableWhitespace, last_comma: object
) -> cst.BaseParenthesizableWhitespace:
    """Whitespace that goes after the comma before a new item: the layout already used
    between items, else the one after the opening bracket, else one space.  A borrowed
    multi-line layout is stripped of its comment and blank lines, which stay where they are."""
    for candidate in (
        between_items.whitespace_after if isinstance(between_items, cst.Comma) else None,
        opening_whitespace,
        last_comma.whitespace_after if isinstance(last_comma, cst.Comma) else None,
    ):
        if isinstance(candidate, cst.ParenthesizedWhitespace):
            return candidate.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
    return cst.SimpleWhitespace(" ")


def _split_closing(
    closing: cst.BaseParenthesizableWhitespace, layout: cst.BaseParenthesizableWhitespace
) -> tuple[cst.BaseParenthesizableWhitespace, cst.BaseParenthesizableWhitespace]:
    """Split the whitespace that ran from the old last item to the closing bracket into
    (what follows the old last item now, what follows the new last item).  A comment at
    the end of the old last item's line stays on that line."""
    if isinstance(closing, cst.ParenthesizedWhitespace) and isinstance(layout, cst.ParenthesizedWhitespace):
        after_old = layout.with_changes(first_line=closing.first_line, empty_lines=closing.empty_lines)
        after_new = closing.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
        return after_old, after_new
    return layout, closing


def call_with_keyword(call: cst.Call, keyword: str, value: cst.BaseExpression) -> cst.Call:
    """``call`` with ``keyword=value`` appended after its last argument, in the call's layout."""
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
    layout = _item_layout(between, call.whitespace_before_args, last.comma)
    if isinstance(last.comma, cst.Comma):
        # f(a, b,) or a multi-line call with a trailing comma: the new argument keeps it.
        after_old, after_new = _split_closing(last.comma.whitespace_after, layout)
        arguments[-1] = last.with_changes(comma=last.comma.with_changes(whitespace_after=after_old))
        new_argument = new_argument.with_changes(
            comma=cst.Comma(whitespace_after=after_new), whitespace_after_arg=last.whitespace_after_arg
        )
    else:
        after_old, after_new = _split_closing(last.whitespace_after_arg, layout)
        arguments[-1] = last.with_changes(comma=cst.Comma(whitespace_after=after_old), whitespace_after_arg=_NO_SPACE)
        new_argument = new_argument.with_changes(whitespace_after_arg=after_new)
    arguments.append(new_argument)
    return call.with_changes(args=arguments)


def call_with_keyword_value(call: cst.Call, keyword: str, value: cst.BaseExpression) -> cst.Call:
    """``call`` with ``keyword=value``: the existing argument's value replaced, else appended."""
    for position, argument in enumerate(call.args):
        if argument.keyword is not None and argument.keyword.value == keyword:
            arguments = list(call.args)
            arguments[position] = argument.with_changes(value=value)
            return call.with_changes(args=arguments)
    return call_with_keyword(call, keyword, value)


def call_without_argument(call: cst.Call, argument: cst.Arg) -> cst.Call:
    """``call`` with ``argument`` removed; when it was the last one, the argument before
    it takes over its trailing comma (or lack of one) and the layout to the ``)``."""
    arguments = list(call.args)
    position = next(i for i, a in enumerate(arguments) if a is argument)
    del arguments[position]
    removed_comment = _line_comment(argument.comma)
    if removed_comment is not None and position < len(arguments):
        # A comment on the removed argument's line moves to the previous line.
        if position > 0 and isinstance(arguments[position - 1].comma, cst.Comma):
            previous = arguments[position - 1]
            arguments[position - 1] = previous.with_changes(
                comma=previous.comma.with_changes(
                    whitespace_after=_with_comment(previous.comma.whitespace_after, removed_comment)
                )
            )
        else:
            call = call.with_changes(whitespace_before_args=_with_comment(call.whitespace_before_args, removed_comment))
    if position == len(arguments) and arguments:
        previous = arguments[-1]
        comma, after_arg = argument.comma, argument.whitespace_after_arg
        # A comment at the end of the previous argument's line stays on that line.
        kept = previous.comma.whitespace_after if isinstance(previous.comma, cst.Comma) else None
        if isinstance(kept, cst.ParenthesizedWhitespace) and kept.first_line.comment is not None:
            if isinstance(comma, cst.Comma):
                comma = comma.with_changes(whitespace_after=_keep_first_line(kept, comma.whitespace_after))
            else:
                after_arg = _keep_first_line(kept, after_arg)
        arguments[-1] = previous.with_changes(comma=comma, whitespace_after_arg=after_arg)
    return call.with_changes(args=arguments)


def _line_comment(comma) -> cst.Comment | None:
    if isinstance(comma, cst.Comma) and isinstance(comma.whitespace_after, cst.ParenthesizedWhitespace):
        return comma.whitespace_after.first_line.comment
    return None


def _with_comment(layout: cst.BaseParenthesizableWhitespace, comment: cst.Comment) -> cst.BaseParenthesizableWhitespace:
    """``layout`` (multi-line) with ``comment`` at the end of its first line, or on a line
    of its own when that line has a comment already."""
    if not isinstance(layout, cst.ParenthesizedWhitespace):
        return layout  # a one-line call has no line comments
    if layout.first_line.comment is None:
        return layout.with_changes(
            first_line=layout.first_line.with_changes(whitespace=cst.SimpleWhitespace("  "), comment=comment)
        )
    line = cst.EmptyLine(indent=True, whitespace=cst.SimpleWhitespace(""), comment=comment)
    return layout.with_changes(empty_lines=[line, *layout.empty_lines])


def _keep_first_line(
    kept: cst.ParenthesizedWhitespace, layout: cst.BaseParenthesizableWhitespace
) -> cst.BaseParenthesizableWhitespace:
    """``layout`` (what ran from a removed last item to the closing bracket) starting
    with ``kept``'s first line (the previous item's line and its comment); a comment of
    the removed item's line moves to its own line before the bracket."""
    if not isinstance(layout, cst.ParenthesizedWhitespace):
        return kept.with_changes(empty_lines=[], last_line=cst.SimpleWhitespace(""))
    empty_lines = list(layout.empty_lines)
    if layout.first_line.comment is not None:
        empty_lines.insert(0, cst.EmptyLine(indent=True, whitespace=cst.SimpleWhitespace(""), comment=layout.first_line.comment))
    return layout.with_changes(first_line=kept.first_line, empty_lines=empty_lines)


def dict_with_key_renamed(node: cst.Dict, old: str, new: str) -> cst.Dict:
    """``node`` with the string key ``old`` spelled ``new`` (same quotes)."""
    elements = []
    for element in node.elements:
        if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
            if element.key.evaluated_value == old:
                element = element.with_changes(key=element.key.with_changes(value=f"{element.key.quote}{new}{element.key.quote}"))
        elements.append(element)
    return node.with_changes(elements=elements)


def dict_without_entry(node: cst.Dict, key: str) -> cst.Dict:
    """``node`` without its ``"key": …`` entry, comments kept as :func:`call_without_argument`
    keeps them: a comment on the removed entry's line moves up (or onto its own line);
    when the entry was the last one, the entry before it takes over its trailing comma (or
    lack of one) and keeps the comment of its own line."""
    elements = list(node.elements)
    position = next(
        i
        for i, e in enumerate(elements)
        if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString) and e.key.evaluated_value == key
    )
    removed = elements.pop(position)
    if position < len(elements):
        comment = _line_comment(removed.comma)
        if comment is not None:
            if position > 0 and isinstance(elements[position - 1].comma, cst.Comma):
                previous = elements[position - 1]
                elements[position - 1] = previous.with_changes(
                    comma=previous.comma.with_changes(whitespace_after=_with_comment(previous.comma.whitespace_after, comment))
                )
            else:
                node = node.with_changes(lbrace=node.lbrace.with_changes(whitespace_after=_with_comment(node.lbrace.whitespace_after, comment)))
        return node.with_changes(elements=elements)
    if not elements:
        return node.with_changes(elements=elements)
    previous = elements[-1]
    comma = removed.comma
    # The line break after the last entry (and that line's comment) belongs to its comma
    # or, after a trailing comma, to the ``}``.
    kept = previous.comma.whitespace_after if isinstance(previous.comma, cst.Comma) else None
    if isinstance(kept, cst.ParenthesizedWhitespace):
        if isinstance(comma, cst.Comma) and isinstance(comma.whitespace_after, cst.ParenthesizedWhitespace):
            comma = comma.with_changes(whitespace_after=_keep_first_line(kept, comma.whitespace_after))
        else:
            closing = _keep_first_line(kept, node.rbrace.whitespace_before)
            node = node.with_changes(rbrace=node.rbrace.with_changes(whitespace_before=closing))
    elements[-1] = previous.with_changes(comma=comma)
    return node.with_changes(elements=elements)


def dict_with_entry(node: cst.Dict, key: str, value: cst.BaseExpression) -> cst.Dict:
    """``node`` with ``"key": value`` appended, in the dict's layout."""
    new_element = cst.DictElement(
        key=cst.SimpleString(_quote(key, node)),
        value=value,
        whitespace_before_colon=_NO_SPACE,
        whitespace_after_colon=cst.SimpleWhitespace(" "),
    )
    return _with_appended(node, new_element, "lbrace", "rbrace")


def _with_appended(node, new_element, opening: str, closing: str):
    """``node`` (a dict or list literal) with ``new_element`` appended after its last
    element, in its layout: the comma style and the line layout between elements are kept,
    and a comment after the old last element stays on its line."""
    elements = list(node.elements)
    if not elements:
        return node.with_changes(elements=[new_element])
    last = elements[-1]
    between = elements[-2].comma if len(elements) > 1 else None
    layout = _item_layout(between, getattr(node, opening).whitespace_after, last.comma)
    if isinstance(last.comma, cst.Comma):
        after_old, after_new = _split_closing(last.comma.whitespace_after, layout)
        elements[-1] = last.with_changes(comma=last.comma.with_changes(whitespace_after=after_old))
        return node.with_changes(elements=[*elements, new_element.with_changes(comma=cst.Comma(whitespace_after=after_new))])
    closing_token = getattr(node, closing)
    after_old, after_new = _split_closing(closing_token.whitespace_before, layout)
    elements[-1] = last.with_changes(comma=cst.Comma(whitespace_after=after_old))
    return node.with_changes(
        elements=[*elements, new_element], **{closing: closing_token.with_changes(whitespace_before=after_new)}
    )


def list_with_element(node: cst.List, value: cst.BaseExpression) -> cst.List:
    """``node`` with ``value`` appended, in the list's layout."""
    return _with_appended(node, cst.Element(value), "lbracket", "rbracket")


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
    """Replace ``node``; a node replacement is rendered by the engine with the
    indentation of the block it sits in (``Module.code_for_node`` would lose it)."""
    if isinstance(replacement, str):
        return NodeEdit("replace", node, replacement)
    return NodeEdit("replace", node, "", replacement=replacement)


def string_literal_like(text: str, near: cst.CSTNode | None) -> str:
    """A string literal for ``text`` using the quote style of ``near`` when it is a string."""
    quote = '"'
    if isinstance(near, cst.SimpleString) and near.quote in ("'", '"') and near.quote not in text:
        quote = near.quote
    return f"{quote}{text}{quote}"


def import_name(
    index: "ModuleIndex",
    module: str,
    name: str,
    *,
    fallback_alias: str,
    same_as: tuple[str, ...] = (),
    used_at: cst.CSTNode | None = None,
) -> tuple[str, list[NodeEdit]]:
    """The local name under which ``module.name`` can be used where ``used_at`` is (the
    node a fix rewrites; the module's top level when None), and the import edit needed
    (none when the module already imports it, or one of ``same_as``: other qualified
    names of the same object, under a name nothing around ``used_at`` rebinds).  If
    ``name`` is taken, in the module or in a scope around ``used_at`` (``def
    make(Config): ...``), the import is aliased as ``fallback_alias``."""
    visible = _NamesVisible(index, used_at)
    for accepted in (f"{module}.{name}", *same_as):  # the canonical import first
        for bound in visible.imports_of(accepted):
            return bound, []
    for bound in visible.imports_of(module, only=False):
        return f"{bound}.{name}", []
    local = next(
        candidate for candidate in (name, fallback_alias, fallback_alias + "_", fallback_alias + "__") if visible.free(candidate)
    )
    statement = f"from {module} import {name}" if local == name else f"from {module} import {name} as {local}"
    return local, [NodeEdit("add_import", None, statement)]


def import_module(
    index: "ModuleIndex", module: str, *, used_at: cst.CSTNode | None = None, fallback_alias: str | None = None
) -> tuple[str | None, list[NodeEdit]]:
    """The name to use for ``module`` (``import os``) where ``used_at`` is, and the
    import edit needed.  When the name is taken (a parameter or local named ``os``
    around ``used_at``, or a module-level ``os`` that is something else), the module is
    imported as ``fallback_alias``; without one, None: a fix should not be offered."""
    visible = _NamesVisible(index, used_at)
    for bound in visible.imports_of(module, only=False):
        return bound, []
    for local in (module, fallback_alias):
        if local is not None and visible.free(local):
            statement = f"import {module}" if local == module else f"import {module} as {local}"
            return local, [NodeEdit("add_import", None, statement)]
    return None, []


def scope_at(index: "ModuleIndex", node: cst.CSTNode) -> "Scope":
    """The innermost function or class scope whose body holds ``node`` (the module
    scope for top-level code): where a name a fix writes there is looked up."""
    bodies = index.derived.get("fixes.scope_bodies")
    if bodies is None:
        scopes = [function.scope for function in index.functions if function.scope is not None]
        scopes += list(index.module_scope.class_scopes.values())
        bodies = index.derived["fixes.scope_bodies"] = {}
        for scope in scopes:
            bodies.setdefault(id(scope.node.body), scope)  # type: ignore[attr-defined]
    # The nearest body among the node and the nodes above it is the innermost.
    for above in index.ancestors(node):
        scope = bodies.get(id(above))
        if scope is not None:
            return scope
    return index.module_scope


class _NamesVisible:
    """The module's names as seen from a node: a module-level import counts only where
    no scope around the node rebinds its name."""

    def __init__(self, index: "ModuleIndex", used_at: cst.CSTNode | None) -> None:
        self._module_scope = index.module_scope
        self._scope = scope_at(index, used_at) if used_at is not None else index.module_scope

    def imports_of(self, qualified_name: str, *, only: bool = True):
        """Names the module binds to an import of ``qualified_name`` (``only``: and to
        nothing else) that the node sees as such."""
        for bound, bindings in self._module_scope.bindings.items():
            imports = [b.kind == "import" and b.qualified_name == qualified_name for b in bindings]
            if bindings and (all(imports) if only else any(imports)):
                if self._scope.lookup(bound) is bindings:
                    yield bound

    def free(self, name: str) -> bool:
        return name not in self._module_scope.bindings and self._scope.lookup(name) is None


def call_without_keyword(call: cst.Call, keyword: str) -> cst.Call:
    """``call`` without its ``keyword=…`` argument (see :func:`call_without_argument`);
    unchanged when it has none.  Found by name, so it composes with other rewrites of
    the same call."""
    argument = next((a for a in call.args if a.keyword is not None and a.keyword.value == keyword), None)
    return call if argument is None else call_without_argument(call, argument)


@dataclass(frozen=True, eq=False)
class Rewrite:
    """A change of one node of the original tree: ``change`` maps the node (as rewritten
    so far) to its new form.  Rewrites of the same node, or of nodes inside it, compose
    (:func:`rewrite_edits`), so several fixes' changes can go into one fix."""

    node: cst.CSTNode
    change: Callable[[cst.CSTNode], cst.CSTNode]


def rewrite_edits(index: "ModuleIndex", rewrites: Sequence[Rewrite]) -> list[NodeEdit]:
    """One replace edit per outermost rewritten node, with every rewrite of that node and
    of the nodes inside it applied (inner nodes first, then each node's rewrites in the
    given order): the edits of one fix never overlap."""
    order: list[cst.CSTNode] = []
    changes: dict[int, list[Callable[[cst.CSTNode], cst.CSTNode]]] = {}
    for rewrite in rewrites:
        if id(rewrite.node) not in changes:
            order.append(rewrite.node)
            changes[id(rewrite.node)] = []
        changes[id(rewrite.node)].append(rewrite.change)
    outermost = [node for node in order if not any(other is not node and contains(other, node) for other in order)]
    return [replace_node(index, node, node.visit(_Rewriter(changes))) for node in outermost]  # type: ignore[arg-type]


class _Rewriter(cst.CSTTransformer):
    """Applies the rewrites of each original node, bottom-up, in one pass (libcst
    rebuilds the nodes above a change, so a node is found by its original identity)."""

    def __init__(self, changes: dict[int, list[Callable[[cst.CSTNode], cst.CSTNode]]]) -> None:
        super().__init__()
        self._changes = changes

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode):  # type: ignore[override]
        for change in self._changes.get(id(original_node), ()):
            updated_node = change(updated_node)
        return updated_node
