"""Source offsets of the few nodes we report or edit, from one cheap codegen pass.

libcst's ``PositionProvider`` records a line/column range for every node of the tree
(measured on langchain-aws 1.9.1: 3.5 s against 1.55 s for the parse itself).  We
only need the nodes that findings and fixes point at, so this codegen state counts
characters and records ranges for a given set of nodes: about 0.34 s on the same
package.  Offsets convert to lines and columns with a table of line starts.
"""

from __future__ import annotations

import bisect
from contextlib import contextmanager
from typing import Iterable, Iterator

import libcst as cst
from libcst._nodes.internal import CodegenState

from bedrock_lint.analysis.lines import LineTable  # noqa: F401 - the analysis imports it with NodeOffsets


class _Unrecorded:
    """What ``record_syntactic_position`` gives for a node nobody asked about: a
    do-nothing context shared by every such node (libcst asks for each expression and
    statement, a generator-based context each time costs a tenth of the codegen)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info: object) -> None:
        return None


_UNRECORDED = _Unrecorded()


class _OffsetCodegenState(CodegenState):
    """Codegen that tracks the character offset and records two ranges per wanted node:
    the syntactic one (what a user sees as the node) and the full one (everything the
    node prints, i.e. exactly ``module.code_for_node(node)``; fixes replace this).
    Nodes of the types in ``kinds`` get their full range recorded too."""

    def __init__(self, module: cst.Module, wanted: set[int], kinds: frozenset[type] = frozenset()) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.offset = 0
        self.wanted = wanted
        self.kinds = kinds
        self.syntactic: dict[int, tuple[int, int]] = {}
        self.full: dict[int, tuple[int, int]] = {}
        self.indents: dict[int, tuple[str, ...]] = {}
        self._starts: dict[int, int] = {}

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.offset += len(token)

    def add_token(self, value: str) -> None:
        self.offset += len(value)

    def before_codegen(self, node: cst.CSTNode) -> None:
        key = id(node)
        if key in self.wanted:
            self._starts[key] = self.offset
            self.indents[key] = tuple(self.indent_tokens)
        elif type(node) in self.kinds:
            self._starts[key] = self.offset

    def after_codegen(self, node: cst.CSTNode) -> None:
        start = self._starts.pop(id(node), None)
        if start is not None:
            self.full[id(node)] = (start, self.offset)

    def record_syntactic_position(  # type: ignore[override]
        self, node: cst.CSTNode, *, start_node: cst.CSTNode | None = None, end_node: cst.CSTNode | None = None
    ):
        if id(node) not in self.wanted:
            return _UNRECORDED
        return self._recorded(node, start_node, end_node)

    @contextmanager
    def _recorded(self, node: cst.CSTNode, start_node: cst.CSTNode | None, end_node: cst.CSTNode | None) -> Iterator[None]:
        start = self.offset
        try:
            yield
        finally:
            end = self.offset
            if start_node is not None and id(start_node) in self.syntactic:
                start = self.syntactic[id(start_node)][0]
            if end_node is not None and id(end_node) in self.syntactic:
                end = self.syntactic[id(end_node)][1]
            self.syntactic[id(node)] = (start, end)


class NodeOffsets:
    """Offsets of selected nodes in ``text``, the source ``module`` was parsed from.
    ``syntactic(node)`` is the range to report; ``full(node)`` the range
    ``code_for_node`` prints (to replace in fixes).  ``kinds``: node types whose full
    range is recorded for every node of the type (the calls a fix may re-wrap), in the
    same pass."""

    def __init__(
        self, module: cst.Module, nodes: Iterable[cst.CSTNode], text: str | None = None, kinds: frozenset[type] = frozenset()
    ) -> None:
        wanted = {id(node) for node in nodes}
        # Hoisted start/end nodes (e.g. decorators) must be recorded too; record
        # everything that was asked for, plus what the codegen hoists through.
        state = _OffsetCodegenState(module, wanted, kinds)
        if wanted or kinds:
            module._codegen(state)
        self._syntactic = state.syntactic
        self._full = state.full
        self._indents = state.indents
        self._module = module
        # libcst prints back every character it parsed, but one: a form feed in the
        # indentation of a top-level line is dropped, with the blanks around it
        # (libcst 1.9).  The codegen's offsets are then offsets into a shorter text.
        self._to_text = TextAlignment(module.code, text) if (wanted or kinds) and text is not None and "\f" in text else None

    def syntactic(self, node: cst.CSTNode) -> tuple[int, int]:
        found = self._syntactic.get(id(node))
        return self._in_text(found if found is not None else self._full[id(node)])

    def full(self, node: cst.CSTNode) -> tuple[int, int]:
        return self._in_text(self._full[id(node)])

    def _in_text(self, span: tuple[int, int]) -> tuple[int, int]:
        if self._to_text is None:
            return span
        start = self._to_text.start(span[0])
        return start, max(start, self._to_text.end(span[1]))

    def render_in_place_of(self, node: cst.CSTNode, replacement: cst.CSTNode) -> str:
        """The code of ``replacement`` as it would print where ``node`` is: inside the
        same indented blocks (``Module.code_for_node`` prints as if at module level)."""
        state = CodegenState(
            default_indent=self._module.default_indent,
            default_newline=self._module.default_newline,
            indent_tokens=list(self._indents.get(id(node), ())),
        )
        replacement._codegen(state)
        return "".join(state.tokens)


class TextAlignment:
    """Maps offsets of libcst's printed code to offsets of the text it was parsed from,
    when the code is that text less some blanks (the form feeds libcst drops).

    A range keeps to the characters it covers: its start moves past dropped blanks in
    front of it, its end stays before those after it."""

    DROPPABLE = " \t\f"

    def __init__(self, code: str, text: str) -> None:
        # (code offset, characters of text dropped before it in all), one per dropped
        # run, after a sentinel before every offset.
        self._at: list[int] = [-1]
        self._dropped: list[int] = [0]
        if code == text:
            return
        position = 0  # in text
        dropped = 0
        for index, char in enumerate(code):
            run = 0
            while position < len(text) and text[position] != char:
                if text[position] not in self.DROPPABLE:
                    raise ValueError(f"libcst's code differs from the source at offset {position}")
                position += 1
                run += 1
            if position == len(text):
                raise ValueError("libcst's code is longer than the source")
            if run:
                dropped += run
                self._at.append(index)
                self._dropped.append(dropped)
            position += 1
        if text[position:].strip(self.DROPPABLE):
            raise ValueError("libcst's code is shorter than the source")

    def start(self, offset: int) -> int:
        """Where the character at code ``offset`` is in the text."""
        return offset + self._dropped[bisect.bisect_right(self._at, offset) - 1]

    def end(self, offset: int) -> int:
        """Just after the character before code ``offset``, in the text."""
        return offset + self._dropped[bisect.bisect_left(self._at, offset) - 1]
