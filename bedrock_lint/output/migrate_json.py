"""``migrate --format json``: one JSON object describing the whole migration.

Other tools parse this, so it is a public interface: the keys, their order and their
types stay stable.  Lines and columns are 1-based, columns count characters, end
positions point just past the range; in notebooks lines are inside ``cell``.
Credentials are masked (first four characters kept) in every text::

    {"changes": [                # every fix applied (or, in a dry run, to apply)
        {"filename", "code", "name",
         "applicability",        # "safe" | "unsafe"
         "description",          # what the fix does
         "reason",               # the finding it fixes: why the code changed
         "round",                # 1: applied to the file as read; N: to the text after round N-1
         "cell", "line", "column",               # the finding, in that round's text
         "edits": [{"cell", "location": {"line", "column"}, "end_location": {"line", "column"},
                    "original",  # the text replaced (in that round's text)
                    "content"}]}],  # the text put in its place
     "skipped": [                # every finding whose fix was not applied
        {"filename", "code", "name",
         "reason",               # "no automatic fix", "no fix without SETTING",
                                 # "unsafe fix (--safe-only)", "the fixed code would not
                                 # parse or compile", "still fixable after 10 rounds",
                                 # "could not be written", …
         "setting",              # the setting that would give the finding a fix, or null
         "message", "cell", "line", "column"}],
     "summary": {
        "mode",                  # "dry run" | "write"
        "fixes", "files",        # applied (or to apply) fixes, and the files they change
        "rules": [{"code", "name", "files", "fixes", "skipped": [{"reason", "count"}]}],
        "unlock": [              # what would apply skipped fixes
            {"fixes", "codes",
             "kind",             # "setting" (of [tool.bedrock-lint]) | "option"
             "name",             # "profile-geography", "--safe-only", …
             "message"}]}}

Changes are in the order of the files (as ``check`` lists them), then by round and
position; skipped fixes by file, then position.  Per-file errors are not in the object:
they are printed to stderr, as with ``check --format json``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from bedrock_lint.output.report import rule_for
from bedrock_lint.rules.registry import Rule

if TYPE_CHECKING:
    from bedrock_lint.engine.change_report import AppliedChange, UnlockHint, WithheldFix


def render(
    changes: list[tuple[str, AppliedChange]],
    skipped: list[WithheldFix],
    unlock: list[UnlockHint],
    tallies: dict[str, tuple[int, int, dict[str, int]]],
    *,
    mode: str,
    rules: dict[str, Rule],
) -> str:
    """``changes``: (file name, change) in output order; ``skipped`` likewise;
    ``tallies``: per rule code, (files changed, fixes, skipped count per reason)."""
    document = {
        "changes": [change_object(filename, change, rules) for filename, change in changes],
        "skipped": [skipped_object(withheld, rules) for withheld in skipped],
        "summary": {
            "mode": mode,
            "fixes": len(changes),
            "files": len({filename for filename, _ in changes}),
            "rules": [
                {
                    "code": code,
                    "name": rule_for(code, rules).name,
                    "files": files,
                    "fixes": fixes,
                    "skipped": [{"reason": reason, "count": count} for reason, count in sorted(reasons.items())],
                }
                for code, (files, fixes, reasons) in sorted(tallies.items())
            ],
            "unlock": [
                {"fixes": hint.fixes, "codes": list(hint.codes), "kind": hint.kind, "name": hint.name, "message": hint.message}
                for hint in unlock
            ],
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def change_object(filename: str, change: AppliedChange, rules: dict[str, Rule]) -> dict[str, Any]:
    return {
        "filename": filename,
        "code": change.code,
        "name": rule_for(change.code, rules).name,
        "applicability": change.applicability,
        "description": change.description,
        "reason": change.reason,
        "round": change.round,
        "cell": change.cell,
        "line": change.line,
        "column": change.column,
        "edits": [
            {
                "cell": edit.cell,
                "location": {"line": edit.line, "column": edit.column},
                "end_location": {"line": edit.end_line, "column": edit.end_column},
                "original": edit.original,
                "content": edit.content,
            }
            for edit in change.edits
        ],
    }


def skipped_object(withheld: WithheldFix, rules: dict[str, Rule]) -> dict[str, Any]:
    return {
        "filename": withheld.filename,
        "code": withheld.code,
        "name": rule_for(withheld.code, rules).name,
        "reason": withheld.reason,
        "setting": withheld.setting,
        "message": withheld.message,
        "cell": withheld.cell,
        "line": withheld.line,
        "column": withheld.column,
    }
