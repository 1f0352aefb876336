"""The CI outputs of issue 24: GitLab Code Quality (its required fields), JUnit XML (read
back with xml.etree), ``--output-format`` and ``BEDROCK_LINT_OUTPUT_FORMAT``, and SARIF's
notebook cells and ``security-severity``."""

from __future__ import annotations

import json
import textwrap
from xml.etree import ElementTree

import jsonschema
import pytest

from bedrock_lint.output import FileReport, render
from bedrock_lint.rules.registry import get_rule
from tests.cli_runner import run
from tests.test_output import (
    RULES,
    SOURCE,
    app_report,
    assert_valid_sarif,
    error_report,
    finding_at,
    notebook_report,
    region_finding,
    timeout_finding,
)

# The GitLab Code Quality report: the fields GitLab requires of each issue
# (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format).
GITLAB_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "minLength": 1},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}, "end": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}

APP = textwrap.dedent(
    """\
    import boto3

    client = boto3.client("bedrock-runtime", region_name="us-east-1", aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    """
)


# ---------------------------------------------------------------- gitlab


def test_gitlab_has_the_required_fields():
    reports = [app_report(timeout_finding(), region_finding(), finding_at("BDR004", 1, 1, 1, 7)), notebook_report(), error_report()]
    issues = json.loads(render(reports, "gitlab", rules=RULES))
    jsonschema.validate(issues, GITLAB_SCHEMA)
    assert len(issues) == 4  # the per-file error is no issue
    timeout = issues[0]
    assert timeout["check_name"] == "BDR001"
    assert timeout["description"] == "BDR001 BDR001 message"
    assert timeout["severity"] == "minor"
    assert timeout["location"] == {"path": "app.py", "lines": {"begin": 3, "end": 3}}
    assert issues[2]["severity"] == "major"  # an error
    # A notebook's finding: the notebook's first line, the cell in the description.
    assert issues[3]["location"] == {"path": "nb.ipynb", "lines": {"begin": 1, "end": 1}}
    assert issues[3]["description"].startswith("BDR001 cell 2:2:10: ")
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)


def test_gitlab_fingerprints_survive_lines_added_above_and_tell_equal_findings_apart():
    first = json.loads(render([app_report(timeout_finding())], "gitlab", rules=RULES))
    moved = timeout_finding()
    moved.start = type(moved.start)(moved.start.line + 2, moved.start.column)
    shifted_source = "# one\n# two\n" + SOURCE
    report = FileReport("app.py", [moved], source_lines=shifted_source.splitlines(keepends=True),
                        offset_to_position=app_report().offset_to_position)
    second = json.loads(render([report], "gitlab", rules=RULES))
    assert first[0]["fingerprint"] == second[0]["fingerprint"]
    twice = json.loads(render([app_report(finding_at("BDR004", 1, 1, 1, 7), finding_at("BDR004", 1, 1, 1, 7))], "gitlab", rules=RULES))
    assert twice[0]["fingerprint"] != twice[1]["fingerprint"]


# ---------------------------------------------------------------- junit


def test_junit_parses_and_counts():
    reports = [app_report(timeout_finding(), region_finding()), notebook_report(), error_report()]
    root = ElementTree.fromstring(render(reports, "junit", rules=RULES).encode())
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "3", "1")
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert set(suites) == {"app.py", "nb.ipynb", "broken.py"}
    cases = suites["app.py"].findall("testcase")
    assert [case.get("name") for case in cases] == ["BDR001 client-default-timeout", "BDR003 hardcoded-region"]
    assert (cases[0].get("classname"), cases[0].get("line"), cases[0].get("column")) == ("app.py", "3", "10")
    assert cases[0].find("failure").get("message") == "BDR001 message"
    notebook = suites["nb.ipynb"].find("testcase")
    assert notebook.get("cell") == "2" and notebook.find("failure").text.startswith("cell 2:2:10: BDR001")
    assert suites["broken.py"].find("testcase/error").get("message").startswith("cannot read file")


def test_junit_of_a_clean_run_and_of_run_errors():
    clean = ElementTree.fromstring(render([app_report()], "junit", rules=RULES).encode())
    assert (clean.get("tests"), clean.get("failures"), clean.get("errors")) == ("1", "0", "0")
    failed = ElementTree.fromstring(render([], "junit", rules=RULES, run_errors=["internal error"]).encode())
    assert failed.get("errors") == "1" and failed.find("testsuite/testcase/error").text == "internal error"


def test_junit_stays_xml_with_control_characters():
    finding = finding_at("BDR004", 1, 1, 1, 7)
    finding.message = "model id 'a\x00b\x1bc' is unknown"
    root = ElementTree.fromstring(render([app_report(finding)], "junit", rules=RULES).encode())
    assert root.find("testsuite/testcase/failure").get("message") == "model id 'a\ufffdb\ufffdc' is unknown"


# ---------------------------------------------------------------- sarif


def test_sarif_names_the_notebook_cell_as_a_logical_location():
    log = json.loads(render([notebook_report()], "sarif", rules=RULES))
    assert_valid_sarif(log)
    location = log["runs"][0]["results"][0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "nb.ipynb"
    assert location["logicalLocations"] == [{"name": "cell 2", "fullyQualifiedName": "nb.ipynb:cell 2", "kind": "module"}]
    assert location["properties"] == {"cell": 2}
    plain = json.loads(render([app_report(timeout_finding())], "sarif", rules=RULES))["runs"][0]["results"][0]
    assert "logicalLocations" not in plain["locations"][0]


def test_sarif_gives_the_credentials_rule_a_security_severity(tmp_path):
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    result = run("check", "--no-cache", "--format", "sarif", "app.py", cwd=tmp_path)
    log = json.loads(result.stdout)
    assert_valid_sarif(log)
    rules = {rule["id"]: rule for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["BDR007"]["properties"]["security-severity"] == get_rule("BDR007").security_severity
    assert 9.0 <= float(rules["BDR007"]["properties"]["security-severity"]) <= 10.0
    assert "security" in rules["BDR007"]["properties"]["tags"]
    assert "security-severity" not in rules["BDR001"]["properties"]


# ---------------------------------------------------------------- the options


@pytest.mark.parametrize("fmt", ["gitlab", "junit"])
def test_output_format_is_an_alias_and_the_environment_sets_it(tmp_path, monkeypatch, fmt):
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    by_option = run("check", "--no-cache", "--format", fmt, "app.py", cwd=tmp_path)
    by_alias = run("check", "--no-cache", "--output-format", fmt, "app.py", cwd=tmp_path)
    assert by_option.exit_code == by_alias.exit_code == 1
    assert by_option.stdout == by_alias.stdout
    monkeypatch.setenv("BEDROCK_LINT_OUTPUT_FORMAT", fmt)
    by_environment = run("check", "--no-cache", "app.py", cwd=tmp_path)
    assert by_environment.stdout == by_option.stdout
    # The option wins over the environment.
    assert run("check", "--no-cache", "--format", "concise", "app.py", cwd=tmp_path).stdout.startswith("app.py:3:")
    # Neither prints the key.
    assert "wJalrXUtnFEMI" not in by_option.stdout


def test_an_unknown_format_in_the_environment_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.setenv("BEDROCK_LINT_OUTPUT_FORMAT", "xml")
    result = run("check", "--no-cache", ".", cwd=tmp_path)
    assert result.exit_code == 2 and "xml" in result.output
