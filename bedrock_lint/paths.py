"""Walking up the directory tree, with a memo shared across lookups."""

from __future__ import annotations

import os
from typing import Callable, TypeVar

T = TypeVar("T")


def nearest_upward(directory: str, memo: dict[str, T | None], find: Callable[[str], T | None]) -> T | None:
    """The first non-None ``find(d)`` for ``d`` = ``directory`` and then each parent up to
    the filesystem root.  Every directory visited is memoised with the answer, so a
    tree of many files costs one lookup per directory."""
    visited = []
    current = directory
    found: T | None = None
    while True:
        if current in memo:
            found = memo[current]
            break
        visited.append(current)
        found = find(current)
        if found is not None:
            break
        parent = os.path.dirname(current)
        if parent == current:  # filesystem root
            break
        current = parent
    for item in visited:
        memo[item] = found
    return found
