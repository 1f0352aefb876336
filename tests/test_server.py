"""``bedrock-lint server`` end to end: pytest-lsp starts the real server process
(``python -m bedrock_lint server``) and drives it as an editor would, over stdio.

Findings are compared with what ``bedrock-lint check`` reports for the same text, and
applied edits with what ``check --fix`` writes: the server runs the same engine."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from bedrock_lint.rules.registry import get_rule
from cli_runner import run

APP = textwrap.dedent(
    """\
    import boto3

    client = boto3.client("bedrock-runtime", region_name="us-east-1")
    """
)

# The notebook of tests/test_notebook_cells.py's kind: markdown first, the import in one
# cell, the client in another.
NOTEBOOK_CELLS = [
    (types.NotebookCellKind.Markup, "markdown", "# Calling Claude\n"),
    (types.NotebookCellKind.Code, "python", "import boto3\n%pip install boto3"),
    (
        types.NotebookCellKind.Code,
        "python",
        'client = boto3.client("bedrock-runtime", region_name="us-east-1")\n'
        'reply = client.converse(modelId=MODEL, messages=messages, inferenceConfig={"maxTokens": 512})',
    ),
]

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "bedrock_lint", "server"])
WAIT = 120  # seconds before a test gives up waiting for the server (a hang, not timing)


async def initialize(lsp_client: LanguageClient, root: Path, options: dict | None = None) -> None:
    """Initialize the session as VS Code does (notebooks too), with ``root`` as the
    workspace folder; the client keeps the server's capabilities and registrations."""
    capabilities = client_capabilities("visual-studio-code")
    capabilities.notebook_document = types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities()
    )
    registrations: list[types.Registration] = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(ls, params: types.RegistrationParams) -> None:
        registrations.extend(params.registrations)

    lsp_client.registrations = registrations  # type: ignore[attr-defined]
    lsp_client.initialize_result = await lsp_client.initialize_session(  # type: ignore[attr-defined]
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="project")],
            initialization_options=options,
        )
    )
    lsp_client.root = root  # type: ignore[attr-defined]


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, tmp_path, request):
    """A server of the test's own: for tests that change the workspace's configuration
    or the client's settings, fill the workspace with a project, start it with options,
    or shut it down."""
    await initialize(lsp_client, tmp_path, getattr(request, "param", None))
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER, scope="module")
async def shared_server(lsp_client: LanguageClient, tmp_path_factory):
    """One server for the tests that only open, edit, save and close their own files
    with the default settings, as an editor does with several files in one session
    (each server start costs a Python start and the engine's imports)."""
    await initialize(lsp_client, tmp_path_factory.mktemp("workspace"))
    lsp_client.workspace = lsp_client.root  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def editor(shared_server: LanguageClient, request) -> LanguageClient:
    """The shared server, with a folder of this test's own in its workspace as ``root``."""
    folder = shared_server.workspace / request.node.name  # type: ignore[attr-defined]
    folder.mkdir()
    shared_server.root = folder  # type: ignore[attr-defined]
    return shared_server


async def fresh_diagnostics(client: LanguageClient, *uris: str) -> dict[str, list[types.Diagnostic]]:
    """Wait until the server has published diagnostics for each of ``uris`` (cleared by
    the caller before the action that makes it publish)."""

    async def wait() -> None:
        while not all(uri in client.diagnostics for uri in uris):
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    await asyncio.wait_for(wait(), WAIT)
    return {uri: list(client.diagnostics[uri]) for uri in uris}


def open_file(client: LanguageClient, path: Path, text: str, version: int = 1) -> str:
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="python", version=version, text=text))
    )
    return uri


