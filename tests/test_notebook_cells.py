"""Notebooks as Jupyter runs them: each cell alone, IPython's input transforms applied."""

from __future__ import annotations

import json
import os

import pytest

from bedrock_lint.engine.analyse import analyse_text
from bedrock_lint.engine.source import cell_position, source_from_bytes
from bedrock_lint.fixes.applier import fix_source
from bedrock_lint.engine.source import encode_source
from bedrock_lint.settings import Settings
from test_source import cell, jupyter_bytes, notebook

ALL = frozenset({"BDR000", "BDR001", "BDR002", "BDR003", "BDR103", "BDR204"})
# The client is used (handed to a helper): a notebook client nothing reads is not judged.
CLIENT = "import boto3\nclient = boto3.client('bedrock-runtime')\nask(client)\n"


def findings(nb: dict, codes: frozenset[str] = ALL) -> list[tuple[int | None, int, int, str]]:
    source = source_from_bytes(jupyter_bytes(nb), "nb.ipynb")
    result = analyse_text(source, Settings(), codes)
    return sorted((f.cell, f.start.line, f.start.column, f.code) for f in result.findings)


def test_a_broken_cell_is_reported_at_its_cell_and_the_others_are_analysed():
    nb = notebook(
        cell("markdown", "# Demo"),
        cell("code", "import boto3\n"),
        cell("code", "x = 1\nprint('unclosed'\n"),
        cell("code", "client = boto3.client('bedrock-runtime')\nask(client)\n"),
    )
    result = findings(nb)
    assert (3, 2, 6, "BDR000") in result  # the "(" on line 2 of cell 3, CPython's position
    assert (4, 1, 10, "BDR001") in result and (4, 1, 10, "BDR002") in result
    source = source_from_bytes(jupyter_bytes(nb), "nb.ipynb")
    message = next(f.message for f in analyse_text(source, Settings(), ALL).findings if f.code == "BDR000")
    assert message == "syntax error in this cell: '(' was never closed"


def test_every_broken_cell_is_reported_once():
    nb = notebook(cell("code", "def f(:\n"), cell("code", CLIENT), cell("code", "for\n"))
    result = findings(nb)
    assert [r for r in result if r[3] == "BDR000"] == [(1, 1, 7, "BDR000"), (3, 1, 4, "BDR000")]
    assert (2, 2, 10, "BDR001") in result


def test_a_broken_cell_in_a_notebook_the_gate_would_skip_is_still_reported():
    nb = notebook(cell("code", "import boto3\n"), cell("code", "print('unclosed'\n"))
    assert findings(nb) == [(2, 1, 6, "BDR000")]


def test_a_cell_indented_as_a_whole_parses_as_ipython_strips_the_indent():
    nb = notebook(cell("code", "  import boto3\n  client = boto3.client('bedrock-runtime')\n  ask(client)\n"))
    source = source_from_bytes(jupyter_bytes(nb), "nb.ipynb")
    assert source.cell_errors == []
    assert findings(nb) == [(1, 2, 12, "BDR001"), (1, 2, 12, "BDR002")]
    # Positions stay inside the cell: the header that makes it parse belongs to no cell.
    span = source.cells[0]
    assert source.text[span.start_offset:span.end_offset] == "".join(nb["cells"][0]["source"])
    assert cell_position(source, span.start_line, 1) == (1, 1, 1)


def test_writefile_cells_are_analysed_as_the_python_module_they_write():
    lambda_module = (
        "%%writefile lambda_function.py\n"
        "import boto3\n"
        "bedrock = boto3.client('bedrock-runtime', region_name='us-east-1')\n"
        "def handler(event, context):\n"
        "    return bedrock.invoke_model(modelId='anthropic.claude-v2', body='{}')\n"
    )
    nb = notebook(cell("code", lambda_module), cell("code", "%%writefile requirements.txt\nboto3>=1.34\n"))
    result = findings(nb)
    assert (1, 3, 11, "BDR001") in result and (1, 3, 55, "BDR003") in result and (1, 5, 41, "BDR103") in result
    assert all(r[0] == 1 for r in result)  # requirements.txt is not Python


