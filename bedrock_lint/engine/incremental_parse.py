"""Parse an edited text again by re-parsing only the top-level statements the edit touched.

The language server checks a buffer after every edit, and most edits change one
top-level statement of the module.  An :class:`IncrementalParser` keeps the last module
it returned together with the span of text each top-level statement was parsed from
(its *chunk*: its leading comment lines, the statement, the footer of its block).  For a
new text it finds the changed span, parses the chunks around it as a module of their
own, and puts the module together from the kept statements and the fresh ones.  The
result is the module ``libcst.parse_module(text)`` returns (``tests/test_incremental_
parse.py`` checks this with ``deep_equals`` on every fixture under random line edits):

- One unchanged statement on each side of the changed span is parsed again with it: an
  edit right after a ``def`` may add lines to its block, and comment lines indented
  below a compound statement belong to its block's footer, so where a chunk ends
  depends on the statement before it.  Text before the first re-parsed statement ends
  at a statement at column 0 that the edit did not touch, so the statements kept before
  it are what a full parse gives; after the last one the same holds because it is
  parsed from the same text at the start of a line at the top level.
- What a module parsed alone decides for itself is fixed up or refused: the comment
  lines before its first statement (its ``header``) go back to that statement's
  ``leading_lines``; its ``footer`` must be empty unless it reaches the end of the file;
  its default newline must be the file's; and its default indentation, which libcst
  takes from the first indented block of the file and against which every
  ``IndentedBlock.indent`` is written, must be the one the whole file has (so must the
  kept statements', when they have a block).  Anything else is a full parse.
- Every chunk's text is checked against the statement's generated code (libcst drops a
  form feed before a statement, for example): the module returned always prints back
  exactly the text it was given, or it is the full parse.
- A syntax error anywhere, or a text not seen before, is a full parse: the error and its
  position are libcst's own.

Node identity: kept statements are the same objects in the old and the new module.  The
index keys nodes by ``id``; the parser holds its last module, so the ids of its nodes stay
unique among live objects.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import libcst as cst

# libcst's default indentation when a file has no indented block.
FALLBACK_INDENT = "    "


@dataclass
class _Parsed:
    """The last text parsed, its module, and where each top-level statement's chunk ends."""

    text: str
    module: cst.Module
    # Offsets in ``text``: the end of the header and of each statement's chunk; None until
    # an edit needs them, and None for good when the module does not print back ``text``.
    ends: list[int] | None = None
    header_end: int = 0
    checked: bool = False


class IncrementalParser:
    """``parse(text)``: what ``libcst.parse_module(text)`` returns, re-using the statements
    of the previous text that an edit did not touch.  One per document."""

    def __init__(self) -> None:
        self._last: _Parsed | None = None
        # How the last parse went ("full", "incremental", "same"): for tests and benches.
        self.last_kind = ""
        self.reparsed_chars = 0

    def __call__(self, text: str) -> cst.Module:
        last = self._last
        if last is not None and last.text == text:
            self.last_kind, self.reparsed_chars = "same", 0
            return last.module
        module = self._incremental(last, text) if last is not None else None
        if module is None:
            return self._full(text)
        return module

    def kept_imports(self, text: str) -> frozenset[str]:
        """The top-level packages that the last text's top-level absolute imports
        before the first change in ``text`` name (``import a.b``, ``from a.b import c``:
        ``a``).  ``text`` has these statements as they were, at the top level, whether or
        not it parses (so ``ast`` finds them too, or reports a syntax error)."""
        last = self._last
        ends = _chunk_ends(last) if last is not None else None
        if not ends:
            return frozenset()
        kept = bisect_right(ends, _common_prefix(last.text, text))
        names = set()
        for statement in last.module.body[:kept]:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Import):
                        names.update(_first_name(alias.name) for alias in small.names)
                    elif isinstance(small, cst.ImportFrom) and not small.relative and small.module is not None:
                        names.add(_first_name(small.module))
        return frozenset(names)

    def _full(self, text: str) -> cst.Module:
        self._last = None  # a syntax error leaves nothing to re-use
        module = cst.parse_module(text)
        self._last = _Parsed(text, module)
        self.last_kind, self.reparsed_chars = "full", len(text)
        return module

    def _incremental(self, last: _Parsed, text: str) -> cst.Module | None:
        ends = _chunk_ends(last)
        if ends is None or not last.module.body:
            return None
        old = last.text
        prefix = _common_prefix(old, text)
        suffix = _common_suffix(old, text, prefix)
        changed_start, changed_end = prefix, len(old) - suffix
        body = last.module.body
        count = len(body)
        # The statement chunks the changed span touches, and one more on each side.
        first = bisect_right(ends, changed_start) - 1
        last_touched = bisect_right(ends, max(changed_end - 1, changed_start))
        at_start = first <= 0 or changed_start < last.header_end
        to_end = last_touched + 1 >= count
        region_start = 0 if at_start else ends[first - 1]
        region_end_old = len(old) if to_end else ends[last_touched + 1]
        region_end = region_end_old + len(text) - len(old)
        if at_start and to_end:
            return None  # the whole file
        region_text = text[region_start:region_end]
        try:
            region = cst.parse_module(region_text)
        except cst.ParserSyntaxError:
            return None  # a full parse reports it as libcst does
        fresh = list(region.body)
        if not fresh or (region.footer and not to_end) or region.default_newline != last.module.default_newline:
            return None
        if region.header and not at_start:
            fresh[0] = fresh[0].with_changes(leading_lines=[*region.header, *fresh[0].leading_lines])
        kept_before = body[:first] if not at_start else ()
        kept_after = body[last_touched + 2 :] if not to_end else ()
        indent = _file_indent(kept_before, fresh, kept_after, last.module.default_indent, region.default_indent)
        if indent is None:
            return None
        old_module = last.module
        module = cst.Module(
            body=[*kept_before, *fresh, *kept_after],
            header=region.header if at_start else old_module.header,
            footer=region.footer if to_end else old_module.footer,
            encoding=region.encoding if at_start else old_module.encoding,
            default_indent=indent,
            default_newline=old_module.default_newline,
            has_trailing_newline=region.has_trailing_newline if to_end else old_module.has_trailing_newline,
        )
        # The chunks of the fresh statements, checked against the text they came from.
        padded = _padded(module, text)
        header_end = last.header_end
        if at_start:
            header_end = _fits(module, module.header, padded, 0)
            if header_end is None:
                return None
            new_ends = []
        else:
            new_ends = list(ends[:first])
        fresh_ends = _statement_ends(module, fresh, padded, header_end if at_start else region_start)
        if fresh_ends is None:
            return None
        new_ends += fresh_ends
        position = fresh_ends[-1]
        if to_end:
            if _fits(module, module.footer, padded, position) != len(padded):
                return None
        elif position != region_end:
            return None
        shift = len(text) - len(old)
        new_ends.extend(end + shift for end in ends[last_touched + 2 :])
        self._last = _Parsed(text, module, new_ends, header_end, checked=True)
        self.last_kind, self.reparsed_chars = "incremental", len(region_text)
        return module


