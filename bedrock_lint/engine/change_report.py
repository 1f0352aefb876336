"""What a fixed file's change is made of: the unified diff, each hunk naming the rules
and fix safety that made it, and each applied fix as plain data (``migrate``).

A hunk's rules are followed through the rounds of the applier: the text each fix put
in is a region of the text after its round, carried through the later rounds' edits
to the final text, and a hunk names every fix whose region meets a line it changes.
The names go in the hunk header's section text (``@@ -3,7 +3,8 @@ BDR001 (safe)``),
where git puts a function name: ``git apply`` and ``patch`` ignore it.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bedrock_lint.analysis.positions import LineTable
from bedrock_lint.analysis.secrets import masked
from bedrock_lint.engine.source import split_lines

if TYPE_CHECKING:
    from bedrock_lint.engine.source import SourceFile
    from bedrock_lint.findings import TextEdit
    from bedrock_lint.fixes.applier import FixOutcome


@dataclass(frozen=True)
class ChangedText:
    """One edit of an applied fix: ``original`` (the text it replaced, from ``line``:
    ``column`` to ``end_line``:``end_column``, end exclusive) became ``content``.
    Positions are 1-based, in the text the fix's round was applied to; in notebooks
    lines are inside ``cell``.  Credentials are masked in both texts."""

    cell: int | None
    line: int
    column: int
    end_line: int
    end_column: int
    original: str
    content: str


@dataclass(frozen=True)
class AppliedChange:
    """A fix the applier applied: the finding it fixes and its edits.  ``round`` is 1
    for fixes applied to the file as read; round N's positions are in the text after
    round N-1 (fixes that touched the same code wait for the next round)."""

    code: str
    applicability: str  # "safe" | "unsafe"
    description: str  # the fix's message
    reason: str  # the finding's message: why the code was changed
    round: int
    cell: int | None
    line: int
    column: int
    edits: tuple[ChangedText, ...]

    @property
    def label(self) -> str:
        return f"{self.code} ({self.applicability})"


def applied_changes(outcome: "FixOutcome", secrets: tuple[str, ...] = ()) -> list[AppliedChange]:
    """Every fix applied, round by round, each round in the order of the text."""
    from bedrock_lint.engine.source import cell_position

    changes = []
    for number, applied in enumerate(outcome.rounds, start=1):
        text = applied.before.text
        lines = LineTable(text)

        def position(offset: int) -> tuple[int | None, int, int]:
            line, column = lines.position(offset)
            return cell_position(applied.before, line, column)

        for finding in sorted(applied.findings, key=lambda f: (f.start_offset, f.code, f.message)):
            assert finding.fix is not None
            edits = []
            for edit in sorted(finding.fix.edits):
                cell, line, column = position(edit.start)
                _, end_line, end_column = position(edit.end)
                edits.append(
                    ChangedText(
                        cell, line, column, end_line, end_column,
                        masked(text[edit.start:edit.end], secrets), masked(edit.content, secrets),
                    )
                )
            changes.append(
                AppliedChange(
                    code=finding.code,
                    applicability=finding.fix.applicability.value,
                    description=masked(finding.fix.message, secrets),
                    reason=finding.message,
                    round=number,
                    cell=finding.cell,
                    line=finding.start.line,
                    column=finding.start.column,
                    edits=tuple(edits),
                )
            )
    return changes


class PositionsAsRead:
    """Where an offset of the text after some rounds was in the file as read, as
    ``(cell, line, column)``: what a finding the migration left is pointed at, so that
    its position holds in the file on disk during a dry run and in the diff's ``-``
    side.  A point inside text a fix put in goes to the start of what that fix replaced."""

    def __init__(self, outcome: "FixOutcome") -> None:
        self._outcome = outcome
        self._read = outcome.rounds[0].before if outcome.rounds else outcome.source
        self._lines = LineTable(self._read.text)
        self._inverse: list[list["TextEdit"]] = []
        for applied in outcome.rounds:
            edits = sorted(applied.edits)
            back = []
            for edit in edits:
                start = _moved(edit.start, edits, False)
                back.append(type(edit)(start, start + len(edit.content), applied.before.text[edit.start:edit.end]))
            self._inverse.append(sorted(back))

    def __call__(self, rounds_before: int, offset: int) -> tuple[int | None, int, int]:
        from bedrock_lint.engine.source import cell_position

        for inverse in reversed(self._inverse[:rounds_before]):
            offset = _moved(offset, inverse, False)
        line, column = self._lines.position(offset)
        return cell_position(self._read, line, column)


# ---------------------------------------------------------------------------
# The diff


def unified_diff(before: "SourceFile", after: "SourceFile", name: str, secrets: tuple[str, ...] = (), outcome: "FixOutcome | None" = None) -> str:
    """The change as a unified diff, with hard-coded credentials masked on both sides;
    with ``outcome`` (the fixes that turned ``before`` into ``after``) each hunk header
    names the rules and fix safety of its changes."""
    if before.cells is not None:
        old_lines = _notebook_diff_lines(before)
        new_lines = _notebook_diff_lines(after)
    else:
        old_lines = split_lines(before.text, keepends=True)
        new_lines = split_lines(after.text, keepends=True)
    old_lines = [masked(line, secrets) for line in old_lines]
    new_lines = [masked(line, secrets) for line in new_lines]
    lines = difflib.unified_diff(old_lines, new_lines, fromfile=f"a/{name}", tofile=f"b/{name}")
    diff = "".join(line if line.endswith(("\n", "\r")) else line + "\n" for line in lines)
    if outcome is None or not outcome.rounds:
        return diff
    return label_hunks(diff, _labelled_lines(outcome, after))


def _notebook_diff_lines(source: "SourceFile") -> list[str]:
    """The code cells as the notebook holds them (``%pip`` shown as written, not as the
    comment the analysis sees), each under a ``# cell N`` line."""
    from bedrock_lint.engine.source import cell_source_as_written

    lines: list[str] = []
    for span in source.cells or ():
        lines.append(f"# cell {span.cell}\n")
        cell_text = cell_source_as_written(source, span)
        lines.extend(line if line.endswith("\n") else line + "\n" for line in split_lines(cell_text, keepends=True))
    return lines


