"""engine.incremental_parse: after any edit, the module put together from kept and
re-parsed statements is the module ``libcst.parse_module`` returns for the new text."""

from __future__ import annotations

import random
from pathlib import Path

import libcst as cst
import pytest

from bedrock_lint.engine.gate import CLIENT_MODULES, may_hold_findings
from bedrock_lint.engine.incremental_parse import IncrementalParser
from bedrock_lint.engine.source import source_from_bytes

FIXTURES = sorted(Path(__file__).resolve().parent.parent.joinpath("fixtures").rglob("*.py"))
EDITS_PER_FIXTURE = 12


def _full(text: str):
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        return error


def _incremental(parser: IncrementalParser, text: str):
    try:
        return parser(text)
    except cst.ParserSyntaxError as error:
        return error


def assert_same_parse(parser: IncrementalParser, text: str) -> None:
    expected, got = _full(text), _incremental(parser, text)
    if isinstance(expected, cst.ParserSyntaxError):
        assert isinstance(got, cst.ParserSyntaxError), f"parsed what libcst rejects ({parser.last_kind})"
        assert (str(got), got.raw_line, got.raw_column) == (str(expected), expected.raw_line, expected.raw_column)
        return
    assert isinstance(got, cst.Module), f"libcst parses it, the incremental parser raised {got}"
    assert got.code == expected.code  # libcst drops a byte order mark, a form feed before a statement
    assert got.deep_equals(expected), f"{parser.last_kind} parse differs from libcst's"
    for name in ("encoding", "default_indent", "default_newline", "has_trailing_newline"):
        assert getattr(got, name) == getattr(expected, name), name


# Line edits that stress what a statement parsed alone could get wrong: comment lines
# that belong to the block above, indentation, form feeds, syntax errors, new blocks.
def _edit(lines: list[str], rng: random.Random) -> list[str]:
    lines = list(lines)
    at = rng.randrange(len(lines) + 1)
    line = lines[min(at, len(lines) - 1)] if lines else "x = 1\n"
    kind = rng.randrange(13)
    if kind == 0 and lines:  # delete a line
        del lines[min(at, len(lines) - 1)]
    elif kind == 1:  # copy a line elsewhere
        lines.insert(at, rng.choice(lines) if lines else line)
    elif kind == 2 and lines:  # indent or dedent a line
        index = min(at, len(lines) - 1)
        lines[index] = ("  " + lines[index]) if rng.random() < 0.5 else lines[index][min(4, len(lines[index]) - len(lines[index].lstrip(" "))):]
    elif kind == 3:
        lines.insert(at, rng.choice(["    # an indented comment\n", "# a comment\n", "\n", "  # two\n", "\t# tab\n"]))
    elif kind == 4:
        lines.insert(at, rng.choice(["def added():\n", "class Added:\n", "if x:\n", "try:\n", "    pass\n", "else:\n"]))
    elif kind == 5:
        lines.insert(at, rng.choice(["\x0c\n", "\x0cx = 1\n", "x = (\n", ")\n", '"""\n', "x = 1 \\\n", "  \x0c  y = 2\n"]))
    elif kind == 6 and lines:  # a syntax error in a line
        index = min(at, len(lines) - 1)
        lines[index] = lines[index].rstrip("\n") + " = = )\n"
    elif kind == 7:
        lines.insert(at, rng.choice(["def f():\n  return 1\n", "def g():\n\treturn 2\n", "async def h():\n        await x\n", "x = 1\r\n"]))
    elif kind == 8 and lines:  # change a word
        index = min(at, len(lines) - 1)
        lines[index] = lines[index].replace("(", "( ", 1).replace("=", " = ", 1)
    elif kind == 9 and lines:  # the last line loses its newline, or gets one
        lines[-1] = lines[-1].rstrip("\n") if lines[-1].endswith("\n") else lines[-1] + "\n"
    elif kind == 10:
        lines.insert(at, "# -*- coding: latin-1 -*-\n")
    elif kind == 11 and len(lines) > 2:  # move a block of lines
        start = rng.randrange(len(lines) - 1)
        block = lines[start : start + rng.randrange(1, 6)]
        del lines[start : start + len(block)]
        target = rng.randrange(len(lines) + 1)
        lines[target:target] = block
    elif kind == 12:
        lines.insert(at, rng.choice(["match x:\n    case 1:\n        pass\n", "for a in b:\n    pass\nelse:\n   pass\n", "if a: pass\nelif b:\n  pass\n"]))
    return lines


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: str(path.relative_to(path.parents[2])))
def test_random_line_edits_parse_as_libcst_does(path: Path) -> None:
    rng = random.Random(str(path.name))
    original = source_from_bytes(path.read_bytes(), str(path)).text.splitlines(keepends=True)  # as analysed
    parser = IncrementalParser()
    assert_same_parse(parser, "".join(original))
    lines = original
    for _ in range(EDITS_PER_FIXTURE):
        lines = _edit(lines, rng) if rng.random() < 0.8 else _edit(original, rng)
        text = "".join(lines)
        # The server's gate answers yes from the imports an edit did not touch: so must
        # the gate's ast.
        if not CLIENT_MODULES.isdisjoint(parser.kept_imports(text)):
            assert may_hold_findings(text)
        assert_same_parse(parser, text)


