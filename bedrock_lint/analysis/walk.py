"""Children of a libcst node, without libcst's visitor machinery.

Walking dataclass fields directly (skipping whitespace and punctuation fields) is
about ten times cheaper than ``CSTVisitor`` or ``node.children`` (measured on
langchain-aws 1.9.1: 0.09 s against 1.1 s for 31k lines).
"""

from __future__ import annotations

import dataclasses
from typing import Iterator

import libcst as cst

# Fields that never hold nodes we care about (whitespace and punctuation).
_SKIPPED_FIELDS = {
    "lpar", "rpar", "comma", "semicolon", "equal", "colon", "dot", "leading_lines", "lines_after_decorators",
    "header", "footer", "newline", "operator", "whitespace", "trailing_whitespace", "star_tok",
    "asynchronous", "default_indent", "default_newline", "encoding", "has_trailing_newline",
}
_node_fields: dict[type, tuple[str, ...]] = {}


def _child_fields(node_type: type) -> tuple[str, ...]:
    names = _node_fields.get(node_type)
    if names is None:
        names = tuple(
            f.name
            for f in dataclasses.fields(node_type)
            if f.name not in _SKIPPED_FIELDS and not f.name.startswith("whitespace")
        )
        _node_fields[node_type] = names
    return names


def iter_children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    for name in _child_fields(type(node)):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            yield value
        elif type(value) in (list, tuple):
            for item in value:
                if isinstance(item, cst.CSTNode):
                    yield item


def with_parents(root: cst.CSTNode) -> Iterator[tuple[cst.CSTNode, cst.CSTNode | None]]:
    """Every node under ``root`` (``root`` included, its parent None) with its parent."""
    stack: list[tuple[cst.CSTNode, cst.CSTNode | None]] = [(root, None)]
    while stack:
        node, parent = stack.pop()
        yield node, parent
        stack.extend((child, node) for child in iter_children(node))


def contains(root: cst.CSTNode, node: cst.CSTNode) -> bool:
    """``node`` is ``root`` or one of the nodes under it."""
    stack = [root]
    while stack:
        current = stack.pop()
        if current is node:
            return True
        stack.extend(iter_children(current))
    return False


def names_in(node: cst.CSTNode) -> Iterator[str]:
    """Every plain name used under ``node``."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            yield current.value
        stack.extend(iter_children(current))


def dotted_name(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a chain of names and attributes; None for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted_name(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None
