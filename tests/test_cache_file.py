"""The one-file findings cache: warm runs do not read unchanged files; changes, corrupt
files and concurrent runs are handled."""

from __future__ import annotations

import json
import os
import textwrap
import time

from bedrock_lint.engine import run as run_module
from bedrock_lint.engine.cache import CACHE_FILE, CACHE_DIRECTORY, Cache
from tests.cli_runner import run

APP = textwrap.dedent(
    """\
    import boto3

    client = boto3.client("bedrock-runtime")
    """
)
OLD = 1_600_000_000 * 10**9  # an mtime long before any read: stat entries are trusted


def project(tmp_path):
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "other.py").write_text("x = 1\n", encoding="utf-8")
    for name in ("app.py", "other.py"):
        os.utime(tmp_path / name, ns=(OLD, OLD))
    return tmp_path


def cache_file(root):
    return next((root / CACHE_DIRECTORY).glob(f"*/{CACHE_FILE}"))


def test_a_warm_run_does_not_read_unchanged_files(tmp_path, monkeypatch):
    root = project(tmp_path)
    first = run("check", "--format", "json", "--jobs", "1", cwd=root)
    assert json.loads(first.stdout)
    entries = json.loads(cache_file(root).read_text())["files"]
    assert set(entries) == {"app.py", "other.py"}

    read = []
    real_process = run_module.process_file
    monkeypatch.setattr(run_module, "process_file", lambda job, options: read.append(job.display_name) or real_process(job, options))
    second = run("check", "--format", "json", "--jobs", "1", cwd=root)
    assert second.stdout == first.stdout and read == []


def test_a_changed_file_is_checked_again(tmp_path):
    root = project(tmp_path)
    first = run("check", "--format", "json", cwd=root)
    (root / "app.py").write_text(APP.replace('"bedrock-runtime"', '"s3"'), encoding="utf-8")
    os.utime(root / "app.py", ns=(OLD, OLD + 1))
    second = run("check", "--format", "json", cwd=root)
    assert json.loads(first.stdout) and json.loads(second.stdout) == []
    assert second.stdout == run("check", "--no-cache", "--format", "json", cwd=root).stdout


