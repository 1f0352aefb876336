"""The human formats, modelled on ruff: ``text`` (findings with source context) and
``concise`` (one line per finding), each followed by a summary; or, with
``--statistics``, a count per rule instead of the findings.  On a terminal (``color``)
they are coloured as ruff's are: file names bold, codes and carets by severity."""

from __future__ import annotations

import re
from collections import Counter

import click

from bedrock_lint.analysis.secrets import redact
from bedrock_lint.findings import Applicability, Finding, Severity
from bedrock_lint.output.report import FileReport, fix_is_applicable, related_name, rule_for
from bedrock_lint.rules.registry import Rule

# A finding spanning many lines (a whole call) shows only its first lines.
MAX_CONTEXT_LINES = 5

COLOR_FOR_SEVERITY = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


class Paint:
    """ANSI styles for the parts of the output, or none (``enabled`` False: pipes,
    files, ``NO_COLOR``, ``--color never``)."""

    def __init__(self, enabled: bool, rules: dict[str, Rule]) -> None:
        self.enabled = enabled
        self.rules = rules

    def style(self, text: str, **style) -> str:
        return click.style(text, **style) if self.enabled and text else text

    def file(self, name: str) -> str:
        return self.style(name, bold=True)

    def code(self, text: str, finding: Finding) -> str:
        """A rule code or the carets under a finding, in its severity's colour."""
        rule = self.rules.get(finding.code)
        severity = finding.severity or (rule.severity if rule else Severity.ERROR)
        return self.style(text, fg=COLOR_FOR_SEVERITY[severity], bold=True)

    def marker(self, text: str) -> str:
        return self.style(text, fg="cyan")

    def gutter(self, text: str) -> str:
        return self.style(text, fg="blue", bold=True)

    def error(self, text: str) -> str:
        return self.style(text, fg="red", bold=True)


NO_PAINT = Paint(False, {})


def render(
    reports: list[FileReport],
    *,
    rules: dict[str, Rule],
    full: bool,
    unsafe_fixes: bool,
    statistics: bool,
    show_fixes: bool,
    show_summary: bool = True,
    run_failed: bool = False,
    color: bool = False,
) -> str:
    """``run_failed``: errors outside the reports left the run incomplete; ``color``:
    ANSI colours for a terminal."""
    paint = Paint(color, rules)
    lines = [f"{paint.file(report.display_name)}: {paint.error('error')}: {report.error}" for report in reports if report.error]
    findings = [(report, finding) for report in reports for finding in report.findings]

    if statistics and findings:
        lines.extend(statistics_table([finding for _, finding in findings], rules, unsafe_fixes))
        return _join(lines)

    for report, finding in findings:
        lines.append(header(report, finding, unsafe_fixes, paint))
        if full:
            lines.extend(source_context(report, finding, paint))
            lines.append("")

    if show_fixes:
        lines.extend(fixed_summary(reports, rules))
    if show_summary:
        lines.extend(summary(reports, unsafe_fixes, run_failed=run_failed, paint=paint))
    return _join(lines)


def location(report: FileReport, finding: Finding, paint: Paint = NO_PAINT) -> str:
    """``app.py:12:10`` or, in a notebook, ``nb.ipynb:cell 3:2:5`` (line inside the cell)."""
    cell = f"cell {finding.cell}:" if finding.cell is not None else ""
    return f"{paint.file(report.display_name)}:{cell}{finding.start.line}:{finding.start.column}"


def header(report: FileReport, finding: Finding, unsafe_fixes: bool, paint: Paint = NO_PAINT) -> str:
    # [*]: --fix would fix this one with the current flags.
    marker = " " + paint.marker("[*]") if fix_is_applicable(finding, unsafe_fixes) else ""
    return f"{location(report, finding, paint)}: {paint.code(finding.code, finding)}{marker} {finding.message}"


# Characters of a source line that would act on the terminal: C0 controls but tab, DEL,
# C1 controls, and the bidirectional overrides of "Trojan Source" (CVE-2021-42574).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(line: str) -> str:
    """``line`` with each terminal-controlling character shown as one visible character
    (a control picture, or U+FFFD), so that columns still line up."""
    return _UNPRINTABLE.sub(lambda m: chr(0x2400 + ord(m.group())) if ord(m.group()) < 0x20 else ("\u2421" if m.group() == "\x7f" else "\ufffd"), line)


