"""Whole-project runs (issue 23): fixture projects under fixtures/projects/, checked as a
directory, give every finding their ``# expect:`` comments name, at the right file and
line, and nothing else; names imported from other modules of the run resolve."""

from __future__ import annotations

import json
import os
import shutil
import textwrap
from pathlib import Path

import pytest

from tests.cli_runner import run
from tests.fixture_support import FIXTURE_DAY, ROOT, expected_findings, frozen_today

PROJECTS = ROOT / "fixtures" / "projects"


def _expected(project: Path) -> set[tuple[str, int, str]]:
    return {
        (path.relative_to(project).as_posix(), line, code)
        for path in sorted(project.rglob("*.py"))
        for line, code in expected_findings(path.read_text(encoding="utf-8"))
    }


def _found(project: Path, *args: str) -> set[tuple[str, int, str]]:
    with frozen_today(FIXTURE_DAY):
        result = run("check", "--no-cache", "--format", "json", *args, ".", cwd=project)
    assert result.exit_code in (0, 1), result.output
    return {(f["filename"], f["line"], f["code"]) for f in json.loads(result.stdout)}


@pytest.mark.parametrize("name", sorted(p.name for p in PROJECTS.iterdir() if p.is_dir()))
def test_every_expected_finding_of_the_project(name):
    project = PROJECTS / name
    expected = _expected(project)
    # A clean project (near misses the index must not resolve) expects nothing.
    assert bool(expected) != name.startswith("clean"), f"{name}: '# expect:' comments do not match its name"
    found = _found(project)
    assert found == expected, f"missing {sorted(expected - found)}, unexpected {sorted(found - expected)}"


def test_the_project_runs_alike_in_worker_processes():
    """The index reaches worker processes (16 files or more run in a pool)."""
    project = PROJECTS / "fastapi_app"
    assert _found(project, "--jobs", "2") == _expected(project)


def _write(root: Path, files: dict[str, str]) -> Path:
    (root / "pyproject.toml").write_text("[project]\nname = 'service'\n", encoding="utf-8")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


ROUTE = """\
    from fastapi import APIRouter

    from service.clients import runtime
    from service.settings import INFERENCE, MODEL_ID

    router = APIRouter()


    @router.post("/ask")
    def ask(question: str) -> str:
        response = runtime.converse(
            modelId=MODEL_ID,
            messages=[{"role": "user", "content": [{"text": question}]}],
            inferenceConfig=INFERENCE,
        )
        if response["stopReason"] != "end_turn":
            raise RuntimeError(response["stopReason"])
        return response["output"]["message"]["content"][0]["text"]
    """
SERVICE = {
    "service/__init__.py": "",
    "service/clients.py": """\
        import boto3
        from botocore.config import Config

        runtime = boto3.client("bedrock-runtime", config=Config(read_timeout=300, retries={"mode": "adaptive"}))
        """,
    "service/settings.py": """\
        MODEL_ID = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
        INFERENCE = {"maxTokens": 1024, "topK": 5}
        """,
    "service/routes.py": ROUTE,
}


def test_a_problem_in_an_imported_dict_is_reported_at_its_use_without_a_fix(tmp_path):
    project = _write(tmp_path, SERVICE)
    with frozen_today(FIXTURE_DAY):
        result = run("check", "--no-cache", "--format", "json", "--select", "BDR203", ".", cwd=project)
    findings = json.loads(result.stdout)
    assert [(f["filename"], f["line"]) for f in findings] == [("service/routes.py", 14)]
    assert findings[0]["fix"] is None  # the dict is fixed in settings.py, not here
    settings = (project / "service/settings.py").read_text()
    run("check", "--no-cache", "--fix", "--unsafe-fixes", "--select", "BDR203", ".", cwd=project)
    assert (project / "service/settings.py").read_text() == settings


