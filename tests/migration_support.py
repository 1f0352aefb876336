"""The migration fixture repository and tree comparisons, for the migrate and codemod tests."""

from __future__ import annotations

import io
import re
import shutil
import stat
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIGRATION_APP = ROOT / "fixtures" / "migration" / "app"
MIGRATION_EXPECTED = ROOT / "fixtures" / "migration" / "expected"
TEMPORARY_FILE_SUFFIX = ".bedrock-lint.tmp"
DIFF_TARGET = re.compile(r"^\+\+\+ b/(.+)$", re.MULTILINE)


def copy_app(destination: Path) -> Path:
    tree = destination / "app"
    shutil.copytree(MIGRATION_APP, tree)
    return tree


def tree_files(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``root``: relative path → (bytes, permission bits)."""
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), stat.S_IMODE(path.stat().st_mode))
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def tree_stats(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``root``: relative path → (bytes, modification time in ns)."""
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def diffed_files(diff: str) -> set[str]:
    """The files a unified diff from ``migrate`` changes."""
    return set(DIFF_TARGET.findall(diff))


def comments_in(text: str) -> list[str]:
    """The comments of Python text, in order."""
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return [token.string for token in tokens if token.type == tokenize.COMMENT]
