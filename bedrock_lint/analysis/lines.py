"""Character offsets to lines and columns, without libcst: reporting findings the
cache answered needs it too (``engine.check_command``, ``output.report``)."""

from __future__ import annotations

import bisect


class LineTable:
    """Converts character offsets to 1-based (line, column) and back."""

    def __init__(self, text: str) -> None:
        starts = [0]
        index = 0
        length = len(text)
        while index < length:
            char = text[index]
            if char == "\n":
                starts.append(index + 1)
            elif char == "\r":
                if index + 1 < length and text[index + 1] == "\n":
                    index += 1
                starts.append(index + 1)
            index += 1
        self.starts = starts
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