def change_file(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.diagnostics.pop(uri, None)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def check_json(path: Path, *args: str) -> list[dict]:
    result = run("check", "--no-cache", "--format", "json", *args, path.name, cwd=path.parent)
    return json.loads(result.output)


def apply_text_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP edits (positions in UTF-16 units, as negotiated by default) to ``text``."""
    lines = text.splitlines(keepends=True) or [""]
    if text.endswith("\n"):
        lines.append("")

    def offset(position: types.Position) -> int:
        line = lines[position.line]
        units = 0
        for index, character in enumerate(line):
            if units >= position.character:
                return sum(len(item) for item in lines[: position.line]) + index
            units += 2 if ord(character) > 0xFFFF else 1
        return sum(len(item) for item in lines[: position.line]) + len(line.rstrip("\r\n"))

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


@pytest.mark.asyncio(loop_scope="module")
async def test_initialize_advertises_the_features(editor: LanguageClient):
    capabilities = editor.initialize_result.capabilities  # type: ignore[attr-defined]
    assert capabilities.hover_provider
    assert set(capabilities.code_action_provider.code_action_kinds) >= {"quickfix", "source.fixAll.bedrock-lint"}
    assert capabilities.text_document_sync.change == types.TextDocumentSyncKind.Full
    selector = capabilities.notebook_document_sync.notebook_selector[0]
    assert selector.notebook == "*" and [cell.language for cell in selector.cells] == ["python"]


@pytest.mark.asyncio(loop_scope="module")
async def test_diagnostics_on_open_are_checks_findings(editor: LanguageClient):
    path = editor.root / "app.py"  # type: ignore[attr-defined]
    uri = open_file(editor, path, APP)
    diagnostics = (await fresh_diagnostics(editor, uri))[uri]
    expected = check_json(path)
    assert [(d.code, d.range.start.line + 1, d.range.start.character + 1, d.message) for d in diagnostics] == [
        (f["code"], f["line"], f["column"], f["message"]) for f in expected
    ]
    first = diagnostics[0]
    assert first.source == "bedrock-lint"
    assert first.severity == types.DiagnosticSeverity.Warning
    assert first.code_description is not None and first.code_description.href == get_rule("BDR001").url


@pytest.mark.asyncio(loop_scope="module")
async def test_positions_are_lsp_positions_and_closing_clears(editor: LanguageClient):
    """Columns in UTF-16 units (the default position encoding): the rocket counts twice.
    Lines break at \\n, \\r\\n and \\r only: the form feed (Python whitespace) is no line break."""
    path = editor.root / "app.py"  # type: ignore[attr-defined]
    text = APP.replace("\nclient = ", '\n\x0c\nlabel = "\U0001F680"; client = ')
    uri = open_file(editor, path, text)
    diagnostics = (await fresh_diagnostics(editor, uri))[uri]
    expected = check_json(path)
    assert [(d.range.start.line + 1, d.range.start.character) for d in diagnostics] == [
        (f["line"], f["column"] - 1 + 1) for f in expected
    ]
    assert [d.range.start.line for d in diagnostics] == [3, 3, 3]
    editor.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))
    editor.diagnostics.pop(uri)
    assert (await fresh_diagnostics(editor, uri))[uri] == []


@pytest.mark.asyncio(loop_scope="module")
async def test_an_edit_is_checked_again(editor: LanguageClient):
    path = editor.root / "app.py"  # type: ignore[attr-defined]
    uri = open_file(editor, path, APP)
    assert codes((await fresh_diagnostics(editor, uri))[uri]) == ["BDR001", "BDR002", "BDR003"]
    # Two edits in a row: the later text is the one checked.
    change_file(editor, uri, APP.replace("boto3.client", "boto3.client_typo"), 2)
    fixed = APP.replace('region_name="us-east-1"', 'region_name="us-east-1", config=Config(read_timeout=300)')
    change_file(editor, uri, "from botocore.config import Config\n" + fixed, 3)
    diagnostics = (await fresh_diagnostics(editor, uri))[uri]
    assert codes(diagnostics) == ["BDR002", "BDR003"]
    assert diagnostics[0].range.start.line == 3


@pytest.mark.asyncio(loop_scope="module")
async def test_save_checks_at_once(editor: LanguageClient):
    path = editor.root / "app.py"  # type: ignore[attr-defined]
    uri = open_file(editor, path, "import boto3\n")
    assert (await fresh_diagnostics(editor, uri))[uri] == []
    change_file(editor, uri, APP, 2)
    editor.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri)))
    assert codes((await fresh_diagnostics(editor, uri))[uri]) == ["BDR001", "BDR002", "BDR003"]


async def code_actions(client: LanguageClient, uri: str, line: int, only: list[str] | None = None) -> list[types.CodeAction]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri),
            range=types.Range(types.Position(line, 0), types.Position(line, 0)),
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )
    return list(result or [])


@pytest.mark.asyncio(loop_scope="module")
async def test_quick_fixes_safe_first_and_applying_one(editor: LanguageClient):
    path = editor.root / "app.py"  # type: ignore[attr-defined]
    uri = open_file(editor, path, APP)
    await fresh_diagnostics(editor, uri)
    actions = await code_actions(editor, uri, 2, only=[types.CodeActionKind.QuickFix])
    titles = [action.title for action in actions]
    assert titles == [
        "BDR001: Add config=Config(read_timeout=300, connect_timeout=10)",
        'BDR002: Add config=Config(retries={"mode": "adaptive", "max_attempts": 5})',
        "Suppress BDR001 on this line",
        "Suppress BDR002 on this line",
        "Suppress BDR003 on this line",
    ]  # BDR003's fix is unsafe: offered only with unsafeFixes
    assert [str(d.code) for d in actions[0].diagnostics] == ["BDR001"]
    first = actions[0].edit.changes[uri]
    applied = apply_text_edits(APP, first)
    expected = json.loads(run("check", "--no-cache", "--format", "json", "app.py", cwd=path.parent).output)[0]["fix"]
    assert len(first) == len(expected["edits"])
    assert "from botocore.config import Config\n" in applied and "config=Config(read_timeout=300, connect_timeout=10)" in applied
    change_file(editor, uri, applied, 2)
    assert codes((await fresh_diagnostics(editor, uri))[uri]) == ["BDR002", "BDR003"]


@pytest.mark.parametrize("client", [{"unsafeFixes": True, "ignore": ["BDR002"]}], indirect=True)
@pytest.mark.asyncio
async def test_initialization_options_select_rules_and_unsafe_fixes(client: LanguageClient):
    path = client.root / "app.py"  # type: ignore[attr-defined]
    uri = open_file(client, path, APP)
    assert codes((await fresh_diagnostics(client, uri))[uri]) == ["BDR001", "BDR003"]
    titles = [a.title for a in await code_actions(client, uri, 2, only=[types.CodeActionKind.QuickFix])]
    assert titles[:2] == [
        "BDR001: Add config=Config(read_timeout=300, connect_timeout=10)",
        'BDR003: Read the region from AWS_REGION with "us-east-1" as the fallback (unsafe)',
    ]


@pytest.mark.asyncio(loop_scope="module")
async def test_fix_all_applies_what_check_fix_writes(editor: LanguageClient):
    path = editor.root / "app.py"  # type: ignore[attr-defined]
    uri = open_file(editor, path, APP)
    await fresh_diagnostics(editor, uri)
    actions = await code_actions(editor, uri, 0, only=["source.fixAll.bedrock-lint"])
    assert [(a.title, a.kind) for a in actions] == [("bedrock-lint: apply all safe fixes", "source.fixAll.bedrock-lint")]
    fixed = apply_text_edits(APP, actions[0].edit.changes[uri])
    run("check", "--no-cache", "--fix", "app.py", cwd=path.parent)
    assert fixed == path.read_text(encoding="utf-8") != APP


@pytest.mark.asyncio(loop_scope="module")
async def test_suppressing_adds_then_extends_the_noqa(editor: LanguageClient):
    path = editor.root / "app.py"  # type: ignore[attr-defined]
    uri = open_file(editor, path, APP)
    await fresh_diagnostics(editor, uri)
    actions = {a.title: a for a in await code_actions(editor, uri, 2)}
    text = apply_text_edits(APP, actions["Suppress BDR003 on this line"].edit.changes[uri])
    assert text.splitlines()[2].endswith('region_name="us-east-1")  # noqa: BDR003')
    change_file(editor, uri, text, 2)
    assert codes((await fresh_diagnostics(editor, uri))[uri]) == ["BDR001", "BDR002"]
    actions = {a.title: a for a in await code_actions(editor, uri, 2)}
    text = apply_text_edits(text, actions["Suppress BDR001 on this line"].edit.changes[uri])
    assert text.splitlines()[2].endswith("# noqa: BDR003, BDR001")
    change_file(editor, uri, text, 3)
    assert codes((await fresh_diagnostics(editor, uri))[uri]) == ["BDR002"]


@pytest.mark.asyncio(loop_scope="module")
async def test_hover_shows_the_rule(editor: LanguageClient):
    path = editor.root / "app.py"  # type: ignore[attr-defined]
    uri = open_file(editor, path, APP)
    await fresh_diagnostics(editor, uri)
    hover = await editor.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(2, 55)))
    rule = get_rule("BDR003")
    assert hover is not None and hover.contents.kind == types.MarkupKind.Markdown
    assert f"[BDR003]({rule.url}) {rule.name}" in hover.contents.value
    assert rule.summary in hover.contents.value and "unsafe fix" in hover.contents.value
    assert hover.range.start == types.Position(2, 53)
    outside = await editor.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(0, 3)))
    assert outside is None


def open_notebook(client: LanguageClient, path: Path, cells=NOTEBOOK_CELLS) -> list[str]:
    uri = path.as_uri()
    cell_uris = [f"vscode-notebook-cell:{path}#cell{number}" for number in range(len(cells))]
    for cell_uri in cell_uris:
        client.diagnostics.pop(cell_uri, None)
    client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=uri,
                notebook_type="jupyter-notebook",
                version=1,
                cells=[types.NotebookCell(kind=kind, document=cell_uri) for (kind, _, _), cell_uri in zip(cells, cell_uris)],
            ),
            cell_text_documents=[
                types.TextDocumentItem(uri=cell_uri, language_id=language, version=1, text=text)
                for (_, language, text), cell_uri in zip(cells, cell_uris)
            ],
        )
    )
    return cell_uris


@pytest.mark.asyncio(loop_scope="module")
async def test_notebook_findings_and_fixes_are_in_their_cells(editor: LanguageClient):
    path = editor.root / "calls.ipynb"  # type: ignore[attr-defined]
    _, import_cell, client_cell = cells = open_notebook(editor, path)
    published = await fresh_diagnostics(editor, import_cell, client_cell)
    assert published[import_cell] == []
    # As `check` reports the notebook saved with these cells.
    path.write_text(json.dumps({
        "cells": [
            {"cell_type": "code" if kind == types.NotebookCellKind.Code else "markdown", "metadata": {}, "source": text}
            for kind, _, text in NOTEBOOK_CELLS
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }), encoding="utf-8")
    expected = check_json(path)
    assert [(3, d.code, d.range.start.line + 1, d.range.start.character + 1) for d in published[client_cell]] == [
        (f["cell"], f["code"], f["line"], f["column"]) for f in expected
    ]
    assert codes(published[client_cell]) == ["BDR001", "BDR002", "BDR003"]
    assert cells[0] not in editor.diagnostics  # markdown: not checked
    actions = await code_actions(editor, client_cell, 0, only=[types.CodeActionKind.QuickFix])
    edit = actions[0].edit.changes
    # The notebook's import cell also installs packages (it may restart the kernel): the
    # import goes to the top of the cell that uses it, with the changed call.
    assert set(edit) == {client_cell}
    fixed_call = apply_text_edits(NOTEBOOK_CELLS[2][2], edit[client_cell])
    assert fixed_call.startswith("from botocore.config import Config\n")
    assert "read_timeout=300" in fixed_call and "connect_timeout=10" in fixed_call

    # Fix-all ("source.fixAll", as an editor asks on save): the cells `check --fix` writes.
    (fix_all,) = await code_actions(editor, client_cell, 0, only=["source.fixAll"])
    run("check", "--no-cache", "--fix", path.name, cwd=path.parent)
    written = ["".join(cell["source"]) for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]]
    assert set(fix_all.edit.changes) == {client_cell}
    assert NOTEBOOK_CELLS[1][2] == written[1]
    assert apply_text_edits(NOTEBOOK_CELLS[2][2], fix_all.edit.changes[client_cell]) == written[2] != NOTEBOOK_CELLS[2][2]

    # An edit of the cell: diagnostics for the new text.
    editor.diagnostics.clear()
    editor.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(version=2, uri=path.as_uri()),
            change=types.NotebookDocumentChangeEvent(
                cells=types.NotebookDocumentCellChanges(
                    text_content=[
                        types.NotebookDocumentCellContentChanges(
                            document=types.VersionedTextDocumentIdentifier(uri=client_cell, version=2),
                            changes=[types.TextDocumentContentChangeWholeDocument(text="x = 1\n" + NOTEBOOK_CELLS[2][2])],
                        )
                    ]
                )
            ),
        )
    )
    published = await fresh_diagnostics(editor, import_cell, client_cell)
    assert [d.range.start.line for d in published[client_cell]] == [1, 1, 1]


@pytest.mark.asyncio
async def test_configuration_file_change_is_read_again(client: LanguageClient):
    root = client.root  # type: ignore[attr-defined]
    uri = open_file(client, root / "app.py", APP)
    assert codes((await fresh_diagnostics(client, uri))[uri]) == ["BDR001", "BDR002", "BDR003"]
    (registration,) = client.registrations  # type: ignore[attr-defined]
    assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    assert [w["globPattern"] for w in registration.register_options["watchers"]] == ["**/pyproject.toml", "**/bedrock-lint.toml", "**/*.py"]
    config = root / "pyproject.toml"
    config.write_text('[tool.bedrock-lint]\nignore = ["BDR002"]\n', encoding="utf-8")
    client.diagnostics.clear()
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Created)])
    )
    assert codes((await fresh_diagnostics(client, uri))[uri]) == ["BDR001", "BDR003"]

    # The client's own settings: as the command line's, over the file's.
    client.diagnostics.clear()
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"bedrock-lint": {"ignore": ["BDR001"]}}))
    assert codes((await fresh_diagnostics(client, uri))[uri]) == ["BDR003"]


FASTAPI_APP = Path(__file__).parent.parent / "fixtures" / "projects" / "fastapi_app"
OLD_MODEL = '"anthropic.claude-3-sonnet-20240229-v1:0"'
NEW_MODEL = '"us.anthropic.claude-sonnet-4-5-20250929-v1:0"'


def as_check_reports(diagnostics: list[types.Diagnostic]) -> list[tuple]:
    return [(d.code, d.range.start.line + 1, d.range.start.character + 1, d.message) for d in diagnostics]


def check_reports(root: Path, name: str) -> list[tuple]:
    output = run("check", "--no-cache", "--format", "json", name, cwd=root).output
    return [(f["code"], f["line"], f["column"], f["message"]) for f in json.loads(output)]


FUNCTIONS = "import boto3\n\nclient = boto3.client(\"bedrock-runtime\", region_name=\"us-east-1\")\n" + "".join(
    f"""

def summarise_{number}(text):
    response = client.converse(
        modelId="anthropic.claude-3-sonnet-20240229-v1:0",
        messages=[{{"role": "user", "content": [{{"text": f"Summarise ({number}): {{text}}"}}]}}],
    )
    return response["output"]["message"]["content"][0]["text"]
"""
    for number in range(6)
)


@pytest.mark.asyncio
async def test_edits_in_sequence_give_checks_findings(client: LanguageClient):
    """The server re-parses only the statements an edit touched (engine.incremental_parse):
    after each edit its diagnostics are still ``check``'s findings on the same text."""
    root = client.root  # type: ignore[attr-defined]
    path = root / "documents.py"
    uri = open_file(client, path, FUNCTIONS)
    assert as_check_reports((await fresh_diagnostics(client, uri))[uri]) == check_reports(root, path.name)
    edits = [
        FUNCTIONS.replace("Summarise (3)", "Summarise briefly (3)"),  # inside one function
        FUNCTIONS.replace("return response[\"output\"]", "return = response[\"output\"]", 1),  # a syntax error ...
        FUNCTIONS.replace("Summarise (4)", "Summarise again (4)"),  # ... and gone again
        FUNCTIONS.replace("\n    ", "\n  ").replace("\n      ", "\n    "),  # the file's indentation
        FUNCTIONS.replace("def summarise_2(text):\n", "def summarise_2(text):\n    # a comment\n"),
        FUNCTIONS + "    # trailing, indented\n\ndef more(text):\n    return client.converse(modelId=\"m\", messages=[])\n",
        FUNCTIONS.replace("import boto3\n", "import os\n"),  # the client's import
        FUNCTIONS,
    ]
    seen = []
    for version, text in enumerate(edits, start=2):
        path.write_text(text, encoding="utf-8")
        change_file(client, uri, text, version)
        client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri)))
        diagnostics = (await fresh_diagnostics(client, uri))[uri]
        assert as_check_reports(diagnostics) == check_reports(root, path.name), f"edit {version - 1}"
        seen.append(codes(diagnostics))
    assert seen[1] == ["BDR000"] and "BDR000" not in seen[2]
    assert seen[0] == seen[-1]