def test_a_fix_for_a_written_module_never_adds_to_other_cells():
    """The module is run by itself (a Lambda): an import a fix adds goes into the
    written module's own import block, never into the notebook's first cells, which
    would leave the module without it."""
    written = "%%writefile app.py\n" + CLIENT + "client.converse(modelId='x', messages=[])\n"

    def rebuild(current, new_text, edits):
        return source_from_bytes(encode_source(current, new_text, [(e.start, e.end, e.content) for e in edits]), "nb.ipynb")

    for first_cell in ("import os\nx = 1\n", "import os\n"):
        source = source_from_bytes(jupyter_bytes(notebook(cell("code", first_cell), cell("code", written))), "nb.ipynb")
        outcome = fix_source(source, lambda s: analyse_text(s, Settings(), frozenset({"BDR001"})), rebuild, unsafe=True)
        fixed = json.loads(outcome.source.raw)
        assert fixed["cells"][0]["source"] == first_cell
        assert fixed["cells"][1]["source"].startswith(
            "%%writefile app.py\nimport boto3\nfrom botocore.config import Config\n"
        )


def test_cell_order_is_execution_order_and_names_flow_between_cells():
    nb = notebook(cell("code", "import boto3\n"), cell("code", "client = boto3.client('bedrock-runtime')\nask(client)\n"))
    assert [r[3] for r in findings(nb)] == ["BDR001", "BDR002"]


def test_one_line_cells_run_as_automagic_as_jupyter_runs_them():
    """``pip install boto3`` alone in a cell runs %pip (automagic, one-line cells only)."""
    from bedrock_lint.engine.source import neutralise_ipython

    assert neutralise_ipython("pip install boto3\n") == "#ip install boto3\n"
    assert neutralise_ipython("\nstore -r MODEL_ID\n") == "\n#tore -r MODEL_ID\n"
    assert neutralise_ipython("cd src") == "#d src"
    # Python, or not a one-line cell: left for Python to judge, as IPython does.
    for code in ("pip = 3\n", "time.sleep(1)\n", "ls\n", "pip install boto3\nimport boto3\n", "pip install x\n\n"):
        assert neutralise_ipython(code) == code
    nb = notebook(cell("code", "pip install boto3"), cell("code", "store -r MODEL_ID"), cell("code", CLIENT))
    assert findings(nb) == [(3, 2, 10, "BDR001"), (3, 2, 10, "BDR002")]


def test_a_cell_for_a_newer_python_is_no_syntax_error_when_libcst_parses_it():
    """PEP 701 f-strings (quotes reused inside, Python 3.12) on an older Python: CPython
    rejects the cell, libcst (the analysis) takes it, as it does for a .py file."""
    import sys

    cell_text = 'import boto3\nd = {"k": "v"}\nlabel = f"{d.get("k")}"\nclient = boto3.client("bedrock-runtime")\nask(client)\n'
    nb = notebook(cell("code", cell_text))
    result = findings(nb)
    assert "BDR000" not in [r[3] for r in result]
    assert (1, 4, 10, "BDR001") in result
    if sys.version_info < (3, 12):
        source = source_from_bytes(jupyter_bytes(nb), "nb.ipynb")
        assert source.cell_errors == [] and "label = f" in source.text


def test_the_readme_setting_for_exploration_notebooks(tmp_path):
    """The README's per-file-ignores for exploration notebooks, as written there: the
    hygiene rules go quiet in notebooks, end-of-life ids are still reported, and modules
    keep every rule."""
    import re
    from pathlib import Path

    from click.testing import CliRunner

    from bedrock_lint.cli import main

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    section = readme[readme.index("**Exploration notebooks.**"):]
    toml = re.search(r"```toml\n(.*?)```", section, re.S).group(1)
    (tmp_path / "pyproject.toml").write_text(toml, encoding="utf-8")
    code = (
        "import boto3\nclient = boto3.client('bedrock-runtime', region_name='us-east-1')\n"
        "client.converse(modelId='anthropic.claude-3-sonnet-20240229-v1:0', messages=[])\n"
    )
    (tmp_path / "demo.ipynb").write_bytes(jupyter_bytes(notebook(cell("code", code))))
    (tmp_path / "app.py").write_text(code, encoding="utf-8")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", "--select", "BDR002,BDR003,BDR103,BDR204", "."])
    finally:
        os.chdir(old)
    found = {(f["filename"], f["code"]) for f in json.loads(result.output)}
    assert found == {
        ("demo.ipynb", "BDR103"),
        ("app.py", "BDR002"), ("app.py", "BDR003"), ("app.py", "BDR103"), ("app.py", "BDR204"),
    }


