"""One file never stops a run: a rule that raises, code nested too deeply for the
parser, a file that takes too long, and inputs that cannot be read the usual way each
become one message naming the file, while every other file and rule still runs."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from bedrock_lint.engine.limits import FileTimeout, check_time, time_limit
from tests.cli_runner import run

APP = textwrap.dedent(
    """\
    import boto3

    client = boto3.client("bedrock-runtime", region_name="us-east-1")
    ask(client)
    """
)
DEEP_PARENS = "import boto3\nx = " + "(" * 5000 + "1" + ")" * 5000 + "\n"
LONG_CONCATENATION = "import boto3\nx = " + " + ".join(f"'s{i}'" for i in range(100_000)) + "\n"

# Runs the command line in a subprocess with one rule replaced, so that the pool's worker
# processes (forked) run the replaced rule too.
LAUNCHER = textwrap.dedent(
    """\
    import dataclasses, sys, time
    import bedrock_lint.engine.analyse as analyse
    original = analyse.iter_checks
    def {name}(index, settings):
        {body}
    def iter_checks(enabled):
        for rule in original(enabled):
            yield dataclasses.replace(rule, check={name}) if rule.code == "BDR002" else rule
    analyse.iter_checks = iter_checks
    from bedrock_lint.cli import main
    sys.argv[0] = "bedrock-lint"
    main()
    """
)


def codes_by_file(stdout: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in json.loads(stdout):
        found.setdefault(finding["filename"], set()).add(finding["code"])
    return found


def replace_rule(monkeypatch, code: str, check) -> None:
    import bedrock_lint.engine.analyse as analyse

    original = analyse.iter_checks

    def iter_checks(enabled):
        for rule in original(enabled):
            yield dataclasses.replace(rule, check=check) if rule.code == code else rule

    monkeypatch.setattr(analyse, "iter_checks", iter_checks)


def run_launcher(directory: Path, name: str, body: str, *args: str) -> subprocess.CompletedProcess:
    script = LAUNCHER.format(name=name, body=body)
    return subprocess.run(
        [sys.executable, "-c", script, "check", "--no-cache", *args],
        cwd=directory, capture_output=True, text=True, timeout=600,
    )


def many_apps(directory: Path, count: int = 18) -> None:
    for number in range(count):
        (directory / f"app{number:02}.py").write_text(APP, encoding="utf-8")


# --------------------------------------------------------------------------- a rule raises


def test_a_rule_that_raises_is_one_internal_error_per_file_and_the_rest_runs(tmp_path, monkeypatch):
    (tmp_path / "a.py").write_text(APP, encoding="utf-8")
    (tmp_path / "b.py").write_text(APP, encoding="utf-8")

    def broken(index, settings):
        return {}["missing"]

    replace_rule(monkeypatch, "BDR002", broken)
    result = run("check", "--no-cache", "--jobs", "1", "--format", "json", ".", cwd=tmp_path)
    assert result.exit_code == 2
    # Every other rule still ran on both files.
    assert codes_by_file(result.stdout) == {"a.py": {"BDR001", "BDR003"}, "b.py": {"BDR001", "BDR003"}}
    errors = [line for line in result.stderr.splitlines() if "internal error" in line]
    assert len(errors) == 2
    for name, line in zip(("a.py", "b.py"), errors):
        # The file, the rule, the exception, and where in bedrock-lint it was raised.
        assert line.startswith(f"error: internal error while checking {name}: BDR002: KeyError: 'missing' (")
        assert "test_reliability.py:" in line


def test_a_rule_that_raises_in_the_worker_processes(tmp_path):
    many_apps(tmp_path)
    result = run_launcher(tmp_path, "broken", "raise ValueError('boom')", "--jobs", "2", "--format", "json", ".")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert codes_by_file(result.stdout) == {f"app{n:02}.py": {"BDR001", "BDR003"} for n in range(18)}
    errors = [line for line in result.stderr.splitlines() if "internal error" in line]
    assert len(errors) == 18 and all("BDR002: ValueError: boom" in line for line in errors)


def test_fixes_go_on_when_a_rule_raises(tmp_path, monkeypatch):
    (tmp_path / "a.py").write_text(APP, encoding="utf-8")

    def broken(index, settings):
        raise RuntimeError("boom")

    replace_rule(monkeypatch, "BDR002", broken)
    result = run("check", "--no-cache", "--jobs", "1", "--fix", ".", cwd=tmp_path)
    assert result.exit_code == 2
    assert "read_timeout=300" in (tmp_path / "a.py").read_text()  # BDR001's fix still applied
    assert "internal error while checking a.py: BDR002: RuntimeError: boom" in result.stderr


# --------------------------------------------------------------------------- nesting


def test_deep_nesting_is_a_per_file_message_not_a_crash(tmp_path):
    """5,000 nested parentheses used to crash libcst's native parser (a segmentation
    fault); a 100,000-term concatenation kept it busy for hours."""
    (tmp_path / "parens.py").write_text(DEEP_PARENS, encoding="utf-8")
    (tmp_path / "concat.py").write_text(LONG_CONCATENATION, encoding="utf-8")
    (tmp_path / "good.py").write_text(APP, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "bedrock_lint", "check", "--no-cache", "--format", "json", "."],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 2, completed.stderr
    findings = json.loads(completed.stdout)
    assert {(f["filename"], f["code"]) for f in findings} == {("good.py", "BDR001"), ("good.py", "BDR002"), ("good.py", "BDR003"), ("parens.py", "BDR000")}
    parens = next(f for f in findings if f["filename"] == "parens.py")
    assert parens["line"] == 2 and "too many nested parentheses" in parens["message"]
    with pytest.raises(SyntaxError):  # CPython rejects it too
        compile(DEEP_PARENS, "parens.py", "exec")
    assert "error: internal error while checking concat.py: the file is nested too deeply to analyse" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_deep_nesting_in_the_worker_processes(tmp_path):
    many_apps(tmp_path)
    (tmp_path / "parens.py").write_text(DEEP_PARENS, encoding="utf-8")
    (tmp_path / "concat.py").write_text(LONG_CONCATENATION, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "bedrock_lint", "check", "--no-cache", "--jobs", "2", "--format", "json", "--fix", "--unsafe-fixes", "."],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 2, completed.stderr
    assert "internal error while checking concat.py" in completed.stderr
    assert "parens.py" in {f["filename"] for f in json.loads(completed.stdout)}
    assert all("read_timeout=300" in (tmp_path / f"app{n:02}.py").read_text() for n in range(18))


# --------------------------------------------------------------------------- time limit


def test_a_file_over_the_time_limit_is_reported_and_the_rest_is_checked(tmp_path, monkeypatch):
    (tmp_path / "a.py").write_text(APP, encoding="utf-8")
    (tmp_path / "slow.py").write_text(APP + "# slow\n", encoding="utf-8")

    def spins_on_slow_files(index, settings):
        while "# slow" in index.text:
            pass
        return []

    replace_rule(monkeypatch, "BDR002", spins_on_slow_files)
    result = run("check", "--no-cache", "--jobs", "1", "--file-timeout", "0.5", "--format", "json", ".", cwd=tmp_path)
    assert result.exit_code == 2
    assert codes_by_file(result.stdout) == {"a.py": {"BDR001", "BDR003"}}
    assert (
        "error: internal error while checking slow.py: took more than the per-file time limit of 0.5 s "
        "of CPU time (setting file-timeout); not checked"
    ) in result.stderr


def test_each_fix_round_has_its_own_time_limit(tmp_path, monkeypatch):
    """Issue 22 (minor): the limit spanned every fix round, so a file checked in 7.8 s of
    a 10 s limit was "not checked" under --fix.  Every analysis (the first one, and the
    one after each fix round) now has the limit to itself; here each takes 0.6 of it."""
    import bedrock_lint.engine.limits as limits

    (tmp_path / "a.py").write_text(APP, encoding="utf-8")
    timed = []

    def each_analysis_uses_most_of_the_limit(index, settings):
        # What a timer would see: the CPU used inside one time_limit(), in test units.
        timed[-1] += 0.6
        if timed[-1] > 1:
            raise FileTimeout(1)
        return []

    original = limits.time_limit

    @contextlib.contextmanager
    def time_limit(seconds):
        timed.append(0.0)
        with original(seconds):
            yield

    monkeypatch.setattr(limits, "time_limit", time_limit)
    replace_rule(monkeypatch, "BDR003", each_analysis_uses_most_of_the_limit)
    result = run("check", "--no-cache", "--jobs", "1", "--fix", "--select", "BDR001,BDR003", ".", cwd=tmp_path)
    assert "time limit" not in result.output, result.output
    assert "read_timeout=300" in (tmp_path / "a.py").read_text()
    assert result.exit_code == 0 and len(timed) >= 2


def test_a_fix_round_over_the_time_limit_writes_only_what_was_checked(tmp_path, monkeypatch):
    """The analysis after a fix round goes over the limit: the file keeps the fixes of the
    rounds whose result was checked (here none), the findings shown are that check's,
    and the file's error says which round's fixes were not applied."""
    (tmp_path / "a.py").write_text(APP, encoding="utf-8")

    def spins_on_fixed_code(index, settings):
        while "read_timeout=300" in index.text:
            pass
        return []

    replace_rule(monkeypatch, "BDR003", spins_on_fixed_code)
    result = run(
        "check", "--no-cache", "--jobs", "1", "--fix", "--file-timeout", "0.5", "--format", "concise", "--select", "BDR001,BDR003", ".",
        cwd=tmp_path,
    )
    assert (tmp_path / "a.py").read_text() == APP
    assert "a.py:3:10: BDR001" in result.stdout
    assert (
        "error: internal error while checking a.py: the fixes of round 1 were not applied: checking the fixed code "
        "took more than the per-file time limit of 0.5 s of CPU time (setting file-timeout)"
    ) in result.stderr
    assert result.exit_code == 2


def test_the_time_limit_in_the_worker_processes_and_from_the_configuration(tmp_path):
    many_apps(tmp_path)
    (tmp_path / "slow.py").write_text(APP + "# slow\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.bedrock-lint]\nfile-timeout = 0.5\n", encoding="utf-8")
    body = "while '# slow' in index.text: pass\n    return []"
    result = run_launcher(tmp_path, "spins", body, "--jobs", "2", "--format", "json", ".")
    assert result.returncode == 2, result.stderr
    assert set(codes_by_file(result.stdout)) == {f"app{n:02}.py" for n in range(18)}
    assert "internal error while checking slow.py: took more than the per-file time limit of 0.5 s" in result.stderr


def test_the_deadline_check_where_no_timer_signal_can_be_used():
    """Off the main thread there is no signal: the engine's steps check the deadline."""
    outcome = []

    def work():
        try:
            with time_limit(0.05):
                started = time.process_time()
                while time.process_time() - started < 0.2:
                    pass
                check_time()  # between two steps
            outcome.append("finished")
        except FileTimeout as timeout:
            outcome.append(str(timeout))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert outcome == ["took more than the per-file time limit of 0.05 s of CPU time (setting file-timeout); not checked"]


