"""Bedrock through libraries (issue 13): one fixture folder per library under
``fixtures/libraries/<library>/``, with the marker syntax of ``fixtures/rules``
(``# expect: CODE`` on reported lines, ``# case:`` before each clean case,
``reported*.fixed.py`` for the result of the fixes).  Every file is checked with all
the rules that apply to library entry points (LIBRARY_RULES) at once, so the expected
findings are exact across those rules."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import libcst as cst
import pytest
from click.testing import CliRunner

from bedrock_lint.analysis import entry_points
from bedrock_lint.analysis.entry_points import EntryPoint, ModelArgument
from bedrock_lint.analysis.index import build_index
from bedrock_lint.analysis.model_ids import model_ids_of
from bedrock_lint.catalog.models import load_catalog
from bedrock_lint.cli import main
from bedrock_lint.engine.prefilter import may_use_bedrock
from bedrock_lint.settings import Settings
from tests.fixture_support import ROOT, analyse_file, count_cases, expected_findings, fix_file, frozen_today, FIXTURE_DAY

LIBRARY_FIXTURES = ROOT / "fixtures" / "libraries"
LIBRARIES = sorted(p.name for p in LIBRARY_FIXTURES.iterdir() if p.is_dir())
LIBRARY_RULES = frozenset({
    "BDR001", "BDR002", "BDR003",
    "BDR101", "BDR102", "BDR103", "BDR104", "BDR105", "BDR106", "BDR107", "BDR108",
    "BDR201", "BDR305",
    "BDR501", "BDR502", "BDR503",
})
MINIMUM_CASES = 10
# The folders whose model ids --fix --unsafe-fixes must leave all valid (issue 13).
FIX_TO_VALID = ("litellm", "strands", "langchain")


def _files(library: str, prefix: str) -> list[Path]:
    return sorted(p for p in (LIBRARY_FIXTURES / library).glob(f"{prefix}*.py") if not p.name.endswith(".fixed.py"))


def test_every_listed_library_has_a_folder():
    assert set(LIBRARIES) >= {"litellm", "strands", "pydantic_ai", "llamaindex", "langchain", "aioboto3", "anthropic_bedrock"}


@pytest.mark.parametrize("library", LIBRARIES)
def test_reported(library):
    total = 0
    for path in _files(library, "reported"):
        expected = expected_findings(path.read_text(encoding="utf-8"))
        analysis = analyse_file(path, LIBRARY_RULES)
        assert not analysis.internal_errors, analysis.internal_errors
        actual = {(f.start.line, f.code) for f in analysis.findings}
        assert actual == expected, f"{path.name}: missing {sorted(expected - actual)}, unexpected {sorted(actual - expected)}"
        total += len(expected)
    assert total >= MINIMUM_CASES, f"{library}: only {total} reported cases"


@pytest.mark.parametrize("library", LIBRARIES)
def test_clean(library):
    total = 0
    for path in _files(library, "clean"):
        analysis = analyse_file(path, LIBRARY_RULES)
        assert not analysis.internal_errors, analysis.internal_errors
        found = [(f.start.line, f.code, f.message) for f in analysis.findings]
        assert not found, f"{path.name}: unexpected findings {found}"
        total += count_cases(path.read_text(encoding="utf-8"))
    assert total >= MINIMUM_CASES, f"{library}: only {total} clean cases"


@pytest.mark.parametrize("library", LIBRARIES)
def test_fixed_output(library):
    for path in _files(library, "reported"):
        expected_path = path.with_name(path.stem + ".fixed.py")
        outcome = fix_file(path, LIBRARY_RULES)
        assert not outcome.rejected, outcome.rejected
        if not expected_path.exists():
            assert not outcome.changed, f"{path.name}: fixes changed the file but {expected_path.name} is missing"
            continue
        assert outcome.source.raw == expected_path.read_bytes(), f"{path.name}: fixed output differs from {expected_path.name}"
        again = fix_file(expected_path, LIBRARY_RULES)
        assert not again.changed, f"{expected_path.name}: a second round still changed {[(f.code, f.start.line) for f in again.applied]}"


@pytest.mark.parametrize("library", LIBRARIES)
def test_prefilter_lets_library_files_through(library):
    for path in (LIBRARY_FIXTURES / library).glob("*.py"):
        assert may_use_bedrock(path.read_text(encoding="utf-8")), path.name


def _model_ids(path: Path):
    text = path.read_text(encoding="utf-8")
    index = build_index(cst.parse_module(text), text, path.name)
    return model_ids_of(index)


@pytest.mark.parametrize("library", FIX_TO_VALID)
def test_fix_leaves_every_model_id_valid(library, tmp_path):
    """``bedrock-lint check --fix --unsafe-fixes`` on the folder, then every model id in
    it names a catalog model that is neither Legacy nor past end of life, with the
    inference profile it needs, and no model-id rule reports anything."""
    folder = tmp_path / library
    shutil.copytree(LIBRARY_FIXTURES / library, folder)
    for fixed in folder.glob("*.fixed.py"):
        fixed.unlink()
    with frozen_today(FIXTURE_DAY):
        result = CliRunner().invoke(main, ["check", "--fix", "--unsafe-fixes", "--no-cache", "--exit-zero", str(folder)])
        assert result.exit_code == 0, result.output
        again = CliRunner().invoke(
            main, ["check", "--no-cache", "--select", "BDR101,BDR102,BDR103,BDR104,BDR105", "--format", "concise", str(folder)]
        )
        assert again.exit_code == 0, again.output
        catalog = load_catalog(Settings().catalog)
        checked = 0
        for path in sorted(folder.glob("*.py")):
            for record in _model_ids(path):
                if record.kind == "arn" and record.model_text is None:
                    continue
                assert record.kind != "first-party", f"{path.name}: {record.text} left as an Anthropic API name"
                model = catalog.lookup(record.model_text)
                assert model is not None, f"{path.name}: {record.model_text} is not in the catalog"
                assert model.status(FIXTURE_DAY) not in ("Legacy", "EOL"), f"{path.name}: {record.model_text} is {model.status(FIXTURE_DAY)}"
                checked += 1
    assert checked >= 10


def test_a_made_up_library_is_one_row(monkeypatch):
    """Adding an entry point is adding a row: the model-id rules then fire on it, with
    its prefix stripped for the lookup and kept by the fix."""
    code = (
        "from acme_llm import Chat\n"
        'chat = Chat(engine="acme-bedrock::anthropic.claude-3-sonnet-20240229-v1:0", region="us-east-1")\n'
    )
    path_text = code
    from bedrock_lint.engine.analyse import analyse_text
    from bedrock_lint.engine.source import source_from_bytes

    source = source_from_bytes(path_text.encode(), "acme.py", None)
    with frozen_today(FIXTURE_DAY):
        before = analyse_text(source, Settings(), LIBRARY_RULES)
    assert before.findings == []

    row = EntryPoint(
        name="acme Chat",
        library="Acme",
        package="acme-llm 1.0",
        qualified_names=("acme_llm.Chat",),
        kind="acme",
        model=(ModelArgument("engine", 0, prefixes=("acme-bedrock::",), unprefixed="none"),),
        region_keywords=("region",),
    )
    monkeypatch.setattr(entry_points, "ENTRY_POINTS", (*entry_points.ENTRY_POINTS, row))
    with frozen_today(FIXTURE_DAY):
        after = analyse_text(source, Settings(), LIBRARY_RULES)
    found = {(f.code, f.start.line) for f in after.findings}
    assert found == {("BDR103", 2), ("BDR003", 2)}
    eol = next(f for f in after.findings if f.code == "BDR103")
    assert "model of acme Chat" in eol.message or "anthropic.claude-3-sonnet-20240229-v1:0" in eol.message
    # The unsafe fix moves to the successor behind the client's geography, keeping the prefix.
    edit = eol.fix.edits[0]
    assert edit.content == '"acme-bedrock::us.anthropic.claude-sonnet-4-6"'
    assert dataclasses.is_dataclass(row) and row.qualified_names == ("acme_llm.Chat",)


def test_docs_libraries_md_is_generated_from_the_table():
    from bedrock_lint.docs import libraries_document

    path = ROOT / "docs" / "libraries.md"
    assert path.read_text(encoding="utf-8") == libraries_document(), "run: python scripts/generate_docs.py"
