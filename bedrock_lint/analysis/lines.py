"""Character offsets to lines and columns, without libcst: reporting findings the
cache answered needs it too (``engine.check_command``, ``output.report``)."""

from __future__ import annotations

import bisect
import re


# The line breaks of LSP and of the engine's positions: "\r\n" is one.
LINE_BREAK = re.compile(r"\r\n|\r|\n")


class LineTable:
    """Converts character offsets to 1-based (line, column) and back."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(match.end() for match in LINE_BREAK.finditer(text))]
        self.text = text

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column - 1

    def line_start(self, line: int) -> int:
        return self.starts[line - 1]

    def line_text(self, line: int) -> str:
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    @property
    def line_count(self) -> int:
        return len(self.starts)
