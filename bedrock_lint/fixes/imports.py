"""Where an import that a fix adds goes, and how it is written.

An added import goes where ruff's isort (``I001``, default settings) would put it: in
the file's first import block that comes before the name's first use, in its section
(future, standard library, third party, first party, local folder; a blank line
between sections), ``import x`` before ``from x import y``, each in module order; a
name from a module the block already imports from joins that ``from`` import, the
names in isort's order (constants, classes, then the rest).  Without such a block the
import goes at the top, before the first statement after the docstring.

In a notebook each code cell runs on its own, in cell order, and a first cell that
installs packages and restarts the kernel loses what it imported: the import goes into
the first code cell with an import block that neither installs packages nor restarts
the kernel, never after the cell of the name's first use; without one, at the top of
the cell of first use.

Nothing here reads or writes files other than looking whether a directory of the
project holds a module of a given name (isort's first-party test).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

import libcst as cst

from bedrock_lint.analysis.walk import dotted_name
from bedrock_lint.findings import TextEdit

if TYPE_CHECKING:
    from bedrock_lint.analysis.positions import NodeOffsets
    from bedrock_lint.engine.source import SourceFile

FUTURE, STANDARD_LIBRARY, THIRD_PARTY, FIRST_PARTY, LOCAL_FOLDER = range(5)

_ADDED_IMPORT = re.compile(
    r"^(?:from\s+(?P<from_module>[\w.]+)\s+import\s+(?P<name>\w+)(?:\s+as\s+(?P<name_alias>\w+))?"
    r"|import\s+(?P<module>[\w.]+)(?:\s+as\s+(?P<module_alias>\w+))?)$"
)
# A cell that installs packages (the kernel must restart to see them) or restarts or
# stops the kernel itself: what it imported is gone by the time later cells run.
_INSTALLS_OR_RESTARTS = re.compile(
    r"^\s*[%!]\s*(?:pip3?|conda|mamba|micromamba|uv)\b"
    r"|\b(?:pip3?|conda|mamba|uv)\s+(?:-\S+\s+)*install\b"
    r"|[\"']pip[\"']\s*,\s*[\"']install[\"']"
    r"|\bdo_shutdown\s*\("
    r"|\bos\._exit\s*\("
    r"|\bkernel\.restart\w*\s*\(",
    re.MULTILINE,
)
_DIGITS = re.compile(r"(\d+)")
_VERTICAL_INDENT = "    "  # isort's wrapped ``from`` import: one name a line, four spaces


@dataclass(frozen=True)
class AddedImport:
    """An import a fix needs: ``import module [as alias]`` or ``from module import name [as alias]``."""

    module: str
    name: str | None = None
    alias: str | None = None

    @classmethod
    def parse(cls, statement: str) -> "AddedImport":
        match = _ADDED_IMPORT.match(statement.strip())
        if match is None:
            raise ValueError(f"not a simple import statement: {statement!r}")
        if match.group("from_module"):
            return cls(match.group("from_module"), match.group("name"), match.group("name_alias"))
        return cls(match.group("module"), None, match.group("module_alias"))

    def code(self) -> str:
        alias = f" as {self.alias}" if self.alias else ""
        return f"import {self.module}{alias}" if self.name is None else f"from {self.module} import {self.name}{alias}"


@dataclass(frozen=True)
class _ImportLine:
    """One top-level statement line that only imports."""

    statement: cst.SimpleStatementLine
    start: int  # offset of the statement (its first character)
    end: int  # offset where its code ends (before a trailing comment and the line break)
    line_end: int  # offset of the line break after it
    section: int
    key: tuple


class FirstParty:
    """isort's first-party test: a module whose top-level package is a directory or
    ``.py`` file of the project root (or its ``src`` folder: ruff's default ``src``)."""

    def __init__(self, project_root: Path | str | None) -> None:
        root = Path(project_root) if project_root else None
        self._roots = [root, root / "src"] if root is not None else []
        self._known: dict[str, bool] = {}

    def __call__(self, top_level: str) -> bool:
        if top_level not in self._known:
            self._known[top_level] = any(
                (root / top_level).is_dir() or (root / f"{top_level}.py").is_file() for root in self._roots
            )
        return self._known[top_level]


def section_of(module: str, level: int, first_party: Callable[[str], bool]) -> int:
    if level > 0:
        return LOCAL_FOLDER
    top_level = module.split(".", 1)[0]
    if top_level == "__future__":
        return FUTURE
    if top_level in sys.stdlib_module_names:
        return STANDARD_LIBRARY
    return FIRST_PARTY if first_party(top_level) else THIRD_PARTY


def _natural(text: str) -> tuple:
    """isort's natural order, ignoring case: ``x2`` before ``x10``."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(text.lower()))


def _module_key(is_from: bool, level: int, module: str, first: str = "", first_alias: str = "") -> tuple:
    # ``import x`` lines before ``from x import y`` lines; relative imports furthest
    # first; then by module, then by the first name imported and its alias.
    return (is_from, -level, _natural(module), module, _natural(first), first, first_alias)


def _member_key(name: str) -> tuple:
    """isort's order-by-type: CONSTANTS, then Classes, then the rest."""
    if len(name) > 1 and name.isupper():
        kind = 0
    elif name[:1].isupper():
        kind = 1
    else:
        kind = 2
    return (kind, _natural(name), name)


def locatable_nodes(module: cst.Module) -> list[cst.CSTNode]:
    """The nodes whose offsets :func:`import_edit` needs (give them to ``NodeOffsets``)."""
    nodes: list[cst.CSTNode] = []
    for statement in module.body:
        nodes.append(statement)
        if isinstance(statement, cst.SimpleStatementLine):
            nodes.append(statement.body[-1])
    return nodes


def _dotted(node: cst.BaseExpression | None) -> str:
    return (dotted_name(node) or "") if node is not None else ""


def _is_import_line(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
    )


def _line_key(small: cst.Import | cst.ImportFrom, first_party: Callable[[str], bool]) -> tuple[int, tuple]:
    if isinstance(small, cst.Import):
        module = _dotted(small.names[0].name)
        alias = small.names[0].asname
        first = _dotted(alias.name) if alias is not None else ""  # type: ignore[arg-type]
        return section_of(module, 0, first_party), _module_key(False, 0, module, first)
    level = len(small.relative)
    module = _dotted(small.module)
    if isinstance(small.names, cst.ImportStar):
        return section_of(module, level, first_party), _module_key(True, level, module)
    first = small.names[0]
    alias = _dotted(first.asname.name) if first.asname is not None else ""  # type: ignore[arg-type]
    return section_of(module, level, first_party), _module_key(True, level, module, _dotted(first.name), alias)  # type: ignore[arg-type]


def line_end(text: str, offset: int) -> int:
    """The offset of the line break ending the line of ``offset`` (or the text's end)."""
    found = [position for position in (text.find("\n", offset), text.find("\r", offset)) if position >= 0]
    return min(found) if found else len(text)


def line_start(text: str, offset: int) -> int:
    """The offset where the line of ``offset`` starts."""
    return max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1


@dataclass
class _Place:
    """A run of top-level statements that a new import may join: a module, or a cell."""

    statements: list[tuple[cst.BaseStatement, int]]  # (statement, start offset), in order
    skip_docstring: bool


def import_edit(
    wanted: AddedImport,
    first_use: int,
    module: cst.Module,
    text: str,
    offsets: "NodeOffsets",
    *,
    source: "SourceFile | None" = None,
    first_party: Callable[[str], bool] = lambda top_level: False,
    line_length: int = 88,
) -> TextEdit:
    """The edit that adds ``wanted`` to the file, for a name first used at ``first_use``."""
    newline = module.default_newline
    statements = [(statement, offsets.syntactic(statement)[0]) for statement in module.body]
    place = _place_for(statements, first_use, text, source)
    block = _first_block(place, first_use, text, offsets, first_party)
    if not block:
        return _at_top(place, wanted, newline, text, offsets)
    section = section_of(wanted.module, 0, first_party)
    merged = _merged_into_from_import(block, wanted, offsets, section, line_length, newline, text)
    if merged is not None:
        return merged
    code = wanted.code()
    if wanted.name is None:
        key = _module_key(False, 0, wanted.module, wanted.alias or "")
    else:
        key = _module_key(True, 0, wanted.module, wanted.name, wanted.alias or "")
    same_section = [line for line in block if line.section == section]
    if same_section:
        after = next((line for line in same_section if line.key > key), None)
        if after is not None:
            return TextEdit(after.start, after.start, code + newline)
        return TextEdit(same_section[-1].line_end, same_section[-1].line_end, newline + code)
    before = [line for line in block if line.section < section]
    if before:
        return TextEdit(before[-1].line_end, before[-1].line_end, newline + newline + code)
    return TextEdit(block[0].start, block[0].start, code + newline + newline)


def _place_for(
    statements: list[tuple[cst.BaseStatement, int]], first_use: int, text: str, source: "SourceFile | None"
) -> _Place:
    if source is None or not source.cells:
        return _Place(statements, skip_docstring=True)
    from bedrock_lint.engine.source import cell_source_as_written

    def in_cell(span) -> list[tuple[cst.BaseStatement, int]]:
        return [(s, start) for s, start in statements if span.start_offset <= start < span.end_offset]

    use_cell = next((span for span in source.cells if span.start_offset <= first_use <= span.end_offset), None)
    if use_cell is None:
        return _Place(statements, skip_docstring=False)
    if use_cell.writes_module:
        return _Place(in_cell(use_cell), skip_docstring=True)  # the module the cell writes
    for span in source.cells:
        if span.start_offset > use_cell.start_offset:
            break
        if span.writes_module or _INSTALLS_OR_RESTARTS.search(cell_source_as_written(source, span)):
            continue
        cell_statements = in_cell(span)
        if any(_is_import_line(s) and start < first_use for s, start in cell_statements):
            return _Place(cell_statements, skip_docstring=False)
    return _Place(in_cell(use_cell), skip_docstring=False)


def _first_block(
    place: _Place, first_use: int, text: str, offsets: "NodeOffsets", first_party: Callable[[str], bool]
) -> list[_ImportLine]:
    """The first run of import lines that starts before ``first_use``."""
    block: list[_ImportLine] = []
    for statement, start in place.statements:
        if not _is_import_line(statement):
            if block:
                break
            continue
        if not block and start >= first_use:
            break
        assert isinstance(statement, cst.SimpleStatementLine)
        end = offsets.syntactic(statement.body[-1])[1]
        section, key = _line_key(statement.body[0], first_party)  # type: ignore[arg-type]
        block.append(_ImportLine(statement, start, end, line_end(text, end), section, key))
    return block


def _at_top(place: _Place, wanted: AddedImport, newline: str, text: str, offsets: "NodeOffsets") -> TextEdit:
    """A new import block before the first statement (after the docstring), followed by
    the blank lines isort wants: two before a function or class, one otherwise."""
    statements = list(place.statements)
    if place.skip_docstring and statements and _is_docstring(statements[0][0]):
        docstring = statements.pop(0)[0]
        if not statements:  # a module of only a docstring
            end = line_end(text, offsets.syntactic(docstring)[1])
            return TextEdit(end, end, newline + newline + wanted.code())
    if not statements:
        return TextEdit(0, 0, wanted.code() + newline)
    statement, start = statements[0]
    blank = 2 if _is_definition(statement) else 1
    return TextEdit(start, start, wanted.code() + newline * (1 + blank))


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_definition(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, (cst.FunctionDef, cst.ClassDef))


def _merged_into_from_import(
    block: Sequence[_ImportLine],
    wanted: AddedImport,
    offsets: "NodeOffsets",
    section: int,
    line_length: int,
    newline: str,
    text: str,
) -> TextEdit | None:
    """``from m import a`` and a wanted ``from m import b``: ``from m import a, b`` (isort
    joins them), wrapped one name a line when it does not fit or was written so.  A
    name imported under an alias keeps a line of its own, as isort keeps it."""
    if wanted.name is None or wanted.alias is not None:
        return None
    for line in block:
        if line.section != section or len(line.statement.body) != 1:
            continue
        node = line.statement.body[0]
        if not (
            isinstance(node, cst.ImportFrom)
            and not node.relative
            and _dotted(node.module) == wanted.module
            and not isinstance(node.names, cst.ImportStar)
            and all(alias.asname is None for alias in node.names)
        ):
            continue
        start, end = offsets.syntactic(node)
        written = text[start:end]
        if "#" in written or "\\" in written:
            return None  # comments inside the statement: leave it as it is
        names = [_alias_code(alias) for alias in node.names]  # type: ignore[union-attr]
        names.append(wanted.name + (f" as {wanted.alias}" if wanted.alias else ""))
        names.sort(key=lambda code: _member_key(code.split(" ", 1)[0]))
        one_line = f"from {wanted.module} import {', '.join(names)}"
        trailing_comma = node.rpar is not None and isinstance(node.names[-1].comma, cst.Comma)  # type: ignore[index]
        if len(one_line) <= line_length and not trailing_comma:
            return TextEdit(start, end, one_line)
        vertical = "".join(f"{newline}{_VERTICAL_INDENT}{name}," for name in names)
        return TextEdit(start, end, f"from {wanted.module} import ({vertical}{newline})")
    return None


def _alias_code(alias: cst.ImportAlias) -> str:
    name = _dotted(alias.name)  # type: ignore[arg-type]
    if alias.asname is not None:
        return f"{name} as {_dotted(alias.asname.name)}"  # type: ignore[arg-type]
    return name


def merged_insertions(edits: Iterable[TextEdit]) -> list[TextEdit]:
    """Insertions of one fix at one offset joined into one edit (a fix that adds two
    imports to the same place), in the order of their content."""
    by_place: dict[tuple[int, int], list[TextEdit]] = {}
    for edit in edits:
        by_place.setdefault((edit.start, edit.end), []).append(edit)
    joined = []
    for (start, end), group in by_place.items():
        if len(group) == 1 or start != end:
            joined.extend(group)
            continue
        joined.append(TextEdit(start, end, "".join(sorted({edit.content for edit in group}))))
    return joined
