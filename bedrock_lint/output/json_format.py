"""``--format json``: one JSON array, one object per finding.

Other tools parse this, so it is a public interface: the keys, their order and their
types stay stable.  Lines and columns are 1-based, columns count characters, and
end positions point just past the range.  In notebooks lines are inside the cell::

    {"code", "name", "severity", "message", "filename",
     "line", "column", "end_line", "end_column",
     "cell",   # 1-based notebook cell, null outside notebooks
     "fix",    # null or {"applicability": "safe"|"unsafe", "message", "edits": [
               #   {"content", "location": {"line", "column"},
               #    "end_location": {"line", "column"},
               #    "cell"}]}  # the cell the edit's lines are in, null outside notebooks
     "url",
     "related"}  # where values the finding judges are defined in other modules of the
                 # project: [{"filename", "line", "message"}], often empty

Per-file errors are not findings and are not in the array.
"""

from __future__ import annotations

import json
from typing import Any

from bedrock_lint.findings import Finding
from bedrock_lint.output.report import FileReport, related_name, rule_for, severity_of
from bedrock_lint.rules.registry import Rule


def render(reports: list[FileReport], *, rules: dict[str, Rule]) -> str:
    objects = [finding_object(report, finding, rules) for report in reports for finding in report.findings]
    return json.dumps(objects, indent=2, ensure_ascii=False) + "\n"


def finding_object(report: FileReport, finding: Finding, rules: dict[str, Rule]) -> dict[str, Any]:
    rule = rule_for(finding.code, rules)
    return {
        "code": finding.code,
        "name": rule.name,
        "severity": severity_of(finding, rules).value,
        "message": finding.message,
        "filename": report.display_name,
        "line": finding.start.line,
        "column": finding.start.column,
        "end_line": finding.end.line,
        "end_column": finding.end.column,
        "cell": finding.cell,
        "fix": fix_object(report, finding),
        "url": rule.url,
        "related": [
            {"filename": related_name(place, report.display_name), "line": place.line, "message": place.message}
            for place in finding.related
        ],
    }


def fix_object(report: FileReport, finding: Finding) -> dict[str, Any] | None:
    if finding.fix is None:
        return None
    edits = []
    for edit in finding.fix.edits:
        cell, line, column = report.edit_position(edit.start)
        _, end_line, end_column = report.edit_position(edit.end)
        edits.append(
            {
                "content": edit.content,
                "location": {"line": line, "column": column},
                "end_location": {"line": end_line, "column": end_column},
                # An edit can sit in another cell than its finding (an added import).
                "cell": cell,
            }
        )
    return {"applicability": finding.fix.applicability.value, "message": finding.fix.message, "edits": edits}
