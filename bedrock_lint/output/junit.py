"""``--format junit``: JUnit XML, which CI systems (GitLab, Jenkins, Azure Pipelines,
CircleCI) show as test results.  As ruff's: one ``testsuite`` per file with findings,
one failed ``testcase`` per finding (``name`` the rule, ``classname`` the file, ``line``
and ``column``, the message in ``failure``), a per-file error as a ``testcase`` with an
``error``, and run errors in a ``testsuite`` of their own.  A run with nothing to
report is one passing ``testcase``, so the CI shows that the check ran."""

from __future__ import annotations

import re
from typing import Sequence
from xml.etree import ElementTree

from bedrock_lint.findings import Finding
from bedrock_lint.output.report import FileReport, rule_for
from bedrock_lint.rules.registry import Rule


# Characters XML 1.0 cannot hold, even escaped (a message quoting a control character).
NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(reports: list[FileReport], *, rules: dict[str, Rule], run_errors: Sequence[str] = ()) -> str:
    root = ElementTree.Element("testsuites", name="bedrock-lint")
    for report in reports:
        if not report.findings and not report.error:
            continue
        suite = ElementTree.SubElement(root, "testsuite", name=report.display_name)
        for finding in report.findings:
            case = ElementTree.SubElement(suite, "testcase", finding_attributes(report, finding, rules))
            failure = ElementTree.SubElement(case, "failure", message=finding.message)
            failure.text = f"{where(finding)}: {finding.code} {finding.message}"
        if report.error:
            case = ElementTree.SubElement(suite, "testcase", name="bedrock-lint", classname=report.display_name)
            ElementTree.SubElement(case, "error", message=report.error).text = report.error
        count(suite)
    if run_errors:
        suite = ElementTree.SubElement(root, "testsuite", name="bedrock-lint")
        for message in run_errors:
            case = ElementTree.SubElement(suite, "testcase", name="bedrock-lint", classname="bedrock-lint")
            ElementTree.SubElement(case, "error", message=message).text = message
        count(suite)
    if len(root) == 0:
        suite = ElementTree.SubElement(root, "testsuite", name="bedrock-lint")
        ElementTree.SubElement(suite, "testcase", name="No findings", classname="bedrock-lint")
        count(suite)
    count(root)
    for element in root.iter():
        for key, value in element.attrib.items():
            element.set(key, NOT_XML.sub("\ufffd", value))
        if element.text:
            element.text = NOT_XML.sub("\ufffd", element.text)
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def finding_attributes(report: FileReport, finding: Finding, rules: dict[str, Rule]) -> dict[str, str]:
    attributes = {
        "name": f"{finding.code} {rule_for(finding.code, rules).name}",
        "classname": report.display_name,
        "line": str(finding.start.line),
        "column": str(finding.start.column),
    }
    if finding.cell is not None:
        attributes["cell"] = str(finding.cell)
    return attributes


def where(finding: Finding) -> str:
    position = f"{finding.start.line}:{finding.start.column}"
    return f"cell {finding.cell}:{position}" if finding.cell is not None else position


def count(element: ElementTree.Element) -> None:
    """The ``tests``/``failures``/``errors`` totals of a suite (or of all of them)."""
    cases = list(element.iter("testcase"))
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(1 for case in cases if case.find("failure") is not None)))
    element.set("errors", str(sum(1 for case in cases if case.find("error") is not None)))