def test_a_notebook_client_nothing_uses_sends_nothing():
    """No module imports a notebook: a client it makes and never uses gets no advice."""
    nb = notebook(
        cell("code", "import boto3\nbedrock = boto3.client(service_name='bedrock')\nruntime = boto3.client(service_name='bedrock-runtime')\n"),
        cell("code", "print(bedrock.list_foundation_models())\n"),
    )
    assert findings(nb) == []
    used = notebook(cell("code", CLIENT), cell("code", "client.converse(modelId='us.anthropic.claude-sonnet-4-6', messages=[])\n"))
    assert [code for *_, code in findings(used)] == ["BDR001", "BDR002", "BDR204"]


def test_a_notebook_client_handed_only_to_another_providers_wrapper_gets_no_claude_advice():
    """LangChain's legacy Bedrock / BedrockEmbeddings are not in the library table; a
    client handed only to them, with a Llama or Titan id beside it, serves no Claude."""
    setup = "import boto3\nfrom langchain_community.llms import Bedrock\nruntime = boto3.client('bedrock-runtime')\n"
    other = notebook(cell("code", setup), cell("code", "llm = Bedrock(client=runtime, model_id='meta.llama2-13b-chat-v1')\n"))
    assert findings(other) == []
    claude = notebook(cell("code", setup), cell("code", "llm = Bedrock(client=runtime, model_id='anthropic.claude-v2:1')\n"))
    assert [code for *_, code in findings(claude)] == ["BDR001", "BDR002", "BDR103"]


def test_a_helper_reading_a_model_id_the_cells_rebind_is_judged_on_every_value():
    """A function reads a global that several cells bind; when it runs is not known, so
    the client is left alone only when every value is another provider's model (or an
    imported one, docs/facts.md §2.7), and judged when one value is unknown."""
    helper = "def ask(body):\n    return runtime.invoke_model(modelId=model_id, body=body)\n"
    setup = "import boto3\nruntime = boto3.client('bedrock-runtime')\nmodel_id = 'meta.llama3-8b-instruct-v1:0'\n"
    imported = notebook(cell("code", setup), cell("code", helper), cell("code", "model_id = 'YOUR-IMPORTED-MODEL-ARN'\n"))
    assert findings(imported) == []
    unknown = notebook(cell("code", setup), cell("code", helper), cell("code", "model_id = pick_model()\n"))
    assert [code for *_, code in findings(unknown)] == ["BDR001", "BDR002"]


def test_a_cell_the_next_cell_would_complete_is_still_a_broken_cell():
    """Issue 22 (minor): cells were checked one by one only when the joined text did not
    parse, so a cell that the next cell completes (an open bracket closed there, a
    trailing backslash continued onto the separator line) was analysed as if Jupyter ran
    them together; its error spilled into the next cell or went unreported."""
    open_bracket = notebook(cell("code", "import boto3\nx = (1,\n"), cell("code", "2)\n"), cell("code", CLIENT))
    assert [r for r in findings(open_bracket) if r[3] == "BDR000"] == [(1, 2, 5, "BDR000"), (2, 1, 2, "BDR000")]
    backslash = notebook(cell("code", "import boto3\nx = 1 \\\n"), cell("code", CLIENT))
    result = findings(backslash)
    assert [r for r in result if r[3] == "BDR000"] == [(1, 2, 8, "BDR000")]
    assert (2, 2, 10, "BDR001") in result


@pytest.mark.parametrize(
    "broken",
    [
        "x = (1,\n", "x = (1,", "if x:\n", "if x:", 'x = """abc\ndef\n', 'x = """abc\ndef', "x = 1 +",
        "x = 1 \\", "x = 1 \\\n", "def f():\n    return (\n\n\n", "x = 1\n\n\n\n(", "try:\n  pass", "x = 'é' + )",
    ],
)
def test_a_syntax_error_is_where_python_puts_it_in_a_file_and_in_a_cell(broken):
    """Errors at the end of the text and unterminated strings: BDR000 has CPython's line
    and column, in a ``.py`` file and, in cell coordinates, in a notebook cell."""
    try:
        compile(broken, "<cell>", "exec")
    except SyntaxError as error:
        expected = (error.lineno, error.offset)
    prefix = "import boto3\nclient = boto3.client('bedrock-runtime')\n"
    module = analyse_text(source_from_bytes((prefix + broken).encode(), "app.py"), Settings(), ALL)
    assert [(f.start.line - 2, f.start.column) for f in module.findings] == [expected]
    nb = notebook(cell("code", CLIENT), cell("code", broken), cell("code", "y = 2\n"))
    assert [r for r in findings(nb) if r[3] == "BDR000"] == [(2, *expected, "BDR000")]


