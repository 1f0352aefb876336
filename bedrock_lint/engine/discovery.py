"""Which files a run checks, and with which settings.

Directories are walked recursively in sorted order for ``.py``, ``.pyi`` and
``.ipynb`` files.  Walking skips what the settings of each directory exclude: the
default excludes (or ``exclude``), ``extend-exclude`` and, unless
``respect-gitignore = false``, what ``.gitignore`` files say (those in the walked
directories and in their parents up to the repository root, plus
``.git/info/exclude``).  All patterns are gitignore-style.

A path named on the command line is always checked, whatever its suffix, unless
``force_exclude`` asks for the excludes to apply to it too (pre-commit passes explicit
files).  File symlinks are followed; directory symlinks found while walking are not,
so a link loop cannot trap the walk.  A file reached twice is checked once.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from bedrock_lint.config import (
    ConfigError,
    PatternList,
    SettingsResolver,
    compile_patterns,
    exclude_patterns,
    path_for_patterns,
    relative_to_project,
    relative_to_root,
)
from bedrock_lint.settings import Settings
from bedrock_lint.paths import nearest_upward

SOURCE_SUFFIXES = (".py", ".pyi", ".ipynb")


class DiscoveredFile:
    __slots__ = ("location", "display_name", "settings", "exclusion_pending")

    def __init__(self, location: str, display_name: str, settings: Settings, exclusion_pending: bool = False) -> None:
        self.location = location  # absolute filesystem path
        self.display_name = display_name  # as typed on the command line, or found under what was typed
        self.settings = settings
        # Named on the command line with force_exclude and defer_exclusion: whether the
        # excludes apply is for the caller to ask (``is_excluded``) if the file has
        # anything to report; a clean file reports the same either way.
        self.exclusion_pending = exclusion_pending

    @property
    def path(self) -> Path:
        return Path(self.location)

    def __repr__(self) -> str:
        return f"DiscoveredFile({self.location!r}, {self.display_name!r})"


@dataclass
class DiscoveryError:
    display_name: str
    message: str
    # A configuration file governing this path is invalid (the message names it, the key
    # and the line); the files under the path are not checked and the run exits 2.
    config: bool = False


# (directory, patterns) pairs, shallowest first; patterns are relative to the directory.
IgnoreChain = list[tuple[str, PatternList]]


def discover(paths: list[str], resolver: SettingsResolver, *, force_exclude: bool = False, defer_exclusion: bool = False) -> Iterator[DiscoveredFile | DiscoveryError]:
    """Files to check (and problems finding them), in command-line then sorted order.

    ``defer_exclusion``: with ``force_exclude``, a file named on the command line is
    yielded with ``exclusion_pending`` instead of being tested against the excludes and
    ``.gitignore`` files here (pre-commit names files one by one; most are clean).

    Raises ConfigError (from the resolver) for a bad configuration file met on the way."""
    walker = _Walker(resolver, force_exclude, defer_exclusion)
    for given in paths:
        yield from walker.discover_path(given)


def is_excluded(path: Path, settings: Settings) -> bool:
    """Whether ``path`` (or a directory above it) is excluded by ``settings``: the
    exclude patterns and, when ``respect_gitignore``, ``.gitignore`` files."""
    absolute = os.path.abspath(path)
    return _is_excluded_path(absolute, os.path.isdir(absolute), settings, _IgnoreFiles())


def _is_excluded_path(absolute: str, is_directory: bool, settings: Settings, ignore_files: "_IgnoreFiles") -> bool:
    relative = path_for_patterns(absolute, settings)
    if relative and exclude_patterns(settings.exclude, settings.extend_exclude).matches_path(relative, is_directory=is_directory):
        return True
    return settings.respect_gitignore and _gitignored(absolute, is_directory, ignore_files)


def _gitignored(absolute: str, is_directory: bool, ignore_files: "_IgnoreFiles") -> bool:
    """Git's answer for one path: walking down from the top ignore file's directory,
    the first ignored directory (or the path itself) decides; in each, the deepest
    ignore file with a matching pattern has the last word."""
    chain = ignore_files.chain(os.path.dirname(absolute))
    if not chain:
        return False
    top = chain[0][0]
    relative = relative_to_root(absolute, top)
    if not relative:
        return False
    parts = relative.split("/")
    for end in range(1, len(parts) + 1):
        candidate = os.path.join(top, *parts[:end])
        slash = "/" if end < len(parts) or is_directory else ""
        for base, patterns in reversed(chain):
            below_base = relative_to_root(candidate, base)
            if not below_base:
                continue  # this ignore file is not above the candidate
            decision = patterns.decide(below_base + slash)
            if decision is not None:
                if decision:
                    return True
                break
    return False


class _IgnoreFiles:
    """``.gitignore`` and ``.git/info/exclude`` files, read once per directory."""

    def __init__(self) -> None:
        self._patterns: dict[str, PatternList | None] = {}
        self._repository_roots: dict[str, str | None] = {}

    def _read(self, file: str) -> PatternList | None:
        if file not in self._patterns:
            try:
                with open(file, encoding="utf-8", errors="replace") as handle:
                    patterns = compile_patterns(handle.read().splitlines())
            except OSError:  # missing, unreadable, or a directory
                patterns = None
            self._patterns[file] = patterns or None
        return self._patterns[file]

    def repository_root(self, directory: str) -> str | None:
        """The nearest directory at or above ``directory`` holding ``.git`` (a
        directory, or a file in worktrees and submodules)."""
        return nearest_upward(directory, self._repository_roots, _holds_git)

    def own(self, directory: str, names: set[str] | None = None) -> IgnoreChain:
        """The ignore files in ``directory`` itself (``names``: its entries, if known)."""
        chain: IgnoreChain = []
        if names is None or ".git" in names:
            # Lower precedence than any .gitignore, so it comes first.
            info_exclude = self._read(os.path.join(directory, ".git", "info", "exclude"))
            if info_exclude:
                chain.append((directory, info_exclude))
        if names is None or ".gitignore" in names:
            gitignore = self._read(os.path.join(directory, ".gitignore"))
            if gitignore:
                chain.append((directory, gitignore))
        return chain

    def chain(self, directory: str) -> IgnoreChain:
        """The ignore files that apply to the entries of ``directory``: from the
        repository root down to it (outside a repository: its own only)."""
        root = self.repository_root(directory)
        directories = [directory]
        if root is not None:
            while directories[-1] != root:
                directories.append(os.path.dirname(directories[-1]))
        chain: IgnoreChain = []
        for item in reversed(directories):
            chain.extend(self.own(item))
        return chain

    def inherited(self, directory: str) -> IgnoreChain:
        """The ignore files above ``directory`` that apply inside it (walk start)."""
        root = self.repository_root(directory)
        if root is None or root == directory:
            return []
        return self.chain(os.path.dirname(directory))


class _Walker:
    def __init__(self, resolver: SettingsResolver, force_exclude: bool, defer_exclusion: bool = False) -> None:
        self.resolver = resolver
        self.force_exclude = force_exclude
        self.defer_exclusion = defer_exclusion
        self.cwd = str(getattr(resolver, "cwd", None) or os.getcwd())
        self.ignore_files = _IgnoreFiles()
        # Real paths already yielded: a file is checked (and fixed) once.
        self.seen: set[str] = set()

    def discover_path(self, given: str) -> Iterator[DiscoveredFile | DiscoveryError]:
        absolute = os.path.abspath(os.path.join(self.cwd, given))
        try:
            mode = os.stat(absolute).st_mode
        except FileNotFoundError:
            yield DiscoveryError(given, "broken symbolic link" if os.path.islink(absolute) else "No such file or directory")
            return
        except OSError as error:
            yield DiscoveryError(given, error.strerror or str(error))
            return
        is_directory = stat.S_ISDIR(mode)
        try:
            settings = self.resolver.settings_for_directory(absolute if is_directory else os.path.dirname(absolute))
        except ConfigError as error:
            yield DiscoveryError(given, str(error), config=True)
            return
        pending = self.force_exclude and self.defer_exclusion and not is_directory
        if self.force_exclude and not pending and _is_excluded_path(absolute, is_directory, settings, self.ignore_files):
            return
        if not is_directory:
            # Named explicitly: checked whatever its suffix.
            real_path = os.path.realpath(absolute)
            if real_path not in self.seen:
                self.seen.add(real_path)
                yield DiscoveredFile(absolute, given, settings, exclusion_pending=pending)
            return
        # `check .` shows `app.py`, `check src` shows `src/app.py`.
        display = "" if given in (".", "./") else given
        yield from self._walk(absolute, os.path.realpath(absolute), display, self.ignore_files.inherited(absolute))

    def _found(self, path: str, real_path: str, display: str, settings: Settings) -> Iterator[DiscoveredFile]:
        if real_path not in self.seen:
            self.seen.add(real_path)
            yield DiscoveredFile(path, display, settings)

    def _walk(self, directory: str, real_directory: str, display: str, inherited: IgnoreChain) -> Iterator[DiscoveredFile | DiscoveryError]:
        try:
            with os.scandir(directory) as iterator:
                entries = sorted(iterator, key=lambda entry: entry.name)
        except OSError as error:
            reason = "Permission denied" if isinstance(error, PermissionError) else (error.strerror or str(error))
            yield DiscoveryError(display or ".", f"{reason} (directory not read)")
            return

        try:
            settings = self.resolver.settings_for_directory(directory)
        except ConfigError as error:
            # Only this directory's subtree depends on the broken file: the walk goes on.
            yield DiscoveryError(display or ".", str(error), config=True)
            return
        names = {entry.name for entry in entries}
        # A nested repository does not see its parents' .gitignore files.
        ignore_chain = ([] if ".git" in names else inherited) + self.ignore_files.own(directory, names)
        is_excluded_entry = self._exclusion_test(directory, real_directory, settings, ignore_chain)

        separator = "" if display.endswith(os.sep) else os.sep
        real_prefix = real_directory if real_directory.endswith(os.sep) else real_directory + os.sep
        for entry in entries:
            name = entry.name
            path = entry.path
            entry_display = display + separator + name if display else name
            try:
                is_directory = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_directory = False
            if is_directory:
                if not is_excluded_entry(name, True):
                    yield from self._walk(path, real_prefix + name, entry_display, ignore_chain)
                continue
            if not name.endswith(SOURCE_SUFFIXES) or is_excluded_entry(name, False):
                continue
            if not entry.is_symlink():
                real_path = real_prefix + name
                if real_path not in self.seen:
                    self.seen.add(real_path)
                    yield DiscoveredFile(path, entry_display, settings)
                continue
            try:
                target_mode = os.stat(path).st_mode
            except FileNotFoundError:
                yield DiscoveryError(entry_display, "broken symbolic link")
                continue
            except OSError as error:  # e.g. a symlink loop
                yield DiscoveryError(entry_display, f"{error.strerror or error} (symbolic link)")
                continue
            if stat.S_ISDIR(target_mode):
                continue  # directory symlinks are not followed
            yield from self._found(path, os.path.realpath(path), entry_display, settings)

    @staticmethod
    def _exclusion_test(directory: str, real_directory: str, settings: Settings, ignore_chain: IgnoreChain):
        """A test ``(name, is_directory) -> excluded?`` for the entries of ``directory``;
        the relative paths it needs are worked out once per directory."""
        excludes = exclude_patterns(settings.exclude, settings.extend_exclude)
        project_relative = relative_to_project(directory, settings, real_path=real_directory)
        # Deepest ignore file first: it has the last word.
        gitignores = [(relative_to_root(directory, base), patterns) for base, patterns in reversed(ignore_chain)] if settings.respect_gitignore else []

        def excluded(name: str, is_directory: bool) -> bool:
            slash = "/" if is_directory else ""
            # Outside the project root only unanchored patterns can apply: match the name.
            relative = f"{project_relative}/{name}" if project_relative else name
            if excludes.decide(relative + slash):
                return True
            for prefix, patterns in gitignores:
                decision = patterns.decide((f"{prefix}/{name}" if prefix else name) + slash)
                if decision is not None:
                    return decision
            return False

        return excluded


def _holds_git(directory: str) -> str | None:
    return directory if os.path.exists(os.path.join(directory, ".git")) else None
