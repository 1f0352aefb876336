"""The model catalog: its data, its API, and every model judged by the model-id rules."""

from __future__ import annotations

import datetime
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from bedrock_lint.catalog.models import Catalog, load_catalog, packaged_catalog_text, parse_catalog, split_profile
from bedrock_lint.engine.analyse import analyse_text
from bedrock_lint.engine.source import source_from_bytes
from bedrock_lint.findings import Severity
from bedrock_lint.settings import Settings
from tests.fixture_support import FIXTURE_DAY, frozen_today

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "reference" / "claude-models.json"
CATALOG = parse_catalog(packaged_catalog_text(), "(packaged)")
MODELS = list(CATALOG.models.values())
MODEL_ID_RULES = frozenset({"BDR101", "BDR102", "BDR103", "BDR104", "BDR105", "BDR106", "BDR108"})


def findings_for(code: str, day: datetime.date = FIXTURE_DAY, settings: Settings | None = None, codes=MODEL_ID_RULES):
    source = source_from_bytes(code.encode(), "check.py")
    with frozen_today(day):
        analysis = analyse_text(source, settings or Settings(), codes)
    assert not analysis.internal_errors, analysis.internal_errors
    return analysis.findings


def converse(model_id: str, region: str = "us-east-1") -> str:
    return (
        "import boto3\n"
        f"client = boto3.client('bedrock-runtime', region_name={region!r})\n"
        f"client.converse(modelId={model_id!r}, messages=[])\n"
    )


# ----------------------------------------------------------------------- the data
@pytest.mark.skipif(not REFERENCE.is_file(), reason="the shared reference is not next to the repository")
def test_packaged_catalog_is_built_from_the_reference():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from build_catalog import render
    finally:
        sys.path.pop(0)
    shipped = (ROOT / "bedrock_lint" / "catalog" / "claude_models.json").read_text("utf-8")
    assert shipped == render(REFERENCE), "run: python scripts/build_catalog.py"


@pytest.mark.skipif(not REFERENCE.is_file(), reason="the shared reference is not next to the repository")
def test_every_reference_fact_and_uncertain_marker_is_kept():
    reference = {entry["id"]: entry for entry in json.loads(REFERENCE.read_text("utf-8"))}
    assert set(reference) == set(CATALOG.models)
    for model_id, entry in reference.items():
        model = CATALOG.models[model_id]
        assert set(entry["uncertain"] or []) <= model.uncertain
        assert model.profiles == tuple(entry["profile_prefixes"])
        assert model.successor_id == entry["replacement"]
        assert model.min_cache_tokens == entry["min_cache_tokens"]
        assert model.max_output_tokens == entry["max_output"]
        assert model.sources == tuple(entry["source"])
        assert model.verified


def test_every_model_has_sources_and_a_known_tier_or_an_uncertain_one():
    for model in MODELS:
        assert model.sources, model.id
        assert model.tier in ("haiku", "sonnet", "opus") or model.is_uncertain("tier"), model.id


def test_successors_are_in_the_catalog():
    for model in MODELS:
        if model.successor_id is not None:
            assert model.successor_id in CATALOG.models, model.id


# ------------------------------------------------------------------------ the API
def test_lookup_accepts_base_and_profile_ids():
    assert CATALOG.lookup("anthropic.claude-sonnet-4-5-20250929-v1:0").id == "anthropic.claude-sonnet-4-5-20250929-v1:0"
    assert CATALOG.lookup("us-gov.anthropic.claude-haiku-4-5-20251001-v1:0").id == "anthropic.claude-haiku-4-5-20251001-v1:0"
    assert CATALOG.lookup("anthropic.claude-sonnet-4-5-v1:0") is None
    assert split_profile("global.anthropic.claude-opus-4-8").prefix == "global."
    assert split_profile("amazon.nova-pro-v1:0").prefix is None


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("anthropic.claude-sonnet-4-5-v1:0", "anthropic.claude-sonnet-4-5-20250929-v1:0"),
        ("us.anthropic.claude-haiku-4-5-v1:0", "us.anthropic.claude-haiku-4-5-20251001-v1:0"),
        ("anthropic.claude-4.5-sonnet-v1:0", "anthropic.claude-sonnet-4-5-20250929-v1:0"),
        ("anthropic.claude-3-5-sonnet-20241022", "anthropic.claude-3-5-sonnet-20241022-v2:0"),
        ("anthropic.claude-opus-4-6-20260901", "anthropic.claude-opus-4-6-v1"),
        ("anthropic.claude-sonnet-4-6-v1:0", "anthropic.claude-sonnet-4-6"),
        ("anthropic.claude-3-haiku-2024037-v1:0", "anthropic.claude-3-haiku-20240307-v1:0"),
        ("anthropic.claude-3-5-sonnet", None),  # v1 or v2
        ("anthropic.claude-sonnet-9", None),
    ],
)
def test_closest(written, meant):
    assert CATALOG.closest(written) == meant


