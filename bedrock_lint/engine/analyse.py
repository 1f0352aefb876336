"""One file through the pipeline: prefilter → parse → index → rules → positions → noqa.

This module is imported by the CLI only when a file passes the prefilter, so a run
over files without Bedrock usage never imports libcst.
"""

from __future__ import annotations

import difflib
import traceback
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable

import libcst as cst

from bedrock_lint.analysis.index import build_index
from bedrock_lint.analysis.sites import ModuleIndex
from bedrock_lint.analysis.positions import LineTable, NodeOffsets
from bedrock_lint.analysis.secrets import mask_spellings, masked, redact
from bedrock_lint.analysis.test_doubles import sends_nothing
from bedrock_lint.catalog.models import catalog_held
from bedrock_lint.engine.limits import NestingSyntaxError, TooComplex, check_parsable, check_time, run_deep
from bedrock_lint.engine.noqa import UNUSED_NOQA, NoqaDirectives, UnusedCodes
from bedrock_lint.findings import Applicability, Finding, Fix, Position, RelatedLocation, TextEdit
from bedrock_lint.fixes.imports import AddedImport, FirstParty, import_edit, locatable_nodes, merged_insertions
from bedrock_lint.fixes.wrapping import LineFitter
from bedrock_lint.rules.credentials import secret_spellings
from bedrock_lint.rules.registry import RULE_CODES, iter_checks
from bedrock_lint.rules.report import NodeEdit, Report

from bedrock_lint.settings import DEFAULT_LINE_LENGTH

if TYPE_CHECKING:
    from bedrock_lint.analysis.project import ModuleView
    from bedrock_lint.engine.source import SourceFile
    from bedrock_lint.settings import Settings

SYNTAX_ERROR = "BDR000"


@dataclass
class Analysis:
    findings: list[Finding] = field(default_factory=list)
    # Problems of the linter itself (a rule raised): "BDR001: KeyError: 'x' (client.py:123)".
    internal_errors: list[str] = field(default_factory=list)
    # The source text of the string pieces hard-coded credentials are written with
    # (rules.credentials.secret_spellings): every output of this file masks them.
    secrets: tuple[str, ...] = ()