def test_the_time_limit_leaves_no_timer_behind():
    import signal

    with time_limit(5):
        pass
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGPROF) in (signal.SIG_DFL, None, signal.SIG_IGN) or callable(signal.getsignal(signal.SIGPROF))


@pytest.mark.parametrize(
    "body, expected",
    [
        ("file-timeout = 'long'\n", "'file-timeout' must be a number, got str (line 2)"),
        ("file-timeout = 0\n", "'file-timeout' must be greater than 0, got 0 (line 2)"),
    ],
)
def test_file_timeout_setting_errors_name_the_file_key_and_line(tmp_path, body, expected):
    (tmp_path / "pyproject.toml").write_text("[tool.bedrock-lint]\n" + body, encoding="utf-8")
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    result = run("check", "--no-cache", ".", cwd=tmp_path)
    assert result.exit_code == 2
    assert f"pyproject.toml: [tool.bedrock-lint] {expected}" in result.stderr


def test_file_timeout_setting_and_option(tmp_path):
    from bedrock_lint.config import SettingsResolver

    (tmp_path / "pyproject.toml").write_text("[tool.bedrock-lint]\nfile-timeout = 30\n", encoding="utf-8")
    assert SettingsResolver(cwd=tmp_path).settings_for(tmp_path / "a.py").file_timeout == 30
    overridden = SettingsResolver(cwd=tmp_path, cli_overrides={"file_timeout": 2.5})
    assert overridden.settings_for(tmp_path / "a.py").file_timeout == 2.5
    assert SettingsResolver(cwd=tmp_path / "..").default_settings.file_timeout == 10
    assert run("check", "--file-timeout", "0", ".", cwd=tmp_path).exit_code == 2


