"""``check --add-noqa``: a ``# noqa: BDRxxx`` for every finding, to adopt bedrock-lint
in a large codebase and fix the findings later.

Each finding's code goes on the line where flake8 (and ``check``) honour it for the
finding's first line (``engine.noqa.noqa_edit``): the line itself, or the last line of
the multi-line string or backslash-continued line it is part of.  An existing
``# noqa: E501`` is extended; a line where no comment can go (inside a string the
tokenizer could not finish) is skipped and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bedrock_lint.analysis.positions import LineTable
from bedrock_lint.engine.noqa import UNUSED_NOQA, LogicalLines, noqa_edit

if TYPE_CHECKING:
    from bedrock_lint.engine.source import SourceFile
    from bedrock_lint.findings import Finding, TextEdit



@dataclass
class NoqaPlan:
    edits: list["TextEdit"] = field(default_factory=list)
    # Findings whose code is now in a comment, and those for which no comment can go.
    suppressed: list["Finding"] = field(default_factory=list)
    skipped: list["Finding"] = field(default_factory=list)


def plan_noqa(source: "SourceFile", findings: list["Finding"]) -> NoqaPlan:
    """The edits (one per line that gets or extends a comment) that suppress
    ``findings`` in ``source.text``."""
    plan = NoqaPlan()
    # A stale code is removed (BDR900's fix), not suppressed by adding its own code.
    wanted = [f for f in findings if f.code != UNUSED_NOQA]
    if not wanted:
        return plan
    logical = LogicalLines.of_source(source)
    table = LineTable(source.text)
    by_target: dict[int, list["Finding"]] = {}
    for finding in wanted:
        line = finding.extra.get("text_line", finding.start.line)
        span = logical.range_of(line)
        if span is None:
            plan.skipped.append(finding)
            continue
        by_target.setdefault(span[1], []).append(finding)
    for target, on_line in sorted(by_target.items()):
        edit = noqa_edit(source.text, target, [f.code for f in on_line], logical, table)
        if edit is None:
            plan.skipped.extend(on_line)
            continue
        plan.edits.append(edit)
        plan.suppressed.extend(on_line)
    return plan
