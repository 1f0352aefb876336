"""``bedrock-lint models`` and ``models --refresh`` through the command line, with the
Bedrock control plane answered by stubbed botocore clients (no network) and a temporary
user data directory (tests/conftest.py)."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from bedrock_lint.catalog import refresh
from bedrock_lint.catalog.location import user_catalog_path
from bedrock_lint.catalog.models import packaged_catalog_text
from bedrock_lint.cli import main
from bedrock_lint.engine.cache import catalog_version
from tests.bedrock_stubs import recorded_clients

ROOT = Path(__file__).resolve().parent.parent
DAY = datetime.date(2026, 11, 23)
JSON_KEYS = [
    "id",
    "tier",
    "status",
    "status_uncertain",
    "legacy_date",
    "eol_date",
    "successor",
    "profiles",
    "requires_inference_profile",
    "sources",
    "verified",
    "eol_no_sooner_than",
    "max_output_tokens",
    "max_output_tokens_certain",
    "min_cache_tokens",
    "context_window",
    "uncertain",
    "context_variants",
    "context_variants_uncertain",
    "constraints",
]
PACKAGED_COUNT = len(json.loads(packaged_catalog_text())["models"])


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setattr("bedrock_lint.catalog.models.today", lambda: DAY)


@pytest.fixture
def user_catalog(tmp_path) -> Path:
    path = user_catalog_path()
    assert tmp_path.parent in path.parents, f"{path} is not a temporary directory"  # never the real home
    return path


def run(*args: str, cwd: Path):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def refresh_with(monkeypatch, regions: list[str], failures=None):
    """Answer the control plane from the recorded responses; returns the stubbers."""
    factory, stubbers = recorded_clients(regions, failures)
    monkeypatch.setattr(refresh, "bedrock_client", factory)
    return stubbers


def catalog_with_extra_model(path: Path, model_id: str) -> Path:
    data = json.loads(packaged_catalog_text())
    extra = dict(data["models"][-1], id=model_id, first_party_names=[])
    data["models"].append(extra)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- showing


def test_table_of_the_packaged_catalog(tmp_path, user_catalog):
    result = run("models", cwd=tmp_path)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "catalog: packaged with bedrock-lint 0.1.0 (verified 2026-10)"
    assert lines[1].split() == ["Id", "Tier", "Status", "EOL", "date", "Successor", "Profiles"]
    rows = {line.split()[0]: line.split() for line in lines[3:]}
    assert len(rows) == PACKAGED_COUNT
    # Legacy on 2026-11-23 (from 2026-07-08), end of life 2027-01-08.
    assert rows["anthropic.claude-opus-4-1-20250805-v1:0"] == [
        "anthropic.claude-opus-4-1-20250805-v1:0", "opus", "Legacy", "2027-01-08", "anthropic.claude-opus-4-8", "us.", "eu.",
    ]
    # The packaged lifecycle of Opus 4.8 is marked uncertain.
    assert rows["anthropic.claude-opus-4-8"][1:4] == ["opus", "Active", "(uncertain)"]


def test_json_is_one_array_with_stable_keys(tmp_path, user_catalog):
    result = run("models", "--format", "json", cwd=tmp_path)
    assert result.exit_code == 0
    models = json.loads(result.stdout)
    assert len(models) == PACKAGED_COUNT
    assert all(list(model) == JSON_KEYS for model in models)
    by_id = {model["id"]: model for model in models}
    sonnet_4 = by_id["anthropic.claude-sonnet-4-20250514-v1:0"]
    assert (sonnet_4["status"], sonnet_4["status_uncertain"], sonnet_4["legacy_date"], sonnet_4["eol_date"]) == ("EOL", False, "2026-04-14", "2026-10-14")
    assert by_id["anthropic.claude-sonnet-4-5-20250929-v1:0"]["requires_inference_profile"] is True
    assert by_id["anthropic.claude-3-5-haiku-20241022-v1:0"]["status"] is None
    # The request constraints, with their sources and uncertain markers, as packaged.
    packaged = {model["id"]: model for model in json.loads(packaged_catalog_text())["models"]}
    assert all(model["constraints"] == packaged[model["id"]]["constraints"] for model in models)
    sonnet_46 = by_id["anthropic.claude-sonnet-4-6"]
    assert (sonnet_46["max_output_tokens"], "max_output" in sonnet_46["uncertain"]) == (128000, True)
    assert sonnet_46["max_output_tokens_certain"] == 64000  # what a fix may rely on
    assert sonnet_46["constraints"]["prefill"] is False
    assert sonnet_46["constraints"]["sampling"]["temperature_top_p_together"] == "rejected"
    assert sonnet_46["constraints"]["sources"]["prefill"]
    assert "caching.ttl_1h" in by_id["anthropic.claude-opus-4-7"]["constraints"]["uncertain"]
    assert by_id["anthropic.claude-3-haiku-20240307-v1:0"]["context_variants"] == [
        "anthropic.claude-3-haiku-20240307-v1:0:48k", "anthropic.claude-3-haiku-20240307-v1:0:200k",
    ]
    assert by_id["anthropic.claude-haiku-4-5-20251001-v1:0"]["eol_no_sooner_than"] == "2026-10-01"
    # Where the catalog comes from is said on stderr, so stdout stays JSON.
    assert result.stderr.startswith("catalog: packaged")


def test_the_configured_catalog_is_shown(tmp_path, user_catalog):
    catalog_with_extra_model(tmp_path / "catalogs" / "mine.json", "anthropic.claude-configured-1")
    (tmp_path / "pyproject.toml").write_text('[tool.bedrock-lint]\ncatalog = "catalogs/mine.json"\n', encoding="utf-8")
    (tmp_path / "src").mkdir()
    result = run("models", cwd=tmp_path / "src")  # found upward, like check does
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0]
    assert first == f"catalog: {tmp_path / 'catalogs' / 'mine.json'} (from the catalog setting in {tmp_path / 'pyproject.toml'})"
    assert "anthropic.claude-configured-1" in result.stdout


def test_config_option_and_catalog_option(tmp_path, user_catalog):
    catalog_with_extra_model(tmp_path / "a" / "a.json", "anthropic.claude-from-config-1")
    (tmp_path / "a" / "bedrock-lint.toml").write_text('catalog = "a.json"\n', encoding="utf-8")
    catalog_with_extra_model(tmp_path / "b.json", "anthropic.claude-from-option-1")
    by_config = run("models", "--config", "a/bedrock-lint.toml", cwd=tmp_path)
    assert "anthropic.claude-from-config-1" in by_config.stdout
    by_option = run("models", "--catalog", "b.json", "--config", "a/bedrock-lint.toml", cwd=tmp_path)
    assert by_option.stdout.splitlines()[0] == f"catalog: {tmp_path / 'b.json'} (from --catalog)"
    assert "anthropic.claude-from-option-1" in by_option.stdout


def test_a_user_catalog_takes_precedence_over_the_packaged_one(tmp_path, user_catalog):
    catalog_with_extra_model(user_catalog, "anthropic.claude-user-1")
    result = run("models", cwd=tmp_path)
    assert result.stdout.splitlines()[0] == f"catalog: {user_catalog} (the user catalog written by bedrock-lint models --refresh)"
    assert "anthropic.claude-user-1" in result.stdout


@pytest.mark.parametrize(
    "content, expected",
    [
        ("{not json", "is not valid: Expecting property name"),
        ('{"models": {}}', 'is not valid: expected an object with a "models" list'),
    ],
)
def test_a_broken_catalog_is_a_clear_error(tmp_path, user_catalog, content, expected):
    (tmp_path / "broken.json").write_text(content, encoding="utf-8")
    result = run("models", "--catalog", "broken.json", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: model catalog {tmp_path / 'broken.json'} {expected}")


def test_missing_files_and_misused_options_are_usage_errors(tmp_path, user_catalog):
    assert run("models", "--catalog", "nope.json", cwd=tmp_path).stderr == "error: --catalog: nope.json: no such file\n"
    assert run("models", "--config", "nope.toml", cwd=tmp_path).stderr == "error: --config: nope.toml: no such file\n"
    region_alone = run("models", "--region", "us-east-1", cwd=tmp_path)
    assert (region_alone.exit_code, region_alone.stderr) == (2, "error: --region is used with --refresh only\n")


# --------------------------------------------------------------------------- refreshing


def test_refresh_writes_the_user_catalog_and_shows_it(tmp_path, user_catalog, monkeypatch):
    stubbers = refresh_with(monkeypatch, ["us-east-1"])
    result = run("models", "--refresh", "--region", "us-east-1", "--format", "json", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    # Every recorded answer was asked for, the second profile page with the first page's nextToken.
    stubbers["us-east-1"].assert_no_pending_responses()
    written = json.loads(user_catalog.read_text("utf-8"))
    assert written["refreshed"] == {"date": "2026-11-23", "regions": ["us-east-1"], "by": "bedrock-lint models --refresh (ListFoundationModels/ListInferenceProfiles)"}
    assert len(written["models"]) == PACKAGED_COUNT + 1
    shown = {model["id"]: model for model in json.loads(result.stdout)}
    assert shown["anthropic.claude-haiku-6"]["profiles"] == ["us.", "global."]
    assert shown["anthropic.claude-opus-4-1-20250805-v1:0"]["profiles"] == ["us.", "eu.", "global."]
    assert shown["anthropic.claude-3-5-haiku-20241022-v1:0"]["status"] == "Legacy"
    assert shown["anthropic.claude-3-5-haiku-20241022-v1:0"]["verified"] == "2026-11-23"
    assert result.stderr.splitlines() == [
        "refreshed the model catalog from ListFoundationModels/ListInferenceProfiles in us-east-1",
        "  new models (only id, profiles and lifecycle known): anthropic.claude-haiku-6",
        "  new profiles for anthropic.claude-opus-4-1-20250805-v1:0: global.",
        "  lifecycle reported by the API for 6 models",
        f"wrote {user_catalog}",
        f"catalog: {user_catalog} (the user catalog written by bedrock-lint models --refresh); refreshed 2026-11-23 from us-east-1",
    ]
    assert os.listdir(user_catalog.parent) == [user_catalog.name]  # no temporary file left


def test_refresh_merges_regions(tmp_path, user_catalog, monkeypatch):
    stubbers = refresh_with(monkeypatch, ["us-east-1", "ap-southeast-1"])
    result = run("models", "--refresh", "--region", "us-east-1", "--region", "ap-southeast-1", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    for stubber in stubbers.values():
        stubber.assert_no_pending_responses()
    assert "  new profiles for anthropic.claude-sonnet-4-6: apac." in result.stderr.splitlines()
    row = next(line for line in result.stdout.splitlines() if line.startswith("anthropic.claude-3-5-haiku-20241022-v1:0 "))
    assert row.split()[2:4] == ["Legacy", "(uncertain)"]  # the two regions disagree


def test_refresh_uses_the_region_of_the_aws_configuration(tmp_path, user_catalog, monkeypatch, no_aws_configuration):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    stubbers = refresh_with(monkeypatch, ["us-east-1"])
    result = run("models", "--refresh", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    stubbers["us-east-1"].assert_no_pending_responses()


def test_refresh_starts_from_the_packaged_catalog_not_an_earlier_refresh(tmp_path, user_catalog, monkeypatch):
    catalog_with_extra_model(user_catalog, "anthropic.claude-stale-1")
    refresh_with(monkeypatch, ["us-east-1"])
    assert run("models", "--refresh", "--region", "us-east-1", cwd=tmp_path).exit_code == 0
    ids = {model["id"] for model in json.loads(user_catalog.read_text("utf-8"))["models"]}
    assert "anthropic.claude-stale-1" not in ids and "anthropic.claude-haiku-6" in ids


@pytest.mark.parametrize(
    "regions, failures, expected",
    [
        (
            ["us-east-1"],
            {"us-east-1": (0, "AccessDeniedException", "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: bedrock:ListFoundationModels")},
            "us-east-1: ListFoundationModels failed: AccessDeniedException: User: arn:aws:iam::123456789012:user/dev is not authorized to perform: bedrock:ListFoundationModels",
        ),
        (
            # The second page fails after the first answered.
            ["us-east-1"],
            {"us-east-1": (2, "ThrottlingException", "Rate exceeded")},
            "us-east-1: ListInferenceProfiles failed: ThrottlingException: Rate exceeded",
        ),
        (
            # The second region fails after the first one was listed completely.
            ["us-east-1", "ap-southeast-1"],
            {"ap-southeast-1": (0, "UnrecognizedClientException", "The security token included in the request is invalid.")},
            "ap-southeast-1: ListFoundationModels failed: UnrecognizedClientException: The security token included in the request is invalid.",
        ),
    ],
)
def test_an_api_error_leaves_the_user_catalog_untouched(tmp_path, user_catalog, monkeypatch, regions, failures, expected):
    catalog_with_extra_model(user_catalog, "anthropic.claude-earlier-1")
    before = user_catalog.read_bytes()
    stubbers = refresh_with(monkeypatch, regions, failures)
    arguments = [argument for region in regions for argument in ("--region", region)]
    result = run("models", "--refresh", *arguments, cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: models --refresh: {expected}; the model catalog was not changed\n"
    assert user_catalog.read_bytes() == before
    assert os.listdir(user_catalog.parent) == [user_catalog.name]
    for stubber in stubbers.values():
        stubber.assert_no_pending_responses()


def test_refresh_without_credentials(tmp_path, user_catalog, monkeypatch, no_aws_configuration):
    def client_that_must_not_send(session, region):
        client = session.create_client("bedrock", region_name=region)
        client.meta.events.register("before-send.bedrock", lambda request, **_: pytest.fail(f"a request was sent to {request.url}"))
        return client

    monkeypatch.setattr(refresh, "bedrock_client", client_that_must_not_send)
    result = run("models", "--refresh", "--region", "eu-west-1", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: models --refresh: eu-west-1: ListFoundationModels: no AWS credentials found; configure them")
    assert len(result.stderr.splitlines()) == 1
    assert not user_catalog.exists()


def test_refresh_without_a_region(tmp_path, user_catalog, no_aws_configuration):
    result = run("models", "--refresh", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (
        "error: models --refresh: no AWS region is configured; pass --region REGION (repeat it for several) "
        "or set AWS_REGION; the model catalog was not changed\n"
    )


def test_refresh_without_botocore(tmp_path, user_catalog, monkeypatch):
    monkeypatch.setitem(sys.modules, "botocore", None)
    result = run("models", "--refresh", "--region", "us-east-1", cwd=tmp_path)
    assert result.exit_code == 2
    assert "pip install 'bedrock-lint[refresh]'" in result.stderr
    assert not user_catalog.exists()


def test_a_configured_catalog_still_wins_after_a_refresh(tmp_path, user_catalog, monkeypatch):
    catalog_with_extra_model(tmp_path / "mine.json", "anthropic.claude-configured-1")
    refresh_with(monkeypatch, ["us-east-1"])
    result = run("models", "--refresh", "--region", "us-east-1", "--catalog", "mine.json", cwd=tmp_path)
    assert result.exit_code == 0
    assert user_catalog.exists()
    assert f"note: the catalog in use is {tmp_path / 'mine.json'} (--catalog); it takes precedence over the refreshed one" in result.stderr
    assert "anthropic.claude-configured-1" in result.stdout and "anthropic.claude-haiku-6" not in result.stdout


def test_a_catalog_that_cannot_be_written_is_a_clear_error(tmp_path, user_catalog, monkeypatch):
    user_catalog.parent.parent.mkdir(parents=True)
    user_catalog.parent.write_text("a file where the data directory should be", encoding="utf-8")
    refresh_with(monkeypatch, ["us-east-1"])
    result = run("models", "--refresh", "--region", "us-east-1", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: models --refresh: cannot write {user_catalog}: File exists; the model catalog was not changed\n"


# --------------------------------------------------------------------------- the linter


APP = textwrap.dedent(
    """\
    import boto3

    client = boto3.client("bedrock-runtime", region_name="us-east-1")


    def ask(question, model_id="us.anthropic.claude-haiku-6"):
        return client.converse(modelId=model_id, messages=[{"role": "user", "content": [{"text": question}]}])


    def ask_sonnet(question):
        return client.converse(
            modelId="apac.anthropic.claude-sonnet-4-6",
            messages=[{"role": "user", "content": [{"text": question}]}],
        )
    """
)


def check_codes(project: Path) -> set[tuple[int, str]]:
    """``bedrock-lint check`` in a subprocess (with the cache), as a user runs it."""
    completed = subprocess.run(
        [sys.executable, "-m", "bedrock_lint", "check", "--format", "json", "--select", "BDR101", "app.py"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert completed.returncode in (0, 1), completed.stderr
    return {(finding["line"], finding["code"]) for finding in json.loads(completed.stdout)}


def test_after_a_refresh_the_linter_uses_the_refreshed_catalog(tmp_path, user_catalog, monkeypatch):
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text(APP, encoding="utf-8")
    version_before = catalog_version()
    # Unknown to the packaged catalog: the made-up model, and a profile it does not list.
    assert check_codes(project) == {(6, "BDR101"), (12, "BDR101")}

    refresh_with(monkeypatch, ["us-east-1", "ap-southeast-1"])
    assert run("models", "--refresh", "--region", "us-east-1", "--region", "ap-southeast-1", cwd=tmp_path).exit_code == 0

    assert catalog_version() != version_before  # cached findings are not reused
    assert check_codes(project) == set()

