"""What the output formats share: one checked file's report, and how a finding's
severity and fix availability are read.  Below every format module and the
``output`` package's ``render``, which import it."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable

from bedrock_lint.findings import Applicability, Finding, RelatedLocation, Severity
from bedrock_lint.rules.registry import Rule

# (cell or None, line, column), 1-based; see FileReport.offset_to_position.
OffsetToPosition = Callable[[int], tuple[int | None, int, int]]


@dataclass
class FileReport:
    """What the output needs to know about one checked file.

    ``source_lines``: the file's lines (line endings allowed), used to show source
    context in the ``text`` format.  For notebooks give ``cell_lines`` instead:
    cell number (1-based, as in ``Finding.cell``) -> that cell's lines, since a
    notebook finding's line is inside its cell.  Either may be None; the context
    is then left out.

    ``offset_to_position``: turns a character offset of the analysed text (the
    offsets of ``TextEdit.start``/``end``) into ``(cell, line, column)``, 1-based,
    with cell None outside notebooks.  Needed by ``json`` and ``sarif`` to locate
    the edits of fixes; :func:`offset_to_position_for_text` builds it for a plain
    source file.  Rendering a finding with a fix without it raises ValueError.

    ``fixed_count``: fixes applied to this file in this run (``--fix``), and
    ``fixed_codes`` the same count per rule code, for ``--show-fixes``.
    """

    display_name: str
    findings: list[Finding]
    source_lines: list[str] | None = None
    error: str | None = None
    fixed_count: int = 0
    cell_lines: dict[int, list[str]] | None = None
    offset_to_position: OffsetToPosition | None = None
    fixed_codes: dict[str, int] = field(default_factory=dict)

    def line_text(self, cell: int | None, line: int) -> str | None:
        """The text of a 1-based line (inside ``cell`` for notebooks), without its line ending."""
        lines = self.source_lines if cell is None else (self.cell_lines or {}).get(cell)
        if lines is None or not 1 <= line <= len(lines):
            return None
        return lines[line - 1].rstrip("\r\n")

    def edit_position(self, offset: int) -> tuple[int | None, int, int]:
        if self.offset_to_position is None:
            raise ValueError(
                f"{self.display_name}: a finding has a fix but the FileReport has no offset_to_position"
            )
        return self.offset_to_position(offset)


def offset_to_position_for_text(text: str) -> OffsetToPosition:
    """``FileReport.offset_to_position`` for a plain (non-notebook) source text."""
    from bedrock_lint.analysis.lines import LineTable

    table = LineTable(text)

    def to_position(offset: int) -> tuple[int | None, int, int]:
        line, column = table.position(offset)
        return None, line, column

    return to_position


def related_name(place: RelatedLocation, display_name: str) -> str:
    """The file of a related location named as the finding's own file is: relative to
    the current directory when that name is relative and the file lies below it."""
    if os.path.isabs(display_name):
        return place.path
    relative = os.path.relpath(place.path)
    return place.path if relative == os.pardir or relative.startswith(os.pardir + os.sep) else relative


def fix_is_applicable(finding: Finding, unsafe_fixes: bool) -> bool:
    """Whether ``--fix`` would apply this finding's fix with the current flags."""
    if finding.fix is None:
        return False
    return finding.fix.applicability is Applicability.SAFE or unsafe_fixes


def rule_for(code: str, rules: dict[str, Rule]) -> Rule:
    try:
        return rules[code]
    except KeyError:
        # Severity, name and url come from the rule, so every code must be known.
        raise KeyError(f"render() got a {code} finding but no Rule for it; pass all rules") from None


def severity_of(finding: Finding, rules: dict[str, Rule]) -> Severity:
    """The finding's own severity when it was lowered (an uncertain fact), else its rule's."""
    return finding.severity or rule_for(finding.code, rules).severity
