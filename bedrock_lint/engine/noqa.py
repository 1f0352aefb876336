"""``# noqa`` suppression, as in flake8 and ruff.

``# noqa`` on a line suppresses every finding there; ``# noqa: BDR001,BDR1`` only the
listed codes or prefixes.  A finding spanning several lines may be suppressed on its
first or its last line.  ``# bedrock-lint: noqa`` on a line of its own suppresses the
whole file.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from bedrock_lint.analysis.positions import LineTable

if TYPE_CHECKING:
    from bedrock_lint.findings import TextEdit

_NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*))?", re.IGNORECASE)
_FILE_NOQA = re.compile(r"^\s*#\s*bedrock-lint:\s*noqa\s*$", re.IGNORECASE | re.MULTILINE)

ALL = frozenset({""})  # the empty prefix matches every code


class NoqaDirectives:
    def __init__(self, text: str, lines: LineTable) -> None:
        self.file_level = _FILE_NOQA.search(text) is not None
        self._by_line: dict[int, frozenset[str]] = {}
        if "noqa" in text.lower():
            for number in range(1, lines.line_count + 1):
                line = lines.line_text(number)
                if "#" not in line:
                    continue
                match = _NOQA.search(line)
                if match:
                    codes = match.group("codes")
                    self._by_line[number] = (
                        frozenset(c.upper() for c in re.split(r"[,\s]+", codes) if c) if codes else ALL
                    )

    def suppresses(self, code: str, first_line: int, last_line: int) -> bool:
        if self.file_level:
            return True
        for line in {first_line, last_line}:
            prefixes = self._by_line.get(line)
            if prefixes is not None and any(code.startswith(prefix) for prefix in prefixes):
                return True
        return False


def suppression_edit(text: str, first_line: int, last_line: int, code: str) -> "TextEdit | None":
    """The edit that makes a ``# noqa`` suppress ``code`` for a finding on lines
    ``first_line``..``last_line`` of ``text`` (1-based): the codes of a ``# noqa: …``
    comment already on the first (else the last) line are extended, or
    ``  # noqa: CODE`` is appended to that line.  Only a line whose end is a real line
    end takes a comment (not one inside a string or continued by a backslash); None when
    neither line does, or the text does not tokenize."""
    from bedrock_lint.findings import TextEdit

    comments = _commentable_lines(text)
    if comments is None:
        return None
    lines = LineTable(text)
    for line in dict.fromkeys((first_line, last_line)):
        if line not in comments:
            continue
        comment = comments[line]
        if comment is not None:
            start, comment_text = comment
            match = _NOQA.search(comment_text)
            if match is not None:
                if match.group("codes") is None:
                    return None  # a bare "# noqa" suppresses every code already
                position = start + match.end("codes")
                return TextEdit(position, position, f", {code}")
        line_text = lines.line_text(line)
        end = lines.line_start(line) + len(line_text)
        kept = len(line_text.rstrip(" \t\f"))
        return TextEdit(end - (len(line_text) - kept), end, f"  # noqa: {code}")
    return None


@lru_cache(maxsize=4)
def _commentable_lines(text: str) -> "dict[int, tuple[int, str] | None] | None":
    """Lines (1-based) that end in a real line end, each with its comment (offset and
    text) or None; None when the text does not tokenize.  Cached: an editor asks for
    every finding on a line in turn (the result is only read)."""
    import io
    import tokenize

    if "\r" in text.replace("\r\n", ""):
        return None  # lone "\r" line ends: tokenize and LineTable would count lines apart
    lines = LineTable(text)
    found: dict[int, tuple[int, str] | None] = {}
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            row, column = token.start
            if token.type == tokenize.COMMENT:
                found[row] = (lines.line_start(row) + column, token.string)
            elif token.type in (tokenize.NEWLINE, tokenize.NL):
                found.setdefault(row, None)
    except (tokenize.TokenError, SyntaxError):
        return None
    return found