@pytest.mark.asyncio
async def test_imports_resolve_from_the_project_and_its_open_buffers(client: LanguageClient):
    """chat.py's model id, prompt and client come from other modules of its project, as
    for ``check``; an unsaved edit of config.py counts for chat.py at once, and closing
    config.py brings its text on disk back."""
    root = client.root  # type: ignore[attr-defined]
    shutil.copytree(FASTAPI_APP, root, dirs_exist_ok=True)
    chat = root / "app" / "api" / "chat.py"
    chat_uri = open_file(client, chat, chat.read_text(encoding="utf-8"))
    on_disk = check_reports(root, "app/api/chat.py")
    assert as_check_reports((await fresh_diagnostics(client, chat_uri))[chat_uri]) == on_disk
    assert {"BDR205", "BDR301"} <= {report[0] for report in on_disk}  # found through the imports
    assert "BDR302" not in {report[0] for report in on_disk}  # Claude 3 Sonnet: no prompt caching

    config = root / "app" / "config.py"
    saved = config.read_text(encoding="utf-8")
    config_uri = open_file(client, config, saved)
    await fresh_diagnostics(client, config_uri)
    client.diagnostics.pop(chat_uri, None)
    change_file(client, config_uri, saved.replace(OLD_MODEL, NEW_MODEL), 2)  # not saved
    edited = (await fresh_diagnostics(client, chat_uri))[chat_uri]
    assert config.read_text(encoding="utf-8") == saved
    config.write_text(saved.replace(OLD_MODEL, NEW_MODEL), encoding="utf-8")
    assert as_check_reports(edited) == check_reports(root, "app/api/chat.py")  # as if it were saved
    assert "BDR302" in codes(edited)
    config.write_text(saved, encoding="utf-8")

    client.diagnostics.pop(chat_uri, None)
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(config_uri)))
    assert as_check_reports((await fresh_diagnostics(client, chat_uri))[chat_uri]) == on_disk

    # A module changed on disk (the client watches **/*.py) is read again.
    config.write_text(saved.replace(OLD_MODEL, NEW_MODEL), encoding="utf-8")
    client.diagnostics.pop(chat_uri, None)
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config_uri, type=types.FileChangeType.Changed)])
    )
    assert codes((await fresh_diagnostics(client, chat_uri))[chat_uri]) == codes(edited)


