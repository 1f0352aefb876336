"""Which files a run checks.

Directories are walked in sorted order for ``.py``, ``.pyi`` and ``.ipynb`` files,
skipping the default excludes (virtual environments, build output, caches) or the
configured ``exclude``, plus ``extend-exclude`` and, by default, what ``.gitignore``
files say.  A path named on the command line is always checked, unless
``--force-exclude`` asks for excludes to apply to it too (pre-commit passes explicit
files).  Directory symlinks are not followed, so a link loop cannot trap the walk.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import pathspec

from bedrock_lint.settings import Settings

SOURCE_SUFFIXES = (".py", ".pyi", ".ipynb")
DEFAULT_EXCLUDES = (
    ".git", ".hg", ".svn", ".bzr", ".tox", ".nox", ".venv", "venv", ".direnv", "__pycache__", ".mypy_cache",
    ".pytest_cache", ".ruff_cache", ".bedrock_lint_cache", "node_modules", "build", "dist", "site-packages",
    ".eggs", "*.egg-info", ".ipynb_checkpoints",
)


@dataclass
class DiscoveredFile:
    path: Path
    display_name: str
    settings: Settings


@dataclass
class DiscoveryError:
    display_name: str
    message: str


@lru_cache(maxsize=256)
def _exclude_spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(patterns)


def _relative_to_root(path: Path, settings: Settings) -> str | None:
    try:
        return path.resolve().relative_to(Path(settings.project_root).resolve()).as_posix()
    except (ValueError, OSError):
        return None


def is_excluded(path: Path, settings: Settings) -> bool:
    """Whether exclude settings (defaults or ``exclude``, plus ``extend-exclude``) match
    ``path`` or one of its directories."""
    patterns = (settings.exclude or DEFAULT_EXCLUDES) + settings.extend_exclude
    spec = _exclude_spec(tuple(patterns))
    relative = _relative_to_root(path, settings)
    candidates = [relative] if relative is not None else []
    candidates.append(path.as_posix())
    for candidate in candidates:
        parts = candidate.split("/")
        for end in range(1, len(parts) + 1):
            prefix = "/".join(parts[:end])
            if spec.match_file(prefix) or (end < len(parts) and spec.match_file(prefix + "/")):
                return True
    return False


class _GitIgnores:
    """``.gitignore`` files from the repository root down to each walked directory."""

    def __init__(self) -> None:
        self._specs: dict[Path, pathspec.PathSpec | None] = {}

    def _spec(self, directory: Path) -> pathspec.PathSpec | None:
        if directory not in self._specs:
            spec = None
            ignore_file = directory / ".gitignore"
            try:
                if ignore_file.is_file():
                    spec = pathspec.GitIgnoreSpec.from_lines(ignore_file.read_text("utf-8", "replace").splitlines())
            except OSError:
                spec = None
            self._specs[directory] = spec
        return self._specs[directory]

    def ignored(self, path: Path, is_directory: bool) -> bool:
        path = path.absolute()
        directory = path.parent
        while True:
            spec = self._spec(directory)
            if spec is not None:
                relative = path.relative_to(directory).as_posix() + ("/" if is_directory else "")
                if spec.match_file(relative):
                    return True
            if (directory / ".git").exists() or directory.parent == directory:
                return False
            directory = directory.parent


def _display(base_display: str, base: Path, path: Path) -> str:
    relative = path.relative_to(base).as_posix()
    if base_display in (".", "./"):
        return relative
    return f"{base_display.rstrip('/')}/{relative}"


def discover(paths: list[str], resolver, *, force_exclude: bool = False) -> Iterator[DiscoveredFile | DiscoveryError]:
    seen: set[Path] = set()
    gitignores = _GitIgnores()
    for given in paths:
        path = Path(given)
        if not path.exists():
            message = "broken symbolic link" if path.is_symlink() else "No such file or directory"
            yield DiscoveryError(given, message)
            continue
        if path.is_dir():
            yield from _walk(path, given, resolver, gitignores, seen)
            continue
        settings = resolver.settings_for(path)
        if force_exclude and (is_excluded(path, settings) or (settings.respect_gitignore and gitignores.ignored(path, False))):
            continue
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            yield DiscoveredFile(path, given, settings)


def _walk(root: Path, root_display: str, resolver, gitignores: _GitIgnores, seen: set[Path]) -> Iterator[DiscoveredFile | DiscoveryError]:
    stack = [root]
    while stack:
        directory = stack.pop()
        settings = resolver.settings_for(directory)
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError as error:
            yield DiscoveryError(_display(root_display, root, directory) or root_display, f"cannot read directory: {error.strerror or error}")
            continue
        subdirectories = []
        for entry in entries:
            path = Path(entry.path)
            try:
                is_directory = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_directory = False
            if is_directory:
                if is_excluded(path, settings) or (settings.respect_gitignore and gitignores.ignored(path, True)):
                    continue
                subdirectories.append(path)
                continue
            if not entry.name.endswith(SOURCE_SUFFIXES):
                continue
            if is_excluded(path, settings) or (settings.respect_gitignore and gitignores.ignored(path, False)):
                continue
            display = _display(root_display, root, path)
            if entry.is_symlink() and not path.exists():
                yield DiscoveryError(display, "broken symbolic link")
                continue
            resolved = path.resolve()
            if resolved in seen:
                continue
            seen.add(resolved)
            yield DiscoveredFile(path, display, resolver.settings_for(path))
        stack.extend(reversed(subdirectories))
