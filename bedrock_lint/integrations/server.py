"""``bedrock-lint server``: the linter as a language server (LSP over stdio, on pygls).

The editor's buffers are checked in process by the engine of ``check --stdin-filename``
(``engine.run.check_source``: prefilter, gate, limits, per-file time limit, analysis),
with the settings ``check`` would use for the file (the nearest ``pyproject.toml`` or
``bedrock-lint.toml``) and the client's ``select``/``extendSelect``/``ignore`` in the
place of the command line's.  Notebooks come through LSP notebook sync: their cells are
put together as ``engine.source`` reads an ``.ipynb``, and each finding, fix and
``# noqa`` goes back to the cell it is in.

A Python file of a project resolves the names it imports from the other modules of that
project (``analysis.project``), as ``check .`` and the flake8 plugin do: one
``ProjectIndex`` is kept across requests, in which each open buffer's text stands for its
module.  A check records the modules it read; when one of them changes (an edit in
another buffer, closing it, which brings its file on disk back, a change on disk the
client reports), the open buffers whose check read it are checked again.

What a client gets: diagnostics on open, on save and after an edit (once typing pauses
for ``DEBOUNCE_SECONDS``; the latest text is the one checked), a quick fix per fixable
finding (unsafe ones with ``unsafeFixes`` only, titled so), ``source.fixAll.bedrock-lint``
(safe fixes, through the one applier), "Suppress BDRxxx on this line", and a hover with
the rule's summary and fix.  A file that cannot be checked (time limit, internal error,
bad configuration) gets one diagnostic saying why; the server goes on.

Positions: the engine counts characters and breaks lines at ``\\n``, ``\\r\\n`` and ``\\r``
only, as LSP does; columns are converted to the position encoding agreed with the client
(UTF-16 unless it offers another).  Full document sync: pygls applies incremental
changes on ``str.splitlines`` lines, which also break at form feeds and U+2028.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from bedrock_lint import __version__
from bedrock_lint.analysis.positions import LineTable
from bedrock_lint.findings import Applicability, Finding, TextEdit, not_checked

NAME = "bedrock-lint"
FIX_ALL_KIND = "source.fixAll.bedrock-lint"
# After an edit, diagnostics wait for typing to pause this long (a new edit restarts it).
DEBOUNCE_SECONDS = 0.3
CONFIG_FILE_GLOBS = ("**/pyproject.toml", "**/bedrock-lint.toml")
# Modules changed on disk (a checkout, another tool) are read again.
WATCHED_GLOBS = (*CONFIG_FILE_GLOBS, "**/*.py")
PYTHON_SUFFIXES = (".py", ".pyi", ".pyw")

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class ClientOptions:
    """What the client may set (initialization options, or the ``bedrock-lint`` section
    of its configuration): the command line's rule selection, and unsafe quick fixes."""

    select: list[str] | None = None
    extend_select: list[str] | None = None
    ignore: list[str] | None = None
    unsafe_fixes: bool = False

    KEYS = ("select", "extendSelect", "ignore", "unsafeFixes")

    @classmethod
    def read(cls, value: Any) -> "ClientOptions | None":
        """The options in ``value`` (``{"bedrock-lint": {...}}`` or the section itself);
        None when it holds none of them."""
        if isinstance(value, dict) and isinstance(value.get(NAME), dict):
            value = value[NAME]
        if not isinstance(value, dict) or not any(key in value for key in cls.KEYS):
            return None
        from bedrock_lint.engine.check_command import split_codes

        def codes(key: str) -> list[str] | None:
            given = value.get(key)
            if isinstance(given, str):
                given = [given]
            if not isinstance(given, list):
                return None  # absent (or not a list of codes): the configuration file decides
            return split_codes(tuple(str(item) for item in given)) or []

        return cls(codes("select"), codes("extendSelect"), codes("ignore"), value.get("unsafeFixes") is True)

    def overrides(self) -> dict:
        return {"select": self.select, "extend_select": self.extend_select, "ignore": self.ignore}


# --------------------------------------------------------------------------- documents


