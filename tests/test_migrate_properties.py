"""Property test: generated variants of the Bedrock fixtures (renamed variables,
reordered keyword arguments, added comments, other line endings, a byte order mark,
file modes) go through ``migrate --write``; the result parses, keeps its encoding,
mode, comments and the lines outside the fixed nodes, a second run changes nothing,
and ``check`` afterwards reports no finding of a fixed rule that a fix could have
removed.

The examples are derandomized and bounded, so the test is the same on every run."""

from __future__ import annotations

import json
import random
import re
import stat
import tempfile
from collections import Counter
from pathlib import Path

import libcst as cst
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bedrock_lint.engine.source import UTF8_BOM, read_source, source_from_bytes
from bedrock_lint.fixes.applier import compiles
from tests.cli_runner import run
from tests.migration_support import ROOT, comments_in, lines_changed_outside_fixes

SEED_FILES = sorted(
    path
    for path in (ROOT / "fixtures").rglob("*.py")
    if "expected" not in path.relative_to(ROOT / "fixtures").parts and not path.name.endswith(".fixed.py")
)
COMMENTS = ("# reviewed", "# TODO: tune for production", "# keep in sync with the infra repo", "#: note")
SUMMARY_ROW = re.compile(r"^(BDR\d{3})\s+\S+\s+(\d+)\s+(\d+)\s", re.MULTILINE)


class Variant(cst.CSTTransformer):
    """Renames assigned variables, reorders keyword arguments and adds comments, each
    where ``chooser`` says so.  Meaning is kept: only plain variables are renamed (never
    imports, functions, classes, parameters, attributes or keywords)."""

    def __init__(self, module: cst.Module, chooser: random.Random) -> None:
        self.chooser = chooser
        assigned, other = _bound_names(module)
        candidates = sorted(assigned - other)
        self.renames = {name: f"{name}_renamed" for name in candidates if chooser.random() < 0.5}

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        return updated.with_changes(value=self.renames.get(updated.value, updated.value))

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        return updated.with_changes(attr=original.attr)

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:
        updated = updated.with_changes(keyword=original.keyword)
        comma = updated.comma
        if (
            isinstance(comma, cst.Comma)
            and isinstance(comma.whitespace_after, cst.ParenthesizedWhitespace)
            and comma.whitespace_after.first_line.comment is None
            and self.chooser.random() < 0.3
        ):
            first_line = comma.whitespace_after.first_line.with_changes(
                whitespace=cst.SimpleWhitespace("  "), comment=cst.Comment(self.chooser.choice(COMMENTS))
            )
            updated = updated.with_changes(comma=comma.with_changes(whitespace_after=comma.whitespace_after.with_changes(first_line=first_line)))
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        slots = [position for position, argument in enumerate(updated.args) if argument.keyword is not None]
        if len(slots) < 2 or self.chooser.random() < 0.4:
            return updated
        moved = [(updated.args[p].keyword, updated.args[p].equal, updated.args[p].value) for p in slots]
        self.chooser.shuffle(moved)
        arguments = list(updated.args)
        for position, (keyword, equal, value) in zip(slots, moved):
            arguments[position] = arguments[position].with_changes(keyword=keyword, equal=equal, value=value)
        return updated.with_changes(args=arguments)

    def leave_SimpleStatementLine(self, original, updated):
        if self.chooser.random() < 0.2:
            comment = cst.EmptyLine(indent=True, comment=cst.Comment(self.chooser.choice(COMMENTS)))
            updated = updated.with_changes(leading_lines=[*updated.leading_lines, comment])
        if updated.trailing_whitespace.comment is None and self.chooser.random() < 0.2:
            updated = updated.with_changes(
                trailing_whitespace=updated.trailing_whitespace.with_changes(
                    whitespace=cst.SimpleWhitespace("  "), comment=cst.Comment(self.chooser.choice(COMMENTS))
                )
            )
        return updated