HUNK_HEADER = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def label_hunks(diff: str, labelled: list[tuple[int, int, str]]) -> str:
    """``diff`` with each hunk header followed by the labels whose line range (first and
    last line of the new text, 1-based) meets a line the hunk adds or removes."""
    out: list[str] = []
    header_at: int | None = None
    touched: list[int] = []  # new-text lines the current hunk changes (a removal: where it was)
    new_line = 0

    def close() -> None:
        if header_at is None:
            return
        labels = sorted({label for first, last, label in labelled if any(first <= line <= last for line in touched)})
        if labels:
            out[header_at] = out[header_at].rstrip("\r\n") + " " + ", ".join(labels) + "\n"

    for line in split_lines(diff, keepends=True):
        match = HUNK_HEADER.match(line)
        if match:
            close()
            header_at, touched, new_line = len(out), [], int(match.group(1))
            if line.split("@@")[1].strip().endswith(",0"):
                new_line += 1  # an empty new range is numbered by the line before it
        elif header_at is not None and line.startswith("+") and not line.startswith("+++ "):
            touched.append(new_line)
            new_line += 1
        elif header_at is not None and line.startswith("-") and not line.startswith("--- "):
            touched.extend((new_line - 1, new_line))  # between these lines now
        elif header_at is not None and line.startswith(" "):
            new_line += 1
        elif line.startswith("--- "):
            close()
            header_at = None
        out.append(line)
    close()
    return "".join(out)


def _labelled_lines(outcome: "FixOutcome", after: "SourceFile") -> list[tuple[int, int, str]]:
    """The lines of the diff's new side that each applied fix's text ended up on."""
    regions: list[tuple[int, int, str]] = []  # offsets in the current text
    for applied in outcome.rounds:
        edits = sorted(applied.edits)
        regions = [(_moved(start, edits, False), _moved(end, edits, True), label) for start, end, label in regions]
        for finding in applied.findings:
            assert finding.fix is not None
            label = f"{finding.code} ({finding.fix.applicability.value})"
            for edit in finding.fix.edits:
                start = _moved(edit.start, edits, False)
                regions.append((start, start + len(edit.content), label))
    line_of = _diff_line_of(after)
    return [(line_of(start), line_of(max(start, end - 1)), label) for start, end, label in regions]


def _moved(offset: int, edits: list["TextEdit"], end_side: bool) -> int:
    """Where ``offset`` is after ``edits`` (sorted, not overlapping).  A point inside a
    replaced range goes to the start of its replacement, or to its end for the end of a
    region; an insertion at the point goes after a region's start and after its end."""
    shift = 0
    for edit in edits:
        if offset < edit.start:
            break
        if offset == edit.start and (not end_side or edit.start < edit.end):
            break
        if offset >= edit.end:
            shift += len(edit.content) - (edit.end - edit.start)
            continue
        return edit.start + shift + (len(edit.content) if end_side else 0)
    return offset + shift


def _diff_line_of(source: "SourceFile"):
    """Offset in ``source.text`` → 1-based line of the diff's side for that text."""
    if source.cells is None:
        return _splitlines_table(source.text)
    from bedrock_lint.engine.source import cell_source_as_written

    starts = []  # (offset where the cell starts, diff line of its "# cell N" line, line table of the cell)
    line = 1
    for span in source.cells:
        starts.append((span.start_offset, line, _splitlines_table(source.text[span.start_offset:span.end_offset])))
        line += 1 + len(split_lines(cell_source_as_written(source, span)))
    offsets = [start for start, _, _ in starts]

    def line_of(offset: int) -> int:
        position = max(bisect.bisect_right(offsets, offset) - 1, 0)
        start, header, table = starts[position]
        return header + table(offset - start)

    return line_of


def _splitlines_table(text: str):
    """Offset → 1-based line, counting lines as the diff does (``split_lines``)."""
    starts = [0]
    for line in split_lines(text, keepends=True):
        starts.append(starts[-1] + len(line))

    def line_of(offset: int) -> int:
        return min(bisect.bisect_right(starts, offset), max(len(starts) - 1, 1))

    return line_of


# ---------------------------------------------------------------------------
# What was not changed


@dataclass(frozen=True)
class WithheldFix:
    """A finding ``migrate`` left as it was, and why: it has no fix (``setting``: the
    setting that would give it one), its fix is unsafe under ``--safe-only``, would not
    parse, never settled, or its file was not written."""

    filename: str
    code: str
    reason: str
    message: str  # the finding's
    line: int
    column: int | None
    cell: int | None
    setting: str | None = None


@dataclass(frozen=True)
class UnlockHint:
    """What would apply some skipped fixes: a setting of ``[tool.bedrock-lint]``
    (``kind`` "setting") or a command-line option (``kind`` "option")."""

    fixes: int
    codes: tuple[str, ...]
    kind: str
    name: str
    message: str