def test_successor_skips_models_that_are_legacy_or_eol_on_the_day():
    assert CATALOG.successor("anthropic.claude-3-haiku-20240307-v1:0", FIXTURE_DAY).id == "anthropic.claude-haiku-4-5-20251001-v1:0"
    # Claude 2's successor is Sonnet 4.6, which has a successor of its own but is current.
    assert CATALOG.successor("anthropic.claude-v2", FIXTURE_DAY).id == "anthropic.claude-sonnet-4-6"
    assert CATALOG.successor("anthropic.claude-sonnet-4-6", FIXTURE_DAY).id == "anthropic.claude-sonnet-5-5"


def test_first_party_names_map_to_bedrock_ids():
    assert CATALOG.first_party("claude-sonnet-4-5").id == "anthropic.claude-sonnet-4-5-20250929-v1:0"
    assert CATALOG.first_party("claude-3-haiku-20240307").id == "anthropic.claude-3-haiku-20240307-v1:0"
    assert CATALOG.first_party("claude-opus-4-6").id == "anthropic.claude-opus-4-6-v1"
    assert CATALOG.first_party("claude-3-5-sonnet-latest") is None  # v1 or v2


def test_geographies_of_regions():
    assert CATALOG.geographies_of_region("ap-northeast-1") == ["jp.", "apac.", "global."]
    assert CATALOG.geographies_of_region("us-gov-west-1") == ["us-gov."]
    assert CATALOG.profile_serves_region("eu.", "us-east-1") is False
    assert CATALOG.profile_serves_region("us.", "ca-central-1") is None
    assert CATALOG.profile_serves_region("global.", "eu-west-1") is True


def test_status_follows_the_dates():
    opus_41 = CATALOG.models["anthropic.claude-opus-4-1-20250805-v1:0"]
    assert opus_41.status(datetime.date(2026, 7, 7)) == "Active"
    assert opus_41.status(datetime.date(2026, 7, 8)) == "Legacy"
    assert opus_41.status(datetime.date(2027, 1, 8)) == "EOL"
    assert CATALOG.models["anthropic.claude-v2"].status(FIXTURE_DAY) == "EOL"  # recorded, no dates
    assert CATALOG.models["anthropic.claude-3-5-haiku-20241022-v1:0"].status(FIXTURE_DAY) is None  # not known


# -------------------------------------------------- every model through the rules
def _usable_ids(model) -> list[str]:
    """The ids a program can call the model by: its profiles, and its base id unless
    only a profile can call it."""
    ids = [prefix + model.id for prefix in model.profiles]
    if not model.profile_only:
        ids.append(model.id)
    return ids


@pytest.mark.parametrize("model", [m for m in MODELS if m.status(FIXTURE_DAY) not in ("Legacy", "EOL")], ids=lambda m: m.id)
def test_current_model_ids_pass(model):
    for model_id in _usable_ids(model):
        region = "us-gov-west-1" if model_id.startswith("us-gov.") else "us-east-1"
        prefix = split_profile(model_id).prefix
        if prefix in ("eu.", "apac.", "jp.", "au."):
            region = {"eu.": "eu-west-1", "apac.": "ap-south-1", "jp.": "ap-northeast-1", "au.": "ap-southeast-2"}[prefix]
        assert findings_for(converse(model_id, region)) == [], model_id


def _lifecycle_cases():
    for model in MODELS:
        for day in (model.legacy_date, model.eol_date, FIXTURE_DAY):
            if day is not None and model.status(day) in ("Legacy", "EOL"):
                yield pytest.param(model, day, id=f"{model.id}@{day}")


@pytest.mark.parametrize(("model", "day"), list(_lifecycle_cases()))
def test_legacy_and_eol_models_are_reported_with_date_and_successor(model, day):
    status = model.status(day)
    code = {"Legacy": "BDR102", "EOL": "BDR103"}[status]
    model_id = (model.profiles[0] if model.profiles else "") + model.id
    found = [f for f in findings_for(converse(model_id), day, codes=frozenset({code}))]
    assert len(found) == 1, found
    message = found[0].message
    # A Legacy model's message gives its end-of-life date (rules.md), or the Legacy date
    # when no end of life is recorded.
    date = model.eol_date if status == "EOL" or model.eol_date is not None else model.legacy_date
    if date is not None:
        assert str(date) in message
    successor = CATALOG.successor(model.id, day)
    assert successor is not None and successor.id in message
    uncertain = model.status_uncertain(status)
    assert ("uncertain" in message) == uncertain
    expected_severity = Severity.WARNING if uncertain and code == "BDR103" else None
    assert found[0].severity == expected_severity


def test_a_model_turns_legacy_then_eol_on_the_catalog_dates():
    code = converse("us.anthropic.claude-opus-4-1-20250805-v1:0")
    codes = frozenset({"BDR102", "BDR103"})

    def reported(day):
        return [f.code for f in findings_for(code, day, codes=codes)]

    assert reported(datetime.date(2026, 7, 7)) == []
    assert reported(datetime.date(2026, 7, 8)) == ["BDR102"]
    assert reported(datetime.date(2027, 1, 7)) == ["BDR102"]
    assert reported(datetime.date(2027, 1, 8)) == ["BDR103"]