# --------------------------------------------------------------------------- bad inputs


def test_a_50_mb_file(tmp_path):
    """Read and prefiltered like any file; parsed only if it mentions Bedrock, and then
    refused with its size (libcst would need minutes and gigabytes)."""
    filler = ("x = 1  # " + "y" * 90 + "\n").encode()
    big = filler * (50 * 1024 * 1024 // len(filler) + 1)
    (tmp_path / "huge_bedrock.py").write_bytes(APP.encode() + big)
    (tmp_path / "huge_plain.py").write_bytes(big)
    (tmp_path / "good.py").write_text(APP, encoding="utf-8")
    result = run("check", "--no-cache", "--jobs", "1", "--format", "concise", ".", cwd=tmp_path)
    assert result.exit_code == 1
    out = result.stdout + result.stderr
    assert "huge_bedrock.py: error: file too large to analyse (50.0 MB; files over 8 MB that mention Bedrock are not parsed)" in out
    assert "huge_plain.py" not in out
    assert "good.py:3:10: BDR001" in out


def test_a_named_pipe_is_refused_without_reading_it(tmp_path):
    """A FIFO named like a source file used to block the run forever.  Root-safe: no
    permission is involved."""
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "good.py").write_text(APP, encoding="utf-8")
    result = run("check", "--no-cache", "--jobs", "1", "--format", "concise", ".", cwd=tmp_path)
    assert result.exit_code == 1
    out = result.stdout + result.stderr
    assert "pipe.py: error: cannot read file: not a regular file (a named pipe)" in out
    assert "good.py:3:10: BDR001" in out


