"""The cache under concurrent and interrupted runs, and a cache that cannot be used:
real ``bedrock-lint check`` processes sharing one cache directory."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bedrock_lint.engine.cache import FORMAT
from tests.cli_runner import run

APP = (
    "import boto3\n"
    "client = boto3.client('bedrock-runtime', region_name='us-east-1')\n"
    "def ask_{n}(q):\n"
    "    return client.converse(modelId='anthropic.claude-3-sonnet-20240229-v1:0', messages=[{{'role': 'user', 'content': [{{'text': q}}]}}])\n"
)
CACHE = ".bedrock_lint_cache"


def make_project(directory: Path, files: int) -> Path:
    for number in range(files):
        (directory / f"m{number:03}.py").write_text(APP.format(n=number), encoding="utf-8")
    return directory


def check(directory: Path, *options: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bedrock_lint", "check", "--format", "json", *options, "."],
        cwd=directory,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=600)
    return process.returncode, stdout, stderr


def cache_files(directory: Path) -> list[Path]:
    return sorted((directory / CACHE).rglob("files.json"))


def entries(directory: Path) -> list[str]:
    """The names of the checked files the cache holds an entry for."""
    names: list[str] = []
    for path in cache_files(directory):
        names.extend(json.loads(path.read_text("utf-8"))["files"])
    return sorted(names)


def assert_cache_is_whole(directory: Path) -> None:
    """The cache file is complete JSON written by bedrock-lint; the marker files are whole."""
    for path in cache_files(directory):
        data = json.loads(path.read_text("utf-8"))
        assert data["format"] == FORMAT and isinstance(data["files"], dict), path
        for name, entry in data["files"].items():
            assert isinstance(entry, list) and len(entry) == 9, name  # … findings, credential spans, modules read
            assert all("code" in item for item in entry[6]), name
    assert (directory / CACHE / ".gitignore").read_text() == "# Automatically created by bedrock-lint.\n*\n"
    assert (directory / CACHE / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55\n")


def test_two_runs_sharing_one_cache_at_the_same_time(tmp_path):
    project = make_project(tmp_path, 40)
    _, reference, _ = finish(check(project, "--no-cache"))
    assert len(json.loads(reference)) > 40
    # Twice two runs at once (one through the pool, one in one process), as pre-commit
    # and an editor do.
    for _ in range(2):
        first, second = check(project, "--jobs", "2"), check(project, "--jobs", "1")
        for process in (first, second):
            code, stdout, stderr = finish(process)
            assert code == 1 and stdout == reference, stderr
            assert "warning" not in stderr and "error" not in stderr, stderr
        assert_cache_is_whole(project)
    assert len(entries(project)) == 40
    code, stdout, _ = finish(check(project))  # all from the cache
    assert stdout == reference


def test_a_run_killed_mid_way_leaves_a_usable_cache(tmp_path):
    """The cache is written once, at the end of a run, to a temporary file that replaces
    the old one: a run killed at any moment leaves the old cache or the new one, whole."""
    project = make_project(tmp_path, 300)
    finish(check(project, "--jobs", "1"))
    assert len(entries(project)) == 300
    killed = 0
    for attempt in range(8):
        for path in sorted(project.glob("m*.py"))[: 100 + attempt]:
            path.write_text(path.read_text("utf-8") + f"# edit {attempt}\n", encoding="utf-8")
        process = check(project, "--jobs", "1")
        time.sleep(0.2 + 0.25 * attempt)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.communicate()
        assert_cache_is_whole(project)
        assert len(entries(project)) == 300
    if not killed:
        pytest.skip("every run finished before it could be killed")
    code, stdout, stderr = finish(check(project, "--jobs", "2"))
    assert code == 1 and "warning" not in stderr, stderr
    _, reference, _ = finish(check(project, "--no-cache", "--jobs", "2"))
    assert stdout == reference
    assert_cache_is_whole(project)


def test_a_cache_directory_that_is_a_file_is_said_once_and_the_run_goes_on(tmp_path):
    project = make_project(tmp_path, 20)
    (project / CACHE).write_text("not a directory\n", encoding="utf-8")
    code, stdout, stderr = finish(check(project, "--jobs", "2"))  # the pool: one cache per worker
    assert code == 1 and len(json.loads(stdout)) > 20
    warnings = [line for line in stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, stderr
    assert CACHE in warnings[0] and "continuing without the cache" in warnings[0]


def test_corrupted_entries_are_said_once_recomputed_and_replaced(tmp_path):
    project = make_project(tmp_path, 3)
    first = run("check", "--format", "json", "--jobs", "1", ".", cwd=project)
    for path in cache_files(project):
        path.write_text(f'{{"format": {FORMAT}, "files": {{"m000.py": ["', encoding="utf-8")
    second = run("check", "--format", "json", "--jobs", "1", ".", cwd=project)
    assert second.stdout == first.stdout
    warnings = [line for line in second.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "corrupted entries were ignored" in warnings[0], second.stderr
    assert_cache_is_whole(project)
    third = run("check", "--format", "json", "--jobs", "1", ".", cwd=project)
    assert third.stdout == first.stdout and "warning" not in third.stderr


def test_a_malformed_entry_is_said_once_and_recomputed(tmp_path):
    project = make_project(tmp_path, 3)
    first = run("check", "--format", "json", "--jobs", "1", ".", cwd=project)
    (path,) = cache_files(project)
    data = json.loads(path.read_text("utf-8"))
    for entry in data["files"].values():
        entry[6] = [{"code": "BDR001"}]  # no message, no position
    path.write_text(json.dumps(data), encoding="utf-8")
    second = run("check", "--format", "json", "--jobs", "1", ".", cwd=project)
    assert second.stdout == first.stdout
    warnings = [line for line in second.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "corrupted entries were ignored" in warnings[0], second.stderr
    third = run("check", "--format", "json", "--jobs", "1", ".", cwd=project)
    assert third.stdout == first.stdout and "warning" not in third.stderr


def test_a_read_only_cache_directory_is_said_once_and_the_run_goes_on(tmp_path, monkeypatch):
    """Root can write anywhere, so the refusal is made where the cache writes: every
    temporary file it creates fails as in a read-only directory."""
    project = make_project(tmp_path, 3)
    (project / CACHE).mkdir()
    (project / CACHE).chmod(0o555)
    import bedrock_lint.engine.cache as cache_module

    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    if os.access(project / CACHE, os.W_OK):
        monkeypatch.setattr(cache_module.tempfile, "mkstemp", read_only)
    try:
        result = run("check", "--format", "json", "--jobs", "1", ".", cwd=project)
    finally:
        (project / CACHE).chmod(0o755)
    assert result.exit_code == 1 and len(json.loads(result.stdout)) >= 3
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "not writable (Permission denied)" in warnings[0], result.stderr
    assert entries(project) == []