def analyse_text(
    source: "SourceFile",
    settings: "Settings",
    enabled: frozenset[str],
    *,
    apply_noqa: bool = True,
    project: "ModuleView | None" = None,
    parse: "Callable[[str], cst.Module] | None" = None,
) -> Analysis:
    """Findings for an already decoded source (the caller ran the prefilter).

    ``apply_noqa=False`` keeps findings that ``# noqa`` comments suppress (flake8's
    ``--disable-noqa``); ``project``: the module's view of the project around it, so
    that names it imports from other modules of the run resolve (analysis/project.py);
    ``parse``: what parses the text instead of ``libcst.parse_module``, with the same
    result and errors (the language server's ``engine.incremental_parse``)."""
    text = source.text
    lines = LineTable(text)
    noqa = NoqaDirectives(text if apply_noqa else "", lines, source)
    cpython_error: tuple[str, int, int] | None = None
    try:
        cpython_error = check_parsable(text, notebook=source.cells is not None)
        module = (parse or cst.parse_module)(text)
    except (cst.ParserSyntaxError, NestingSyntaxError) as error:
        analysis = Analysis()
        if SYNTAX_ERROR in enabled:
            if isinstance(error, NestingSyntaxError):  # CPython's verdict; libcst never saw it
                line, column, message = error.line, error.column, error.message
            elif cpython_error is not None:
                # CPython's message and position: libcst's quote the offending token
                # whole ('"“AKIA…”" is not a valid identifier') and can be a line off.
                message, line, column = cpython_error
            else:
                # Python runs this code; only libcst's parser gives up (10,000 pieces of
                # one implicitly concatenated string): not a syntax error of the user's.
                analysis.internal_errors.append(
                    f"libcst cannot parse this file, which Python accepts ({error.message}); not checked"
                )
                return analysis
            line = max(1, min(line, lines.line_count))
            column = max(1, column)
            offset = min(lines.offset(line, 1) + column - 1, len(text))
            finding = _finding(source, lines, SYNTAX_ERROR, f"syntax error: {message}", offset, offset, None)
            if not noqa.suppresses(SYNTAX_ERROR, finding.extra["text_line"], finding.extra["text_line"]):
                analysis.findings.append(finding)
        return analysis
    except TooComplex as error:
        return Analysis(internal_errors=[str(error)])
    except RecursionError:
        return Analysis(internal_errors=["the file is nested too deeply to parse"])

    check_time()
    analysis = Analysis()
    if source.cell_errors and SYNTAX_ERROR in enabled:
        for offset, message in source.cell_errors:
            finding = _finding(source, lines, SYNTAX_ERROR, f"syntax error in this cell: {message}", offset, offset, None)
            if not noqa.suppresses(SYNTAX_ERROR, finding.extra["text_line"], finding.extra["text_line"]):
                analysis.findings.append(finding)
    if sends_nothing(source.display_name, text):
        return analysis  # a test that mocks AWS, or a unit test, sends nothing (analysis/test_doubles.py)
    if _is_stub(source):
        return analysis  # a stub never runs; as ruff's runtime rules, none of ours apply to it
    try:
        index = build_index(module, text, source.display_name, path=source.path, project=project)
    except RecursionError:
        analysis.internal_errors.append("the file is nested too deeply to analyse")
        return analysis
    except Exception as error:  # noqa: BLE001 - reported for this file; the run goes on
        analysis.internal_errors.append(f"building the index: {_describe(error)}")
        return analysis
    try:
        analysis.secrets = secret_spellings(index)
    except Exception as error:  # noqa: BLE001 - reported for this file; the run goes on
        analysis.internal_errors.append(f"finding credentials to mask: {_describe(error)}")
    reports: list[Report] = []
    with catalog_held():  # the rules ask for the catalog hundreds of times: looked up once
        for rule in iter_checks(enabled):
            check_time()
            try:
                reports.extend(rule.check(index, settings))  # type: ignore[misc]
            except RecursionError:
                analysis.internal_errors.append(f"{rule.code}: the file is nested too deeply to analyse")
            except Exception as error:  # noqa: BLE001 - one rule's bug must not stop the others
                analysis.internal_errors.append(f"{rule.code}: {_describe(error)}")
    if not reports:
        _report_unused_noqa(source, lines, noqa, enabled, analysis)
        return analysis
    try:
        try:
            findings = _to_findings(source, index, lines, reports, analysis.secrets, settings)
        except RecursionError:
            # Deep but valid code (a long concatenated prompt, many elifs): again with
            # room for libcst's recursive code generation.
            findings = run_deep(_to_findings, source, index, lines, reports, analysis.secrets, settings)
    except RecursionError:
        analysis.internal_errors.append("the file is nested too deeply to report its findings")
        return analysis
    analysis.findings += [
        f for f in findings if not noqa.suppresses(f.code, f.extra["text_line"], f.extra["text_end_line"])
    ]
    _report_unused_noqa(source, lines, noqa, enabled, analysis)
    analysis.findings.sort(key=lambda f: f.sort_key)
    if source.cells and any(span.writes_module for span in source.cells):
        analysis.findings = [_within_written_module(source, f) for f in analysis.findings]
    return analysis


def _report_unused_noqa(source: "SourceFile", lines: LineTable, noqa: NoqaDirectives, enabled: frozenset[str], analysis: Analysis) -> None:
    """BDR900: the ``# noqa`` codes of rules that ran on the file and suppressed
    nothing.  Its own code is judged last, once its findings met the directives."""
    if UNUSED_NOQA not in enabled:
        return
    failed = {message.split(":", 1)[0] for message in analysis.internal_errors}
    ran = enabled - failed

    def rules_ran(code: str) -> bool | None:
        if not code.startswith("BDR"):
            return False
        named = [known for known in RULE_CODES if known.startswith(code)]
        if not named:
            return None
        return all(known in ran for known in named)

    def judged_first(code: str) -> bool | None:
        return False if UNUSED_NOQA.startswith(code) else rules_ran(code)

    def judged_last(code: str) -> bool | None:
        return UNUSED_NOQA.startswith(code) and rules_ran(code)

    # First the codes that cannot suppress BDR900 (a code that can may yet suppress
    # these findings), then those that suppressed none of them: no code can suppress
    # that finding.
    for judge, suppressible in ((judged_first, True), (judged_last, False)):
        for unused in noqa.unused(judge):
            if suppressible and noqa.suppresses(UNUSED_NOQA, unused.line, unused.line):
                continue
            fix = Fix(Applicability.SAFE, "Remove the unused noqa codes", (unused.edit,)) if unused.edit else None
            analysis.findings.append(_finding(source, lines, UNUSED_NOQA, _unused_message(unused), unused.start, unused.end, fix))


def _unused_message(unused: UnusedCodes) -> str:
    stale = [code for code in unused.codes if code not in unused.unknown]
    parts = []
    if stale:
        parts.append(f"{', '.join(stale)} suppressed nothing on this line")
    if unused.unknown:
        parts.append(f"{', '.join(unused.unknown)} {'is' if len(unused.unknown) == 1 else 'are'} no bedrock-lint rule")
    return f"unused noqa: {'; '.join(parts)}; remove {'it' if len(unused.codes) == 1 else 'them'}"