@dataclass
class Piece:
    """One editor document's part of the analysed text: all of a Python file, or one
    code cell of a notebook (its text is the cell's, character for character)."""

    uri: str
    start: int  # offset in the analysed text where the document's text starts
    text: str  # the document's text as the editor has it
    cell_index: int | None = None  # notebooks: the cell's index among all cells
    _lines: LineTable | None = None

    @property
    def lines(self) -> LineTable:
        if self._lines is None:
            self._lines = LineTable(self.text)
        return self._lines

    def position(self, offset: int, units: Callable[[str], int]) -> types.Position:
        """The client position of ``offset`` (in the analysed text)."""
        inside = max(0, min(offset - self.start, len(self.text)))
        line, column = self.lines.position(inside)
        return types.Position(line - 1, units(self.lines.line_text(line)[: column - 1]))

    def line_of(self, offset: int) -> int:
        """The 0-based line of ``offset`` (in the analysed text) in this document."""
        return self.lines.position(max(0, min(offset - self.start, len(self.text))))[0] - 1

    def offset(self, position: types.Position, units: Callable[[str], int]) -> int:
        """The offset in the analysed text of a client position in this document."""
        line = min(position.line + 1, self.lines.line_count)
        text = self.lines.line_text(line)
        counted = 0
        for index, character in enumerate(text):
            if counted >= position.character:
                return self.start + self.lines.line_start(line) + index
            counted += units(character)
        return self.start + self.lines.line_start(line) + len(text)


@dataclass
class Buffer:
    """What the editor has open: a Python file or a notebook."""

    key: str  # the file's or the notebook's uri
    version: int | None
    display_name: str
    path: Path | None
    # A Python file: its text; a notebook: (cell kind, language, cell uri, text) per cell.
    text: str | None = None
    cells: list[tuple[str, str, str, str]] | None = None


@dataclass
class Checked:
    """One check of a buffer: the source as analysed, its findings, and its pieces."""

    buffer: Buffer
    source: Any  # engine.source.SourceFile, or None when it could not be read
    findings: list[Finding]
    pieces: list[Piece]
    job: Any = None  # engine.run.FileJob of the check, for fixing
    # The project's modules the check read (analysis.project.ModuleView.dependencies).
    dependencies: dict = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list)

    def piece_at(self, offset: int) -> Piece:
        if not self._starts:
            self._starts = [piece.start for piece in self.pieces]
        return self.pieces[max(0, bisect_right(self._starts, offset) - 1)]

    def piece(self, uri: str) -> Piece | None:
        return next((piece for piece in self.pieces if piece.uri == uri), None)


