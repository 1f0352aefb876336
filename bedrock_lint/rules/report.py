"""What a rule returns: a report on a node, optionally with a fix made of node edits.

Rules never compute positions; the engine turns node references into offsets in one
pass (``analysis.positions``) for all reports of a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import libcst as cst

from bedrock_lint.findings import Applicability, RelatedLocation, Severity

EditKind = Literal["replace", "insert_before", "insert_after", "add_import"]


@dataclass(frozen=True, eq=False)
class NodeEdit:
    """``replace``: the node's full text becomes ``content``; ``insert_before`` /
    ``insert_after``: ``content`` goes right before/after the node's syntactic range;
    ``add_import``: ``content`` is an import statement added to the module's import
    block (node is None); identical imports are added once."""

    kind: EditKind
    node: cst.CSTNode | None
    content: str
    # For "replace": a node to render in place of ``node`` (instead of ``content``).
    replacement: cst.CSTNode | None = None


@dataclass(eq=False)
class FixProposal:
    applicability: Applicability
    message: str
    edits: list[NodeEdit]


@dataclass(eq=False)
class Report:
    code: str
    node: cst.CSTNode
    message: str
    fix: FixProposal | None = None
    # Overrides the rule's severity for this finding (an uncertain fact is never an error).
    severity: Severity | None = None
    # No fix is offered because this setting is not set (``Finding.fix_needs_setting``).
    fix_needs_setting: str | None = None
    # Where values the report judges are defined in other modules (``Finding.related``);
    # the engine adds the definition of an imported value the report is shown at.
    related: tuple[RelatedLocation, ...] = ()


# A message states the problem and the fix in one line of at most this many characters;
# the why, the numbers and the sources are in the rule's documentation.
MESSAGE_WIDTH = 120


def fitting(*messages: str) -> str:
    """The first of ``messages`` (fullest wording first) that fits in MESSAGE_WIDTH
    characters, or else the last, shortest one."""
    for message in messages:
        if len(message) <= MESSAGE_WIDTH:
            return message
    return messages[-1]