def _is_stub(source: "SourceFile") -> bool:
    return (source.path is not None and source.path.suffix == ".pyi") or source.display_name.endswith(".pyi")


def _within_written_module(source: "SourceFile", finding: Finding) -> Finding:
    """A fix for the module a ``%%writefile`` cell writes must stay in that cell: an
    import it adds to the notebook's first cells would be missing from the module."""
    span = next((s for s in source.cells or () if s.start_offset <= finding.start_offset <= s.end_offset), None)
    if finding.fix is None or span is None or not span.writes_module:
        return finding
    if all(span.start_offset <= edit.start and edit.end <= span.end_offset for edit in finding.fix.edits):
        return finding
    return replace(finding, fix=None)


def _describe(error: BaseException) -> str:
    """``KeyError: 'x' (bedrock_lint/rules/client.py:123)``: the exception and where in
    bedrock-lint it was raised."""
    where = traceback.extract_tb(error.__traceback__)[-1]
    filename = where.filename.replace("\\", "/")
    marker = filename.rfind("/bedrock_lint/")
    shown = filename[marker + 1:] if marker >= 0 else filename.rsplit("/", 1)[-1]
    return f"{type(error).__name__}: {error} ({shown}:{where.lineno})"


def _to_findings(
    source: "SourceFile",
    index: ModuleIndex,
    lines: LineTable,
    reports: list[Report],
    secrets: tuple[str, ...] = (),
    settings: "Settings | None" = None,
) -> list[Finding]:
    # A finding about an imported value is shown where this module uses it, and its
    # fix, which would edit the value here rather than where it is defined, is dropped.
    imported = index.resolver.imported
    if imported:
        reports = [_at_use(report, imported) for report in reports]
    wanted: list[cst.CSTNode] = []
    needs_import = has_fixes = False
    for report in reports:
        wanted.append(report.node)
        if report.fix is not None:
            has_fixes = True
            for edit in report.fix.edits:
                if edit.node is not None:
                    wanted.append(edit.node)
                else:
                    needs_import = True
    if needs_import:
        wanted.extend(locatable_nodes(index.module))
    # One codegen pass: the ranges of the reported and edited nodes, and of every node
    # a fix's edit may have to be re-wrapped in (_fitted_fix_edits).
    offsets = NodeOffsets(index.module, wanted, source.text, kinds=LineFitter.TARGET_KINDS if has_fixes else frozenset())
    added_imports = _added_imports(source, index, offsets, reports, settings) if needs_import else {}

    fix_edits = _fitted_fix_edits(index, source.text, reports, offsets, added_imports, settings)
    findings = []
    seen: set[tuple[str, int, int, str]] = set()
    for report in reports:
        start, end = offsets.syntactic(report.node)
        key = (report.code, start, end, report.message)
        if key in seen:
            continue
        seen.add(key)
        fix = None
        if report.fix is not None:
            edits = tuple(
                sorted(
                    piece
                    for edit in merged_insertions(fix_edits[id(report)])
                    for piece in _without_credentials(edit, index.text, secrets)
                )
            )
            fix = Fix(report.fix.applicability, report.fix.message, edits)
        finding = _finding(source, lines, report.code, mask_spellings(report.message, secrets), start, end, fix)
        finding.severity = report.severity
        finding.fix_needs_setting = report.fix_needs_setting
        finding.related = report.related
        findings.append(finding)
    return findings


# The related location of a finding shown where this module uses an imported value.
DEFINED_HERE = "the value used there is defined here"


def _at_use(report: Report, imported: dict) -> Report:
    shown = imported.get(id(report.node))
    fix = report.fix
    if fix is not None and any(edit.node is not None and id(edit.node) in imported for edit in fix.edits):
        fix = None
    if shown is None and fix is report.fix:
        return report
    related = report.related
    if shown is not None:
        path, line = shown[2]
        if not any(place.path == path and place.line == line for place in related):
            related = (RelatedLocation(path, line, DEFINED_HERE), *related)
    return replace(report, node=shown[1] if shown is not None else report.node, fix=fix, related=related)


def _added_imports(
    source: "SourceFile", index: ModuleIndex, offsets: NodeOffsets, reports: list[Report], settings: "Settings | None"
) -> dict[str, TextEdit]:
    """The edit adding each import the fixes need: placed for the first use of the name
    among all fixes that need it (fixes/imports.py), so that every fix adds it alike."""
    first_use: dict[str, int] = {}
    for report in reports:
        if report.fix is None:
            continue
        statements = [edit.content for edit in report.fix.edits if edit.kind == "add_import"]
        if not statements:
            continue
        used_at = min(
            [offsets.syntactic(report.node)[0]]
            + [offsets.syntactic(edit.node)[0] for edit in report.fix.edits if edit.node is not None]
        )
        for statement in statements:
            first_use[statement] = min(used_at, first_use.get(statement, used_at))
    first_party = FirstParty(settings.project_root if settings is not None else None)
    line_length = settings.line_length if settings is not None else DEFAULT_LINE_LENGTH
    return {
        statement: import_edit(
            AddedImport.parse(statement),
            used_at,
            index.module,
            source.text,
            offsets,
            source=source,
            first_party=first_party,
            line_length=line_length,
        )
        for statement, used_at in first_use.items()
    }


