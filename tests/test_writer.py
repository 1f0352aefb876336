"""How fixes are written (issue 22, M2 and M3): never over an edit made meanwhile, never
to a read-only file, keeping owner, group and hard links."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bedrock_lint.engine import run as run_module
from bedrock_lint.fixes.writer import ChangedOnDisk, write_atomically
from tests.cli_runner import run

APP = 'import boto3\nclient = boto3.client("bedrock-runtime")\nask(client)\n'


def test_a_file_changed_since_it_was_read_is_not_replaced(tmp_path):
    path = tmp_path / "app.py"
    path.write_bytes(b"saved by the editor\n")
    with pytest.raises(ChangedOnDisk):
        write_atomically(path, b"fixed\n", expected=b"what was read\n")
    assert path.read_bytes() == b"saved by the editor\n"
    assert [p.name for p in tmp_path.iterdir()] == ["app.py"]  # no temporary left behind
    write_atomically(path, b"fixed\n", expected=b"saved by the editor\n")
    assert path.read_bytes() == b"fixed\n"


def test_check_fix_keeps_an_edit_saved_while_it_ran(tmp_path, monkeypatch):
    """An editor saves the file after bedrock-lint read it and before it writes."""
    path = tmp_path / "app.py"
    path.write_text(APP, encoding="utf-8")
    real = run_module.fix_outcome

    def edited_meanwhile(*args, **kwargs):
        outcome = real(*args, **kwargs)
        path.write_text(APP + "# the user's edit\n", encoding="utf-8")
        return outcome

    monkeypatch.setattr(run_module, "fix_outcome", edited_meanwhile)
    result = run("check", "--no-cache", "--fix", "app.py", cwd=tmp_path)
    assert path.read_text(encoding="utf-8") == APP + "# the user's edit\n"
    assert result.exit_code == 2
    assert "changed while it was being checked" in result.output


def test_a_read_only_file_is_refused(tmp_path):
    path = tmp_path / "app.py"
    path.write_text(APP, encoding="utf-8")
    path.chmod(0o444)
    try:
        result = run("check", "--no-cache", "--fix", "app.py", cwd=tmp_path)
        assert path.read_text(encoding="utf-8") == APP
        assert result.exit_code == 2 and "read-only" in result.output
    finally:
        path.chmod(0o644)


def test_a_hard_linked_file_is_written_in_place(tmp_path):
    path = tmp_path / "app.py"
    path.write_text(APP, encoding="utf-8")
    other = tmp_path / "linked.py"
    os.link(path, other)
    run("check", "--no-cache", "--fix", "app.py", cwd=tmp_path)
    assert "read_timeout=300" in other.read_text(encoding="utf-8")
    assert os.stat(path).st_ino == os.stat(other).st_ino


def test_permission_bits_are_kept(tmp_path):
    path = tmp_path / "app.py"
    path.write_text(APP, encoding="utf-8")
    path.chmod(0o640)
    run("check", "--no-cache", "--fix", "app.py", cwd=tmp_path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640 and "read_timeout=300" in path.read_text(encoding="utf-8")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file to another user")
def test_owner_and_group_are_kept_when_root_fixes_a_users_file(tmp_path):
    path = tmp_path / "app.py"
    path.write_text(APP, encoding="utf-8")
    os.chown(path, 4321, 4321)
    run("check", "--no-cache", "--fix", "app.py", cwd=tmp_path)
    after = os.stat(path)
    assert (after.st_uid, after.st_gid) == (4321, 4321) and "read_timeout=300" in Path(path).read_text(encoding="utf-8")



# The command line in a subprocess whose SIGTERM arrives (sent by the process itself)
# just as the writer has created its temporary file for the {which} file written.
SIGTERM_WHILE_WRITING = """\
import os, signal, sys
real_open = os.open
created = []
def open_then_terminated(path, flags, *args, **kwargs):
    descriptor = real_open(path, flags, *args, **kwargs)
    if str(path).endswith(".bedrock-lint.tmp"):
        created.append(path)
        if len(created) == {which}:
            os.kill(os.getpid(), signal.SIGTERM)
    return descriptor
os.open = open_then_terminated
from bedrock_lint.cli import main
sys.argv[0] = "bedrock-lint"
main()
"""


@pytest.mark.parametrize("which", [1, 2])
def test_sigterm_while_migrate_writes_leaves_no_temporary_file(tmp_path, which):
    """Issue 22 (minor): a SIGTERM (an editor, a CI timeout) while ``migrate --write``
    writes ends the run with 143, each file old or new, and no ``.tmp`` file left next
    to the user's files: the temporary file was created before the writer knew its name."""
    import subprocess
    import sys

    from tests.migration_support import TEMPORARY_FILE_SUFFIX

    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_text(APP, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", SIGTERM_WHILE_WRITING.format(which=which), "migrate", "--write", "."],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 143, result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.py", "b.py", "c.py"]
    assert not any(path.name.endswith(TEMPORARY_FILE_SUFFIX) for path in tmp_path.iterdir())
    contents = [(tmp_path / name).read_text(encoding="utf-8") for name in ("a.py", "b.py", "c.py")]
    assert contents.count(APP) == 4 - which  # the files before the signal are fixed, the rest as they were
    assert all(text == APP or "read_timeout=300" in text for text in contents)
