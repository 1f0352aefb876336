"""``# noqa`` suppression, as in flake8 and ruff.

``# noqa`` on a line suppresses every finding there; ``# noqa: BDR001,BDR1`` only the
listed codes or prefixes.  A finding spanning several lines may be suppressed on its
first or its last line.  ``# bedrock-lint: noqa`` on a line of its own suppresses the
whole file.
"""

from __future__ import annotations

import re

from bedrock_lint.analysis.positions import LineTable

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
