"""Configuration: ``[tool.bedrock-lint]`` in ``pyproject.toml`` or a ``bedrock-lint.toml``.

The nearest configuration file upward from each checked path applies (as in ruff); in
one directory ``bedrock-lint.toml`` wins over ``pyproject.toml``, and a pyproject
without a ``[tool.bedrock-lint]`` table is skipped.  Every error names the file and the
key, and is a usage error (exit 2).
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from bedrock_lint.rules.selection import UnknownRuleCodeError, validate_selectors
from bedrock_lint.settings import RETRY_MODES, RULE_OPTIONS, Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10
    import tomli as tomllib

CONFIG_FILE_NAMES = ("bedrock-lint.toml", "pyproject.toml")
SELECTION_KEYS = ("select", "extend-select", "ignore")
LIST_KEYS = ("exclude", "extend-exclude")
GEOGRAPHIES = ("us", "eu", "apac", "jp", "au", "global", "us-gov")
KNOWN_KEYS = (*SELECTION_KEYS, "per-file-ignores", *LIST_KEYS, "respect-gitignore", *RULE_OPTIONS)


class ConfigError(Exception):
    pass


def _table_of(path: Path, data: dict) -> dict | None:
    """The bedrock-lint settings table of a parsed file, or None if it has none."""
    tool = data.get("tool")
    table = tool.get("bedrock-lint") if isinstance(tool, dict) else None
    if path.name == "pyproject.toml":
        return table
    # bedrock-lint.toml, or any file given with --config: top-level keys, or the table.
    if table is not None:
        return table
    return {k: v for k, v in data.items() if k != "tool"}


def _read_toml(path: Path) -> dict:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8: {error}") from None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        if "end of document" in message:
            last_line = raw.count(b"\n") + 1
            message = message.replace("end of document", f"end of document, line {last_line}")
        raise ConfigError(f"{path}: invalid TOML: {message}") from None


def load_config_file(path: Path) -> Settings:
    """Parse and validate one configuration file (an empty table gives defaults)."""
    table = _table_of(path, _read_toml(path))
    return _settings_from_table(path, table or {})


def _where(path: Path) -> str:
    return f"{path}: [tool.bedrock-lint]" if path.name == "pyproject.toml" else f"{path}:"


def _settings_from_table(path: Path, table: dict[str, Any]) -> Settings:
    where = _where(path)
    changes: dict[str, Any] = {"config_file": str(path), "project_root": str(path.parent)}
    for key, value in table.items():
        if key not in KNOWN_KEYS:
            close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"{where} unknown key '{key}'{hint}")
        if key in SELECTION_KEYS:
            codes = _string_list(where, key, value)
            try:
                changes[key.replace("-", "_")] = tuple(validate_selectors(codes))
            except UnknownRuleCodeError as error:
                raise ConfigError(f"{where} {key}: unknown rule code '{error}'") from None
        elif key in LIST_KEYS:
            changes[key.replace("-", "_")] = tuple(_string_list(where, key, value))
        elif key == "per-file-ignores":
            changes["per_file_ignores"] = _per_file_ignores(where, value)
        elif key == "respect-gitignore":
            if not isinstance(value, bool):
                raise ConfigError(f"{where} 'respect-gitignore' must be true or false, got {_type_name(value)}")
            changes["respect_gitignore"] = value
        else:
            attribute, expected, _ = RULE_OPTIONS[key]
            changes[attribute] = _rule_option(path, where, key, value, expected)
    return replace(Settings(), **changes)


def _type_name(value: object) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list", dict: "a table"}.get(
        type(value), type(value).__name__
    )


def _string_list(where: str, key: str, value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where} '{key}' must be a list of strings, got {_type_name(value)}")
    return value


def _per_file_ignores(where: str, value: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} 'per-file-ignores' must be a table of glob = [codes], got {_type_name(value)}")
    result = []
    for pattern, codes in value.items():
        codes = _string_list(where, f"per-file-ignores.{pattern}", codes)
        try:
            result.append((pattern, tuple(validate_selectors(codes))))
        except UnknownRuleCodeError as error:
            raise ConfigError(f"{where} per-file-ignores.\"{pattern}\": unknown rule code '{error}'") from None
    return tuple(result)


def _rule_option(path: Path, where: str, key: str, value: object, expected: type | tuple[type, ...]) -> object:
    types = expected if isinstance(expected, tuple) else (expected,)
    if isinstance(value, bool) and bool not in types or not isinstance(value, types):
        wanted = " or ".join(sorted({_type_name(t()) if t is not type(None) else "unset" for t in types}))
        raise ConfigError(f"{where} '{key}' must be {wanted}, got {_type_name(value)}")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value <= 0:
        raise ConfigError(f"{where} '{key}' must be greater than 0, got {value}")
    if key == "retry-mode" and value not in RETRY_MODES:
        raise ConfigError(f"{where} 'retry-mode' must be one of {', '.join(RETRY_MODES)}, got '{value}'")
    if key == "profile-geography" and value not in GEOGRAPHIES:
        raise ConfigError(f"{where} 'profile-geography' must be one of {', '.join(GEOGRAPHIES)}, got '{value}'")
    if key == "catalog":
        catalog = (path.parent / str(value)).resolve()
        if not catalog.is_file():
            raise ConfigError(f"{where} 'catalog': no such file {catalog}")
        return str(catalog)
    return value


def apply_cli_overrides(
    settings: Settings,
    *,
    select: list[str] | None = None,
    extend_select: list[str] | None = None,
    ignore: list[str] | None = None,
) -> Settings:
    """Command-line selection on top of a file's settings: ``--select`` replaces the
    configured selection; ``--extend-select`` and ``--ignore`` add to it."""
    changes: dict[str, tuple[str, ...]] = {}
    for option, values in (("--select", select), ("--extend-select", extend_select), ("--ignore", ignore)):
        if values is None:
            continue
        try:
            validated = tuple(validate_selectors(values))
        except UnknownRuleCodeError as error:
            raise ConfigError(f"{option}: unknown rule code '{error}'") from None
        if option == "--select":
            changes["select"] = validated
        elif option == "--extend-select":
            changes["extend_select"] = settings.extend_select + validated
        else:
            changes["ignore"] = settings.ignore + validated
    return replace(settings, **changes) if changes else settings


class SettingsResolver:
    """Finds and caches the settings for each checked path."""

    def __init__(self, *, config_file: Path | None = None, cli_overrides: dict | None = None, cwd: Path | None = None) -> None:
        self.cwd = (cwd or Path.cwd()).resolve()
        self.overrides = {k: v for k, v in (cli_overrides or {}).items() if v is not None}
        self._by_directory: dict[Path, Settings] = {}
        self._by_file: dict[Path | None, Settings] = {}
        self._fixed: Settings | None = None
        # Validate command-line codes up front, even if no file is checked.
        apply_cli_overrides(Settings(), **self.overrides)
        if config_file is not None:
            path = config_file.resolve()
            self._fixed = apply_cli_overrides(load_config_file(path), **self.overrides)

    def settings_for(self, path: Path) -> Settings:
        if self._fixed is not None:
            return self._fixed
        absolute = (self.cwd / path).resolve() if not path.is_absolute() else path
        directory = absolute if absolute.is_dir() else absolute.parent
        return self._settings_for_directory(directory)

    def _settings_for_directory(self, directory: Path) -> Settings:
        visited = []
        current: Path | None = directory
        found: Settings | None = None
        while current is not None:
            if current in self._by_directory:
                found = self._by_directory[current]
                break
            visited.append(current)
            config = self._config_in(current)
            if config is not None:
                found = self._load(config)
                break
            parent = current.parent
            current = parent if parent != current else None
        if found is None:
            found = self._load(None)
        for item in visited:
            self._by_directory[item] = found
        return found

    @staticmethod
    def _config_in(directory: Path) -> Path | None:
        for name in CONFIG_FILE_NAMES:
            candidate = directory / name
            if candidate.is_file():
                if name == "pyproject.toml" and _table_of(candidate, _read_toml(candidate)) is None:
                    continue
                return candidate
        return None

    def _load(self, config: Path | None) -> Settings:
        if config not in self._by_file:
            base = load_config_file(config) if config is not None else replace(Settings(), project_root=str(self.cwd))
            self._by_file[config] = apply_cli_overrides(base, **self.overrides)
        return self._by_file[config]


def ignored_codes_for(path: Path, settings: Settings) -> frozenset[str]:
    """Code prefixes that ``per-file-ignores`` turns off for ``path``."""
    if not settings.per_file_ignores:
        return frozenset()
    import pathspec

    root = Path(settings.project_root)
    try:
        relative = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        relative = path.as_posix()
    ignored: set[str] = set()
    for pattern, codes in settings.per_file_ignores:
        if pathspec.GitIgnoreSpec.from_lines([pattern]).match_file(relative) or Path(relative).match(pattern):
            ignored.update(codes)
    return frozenset(ignored)