def test_same_size_and_time_but_recently_modified_is_confirmed_by_content(tmp_path):
    """A file read within the racy window of its modification is not trusted by stat."""
    root = tmp_path
    (root / "app.py").write_text(APP, encoding="utf-8")
    soon = time.time_ns() + 60 * 10**9  # not long before the read, however slow the machine
    os.utime(root / "app.py", ns=(soon, soon))
    first = run("check", "--format", "json", cwd=root)
    stat = (root / "app.py").stat()
    changed = APP.replace('"bedrock-runtime"', '"bedrock-xxxxxxx"')
    assert len(changed) == len(APP)
    (root / "app.py").write_text(changed, encoding="utf-8")
    os.utime(root / "app.py", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = run("check", "--format", "json", cwd=root)
    assert json.loads(first.stdout) and json.loads(second.stdout) == []


def test_a_corrupt_cache_file_is_ignored_and_replaced(tmp_path):
    root = project(tmp_path)
    expected = run("check", "--format", "json", cwd=root).stdout
    path = cache_file(root)
    for garbage in (b"", b"{not json", b"[1, 2]", json.dumps({"format": 1, "files": {"app.py": [1, "x"], "other.py": None}}).encode()):
        path.write_bytes(garbage)
        result = run("check", "--format", "json", cwd=root)
        assert result.stdout == expected and result.exit_code == 1
    assert set(json.loads(path.read_text())["files"]) == {"app.py", "other.py"}


def test_concurrent_runs_keep_each_others_entries(tmp_path):
    """Each run merges what is on disk when it saves; the file is replaced whole."""
    root = project(tmp_path)
    first, second = Cache(root), Cache(root)
    for cache, name in ((first, "app.py"), (second, "other.py")):
        cache.record(name, "fingerprint", 1, OLD, OLD + 10**10, "digest", False, [])
    first._load(), second._load()  # both loaded before either saved
    first.save()
    second.save()
    entries = json.loads(cache_file(root).read_text())["files"]
    assert set(entries) == {"app.py", "other.py"}
    assert [p.name for p in cache_file(root).parent.iterdir()] == [CACHE_FILE]  # no temporary left


def test_no_cache_writes_nothing(tmp_path):
    root = project(tmp_path)
    run("check", "--no-cache", cwd=root)
    assert not (root / CACHE_DIRECTORY).exists()


def cache_entries(directory) -> set[str]:
    (path,) = directory.glob(f"*/{CACHE_FILE}")
    return set(json.loads(path.read_text())["files"])


def test_cache_dir_option_relative_to_the_current_directory(tmp_path, monkeypatch):
    root = project(tmp_path)
    first = run("check", "--format", "json", "--jobs", "1", "--cache-dir", "build/lint-cache", cwd=root)
    directory = root / "build" / "lint-cache"
    assert cache_entries(directory) == {"app.py", "other.py"}
    assert (directory / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55\n")
    assert (directory / ".gitignore").is_file()
    assert not (root / CACHE_DIRECTORY).exists()

    read = []
    real_process = run_module.process_file
    monkeypatch.setattr(run_module, "process_file", lambda job, options: read.append(job.display_name) or real_process(job, options))
    second = run("check", "--format", "json", "--jobs", "1", "--cache-dir", str(directory), cwd=root)
    assert second.stdout == first.stdout and read == []  # the same cache, named absolutely


def test_cache_dir_environment_variable_and_the_option_wins(tmp_path, monkeypatch):
    root = project(tmp_path)
    monkeypatch.setenv("BEDROCK_LINT_CACHE_DIR", str(tmp_path / "from-env"))
    run("check", "--jobs", "1", cwd=root)
    assert cache_entries(tmp_path / "from-env") == {"app.py", "other.py"}
    assert (tmp_path / "from-env" / "CACHEDIR.TAG").is_file()
    run("check", "--jobs", "1", "--cache-dir", "from-option", cwd=root)
    assert cache_entries(root / "from-option") == {"app.py", "other.py"}
    monkeypatch.setenv("BEDROCK_LINT_CACHE_DIR", "")  # empty: the default
    run("check", "--jobs", "1", cwd=root)
    assert cache_entries(root / CACHE_DIRECTORY) == {"app.py", "other.py"}


def test_a_cache_dir_that_cannot_be_created_is_said_once_and_the_run_goes_on(tmp_path):
    root = project(tmp_path)
    result = run("check", "--format", "json", "--jobs", "1", "--cache-dir", "app.py/cache", cwd=root)
    assert result.exit_code == 1 and json.loads(result.stdout)
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "app.py/cache" in warnings[0] and "continuing without the cache" in warnings[0]


def test_no_cache_wins_over_cache_dir(tmp_path):
    root = project(tmp_path)
    assert run("check", "--no-cache", "--cache-dir", "elsewhere", cwd=root).exit_code == 1
    assert not (root / "elsewhere").exists() and not (root / CACHE_DIRECTORY).exists()


def test_a_cache_file_that_is_a_fifo_or_a_link_to_a_device_is_not_read(tmp_path):
    """M7: a repository can commit a FIFO or a link to /dev/zero as the cache file: the
    run must neither hang nor read without end; the cache is rebuilt as a regular file."""
    import stat
    import subprocess
    import sys

    root = project(tmp_path)
    expected = run("check", "--format", "json", cwd=root).stdout
    path = cache_file(root)
    for make in (lambda p: os.mkfifo(p), lambda p: os.symlink("/dev/zero", p)):
        path.unlink()
        make(path)
        completed = subprocess.run(
            [sys.executable, "-m", "bedrock_lint", "check", "--format", "json", "."],
            cwd=root, capture_output=True, text=True, timeout=120,
        )
        assert completed.stdout == expected
        assert stat.S_ISREG(os.lstat(path).st_mode)