def source_of(buffer: Buffer):
    """The engine's source for a buffer, and its pieces.  A notebook is laid out as
    ``engine.source`` reads an ``.ipynb``: its Python cells are analysed, the others are
    carried as markdown (so cell numbers stay the editor's)."""
    from bedrock_lint.engine.source import source_from_bytes, source_from_text

    if buffer.cells is None:
        source = source_from_text(buffer.text or "", buffer.display_name)
        return source, [Piece(buffer.key, 0, source.text)]
    notebook = {
        "cells": [
            {"cell_type": "code" if kind == "code" and language == "python" else "markdown", "metadata": {}, "source": text}
            for kind, language, _, text in buffer.cells
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    source = source_from_bytes(json.dumps(notebook).encode("utf-8"), buffer.display_name)
    pieces = [
        Piece(buffer.cells[span.cell_index][2], span.start_offset, buffer.cells[span.cell_index][3], span.cell_index)
        for span in source.cells or ()
    ]
    return source, pieces


def check_buffer(
    buffer: Buffer,
    settings_for: Callable[[Path | None], Any],
    codes_for: Callable[[Any, Path | None], frozenset[str]],
    projects: Any = None,
    parser: Any = None,
) -> Checked:
    """Check a buffer with the engine; every failure is one finding saying why.  A
    module of a project resolves its imports in ``projects`` (analysis.project.ProjectIndex),
    where the open buffers stand for their modules; ``parser``: the buffer's
    ``engine.incremental_parse.IncrementalParser``, which re-parses only what an edit touched."""
    from bedrock_lint.config import ConfigError
    from bedrock_lint.engine.check_command import SetupError, check_catalogs
    from bedrock_lint.engine.run import FileJob, RunOptions, check_source
    from bedrock_lint.engine.source import SourceError

    try:
        source, pieces = source_of(buffer)
    except SourceError as error:
        return Checked(buffer, None, [not_checked(str(error))], _whole_buffer_pieces(buffer))
    try:
        settings = settings_for(buffer.path)
        location = str(buffer.path) if buffer.path is not None else None
        job = FileJob(buffer.display_name, None, settings, codes_for(settings, buffer.path), stdin_path=location)
        check_catalogs([job])
        result = check_source(job, RunOptions(use_cache=False), source, projects=projects, parser=parser)
    except (ConfigError, SetupError) as error:
        return Checked(buffer, source, [not_checked(f"configuration error: {error}")], pieces)
    except Exception as error:  # noqa: BLE001 - one diagnostic; the server goes on
        logger.exception("checking %s", buffer.key)
        return Checked(buffer, source, [not_checked(f"internal error: {type(error).__name__}: {error}")], pieces)
    findings = list(result.findings)
    if result.error:
        findings.append(not_checked(result.error))
    problems = [message for message in result.internal_errors if not message.startswith("warning: ")]
    if problems:
        findings.append(not_checked("; ".join(problems)))
    return Checked(buffer, source, findings, pieces, job, result.dependencies)


def _whole_buffer_pieces(buffer: Buffer) -> list[Piece]:
    if buffer.cells is None:
        return [Piece(buffer.key, 0, buffer.text or "")]
    return [Piece(uri, 0, text, index) for index, (_, _, uri, text) in enumerate(buffer.cells)][:1]


def hover_markdown(finding: Finding) -> str:
    """A finding's message, its rule's summary and fix (what ``bedrock-lint rule``
    shows first), and a link to the rule's documentation."""
    from bedrock_lint.docs import FIX_WORDS
    from bedrock_lint.rules.registry import get_rule

    rule = get_rule(finding.code)
    if rule is None:
        return f"**{finding.code}** {finding.message}"
    lines = [
        f"**[{rule.code}]({rule.url}) {rule.name}** · {(finding.severity or rule.severity).value}",
        "",
        finding.message,
        "",
        f"*What it does:* {rule.summary}.",
        "",
        f"*Fix:* {FIX_WORDS[rule.fix]}." + (f" {rule.fix_safety.split(chr(10) + chr(10))[0]}" if rule.fix_safety else ""),
    ]
    if rule.good.strip():
        lines += ["", "*Use instead:*", "", "```python", rule.good.rstrip(), "```"]
    return "\n".join(lines)


# --------------------------------------------------------------------------- the server


class BedrockLintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            NAME,
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Full,
            notebook_document_sync=types.NotebookDocumentSyncOptions(
                # "*": every notebook type (the LSP specification), its Python cells.
                notebook_selector=[
                    types.NotebookDocumentFilterWithNotebook(notebook="*", cells=[types.NotebookCellLanguage(language="python")])
                ],
                save=True,
            ),
        )
        self.options = ClientOptions()
        self._resolver = None
        self._codes_for = None
        self.checked: dict[str, Checked] = {}
        self._projects = None
        # Per open buffer: its parser, which keeps the statements of the last text checked.
        self.parsers: dict[str, Any] = {}
        self.open_keys: set[str] = set()
        self.pending: dict[str, asyncio.Task] = {}
        self.published: dict[str, set[str]] = {}

    # ---- settings

    @property
    def root(self) -> Path:
        root = self.workspace.root_path
        return Path(root) if root else Path.cwd()

    def settings_for(self, path: Path | None):
        if self._resolver is None:
            from bedrock_lint.config import SettingsResolver
            from bedrock_lint.engine.check_command import CodesForFile

            self._resolver = SettingsResolver(cli_overrides=self.options.overrides(), cwd=self.root)
            self._codes_for = CodesForFile()
        return self._resolver.settings_for(path) if path is not None else self._resolver.settings_for_directory(self._resolver.cwd)

    def codes_for(self, settings, path: Path | None) -> frozenset[str]:
        assert self._codes_for is not None
        return self._codes_for(settings, path)

    @property
    def projects(self):
        """The workspace's projects (analysis.project.ProjectIndex, as the flake8 plugin
        keeps them), across requests; each open Python buffer stands for its module."""
        if self._projects is None:
            from bedrock_lint.analysis.project import ProjectIndex

            self._projects = ProjectIndex([])
        return self._projects

    def settings_changed(self) -> None:
        """Configuration files or options changed: read them again, check again (a new
        ``pyproject.toml`` may also mark a new project root)."""
        self._resolver = None
        self._projects = None
        self.checked.clear()
        for key in sorted(self.open_keys):
            self.lint(key)

    # ---- documents

    def units(self, text: str) -> int:
        if text.isascii():
            return len(text)  # one code unit a character in UTF-8, UTF-16 and UTF-32 alike
        return self.workspace.position_codec.client_num_units(text)

    def key_of(self, uri: str) -> str:
        notebook = self.workspace.get_notebook_document(cell_uri=uri)
        return notebook.uri if notebook is not None else uri

    def buffer(self, key: str) -> Buffer | None:
        path, display_name = _path_and_name(key)
        notebook = self.workspace.get_notebook_document(notebook_uri=key)
        if notebook is not None:
            if not display_name.lower().endswith(".ipynb"):
                display_name += ".ipynb"
            cells = []
            for cell in notebook.cells:
                document = self.workspace.text_documents.get(cell.document)
                kind = "code" if cell.kind == types.NotebookCellKind.Code else "markup"
                language = (document.language_id or "python") if document is not None else ""
                cells.append((kind, language, cell.document, document.source if document is not None else ""))
            return Buffer(key, notebook.version, display_name, path, cells=cells)
        document = self.workspace.text_documents.get(key)
        if document is None:
            return None
        if not display_name.lower().endswith(PYTHON_SUFFIXES):
            if document.language_id not in (None, "python"):
                return None
            display_name += ".py"
        return Buffer(key, document.version, display_name, path, text=document.source)

    def current(self, key: str) -> Checked | None:
        """The check of the buffer as it is now: checked again when it changed, or when a
        module its check read changed (an open buffer's text stands for its module)."""
        buffer = self.buffer(key)
        if buffer is None:
            return None
        self.sync_modules()
        checked = self.checked.get(key)
        if (
            checked is None or checked.buffer.version != buffer.version or checked.buffer.text != buffer.text
            or checked.buffer.cells != buffer.cells or not self.dependencies_hold(checked)
        ):
            checked = self.checked[key] = check_buffer(buffer, self.settings_for, self.codes_for, self.projects, self.parser(key))
        return checked

    def parser(self, key: str):
        parser = self.parsers.get(key)
        if parser is None:
            from bedrock_lint.engine.incremental_parse import IncrementalParser

            parser = self.parsers[key] = IncrementalParser()
        return parser

    def sync_modules(self) -> None:
        """Every open Python buffer's text stands for its module in the projects."""
        for key in self.open_keys:
            document = self.workspace.text_documents.get(key)
            path = _path_and_name(key)[0]
            if document is not None and path is not None and self.workspace.get_notebook_document(notebook_uri=key) is None:
                self.projects.open_text(str(path), document.source)

    def dependencies_hold(self, checked: Checked) -> bool:
        """Whether the project's modules ``checked`` read are as they were then."""
        path = checked.buffer.path
        return not checked.dependencies or (path is not None and self.projects.dependencies_hold(str(path), checked.dependencies))

    def lint(self, key: str) -> None:
        task = self.pending.pop(key, None)
        if task is not None:
            task.cancel()
        checked = self.current(key)
        if checked is not None:
            self.publish(checked)
        self.lint_dependents(key)

    def lint_dependents(self, changed: str) -> None:
        """Check again the other open buffers whose check read a module that changed."""
        for key in sorted(self.open_keys - {changed}):
            checked = self.checked.get(key)
            if checked is not None and not self.dependencies_hold(checked):
                checked = self.current(key)
                if checked is not None:
                    self.publish(checked)

    def lint_later(self, key: str) -> None:
        task = self.pending.pop(key, None)
        if task is not None:
            task.cancel()
        self.pending[key] = asyncio.get_running_loop().create_task(self._lint_after_pause(key))

    async def _lint_after_pause(self, key: str) -> None:
        await asyncio.sleep(DEBOUNCE_SECONDS)
        self.pending.pop(key, None)
        if key in self.open_keys:
            self.lint(key)

    def close(self, key: str, uris: Iterable[str]) -> None:
        task = self.pending.pop(key, None)
        if task is not None:
            task.cancel()
        self.open_keys.discard(key)
        self.checked.pop(key, None)
        self.parsers.pop(key, None)
        for uri in {*self.published.pop(key, set()), *uris}:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        path = _path_and_name(key)[0]
        if path is not None and self._projects is not None:
            self._projects.forget_text(str(path))  # its module is the file on disk again
            self.lint_dependents(key)

    # ---- what the client sees

    def diagnostic(self, checked: Checked, finding: Finding) -> tuple[str, types.Diagnostic]:
        from bedrock_lint.rules.registry import get_rule

        piece = checked.piece_at(finding.start_offset)
        rule = get_rule(finding.code)
        severity = finding.severity or (rule.severity if rule is not None else None)
        return piece.uri, types.Diagnostic(
            range=types.Range(piece.position(finding.start_offset, self.units), piece.position(max(finding.end_offset, finding.start_offset), self.units)),
            message=finding.message,
            severity=SEVERITIES.get(severity.value if severity is not None else "", types.DiagnosticSeverity.Warning),
            code=finding.code,
            code_description=types.CodeDescription(href=rule.url) if rule is not None else None,
            source=NAME,
        )

    def publish(self, checked: Checked) -> None:
        by_uri: dict[str, list[types.Diagnostic]] = {piece.uri: [] for piece in checked.pieces}
        for finding in checked.findings:
            uri, diagnostic = self.diagnostic(checked, finding)
            by_uri.setdefault(uri, []).append(diagnostic)
        key = checked.buffer.key
        for uri in self.published.get(key, set()) - by_uri.keys():
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        self.published[key] = set(by_uri)
        for uri, diagnostics in by_uri.items():
            version = checked.buffer.version if uri == key else None
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    def workspace_edit(self, checked: Checked, edits: Iterable[TextEdit]) -> types.WorkspaceEdit | None:
        """The engine's edits (offsets in the analysed text) as the client's; None when
        one crosses from a cell into another."""
        changes: dict[str, list[types.TextEdit]] = {}
        for edit in edits:
            piece = checked.piece_at(edit.start)
            if edit.end > piece.start + len(piece.text):
                return None
            changes.setdefault(piece.uri, []).append(
                types.TextEdit(types.Range(piece.position(edit.start, self.units), piece.position(edit.end, self.units)), edit.content)
            )
        return types.WorkspaceEdit(changes=changes) if changes else None

    def fix_all(self, checked: Checked) -> types.WorkspaceEdit | None:
        """Every safe fix, applied round after round by the one applier."""
        if checked.job is None or checked.source is None or not any(
            f.fix is not None and f.fix.applicability is Applicability.SAFE for f in checked.findings
        ):
            return None
        from bedrock_lint.engine.analyse import changed_span
        from bedrock_lint.engine.run import RunOptions, fix_outcome
        from bedrock_lint.engine.source import cell_source_as_written, source_from_text

        rebuild = None
        if checked.buffer.cells is None:
            rebuild = lambda current, new_text, edits: source_from_text(new_text, current.display_name)  # noqa: E731
        location = checked.job.location
        project = self.projects.module_of(location) if location is not None and location in self.projects else None
        outcome = fix_outcome(checked.job, RunOptions(), checked.source, None, project, rebuild=rebuild)
        if not outcome.changed:
            return None
        if checked.buffer.cells is None:
            new_texts = {checked.pieces[0].uri: outcome.source.text}
        else:
            by_index = {piece.cell_index: piece.uri for piece in checked.pieces}
            new_texts = {by_index[span.cell_index]: cell_source_as_written(outcome.source, span) for span in outcome.source.cells or () if span.cell_index in by_index}
        changes: dict[str, list[types.TextEdit]] = {}
        for piece in checked.pieces:
            new_text = new_texts.get(piece.uri, piece.text)
            if new_text == piece.text:
                continue
            start, end, content = changed_span(piece.text, new_text)
            changes[piece.uri] = [
                types.TextEdit(types.Range(piece.position(piece.start + start, self.units), piece.position(piece.start + end, self.units)), content)
            ]
        return types.WorkspaceEdit(changes=changes) if changes else None


SEVERITIES = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


def _path_and_name(uri: str) -> tuple[Path | None, str]:
    """The file of a ``file:`` uri and the name the engine knows it by."""
    if uri.startswith("file:"):
        path = to_fs_path(uri)
        if path:
            return Path(path), path
    name = uri.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1] or "untitled"
    return None, name