def _padded(module: cst.Module, text: str) -> str:
    """``text`` as the module's code is generated before a missing last newline is taken
    off (``Module.has_trailing_newline``)."""
    return text if module.has_trailing_newline else text + module.default_newline


def _fits(module: cst.Module, nodes, text: str, position: int) -> int | None:
    """Where the code of ``nodes`` ends if ``text`` has it at ``position``, else None."""
    for node in nodes:
        code = module.code_for_node(node)
        if not text.startswith(code, position):
            return None
        position += len(code)
    return position


def _chunk_ends(parsed: _Parsed) -> list[int] | None:
    """Where each statement's chunk ends in ``parsed.text`` (its code generated once and
    compared with the text); None when the module does not print back the text."""
    if parsed.checked:
        return parsed.ends
    parsed.checked = True
    module = parsed.module
    padded = _padded(module, parsed.text)
    position = _fits(module, module.header, padded, 0)
    if position is None:
        return None
    parsed.header_end = position
    ends = _statement_ends(module, module.body, padded, position)
    if ends is None or _fits(module, module.footer, padded, ends[-1] if ends else position) != len(padded):
        return None
    parsed.ends = ends
    return ends


def _statement_ends(module: cst.Module, statements, text: str, position: int) -> list[int] | None:
    """Where each statement's code ends if ``text`` has them one after the other from
    ``position``, else None."""
    ends = []
    for statement in statements:
        found = _fits(module, (statement,), text, position)
        if found is None:
            return None
        ends.append(position := found)
    return ends


def _file_indent(before, fresh, after, kept_indent: str, fresh_indent: str) -> str | None:
    """The default indentation of the module made of these statements (libcst's: the
    first indented block's), or None when the kept or the fresh statements were written
    against another one."""
    indent = None
    for statements, written_with in ((before, kept_indent), (fresh, fresh_indent), (after, kept_indent)):
        for statement in statements:
            block = _first_block(statement)
            if block is not None:
                indent = block.indent if block.indent is not None else written_with
                break
        if indent is not None:
            break
    if indent is None:
        indent = FALLBACK_INDENT
    if indent != fresh_indent and any(_first_block(statement) is not None for statement in fresh):
        return None
    if indent != kept_indent and any(_first_block(statement) is not None for part in (before, after) for statement in part):
        return None
    return indent


def _first_block(statement: cst.CSTNode) -> cst.IndentedBlock | None:
    """The first indented block of a top-level statement, in the order of the text (the
    first INDENT of a file is one of these: a nested block comes after its parent)."""
    for part in _clauses(statement):
        if isinstance(part.body, cst.IndentedBlock):
            return part.body
    return None


def _clauses(statement: cst.CSTNode):
    """The parts of a compound statement that have a body, in the order of the text."""
    if not isinstance(statement, cst.BaseCompoundStatement):
        return
    if isinstance(statement, cst.Match):
        yield from statement.cases
        return
    yield statement
    if isinstance(statement, (cst.Try, cst.TryStar)):
        yield from statement.handlers
    orelse = getattr(statement, "orelse", None)
    while isinstance(orelse, cst.If):  # elif chains
        yield orelse
        orelse = orelse.orelse
    if orelse is not None:
        yield orelse
    finalbody = getattr(statement, "finalbody", None)
    if finalbody is not None:
        yield finalbody


def _first_name(name: cst.Attribute | cst.Name) -> str:
    while isinstance(name, cst.Attribute):
        name = name.value  # type: ignore[assignment]
    return name.value if isinstance(name, cst.Name) else ""


def _common_prefix(old: str, new: str) -> int:
    """The length of the longest common prefix (comparing halves: memory compares)."""
    low, high = 0, min(len(old), len(new))
    while low < high:
        middle = (low + high + 1) // 2
        if old[low:middle] == new[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(old: str, new: str, prefix: int) -> int:
    """The length of the longest common suffix that does not overlap the prefix."""
    low, high = 0, min(len(old), len(new)) - prefix
    while low < high:
        middle = (low + high + 1) // 2
        if old[len(old) - middle : len(old) - low] == new[len(new) - middle : len(new) - low]:
            low = middle
        else:
            high = middle - 1
    return low
