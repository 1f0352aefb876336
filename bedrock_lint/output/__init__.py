"""Render the findings of a run in one of the output formats.

The engine builds one :class:`FileReport` per checked file and calls :func:`render`,
which returns the whole output as one string (ending in a newline when not empty).
Rendering never reads files: everything a format needs is in the reports.

Per-file errors (unreadable file, bad encoding...) are part of the output of the
``text``, ``concise``, ``github``, ``sarif`` and ``junit`` formats. The ``json`` and
``gitlab`` arrays hold findings only, so with those formats the engine prints the
errors to stderr.

Run errors (an invalid configuration file, an internal error) leave the run incomplete:
the engine prints them to stderr and exits 2, and no format may say the run passed.
"""

from __future__ import annotations

import os
from typing import IO, Sequence

from bedrock_lint.output.report import (
    FileReport,
    OffsetToPosition,
    fix_is_applicable,
    offset_to_position_for_text,
    rule_for,
    severity_of,
)
from bedrock_lint.rules.registry import Rule

# The names other modules import from ``bedrock_lint.output``.
__all__ = [
    "FORMATS", "FileReport", "OffsetToPosition", "color_wanted", "fix_is_applicable",
    "offset_to_position_for_text", "render", "rule_for", "severity_of",
]

FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit")

def color_wanted(when: str, stream: IO[str] | None) -> bool:
    """``--color``: ``always``, ``never`` or ``auto``: colour only on a terminal, never
    with ``NO_COLOR`` set (https://no-color.org), always with ``FORCE_COLOR`` set.
    ``stream`` None: the report goes to a file."""
    if when != "auto":
        return when == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if stream is None:
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def render(
    reports: list[FileReport],
    fmt: str,
    *,
    rules: dict[str, Rule],
    show_source: bool = True,
    unsafe_fixes: bool = False,
    statistics: bool = False,
    show_fixes: bool = False,
    show_summary: bool = True,
    run_errors: Sequence[str] = (),
    color: bool = False,
) -> str:
    """The output of a run in format ``fmt`` (one of :data:`FORMATS`).

    ``rules`` maps every rule code to its Rule (SARIF lists them all).
    ``show_source`` and ``show_fixes`` apply to ``text``; ``statistics`` replaces
    the findings of ``text`` and ``concise`` with a count per rule; ``unsafe_fixes``
    decides which fixes count as available (the ``[*]`` marker and the summary);
    ``show_summary=False`` (``--quiet``) leaves out the closing summary of ``text`` and
    ``concise``.  ``run_errors``: messages of errors outside the reports; ``text`` and
    ``concise`` then print no "All checks passed!", ``sarif`` marks the run as not
    successful and lists them, ``github`` annotates them.  ``color``: ANSI colours in
    ``text`` and ``concise`` (see :func:`color_wanted`); the machine formats never have any.
    """
    if fmt in ("text", "concise"):
        from bedrock_lint.output import text

        return text.render(
            reports,
            rules=rules,
            full=fmt == "text" and show_source,
            unsafe_fixes=unsafe_fixes,
            statistics=statistics,
            show_fixes=show_fixes,
            show_summary=show_summary,
            run_failed=bool(run_errors),
            color=color,
        )
    if fmt == "json":
        from bedrock_lint.output import json_format

        return json_format.render(reports, rules=rules)
    if fmt == "sarif":
        from bedrock_lint.output import sarif

        return sarif.render(reports, rules=rules, run_errors=run_errors)
    if fmt == "github":
        from bedrock_lint.output import github

        return github.render(reports, rules=rules, run_errors=run_errors)
    if fmt == "gitlab":
        from bedrock_lint.output import gitlab

        return gitlab.render(reports, rules=rules)
    if fmt == "junit":
        from bedrock_lint.output import junit

        return junit.render(reports, rules=rules, run_errors=run_errors)
    raise ValueError(f"unknown output format {fmt!r}; expected one of {', '.join(FORMATS)}")
