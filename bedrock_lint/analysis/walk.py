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


# The types of the values found in node fields, by whether they are nodes: a set lookup
# per value is several times cheaper than ``isinstance`` on libcst's abstract base class,
# which every traversal asks tens of thousands of times per module.
_NODE_TYPES: set[type] = set()
_OTHER_TYPES: set[type] = {type(None), str, bool, int, list, tuple}


def _is_node_type(value_type: type) -> bool:
    """Whether values of this type (not yet in either set) are nodes; remembered."""
    is_node = issubclass(value_type, cst.CSTNode)
    (_NODE_TYPES if is_node else _OTHER_TYPES).add(value_type)
    return is_node


def iter_children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    node_types, other_types = _NODE_TYPES, _OTHER_TYPES
    node_type = type(node)
    for name in _node_fields.get(node_type) or _child_fields(node_type):
        value = getattr(node, name)
        value_type = type(value)
        if value_type in node_types:
            yield value
        elif value_type is list or value_type is tuple:
            for item in value:
                item_type = type(item)
                if item_type in node_types or (item_type not in other_types and _is_node_type(item_type)):
                    yield item
        elif value_type not in other_types and _is_node_type(value_type):
            yield value


def with_parents(root: cst.CSTNode) -> Iterator[tuple[cst.CSTNode, cst.CSTNode | None]]:
    """Every node under ``root`` (``root`` included, its parent None) with its parent."""
    stack: list[tuple[cst.CSTNode, cst.CSTNode | None]] = [(root, None)]
    while stack:
        node, parent = stack.pop()
        yield node, parent
        stack.extend((child, node) for child in iter_children(node))


def tree_links(root: cst.CSTNode) -> tuple[dict[int, cst.CSTNode], dict[type, list[cst.CSTNode]]]:
    """The parent of every node under ``root`` (not ``root`` itself), by node id, and
    those nodes by their type: the nodes :func:`with_parents` gives, in one walk (a
    module of 1,000 lines holds about 10,000 nodes)."""
    parents: dict[int, cst.CSTNode] = {}
    by_type: dict[type, list[cst.CSTNode]] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        for child in iter_children(node):
            parents[id(child)] = node
            stack.append(child)
        if node is not root:
            by_type.setdefault(type(node), []).append(node)
    return parents, by_type


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
