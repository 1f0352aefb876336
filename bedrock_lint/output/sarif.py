"""``--format sarif``: a SARIF 2.1.0 log, for GitHub code scanning and other viewers.

One run; the driver lists every rule with its full documentation, so a viewer can
explain a rule without going to the website.  Paths are the names shown to the
user, as URIs relative to ``%SRCROOT%`` (absolute names become ``file://`` URIs).
The rules' help is the page ``bedrock-lint rule CODE`` shows.
Columns count characters (``columnKind: unicodeCodePoints``) and ``endColumn``
points just past the range, as SARIF wants.

Notebooks: SARIF has no notion of cells.  The location is the notebook file, region
lines are inside the cell, as in the other formats, and the cell (1-based) is a
logical location (``{"name": "cell 3", "fullyQualifiedName": "lab.ipynb:cell 3"}``)
and in ``properties.cell`` of the location and of its region (also on each fix's
``deletedRegion``).

A security rule (BDR007) carries GitHub code scanning's ``security-severity`` in its
properties, with the ``security`` tag.

A finding about a value another module of the project defines (a prompt, a request
dict, a client imported from there) names that definition in ``relatedLocations``.

Per-file errors are ``invocations[0].toolExecutionNotifications``; the run still
counts as successful, since the other files were checked.  Run errors (an invalid
configuration file, an internal error) are notifications too, and the run then is not
successful (``executionSuccessful: false``): some files were not checked, or not fully.
"""

from __future__ import annotations

import json
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from typing import Any, Sequence
from urllib.parse import quote

import bedrock_lint
from bedrock_lint.findings import Finding, Severity
from bedrock_lint.output.report import FileReport, related_name, severity_of
from bedrock_lint.rules.registry import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/bedrock-lint/bedrock-lint"
LEVEL_FOR_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(reports: list[FileReport], *, rules: dict[str, Rule], run_errors: Sequence[str] = ()) -> str:
    return json.dumps(sarif_log(reports, rules, run_errors), indent=2, ensure_ascii=False) + "\n"


def sarif_log(reports: list[FileReport], rules: dict[str, Rule], run_errors: Sequence[str] = ()) -> dict[str, Any]:
    ordered_rules = sorted(rules.values(), key=lambda rule: rule.code)
    rule_index = {rule.code: index for index, rule in enumerate(ordered_rules)}
    results = [
        result_object(report, finding, rules, rule_index) for report in reports for finding in report.findings
    ]
    notifications = [
        {
            "level": "error",
            "message": {"text": report.error},
            "locations": [{"physicalLocation": {"artifactLocation": artifact_location(report.display_name)}}],
        }
        for report in reports
        if report.error
    ]
    notifications.extend({"level": "error", "message": {"text": message}} for message in run_errors)
    invocation: dict[str, Any] = {"executionSuccessful": not run_errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "bedrock-lint",
                        "version": bedrock_lint.__version__,
                        "semanticVersion": bedrock_lint.__version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [rule_descriptor(rule) for rule in ordered_rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "invocations": [invocation],
                "results": results,
            }
        ],
    }


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    help_text, help_markdown = rule_documentation(rule)
    tags = ["bedrock", rule.severity.value]
    if rule.fix != "none":
        tags.append(f"{rule.fix}-fix")
    properties: dict[str, Any] = {"tags": tags}
    if rule.security_severity is not None:
        # GitHub code scanning ranks security alerts by it (it needs the "security" tag).
        tags.append("security")
        properties["security-severity"] = rule.security_severity
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why or rule.summary},
        "help": {"text": help_text, "markdown": help_markdown},
        "helpUri": rule.url,
        "defaultConfiguration": {"enabled": rule.default_enabled, "level": LEVEL_FOR_SEVERITY[rule.severity]},
        "properties": properties,
    }


def rule_documentation(rule: Rule) -> tuple[str, str]:
    """The rule's documentation as (plain text, markdown): the same page as
    ``bedrock-lint rule CODE``, so the two cannot drift apart."""
    from bedrock_lint.docs import rule_markdown
    from bedrock_lint.rules.registry import FACTS_URL

    return markdown_to_text(rule_markdown(rule)), rule_markdown(rule, facts_target=FACTS_URL)


def markdown_to_text(markdown: str) -> str:
    """Enough of markdown undone for viewers that show ``help.text``: headings lose their
    hashes, bold its stars, code fences go and the code is indented instead."""
    lines = []
    in_code = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif in_code:
            lines.append(f"    {line}" if line else "")
        else:
            lines.append(line.lstrip("#").strip() if line.startswith("#") else line.replace("**", ""))
    return "\n".join(lines) + "\n"


def result_object(
    report: FileReport, finding: Finding, rules: dict[str, Rule], rule_index: dict[str, int]
) -> dict[str, Any]:
    region = {
        "startLine": finding.start.line,
        "startColumn": finding.start.column,
        "endLine": finding.end.line,
        "endColumn": finding.end.column,
    }
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": artifact_location(report.display_name), "region": region}
    }
    if finding.cell is not None:
        region["properties"] = {"cell": finding.cell}
        location["logicalLocations"] = [cell_location(report.display_name, finding.cell)]
        location["properties"] = {"cell": finding.cell}
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index[finding.code],
        "level": LEVEL_FOR_SEVERITY[severity_of(finding, rules)],
        "message": {"text": finding.message},
        "locations": [location],
    }
    if finding.related:
        result["relatedLocations"] = [
            {
                "id": number,
                "physicalLocation": {
                    "artifactLocation": artifact_location(related_name(place, report.display_name)),
                    "region": {"startLine": place.line},
                },
                "message": {"text": place.message},
            }
            for number, place in enumerate(finding.related)
        ]
    if finding.fix is not None:
        result["fixes"] = [fix_object(report, finding)]
    return result


def cell_location(notebook: str, cell: int) -> dict[str, Any]:
    """The notebook cell a finding is in, as a SARIF logical location."""
    return {"name": f"cell {cell}", "fullyQualifiedName": f"{notebook}:cell {cell}", "kind": "module"}


def fix_object(report: FileReport, finding: Finding) -> dict[str, Any]:
    assert finding.fix is not None
    replacements = []
    for edit in finding.fix.edits:
        cell, start_line, start_column = report.edit_position(edit.start)
        _, end_line, end_column = report.edit_position(edit.end)
        deleted_region: dict[str, Any] = {
            "startLine": start_line,
            "startColumn": start_column,
            "endLine": end_line,
            "endColumn": end_column,
        }
        if cell is not None:
            deleted_region["properties"] = {"cell": cell}
        replacements.append({"deletedRegion": deleted_region, "insertedContent": {"text": edit.content}})
    return {
        "description": {"text": f"{finding.fix.message} ({finding.fix.applicability.value} fix)"},
        "artifactChanges": [
            {"artifactLocation": artifact_location(report.display_name), "replacements": replacements}
        ],
    }


def artifact_location(display_name: str) -> dict[str, str]:
    """A relative name becomes a URI relative to %SRCROOT%; an absolute one a file:// URI."""
    path: PurePath = PureWindowsPath(display_name) if "\\" in display_name else PurePosixPath(display_name)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": quote(path.as_posix()), "uriBaseId": "%SRCROOT%"}
