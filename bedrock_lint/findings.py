"""What the engine reports: findings with resolved positions, and the fixes attached to them."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Applicability(str, enum.Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, order=True)
class TextEdit:
    """Replace source[start:end] with ``content``; offsets are character offsets into the text."""

    start: int
    end: int
    content: str


@dataclass(frozen=True)
class Fix:
    applicability: Applicability
    message: str
    edits: tuple[TextEdit, ...]


@dataclass(frozen=True)
class Position:
    """1-based line and column (characters)."""

    line: int
    column: int


@dataclass(frozen=True)
class RelatedLocation:
    """Another place a finding is about: where a value it judges is defined in another
    module of the project (SARIF ``relatedLocations``).  ``path`` is absolute."""

    path: str
    line: int
    message: str


@dataclass
class Finding:
    code: str
    message: str
    start: Position
    end: Position
    fix: Fix | None = None
    # Notebook cell (1-based); positions are then inside the cell.
    cell: int | None = None
    # Character offsets in the analysed text, used for noqa and fixes.
    start_offset: int = 0
    end_offset: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    # When the finding is less severe than its rule (a fact the catalog marks uncertain).
    severity: Severity | None = None
    # No fix because this setting (``profile-geography`` …) is not set; with it the rule
    # would offer one.  ``migrate`` tells the user which setting unlocks which fixes.
    fix_needs_setting: str | None = None
    # Where the values it judges come from, when another module defines them.
    related: tuple[RelatedLocation, ...] = ()

    @property
    def sort_key(self) -> tuple:
        return (self.cell or 0, self.start.line, self.start.column, self.code)


NOT_CHECKED_CODE = "BDR000"


def not_checked(reason: str) -> Finding:
    """One diagnostic at the top of a file bedrock-lint could not (fully) check (a
    timeout, an internal error): an editor shows it like any finding and goes on."""
    return Finding(NOT_CHECKED_CODE, f"bedrock-lint could not check this file: {reason}", Position(1, 1), Position(1, 1))