def test_an_unreadable_file_root_safe(tmp_path, monkeypatch):
    """What the OS says to a user without read permission, made to happen for root too:
    opening the file fails with EACCES (tests/test_cli.py also does the real chmod where
    it can)."""
    (tmp_path / "secret.py").write_text(APP, encoding="utf-8")
    (tmp_path / "good.py").write_text(APP, encoding="utf-8")
    real_open = os.open

    def guarded_open(path, flags, *args, **kwargs):
        if os.fspath(path).endswith("secret.py"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded_open)
    result = run("check", "--no-cache", "--jobs", "1", "--format", "concise", ".", cwd=tmp_path)
    assert result.exit_code == 1
    out = result.stdout + result.stderr
    assert "secret.py: error: cannot read file: Permission denied" in out
    assert "good.py:3:10: BDR001" in out


def test_a_directory_without_permission_root_safe(tmp_path, monkeypatch):
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "inside.py").write_text(APP, encoding="utf-8")
    (tmp_path / "good.py").write_text(APP, encoding="utf-8")
    real_scandir = os.scandir

    def guarded_scandir(path="."):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    import bedrock_lint.engine.discovery as discovery

    monkeypatch.setattr(discovery.os, "scandir", guarded_scandir)
    result = run("check", "--no-cache", "--jobs", "1", "--format", "concise", ".", cwd=tmp_path)
    assert result.exit_code == 1
    out = result.stdout + result.stderr
    assert "locked: error: Permission denied (directory not read)" in out
    assert "good.py:3:10: BDR001" in out and "inside.py" not in out


def test_a_directory_without_permission_for_real(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "inside.py").write_text(APP, encoding="utf-8")
    (tmp_path / "good.py").write_text(APP, encoding="utf-8")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("this user can read any directory (root); see the root-safe test above")
        result = run("check", "--no-cache", "--format", "concise", ".", cwd=tmp_path)
        out = result.stdout + result.stderr
        assert "locked: error: Permission denied (directory not read)" in out and "good.py:3:10: BDR001" in out
    finally:
        locked.chmod(0o755)


def test_symbolic_link_loops(tmp_path):
    (tmp_path / "a.py").symlink_to(tmp_path / "b.py")
    (tmp_path / "b.py").symlink_to(tmp_path / "a.py")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "loop").symlink_to(tmp_path / "pkg")  # a directory loop: not followed
    (tmp_path / "pkg" / "good.py").write_text(APP, encoding="utf-8")
    result = run("check", "--no-cache", "--format", "concise", ".", "a.py", cwd=tmp_path)
    assert result.exit_code == 1
    out = result.stdout + result.stderr
    assert "a.py: error: Too many levels of symbolic links (symbolic link)" in out
    assert "b.py: error: Too many levels of symbolic links (symbolic link)" in out
    assert "a.py: error: Too many levels of symbolic links\n" in out  # named on the command line
    assert "pkg/good.py:3:10: BDR001" in out and "pkg/loop" not in out


