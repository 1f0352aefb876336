"""The flake8 plugin through the real flake8 (installed with the test extras), in
subprocesses over temporary projects, compared with what ``bedrock-lint check`` prints."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import libcst
import pytest

from bedrock_lint.integrations.flake8_plugin import BedrockLintChecker
from bedrock_lint.rules import registry

# Findings of several rules at several columns; the non-ASCII name checks that both
# tools count columns in characters.
APP = textwrap.dedent(
    """\
    import boto3
    from botocore.config import Config

    naïve_client = boto3.client("bedrock-runtime", region_name="us-east-1")
    slow = boto3.client("bedrock-runtime", config=Config(300))
    """
)

SECOND = textwrap.dedent(
    """\
    import boto3


    def handler(event, context):
        client = boto3.client("bedrock-runtime")
        return client.converse(modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0", messages=[])
    """
)

UNRELATED = "def add(a, b):\n    return a + b\n"

# Python's own parser accepts a parenthesised annotated target; libcst's does not.  flake8
# only runs plugins on files Python parses, so this is the file flake8 hands the plugin
# that bedrock-lint cannot parse.
NOT_PARSED_BY_LIBCST = "import boto3\n\n(read_timeout): int = 300\nclient = boto3.client('bedrock-runtime')\n"


def flake8(*args: str, cwd: Path, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flake8", *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        timeout=300,
    )


def bedrock_lint(*args: str, cwd: Path, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bedrock_lint", "check", "--no-cache", "--format", "concise", "--quiet", *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        timeout=300,
    )


def lines_of(output: str) -> list[str]:
    """Report lines as both tools print them: ``path:line:column: CODE message``, less
    flake8's ``./`` and bedrock-lint's ``[*]`` fixable mark."""
    result = []
    for line in output.splitlines():
        line = line.removeprefix("./").replace(" [*] ", " ", 1)
        if re.match(r"[^:]+:\d+:\d+: [A-Z]+\d+ ", line):
            result.append(line)
    return sorted(result)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "handler.py").write_text(SECOND, encoding="utf-8")
    (tmp_path / "plain.py").write_text(UNRELATED, encoding="utf-8")
    return tmp_path


def test_flake8_reports_what_bedrock_lint_check_reports(project):
    via_flake8 = flake8("--select", "BDR", ".", cwd=project)
    via_check = bedrock_lint("--select", "BDR", ".", cwd=project)
    assert via_flake8.returncode == 1, via_flake8.stdout + via_flake8.stderr
    reported = lines_of(via_flake8.stdout)
    assert reported == lines_of(via_check.stdout)
    assert "app.py:4:16: BDR001 " in "\n".join(reported)  # after the 'ï'
    assert {"BDR001", "BDR002", "BDR003", "BDR004"} <= {line.split()[1] for line in reported}
    assert not any(line.startswith("plain.py") for line in reported)


def test_default_selection_matches_the_default_rules(project):
    """Plain ``flake8`` (its default selection plus the plugin's default-ignore list)
    shows the BDR findings that a plain ``bedrock-lint check`` shows."""
    via_flake8 = flake8(".", cwd=project)
    bdr = [line for line in lines_of(via_flake8.stdout) if " BDR" in line]
    assert bdr == lines_of(bedrock_lint(".", cwd=project).stdout)


def test_noqa_suppresses_one_code_and_disable_noqa_restores_it(project):
    before = lines_of(flake8("--select", "BDR", "app.py", cwd=project).stdout)
    suppressed = next(line for line in before if " BDR001 " in line)
    line_number = int(suppressed.split(":")[1])
    source = APP.splitlines()
    source[line_number - 1] += "  # noqa: BDR001"
    (project / "app.py").write_text("\n".join(source) + "\n", encoding="utf-8")

    after = lines_of(flake8("--select", "BDR", "app.py", cwd=project).stdout)
    assert after == [line for line in before if line != suppressed]
    restored = lines_of(flake8("--select", "BDR", "--disable-noqa", "app.py", cwd=project).stdout)
    assert restored == before


def test_select_ignore_per_file_ignores_and_statistics(project):
    only_region = flake8("--select", "BDR003", ".", cwd=project)
    assert [line.split()[1] for line in lines_of(only_region.stdout)] == ["BDR003"]

    ignored = lines_of(flake8("--select", "BDR", "--ignore", "BDR001,BDR002", ".", cwd=project).stdout)
    assert ignored and not any(" BDR001 " in line or " BDR002 " in line for line in ignored)

    per_file = lines_of(flake8("--select", "BDR", "--per-file-ignores", "app.py:BDR", ".", cwd=project).stdout)
    assert per_file and all(line.startswith("handler.py:") for line in per_file)

    statistics = flake8("--select", "BDR", "--statistics", "--count", "app.py", cwd=project)
    assert re.search(r"^1\s+BDR004 ", statistics.stdout, re.MULTILINE), statistics.stdout
    assert statistics.stdout.strip().splitlines()[-1] == str(len(lines_of(statistics.stdout)))

    extended = lines_of(flake8("--select", "W605", "--extend-select", "BDR004", ".", cwd=project).stdout)
    assert [line.split()[1] for line in extended] == ["BDR004"]


def test_parallel_jobs_give_the_same_findings(project):
    for number in range(4):
        (project / f"copy_{number}.py").write_text(APP if number % 2 else SECOND, encoding="utf-8")
    serial = flake8("--select", "BDR", "-j", "1", ".", cwd=project)
    parallel = flake8("--select", "BDR", "-j", "2", "-v", ".", cwd=project)
    assert "Ignoring --jobs" not in parallel.stderr  # flake8 did not fall back to serial
    assert lines_of(parallel.stdout) == lines_of(serial.stdout)
    assert len(lines_of(serial.stdout)) > 8


def test_stdin_with_and_without_a_display_name(project):
    from_file = lines_of(flake8("--select", "BDR", "app.py", cwd=project).stdout)
    named = flake8("--select", "BDR", "--stdin-display-name", "app.py", "-", cwd=project, input=APP)
    assert lines_of(named.stdout) == from_file
    anonymous = flake8("--select", "BDR", "-", cwd=project, input=APP)
    assert lines_of(anonymous.stdout) == [line.replace("app.py:", "stdin:", 1) for line in from_file]


def test_a_file_bedrock_lint_cannot_parse_is_one_bdr000(project):
    # The premise: Python accepts the file (so flake8 runs the plugin), libcst does not.
    ast.parse(NOT_PARSED_BY_LIBCST)
    with pytest.raises(libcst.ParserSyntaxError):
        libcst.parse_module(NOT_PARSED_BY_LIBCST)
    (project / "odd.py").write_text(NOT_PARSED_BY_LIBCST, encoding="utf-8")

    result = flake8("--select", "BDR", "odd.py", cwd=project)
    reported = lines_of(result.stdout)
    # Not a syntax error of the user's (issue 22, M4): "not checked", as check says too.
    assert len(reported) == 1 and reported[0].startswith("odd.py:1:1: BDR000 bedrock-lint could not check this file")
    assert "libcst cannot parse this file, which Python accepts" in reported[0]
    checked = bedrock_lint("--select", "BDR", "odd.py", cwd=project)
    assert "BDR000" not in checked.stdout and "libcst cannot parse this file, which Python accepts" in checked.stderr
    assert "Traceback" not in result.stderr


def test_a_file_python_cannot_parse_is_flake8s_e999(project):
    """flake8 runs no plugin on a file Python cannot parse; it reports E999 itself and the
    run goes on to the other files."""
    (project / "broken.py").write_text("import boto3\nclient = boto3.client('bedrock-runtime'\n", encoding="utf-8")
    result = flake8("--select", "BDR,E999", "broken.py", "app.py", cwd=project)
    reported = lines_of(result.stdout)
    assert [line.split()[1] for line in reported if line.startswith("broken.py")] == ["E999"]
    assert any(line.startswith("app.py:") for line in reported)
    assert "Traceback" not in result.stderr


def test_rule_options_from_flake8_and_from_pyproject(tmp_path):
    (tmp_path / "app.py").write_text(
        "import boto3\nfrom botocore.config import Config\n\n"
        "client = boto3.client('bedrock-runtime', config=Config(read_timeout=120, retries={'mode': 'standard'}))\n",
        encoding="utf-8",
    )

    def codes(*args: str) -> list[str]:
        result = flake8("--select", "BDR", *args, "app.py", cwd=tmp_path)
        assert "Traceback" not in result.stderr, result.stderr
        return [line.split()[1] for line in lines_of(result.stdout)]

    assert codes() == ["BDR001"]  # 120 s is below the default minimum of 300 s
    assert codes("--bedrock-min-read-timeout", "100") == []
    (tmp_path / "pyproject.toml").write_text("[tool.bedrock-lint]\nmin-read-timeout = 60\n", encoding="utf-8")
    assert codes() == []
    assert codes("--bedrock-min-read-timeout", "150") == ["BDR001"]  # flake8's option wins
    (tmp_path / ".flake8").write_text("[flake8]\nbedrock-min-read-timeout = 200\n", encoding="utf-8")
    assert codes() == ["BDR001"]

    (tmp_path / ".flake8").unlink()
    (tmp_path / "pyproject.toml").write_text("[tool.bedrock-lint]\nignore = ['BDR001']\n", encoding="utf-8")
    assert codes() == []


def test_bad_settings_are_clear_errors(tmp_path):
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    bad_option = flake8("--select", "BDR", "--bedrock-retry-mode", "fast", "app.py", cwd=tmp_path)
    assert bad_option.returncode != 0
    assert "--bedrock-retry-mode: 'retry-mode' must be one of standard, adaptive, got 'fast'" in bad_option.stdout
    assert "Traceback" not in bad_option.stderr

    (tmp_path / "pyproject.toml").write_text("[tool.bedrock-lint]\nmin-read-timeout = 'long'\n", encoding="utf-8")
    bad_config = flake8("--select", "BDR", "app.py", cwd=tmp_path)
    assert bad_config.returncode != 0
    assert "pyproject.toml: [tool.bedrock-lint] 'min-read-timeout' must be a number, got str (line 2)" in bad_config.stdout
    assert "Traceback" not in bad_config.stderr


def test_rule_options_are_flake8_options_derived_from_the_settings_table(monkeypatch):
    """Every entry of RULE_OPTIONS, including one added later, is a flake8 option that
    flake8's configuration files may set too."""
    from flake8.options.manager import OptionManager

    from bedrock_lint.settings import RULE_OPTIONS

    monkeypatch.setitem(RULE_OPTIONS, "added-later", ("min_read_timeout", int, 7))
    manager = OptionManager(version="test", plugin_versions="", parents=[], formatter_names=[])
    BedrockLintChecker.add_options(manager)
    for key in RULE_OPTIONS:
        assert manager.config_options_dict[f"bedrock-{key}"].parse_from_config, key
    assert "--bedrock-min-read-timeout" in flake8("--help", cwd=Path.cwd()).stdout


def test_rules_off_by_default_are_in_flake8s_default_ignore(monkeypatch):
    """Derived from the registry's table: a rule that is off by default (as BDR107 will
    be) lands in flake8's extended default ignore list, and no other does."""
    from flake8.options.manager import OptionManager

    monkeypatch.setitem(registry.RULE_CODES, "BDR999", False)
    manager = OptionManager(version="test", plugin_versions="", parents=[], formatter_names=[])
    BedrockLintChecker.add_options(manager)
    off = sorted(code for code, on in registry.RULE_CODES.items() if not on)
    assert "BDR999" in off
    assert manager.extended_default_ignore == off


def test_a_rule_off_by_default_is_hidden_until_selected_in_flake8(project, monkeypatch, capsys):
    """The real flake8, in this process so that the registry's table can say BDR003 is
    off by default: flake8's default selection hides it, selecting it shows it."""
    from flake8.main.application import Application

    monkeypatch.setitem(registry.RULE_CODES, "BDR003", False)
    monkeypatch.chdir(project)

    def codes(*args: str) -> set[str]:
        capsys.readouterr()
        Application().run([*args, "app.py"])
        return {line.split()[1] for line in lines_of(capsys.readouterr().out)}

    default = codes()
    assert "BDR003" not in default and "BDR001" in default
    assert "BDR003" in codes("--select", "BDR003")
    assert "BDR003" in codes("--extend-select", "BDR003")
    assert "BDR003" in codes("--select", "BDR")  # as flake8 treats E126 with --select E
    assert "BDR003" not in codes("--select", "BDR", "--ignore", "BDR003")


def test_importing_the_plugin_and_checking_other_files_does_not_load_libcst(project):
    """flake8 imports the plugin on every run: for files without Bedrock usage, neither
    the import nor the check may pull in libcst.  A Bedrock file does."""
    probe = (
        "import sys\n"
        "from flake8.main.application import Application\n"
        "Application().run(sys.argv[1:])\n"
        "print('libcst loaded' if 'libcst' in sys.modules else 'libcst not loaded')\n"
    )
    plain = subprocess.run([sys.executable, "-c", probe, "plain.py"], cwd=project, capture_output=True, text=True, timeout=300)
    assert plain.stdout.strip().splitlines()[-1] == "libcst not loaded", plain.stdout + plain.stderr
    bedrock = subprocess.run([sys.executable, "-c", probe, "app.py"], cwd=project, capture_output=True, text=True, timeout=300)
    assert bedrock.stdout.strip().splitlines()[-1] == "libcst loaded", bedrock.stdout + bedrock.stderr
    assert "BDR001" in bedrock.stdout


CLAUDE_CLIENT = 'import boto3\nclient = boto3.client("bedrock-runtime")\nclient.converse(modelId="us.anthropic.claude-sonnet-4-6", messages=[])\n'


def _plugin_findings(text: str, filename: str = "app.py") -> list[tuple[int, int, str]]:
    checker = BedrockLintChecker(ast.parse(text), text.splitlines(keepends=True), filename)
    return [(line, column, message) for line, column, message, _ in checker.run()]


def test_an_internal_error_is_one_diagnostic_for_the_file_and_flake8_goes_on(monkeypatch):
    """A failure of the plugin must not stop flake8 (every file, every plugin): it is one
    diagnostic at the top of the file it happened in."""
    from bedrock_lint.engine import analyse

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(analyse, "analyse_text", broken)
    [(line, column, message)] = _plugin_findings(CLAUDE_CLIENT)
    assert (line, column) == (1, 0) and message.startswith("BDR000 bedrock-lint could not check this file: internal error: KeyError")

    monkeypatch.setattr(analyse, "analyse_text", lambda *a, **k: analyse.Analysis(internal_errors=["BDR001: KeyError: 'x' (rules/client.py:1)"]))
    [(_, _, message)] = _plugin_findings(CLAUDE_CLIENT)
    assert message == "BDR000 bedrock-lint could not check this file: internal error: BDR001: KeyError: 'x' (rules/client.py:1)"


def test_the_plugin_applies_the_time_limit_of_check(monkeypatch):
    from bedrock_lint.engine import analyse
    from bedrock_lint.engine.limits import FileTimeout

    def slow(*args, **kwargs):
        raise FileTimeout(10)

    monkeypatch.setattr(analyse, "analyse_text", slow)
    [(_, _, message)] = _plugin_findings(CLAUDE_CLIENT)
    assert "could not check this file: took more than the per-file time limit of 10 s" in message