def test_changing_an_imported_module_rechecks_the_importing_one(tmp_path):
    project = _write(tmp_path, SERVICE)
    with frozen_today(FIXTURE_DAY):
        first = json.loads(run("check", "--format", "json", "--select", "BDR203", ".", cwd=project).stdout)
        assert [f["filename"] for f in first] == ["service/routes.py"]
        settings = project / "service/settings.py"
        stat = settings.stat()
        settings.write_text('MODEL_ID = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"\nINFERENCE = {"maxTokens": 1024}\n')
        os.utime(settings, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        second = json.loads(run("check", "--format", "json", "--select", "BDR203", ".", cwd=project).stdout)
    assert second == []


def test_a_new_module_of_the_project_rechecks_the_modules_that_looked_for_it(tmp_path):
    files = {**SERVICE}
    moved = files.pop("service/settings.py")
    files["service/routes.py"] = ROUTE.replace("service.settings", "service.config")
    project = _write(tmp_path, files)
    with frozen_today(FIXTURE_DAY):
        assert json.loads(run("check", "--format", "json", "--select", "BDR203", ".", cwd=project).stdout) == []
        (project / "service/config.py").write_text(textwrap.dedent(moved))
        found = json.loads(run("check", "--format", "json", "--select", "BDR203", ".", cwd=project).stdout)
    assert [f["filename"] for f in found] == ["service/routes.py"]


def test_a_client_of_a_third_party_module_stays_unknown(tmp_path):
    files = {**SERVICE, "service/routes.py": ROUTE.replace("from service.clients import runtime", "from vendor_sdk import runtime")}
    project = _write(tmp_path, files)
    with frozen_today(FIXTURE_DAY):
        result = run("check", "--no-cache", "--format", "json", "--select", "BDR203,BDR205", ".", cwd=project)
    # The operation is still recorded by its name (DISTINCTIVE_OPERATIONS) and the model
    # resolves, so the request rules judge it; nothing is claimed about the client.
    assert {(f["filename"], f["code"]) for f in json.loads(result.stdout)} == {("service/routes.py", "BDR203"), ("service/routes.py", "BDR205")}


def test_the_same_files_outside_a_project_resolve_nothing(tmp_path):
    shutil.copytree(PROJECTS / "fastapi_app" / "app", tmp_path / "app")
    # No pyproject.toml, setup.cfg or .git above: each module is analysed alone.
    if any((parent / marker).exists() for parent in tmp_path.parents for marker in ("pyproject.toml", "setup.cfg", ".git")):
        pytest.skip("a project marker above the temporary directory")
    found = _found(tmp_path)
    # Only what needs no imported name: the client and the id where they are written,
    # and the retry loop (a loop around converse() on any client).
    assert {(path, code) for path, _line, code in found} == {
        ("app/bedrock.py", "BDR001"), ("app/bedrock.py", "BDR002"), ("app/config.py", "BDR103"), ("app/api/batch.py", "BDR006"),
    }


# ------------------------------------------------------------ single-file modes
def _by_file(findings: list[dict]) -> dict[str, set[tuple[int, int, str, str]]]:
    found: dict[str, set[tuple[int, int, str, str]]] = {}
    for f in findings:
        found.setdefault(f["filename"], set()).add((f["line"], f["column"], f["code"], f["message"]))
    return found


def _project_files(project: Path) -> list[str]:
    return sorted(path.relative_to(project).as_posix() for path in project.rglob("*.py"))


PROJECT_NAMES = sorted(p.name for p in PROJECTS.iterdir() if p.is_dir())


@pytest.mark.parametrize("name", PROJECT_NAMES)
def test_check_of_one_file_finds_what_the_whole_project_run_finds_there(name, tmp_path):
    """``check FILE`` resolves the file's imports from the project on disk, whatever the
    current directory (item 3)."""
    project = PROJECTS / name
    with frozen_today(FIXTURE_DAY):
        whole = _by_file(json.loads(run("check", "--no-cache", "--format", "json", ".", cwd=project).stdout))
        assert any(whole.values()) != name.startswith("clean_")  # a clean project has none
        for name in _project_files(project):
            alone = json.loads(run("check", "--no-cache", "--format", "json", name, cwd=project).stdout)
            assert _by_file(alone).get(name, set()) == whole.get(name, set()), name
            # From another directory, by absolute path: the same project around the file.
            elsewhere = json.loads(run("check", "--no-cache", "--format", "json", str(project / name), cwd=tmp_path).stdout)
            assert {(f["line"], f["column"], f["code"], f["message"]) for f in elsewhere} == whole.get(name, set()), name


@pytest.mark.parametrize("name", PROJECT_NAMES)
def test_stdin_with_a_filename_finds_what_the_whole_project_run_finds_there(name):
    project = PROJECTS / name
    with frozen_today(FIXTURE_DAY):
        whole = _by_file(json.loads(run("check", "--no-cache", "--format", "json", ".", cwd=project).stdout))
        for name in _project_files(project):
            text = (project / name).read_bytes()
            given = run("check", "--no-cache", "--format", "json", "--stdin-filename", name, "-", cwd=project, input=text)
            assert _by_file(json.loads(given.stdout)).get(name, set()) == whole.get(name, set()), name


def test_stdin_text_stands_for_the_file_it_names(tmp_path):
    """The text on stdin replaces the disk version of that module; the other modules come
    from disk, as they are at each run."""
    project = _write(tmp_path, SERVICE)
    route = project / "service/routes.py"
    route.write_text("")  # on disk the route does nothing yet: the editor's buffer is what counts
    with frozen_today(FIXTURE_DAY):
        first = run("check", "--format", "json", "--select", "BDR203", "--stdin-filename", "service/routes.py", cwd=project,
                    input=textwrap.dedent(ROUTE))
        assert [(f["filename"], f["line"]) for f in json.loads(first.stdout)] == [("service/routes.py", 14)]
        settings = project / "service/settings.py"
        settings.write_text('MODEL_ID = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"\nINFERENCE = {"maxTokens": 1024}\n')
        second = run("check", "--format", "json", "--select", "BDR203", "--stdin-filename", "service/routes.py", cwd=project,
                     input=textwrap.dedent(ROUTE))
    assert json.loads(second.stdout) == []


def test_changing_only_an_imported_module_changes_the_warm_result_of_one_file(tmp_path):
    """``check app/api/chat.py`` alone, with the cache: a new model id in config.py (now
    one that caches prompts) re-checks chat.py, which gains a missing cache point (item 2)."""
    project = tmp_path / "fastapi_app"
    shutil.copytree(PROJECTS / "fastapi_app", project)
    config = project / "app/config.py"

    def codes() -> list[str]:
        with frozen_today(FIXTURE_DAY):
            result = run("check", "--format", "json", "app/api/chat.py", cwd=project)
        return sorted(f["code"] for f in json.loads(result.stdout))

    before = codes()
    assert "BDR205" in before and "BDR302" not in before
    assert codes() == before  # warm
    stat = config.stat()
    config.write_text(config.read_text().replace("anthropic.claude-3-sonnet-20240229-v1:0", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"))
    os.utime(config, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the same time: only the content tells
    assert codes() == sorted([*before, "BDR302"])


@pytest.mark.parametrize("name", PROJECT_NAMES)
def test_flake8_on_one_file_finds_what_the_whole_project_run_finds_there(name, tmp_path):
    """flake8 checks one file per call, here from a directory outside the project: the
    plugin resolves the file's imports from the project on disk (a real flake8 run)."""
    import subprocess
    import sys

    project = PROJECTS / name
    # The whole-project run is only the reference: in this process (flake8 runs today's
    # date, so does this run: no frozen_today).
    whole = run("check", "--no-cache", "--format", "json", ".", cwd=project)
    expected = _by_file(json.loads(whole.stdout))
    assert any(expected.values()) != name.startswith("clean_")  # a clean project has none
    for name in _project_files(project):
        result = subprocess.run(
            [sys.executable, "-m", "flake8", "--select", "BDR", "--format", "%(row)d|%(col)d|%(code)s|%(text)s", str(project / name)],
            cwd=tmp_path, capture_output=True, text=True, timeout=300,
        )
        assert result.returncode in (0, 1), result.stdout + result.stderr
        found = set()
        for line in result.stdout.splitlines():
            row, column, code, text = line.split("|", 3)
            found.add((int(row), int(column), code, text))
        assert found == expected.get(name, set()), name


# ------------------------------------------------------------ related locations
def test_a_value_from_another_module_is_a_related_location_in_sarif_and_json(tmp_path):
    """The prompt of app/prompts.py behind BDR301/BDR302 in summary.py, and the imported
    request dict behind BDR203 in routes.py, are related locations (item 2); the SARIF
    log stays valid, and a warm cache keeps them."""
    from tests.test_output import assert_valid_sarif

    project = PROJECTS / "fastapi_app"
    with frozen_today(FIXTURE_DAY):
        log = json.loads(run("check", "--no-cache", "--format", "sarif", ".", cwd=project).stdout)
    assert_valid_sarif(log)
    related = {
        (result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], result["ruleId"]): [
            (place["physicalLocation"]["artifactLocation"]["uri"], place["physicalLocation"]["region"]["startLine"])
            for place in result.get("relatedLocations", [])
        ]
        for result in log["runs"][0]["results"]
    }
    prompt = [("app/prompts.py", 3)]
    assert related[("app/api/summary.py", "BDR301")] == related[("app/api/summary.py", "BDR302")] == prompt
    assert related[("app/api/chat.py", "BDR301")] == prompt
    assert related[("app/api/chat.py", "BDR401")] == []  # about this module's own code

    service = _write(tmp_path, SERVICE)
    with frozen_today(FIXTURE_DAY):
        cold = json.loads(run("check", "--format", "json", "--select", "BDR203", "service/routes.py", cwd=service).stdout)
        warm = json.loads(run("check", "--format", "json", "--select", "BDR203", "service/routes.py", cwd=service).stdout)
    assert cold == warm
    (finding,) = cold
    assert finding["related"] == [{"filename": "service/settings.py", "line": 2, "message": "the value used there is defined here"}]