@pytest.mark.asyncio
async def test_a_file_that_cannot_be_checked_gets_one_diagnostic(client: LanguageClient):
    root = client.root  # type: ignore[attr-defined]
    (root / "pyproject.toml").write_text("[tool.bedrock-lint]\nfile-timeout = 1e-9\n", encoding="utf-8")
    uri = open_file(client, root / "app.py", APP)
    (diagnostic,) = (await fresh_diagnostics(client, uri))[uri]
    assert diagnostic.code == "BDR000" and diagnostic.message.startswith("bedrock-lint could not check this file: ")
    assert "file-timeout" in diagnostic.message

    (root / "pyproject.toml").write_text("[tool.bedrock-lint]\nselect = 5\n", encoding="utf-8")
    client.diagnostics.clear()
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=(root / "pyproject.toml").as_uri(), type=types.FileChangeType.Changed)])
    )
    (diagnostic,) = (await fresh_diagnostics(client, uri))[uri]
    assert "configuration error" in diagnostic.message and "pyproject.toml" in diagnostic.message

    # The server is still there: a good configuration, and the findings are back.
    (root / "pyproject.toml").unlink()
    client.diagnostics.clear()
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=(root / "pyproject.toml").as_uri(), type=types.FileChangeType.Deleted)])
    )
    assert codes((await fresh_diagnostics(client, uri))[uri]) == ["BDR001", "BDR002", "BDR003"]