def source_context(report: FileReport, finding: Finding, paint: Paint = NO_PAINT) -> list[str]:
    """The finding's lines with the first line's range underlined, ruff style::

           |
        12 | client = boto3.client("bedrock-runtime")
           |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ BDR001
           |
           = help: Add config=Config(read_timeout=300, ...)

    A value another module defines adds ``= note: app/config.py:4: the value used there
    is defined here`` (``Finding.related``)."""
    first_line = report.line_text(finding.cell, finding.start.line)
    if first_line is None:
        return []
    # Credentials in the shown lines are masked after their first four characters
    # (same length, so the carets still line up): output goes to CI logs (BDR007).
    first_line = printable(redact(first_line))
    last_line_number = min(finding.end.line, finding.start.line + MAX_CONTEXT_LINES - 1)
    width = len(str(last_line_number))
    gutter = paint.gutter(" " * width + " |")

    start_index = min(finding.start.column - 1, len(first_line))
    if finding.end.line == finding.start.line:
        end_index = min(finding.end.column - 1, len(first_line))
    else:
        end_index = len(first_line)
    # Keep the line's tabs in the padding so the carets line up with the text.
    padding = "".join("\t" if char == "\t" else " " for char in first_line[:start_index])
    carets = "^" * max(1, end_index - start_index)

    lines = [gutter, f"{paint.gutter(f'{finding.start.line:>{width}} |')} {first_line}".rstrip()]
    lines.append(f"{gutter} {padding}{paint.code(f'{carets} {finding.code}', finding)}")
    for line_number in range(finding.start.line + 1, last_line_number + 1):
        text = report.line_text(finding.cell, line_number)
        if text is None:
            break
        text = printable(redact(text))
        lines.append(f"{paint.gutter(f'{line_number:>{width}} |')} {text}".rstrip())
    if last_line_number < finding.end.line:
        lines.append(f"{gutter} ...")
    lines.append(gutter)
    for place in finding.related:
        where = f"{related_name(place, report.display_name)}:{place.line}"
        lines.append(f"{' ' * width} {paint.gutter('=')} {paint.style('note', bold=True)}: {where}: {place.message}")
    if finding.fix is not None:
        lines.append(f"{' ' * width} {paint.gutter('=')} {paint.style('help', bold=True)}: {finding.fix.message}")
    return lines


def summary(reports: list[FileReport], unsafe_fixes: bool, *, run_failed: bool = False, paint: Paint = NO_PAINT) -> list[str]:
    """``Found 3 errors.`` and what ``--fix`` / ``--unsafe-fixes`` could still do.

    "All checks passed!" only when every file was checked: never after a per-file error
    or an error of the run (``run_failed``: a configuration or internal error)."""
    findings = [finding for report in reports for finding in report.findings]
    fixed = sum(report.fixed_count for report in reports)
    if not findings and not fixed:
        has_errors = run_failed or any(report.error for report in reports)
        return [] if has_errors else [paint.style("All checks passed!", fg="green", bold=True)]

    if fixed:
        total = fixed + len(findings)
        lines = [f"Found {_plural(total, 'error')} ({fixed} fixed, {len(findings)} remaining)."]
    else:
        lines = [f"Found {_plural(len(findings), 'error')}."]

    applicable = sum(1 for finding in findings if fix_is_applicable(finding, unsafe_fixes))
    hidden = 0
    if not unsafe_fixes:
        hidden = sum(
            1 for finding in findings if finding.fix and finding.fix.applicability is Applicability.UNSAFE
        )
    hidden_note = f"{_plural(hidden, 'hidden fix', 'hidden fixes')} can be enabled with the --unsafe-fixes option"
    if applicable and hidden:
        lines.append(f"{paint.marker('[*]')} {applicable} fixable with the --fix option ({hidden_note}).")
    elif applicable:
        lines.append(f"{paint.marker('[*]')} {applicable} fixable with the --fix option.")
    elif hidden:
        lines.append(f"No fixes available ({hidden_note}).")
    return lines


def fixed_summary(reports: list[FileReport], rules: dict[str, Rule]) -> list[str]:
    """``--show-fixes``: what ``--fix`` changed, per file and rule."""
    fixed_reports = [report for report in reports if report.fixed_count]
    if not fixed_reports:
        return []
    total = sum(report.fixed_count for report in fixed_reports)
    lines = [f"Fixed {_plural(total, 'error')}:"]
    for report in fixed_reports:
        if not report.fixed_codes:
            lines.append(f"- {report.display_name}: {report.fixed_count} fixed")
            continue
        lines.append(f"- {report.display_name}:")
        for code, count in sorted(report.fixed_codes.items()):
            name = rules[code].name if code in rules else ""
            lines.append(f"    {count} × {code} ({name})" if name else f"    {count} × {code}")
    lines.append("")
    return lines


def statistics_table(findings: list[Finding], rules: dict[str, Rule], unsafe_fixes: bool) -> list[str]:
    """One row per rule, most frequent first: ``12\\tBDR001\\t[*] client-default-timeout``."""
    counts = Counter(finding.code for finding in findings)
    fixable_codes = {finding.code for finding in findings if fix_is_applicable(finding, unsafe_fixes)}
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    count_width = max(len(str(count)) for _, count in rows)
    code_width = max(len(code) for code, _ in rows)
    lines = []
    for code, count in rows:
        # Like ruff, the marker column only appears when something is fixable.
        marker = ("[*] " if code in fixable_codes else "[ ] ") if fixable_codes else ""
        lines.append(f"{count:>{count_width}}\t{code:<{code_width}}\t{marker}{rule_for(code, rules).name}")
    return lines


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def _join(lines: list[str]) -> str:
    # Drop a trailing blank line left by the last finding block before the summary.
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n" if lines else ""