def _wanted(only: list[str] | None, kind: str) -> bool:
    return only is None or any(kind == wanted or kind.startswith(wanted + ".") for wanted in only)


server = BedrockLintServer()


@server.feature(types.INITIALIZE)
def initialize(ls: BedrockLintServer, params: types.InitializeParams) -> None:
    ls.options = ClientOptions.read(params.initialization_options) or ClientOptions()


@server.feature(types.INITIALIZED)
async def initialized(ls: BedrockLintServer, params: types.InitializedParams) -> None:
    workspace = ls.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace is not None else None
    if watched is not None and watched.dynamic_registration:
        watchers = [types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED_GLOBS]
        registration = types.Registration(
            id="bedrock-lint-configuration-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )
        try:
            await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
        except Exception as error:  # noqa: BLE001 - without it, configuration changes are read on didChangeConfiguration
            logger.warning("the client did not register the configuration file watchers: %s", error)


def _follow(did_open: str, did_change: str, did_save: str, did_close: str, document, closed_uris) -> None:
    """Check a kind of document (text files, notebooks) when it is opened or saved, and
    once typing pauses after a change; clear its diagnostics when it is closed."""

    def opened(ls: BedrockLintServer, params) -> None:
        ls.open_keys.add(document(params).uri)
        ls.lint(document(params).uri)

    server.feature(did_open)(opened)
    server.feature(did_change)(lambda ls, params: ls.lint_later(document(params).uri))
    server.feature(did_save)(lambda ls, params: ls.lint(document(params).uri))
    server.feature(did_close)(lambda ls, params: ls.close(document(params).uri, closed_uris(params)))


_follow(
    types.TEXT_DOCUMENT_DID_OPEN, types.TEXT_DOCUMENT_DID_CHANGE, types.TEXT_DOCUMENT_DID_SAVE, types.TEXT_DOCUMENT_DID_CLOSE,
    lambda params: params.text_document,
    lambda params: [params.text_document.uri],
)
_follow(
    types.NOTEBOOK_DOCUMENT_DID_OPEN, types.NOTEBOOK_DOCUMENT_DID_CHANGE, types.NOTEBOOK_DOCUMENT_DID_SAVE, types.NOTEBOOK_DOCUMENT_DID_CLOSE,
    lambda params: params.notebook_document,
    lambda params: [cell.uri for cell in params.cell_text_documents],
)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: BedrockLintServer, params: types.DidChangeWatchedFilesParams) -> None:
    from bedrock_lint.config import CONFIG_FILE_NAMES

    if any(change.uri.rsplit("/", 1)[-1] in CONFIG_FILE_NAMES for change in params.changes):
        ls.settings_changed()
        return
    changed = [change.uri for change in params.changes if change.uri not in ls.open_keys]  # an open buffer stands
    for path in filter(None, (_path_and_name(uri)[0] for uri in changed)):
        ls.projects.forget_text(str(path))
    if changed:
        ls.lint_dependents("")


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def did_change_configuration(ls: BedrockLintServer, params: types.DidChangeConfigurationParams) -> None:
    options = ClientOptions.read(params.settings)
    workspace = ls.client_capabilities.workspace
    if options is None and workspace is not None and workspace.configuration:
        try:
            answer = await ls.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section=NAME)])
            )
            options = ClientOptions.read({NAME: answer[0]} if answer and isinstance(answer[0], dict) else None)
        except Exception as error:  # noqa: BLE001 - the options stay as they were
            logger.warning("cannot read the client's configuration: %s", error)
    if options is not None:
        ls.options = options
    ls.settings_changed()


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll, FIX_ALL_KIND]),
)
def code_action(ls: BedrockLintServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    uri = params.text_document.uri
    checked = ls.current(ls.key_of(uri))
    piece = checked.piece(uri) if checked is not None else None
    if checked is None or piece is None:
        return None
    only = params.context.only
    actions: list[types.CodeAction] = []
    if _wanted(only, types.CodeActionKind.QuickFix):
        # The findings on the lines of the range (an editor asks at the cursor).
        first, last = params.range.start.line, params.range.end.line
        here = [
            f for f in checked.findings
            if checked.piece_at(f.start_offset) is piece
            and piece.line_of(f.start_offset) <= last and first <= piece.line_of(f.end_offset)
        ]
        actions += _quick_fixes(ls, checked, here)
        actions += _suppressions(ls, checked, here)
    if _wanted(only, FIX_ALL_KIND):
        edit = ls.fix_all(checked)
        if edit is not None:
            actions.append(types.CodeAction(title="bedrock-lint: apply all safe fixes", kind=FIX_ALL_KIND, edit=edit))
    return actions or None


def _quick_fixes(ls: BedrockLintServer, checked: Checked, findings: list[Finding]) -> list[types.CodeAction]:
    """One per fixable finding, safe ones first."""
    fixable = [
        f for f in findings
        if f.fix is not None and (f.fix.applicability is Applicability.SAFE or ls.options.unsafe_fixes)
    ]
    fixable.sort(key=lambda f: (f.fix.applicability is not Applicability.SAFE, f.start_offset))  # type: ignore[union-attr]
    actions = []
    for finding in fixable:
        assert finding.fix is not None
        edit = ls.workspace_edit(checked, finding.fix.edits)
        if edit is None:
            continue
        safe = finding.fix.applicability is Applicability.SAFE
        actions.append(
            types.CodeAction(
                title=f"{finding.code}: {finding.fix.message}" + ("" if safe else " (unsafe)"),
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[ls.diagnostic(checked, finding)[1]],
                edit=edit,
                is_preferred=safe,
            )
        )
    return actions


def _suppressions(ls: BedrockLintServer, checked: Checked, findings: list[Finding]) -> list[types.CodeAction]:
    """"Suppress BDRxxx on this line": a ``# noqa`` the engine reads (``engine.noqa``)."""
    from bedrock_lint.engine.noqa import LogicalLines, noqa_edit

    actions = []
    seen: set[tuple[str, int]] = set()
    logical = None
    for finding in findings:
        first = finding.extra.get("text_line")
        if checked.source is None or first is None or (finding.code, first) in seen:
            continue
        seen.add((finding.code, first))
        if logical is None:
            logical = LogicalLines.of_source(checked.source)
        text_edit = noqa_edit(checked.source.text, first, [finding.code], logical)
        edit = ls.workspace_edit(checked, [text_edit]) if text_edit is not None else None
        if edit is None:
            continue
        actions.append(
            types.CodeAction(
                title=f"Suppress {finding.code} on this line",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[ls.diagnostic(checked, finding)[1]],
                edit=edit,
            )
        )
    return actions


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: BedrockLintServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    checked = ls.current(ls.key_of(uri))
    piece = checked.piece(uri) if checked is not None else None
    if checked is None or piece is None:
        return None
    offset = piece.offset(params.position, ls.units)
    here = [
        f for f in checked.findings
        if checked.piece_at(f.start_offset) is piece and f.start_offset <= offset <= f.end_offset
    ]
    if not here:
        return None
    here.sort(key=lambda f: (f.end_offset - f.start_offset, f.code))  # the innermost first
    first = ls.diagnostic(checked, here[0])[1]
    value = "\n\n---\n\n".join(hover_markdown(finding) for finding in here)
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=value), range=first.range)


def serve() -> None:
    """Serve on standard input and output until the client says exit."""
    logging.basicConfig(level=os.environ.get("BEDROCK_LINT_SERVER_LOG", "WARNING").upper(), format="%(name)s: %(message)s")
    server.start_io()