@pytest.mark.asyncio
async def test_shutdown_and_exit(client: LanguageClient):
    await client.shutdown_session()
    assert client._server is not None and client._server.returncode == 0
    client.capabilities = None  # already shut down: the fixture's teardown has nothing to do


@pytest.mark.asyncio
async def test_without_pygls_the_command_says_what_to_install():
    blocked = "import sys; sys.modules['pygls'] = None; from bedrock_lint.cli import main; main(['server'])"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", blocked, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), WAIT)
    assert process.returncode == 2
    assert stderr.decode().strip() == "error: `bedrock-lint server` needs pygls and lsprotocol: pip install 'bedrock-lint[server]'"
    assert stdout == b""


def test_readme_editor_snippets_start_this_server():
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    from readme_support import readme_blocks

    (helix,) = [tomllib.loads(block) for block in readme_blocks("toml") if "[language-server.bedrock-lint]" in block]
    assert [helix["language-server"]["bedrock-lint"]["command"], *helix["language-server"]["bedrock-lint"]["args"]] == ["bedrock-lint", "server"]
    assert "bedrock-lint" in helix["language"][0]["language-servers"]
    (zed,) = [json.loads(block) for block in readme_blocks("json") if '"lsp"' in block]
    binary = zed["lsp"]["bedrock-lint"]["binary"]
    assert [binary["path"], *binary["arguments"]] == ["bedrock-lint", "server"]
    (neovim,) = readme_blocks("lua")
    assert 'cmd = { "bedrock-lint", "server" }' in neovim and "vim.lsp.enable" in neovim
    (emacs,) = readme_blocks("elisp")
    assert '("bedrock-lint" "server")' in emacs
    (vscode,) = readme_blocks("js")
    assert '{ command: "bedrock-lint", args: ["server"] }' in vscode


def test_client_options_are_read_leniently():
    from bedrock_lint.integrations.server import ClientOptions

    assert ClientOptions.read({"bedrock-lint": {"ignore": "BDR001,BDR002", "unsafeFixes": True}}) == ClientOptions(
        ignore=["BDR001", "BDR002"], unsafe_fixes=True
    )
    assert ClientOptions.read({"select": ["BDR0", "BDR101"], "extendSelect": ["BDR107"]}) == ClientOptions(
        select=["BDR0", "BDR101"], extend_select=["BDR107"]
    )
    # Not a list of codes: left to the configuration file; "false" is not true.
    assert ClientOptions.read({"select": 5, "unsafeFixes": "false"}) == ClientOptions()
    assert ClientOptions.read(None) is None and ClientOptions.read({"python": {}}) is None
