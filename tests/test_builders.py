"""Fix builders keep comments: removing an argument never drops a comment on its line or
on the line before it (found by tests/test_migrate_properties.py on a BDR203 fix that
moves ``temperature=`` into ``inferenceConfig``)."""

from __future__ import annotations

import libcst as cst
import pytest

from bedrock_lint.fixes.builders import Rewrite, call_without_argument, call_without_keyword, dict_without_entry, rewrite_edits


def _without(code: str, position: int) -> str:
    call = cst.parse_expression(code)
    return cst.Module([]).code_for_node(call_without_argument(call, call.args[position]))


@pytest.mark.parametrize(
    ("code", "position", "expected"),
    [
        # The last argument goes: the comment of the line before stays there.
        ("f(\n    a=1,  # keep\n    b=2,\n)", 1, "f(\n    a=1,  # keep\n)"),
        ("f(\n    a=1,  # keep\n    b=2\n)", 1, "f(\n    a=1  # keep\n)"),
        # A comment on the removed line moves up (or onto its own line).
        ("f(\n    a=1,\n    b=2,  # moved\n    c=3,\n)", 1, "f(\n    a=1,  # moved\n    c=3,\n)"),
        ("f(\n    a=1,  # keep\n    b=2,  # moved\n    c=3,\n)", 1, "f(\n    a=1,  # keep\n# moved\n    c=3,\n)"),
        ("f(\n    a=1,  # keep\n    b=2,  # moved\n)", 1, "f(\n    a=1,  # keep\n# moved\n)"),
        # No comments: unchanged behaviour.
        ("f(a=1, b=2, c=3)", 1, "f(a=1, c=3)"),
        ("f(a=1, b=2)", 1, "f(a=1)"),
        ("f(\n    a=1,\n    b=2,\n)", 1, "f(\n    a=1,\n)"),
    ],
)
def test_removing_an_argument_keeps_comments(code, position, expected):
    result = _without(code, position)
    assert result == expected
    compile(result, "<test>", "eval")


def _without_entry(code: str, key: str) -> str:
    return cst.Module([]).code_for_node(dict_without_entry(cst.parse_expression(code), key))


@pytest.mark.parametrize(
    ("code", "key", "expected"),
    [
        # The last entry goes: the comment of the line before stays there, the removed
        # line's comment moves onto its own line.
        ('{\n    "a": 1,  # keep\n    "b": 2,\n}', "b", '{\n    "a": 1,  # keep\n}'),
        ('{\n    "a": 1,  # keep\n    "b": 2\n}', "b", '{\n    "a": 1  # keep\n}'),
        ('{\n    "a": 1,  # keep\n    "b": 2,  # moved\n}', "b", '{\n    "a": 1,  # keep\n# moved\n}'),
        # A comment on a removed middle line moves up (or onto its own line).
        ('{\n    "a": 1,\n    "b": 2,  # moved\n    "c": 3,\n}', "b", '{\n    "a": 1,  # moved\n    "c": 3,\n}'),
        ('{\n    "a": 1,  # keep\n    "b": 2,  # moved\n    "c": 3,\n}', "b", '{\n    "a": 1,  # keep\n# moved\n    "c": 3,\n}'),
        # No comments.
        ('{"a": 1, "b": 2, "c": 3}', "b", '{"a": 1, "c": 3}'),
        ('{"a": 1, "b": 2}', "b", '{"a": 1}'),
        ('{"a": 1, "b": 2}', "a", '{"b": 2}'),
        ('{"a": 1}', "a", "{}"),
    ],
)
def test_removing_a_dict_entry_keeps_comments(code, key, expected):
    result = _without_entry(code, key)
    assert result == expected
    compile(result, "<test>", "eval")


def test_rewrites_of_one_node_and_of_nodes_inside_it_make_one_edit():
    """A model-id fix carries request edits (issue 21): the id inside a call, two
    arguments removed from it and a number inside it become one edit of the call, which
    the applier can apply (edits of one fix must not overlap)."""
    call = cst.parse_expression('create(model="old", temperature=0.2, top_p=0.9, max_tokens=200000)')
    model, max_tokens = call.args[0].value, call.args[3].value
    other = cst.parse_expression('"elsewhere"')
    rewrites = [
        Rewrite(model, lambda node: node.with_changes(value='"new"')),
        Rewrite(call, lambda node: call_without_keyword(node, "top_p")),
        Rewrite(max_tokens, lambda node: node.with_changes(value="64000")),
        Rewrite(call, lambda node: call_without_keyword(node, "temperature")),
        Rewrite(other, lambda node: node.with_changes(value='"moved"')),
    ]
    edits = rewrite_edits(None, rewrites)  # type: ignore[arg-type]
    assert [edit.node for edit in edits] == [call, other]
    rendered = [cst.Module([]).code_for_node(edit.replacement) for edit in edits]
    assert rendered == ['create(model="new", max_tokens=64000)', '"moved"']
