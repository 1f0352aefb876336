"""Atomic file writes: a temporary file in the same directory, then ``os.replace``.

A crash or Ctrl-C at any moment leaves the file either entirely old or entirely new.
The file's permission bits are kept, and a symbolic link stays a link.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    # Through a symbolic link, the file it points to is replaced and the link stays.
    path = Path(os.path.realpath(path))
    directory = path.parent
    mode = stat.S_IMODE(os.stat(path).st_mode) if path.exists() else None
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".bedrock-lint.tmp", dir=directory)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