# A notebook no json.dumps call writes: floats spelled 1.0e-05, 1.50 and 1E+3, escaped
# non-ASCII and slash, keys out of order, objects on one line, and the indentation unit
# {unit!r} (most files) except in the first output, indented by one space as Jupyter does.
HAND_WRITTEN_NOTEBOOK = """\
{{
{u}"cells": [
{u}{u}{{
{u}{u}{u}"cell_type": "code",
{u}{u}{u}"execution_count": 1,
{u}{u}{u}"metadata": {{"scrolled": true, "ratio": 1.50}},
{u}{u}{u}"outputs": [
 {{
  "data": {{"text/plain": ["caf\\u00e9 1.0e-05 \\u2028 \\/"]}},
  "execution_count": 1, "metadata": {{}}, "output_type": "execute_result"
 }}
{u}{u}{u}],
{u}{u}{u}"source": [
{u}{u}{u}{u}"import boto3\\n",
{u}{u}{u}{u}"x = 1.0e-05  # caf\\u00e9\\n",
{u}{u}{u}{u}"client = boto3.client(\\"bedrock-runtime\\")\\n",
{u}{u}{u}{u}"ask(client)\\n"
{u}{u}{u}]
{u}{u}}},
{u}{u}{{"cell_type": "markdown", "metadata": {{"big": 1E+3, "tags": []}}, "source": "# Caf\\u00e9 \\/ notes"}},
{u}{u}{{
{u}{u}{u}"cell_type": "code", "execution_count": null, "metadata": {{}}, "outputs": [],
{u}{u}{u}"source": ["y = 2.50e+00\\n", "print('\\u00e9')"]
{u}{u}}}
{u}],
{u}"metadata": {{"z": 2, "a": 1, "kernelspec": {{"language": "python", "name": "python3"}}}},
{u}"nbformat": 4,
{u}"nbformat_minor": 5
}}
"""


@pytest.mark.parametrize("unit", [" ", "  ", "\t"])
def test_a_fixed_notebook_differs_only_in_the_fixed_cells_source(tmp_path, unit):
    """Issue 22 (minor): a rewrite re-serialised the whole notebook (1.0e-05 became 1e-05,
    \\u00e9 escapes were undone, objects spread over lines, indentation made uniform)
    against the README's promise; now only the source value of a changed cell changes."""
    from tests.cli_runner import run

    original = HAND_WRITTEN_NOTEBOOK.format(u=unit)
    assert json.loads(original)["cells"][0]["source"][2] == 'client = boto3.client("bedrock-runtime")\n'
    (tmp_path / "nb.ipynb").write_bytes(original.encode("utf-8"))
    (tmp_path / "ruff.toml").write_text("line-length = 120\n")  # the fixed call stays on its line
    run("check", "--no-cache", "--select", "BDR001", "--fix", "nb.ipynb", cwd=tmp_path)
    old_source = (
        f'{unit * 4}"import boto3\\n",\n'
        f'{unit * 4}"x = 1.0e-05  # caf\\u00e9\\n",\n'
        f'{unit * 4}"client = boto3.client(\\"bedrock-runtime\\")\\n",\n'
    )
    new_source = (
        f'{unit * 4}"import boto3\\n",\n'
        f'{unit * 4}"from botocore.config import Config\\n",\n'
        f'{unit * 4}"x = 1.0e-05  # caf\\u00e9\\n",\n'
        f'{unit * 4}"client = boto3.client(\\"bedrock-runtime\\", config=Config(read_timeout=300, connect_timeout=10))\\n",\n'
    )
    assert old_source in original
    assert (tmp_path / "nb.ipynb").read_bytes().decode("utf-8") == original.replace(old_source, new_source)
