"""Calls are judged against the installed botocore's service model; the packaged
snapshot is the fallback when botocore is absent."""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.version import Version

from bedrock_lint.catalog import botocore_surface
from bedrock_lint.catalog.botocore_surface import INSTALLED, SNAPSHOT, build_surface, current_surface, packaged_snapshot
from bedrock_lint.engine.analyse import analyse_text
from bedrock_lint.engine.source import source_from_bytes
from bedrock_lint.findings import Severity
from bedrock_lint.settings import Settings

needs_botocore = pytest.mark.skipif(importlib.util.find_spec("botocore") is None, reason="botocore not installed")


def _botocore_version(surface: dict) -> Version:
    return Version(surface["generated_from"].split()[1])


@pytest.fixture
def fresh_surface():
    """Read the surface again in this test (it is read once per process)."""
    current_surface.cache_clear()
    yield
    current_surface.cache_clear()


@needs_botocore
def test_no_member_of_the_older_model_is_missing_from_the_newer():
    """A member that disappears between the snapshot and the installed botocore (in
    whichever order their versions are) is a real break: a rename the rules must follow.
    Members a newer botocore adds are not."""
    shipped, installed = packaged_snapshot(), build_surface()
    older, newer = sorted((shipped, installed), key=_botocore_version)
    for name, operation in older["operations"].items():
        assert name in newer["operations"], f"{name} is no longer a bedrock-runtime operation"
        assert set(operation["parameters"]) <= set(newer["operations"][name]["parameters"]), name
    for shape, members in older["shapes"].items():
        assert set(members) <= set(newer["shapes"][shape]), shape
    assert older["config_positional_order"][:7] == newer["config_positional_order"][:7]
    assert set(older["converse_stop_reasons"]) <= set(newer["converse_stop_reasons"])


@needs_botocore
def test_the_surface_is_what_botocores_own_loader_reads():
    """The model files are read without botocore's loader (it imports urllib3, which opens
    a socket); what is read must be exactly what the loader and ServiceModel give."""
    import botocore.config
    import botocore.session
    from botocore import xform_name

    model = botocore.session.get_session().get_service_model("bedrock-runtime")
    surface = build_surface()
    assert set(surface["operations"]) == {xform_name(name) for name in model.operation_names}
    for name in model.operation_names:
        operation = model.operation_model(name)
        ours = surface["operations"][xform_name(name)]
        assert ours["parameters"] == list(operation.input_shape.members if operation.input_shape else [])
        assert ours["event_stream_output"] == bool(operation.has_event_stream_output)
    for shape, members in surface["shapes"].items():
        assert members == list(model.shape_for(shape).members)
    assert surface["config_positional_order"] == list(botocore.config.Config.OPTION_DEFAULTS)
    assert surface["converse_stop_reasons"] == list(model.shape_for("StopReason").enum)


@needs_botocore
def test_the_installed_botocore_is_used(fresh_surface):
    import botocore
    import botocore.session

    from bedrock_lint.catalog.api import operation_parameters, shape_members

    surface = current_surface()
    assert surface.origin == INSTALLED and surface.botocore_version == botocore.__version__
    model = botocore.session.get_session().get_service_model("bedrock-runtime")
    assert set(operation_parameters("converse")) == set(model.operation_model("Converse").input_shape.members)
    assert set(shape_members("InferenceConfiguration")) == set(model.shape_for("InferenceConfiguration").members)


def _bdr203(code: str) -> list:
    source = source_from_bytes(code.encode(), "app.py", None)
    return [f for f in analyse_text(source, Settings(), frozenset({"BDR203"})).findings if f.code == "BDR203"]


CALL = """\
import boto3

client = boto3.client("bedrock-runtime")
client.converse(
    modelId="us.anthropic.claude-sonnet-4-6",
    messages=[{{"role": "user", "content": [{{"text": "Hi"}}]}}],
    inferenceConfig={{"maxTokens": 512}},
    {parameter}="x",
)
"""


@needs_botocore
def test_project_identifier_is_judged_by_the_installed_botocore(fresh_surface):
    """botocore 1.44.8 added Converse's projectIdentifier: valid with it, unknown before."""
    import botocore.session

    known = "projectIdentifier" in botocore.session.get_session().get_service_model("bedrock-runtime").operation_model("Converse").input_shape.members
    findings = _bdr203(CALL.format(parameter="projectIdentifier"))
    assert bool(findings) is not known, [f.message for f in findings]


def _model_with_extra_member(tmp_path: Path, member: str) -> Path:
    """An ``AWS_DATA_PATH`` holding the installed bedrock-runtime model with one more
    Converse parameter, as a newer botocore (or a user's model override) would have."""
    import botocore

    root = Path(botocore.__file__).parent / "data" / "bedrock-runtime"
    version = max(p.name for p in root.iterdir() if p.is_dir())
    directory = root / version
    plain, packed = directory / "service-2.json", directory / "service-2.json.gz"
    model = json.loads(plain.read_text("utf-8") if plain.exists() else gzip.decompress(packed.read_bytes()))
    shape = model["operations"]["Converse"]["input"]["shape"]
    model["shapes"][shape]["members"][member] = {"shape": "String"}
    target = tmp_path / "models" / "bedrock-runtime" / version
    target.mkdir(parents=True)
    (target / "service-2.json").write_text(json.dumps(model), encoding="utf-8")
    return tmp_path / "models"


