"""``engine.noqa.suppression_edit``, the language server's "Suppress BDRxxx on this
line": the edited text compiles as before and ``NoqaDirectives`` (what the engine reads)
then suppresses the code on that line, and no comment goes inside a string or after a
backslash continuation."""

from __future__ import annotations

import pytest

from bedrock_lint.analysis.positions import LineTable
from bedrock_lint.engine.noqa import NoqaDirectives, suppression_edit
from bedrock_lint.fixes.applier import apply_edits


def suppressed(text: str, first: int, last: int, code: str) -> str:
    edit = suppression_edit(text, first, last, code)
    assert edit is not None
    new = apply_edits(text, [edit])
    compile(new, "<edited>", "exec")
    assert NoqaDirectives(new, LineTable(new)).suppresses(code, first, last)
    return new


@pytest.mark.parametrize(
    ("text", "first", "last", "expected"),
    [
        ("x = f(1)\n", 1, 1, "x = f(1)  # noqa: BDR003\n"),
        ("x = f(1)   \n", 1, 1, "x = f(1)  # noqa: BDR003\n"),
        ("x = f(1)\r\ny = 2\r\n", 1, 1, "x = f(1)  # noqa: BDR003\r\ny = 2\r\n"),
        ("x = f(1)  # noqa: BDR001\n", 1, 1, "x = f(1)  # noqa: BDR001, BDR003\n"),
        ("x = f(1)  # type: ignore\n", 1, 1, "x = f(1)  # type: ignore  # noqa: BDR003\n"),
        # The first line ends inside a string: the comment goes on the last.
        ('x = f("""a\nb""", 2)\n', 1, 2, 'x = f("""a\nb""", 2)  # noqa: BDR003\n'),
        # A backslash continues the first line.
        ("x = 1 + \\\n    f(2)\n", 1, 2, "x = 1 + \\\n    f(2)  # noqa: BDR003\n"),
        ("x = f(\n    1,\n)", 1, 3, "x = f(  # noqa: BDR003\n    1,\n)"),
    ],
)
def test_the_edit_suppresses_the_code(text, first, last, expected):
    assert suppressed(text, first, last, "BDR003") == expected


def test_no_edit_where_no_comment_can_go():
    assert suppression_edit('x = """a\nb\nc"""\n', 2, 2, "BDR003") is None  # inside a string
    assert suppression_edit("x = 1 + \\\n    2\n", 1, 1, "BDR003") is None  # continued by a backslash
    assert suppression_edit("x = f(1)  # noqa\n", 1, 1, "BDR003") is None  # suppressed already
    assert suppression_edit("x = (\n", 1, 1, "BDR003") is None  # does not tokenize
