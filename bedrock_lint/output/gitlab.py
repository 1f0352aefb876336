"""``--format gitlab``: a GitLab Code Quality report, for the merge request widget
(``artifacts: reports: codequality``).  One JSON array, one object per finding::

    {"description", "check_name", "fingerprint", "severity",
     "location": {"path", "lines": {"begin", "end"}}}

See https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format.
GitLab knows nothing of notebook cells: as in ``--format github``, a notebook's finding
points at the notebook's first line and its description names the cell and line.

The fingerprint identifies a finding across runs, so that GitLab can tell new findings
from fixed ones: a hash of the file, the rule, the message and the text of the reported
line (not its number, which moves when lines are added above it), and which of equal
findings it is.  Per-file errors are not findings (printed to stderr, as with json).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from bedrock_lint.findings import Finding, Severity
from bedrock_lint.output.report import FileReport, severity_of
from bedrock_lint.rules.registry import Rule

# GitLab's severities: info, minor, major, critical, blocker.
SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(reports: list[FileReport], *, rules: dict[str, Rule]) -> str:
    issues: list[dict[str, Any]] = []
    for report in reports:
        seen: dict[str, int] = {}
        for finding in report.findings:
            issues.append(issue(report, finding, rules, seen))
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def issue(report: FileReport, finding: Finding, rules: dict[str, Rule], seen: dict[str, int]) -> dict[str, Any]:
    if finding.cell is not None:
        description = f"{finding.code} cell {finding.cell}:{finding.start.line}:{finding.start.column}: {finding.message}"
        lines = {"begin": 1, "end": 1}
    else:
        description = f"{finding.code} {finding.message}"
        lines = {"begin": finding.start.line, "end": finding.end.line}
    line_text = (report.line_text(finding.cell, finding.start.line) or "").strip()
    identity = "\0".join((report.display_name, str(finding.cell or ""), finding.code, finding.message, line_text))
    occurrence = seen.get(identity, 0)
    seen[identity] = occurrence + 1
    fingerprint = hashlib.sha256(f"{identity}\0{occurrence}".encode()).hexdigest()
    return {
        "description": description,
        "check_name": finding.code,
        "fingerprint": fingerprint,
        "severity": SEVERITY[severity_of(finding, rules)],
        "location": {"path": report.display_name, "lines": lines},
    }
