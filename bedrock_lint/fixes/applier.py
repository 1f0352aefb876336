"""The one place fixes are applied.

All fixes of one file are applied together as text edits.  Fixes whose edits overlap
an already chosen fix wait for the next round (the rules run again on the fixed text,
so fixes that touch the same call converge).  Identical edits from several findings
(the same import, the same constant) are applied once.  Every round's result is
re-parsed; a fix whose result does not parse is dropped and reported, never written.
Writing to disk is the caller's job (``fixes.writer``), after all rounds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

import libcst as cst

from bedrock_lint.findings import Applicability, Finding, TextEdit

if TYPE_CHECKING:
    from bedrock_lint.engine.analyse import Analysis
    from bedrock_lint.engine.source import SourceFile

MAX_ROUNDS = 10


@dataclass
class AppliedRound:
    """One round: the source its fixes were applied to, the findings whose fixes went
    in, and the edits (identical edits of several findings once), in that source's
    offsets.  What ``migrate`` reports change by change."""

    before: "SourceFile"
    findings: list[Finding]
    edits: list[TextEdit]


@dataclass
class FixOutcome:
    source: "SourceFile"  # the final (possibly unchanged) source
    applied: list[Finding] = field(default_factory=list)
    # (finding, reason) for fixes that were not applied.
    rejected: list[tuple[Finding, str]] = field(default_factory=list)
    remaining: "Analysis | None" = None
    # The round whose result could not be analysed (its time limit): its fixes and any
    # later round's are not applied, so that what is written is what was checked.
    unchecked_round: int | None = None
    rounds: list[AppliedRound] = field(default_factory=list)
    # For each rejected fix, how many rounds had been applied: its finding's offsets
    # are in the text after that many rounds.
    rejected_after: list[int] = field(default_factory=list)

    def reject(self, finding: Finding, reason: str) -> None:
        self.rejected.append((finding, reason))
        self.rejected_after.append(len(self.rounds))

    @property
    def changed(self) -> bool:
        return bool(self.applied)


def is_applicable(finding: Finding, unsafe: bool) -> bool:
    return finding.fix is not None and (finding.fix.applicability is Applicability.SAFE or unsafe)


def choose_fixes(findings: list[Finding], unsafe: bool) -> tuple[list[Finding], list[TextEdit]]:
    """Fixes that can go in together: their edits do not overlap (identical edits are
    shared).  Earlier findings win; the others wait for the next round."""
    chosen: list[Finding] = []
    edits: list[TextEdit] = []
    for finding in sorted(findings, key=lambda f: (f.start_offset, f.code)):
        if not is_applicable(finding, unsafe):
            continue
        assert finding.fix is not None
        new_edits = [e for e in finding.fix.edits if e not in edits]
        if any(_overlaps(a, b) for a in new_edits for b in edits) or _self_overlapping(new_edits):
            continue
        chosen.append(finding)
        edits.extend(new_edits)
    return chosen, sorted(edits)


def _first_fixes(findings: list[Finding], unsafe: bool) -> list[Finding]:
    """The findings whose fixes go in this round: those of rules whose fix is applied
    last (``Rule.fix_applied_last``) wait while any other fix applies."""
    from bedrock_lint.rules.registry import get_rule

    def last(finding: Finding) -> bool:
        rule = get_rule(finding.code)
        return rule is not None and rule.fix_applied_last

    if any(is_applicable(f, unsafe) and not last(f) for f in findings):
        return [f for f in findings if not last(f)]
    return findings


def _overlaps(a: TextEdit, b: TextEdit) -> bool:
    if a.start == a.end and b.start == b.end:
        return a.start == b.start  # two insertions at one point: order would be ambiguous
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def _self_overlapping(edits: list[TextEdit]) -> bool:
    ordered = sorted(edits)
    return any(_overlaps(x, y) for x, y in zip(ordered, ordered[1:]))


def apply_edits(text: str, edits: list[TextEdit]) -> str:
    pieces = []
    position = 0
    for edit in sorted(edits):
        pieces.append(text[position:edit.start])
        pieces.append(edit.content)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)


def parses(text: str) -> bool:
    from bedrock_lint.engine.limits import NestingSyntaxError, TooComplex, check_parsable

    try:
        check_parsable(text)
        cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError, NestingSyntaxError, TooComplex):
        return False
    return True


def compiles(text: str) -> bool:
    """CPython's compiler accepts the text (it catches what the parser lets through,
    such as a repeated keyword argument).  Only compiled, never executed."""
    try:
        compile(text, "<fixed>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


class _Acceptance:
    """Whether fixed text may be written: libcst parses it, and CPython compiles it if it
    compiled the original.  Code CPython already rejected (a newer Python's grammar) is
    only held to libcst's parser.  The original is compiled once, and only when a fix
    is actually checked."""

    def __init__(self, original: str) -> None:
        self._original = original
        self._original_compiles: bool | None = None

    def __call__(self, text: str) -> bool:
        if not parses(text):
            return False
        if self._original_compiles is None:
            self._original_compiles = compiles(self._original)
        return not self._original_compiles or compiles(text)


def fix_source(
    source: "SourceFile",
    analyse: Callable[["SourceFile"], "Analysis | None"],
    rebuild: Callable[["SourceFile", str, list[TextEdit]], "SourceFile"],
    *,
    unsafe: bool,
    first: "Analysis | None" = None,
) -> FixOutcome:
    """Apply fixes round by round until none applies (at most ``MAX_ROUNDS``).

    ``analyse`` lints a source, or returns None when it could not (the per-file time
    limit): fixing stops there and the last analysed source is the outcome.  ``rebuild``
    makes the source for edited text (it keeps encoding, BOM, line endings and notebook
    structure).
    """
    outcome = FixOutcome(source)
    analysis = first if first is not None else analyse(source)
    acceptable = _Acceptance(source.text)
    rejected_keys: set[tuple[str, str]] = set()
    for round_number in range(1, MAX_ROUNDS + 1):
        candidates = _first_fixes([f for f in analysis.findings if (f.code, f.message) not in rejected_keys], unsafe)
        chosen, edits = choose_fixes(candidates, unsafe)
        if not chosen:
            break
        new_text = apply_edits(source.text, edits)
        if not acceptable(new_text):
            # Find the culprits: keep each fix whose result alone parses.
            good = []
            for finding in chosen:
                assert finding.fix is not None
                if acceptable(apply_edits(source.text, list(finding.fix.edits))):
                    good.append(finding)
                else:
                    outcome.reject(finding, "the fixed code would not parse or compile")
                    rejected_keys.add((finding.code, finding.message))
            chosen, edits = choose_fixes(good, unsafe)
            new_text = apply_edits(source.text, edits)
            if not chosen or not acceptable(new_text):
                for finding in chosen:
                    outcome.reject(finding, "the fixed code would not parse or compile")
                    rejected_keys.add((finding.code, finding.message))
                continue
        before = source
        try:
            fixed = rebuild(source, new_text, edits)
        except (ValueError, UnicodeError) as error:
            # The edited text cannot be written back (an unencodable character, an
            # edit outside a notebook's code cells): keep the file as it is.
            for finding in chosen:
                outcome.reject(finding, f"the fix cannot be written back: {error}")
                rejected_keys.add((finding.code, finding.message))
            continue
        fixed_analysis = analyse(fixed)
        if fixed_analysis is None:
            outcome.unchecked_round = round_number
            break
        source, analysis = fixed, fixed_analysis
        outcome.applied.extend(chosen)
        outcome.rounds.append(AppliedRound(before, chosen, edits))
    outcome.source = source
    outcome.remaining = analysis
    return outcome
