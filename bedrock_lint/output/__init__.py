"""Render the findings of a run in one of the output formats.

The engine builds one :class:`FileReport` per checked file and calls :func:`render`,
which returns the whole output as one string (ending in a newline when not empty).
Rendering never reads files: everything a format needs is in the reports.

Per-file errors (unreadable file, bad encoding...) are part of the output of the
``text``, ``concise``, ``github`` and ``sarif`` formats. The ``json`` array holds
findings only, so with ``--format json`` the engine prints those errors to stderr.

Run errors (an invalid configuration file, an internal error) leave the run incomplete:
the engine prints them to stderr and exits 2, and no format may say the run passed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import IO, Callable, Sequence

from bedrock_lint.findings import Applicability, Finding, Severity
from bedrock_lint.rules.registry import Rule

FORMATS = ("text", "concise", "json", "sarif", "github")

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
    from bedrock_lint.analysis.positions import LineTable

    table = LineTable(text)

    def to_position(offset: int) -> tuple[int | None, int, int]:
        line, column = table.position(offset)
        return None, line, column

    return to_position


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


def color_wanted(when: str, stream: IO[str] | None) -> bool:
    """``--color``: ``always``, ``never`` or ``auto``: colour only on a terminal, never
    with ``NO_COLOR`` set (https://no-color.org), always with ``FORCE_COLOR`` set.
    ``stream`` None: the report goes to a file."""
    if when != "auto":
        return when == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if stream is None:
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def render(
    reports: list[FileReport],
    fmt: str,
    *,
    rules: dict[str, Rule],
    show_source: bool = True,
    unsafe_fixes: bool = False,
    statistics: bool = False,
    show_fixes: bool = False,
    show_summary: bool = True,
    run_errors: Sequence[str] = (),
    color: bool = False,
) -> str:
    """The output of a run in format ``fmt`` (one of :data:`FORMATS`).

    ``rules`` maps every rule code to its Rule (SARIF lists them all).
    ``show_source`` and ``show_fixes`` apply to ``text``; ``statistics`` replaces
    the findings of ``text`` and ``concise`` with a count per rule; ``unsafe_fixes``
    decides which fixes count as available (the ``[*]`` marker and the summary);
    ``show_summary=False`` (``--quiet``) leaves out the closing summary of ``text`` and
    ``concise``.  ``run_errors``: messages of errors outside the reports; ``text`` and
    ``concise`` then print no "All checks passed!", ``sarif`` marks the run as not
    successful and lists them, ``github`` annotates them.  ``color``: ANSI colours in
    ``text`` and ``concise`` (see :func:`color_wanted`); the machine formats never have any.
    """
    if fmt in ("text", "concise"):
        from bedrock_lint.output import text

        return text.render(
            reports,
            rules=rules,
            full=fmt == "text" and show_source,
            unsafe_fixes=unsafe_fixes,
            statistics=statistics,
            show_fixes=show_fixes,
            show_summary=show_summary,
            run_failed=bool(run_errors),
            color=color,
        )
    if fmt == "json":
        from bedrock_lint.output import json_format

        return json_format.render(reports, rules=rules)
    if fmt == "sarif":
        from bedrock_lint.output import sarif

        return sarif.render(reports, rules=rules, run_errors=run_errors)
    if fmt == "github":
        from bedrock_lint.output import github

        return github.render(reports, rules=rules, run_errors=run_errors)
    raise ValueError(f"unknown output format {fmt!r}; expected one of {', '.join(FORMATS)}")
