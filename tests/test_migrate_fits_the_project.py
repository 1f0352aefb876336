"""Acceptance property of issue 21: what ``migrate --write`` writes fits the project.

Over the migration apps, the fixture projects and every rule's and library's reported
fixtures (notebooks included), as they are, and those whose fixes add imports or calls in
generated variants (a project
line length of 79 in ``[tool.ruff]``; each file's imports in another order), after
``migrate --write`` on a copy:

- every file that compiled still compiles;
- no BDR5xx (model compatibility) finding appears that was not there before;
- ruff's isort check and line length (``ruff check --select I,E501 --line-length N``)
  report nothing the migration added (findings are counted per file and code, before
  and after).

ruff is in the ``test`` extras: when it is missing the test fails, it does not skip.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bedrock_lint.engine.source import source_from_bytes
from tests.cli_runner import run
from tests.fixture_support import FIXTURE_DAY, frozen_today
from tests.migration_support import ROOT

FIXTURES = ROOT / "fixtures"
# Every rule's and library's reported fixtures (the clean ones have nothing to fix).
SEED_FOLDERS = tuple(
    path.relative_to(FIXTURES).as_posix()
    for tree in ("rules", "libraries")
    for path in sorted((FIXTURES / tree).iterdir())
    if path.is_dir()
)
# The generated variants (another line length, imports reordered) matter where fixes add
# imports or write calls (BDR001/BDR002 Config, BDR003 os.environ.get, BDR202 json.dumps,
# the library entry points, the request rewrites): those folders only, to keep the suite short.
VARIANT_FOLDERS = ("rules/BDR001", "rules/BDR002", "rules/BDR003", "rules/BDR202", "rules/BDR501", "libraries/strands", "libraries/langchain")
# The migration apps and the multi-module fixture projects, each migrated as a whole.
APPS = (
    FIXTURES / "migration" / "app",
    FIXTURES / "migration" / "claude3" / "app",
    *sorted(path for path in (FIXTURES / "projects").iterdir() if path.is_dir()),
)
COMPATIBILITY = ("BDR501", "BDR502", "BDR503", "BDR504", "BDR505", "BDR506")


def ruff(project: Path, line_length: int) -> Counter:
    """ruff's I and E501 findings in ``project``, counted per (file, code)."""
    completed = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", "--select", "I,E501",
         "--line-length", str(line_length), "--output-format", "json", "--exit-zero", "."],
        cwd=project, capture_output=True, text=True, check=False,
    )
    assert completed.returncode == 0, f"ruff is missing or failed (it is in the test extras): {completed.stderr}"
    return Counter((Path(f["filename"]).relative_to(project.resolve()).as_posix(), f["code"]) for f in json.loads(completed.stdout))


def compatibility_findings(project: Path) -> Counter:
    result = run("check", "--no-cache", "--exit-zero", "--format", "json", "--select", ",".join(COMPATIBILITY), ".", cwd=project)
    return Counter((f["filename"], f["code"]) for f in json.loads(result.stdout))


def compiling(project: Path) -> set[str]:
    names = set()
    for path in sorted(project.rglob("*")):
        if path.suffix not in (".py", ".ipynb"):
            continue
        source = source_from_bytes(path.read_bytes(), path.name, path)
        if source.cells is not None and source.cell_errors:
            continue
        try:
            compile(source.text, path.name, "exec", dont_inherit=True)
        except SyntaxError:
            continue
        names.add(path.relative_to(project).as_posix())
    return names


def added(before: Counter, after: Counter) -> dict:
    return {key: after[key] - before[key] for key in after if after[key] > before[key]}


def _seed_project(target: Path, folders: tuple[str, ...] = SEED_FOLDERS) -> Path:
    for folder in folders:
        for path in sorted((FIXTURES / folder).glob("reported*")):
            if ".fixed." not in path.name and path.suffix in (".py", ".ipynb"):
                destination = target / folder / path.name
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, destination)
    return target


def _shuffle_imports(project: Path, chooser: random.Random) -> None:
    """Each .py file's leading one-line imports in another order (``__future__`` first)."""
    for path in sorted(project.rglob("*.py")):
        data = path.read_bytes()
        newline = b"\r\n" if b"\r\n" in data else b"\n"
        lines = data.split(newline)
        start = next((n for n, line in enumerate(lines) if line.startswith((b"import ", b"from "))), None)
        if start is None:
            continue
        end = start
        while end < len(lines) and (lines[end].startswith((b"import ", b"from ")) or not lines[end].strip()):
            if lines[end].rstrip().endswith((b"(", b"\\")):
                break
            end += 1
        block = [line for line in lines[start:end] if line.strip()]
        if any(line.rstrip().endswith((b"(", b"\\")) for line in block) or len(block) < 2:
            continue
        future = [line for line in block if line.startswith(b"from __future__")]
        rest = [line for line in block if not line.startswith(b"from __future__")]
        chooser.shuffle(rest)
        blank_after = lines[end - 1 : end] == [b""]
        lines[start:end] = future + rest + ([b""] if blank_after else [])
        path.write_bytes(newline.join(lines))


def _with_line_length(project: Path, line_length: int) -> None:
    pyproject = project / "pyproject.toml"
    existing = pyproject.read_text(encoding="utf-8") if pyproject.exists() else ""
    pyproject.write_text(existing + f"\n[tool.ruff]\nline-length = {line_length}\n", encoding="utf-8")


VARIANTS = {
    "apps": None,
    "fixtures": None,
    "fixtures-line-length-79": 79,
    "fixtures-shuffled-imports": "shuffle",
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_migrate_write_adds_nothing_ruff_or_the_compatibility_rules_report(variant, tmp_path):
    projects = []
    if variant == "apps":
        for app in APPS:
            projects.append(tmp_path / f"{app.parent.name}-{app.name}")
            shutil.copytree(app, projects[-1])
    else:
        projects.append(_seed_project(tmp_path / "seed", SEED_FOLDERS if VARIANTS[variant] is None else VARIANT_FOLDERS))
    line_length = 88
    for project in projects:
        if VARIANTS[variant] == "shuffle":
            _shuffle_imports(project, random.Random(21))
        elif isinstance(VARIANTS[variant], int):
            line_length = VARIANTS[variant]
            _with_line_length(project, line_length)
    for project in projects:
        with frozen_today(FIXTURE_DAY):
            ruff_before = ruff(project, line_length)
            compatible_before = compatibility_findings(project)
            compiled_before = compiling(project)
            result = run("migrate", "--write", ".", cwd=project)
            assert result.exit_code in (0, 1), result.stderr
            # The fixes ran, so the property is not vacuous (a clean project has none).
            clean = project.name.partition("-")[2].startswith("clean_")
            assert ("Applied" in result.stderr) != clean
            assert compiling(project) >= compiled_before
            assert added(compatible_before, compatibility_findings(project)) == {}
            assert added(ruff_before, ruff(project, line_length)) == {}