@needs_botocore
def test_a_member_only_the_installed_botocore_knows_is_accepted(tmp_path, monkeypatch, fresh_surface):
    monkeypatch.setenv("AWS_DATA_PATH", str(_model_with_extra_member(tmp_path, "zzOnlyInstalled")))
    assert _bdr203(CALL.format(parameter="zzOnlyInstalled")) == []
    unknown = _bdr203(CALL.format(parameter="zzUnknownMember"))
    assert len(unknown) == 1 and unknown[0].severity in (None, Severity.ERROR)  # the rule's own: error
    assert "'zzUnknownMember'" in unknown[0].message and f"botocore {current_surface().botocore_version};" in unknown[0].message
    assert "zzOnlyInstalled" not in packaged_snapshot()["operations"]["converse"]["parameters"]


@needs_botocore
def test_the_command_line_judges_against_the_installed_botocore(tmp_path):
    """End to end, in a new process: the console script, the data path, the cache."""
    models = _model_with_extra_member(tmp_path, "zzOnlyInstalled")
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text(CALL.format(parameter="zzOnlyInstalled") + CALL.format(parameter="zzUnknownMember"))
    environment = {**os.environ, "AWS_DATA_PATH": str(models)}
    command = [sys.executable, "-m", "bedrock_lint", "check", "--select", "BDR203", "--format", "concise", "app.py"]
    for _ in range(2):  # cold, then from the findings cache
        completed = subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True, timeout=120)
        assert completed.returncode == 1, completed.stderr
        assert "zzOnlyInstalled" not in completed.stdout and "'zzUnknownMember'" in completed.stdout
    # The surface is part of the cache's fingerprint: without the override the cached
    # findings are not reused, and the member is unknown again.
    del environment["AWS_DATA_PATH"]
    completed = subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True, timeout=120)
    assert "'zzOnlyInstalled'" in completed.stdout, completed.stdout


def test_without_botocore_the_packaged_snapshot_is_used_and_said(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text(CALL.format(parameter="zzUnknownMember"))
    hide_botocore = "import sys; sys.modules['botocore'] = None; from bedrock_lint.cli import main; sys.argv[0] = 'bedrock-lint'; main()"
    check = subprocess.run(
        [sys.executable, "-c", hide_botocore, "check", "--no-cache", "--select", "BDR203", "--format", "json", "app.py"],
        cwd=project, capture_output=True, text=True, timeout=120,
    )
    [finding] = json.loads(check.stdout)
    snapshot_version = packaged_snapshot()["generated_from"].split()[1]
    assert f"botocore {snapshot_version} (packaged snapshot)" in finding["message"]
    # The user's botocore may be newer than the snapshot: a warning, not an error.
    assert finding["severity"] == "warning"
    rules = subprocess.run([sys.executable, "-c", hide_botocore, "rules"], capture_output=True, text=True, timeout=120)
    assert f"packaged snapshot of botocore {snapshot_version}" in rules.stdout and "botocore is not installed" in rules.stdout


def test_a_botocore_whose_model_cannot_be_read_falls_back_to_the_snapshot(monkeypatch, fresh_surface):
    def broken(*args):
        raise KeyError("StopReason")

    monkeypatch.setattr(botocore_surface, "build_surface", broken)
    surface = current_surface()
    assert surface.origin == SNAPSHOT and surface.data == packaged_snapshot()
    assert "could not be read (KeyError" in surface.note and surface.note in surface.summary()


@needs_botocore
def test_rules_and_verbose_name_the_botocore_in_use(tmp_path):
    import botocore

    rules = subprocess.run([sys.executable, "-m", "bedrock_lint", "rules"], capture_output=True, text=True, timeout=120)
    assert f"installed botocore {botocore.__version__}" in rules.stdout
    (tmp_path / "app.py").write_text(CALL.format(parameter="modelId"))
    verbose = subprocess.run(
        [sys.executable, "-m", "bedrock_lint", "check", "--no-cache", "-v", "app.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert f"installed botocore {botocore.__version__}" in verbose.stderr


def test_operation_names_come_from_the_surface():
    from bedrock_lint.catalog.api import config_positional_order, operation_names, streams_events

    assert {"converse", "converse_stream", "invoke_model", "invoke_model_with_response_stream"} <= operation_names()
    assert streams_events("converse_stream") and not streams_events("converse")
    assert config_positional_order()[0] == "region_name"


@needs_botocore
def test_converse_stop_reasons_are_the_installed_service_enum():
    """The Converse values the response rules use are exactly botocore's StopReason enum."""
    import botocore.session

    from bedrock_lint.catalog.stop_reasons import CONVERSE, stop_reasons

    model = botocore.session.get_session().get_service_model("bedrock-runtime")
    assert stop_reasons(CONVERSE) == frozenset(model.shape_for("StopReason").enum)


def test_converse_never_reports_the_messages_only_reasons():
    from bedrock_lint.catalog.stop_reasons import CONVERSE, MESSAGES, incomplete_stop_reasons, stop_reasons

    assert {"refusal", "pause_turn"} <= stop_reasons(MESSAGES) - stop_reasons(CONVERSE)
    assert "refusal" in incomplete_stop_reasons(MESSAGES) and "refusal" not in incomplete_stop_reasons(CONVERSE)