def _fitted_fix_edits(
    index: ModuleIndex,
    text: str,
    reports: list[Report],
    offsets: NodeOffsets,
    added_imports: dict[str, TextEdit],
    settings: "Settings | None",
) -> dict[int, list[TextEdit]]:
    """Each fix's text edits (by id of its report), with a call that an edit makes too
    long for the project's line length split one item a line (fixes/wrapping.py)."""
    pairs = {
        id(report): [(edit, _text_edit(edit, offsets, added_imports)) for edit in report.fix.edits]
        for report in reports
        if report.fix is not None
    }
    line_length = settings.line_length if settings is not None else DEFAULT_LINE_LENGTH
    fitter = LineFitter(index.module, text, line_length, index.parents)
    targets: dict[int, cst.CSTNode] = {}
    for edits in pairs.values():
        for node_edit, text_edit in edits:
            if node_edit.node is not None and fitter.makes_too_long(text_edit):
                target = fitter.target(node_edit.node)
                if target is not None:
                    targets[id(node_edit)] = target
    if not targets:
        return {key: [text_edit for _, text_edit in edits] for key, edits in pairs.items()}
    return {key: fitter.fitted(edits, targets, offsets) for key, edits in pairs.items()}


def _text_edit(edit: NodeEdit, offsets: NodeOffsets, added_imports: dict[str, TextEdit]) -> TextEdit:
    if edit.kind == "add_import":
        return added_imports[edit.content]
    assert edit.node is not None
    if edit.kind == "replace":
        start, end = offsets.full(edit.node)
        content = edit.content if edit.replacement is None else offsets.render_in_place_of(edit.node, edit.replacement)
        return TextEdit(start, end, content)
    start, end = offsets.syntactic(edit.node)
    position = start if edit.kind == "insert_before" else end
    return TextEdit(position, position, edit.content)


def _without_credentials(edit: TextEdit, text: str, secrets: tuple[str, ...] = ()) -> list[TextEdit]:
    """``edit``, narrowed to the text it changes when the text it replaces holds a
    credential (a credential-shaped string, ``analysis.secrets``, or a piece of one the
    module hard-codes, ``secrets``): a fix that rebuilds a whole client call must not
    copy the call's literal keys into JSON or SARIF output (BDR007).
    The narrowed edits change the file exactly as ``edit`` does."""
    old = text[edit.start : edit.end]
    if not old or masked(old, secrets) == old:
        return [edit]
    new = edit.content
    prefix, old_end, new_middle = changed_span(old, new)
    old_middle = old[prefix:old_end]
    start = edit.start + prefix
    if masked(new_middle, secrets) == new_middle:
        return [TextEdit(start, start + len(old_middle), new_middle)]
    # The changed part still spans a credential: one edit per differing stretch.
    matcher = difflib.SequenceMatcher(None, old_middle, new_middle, autojunk=False)
    return [
        TextEdit(start + i1, start + i2, new_middle[j1:j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def changed_span(old: str, new: str) -> tuple[int, int, str]:
    """The one edit that turns ``old`` into ``new``, without their common start and end:
    ``(start, end, replacement)``, ``start:end`` in ``old``."""
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    return prefix, len(old) - suffix, new[prefix : len(new) - suffix]


def _finding(source: "SourceFile", lines: LineTable, code: str, message: str, start: int, end: int, fix: Fix | None) -> Finding:
    start_line, start_column = lines.position(start)
    end_line, end_column = lines.position(end)
    cell = None
    if source.cells is not None:
        from bedrock_lint.engine.source import cell_position

        cell, shown_start_line, start_column = cell_position(source, start_line, start_column)
        _, shown_end_line, end_column = cell_position(source, end_line, end_column)
    else:
        shown_start_line, shown_end_line = start_line, end_line
    return Finding(
        code=code,
        message=redact(message),  # no message repeats a credential (BDR000 quoting a token …)
        start=Position(shown_start_line, start_column),
        end=Position(shown_end_line, end_column),
        fix=fix,
        cell=cell,
        start_offset=start,
        end_offset=end,
        extra={"text_line": start_line, "text_end_line": end_line},
    )
