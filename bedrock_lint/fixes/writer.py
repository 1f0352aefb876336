"""Atomic file writes: a temporary file in the same directory, then ``os.replace``.

A crash or Ctrl-C at any moment leaves the file either entirely old or entirely new.
The file's permission bits, owner and group are kept, and a symbolic link stays a link.
A file the user may not write is refused, as ruff does; a file with other hard links is
rewritten in place, so every link keeps seeing it (issue 22, M3).  Given what the fixes
were computed from, a file that changed since (an editor saved it) is not replaced
(issue 22, M2).
"""

from __future__ import annotations

import os
import secrets
import stat
import tempfile
from pathlib import Path

TEMPORARY_SUFFIX = ".bedrock-lint.tmp"


class ChangedOnDisk(OSError):
    """The file is no longer what the fixes were computed from."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} changed while it was being checked; the fixes were not written")
        self.strerror = "it changed while it was being checked; the fixes were not written"


def write_atomically(path: Path, data: bytes, *, expected: bytes | None = None) -> None:
    """Replace ``path`` with ``data``; with ``expected``, only if the file still holds
    exactly those bytes."""
    # Through a symbolic link, the file it points to is replaced and the link stays.
    path = Path(os.path.realpath(path))
    directory = path.parent
    existing = os.stat(path) if path.exists() else None
    # No write bit at all counts as read-only for root too (os.access says yes to root).
    if existing is not None and (not os.access(path, os.W_OK) or not existing.st_mode & 0o222):
        raise PermissionError(13, "the file is read-only; the fixes were not written", str(path))
    if expected is not None and existing is not None and path.read_bytes() != expected:
        raise ChangedOnDisk(path)
    if existing is not None and existing.st_nlink > 1:
        _write_in_place(path, data)
        return
    temporary = None
    try:
        # Named before it exists: a SIGTERM or Ctrl-C arriving as it is created (the
        # handler raises on the next bytecode) must still find it to remove it.
        for _ in range(tempfile.TMP_MAX):
            temporary = str(directory / f".{path.name}.{secrets.token_hex(4)}{TEMPORARY_SUFFIX}")
            try:
                descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
                break
            except FileExistsError:
                temporary = None
        else:
            raise FileExistsError(17, "no free temporary file name", str(directory))
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if existing is not None:
            os.chmod(temporary, stat.S_IMODE(existing.st_mode))
            _keep_owner(temporary, existing)
        if expected is not None and existing is not None and path.read_bytes() != expected:
            raise ChangedOnDisk(path)  # checked again just before the swap
        os.replace(temporary, path)
    except BaseException:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                pass
        raise


def _keep_owner(temporary: str, existing: os.stat_result) -> None:
    """The new file keeps the old one's owner and group (root fixing a user's file in a
    CI container); an ordinary user may only keep them when they are already theirs."""
    if not hasattr(os, "chown"):
        return
    try:
        current = os.stat(temporary)
        if (current.st_uid, current.st_gid) != (existing.st_uid, existing.st_gid):
            os.chown(temporary, existing.st_uid, existing.st_gid)
    except PermissionError:
        pass  # not allowed to give the file away: it stays the writer's, as with any editor


def _write_in_place(path: Path, data: bytes) -> None:
    """Rewrite a hard-linked file through its own inode (not atomic: the links matter more)."""
    with open(path, "r+b") as handle:
        handle.write(data)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())