def test_uncertain_facts_are_warnings_that_say_so():
    # Haiku 4.5's need for a profile is marked uncertain in the catalog.
    (finding,) = findings_for(converse("anthropic.claude-haiku-4-5-20251001-v1:0"), codes=frozenset({"BDR104"}))
    assert finding.severity is Severity.WARNING and "uncertain" in finding.message
    # Sonnet 4.5's is not.
    (finding,) = findings_for(converse("anthropic.claude-sonnet-4-5-20250929-v1:0"), codes=frozenset({"BDR104"}))
    assert finding.severity is None and "uncertain" not in finding.message


def test_profile_geography_setting_gives_the_prefix_when_the_region_is_unknown():
    code = "import boto3\nboto3.client('bedrock-runtime').converse(modelId='anthropic.claude-sonnet-4-6', messages=[])\n"
    (plain,) = findings_for(code, codes=frozenset({"BDR104"}))
    assert plain.fix is None
    (configured,) = findings_for(code, settings=Settings(profile_geography="eu"), codes=frozenset({"BDR104"}))
    assert configured.fix is not None and "eu.anthropic.claude-sonnet-4-6" in configured.fix.edits[0].content


def test_small_model_setting_is_the_bdr107_replacement():
    code = converse("us.anthropic.claude-opus-4-8").replace("messages=[])", "messages=[], inferenceConfig={'maxTokens': 5})")
    settings = Settings(small_model="anthropic.claude-sonnet-4-6")
    (finding,) = findings_for(code, settings=settings, codes=frozenset({"BDR107"}))
    assert "us.anthropic.claude-sonnet-4-6" in finding.fix.edits[0].content
    assert findings_for(code, settings=Settings(small_task_max_tokens=4), codes=frozenset({"BDR107"})) == []


# ----------------------------------------------------------------- loading
def test_a_configured_catalog_takes_precedence(tmp_path):
    data = json.loads(packaged_catalog_text())
    data["models"].append({**data["models"][-1], "id": "anthropic.claude-haiku-9", "profiles": ["us."], "first_party_names": []})
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    catalog = load_catalog(str(path))
    assert isinstance(catalog, Catalog) and "anthropic.claude-haiku-9" in catalog.models
    assert findings_for(converse("us.anthropic.claude-haiku-9"), settings=Settings(catalog=str(path))) == []
    assert [f.code for f in findings_for(converse("us.anthropic.claude-haiku-9"))] == ["BDR101"]


def test_a_broken_catalog_file_is_a_clear_error(tmp_path):
    from bedrock_lint.catalog.models import CatalogError

    path = tmp_path / "catalog.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogError, match="catalog.json is not valid"):
        load_catalog(str(path))


def test_rule_docs_show_the_catalog_facts():
    from click.testing import CliRunner

    from bedrock_lint.cli import main

    result = CliRunner().invoke(main, ["rule", "BDR103"])
    assert result.exit_code == 0
    assert "## Catalog facts" in result.output
    assert "anthropic.claude-3-haiku-20240307-v1:0" in result.output and "2026-09-10" in result.output


@pytest.mark.skipif(importlib.util.find_spec("botocore") is None, reason="botocore not installed")
def test_arn_grammar_comes_from_the_service_model():
    import botocore.session

    from bedrock_lint.catalog.api import model_id_pattern
    from bedrock_lint.rules.model_ids import ARN_RESOURCE_TYPES, arn_problem

    model = botocore.session.get_session().get_service_model("bedrock-runtime")
    pattern = model.operation_model("Converse").input_shape.members["modelId"].metadata["pattern"]
    assert model_id_pattern() == pattern
    # The resource types used to explain a bad ARN are the ones the grammar accepts.
    account = "arn:aws:bedrock:us-east-1:123456789012"
    samples = {
        "foundation-model": "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0",
        "inference-profile": f"{account}:inference-profile/us.anthropic.claude-sonnet-4-6",
        "application-inference-profile": f"{account}:application-inference-profile/a1b2c3d4e5f6",
        "provisioned-model": f"{account}:provisioned-model/abcdef123456",
        "custom-model-deployment": f"{account}:custom-model-deployment/abcdef123456",
        "imported-model": f"{account}:imported-model/abcdef123456",
        "custom-model": f"{account}:custom-model/amazon.titan-text-express-v1/abcdef123456",
        "prompt-router": f"{account}:prompt-router/abcdef123456",
        "default-prompt-router": f"{account}:default-prompt-router/anthropic.claude:1",
        "prompt": f"{account}:prompt/ABCDEFGHIJ",
    }
    assert set(samples) == set(ARN_RESOURCE_TYPES)
    for resource_type, arn in samples.items():
        assert arn_problem(arn) is None, resource_type