BASE = "import boto3\n\nclient = boto3.client('bedrock-runtime')\n\n\ndef first():\n  return 1\n\n\ndef second():\n    return 2\n\n\nx = 1\ny = 2\n"


@pytest.mark.parametrize(
    "old, new",
    [
        # an indented comment after a block belongs to the block's footer
        (BASE, BASE.replace("\n\n\ndef second", "\n  # about first\n\ndef second")),
        # an indented line right after a def joins its block
        (BASE, BASE.replace("  return 1\n", "  return 1\n  z = 3\n")),
        (BASE, BASE.replace("x = 1\n", "def third():\n  x = 1\n")),
        # the first block's indentation is the file's default indent
        (BASE, BASE.replace("  return 1", "    return 1")),
        (BASE, BASE.replace("def first():\n  return 1", "first = 1")),
        (BASE.replace("  return 1", "\treturn 1"), BASE),
        # the header, the footer, the end of the file
        (BASE, "# a header comment\n" + BASE),
        (BASE, BASE + "# a footer comment\n"),
        (BASE, BASE + "    # an indented footer comment\n"),
        (BASE, BASE.rstrip("\n")),
        (BASE.rstrip("\n"), BASE.rstrip("\n") + "\nz = 3"),
        (BASE, BASE.replace("y = 2\n", "y = 2\r\n")),
        (BASE.replace("\n", "\r\n"), BASE.replace("\n", "\r\n").replace("x = 1", "x = 10")),
        # form feeds, a syntax error coming and going
        (BASE, BASE.replace("\ndef second", "\x0c\ndef second")),
        (BASE, BASE.replace("x = 1", "x = = 1")),
        (BASE.replace("x = 1", "x = = 1"), BASE),
        (BASE, BASE.replace("x = 1\n", "x = (\n")),
        (BASE, BASE.replace("return 2", "return '''2")),
    ],
)
def test_edits_at_the_edges_parse_as_libcst_does(old: str, new: str) -> None:
    parser = IncrementalParser()
    assert_same_parse(parser, old)
    assert_same_parse(parser, new)
    assert_same_parse(parser, old)


def test_an_edit_in_one_function_parses_only_around_it() -> None:
    text = "import boto3\n\nclient = boto3.client('bedrock-runtime')\n" + "".join(
        f"\n\ndef call_{number}(prompt):\n    return client.converse(modelId='m', messages=[{{'role': 'user', 'content': prompt}}])\n"
        for number in range(100)
    )
    parser = IncrementalParser()
    before = parser(text)
    edited = text.replace("def call_50(prompt)", "def call_50(prompt, more)")
    after = parser(edited)
    assert parser.last_kind == "incremental"
    assert parser.reparsed_chars < len(text) // 20
    assert after.deep_equals(cst.parse_module(edited))
    # Statements away from the edit are the same nodes.
    assert after.body[10] is before.body[10] and after.body[90] is before.body[90]
    assert after.body[52] is not before.body[52]


def test_the_imports_an_edit_did_not_touch() -> None:
    text = "import os\nimport botocore.config\nfrom anthropic import AnthropicBedrock\nfrom . import local\n\nx = 1\n\n\ndef f():\n    return 2\n"
    parser = IncrementalParser()
    assert parser.kept_imports(text) == frozenset()  # nothing parsed yet
    parser(text)
    assert parser.kept_imports(text.replace("return 2", "return 3")) == {"os", "botocore", "anthropic"}
    assert parser.kept_imports(text.replace("from anthropic", "from anthropics")) == {"os", "botocore"}
    assert parser.kept_imports("# a new first line\n" + text) == frozenset()
