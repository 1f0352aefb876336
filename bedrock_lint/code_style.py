"""The project's line length, as its formatter and linters are configured.

Lines that fixes write are wrapped to it (fixes/wrapping.py).  Read from the nearest
directory (the file's, then upward) that configures one of: ruff (``ruff.toml``,
``.ruff.toml``, ``[tool.ruff]`` in ``pyproject.toml``: ``line-length``), black
(``[tool.black] line-length``) or flake8 (``max-line-length`` in ``[flake8]`` of
``.flake8``, ``setup.cfg`` or ``tox.ini``).  When that directory configures several,
the smallest length wins, so the fixed code passes each of them.  Default: 88, ruff's
and black's.
"""

from __future__ import annotations

import os

from bedrock_lint.settings import DEFAULT_LINE_LENGTH

_FLAKE8_FILES = (".flake8", "setup.cfg", "tox.ini")
_RUFF_FILES = ("ruff.toml", ".ruff.toml")


def _toml_loads(text: str) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}


def _read(path: str) -> str | None:
    if not os.path.isfile(path):  # a stat, not an open, for the many directories without one
        return None
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError):
        return None


def _positive_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and value > 0 else None


def lengths_configured_in(directory: str) -> list[int]:
    """The line lengths the configuration files of ``directory`` set."""
    found: list[int | None] = []
    for name in _RUFF_FILES:
        text = _read(os.path.join(directory, name))
        if text is not None:
            found.append(_positive_int(_toml_loads(text).get("line-length")))
    text = _read(os.path.join(directory, "pyproject.toml"))
    if text is not None and ("line-length" in text or "line_length" in text):
        tool = _toml_loads(text).get("tool")
        if isinstance(tool, dict):
            for section in ("ruff", "black"):
                table = tool.get(section)
                if isinstance(table, dict):
                    found.append(_positive_int(table.get("line-length")))
    for name in _FLAKE8_FILES:
        text = _read(os.path.join(directory, name))
        if text is None or "max" not in text:
            continue
        import configparser

        parser = configparser.RawConfigParser()
        try:
            parser.read_string(text)
        except configparser.Error:
            continue
        if parser.has_section("flake8"):
            for key in ("max-line-length", "max_line_length"):
                if parser.has_option("flake8", key):
                    found.append(_positive_int(parser.get("flake8", key)))
    return [length for length in found if length is not None]


class LineLengths:
    """The line length for each directory, looked up once per directory."""

    def __init__(self) -> None:
        self._by_directory: dict[str, int] = {}

    def for_directory(self, directory: str) -> int:
        directory = os.path.abspath(directory)
        known = self._by_directory.get(directory)
        if known is not None:
            return known
        lengths = lengths_configured_in(directory)
        if lengths:
            length = min(lengths)
        else:
            parent = os.path.dirname(directory)
            length = DEFAULT_LINE_LENGTH if parent == directory else self.for_directory(parent)
        self._by_directory[directory] = length
        return length