def test_bad_encodings_name_the_file_and_line(tmp_path):
    (tmp_path / "nul.py").write_bytes(b"import boto3\nclient = boto3.client('bedrock-runtime')\x00\n")
    (tmp_path / "binary.py").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "latin_no_cookie.py").write_bytes(b"import boto3\n\n# caf\xe9\n")
    (tmp_path / "wrong_cookie.py").write_bytes(b"# -*- coding: ascii -*-\nimport boto3\nname = 'caf\xc3\xa9'\n")
    (tmp_path / "unknown_cookie.py").write_bytes(b"#!/usr/bin/env python\n# coding: klingon\nimport boto3\n")
    (tmp_path / "empty.py").write_bytes(b"")
    (tmp_path / "good.py").write_text(APP, encoding="utf-8")
    result = run("check", "--no-cache", "--format", "concise", ".", cwd=tmp_path)
    assert result.exit_code == 1
    out = result.stdout + result.stderr
    assert "nul.py: error: binary file (contains NUL bytes); not checked" in out
    assert "binary.py: error: binary file (contains NUL bytes); not checked" in out
    assert "latin_no_cookie.py: error: cannot decode as utf-8 at byte 19 (line 3, byte 0xe9); add a PEP 263 coding cookie or re-encode the file" in out
    assert "wrong_cookie.py: error: cannot decode as ascii at byte 48 (line 3, byte 0xc3); fix the coding cookie on line 1 or re-encode the file" in out
    assert "unknown_cookie.py: error: unknown encoding 'klingon' in coding cookie on line 2" in out
    assert "empty.py" not in out
    assert "good.py:3:10: BDR001" in out


