"""The migration fixture repository, tree comparisons and fault injection, for the migrate and codemod tests."""

from __future__ import annotations

import dataclasses
import difflib
import io
import re
import shutil
import stat
import tokenize
from pathlib import Path

from bedrock_lint.rules import registry
from bedrock_lint.rules.report import FixProposal, NodeEdit

ROOT = Path(__file__).resolve().parent.parent
MIGRATION_APP = ROOT / "fixtures" / "migration" / "app"
MIGRATION_EXPECTED = ROOT / "fixtures" / "migration" / "expected"
# An app on Claude 3.x models whose upgrades need request changes (issue 21, acceptance).
CLAUDE3_APP = ROOT / "fixtures" / "migration" / "claude3" / "app"
CLAUDE3_EXPECTED = ROOT / "fixtures" / "migration" / "claude3" / "expected"
TEMPORARY_FILE_SUFFIX = ".bedrock-lint.tmp"
DIFF_TARGET = re.compile(r"^\+\+\+ b/(.+)$", re.MULTILINE)


def copy_app(destination: Path, app: Path = MIGRATION_APP) -> Path:
    tree = destination / "app"
    shutil.copytree(app, tree)
    return tree


def tree_files(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``root``: relative path → (bytes, permission bits)."""
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), stat.S_IMODE(path.stat().st_mode))
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def tree_stats(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``root``: relative path → (bytes, modification time in ns)."""
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def diffed_files(diff: str) -> set[str]:
    """The files a unified diff from ``migrate`` changes."""
    return set(DIFF_TARGET.findall(diff))


def comments_in(text: str) -> list[str]:
    """The comments of Python text, in order."""
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return [token.string for token in tokens if token.type == tokenize.COMMENT]


def _lines_per_unit(source) -> dict[int | None, list[str]]:
    """A file's analysed text as lines: per code cell for notebooks (key: the cell),
    else under None."""
    if source.cells is None:
        return {None: source.text.splitlines()}
    return {span.cell: source.text[span.start_offset:span.end_offset].splitlines() for span in source.cells}


def lines_changed_outside_fixes(old, new, findings: list[dict]) -> dict[int | None, list[int]]:
    """Lines of ``old`` (per cell) that ``new`` changed or removed although no fix of
    ``findings`` (``check --format json`` objects for the file) covers them: a fix may
    touch its reported node and the ranges of its edits, nothing else."""
    editable: dict[int | None, set[int]] = {}
    for finding in findings:
        if finding["fix"] is None:
            continue
        lines = editable.setdefault(finding["cell"], set())
        lines.update(range(finding["line"], finding["end_line"] + 1))
        for edit in finding["fix"]["edits"]:
            lines.update(range(edit["location"]["line"], edit["end_location"]["line"] + 1))
    old_units, new_units = _lines_per_unit(old), _lines_per_unit(new)
    assert old_units.keys() == new_units.keys(), "the code cells differ"
    outside: dict[int | None, list[int]] = {}
    for cell, old_lines in old_units.items():
        matcher = difflib.SequenceMatcher(None, old_lines, new_units[cell], autojunk=False)
        for tag, start, end, _, _ in matcher.get_opcodes():
            if tag in ("replace", "delete"):
                stray = sorted(set(range(start + 1, end + 1)) - editable.get(cell, set()))
                if stray:
                    outside.setdefault(cell, []).extend(stray)
    return outside


def replace_fixes_of(monkeypatch, code: str, content) -> None:
    """Make rule ``code`` propose ``content(index, report)`` in place of each reported node."""
    rule = registry.get_rule(code)
    assert rule is not None and rule.check is not None
    real_check = rule.check

    def check_with_other_fixes(index, settings):
        for report in real_check(index, settings):
            if report.fix is not None:
                edit = NodeEdit("replace", report.node, content(index, report))
                report.fix = FixProposal(report.fix.applicability, report.fix.message, [edit])
            yield report

    monkeypatch.setitem(registry._RULES, code, dataclasses.replace(rule, check=check_with_other_fixes))
