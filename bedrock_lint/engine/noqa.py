"""``# noqa`` suppression, as in flake8 and ruff, and the edit that adds one.

``# noqa`` on a line suppresses every finding there; ``# noqa: BDR001,BDR1`` only the
listed codes or prefixes.  A finding spanning several lines may be suppressed on its
first or its last line.  As in flake8, the lines of one multi-line string or of one
backslash-continued line count as one: a ``# noqa`` at the end of the last of them
applies to each (a comment cannot go on the others).  ``# bedrock-lint: noqa`` on a
line of its own suppresses the whole file; ``# bedrock-lint: noqa: BDR003,BDR1`` those
codes (or prefixes) in the whole file.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

from bedrock_lint.analysis.positions import LineTable
from bedrock_lint.findings import TextEdit

if TYPE_CHECKING:
    from bedrock_lint.engine.source import SourceFile

_NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*))?", re.IGNORECASE)
# The codes of a directive as flake8 reads them (letters then digits): where new codes go.
_CODES = re.compile(r"[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*", re.IGNORECASE)
_FILE_NOQA = re.compile(
    r"^[ \t\f]*#[ \t\f]*bedrock-lint:[ \t\f]*noqa(?::[ \t\f]*(?P<codes>[A-Z]+[0-9]+(?:[ \t\f]*,[ \t\f]*[A-Z]+[0-9]+)*))?[ \t\f]*$",
    re.IGNORECASE | re.MULTILINE,
)

ALL = frozenset({""})  # the empty prefix matches every code
UNUSED_NOQA = "BDR900"  # rules/suppressions.py


class LogicalLines:
    """flake8's noqa line mapping: the physical lines between two line-ending tokens
    (NEWLINE or NL) form one range, so a multi-line string or a backslash-continued
    line is one range; and where each range's last line has a comment.

    Lines the tokenizer did not reach (after an unterminated string) have no range."""

    def __init__(self) -> None:
        self._range: dict[int, tuple[int, int]] = {}
        # line -> (0-based column, text) of the comment on it
        self.comments: dict[int, tuple[int, str]] = {}

    @classmethod
    def of_text(cls, text: str, first_line: int = 1) -> "LogicalLines":
        lines = cls()
        lines.add(text, first_line)
        return lines

    @classmethod
    def of_source(cls, source: "SourceFile") -> "LogicalLines":
        """A Python file's, or a notebook's cell by cell (Jupyter runs each alone; a cell
        that does not parse is tokenized as written, not as the commented-out text the
        analysis reads in its place)."""
        if source.cells is None:
            return cls.of_text(source.text)
        from bedrock_lint.engine.source import cell_source_as_written, neutralise_ipython

        lines = cls()
        error_offsets = [offset for offset, _ in source.cell_errors]
        for span in source.cells:
            text = source.text[span.start_offset:span.end_offset]
            if any(span.start_offset <= offset <= span.end_offset for offset in error_offsets):
                written = neutralise_ipython(cell_source_as_written(source, span))
                if len(written) == len(text):
                    text = written
            lines.add(text, span.start_line)
        return lines

    def add(self, text: str, first_line: int) -> None:
        shift = first_line - 1
        start, end = None, None
        try:
            for token in tokenize.generate_tokens(io.StringIO(text, newline="").readline):
                kind = token.type
                if kind in (tokenize.ENDMARKER, tokenize.DEDENT):
                    continue
                if kind == tokenize.COMMENT:
                    self.comments[token.start[0] + shift] = (token.start[1], token.string)
                start = token.start[0] if start is None else min(start, token.start[0])
                end = token.end[0] if end is None else max(end, token.end[0])
                if kind in (tokenize.NL, tokenize.NEWLINE):
                    for line in range(start, end + 1):
                        self._range[line + shift] = (start + shift, end + shift)
                    start = end = None
        except (tokenize.TokenError, SyntaxError):
            pass  # the lines reached keep their ranges

    def range_of(self, line: int) -> tuple[int, int] | None:
        return self._range.get(line)


@dataclass(frozen=True)
class UnusedCodes:
    """A ``# noqa: …`` whose ``codes`` suppressed nothing (BDR900), on ``line``:
    ``start``/``end`` are the directive's offsets in the text; ``edit`` removes the
    codes (or the whole directive when no code is left), None when that cannot be
    done safely (the directive is not a comment of its own, or text follows it)."""

    line: int
    start: int
    end: int
    codes: tuple[str, ...]
    unknown: tuple[str, ...]
    edit: TextEdit | None


class NoqaDirectives:
    def __init__(self, text: str, lines: LineTable, source: "SourceFile | None" = None) -> None:
        # ``# bedrock-lint: noqa`` (every code) or ``# bedrock-lint: noqa: BDR003,BDR1``
        # on lines of their own: the prefixes suppressed in the whole file.
        self.file_codes: frozenset[str] = frozenset()
        if "bedrock-lint" in text:
            for match in _FILE_NOQA.finditer(text):
                codes = match.group("codes")
                self.file_codes |= frozenset(c.strip().upper() for c in codes.split(",")) if codes else ALL
        self.file_level = self.file_codes == ALL or "" in self.file_codes
        self._by_line: dict[int, frozenset[str]] = {}
        # (line, listed code) pairs that suppressed a finding (BDR900).
        self._used: set[tuple[int, str]] = set()
        self._lines = lines
        self._text = text
        self._source = source
        self._logical: LogicalLines | None = None
        if "noqa" in text.lower():
            for number in range(1, lines.line_count + 1):
                line = lines.line_text(number)
                if "#" not in line:
                    continue
                directive = parse_directive(line)
                if directive is not None:
                    self._by_line[number] = directive[0]

    def suppresses(self, code: str, first_line: int, last_line: int) -> bool:
        if self.file_level or any(code.startswith(prefix) for prefix in self.file_codes):
            return True
        if not self._by_line:
            return False
        for line in {first_line, last_line}:
            if self._line_suppresses(line, code):
                return True
        # A line of a multi-line string or a continued line: the directive at the end
        # of its range (flake8 reads the range's lines as one).
        for line in {first_line, last_line}:
            span = self._logical_lines().range_of(line)
            if span is not None and span[0] != span[1]:
                if any(self._line_suppresses(other, code) for other in range(span[0], span[1] + 1) if other != line):
                    return True
        return False

    def _line_suppresses(self, line: int, code: str) -> bool:
        prefixes = self._by_line.get(line)
        if prefixes is None:
            return False
        matching = [prefix for prefix in prefixes if code.startswith(prefix)]
        self._used.update((line, prefix) for prefix in matching)
        return bool(matching)

    def unused(self, judged: Callable[[str], bool | None]) -> list[UnusedCodes]:
        """The directives listing codes that suppressed nothing.  ``judged(code)``: True
        when every rule the code names was selected and ran (so it would have been
        suppressed), None when it names no rule; other codes (``E501``, rules that did
        not run) are never judged.  A bare ``# noqa`` and the file-level one are not."""
        if self.file_level:
            return []
        found = []
        for line, listed in sorted(self._by_line.items()):
            if listed is ALL:
                continue
            unused, unknown = [], []
            for code in sorted(listed):
                if (line, code) in self._used:
                    continue
                verdict = judged(code)
                if verdict is None:
                    unknown.append(code)
                elif verdict:
                    unused.append(code)
            if unused or unknown:
                found.append(self._unused_on(line, listed, (*unused, *unknown), tuple(unknown)))
        return found

    def _unused_on(self, line: int, listed: frozenset[str], stale: tuple[str, ...], unknown: tuple[str, ...]) -> UnusedCodes:
        text = self._lines.line_text(line)
        line_start = self._lines.line_start(line)
        match = _NOQA.search(text)
        assert match is not None
        directive = parse_directive(text)
        codes_match = directive[1] if directive is not None else None
        assert codes_match is not None
        start, end = line_start + match.start(), line_start + codes_match.end()
        comment = self._logical_lines().comments.get(line)
        edit = None
        if comment is not None and comment[0] <= match.start():
            kept = [c for c in re.split(r"[,\s]+", codes_match.group()) if c and c.upper() not in stale]
            if kept:
                edit = TextEdit(line_start + codes_match.start(), end, _separator(codes_match.group()).join(kept))
            else:
                after = text[codes_match.end():]
                if not after.strip() or after.lstrip().startswith("#"):
                    # The whole directive with the blanks before it; a comment after it stays.
                    before = len(text[: match.start()].rstrip())
                    edit = TextEdit(line_start + before, end if after.strip() else line_start + len(text), "")
        return UnusedCodes(line, start, end, stale, unknown, edit)

    def _logical_lines(self) -> LogicalLines:
        if self._logical is None:
            self._logical = LogicalLines.of_source(self._source) if self._source is not None else LogicalLines.of_text(self._text)
        return self._logical


