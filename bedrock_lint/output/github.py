"""``--format github``: GitHub Actions workflow commands, which the runner turns into
annotations on the pull request::

    ::warning file=app.py,line=12,col=10,endLine=12,endColumn=41,title=bedrock-lint (BDR001)::message

See https://docs.github.com/en/actions/using-workflows/workflow-commands-for-github-actions
"""

from __future__ import annotations

from typing import Sequence

from bedrock_lint.findings import Finding, Severity
from bedrock_lint.output.report import FileReport, severity_of
from bedrock_lint.rules.registry import Rule

COMMAND_FOR_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(reports: list[FileReport], *, rules: dict[str, Rule], run_errors: Sequence[str] = ()) -> str:
    """Run errors (a configuration or internal error) are annotations without a file,
    so a pull request shows that the check did not complete."""
    lines = [command("error", {"title": "bedrock-lint"}, message) for message in run_errors]
    for report in reports:
        if report.error:
            lines.append(command("error", {"file": report.display_name, "title": "bedrock-lint"}, report.error))
        for finding in report.findings:
            lines.append(finding_command(report, finding, rules))
    return "\n".join(lines) + "\n" if lines else ""


def finding_command(report: FileReport, finding: Finding, rules: dict[str, Rule]) -> str:
    level = COMMAND_FOR_SEVERITY[severity_of(finding, rules)]
    title = f"bedrock-lint ({finding.code})"
    if finding.cell is not None:
        # GitHub knows nothing of notebook cells: annotate the file's first line, as
        # ruff does, and say where in the message.
        properties = {"file": report.display_name, "line": 1, "col": 1, "title": title}
        message = f"cell {finding.cell}:{finding.start.line}:{finding.start.column}: {finding.message}"
    else:
        properties = {
            "file": report.display_name,
            "line": finding.start.line,
            "col": finding.start.column,
            "endLine": finding.end.line,
            "endColumn": finding.end.column,
            "title": title,
        }
        message = finding.message
    return command(level, properties, message)


def command(name: str, properties: dict[str, object], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name} {props}::{escape_data(message)}"


def escape_data(value: str) -> str:
    # "%" first, or the escapes themselves would be escaped again.
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")