def test_bad_notebooks_name_the_file_and_where(tmp_path):
    code_cell = {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": APP}
    (tmp_path / "invalid.ipynb").write_text('{"cells": [\n  {"cell_type": "code",\n}', encoding="utf-8")
    (tmp_path / "no_cells.ipynb").write_text(json.dumps({"metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    (tmp_path / "empty_cells.ipynb").write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    # No language_info (nor kernelspec): taken as Python and checked.
    (tmp_path / "no_language.ipynb").write_text(json.dumps({"cells": [code_cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    (tmp_path / "good.py").write_text(APP, encoding="utf-8")
    result = run("check", "--no-cache", "--format", "concise", ".", cwd=tmp_path)
    assert result.exit_code == 1
    out = result.stdout + result.stderr
    assert "invalid.ipynb: error: invalid notebook JSON: Expecting property name enclosed in double quotes at line 3 column 1" in out
    assert "no_cells.ipynb: error: not a Jupyter notebook: no 'cells' list" in out
    assert "empty_cells.ipynb" not in out
    assert "no_language.ipynb:cell 1:3:10: BDR001" in out
    assert "good.py:3:10: BDR001" in out


def test_non_existent_paths_are_named_and_the_others_checked(tmp_path):
    (tmp_path / "good.py").write_text(APP, encoding="utf-8")
    result = run("check", "--no-cache", "--format", "concise", "missing.py", "no/such/dir", "good.py", cwd=tmp_path)
    assert result.exit_code == 1
    out = result.stdout + result.stderr
    assert "missing.py: error: No such file or directory" in out
    assert "no/such/dir: error: No such file or directory" in out
    assert "good.py:3:10: BDR001" in out


def test_usage_errors_name_the_option_or_key(tmp_path):
    """Errors that concern every file stop the run before it starts (exit 2), with the
    option, file, key and line named; nothing half-done."""
    (tmp_path / "good.py").write_text(APP, encoding="utf-8")
    unknown = run("check", "--no-cache", "--select", "BDR001,BDR999", ".", cwd=tmp_path)
    assert unknown.exit_code == 2 and "error: --select: unknown rule code 'BDR999'" in unknown.stderr
    (tmp_path / "pyproject.toml").write_text("[tool.bedrock-lint]\nselect = [\"BDR001\"\nignore = 3\n", encoding="utf-8")
    invalid = run("check", "--no-cache", ".", cwd=tmp_path)
    assert invalid.exit_code == 2 and "pyproject.toml: invalid TOML" in invalid.stderr and "line 3" in invalid.stderr
    (tmp_path / "pyproject.toml").write_text("[tool.bedrock-lint]\nselect = [\"BDR001\"]\nignore = 3\n", encoding="utf-8")
    wrong_type = run("check", "--no-cache", ".", cwd=tmp_path)
    assert wrong_type.exit_code == 2
    assert "pyproject.toml: [tool.bedrock-lint] 'ignore' must be a list of strings, got int (line 3)" in wrong_type.stderr
    assert "Traceback" not in unknown.stderr + invalid.stderr + wrong_type.stderr


@pytest.mark.parametrize(
    "config, expected",
    [
        ('[tool.bedrock-lint]\nselect = ["BDR001"\n', "service/pyproject.toml: invalid TOML: "),
        ("[tool.bedrock-lint]\nmin-read-timeout = 'long'\n", "service/pyproject.toml: [tool.bedrock-lint] 'min-read-timeout' must be a number, got str (line 2)"),
    ],
)
def test_an_invalid_nested_configuration_skips_its_directory_only(tmp_path, config, expected):
    """The files that a broken configuration file governs are not checked (their
    settings are unknown); every other file is, and the run exits 2 at the end."""
    (tmp_path / "service").mkdir()
    (tmp_path / "service" / "pyproject.toml").write_text(config, encoding="utf-8")
    (tmp_path / "service" / "inside.py").write_text(APP, encoding="utf-8")
    (tmp_path / "good.py").write_text(APP, encoding="utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "more.py").write_text(APP, encoding="utf-8")
    for command in (["check", "--no-cache", "--format", "json"], ["check", "--no-cache", "--format", "json", "--fix", "--diff"]):
        result = run(*command, ".", cwd=tmp_path)
        assert result.exit_code == 2
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and errors[0].startswith(f"error: {expected}"), result.stderr
        assert errors[0].endswith("(files under service not checked)")
        if "--diff" not in command:
            assert set(codes_by_file(result.stdout)) == {"good.py", "other/more.py"}
    migrated = run("migrate", ".", cwd=tmp_path)
    assert migrated.exit_code == 2 and expected in migrated.stderr
    assert "+++ b/good.py" in migrated.stdout and "inside.py" not in migrated.stdout
    # Named on the command line: the same message.
    explicit = run("check", "--no-cache", "service/inside.py", "good.py", cwd=tmp_path)
    assert explicit.exit_code == 2 and expected in explicit.stderr and "good.py:3:10: BDR001" in explicit.stdout


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat:
                    fields = stat.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_stops_the_workers_and_exits_143(tmp_path):
    """An editor, wrapper or CI timeout that terminates the run leaves no worker behind
    holding its output open: the caller's read of stdout ends, and the exit is 143."""
    import signal
    import time

    code = "import boto3\nclient = boto3.client('bedrock-runtime')\n" + "".join(
        f"def f{i}(x):\n    return client.converse(modelId='us.anthropic.claude-sonnet-4-6', messages=[])\n" for i in range(300)
    )
    for number in range(400):
        (tmp_path / f"m{number:03}.py").write_text(code, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "bedrock_lint", "check", "--no-cache", "--jobs", "2", "."],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not _children(process.pid) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = _children(process.pid)
    if not workers:
        pytest.skip("the run ended before its worker pool started")
    process.send_signal(signal.SIGTERM)
    # communicate() returns only once every process holding the pipes has closed them.
    process.communicate(timeout=30)
    assert process.returncode == 143
    for worker in workers:
        assert not os.path.exists(f"/proc/{worker}") or open(f"/proc/{worker}/stat").read().split()[2] == "Z"


def test_a_parallel_run_ends_without_worker_noise(tmp_path):
    """The workers fork with the command line's SIGTERM handler; they must not raise it
    (a traceback per worker on stderr) when the pool ends them after a good run."""
    from bedrock_lint.engine.run import PARALLEL_THRESHOLD

    code = "import boto3\nclient = boto3.client('bedrock-runtime')\nclient.converse(modelId='us.anthropic.claude-sonnet-4-6', messages=[])\n"
    for number in range(PARALLEL_THRESHOLD * 4):
        (tmp_path / f"m{number:03}.py").write_text(code, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "bedrock_lint", "check", "--no-cache", "--jobs", "2", "--format", "concise", "."],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 1
    assert completed.stderr == "", completed.stderr[-2000:]


def test_a_fix_to_a_config_other_clients_share_is_unsafe(tmp_path):
    """M1: BDR001/BDR002 would add a read timeout and adaptive retries to a Config that
    an S3 client uses too: those fixes are unsafe and say which calls share it; a Config
    of the Bedrock client's own keeps its safe fix."""
    (tmp_path / "app.py").write_text(
        textwrap.dedent(
            """\
            import boto3
            from botocore.config import Config

            CONFIG = Config(retries={"max_attempts": 10})
            s3 = boto3.client("s3", config=CONFIG)
            bedrock = boto3.client("bedrock-runtime", config=CONFIG)
            own = boto3.client("bedrock-runtime", config=Config(retries={"max_attempts": 3}))
            """
        ),
        encoding="utf-8",
    )
    result = run("check", "--no-cache", "--select", "BDR001,BDR002", "--format", "json", ".", cwd=tmp_path)
    fixes = {(f["line"], f["code"]): f["fix"] for f in json.loads(result.stdout)}
    assert set(fixes) == {(4, "BDR002"), (6, "BDR001"), (7, "BDR001"), (7, "BDR002")}
    for key in ((4, "BDR002"), (6, "BDR001")):
        assert fixes[key]["applicability"] == "unsafe" and "also used by boto3.client" in fixes[key]["message"]
    assert fixes[(7, "BDR001")]["applicability"] == fixes[(7, "BDR002")]["applicability"] == "safe"
    before = (tmp_path / "app.py").read_text(encoding="utf-8")
    run("check", "--no-cache", "--fix", ".", cwd=tmp_path)
    after = (tmp_path / "app.py").read_text(encoding="utf-8")
    assert 'CONFIG = Config(retries={"max_attempts": 10})' in after and after != before


def test_a_worker_that_dies_costs_only_its_own_file(tmp_path, monkeypatch):
    """H3: a worker killed while checking one file (SIGKILL, or the kernel's OOM killer)
    leaves every other file reported; that file gets a line saying so; exit code 2."""
    import signal

    from bedrock_lint.engine import run as run_module

    for number in range(40):
        (tmp_path / f"m{number:02}.py").write_text(APP, encoding="utf-8")
    (tmp_path / "killer.py").write_text(APP, encoding="utf-8")
    parent = os.getpid()
    real = run_module.process_file

    def dies_on_the_killer(job, options):
        if job.display_name.endswith("killer.py") and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # in the forked worker only
        return real(job, options)

    monkeypatch.setattr(run_module, "process_file", dies_on_the_killer)
    result = run("check", "--no-cache", "--jobs", "2", "--format", "concise", ".", cwd=tmp_path)
    assert result.exit_code == 2
    reported = {line.split(":", 1)[0] for line in result.stdout.splitlines() if ": BDR001 " in line}
    assert reported == {f"m{number:02}.py" for number in range(40)}
    assert "killer.py" in result.output and "died" in result.output


def test_a_file_libcst_cannot_parse_in_its_time_limit_is_not_given_to_it(tmp_path):
    """H3: libcst's parse cannot be interrupted and costs up to 30 µs and 2 KB per syntax
    node: a file whose estimate exceeds file-timeout is reported as not checked (exit 2)
    before the parse, by check and by the flake8 plugin; a smaller one is checked."""
    body = "".join(
        f'def f{i}(x):\n    return client.converse(modelId="m", messages=[{{"role": "user", "content": [{{"text": x}}]}}])\n'
        for i in range(1500)
    )
    text = 'import boto3\nclient = boto3.client("bedrock-runtime")\n' + body
    assert len(text) > 100 * 1024
    (tmp_path / "big.py").write_text(text, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.bedrock-lint]\nfile-timeout = 0.5\n", encoding="utf-8")
    result = run("check", "--no-cache", "big.py", cwd=tmp_path)
    assert result.exit_code == 2
    assert "too large to analyse within the per-file time limit of 0.5 s" in result.output and "syntax nodes" in result.output
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "BDR", "big.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert "big.py:1:1: BDR000" in flake8.stdout and "too large to analyse" in flake8.stdout
    (tmp_path / "pyproject.toml").write_text("[tool.bedrock-lint]\nfile-timeout = 60\n", encoding="utf-8")
    checked = run("check", "--no-cache", "--select", "BDR001", "--format", "concise", "big.py", cwd=tmp_path)
    assert "big.py:2:10: BDR001" in checked.stdout


def test_deep_but_valid_chains_are_reported_and_only_python_decides_syntax_errors(tmp_path):
    """M4: a long implicitly concatenated system prompt (600 lines) or 600 ``elif``s
    used to end in "nested too deeply to report its findings"; now their findings are
    reported.  A chain of 10,000 pieces that Python runs but libcst's parser rejects
    is an internal error ("not checked"), never a BDR000."""
    prompt = "\n".join(f'    "line {i} of the system prompt, long enough to matter "' for i in range(600))
    (tmp_path / "prompt.py").write_text(
        'import boto3\nclient = boto3.client("bedrock-runtime")\nSYSTEM = (\n'
        f"{prompt}\n)\n"
        'client.converse(modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0", system=[{"text": SYSTEM}], messages=[])\n',
        encoding="utf-8",
    )
    elifs = "".join(f"elif x == {i}:\n    pass\n" for i in range(1, 600))
    (tmp_path / "branches.py").write_text(
        'import boto3\nclient = boto3.client("bedrock-runtime")\nask(client)\nx = 1\nif x == 0:\n    pass\n' + elifs,
        encoding="utf-8",
    )
    pieces = "\n".join(f'    "p{i} "' for i in range(10_000))
    (tmp_path / "pieces.py").write_text(f'import boto3\nclient = boto3.client("bedrock-runtime")\nS = (\n{pieces}\n)\n', encoding="utf-8")
    result = run("check", "--no-cache", "--format", "concise", "prompt.py", "branches.py", "pieces.py", cwd=tmp_path)
    out = result.output
    assert "prompt.py:605:1: BDR204" in out and "branches.py:2:10: BDR001" in out
    assert "nested too deeply" not in out
    assert "pieces.py" in out and "libcst cannot parse this file, which Python accepts" in out
    assert "BDR000" not in out and result.exit_code == 2


def test_jobs_are_capped_by_the_cpus_available_and_the_files():
    """Issue 22 (minor): --jobs 64 on 2 CPUs started 64 workers."""
    from bedrock_lint.engine.run import available_cpus, worker_count

    cpus = available_cpus()
    assert worker_count(64, 1000) == cpus
    assert worker_count(0, 1000) == cpus
    assert worker_count(64, 1) == 1
    assert worker_count(1, 1000) == 1


def test_control_characters_of_source_lines_do_not_reach_the_terminal(tmp_path):
    """Issue 22 (minor): an escape sequence or a bidirectional override in a shown source
    line is printed as a visible character, columns unchanged."""
    (tmp_path / "ctl.py").write_text(
        'import boto3\nclient = boto3.client("bedrock-runtime")  # \x1b[2J\u202e\nask(client)\n', encoding="utf-8"
    )
    result = run("check", "--no-cache", "--select", "BDR001", "ctl.py", cwd=tmp_path)
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert '# \u241b[2J\ufffd' in result.stdout


# --------------------------------------------------------------------------- lines as positions count them

FORM_FEED_APP = 'import boto3\n\x0cx = 1\nclient = boto3.client("bedrock-runtime")\nask(client)\n'
LINE_SEPARATOR_APP = 'import boto3\ns = "a\u2028b\x1cc\x85d"\nclient = boto3.client("bedrock-runtime")\nask(client)\n'


@pytest.mark.parametrize("text", [FORM_FEED_APP, LINE_SEPARATOR_APP], ids=["form-feed", "line-separator"])
def test_the_shown_source_line_is_the_line_the_position_names(tmp_path, text):
    """Issue 22 (minor): positions count lines as Python does (``\\n``, ``\\r\\n``, ``\\r``);
    the shown lines were split by ``str.splitlines`` (form feed, U+2028, U+001C, U+0085
    too), so line 3 showed ``x = 1`` or the rest of a string.  libcst also drops a form
    feed that starts a top-level line, which moved every later column one to the left."""
    (tmp_path / "app.py").write_text(text, encoding="utf-8")
    result = run("check", "--no-cache", "--select", "BDR001", "app.py", cwd=tmp_path)
    assert "app.py:3:10: BDR001" in result.stdout
    assert '3 | client = boto3.client("bedrock-runtime")' in result.stdout
    assert "  |          " + "^" * len('boto3.client("bedrock-runtime")') + " BDR001" in result.stdout


def test_a_fix_after_a_form_feed_lands_where_it_belongs(tmp_path):
    """The fix's offsets came from libcst's text, one character short after a dropped
    form feed: the edit was rejected ("would not parse")."""
    (tmp_path / "app.py").write_text(FORM_FEED_APP, encoding="utf-8")
    result = run("check", "--no-cache", "--select", "BDR001", "--fix", "app.py", cwd=tmp_path)
    assert "not applied" not in result.output
    assert (tmp_path / "app.py").read_text(encoding="utf-8") == (
        "import boto3\nfrom botocore.config import Config\n\x0cx = 1\n"
        'client = boto3.client(\n    "bedrock-runtime",\n    config=Config(read_timeout=300, connect_timeout=10),\n)\nask(client)\n'
    )


def test_a_diff_splits_lines_as_the_file_does(tmp_path):
    """A U+2028 inside a string is no line break: the diff must not show one."""
    (tmp_path / "app.py").write_text(LINE_SEPARATOR_APP, encoding="utf-8")
    result = run("check", "--no-cache", "--select", "BDR001", "--diff", "app.py", cwd=tmp_path)
    assert ' s = "a\u2028b\x1cc\x85d"\n' in result.stdout
