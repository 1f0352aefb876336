"""``check --add-noqa`` and the noqa edit it (and the language server) uses: over the
whole fixture tree, on multi-line strings and continued lines (where flake8 honours a
comment), next to other tools' codes, in notebooks and on standard input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bedrock_lint.engine.noqa import LogicalLines, noqa_edit
from bedrock_lint.engine.source import source_from_bytes, split_lines
from bedrock_lint.fixes.applier import apply_edits
from tests.cli_runner import run

ROOT = Path(__file__).resolve().parent.parent

MULTI_LINE = textwrap.dedent(
    '''\
    import boto3

    client = boto3.client("bedrock-runtime", region_name="us-east-1")  # noqa: E501
    response = client.invoke_model(modelId="anthropic.claude-v2", body="""{
      "prompt": "hi"
    }""")
    value = client.converse(modelId="anthropic.claude-v2", \\
        messages=[])
    '''
)


def added(text: str, line: int, codes: list[str]) -> str | None:
    edit = noqa_edit(text, line, codes)
    return None if edit is None else apply_edits(text, [edit])


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def findings(result) -> list[dict]:
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "text, line, codes, expected",
    [
        ("x = 1\n", 1, ["BDR001"], "x = 1  # noqa: BDR001\n"),
        # Extended, other tools' codes kept, in the separator style found.
        ("x = 1  # noqa: E501\n", 1, ["BDR001"], "x = 1  # noqa: E501, BDR001\n"),
        ("x = 1  # noqa:E501,W1\n", 1, ["BDR002", "BDR001"], "x = 1  # noqa:E501,W1,BDR001,BDR002\n"),
        # A reason after the codes stays after them.
        ("x = 1  # noqa: E501 - long\n", 1, ["BDR001"], "x = 1  # noqa: E501, BDR001 - long\n"),
        ("x = 1  # a comment\n", 1, ["BDR001"], "x = 1  # a comment  # noqa: BDR001\n"),
        # A string over two lines: the comment after it, where flake8 reads it for both.
        ('y = """a\nb"""\n', 1, ["BDR001"], 'y = """a\nb"""  # noqa: BDR001\n'),
        ("x = 1 + \\\n  2\n", 1, ["BDR001"], "x = 1 + \\\n  2  # noqa: BDR001\n"),
        # Inside brackets each line takes its own comment.
        ("x = f(\n  1,\n  2)\n", 2, ["BDR001"], "x = f(\n  1,  # noqa: BDR001\n  2)\n"),
        ("x = 1\r\ny = 2\r\n", 1, ["BDR001"], "x = 1  # noqa: BDR001\r\ny = 2\r\n"),
        # Nothing to add: listed already (or by prefix), or a bare noqa.
        ("x = 1  # noqa: BDR001\n", 1, ["BDR001"], None),
        ("x = 1  # noqa: BDR0\n", 1, ["BDR001"], None),
        ("x = 1  # noqa\n", 1, ["BDR001"], None),
        # No comment can go in a string the tokenizer never finished.
        ('x = """abc\n', 1, ["BDR000"], None),
    ],
)
def test_noqa_edit(text, line, codes, expected):
    assert added(text, line, codes) == expected


def test_a_noqa_after_a_multi_line_string_suppresses_its_first_line():
    text = 'y = f("""a\nb""")  # noqa: BDR001\nz = 1\n'
    from bedrock_lint.analysis.positions import LineTable
    from bedrock_lint.engine.noqa import NoqaDirectives

    directives = NoqaDirectives(text, LineTable(text))
    assert directives.suppresses("BDR001", 1, 1)
    assert not directives.suppresses("BDR002", 1, 1)
    assert not directives.suppresses("BDR001", 3, 3)
    assert LogicalLines.of_text(text).range_of(1) == (1, 2)


def test_add_noqa_on_multi_line_strings_and_continued_lines_as_flake8_reads_them(tmp_path):
    (tmp_path / "app.py").write_text(MULTI_LINE, encoding="utf-8")
    before = findings(run("check", "--no-cache", "--format", "json", "app.py", cwd=tmp_path))
    assert {f["line"] for f in before} == {3, 4, 7}
    result = run("check", "--no-cache", "--add-noqa", "app.py", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert f"Added noqa codes for {len(before)} findings on 3 lines in 1 file." in result.stderr
    text = (tmp_path / "app.py").read_text("utf-8")
    assert '  # noqa: E501, BDR001, BDR002, BDR003\n' in text
    assert '}""")  # noqa: BDR103\n' in text
    assert "    messages=[])  # noqa: BDR103, BDR204\n" in text
    assert run("check", "--no-cache", "app.py", cwd=tmp_path).exit_code == 0
    # flake8 honours each comment where it was put.
    via_flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "BDR", "app.py"], cwd=tmp_path, capture_output=True, text=True
    )
    assert via_flake8.returncode == 0 and not via_flake8.stdout, via_flake8.stdout + via_flake8.stderr
    (tmp_path / "app.py").write_text(MULTI_LINE, encoding="utf-8")
    unsuppressed = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "BDR", "app.py"], cwd=tmp_path, capture_output=True, text=True
    )
    assert unsuppressed.stdout.count(" BDR") == len(before)


