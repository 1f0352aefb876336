"""Imports that fixes add to notebooks: the fixed notebook runs top to bottom in cell order.

Fixtures: ``fixtures/rules/<CODE>/reported_notebook*.ipynb`` (a first cell that installs
packages and restarts the kernel; a client made before the cell that imports the
helpers) and their ``.fixed.ipynb``.  Checked statically, as Jupyter runs cells: each
alone, in order, a kernel restart forgetting every name bound so far."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from bedrock_lint.engine.source import neutralise_ipython
from tests.fixture_support import RULE_FIXTURES, fix_file
from tests.migration_support import ROOT

NOTEBOOKS = sorted(p for p in RULE_FIXTURES.glob("*/reported_notebook*.ipynb") if not p.name.endswith(".fixed.ipynb"))
IMPORT_ADDING_RULES = frozenset({"BDR001", "BDR002", "BDR003"})
RESTARTS = ("do_shutdown(", "os._exit(")


def _code_cells(notebook: dict) -> list[str]:
    return ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]


def _imported_names(notebook: dict) -> set[str]:
    names = set()
    for text in _code_cells(notebook):
        for node in ast.walk(ast.parse(neutralise_ipython(text))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


def _bound_by(statement: ast.stmt) -> set[str]:
    bound = set()
    for node in ast.walk(statement):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
    return bound


def used_before_bound(notebook: dict, names: set[str]) -> list[tuple[str, int]]:
    """(name, code cell number) for each use of ``names`` that runs while the name is
    unbound: statement by statement, cell by cell, a restart cell forgetting everything."""
    bound: set[str] = set()
    problems = []
    for number, text in enumerate(_code_cells(notebook), start=1):
        for statement in ast.parse(neutralise_ipython(text)).body:
            used = {n.id for n in ast.walk(statement) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
            problems += [(name, number) for name in sorted(used & names - bound)]
            bound |= _bound_by(statement)
        if any(marker in text for marker in RESTARTS):
            bound = set()
    return problems


def _fixed(path: Path, codes: frozenset[str]) -> dict:
    outcome = fix_file(path, codes)
    assert not outcome.rejected, outcome.rejected
    assert outcome.changed
    return json.loads(outcome.source.raw)


def test_the_fixtures_exist():
    assert {p.name for p in NOTEBOOKS} >= {"reported_notebook_restart.ipynb", "reported_notebook_late_imports.ipynb"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixed_notebook(path):
    outcome = fix_file(path, frozenset({path.parent.name}))
    assert not outcome.rejected, outcome.rejected
    expected = path.with_name(path.stem + ".fixed.ipynb")
    assert outcome.source.raw == expected.read_bytes(), f"{path.name}: fixed output differs from {expected.name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_added_name_is_bound_before_its_first_use(path):
    original = json.loads(path.read_bytes())
    for codes in (frozenset({path.parent.name}), IMPORT_ADDING_RULES):
        fixed = _fixed(path, codes)
        added = _imported_names(fixed) - _imported_names(original)
        assert added, "the fixes add no import: the fixture tests nothing"
        assert used_before_bound(fixed, added) == []


def test_the_migrated_notebook_binds_every_added_name_before_use():
    original = json.loads((ROOT / "fixtures/migration/app/notebooks/prompt_lab.ipynb").read_bytes())
    migrated = json.loads((ROOT / "fixtures/migration/expected/notebooks/prompt_lab.ipynb").read_bytes())
    added = _imported_names(migrated) - _imported_names(original)
    assert added == {"Config"}
    assert used_before_bound(migrated, added) == []


def test_the_check_sees_an_import_lost_to_a_restart_or_made_late():
    restart = {"cells": [
        {"cell_type": "code", "source": ["%pip install boto3\n", "from botocore.config import Config\n", "get_ipython().kernel.do_shutdown(True)"]},
        {"cell_type": "code", "source": ["c = Config()"]},
    ]}
    late = {"cells": [
        {"cell_type": "code", "source": ["c = Config()"]},
        {"cell_type": "code", "source": ["from botocore.config import Config"]},
    ]}
    assert used_before_bound(restart, {"Config"}) == [("Config", 2)]
    assert used_before_bound(late, {"Config"}) == [("Config", 1)]


@pytest.mark.parametrize(
    "first_cell",
    [
        "%pip install boto3\nimport boto3",
        "!pip3 install -q boto3\nimport boto3",
        "%conda install boto3\nimport boto3",
        "import subprocess, sys\nsubprocess.check_call([sys.executable, '-m', 'pip', 'install', 'boto3'])\nimport boto3",
        "import boto3\nimport os\nos._exit(0)",
        "import boto3\nget_ipython().kernel.do_shutdown(True)",
        "import boto3\nfrom IPython import Application\napp = Application.instance()\napp.kernel.do_shutdown(True)",
    ],
)
def test_no_import_goes_into_a_cell_that_installs_or_restarts(first_cell):
    from bedrock_lint.engine.analyse import analyse_text
    from bedrock_lint.engine.source import source_from_bytes
    from bedrock_lint.fixes.applier import apply_edits
    from bedrock_lint.settings import Settings

    notebook = {
        "cells": [
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": first_cell},
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": "import json"},
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
             "source": "runtime = boto3.client('bedrock-runtime')\nruntime.converse(modelId=MODEL, messages=[])"},
        ],
        "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    source = source_from_bytes(json.dumps(notebook).encode(), "nb.ipynb")
    [finding] = analyse_text(source, Settings(), frozenset({"BDR001"})).findings
    fixed = apply_edits(source.text, list(finding.fix.edits))
    second_cell = source.cells[1]
    assert fixed[: second_cell.start_offset] == source.text[: second_cell.start_offset]  # the first cell is untouched
    assert "import json\n\nfrom botocore.config import Config\n" in fixed