def _separator(codes: str) -> str:
    """The separator a directive's codes are written with: ``E501,W1`` or ``E501, W1``."""
    return ", " if ", " in codes or "," not in codes else ","


def parse_directive(text: str) -> tuple[frozenset[str], re.Match | None] | None:
    """The codes a ``# noqa`` in ``text`` lists (``ALL`` for a bare one) and the match
    of their list; None without a directive.  As flake8 reads it, a code is letters then
    digits: ``# noqa: see below`` is a bare ``# noqa``."""
    match = _NOQA.search(text)
    if match is None:
        return None
    listed = _CODES.match(text, match.start("codes")) if match.group("codes") else None
    if listed is None:
        return ALL, None
    return frozenset(c.upper() for c in re.split(r"[,\s]+", listed.group()) if c), listed


def noqa_edit(
    text: str, line: int, codes: Iterable[str], logical: LogicalLines | None = None, table: LineTable | None = None
) -> TextEdit | None:
    """The edit that makes a ``# noqa`` comment suppress ``codes`` for findings on
    ``line`` (1-based) of ``text``: it extends the line's ``# noqa: …`` directive with
    the codes it lacks (keeping other tools' codes, ``E501``…) or appends
    ``  # noqa: CODES``, on the last line of the line's multi-line string or
    continued line, where flake8 honours it.  None when nothing needs adding (a bare
    ``# noqa``, or every code is listed) or when no comment can go there (the tokenizer
    never reached the line: an unterminated string).

    ``logical``: the text's :class:`LogicalLines` (``LogicalLines.of_source`` for a
    notebook), and ``table``, the text's ``LineTable``, when the caller has them."""
    wanted = sorted(dict.fromkeys(code.upper() for code in codes))
    if logical is None:
        logical = LogicalLines.of_text(text)
    span = logical.range_of(line)
    if span is None or not wanted:
        return None
    target = span[1]
    table = table or LineTable(text)
    if target > table.line_count:
        return None
    line_start = table.line_start(target)
    body = table.line_text(target)
    comment = logical.comments.get(target)
    if comment is not None:
        column, comment_text = comment
        directive = parse_directive(comment_text)
        if directive is not None:
            present, listed = directive
            if listed is None:
                return None  # a bare ``# noqa`` suppresses every code already
            missing = [code for code in wanted if code not in present and not any(code.startswith(p) for p in present)]
            if not missing:
                return None
            separator = _separator(listed.group())
            offset = line_start + column + listed.end()
            return TextEdit(offset, offset, separator + separator.join(missing))
    end = len(body.rstrip())
    offset = line_start + end
    return TextEdit(offset, offset, "  # noqa: " + ", ".join(wanted))