def test_a_finding_where_no_comment_can_go_is_skipped_and_counted(tmp_path):
    (tmp_path / "broken.py").write_text('import boto3\nx = """never closed\n', encoding="utf-8")
    result = run("check", "--no-cache", "--add-noqa", "broken.py", cwd=tmp_path)
    assert result.exit_code == 1
    assert "BDR000" in result.stdout
    assert "Added noqa codes for 0 findings on 0 lines in 0 files. Skipped 1 finding" in result.stderr
    assert (tmp_path / "broken.py").read_text("utf-8") == 'import boto3\nx = """never closed\n'


def test_add_noqa_in_a_notebook(tmp_path):
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Lab"]},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": ["%pip install boto3\n", "import boto3\n", 'client = boto3.client("bedrock-runtime")']},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": ['client.converse(modelId="anthropic.claude-v2", messages=[], inferenceConfig={"maxTokens": 9})']},
    ]
    notebook = {"cells": cells, "metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "lab.ipynb").write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    before = findings(run("check", "--no-cache", "--format", "json", ".", cwd=tmp_path))
    assert {f["cell"] for f in before} == {2, 3}
    assert run("check", "--no-cache", "--add-noqa", ".", cwd=tmp_path).exit_code == 0
    written = json.loads((tmp_path / "lab.ipynb").read_text("utf-8"))
    assert written["cells"][1]["source"][0] == "%pip install boto3\n"
    assert written["cells"][1]["source"][2].startswith('client = boto3.client("bedrock-runtime")  # noqa: BDR001')
    assert written["cells"][2]["source"][0].endswith("  # noqa: BDR103")
    assert written["cells"][0] == cells[0]
    assert run("check", "--no-cache", ".", cwd=tmp_path).exit_code == 0


def test_add_noqa_on_standard_input_prints_the_source(tmp_path):
    result = run("check", "--add-noqa", "--stdin-filename", "app.py", cwd=tmp_path, input=MULTI_LINE)
    assert result.exit_code == 0
    assert '}""")  # noqa: BDR103\n' in result.stdout
    assert not (tmp_path / "app.py").exists()


def test_add_noqa_is_not_combined_with_fix(tmp_path):
    result = run("check", "--add-noqa", "--fix", ".", cwd=tmp_path)
    assert result.exit_code == 2 and "--add-noqa cannot be combined" in result.output


def test_add_noqa_on_the_fixtures_leaves_nothing_to_report_and_touches_only_reported_lines(tmp_path):
    """The acceptance of issue 24: over a copy of fixtures/, every finding is suppressed,
    only lines with a finding (or the line that ends a finding's multi-line string or
    continued line) change, each only by its comment; a second run changes nothing."""
    tree = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", tree)
    original = tree_bytes(tree)
    report = findings(run("check", "--no-cache", "--format", "json", "--exit-zero", ".", cwd=tree))
    assert len(report) > 1000
    result = run("check", "--no-cache", "--add-noqa", ".", cwd=tree)
    assert result.exit_code == 0, result.output[-2000:]
    assert "Skipped" not in result.stderr
    after = run("check", "--no-cache", "--format", "json", ".", cwd=tree)
    assert after.exit_code == 0 and findings(after) == []

    changed = tree_bytes(tree)
    assert changed.keys() == original.keys()
    lines_with_findings: dict[str, set[int]] = {}
    for finding in report:
        if finding["cell"] is None:
            lines_with_findings.setdefault(str(Path(finding["filename"])), set()).add(finding["line"])
    for name, data in changed.items():
        if data == original[name] or name.endswith(".ipynb"):
            continue
        old_text, new_text = source_from_bytes(original[name], name).text, source_from_bytes(data, name).text
        old_lines, new_lines = split_lines(old_text), split_lines(new_text)
        assert len(old_lines) == len(new_lines), name
        logical = LogicalLines.of_text(old_text)
        targets = {logical.range_of(line)[1] for line in lines_with_findings.get(name, ())}
        for number, (old, new) in enumerate(zip(old_lines, new_lines), start=1):
            if old != new:
                assert number in targets, f"{name}:{number} changed without a finding: {new!r}"
                assert "noqa" in new and new.replace(" ", "").startswith(old.split("#")[0].replace(" ", "")), (old, new)
    assert any(name.endswith(".ipynb") and changed[name] != original[name] for name in changed)

    again = run("check", "--no-cache", "--add-noqa", ".", cwd=tree)
    assert again.exit_code == 0
    assert "Added noqa codes for 0 findings" in again.stderr
    assert tree_bytes(tree) == changed


def test_a_cell_that_does_not_parse_gets_its_comment_after_its_string(tmp_path):
    """A notebook cell that does not parse is analysed commented out; its BDR000 is on
    a line of a multi-line string in the cell as written, so the comment goes after the
    string, where Python (and the next check) reads it."""
    cells = [
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": ["import boto3\n", '"""Say\n', 'hi""" = 1\n', "x = 1"]},
    ]
    notebook = {"cells": cells, "metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "lab.ipynb").write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    before = findings(run("check", "--no-cache", "--format", "json", ".", cwd=tmp_path))
    assert [(f["code"], f["cell"], f["line"]) for f in before] == [("BDR000", 1, 2)]
    result = run("check", "--no-cache", "--add-noqa", ".", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    source = json.loads((tmp_path / "lab.ipynb").read_text("utf-8"))["cells"][0]["source"]
    assert source == ["import boto3\n", '"""Say\n', 'hi""" = 1  # noqa: BDR000\n', "x = 1"]
    assert run("check", "--no-cache", ".", cwd=tmp_path).exit_code == 0
