"""Fixed lines that fit the project's line length (``Settings.line_length``).

When a fix makes a line longer than the limit, the call (or dict, list) around its edit
that sits on that line is written one item a line with a trailing comma, indented
one level (the file's indentation unit) past the line it starts on: the layout black
and ruff's formatter keep for a call that does not fit (the trailing comma keeps it
so).  Items that are still too long are split the same way, inside out.  A call that
is already written over several lines keeps its layout; then the item on the long
line is split.  Code with comments inside, or a bare generator argument (which a
trailing comma would make invalid), is left as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import libcst as cst

from bedrock_lint.findings import TextEdit
from bedrock_lint.fixes.imports import line_end as _line_end, line_start as _line_start

if TYPE_CHECKING:
    from bedrock_lint.analysis.positions import NodeOffsets
    from bedrock_lint.rules.report import NodeEdit

_BRACKETED = (cst.Call, cst.Dict, cst.List)
_STOP = (cst.BaseSmallStatement, cst.BaseCompoundStatement, cst.Lambda, cst.Module)


def _width(text: str) -> int:
    """Columns, a tab counting to the next multiple of 4 (ruff's default tab size)."""
    return len(text.expandtabs(4))


def _longest_line(text: str) -> int:
    return max((_width(line) for line in text.splitlines()), default=0)


class LineFitter:
    """Wraps the edits of one file's fixes to ``line_length``; see the module docstring.

    Used in two steps, so that the nodes to re-render are located in one pass:
    :meth:`targets` names the node to split for each edit that makes a line too long,
    then :meth:`fitted` gives a fix's edits with those nodes rewritten."""

    # The types of the nodes :meth:`target` may return: their ranges are recorded with
    # the offsets of the findings (``NodeOffsets(kinds=…)``), for :meth:`fitted`.
    TARGET_KINDS = frozenset(_BRACKETED)

    def __init__(self, module: cst.Module, text: str, line_length: int, parents: Callable[[], dict[int, cst.CSTNode]]) -> None:
        """``parents`` gives the module's parent map (``ModuleIndex.parents``); it is
        asked for only when an edit makes a line too long."""
        self._module = module
        self._text = text
        self._limit = line_length
        self._parents = parents

    def makes_too_long(self, edit: TextEdit) -> bool:
        """The edit leaves a line over the limit that fitted before, or lengthens an
        over-long line with a call it adds (a line the user wrote long otherwise keeps
        its layout: a changed model id does not reformat the call around it)."""
        text = self._text
        start, end = _line_start(text, edit.start), _line_end(text, edit.end)
        before = _longest_line(text[start:end])
        after = _longest_line(text[start : edit.start] + edit.content + text[edit.end : end])
        if after <= self._limit or after <= before:
            return False
        return before <= self._limit or edit.content.count("(") > text[edit.start : edit.end].count("(")

    def target(self, node: cst.CSTNode) -> cst.CSTNode | None:
        """The outermost one-line call, dict or list around ``node`` (itself included)."""
        parents = self._parents()
        found = None
        current: cst.CSTNode | None = node
        came_from: cst.CSTNode | None = None
        while current is not None and not isinstance(current, _STOP):
            # A call is split around its arguments: only when the edit is in one of them.
            in_items = not (isinstance(current, cst.Call) and came_from is current.func)
            if isinstance(current, _BRACKETED) and in_items:
                if "\n" in self._module.code_for_node(current):
                    break
                found = current
            came_from, current = current, parents.get(id(current))
        return found

    def fitted(
        self,
        edits: list[tuple["NodeEdit", TextEdit]],
        targets: dict[int, cst.CSTNode],
        offsets: "NodeOffsets",
    ) -> list[TextEdit]:
        """The edits of one fix, those with a target in ``targets`` (by id of the node
        edit) replaced by one edit of the whole target, rewritten and split."""
        result: list[TextEdit] = []
        by_target: dict[int, list[tuple["NodeEdit", TextEdit]]] = {}
        for node_edit, text_edit in edits:
            target = targets.get(id(node_edit))
            if target is None:
                result.append(text_edit)
            else:
                by_target.setdefault(id(target), []).append((node_edit, text_edit))
        for group in by_target.values():
            target = targets[id(group[0][0])]
            start, end = offsets.full(target)
            inside = [
                (node_edit, text_edit)
                for node_edit, text_edit in edits
                if id(node_edit) not in targets and start <= text_edit.start and text_edit.end <= end
            ]
            rewritten = self._rewritten(target, group + inside)
            if rewritten is None:
                result.extend(text_edit for _, text_edit in group)
                continue
            result = [edit for edit in result if all(edit is not text_edit for _, text_edit in inside)]
            line = self._text[_line_start(self._text, start) : start]
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            split = _split(rewritten, indent, self._module.default_indent, self._limit, _width(line), force=True)
            result.append(TextEdit(start, end, self._module.code_for_node(split)))
        return result

    def _rewritten(self, target: cst.CSTNode, edits: list[tuple["NodeEdit", TextEdit]]) -> cst.CSTNode | None:
        replacements: dict[int, cst.CSTNode] = {}
        for node_edit, _ in edits:
            if node_edit.kind != "replace" or node_edit.node is None:
                return None
            replacement = node_edit.replacement
            if replacement is None:
                try:
                    replacement = cst.parse_expression(node_edit.content.strip())
                except cst.ParserSyntaxError:
                    return None
            replacements[id(node_edit.node)] = replacement
        if id(target) in replacements:
            return replacements[id(target)]
        return target.visit(_Replacer(replacements))


class _Replacer(cst.CSTTransformer):
    def __init__(self, replacements: dict[int, cst.CSTNode]) -> None:
        super().__init__()
        self._replacements = replacements

    def on_leave(self, original_node, updated_node):  # type: ignore[override]
        return self._replacements.get(id(original_node), updated_node)


def _break(indent: str) -> cst.ParenthesizedWhitespace:
    return cst.ParenthesizedWhitespace(
        first_line=cst.TrailingWhitespace(), empty_lines=[], indent=False, last_line=cst.SimpleWhitespace(indent)
    )


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


def _splittable(node: cst.CSTNode) -> bool:
    if not isinstance(node, _BRACKETED):
        return False
    code = _code(node)
    if "\n" in code or "#" in code:
        return False
    items = node.args if isinstance(node, cst.Call) else node.elements
    if not items:
        return False
    return not (isinstance(node, cst.Call) and len(items) == 1 and isinstance(items[0].value, cst.GeneratorExp) and not items[0].value.lpar)


def _split(node: cst.CSTNode, indent: str, unit: str, limit: int, first_column: int, *, force: bool = False) -> cst.CSTNode:
    """``node`` one item a line if it does not fit where it starts (``first_column``)
    or ``force``, its items split the same way when they do not fit on their own lines."""
    if (not force and first_column + len(_code(node)) <= limit) or not _splittable(node):
        return node
    inner = indent + unit
    items = list(node.args if isinstance(node, cst.Call) else node.elements)  # type: ignore[attr-defined]
    for position, item in enumerate(items):
        last = position == len(items) - 1
        bare = item.with_changes(comma=cst.MaybeSentinel.DEFAULT)
        prefix = len(_code(bare)) - len(_code(item.value))  # "name=", "**", "key: "
        value = _split(item.value, inner, unit, limit - 1, _width(inner) + prefix)  # the trailing comma
        item = item.with_changes(value=value, comma=cst.Comma(whitespace_after=_break(indent if last else inner)))
        if isinstance(item, cst.Arg):
            item = item.with_changes(whitespace_after_arg=cst.SimpleWhitespace(""))
        items[position] = item
    if isinstance(node, cst.Call):
        return node.with_changes(args=items, whitespace_before_args=_break(inner))
    if isinstance(node, cst.Dict):
        return node.with_changes(
            elements=items,
            lbrace=cst.LeftCurlyBrace(whitespace_after=_break(inner)),
            rbrace=cst.RightCurlyBrace(whitespace_before=cst.SimpleWhitespace("")),
        )
    return node.with_changes(
        elements=items,
        lbracket=cst.LeftSquareBracket(whitespace_after=_break(inner)),
        rbracket=cst.RightSquareBracket(whitespace_before=cst.SimpleWhitespace("")),
    )