def _bound_names(module: cst.Module) -> tuple[set[str], set[str]]:
    """(names bound by plain assignment, names bound any other way or used as keywords)."""
    assigned: set[str] = set()
    other: set[str] = set()

    class Collector(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            if isinstance(node.target, cst.Name):
                assigned.add(node.target.value)

        def visit_Import(self, node: cst.Import) -> None:
            for alias in node.names:
                other.add(cst.Module([]).code_for_node(alias.asname.name if alias.asname else alias.name).split(".")[0])

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            if not isinstance(node.names, cst.ImportStar):
                for alias in node.names:
                    other.add(cst.Module([]).code_for_node(alias.asname.name if alias.asname else alias.name))

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            other.add(node.name.value)

        def visit_ClassDef(self, node: cst.ClassDef) -> None:
            other.add(node.name.value)

        def visit_Param(self, node: cst.Param) -> None:
            other.add(node.name.value)

        def visit_Arg(self, node: cst.Arg) -> None:
            if node.keyword is not None:
                other.add(node.keyword.value)

        def visit_Global(self, node: cst.Global) -> None:
            other.update(item.name.value for item in node.names)

        def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
            other.update(item.name.value for item in node.names)

    module.visit(Collector())
    return assigned, other


def make_variant(raw: bytes, name: str, chooser: random.Random, crlf: bool, bom: bool) -> bytes:
    source = source_from_bytes(raw, name)
    module = cst.parse_module(source.text)
    text = module.visit(Variant(module, chooser)).code
    if crlf and "\r" not in text:
        text = text.replace("\n", "\r\n")
    data = text.encode(source.encoding)
    if source.bom or (bom and source.encoding == "utf-8" and not text.startswith("#!")):
        data = UTF8_BOM + data
    return data


def _findings(directory: Path, codes: str) -> list[dict]:
    result = run("check", "--no-cache", "--format", "json", "--select", codes, ".", cwd=directory)
    return json.loads(result.stdout)


@settings(max_examples=30, derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed_file=st.sampled_from(SEED_FILES),
    chooser=st.randoms(use_true_random=False),
    crlf=st.booleans(),
    bom=st.booleans(),
    mode=st.sampled_from([0o644, 0o600, 0o755]),
)
def test_migrate_on_generated_variants(seed_file, chooser, crlf, bom, mode):
    variant = make_variant(seed_file.read_bytes(), seed_file.name, chooser, crlf, bom)
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        path = directory / seed_file.name
        path.write_bytes(variant)
        path.chmod(mode)
        written_at = path.stat().st_mtime_ns
        before = _findings(directory, "ALL")

        first = run("migrate", "--write", "--select", "ALL", ".", cwd=directory)
        assert first.exit_code in (0, 1), first.stderr
        assert "internal error" not in first.stderr, first.stderr
        fixed_codes = sorted(code for code, _, fixes in SUMMARY_ROW.findall(first.stderr) if int(fixes) > 0)
        assert (first.exit_code == 1) == bool(fixed_codes) == (path.read_bytes() != variant)
        if not fixed_codes:
            assert path.stat().st_mtime_ns == written_at  # not rewritten

        original = source_from_bytes(variant, path.name)
        fixed = read_source(path, path.name)
        cst.parse_module(fixed.text)
        if compiles(original.text):
            assert compiles(fixed.text)
        assert (fixed.encoding, fixed.bom) == (original.encoding, original.bom)
        assert stat.S_IMODE(path.stat().st_mode) == mode
        if crlf:
            assert "\n" not in fixed.text.replace("\r\n", "")
        # Every comment, the added ones included, is still there; no line outside the
        # fixed nodes changed.
        assert not Counter(comments_in(original.text)) - Counter(comments_in(fixed.text))
        assert lines_changed_outside_fixes(original, fixed, before) == {}

        settled = path.read_bytes()
        second = run("migrate", "--write", "--select", "ALL", ".", cwd=directory)
        assert second.exit_code == 0, second.stderr
        assert path.read_bytes() == settled

        if fixed_codes:
            # Left of the fixed rules: only findings that had no fix to begin with.
            after = _findings(directory, ",".join(fixed_codes))
            assert all(finding["fix"] is None for finding in after), after
            # Counted per rule: a message may change with other fixes (a successor's
            # advice once the region is read from the environment), not the number.
            unfixable_before = Counter(f["code"] for f in before if f["fix"] is None)
            assert not Counter(f["code"] for f in after) - unfixable_before
