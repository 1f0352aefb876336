"""Configuration: ``[tool.bedrock-lint]`` in ``pyproject.toml``, or ``bedrock-lint.toml``.

As in ruff, each checked path uses the nearest configuration file found walking up
from its directory; in one directory ``bedrock-lint.toml`` wins over
``pyproject.toml``, and a ``pyproject.toml`` without a ``[tool.bedrock-lint]`` table
is skipped.  ``--config F`` uses one file for every path.  Every error is a
:class:`ConfigError` whose message names the file and the key (and the line when it
can be found); the command line turns it into exit code 2.

Patterns (``exclude``, ``extend-exclude``, the keys of ``per-file-ignores``) are
gitignore-style and relative to the configuration file's directory, which becomes
``Settings.project_root``.  An empty ``Settings.exclude`` means the default excludes
(:data:`DEFAULT_EXCLUDE`).
"""

from __future__ import annotations

import math
import os
import re
import sys
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from bedrock_lint.rules.selection import UnknownRuleCodeError, validate_selectors
from bedrock_lint.settings import MODEL_TIERS, RETRY_MODES, RULE_OPTIONS, Settings
from bedrock_lint.code_style import LineLengths
from bedrock_lint.paths import nearest_upward


def _toml():
    """tomllib, imported when a configuration file is read."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib

BEDROCK_LINT_TOML = "bedrock-lint.toml"
PYPROJECT_TOML = "pyproject.toml"
# Looked for in this order in each directory.
CONFIG_FILE_NAMES = (BEDROCK_LINT_TOML, PYPROJECT_TOML)
TOOL_SECTION = "tool.bedrock-lint"

# Directories (and files) never walked into unless named on the command line; like
# ruff's defaults.  Used when ``Settings.exclude`` is empty.
DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".git",
    ".hg",
    ".svn",
    ".bzr",
    ".tox",
    ".nox",
    ".venv",
    "venv",
    ".direnv",
    "__pycache__",
    "__pypackages__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".bedrock_lint_cache",
    ".ipynb_checkpoints",
    "node_modules",
    "build",
    "dist",
    "site-packages",
    ".eggs",
    "*.egg-info",
)

PROFILE_GEOGRAPHIES = ("us", "eu", "apac", "jp", "au", "global", "us-gov")

SELECTOR_KEYS = ("select", "extend-select", "ignore")
PATTERN_KEYS = ("exclude", "extend-exclude")
KNOWN_KEYS: tuple[str, ...] = (
    *SELECTOR_KEYS, "preview", "per-file-ignores", *PATTERN_KEYS, "respect-gitignore", "file-timeout", *RULE_OPTIONS
)
BOOLEAN_KEYS = ("respect-gitignore", "preview")

_ENV_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


class ConfigError(Exception):
    """A configuration problem; the message names the file and key (or CLI option)."""

    def __init__(self, message: str, *, file: str | None = None, key: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.file = file
        self.key = key
        self.line = line


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class _ConfigSource:
    """The bedrock-lint table of one configuration file, with what error messages need."""

    path: str  # absolute
    text: str
    table: dict[str, Any]
    section: str  # "tool.bedrock-lint", or "" for top-level keys of bedrock-lint.toml

    @property
    def directory(self) -> str:
        return os.path.dirname(self.path)

    def error(self, key: str | None, detail: str) -> ConfigError:
        label = f"[{self.section}] " if self.section else ""
        line = _line_of_key(self.text, self.section, key) if key else None
        where = f" (line {line})" if line else ""
        return ConfigError(f"{_display_path(self.path)}: {label}{detail}{where}", file=self.path, key=key, line=line)


def _display_path(path: str) -> str:
    """A config path for messages: relative to the working directory when under it."""
    try:
        cwd = os.getcwd()
    except OSError:
        return path
    if path.startswith(cwd.rstrip(os.sep) + os.sep):
        return os.path.relpath(path, cwd)
    return path


def _read_source(path: str) -> _ConfigSource | None:
    """Parse one configuration file; None for a pyproject.toml without our table."""
    is_pyproject = os.path.basename(path) == PYPROJECT_TOML
    shown = _display_path(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise ConfigError(f"{shown}: cannot read: {error.strerror or error}", file=path) from None
    # Most pyproject.toml files are not ours; skip them without parsing.
    if is_pyproject and b"bedrock-lint" not in raw:
        return None
    try:
        # "utf-8-sig": a byte-order mark some Windows editors write is no TOML error
        # (pip and ruff read such files too).
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{shown}: invalid TOML: not UTF-8 ({error.reason} at byte {error.start})", file=path) from None
    tomllib = _toml()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _TOML_POSITION.search(message)
        if position:
            line = int(position.group(1))
        else:  # "(at end of document)": say which line that is
            line = text.count("\n") + (0 if text.endswith("\n") else 1)
            message = message.replace("(at end of document)", f"(at end of document, line {line})")
        raise ConfigError(f"{shown}: invalid TOML: {message}", file=path, line=line) from None

    tool = data.get("tool")
    table = tool.get("bedrock-lint") if isinstance(tool, dict) else None
    if table is None:
        if is_pyproject:
            return None
        return _ConfigSource(path, text, data, "")
    if not isinstance(table, dict):
        raise _ConfigSource(path, text, {}, TOOL_SECTION).error(None, f"must be a table, got {_type_name(table)}")
    source = _ConfigSource(path, text, table, TOOL_SECTION)
    if not is_pyproject:
        others = sorted(key for key in data if key != "tool")
        if others:
            raise _ConfigSource(path, text, data, "").error(
                others[0], f"unknown key '{others[0]}' (use either top-level keys or a [tool.bedrock-lint] table, not both)"
            )
    return source


def _line_of_key(text: str, section: str, key: str) -> int | None:
    """Best effort: the line where ``key`` is set in ``section`` (for error messages)."""
    key_line = re.compile(r"""\s*(["']?)%s\1\s*=""" % re.escape(key))
    header_line = re.compile(r"\s*\[\[?\s*([^\]]*?)\s*\]\]?\s*(#.*)?$")
    current = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = header_line.match(line)
        if header:
            current = re.sub(r"""["'\s]""", "", header.group(1))
            if current == (f"{section}.{key}" if section else key):
                return number  # a sub-table such as [tool.bedrock-lint.per-file-ignores]
            continue
        if current == section and key_line.match(line):
            return number
    return None


# --------------------------------------------------------------------------- validation


def load_config_file(path: Path) -> Settings:
    """Parse and validate one configuration file.

    A pyproject.toml without a ``[tool.bedrock-lint]`` table gives the defaults (with
    ``config_file`` and ``project_root`` set)."""
    absolute = os.path.abspath(path)
    source = _read_source(absolute)
    if source is None:
        return Settings(config_file=absolute, project_root=os.path.dirname(absolute))
    return _settings_from_source(source)


def _settings_from_source(source: _ConfigSource) -> Settings:
    return Settings(config_file=source.path, project_root=source.directory, **_changes_from_source(source))


def inline_overrides(values: Iterable[str], cwd: Path | str) -> dict[str, Any]:
    """``--config 'KEY = VALUE'`` (repeatable): each a TOML assignment of a configuration
    key, validated as in a configuration file (relative paths: to ``cwd``); the
    ``Settings`` attributes they set, later ones winning.  Errors name the option."""
    tomllib = _toml()
    changes: dict[str, Any] = {}
    for value in values:
        try:
            table = tomllib.loads(value)
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(
                f"--config {value!r}: neither a configuration file nor a TOML 'KEY = VALUE' ({error})", key="--config"
            ) from None
        # Messages read "--config: 'retry-mode' must be …".
        changes.update(_changes_from_source(_ConfigSource(os.path.join(os.path.abspath(cwd), "--config"), "", table, "")))
    return changes


def _changes_from_source(source: _ConfigSource) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key, value in source.table.items():
        if key in SELECTOR_KEYS:
            changes[_attribute(key)] = _selectors(source, key, value)
        elif key == "per-file-ignores":
            changes["per_file_ignores"] = _per_file_ignores(source, value)
        elif key in PATTERN_KEYS:
            changes[_attribute(key)] = _patterns(source, key, value)
        elif key in BOOLEAN_KEYS:
            if not isinstance(value, bool):
                raise source.error(key, f"'{key}' must be true or false, got {_type_name(value)}")
            changes[_attribute(key)] = value
        elif key == "file-timeout":
            changes["file_timeout"] = float(_rule_option(source, key, value, (int, float)))  # type: ignore[arg-type]
        elif key in RULE_OPTIONS:
            attribute, expected, _ = RULE_OPTIONS[key]
            changes[attribute] = _rule_option(source, key, value, expected)
        else:
            import difflib

            close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise source.error(key, f"unknown key '{key}'{hint}")
    return changes


def _attribute(key: str) -> str:
    return key.replace("-", "_")


def _type_name(value: object) -> str:
    if isinstance(value, dict):
        return "table"
    return type(value).__name__


def _string_list(source: _ConfigSource, key: str, value: object, *, shown_key: str | None = None) -> list[str]:
    shown_key = shown_key or key
    if not isinstance(value, list):
        raise source.error(key, f"'{shown_key}' must be a list of strings, got {_type_name(value)}")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise source.error(key, f"'{shown_key}' must be a list of strings, got {_type_name(item)} at index {index}")
    return value


def _selectors(source: _ConfigSource, key: str, value: object) -> tuple[str, ...]:
    codes = _string_list(source, key, value)
    if key == "select" and not codes:
        # Empty would silently mean the defaults (a selection of nothing would check
        # nothing): say so rather than guess (issue 22, minor).
        raise source.error(key, "select: an empty list selects no rule; remove the key for the defaults, or name the rules")
    try:
        return tuple(validate_selectors(codes))
    except UnknownRuleCodeError as error:
        raise source.error(key, f"{key}: unknown rule code '{error}'") from None


def _per_file_ignores(source: _ConfigSource, value: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    key = "per-file-ignores"
    if not isinstance(value, dict):
        raise source.error(key, f"'{key}' must be a table of \"glob\" = [codes], got {_type_name(value)}")
    entries = []
    for pattern, codes in value.items():
        shown = f'{key}."{pattern}"'
        codes = _string_list(source, key, codes, shown_key=shown)
        _check_pattern(source, key, pattern.removeprefix("!"))
        try:
            entries.append((pattern, tuple(validate_selectors(codes))))
        except UnknownRuleCodeError as error:
            raise source.error(key, f"{shown}: unknown rule code '{error}'") from None
    return tuple(entries)


def _patterns(source: _ConfigSource, key: str, value: object) -> tuple[str, ...]:
    patterns = _string_list(source, key, value)
    for pattern in patterns:
        _check_pattern(source, key, pattern)
    return tuple(patterns)


def _check_pattern(source: _ConfigSource, key: str, pattern: str) -> None:
    try:
        compile_patterns([pattern], strict=True)
    except ValueError as error:
        raise source.error(key, f"{key}: invalid pattern '{pattern}': {error}") from None


def _rule_option(source: _ConfigSource, key: str, value: object, expected: type | tuple[type, ...]) -> object:
    # TOML has no null, so "or None" options must be given as their real type.
    types = tuple(t for t in (expected if isinstance(expected, tuple) else (expected,)) if t is not type(None))
    # bool is a subclass of int; ``min-read-timeout = true`` is a mistake, not 1.
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        raise source.error(key, f"'{key}' must be {_describe(types)}, got {_type_name(value)}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value) or value <= 0:
            raise source.error(key, f"'{key}' must be greater than 0, got {value}")
    if isinstance(value, str):
        value = _checked_string_option(source, key, value)
    return value


def checked_rule_option(key: str, value: object, *, origin: str, directory: str) -> object:
    """One rule option set somewhere else than a configuration file (the flake8
    plugin's ``--bedrock-*`` options), validated exactly as the configuration's key.
    Errors are ConfigErrors whose message starts with ``origin``; a relative path
    (``catalog``) is relative to ``directory``."""
    # Messages name the source by its path, shown relative to the working directory.
    source = _ConfigSource(os.path.join(directory, origin), "", {key: value}, "")
    return _rule_option(source, key, value, RULE_OPTIONS[key][1])


def _checked_string_option(source: _ConfigSource, key: str, value: str) -> str:
    if not value.strip():
        raise source.error(key, f"'{key}' must not be empty")
    if key == "retry-mode" and value not in RETRY_MODES:
        raise source.error(key, f"'{key}' must be one of {', '.join(RETRY_MODES)}, got '{value}'")
    if key == "profile-geography" and value not in PROFILE_GEOGRAPHIES:
        raise source.error(key, f"'{key}' must be one of {', '.join(PROFILE_GEOGRAPHIES)}, got '{value}'")
    if key == "oversized-model-tier" and value not in MODEL_TIERS:
        raise source.error(key, f"'{key}' must be one of {', '.join(MODEL_TIERS)}, got '{value}'")
    if key == "small-model" and "anthropic.claude" not in value:
        raise source.error(key, f"'{key}' must be a Bedrock Claude model id (anthropic.claude-…), got '{value}'")
    if key == "region-env-var" and not _ENV_VAR_NAME.match(value):
        raise source.error(key, f"'{key}' must be an environment variable name, got '{value}'")
    if key == "catalog":
        catalog = os.path.normpath(os.path.join(source.directory, os.path.expanduser(value)))
        if not os.path.isfile(catalog):
            raise source.error(key, f"'{key}': no such file: {catalog}")
        return catalog
    return value


def _describe(types: tuple[type, ...]) -> str:
    if set(types) == {int, float}:
        return "a number"
    names = {int: "an integer", float: "a number", str: "a string", bool: "true or false"}
    return " or ".join(names.get(t, t.__name__) for t in types)


# --------------------------------------------------------------------------- command line


def apply_cli_overrides(
    settings: Settings,
    *,
    select: Iterable[str] | None = None,
    extend_select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    file_timeout: float | None = None,
    preview: bool | None = None,
    extend_per_file_ignores: Iterable[str] | None = None,
    config: dict[str, Any] | None = None,
) -> Settings:
    """The command line's rule selection on top of a file's settings.

    ``--select`` replaces the configured ``select`` (and the configured
    ``extend-select``, which extended the selection being replaced); ``--extend-select``
    and ``--ignore`` are added to the configured lists.  Codes are validated.
    ``config``: the ``--config 'KEY = VALUE'`` overrides (``inline_overrides``), applied
    first; ``--extend-per-file-ignores 'PATTERN:CODES'`` entries follow the file's."""
    if config:
        settings = replace(settings, **config)
    changes: dict[str, Any] = {}
    if select is not None:
        changes["select"] = _cli_selectors("--select", select)
        changes["extend_select"] = ()
    if extend_select is not None:
        base = changes.get("extend_select", settings.extend_select)
        changes["extend_select"] = _unique(base + _cli_selectors("--extend-select", extend_select))
    if ignore is not None:
        changes["ignore"] = _unique(settings.ignore + _cli_selectors("--ignore", ignore))
    if file_timeout is not None:
        changes["file_timeout"] = float(file_timeout)  # type: ignore[assignment]
    if preview is not None:
        changes["preview"] = preview
    if extend_per_file_ignores:
        changes["per_file_ignores"] = settings.per_file_ignores + _cli_per_file_ignores(extend_per_file_ignores)
    return replace(settings, **changes) if changes else settings


def _cli_per_file_ignores(values: Iterable[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    option = "--extend-per-file-ignores"
    entries = []
    for value in values:
        pattern, colon, codes = value.rpartition(":")
        if not colon or not pattern or not codes.strip():
            raise ConfigError(f"{option}: '{value}' is not PATTERN:CODES (e.g. 'tests/*:BDR005,BDR1')", key=option)
        try:
            compile_patterns([pattern.removeprefix("!")], strict=True)
        except ValueError as error:
            raise ConfigError(f"{option}: invalid pattern '{pattern}': {error}", key=option) from None
        entries.append((pattern, _cli_selectors(option, [c for c in codes.split(",") if c.strip()])))
    return tuple(entries)


def _cli_selectors(option: str, values: Iterable[str]) -> tuple[str, ...]:
    try:
        return tuple(validate_selectors(values))
    except UnknownRuleCodeError as error:
        raise ConfigError(f"{option}: unknown rule code '{error}'", key=option) from None


def _unique(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


# --------------------------------------------------------------------------- resolution


class SettingsResolver:
    """The settings for each checked path: nearest configuration file, plus the CLI.

    Lookups are cached per directory and per configuration file, so walking a large
    repository looks at each directory's candidate files once."""

    def __init__(self, *, config_file: Path | None = None, cli_overrides: dict | None = None, cwd: Path | None = None) -> None:
        self.cwd = Path(os.path.abspath(cwd if cwd is not None else os.getcwd()))
        self.overrides: dict[str, Any] = {k: v for k, v in (cli_overrides or {}).items() if v is not None}
        # Validate command-line codes now, even if no file ends up being checked.
        self.default_settings = apply_cli_overrides(Settings(project_root=str(self.cwd)), **self.overrides)
        self._config_by_directory: dict[str, str | None] = {}
        self._settings_by_config: dict[str, Settings] = {}
        self._sources: dict[str, _ConfigSource] = {}
        self._fixed: Settings | None = None
        self._line_lengths = LineLengths()
        self._with_line_length: dict[tuple[int, int], Settings] = {}
        if config_file is not None:
            self._fixed = apply_cli_overrides(load_config_file(self._absolute(config_file)), **self.overrides)

    def _absolute(self, path: Path | str) -> Path:
        return Path(os.path.abspath(os.path.join(self.cwd, path)))

    def settings_for(self, path: Path) -> Settings:
        """Settings for a file or directory being checked (relative paths: to ``cwd``)."""
        if self._fixed is not None:
            return self._fixed
        absolute = self._absolute(path)
        return self.settings_for_directory(absolute if absolute.is_dir() else absolute.parent)

    def settings_for_directory(self, directory: Path | str) -> Settings:
        """Settings for the files directly inside ``directory`` (no stat of a file),
        with the line length the project's ruff, black or flake8 configuration sets
        for that directory (code_style.py)."""
        absolute = os.path.abspath(os.path.join(self.cwd, directory))
        settings = self._configured_settings(absolute)
        line_length = self._line_lengths.for_directory(absolute)
        if line_length == settings.line_length:
            return settings
        key = (id(settings), line_length)
        with_length = self._with_line_length.get(key)
        if with_length is None:
            with_length = self._with_line_length[key] = replace(settings, line_length=line_length)
        return with_length

    def _configured_settings(self, directory: str) -> Settings:
        if self._fixed is not None:
            return self._fixed
        config = self._config_for_directory(directory)
        if config is None:
            return self.default_settings
        settings = self._settings_by_config.get(config)
        if settings is None:
            settings = apply_cli_overrides(_settings_from_source(self._sources[config]), **self.overrides)
            self._settings_by_config[config] = settings
        return settings

    def _config_for_directory(self, directory: str) -> str | None:
        return nearest_upward(directory, self._config_by_directory, self._config_in)

    def _config_in(self, directory: str) -> str | None:
        for name in CONFIG_FILE_NAMES:
            candidate = os.path.join(directory, name)
            if not os.path.isfile(candidate):
                continue
            source = _read_source(candidate)
            if source is None:  # a pyproject.toml that is not about us
                continue
            self._sources[candidate] = source
            return candidate
        return None


# --------------------------------------------------------------------------- patterns


class PatternList:
    """Compiled gitignore-style patterns, matched against '/'-separated relative paths.

    :meth:`decide` gives git's answer for one path itself: the last matching pattern
    wins, a ``!pattern`` re-includes.  Directories are passed with a trailing '/' so
    that directory-only patterns (``build/``) match them.  Whether a parent directory
    is excluded is a separate question (:meth:`matches_path`); the walk asks it by not
    descending into excluded directories."""

    def __init__(self, patterns: list) -> None:
        self.patterns = [p for p in patterns if p.include is not None]  # drop blanks and comments
        # One combined regex answers "could anything match?" for most paths at once.
        self._any = _combined_regex(self.patterns)

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def decide(self, relative: str) -> bool | None:
        """True: excluded, False: re-included by a negation, None: no pattern matches."""
        # pathspec searches its regexes (from 1.0 on they are not anchored at the start).
        if not self.patterns or (self._any is not None and not self._any.search(relative)):
            return None
        for pattern in reversed(self.patterns):
            if _matches_itself(pattern, relative):
                return bool(pattern.include)
        return None

    def matches_path(self, relative: str, *, is_directory: bool = False) -> bool:
        """Whether ``relative`` or one of its parent directories is excluded, as git
        decides it walking down from the root (an excluded directory's content stays
        excluded)."""
        parts = relative.split("/")
        for end in range(1, len(parts)):
            if self.decide("/".join(parts[:end]) + "/"):
                return True
        return bool(self.decide(relative + ("/" if is_directory else "")))


def _matches_itself(pattern, relative: str) -> bool:
    """Whether ``pattern`` matches ``relative`` itself, not only as the content of a
    parent directory it matches ("build" matches "build/a.py" through "build/").  That
    must not count here, so that `check build` checks what is inside an excluded
    directory named on the command line, as ruff does.  Only pathspec's public
    ``match_file`` is asked: its regexes differ between versions (from 1.0 on, ``*``
    compiles to a regex that matches a path's first character only)."""
    if pattern.match_file(relative) is None:
        return False
    parts = relative.rstrip("/").split("/")
    return not any(pattern.match_file("/".join(parts[:end]) + "/") is not None for end in range(1, len(parts)))


def _combined_regex(patterns: list) -> re.Pattern | None:
    sources = [getattr(getattr(p, "regex", None), "pattern", None) for p in patterns]
    if not sources or any(not isinstance(s, str) for s in sources):
        return None
    # Named groups would clash once joined; make them plain groups.
    joined = "|".join(f"(?:{re.sub(r'[(][?]P<[^>]+>', '(?:', s)})" for s in sources)
    try:
        return re.compile(joined)
    except re.error:
        return None


def _pattern_factory():
    import pathspec

    # The gitignore flavour is "gitignore" from pathspec 1.0 on, where "gitwildmatch" is
    # deprecated; before 1.0 "gitignore" is the deprecated name.
    major = int(pathspec.__version__.split(".")[0])
    return pathspec.lookup_pattern("gitignore" if major >= 1 else "gitwildmatch")


def normalised_pattern(line: str) -> str:
    """``line`` with each run of ``*`` inside a path segment made one ``*`` and repeated
    ``**/`` segments made one: the same meaning in gitignore.  pathspec translates every
    ``*`` of a run to its own ``[^/]*``, and Python's regex engine backtracks over each
    way of sharing a name between them: 12 stars took minutes against a 40-character
    name (issue 22).  Escaped characters (``\\*``) are kept as written."""
    negation = "!" if line.startswith("!") else ""
    body = line[len(negation) :]
    segments: list[list[str]] = [[]]
    position = 0
    while position < len(body):
        character = body[position]
        if character == "\\" and position + 1 < len(body):
            segments[-1].append(body[position : position + 2])
            position += 2
        elif character == "/":
            segments.append([])
            position += 1
        elif character == "*":
            end = position
            while end < len(body) and body[end] == "*":
                end += 1
            segments[-1].append("*" * (end - position))
            position = end
        else:
            segments[-1].append(character)
            position += 1
    kept: list[str] = []
    for tokens in segments:
        if tokens == ["**"]:
            if kept and kept[-1] == "**":
                continue
            kept.append("**")
        else:
            kept.append("".join("*" if token.startswith("*") else token for token in tokens))
    return negation + "/".join(kept)


def compile_patterns(lines: Iterable[str], *, strict: bool = False) -> PatternList:
    """Compile gitignore-style lines.  ``strict``: raise ValueError on an invalid
    pattern (configuration); otherwise skip it, as git does with ``.gitignore``."""
    factory = _pattern_factory()
    compiled = []
    for line in lines:
        # "./build" reads naturally as "build at the root", which git spells "/build".
        if line.startswith("./"):
            line = "/" + line[2:]
        try:
            compiled.append(factory(normalised_pattern(line)))
        except Exception as error:  # pathspec raises its own error types
            if strict:
                raise ValueError(str(error)) from None
    return PatternList(compiled)


@lru_cache(maxsize=256)
def exclude_patterns(exclude: tuple[str, ...], extend_exclude: tuple[str, ...]) -> PatternList:
    """``exclude`` (empty: the defaults) plus ``extend-exclude``."""
    return compile_patterns((*(exclude or DEFAULT_EXCLUDE), *extend_exclude))


def relative_to_root(path: str, root: str) -> str | None:
    """``path`` relative to ``root`` with '/' separators ('' for the root itself), or
    None when ``path`` is outside ``root``.  Both absolute."""
    if path == root:
        return ""
    prefix = root if root.endswith(os.sep) else root + os.sep
    if path.startswith(prefix):
        return path[len(prefix) :].replace(os.sep, "/")
    return None


def relative_to_project(path: Path | str, settings: Settings, *, real_path: str | None = None) -> str | None:
    """``path`` relative to the settings' project root ('/'-separated, '' for the root
    itself), or None when it lies outside the root.  ``real_path``: ``path``'s real
    path, if the caller knows it."""
    absolute = os.path.abspath(path)
    root = os.path.abspath(settings.project_root)
    relative = relative_to_root(absolute, root)
    if relative is None:
        # The same place may be spelled through a symlink (/tmp vs /private/tmp).
        relative = relative_to_root(real_path or os.path.realpath(absolute), _realpath(root))
    return relative


@lru_cache(maxsize=64)
def _realpath(path: str) -> str:
    return os.path.realpath(path)


def path_for_patterns(path: Path | str, settings: Settings) -> str:
    """The path that project patterns are matched against: relative to the project
    root, or just the name outside it (so only unanchored patterns can apply)."""
    relative = relative_to_project(path, settings)
    return relative if relative is not None else os.path.basename(os.path.abspath(path))


# --------------------------------------------------------------------------- per-file ignores


@lru_cache(maxsize=256)
def _compiled_per_file_ignores(entries: tuple[tuple[str, tuple[str, ...]], ...]) -> list[tuple[PatternList, bool, frozenset[str]]]:
    compiled = []
    for pattern, codes in entries:
        negated = pattern.startswith("!")
        compiled.append((compile_patterns([pattern[1:] if negated else pattern]), negated, frozenset(codes)))
    return compiled


def ignored_codes_for(path: Path, settings: Settings) -> frozenset[str]:
    """Rule-code prefixes (normalised, e.g. ``BDR1``, ``BDR002``; ``ALL`` is ``BDR``)
    that ``per-file-ignores`` turns off for ``path``.

    A finding's code is ignored when ``any(code.startswith(p) for p in result)``.
    Patterns are gitignore-style relative to ``project_root``: ``legacy/*.py`` matches
    ``legacy/old.py``, ``tests/`` everything under ``tests``, ``__init__.py`` that name
    anywhere; ``!pattern`` applies the codes to files that do *not* match."""
    if not settings.per_file_ignores:
        return frozenset()
    relative = path_for_patterns(path, settings)
    ignored: set[str] = set()
    for patterns, negated, codes in _compiled_per_file_ignores(settings.per_file_ignores):
        if patterns.matches_path(relative) != negated:
            ignored.update(codes)
    return frozenset(ignored)
