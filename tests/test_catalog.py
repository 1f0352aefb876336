"""The model catalog: its data, its API, and every model judged by the model-id rules."""

from __future__ import annotations

import datetime
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from bedrock_lint.catalog.models import Catalog, CatalogError, Fact, load_catalog, packaged_catalog_text, parse_catalog, split_profile
from bedrock_lint.engine.analyse import analyse_text
from bedrock_lint.engine.source import source_from_bytes
from bedrock_lint.findings import Severity
from bedrock_lint.settings import Settings
from tests.fixture_support import FIXTURE_DAY, frozen_today

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "reference" / "claude-models.json"
CONSTRAINTS = REFERENCE.parent / "model-constraints.json"
CORRECTIONS = ROOT / "scripts" / "catalog_corrections.json"
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
def _build_catalog():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_catalog
    finally:
        sys.path.pop(0)
    return build_catalog


@pytest.mark.skipif(not REFERENCE.is_file(), reason="the shared reference is not next to the repository")
def test_packaged_catalog_is_built_from_the_reference():
    render = _build_catalog().render
    shipped = (ROOT / "bedrock_lint" / "catalog" / "claude_models.json").read_text("utf-8")
    assert shipped == render(REFERENCE), "run: python scripts/build_catalog.py"


def _corrections() -> dict[str, dict]:
    corrections = json.loads(CORRECTIONS.read_text("utf-8"))["corrections"]
    by_id = {correction["id"]: correction for correction in corrections}
    assert len(by_id) == len(corrections), "one correction per model"
    return by_id


@pytest.mark.skipif(not REFERENCE.is_file(), reason="the shared reference is not next to the repository")
def test_every_reference_fact_and_uncertain_marker_is_kept():
    """... except where a documented correction (scripts/catalog_corrections.json) changes it."""
    reference = {entry["id"]: entry for entry in json.loads(REFERENCE.read_text("utf-8"))}
    corrections = _corrections()
    assert set(reference) == set(CATALOG.models)
    for model_id, entry in reference.items():
        model = CATALOG.models[model_id]
        correction = corrections.get(model_id, {})
        entry = {**entry, **correction.get("set", {})}
        assert set(entry["uncertain"] or []) - set(correction.get("certain", ())) <= model.uncertain
        assert model.profiles == tuple(entry["profile_prefixes"])
        assert model.successor_id == entry["replacement"]
        assert model.min_cache_tokens == entry["min_cache_tokens"]
        assert model.max_output_tokens == entry["max_output"]
        assert model.sources[: len(entry["source"])] == tuple(entry["source"])
        assert model.verified


@pytest.mark.skipif(not CONSTRAINTS.is_file(), reason="the shared reference is not next to the repository")
def test_every_constraint_source_and_uncertain_marker_is_kept():
    raw_models = json.loads(CONSTRAINTS.read_text("utf-8"))["models"]
    assert set(raw_models) == set(CATALOG.models)
    renamed = {"max_output_bedrock": "max_output_tokens", "thinking_modes": "thinking", "variant_ids": "context_variants"}
    for model_id, raw in raw_models.items():
        model = CATALOG.models[model_id]
        constraints = model.constraints
        assert constraints.prefill == raw["prefill"]
        assert constraints.thinking.modes == tuple(raw["thinking_modes"])
        assert constraints.sampling.together == ("rejected" if raw["sampling"]["temperature_top_p_exclusive"] else "allowed")
        for key in ("temperature", "top_p", "top_k"):
            assert getattr(constraints.sampling, key) == raw["sampling"][key]
        assert (constraints.betas, constraints.betas_rejected) == (tuple(raw["betas"]), tuple(raw["betas_rejected"]))
        for tool, versions in raw["tool_versions"].items():
            assert constraints.tool_versions[tool] == tuple(v for v in versions if not v.startswith("[uncertain"))
        assert model.max_output_tokens == raw["max_output_bedrock"]
        assert model.min_cache_tokens == raw["caching"]["min_tokens"]
        assert model.context_variants == tuple(raw.get("variant_ids") or ())
        for group, sources in raw["sources"].items():
            # Sources citing the reference sheets cite docs/facts.md, which ships.
            cited = tuple(_build_catalog().cite_repository_docs(source) for source in sources)
            assert constraints.sources[renamed.get(group, group)] == cited, (model_id, group)
        for path in raw["uncertain"]:
            if path == "max_output_bedrock":
                assert model.output_cap.uncertain, model_id
            elif path in ("caching.min_tokens", "caching"):
                assert model.is_uncertain("min_cache_tokens"), model_id
            elif path == "variant_ids":
                assert model.context_variants_uncertain, model_id
            else:
                path = {"thinking_modes": "thinking.modes", "sampling.temperature_top_p_exclusive": "sampling.temperature_top_p_together"}.get(path, path)
                assert constraints.is_uncertain(path), (model_id, path)


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


# ------------------------------------------------------------ request constraints
def test_every_model_has_constraints_with_sources():
    for model in MODELS:
        assert model.constraints is not None, model.id
        assert model.constraints.sources, model.id
        assert model.constraints.anthropic_version.accepted == ("bedrock-2023-05-31",)


def test_constraints_are_typed_facts_with_their_uncertainty():
    sonnet_45 = CATALOG.models["anthropic.claude-sonnet-4-5-20250929-v1:0"]
    assert sonnet_45.constraints.sampling.together == "rejected"
    assert sonnet_45.constraint("sampling.temperature_top_p_together") == Fact(
        "rejected", False, sonnet_45.constraints.sources["sampling"]
    )
    # AWS and Anthropic disagree about Sonnet 4: allowed, but uncertain (a rule warns).
    sonnet_4 = CATALOG.models["anthropic.claude-sonnet-4-20250514-v1:0"]
    together = sonnet_4.constraint("sampling.temperature_top_p_together")
    assert (together.value, together.uncertain) == ("allowed", True)
    assert sonnet_4.constraint("sampling.together") == together
    opus_48 = CATALOG.models["anthropic.claude-opus-4-8"]
    sampling = opus_48.constraints.sampling
    assert (sampling.temperature, sampling.top_k) == ("deprecated-rejected", "deprecated-rejected")
    assert sampling.temperature_range.contains(1.0) and not sampling.temperature_range.contains(0.7)
    assert sampling.top_p_range.contains(0.99) and not sampling.top_p_range.contains(1.0) and not sampling.top_p_range.contains(0.5)
    assert opus_48.constraint("sampling.top_p_range").uncertain
    assert opus_48.accepts_prefill == Fact(False, False, opus_48.constraints.sources["prefill"])
    assert CATALOG.models["anthropic.claude-sonnet-4-5-20250929-v1:0"].accepts_prefill.value is True
    assert opus_48.output_cap.value == 128000 and not opus_48.output_cap.uncertain
    # Thinking modes and forced tool_choice.
    assert CATALOG.models["anthropic.claude-opus-4-6-v1"].constraints.thinking.deprecated_modes == ("enabled",)
    assert CATALOG.models["anthropic.claude-opus-5-5"].constraints.thinking.always_on
    assert CATALOG.models["anthropic.claude-opus-5-5"].constraint("forced_tool_choice").value == "rejected"
    assert CATALOG.models["anthropic.claude-sonnet-5"].constraint("forced_tool_choice").value == "requires-thinking-disabled"
    assert sonnet_45.constraint("forced_tool_choice").value == "not-with-thinking"
    fable = CATALOG.models["anthropic.claude-fable-5"].constraint("forced_tool_choice")
    assert (fable.value, fable.uncertain) == (None, True)
    assert sonnet_45.constraints.thinking.budget_tokens_min == 1024
    assert sonnet_45.constraints.thinking.budget_below_max_tokens == "unless-interleaved-beta"
    assert sonnet_45.constraint("sampling.with_thinking.top_p") == Fact("unset", True, sonnet_45.constraints.sources["sampling"])
    # Tools, betas, caching, anthropic_version.
    assert sonnet_45.constraints.tool_versions["computer"] == ("computer_20250124",)
    assert "context-1m-2025-08-07" in sonnet_45.constraints.betas and sonnet_45.constraints.is_uncertain("betas.context-1m-2025-08-07")
    assert not sonnet_45.constraints.is_uncertain("betas.computer-use-2025-01-24")
    assert "files-api-2025-04-14" in sonnet_45.constraints.betas_rejected
    assert CATALOG.models["anthropic.claude-opus-5-5"].constraint("tool_versions.computer").uncertain
    assert CATALOG.models["anthropic.claude-3-haiku-20240307-v1:0"].constraints.caching.ttls == ()
    assert CATALOG.models["anthropic.claude-3-5-haiku-20241022-v1:0"].constraints.caching.ttls == ("5m",)
    assert sonnet_45.constraints.caching.ttls == ("5m", "1h")
    assert CATALOG.models["anthropic.claude-3-haiku-20240307-v1:0"].constraint("anthropic_version.empty_string") == Fact(
        True, False, CATALOG.models["anthropic.claude-3-haiku-20240307-v1:0"].constraints.sources["anthropic_version"]
    )
    empty = sonnet_45.constraint("anthropic_version.empty_string")
    assert (empty.value, empty.uncertain) == (None, True)


def test_a_model_without_constraints_knows_nothing():
    data = json.loads(packaged_catalog_text())
    data["models"][-1]["constraints"] = None
    model = parse_catalog(json.dumps(data), "t.json").models[data["models"][-1]["id"]]
    assert model.constraints is None
    assert model.accepts_prefill == Fact(None, True) and model.constraint("sampling.together").value is None


def _broken(tmp_path, change) -> str:
    data = json.loads(packaged_catalog_text())
    model = next(m for m in data["models"] if m["id"] == "anthropic.claude-sonnet-4-6")
    change(model["constraints"])
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CatalogError) as raised:
        load_catalog(str(path))
    return str(raised.value)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda c: c["sampling"].update(temperature_top_p_together="sometimes"),
            "constraints.sampling.temperature_top_p_together: expected \"allowed\" or \"rejected\", got 'sometimes'",
        ),
        (lambda c: c.pop("prefill"), "constraints.prefill: missing"),
        (lambda c: c["thinking"].update(modes="adaptive"), "constraints.thinking.modes: expected a list of strings, got 'adaptive'"),
        (lambda c: c["sampling"]["top_p_range"].update(min=1.5), "constraints.sampling.top_p_range: min 1.5 is above max 1.0"),
        (lambda c: c["uncertain"].append("sampling.warmth"), "constraints.uncertain: 'sampling.warmth' names no constraint"),
    ],
)
def test_a_malformed_constraints_entry_is_a_clear_error(tmp_path, change, expected):
    message = _broken(tmp_path, change)
    assert message.startswith(f"model catalog {tmp_path / 'catalog.json'} is not valid: models[anthropic.claude-sonnet-4-6].")
    assert expected in message
    assert "\n" not in message


# ------------------------------------------------ corrections (model-constraints.md §11)
def test_section_11_corrections_are_applied():
    models = CATALOG.models
    # 3.5 Sonnet v1 and 3.7 Sonnet: the output cap is confirmed; 3.7 has 128K with a beta.
    assert not models["anthropic.claude-3-5-sonnet-20240620-v1:0"].output_cap.uncertain
    sonnet_37 = models["anthropic.claude-3-7-sonnet-20250219-v1:0"]
    assert sonnet_37.output_cap.value == 64000 and not sonnet_37.output_cap.uncertain
    assert sonnet_37.constraints.max_output_tokens_by_beta == {"output-128k-2025-02-19": 128000}
    # 3.5 Haiku: Bedrock status still unknown (kept null and uncertain, §11), successor Haiku 4.5.
    haiku_35 = models["anthropic.claude-3-5-haiku-20241022-v1:0"]
    assert haiku_35.status(FIXTURE_DAY) is None and haiku_35.is_uncertain("lifecycle")
    assert haiku_35.successor_id == "anthropic.claude-haiku-4-5-20251001-v1:0"
    # Sonnet 4: recorded EOL (its EOL date has passed).
    assert models["anthropic.claude-sonnet-4-20250514-v1:0"].recorded_status == "EOL"
    # Haiku 4.5: the AWS card's "EOL no sooner than" is a floor, not an EOL date.
    haiku_45 = models["anthropic.claude-haiku-4-5-20251001-v1:0"]
    assert haiku_45.eol_no_sooner_than == datetime.date(2026, 10, 1) and haiku_45.eol_date is None
    # Sonnet 4.6: 128K, uncertain.
    assert models["anthropic.claude-sonnet-4-6"].output_cap.value == 128000 and models["anthropic.claude-sonnet-4-6"].output_cap.uncertain
    # Cache minimums of the 5.x models.
    for model_id in ("anthropic.claude-sonnet-5-5", "anthropic.claude-opus-5-5", "anthropic.claude-haiku-5-5"):
        assert models[model_id].min_cache_tokens == 512, model_id
    for model_id in ("anthropic.claude-fable-5-1", "anthropic.claude-mythos-5", "anthropic.claude-mythos-5-1"):
        assert models[model_id].min_cache_tokens == 512 and models[model_id].is_uncertain("min_cache_tokens"), model_id
    assert models["anthropic.claude-fable-5"].min_cache_tokens == 1024
    # Conflicting thinking facts stay uncertain.
    assert models["anthropic.claude-opus-4-7"].constraint("thinking.modes").uncertain
    assert models["anthropic.claude-sonnet-5"].constraint("thinking.modes").uncertain
    # Mythos Preview is adaptive-only (§10.4).
    assert models["anthropic.claude-mythos-preview"].thinking_enabled is False
    # No 4.6+ model accepts prefill.
    for model_id in ("anthropic.claude-opus-4-6-v1", "anthropic.claude-sonnet-4-6", "anthropic.claude-opus-4-7", "anthropic.claude-sonnet-5"):
        assert models[model_id].accepts_prefill.value is False, model_id


def test_every_correction_says_so_with_its_sources():
    for model_id, correction in _corrections().items():
        model = CATALOG.models[model_id]
        data = next(m for m in json.loads(packaged_catalog_text())["models"] if m["id"] == model_id)
        cite = _build_catalog().cite_repository_docs
        assert cite(f"Correction ({correction['section']}): {correction['note']}") in data["notes"], model_id
        assert {cite(source) for source in correction["sources"]} <= set(model.sources), model_id


# ------------------------------------------------------- context-length variants
def test_documented_context_variants_are_known_ids():
    haiku_3 = CATALOG.models["anthropic.claude-3-haiku-20240307-v1:0"]
    assert haiku_3.context_variants == ("anthropic.claude-3-haiku-20240307-v1:0:48k", "anthropic.claude-3-haiku-20240307-v1:0:200k")
    assert CATALOG.lookup("anthropic.claude-3-haiku-20240307-v1:0:200k") is haiku_3
    assert CATALOG.context_variant("anthropic.claude-3-haiku-20240307-v1:0:48k") is haiku_3
    assert CATALOG.lookup("anthropic.claude-v2:1:200k").id == "anthropic.claude-v2:1"
    # Not a documented variant; a profile prefix never goes with a variant.
    assert CATALOG.lookup("anthropic.claude-3-haiku-20240307-v1:0:100k") is None
    assert CATALOG.lookup("us.anthropic.claude-3-haiku-20240307-v1:0:200k") is None
    assert CATALOG.models["anthropic.claude-3-5-sonnet-20241022-v2:0"].context_variants_uncertain
    assert not haiku_3.context_variants_uncertain


def test_bdr101_knows_documented_variants_and_reports_other_suffixes():
    def bdr101(model_id):
        return findings_for(converse(model_id), codes=frozenset({"BDR101"}))

    assert bdr101("anthropic.claude-3-opus-20240229-v1:0:12k") == []
    assert bdr101("anthropic.claude-instant-v1:2:100k") == []
    (unknown,) = bdr101("anthropic.claude-3-opus-20240229-v1:0:100k")
    assert unknown.severity is None and "is not a Bedrock model id" in unknown.message
    (uncertain,) = bdr101("anthropic.claude-3-5-sonnet-20241022-v2:0:51k")
    assert uncertain.severity is Severity.WARNING and "uncertain" in uncertain.message


# ------------------------------------------------ a broken catalog in a run (issue 22, minor)
_APP = (
    "import boto3\n"
    "client = boto3.client('bedrock-runtime', region_name='us-east-1')\n"
    "client.converse(modelId='anthropic.claude-3-haiku-20240307-v1:0', messages=[])\n"
)


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


@pytest.mark.parametrize("command", [("check", "--no-cache"), ("migrate",)])
def test_a_malformed_user_catalog_is_one_error_naming_the_file_and_line(tmp_path, command):
    """It used to be one internal error per rule that reads the catalog, for every file."""
    from bedrock_lint.catalog.location import user_catalog_path
    from tests.cli_runner import run

    catalog = user_catalog_path()
    catalog.parent.mkdir(parents=True, exist_ok=True)
    catalog.write_text('{"models": [\n  {"id": "x",\n', encoding="utf-8")
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text(_APP, encoding="utf-8")
    result = run(*command, ".", cwd=tmp_path)
    assert result.exit_code == 2
    errors = _error_lines(result.stderr)
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"error: model catalog {catalog} is not valid: ")
    assert "line 3 column 1" in errors[0]
    assert "internal error" not in result.output


def test_a_schema_invalid_configured_catalog_is_one_error_naming_the_setting(tmp_path):
    from tests.cli_runner import run

    data = json.loads(packaged_catalog_text())
    data["models"][0].pop("id")
    (tmp_path / "models.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.bedrock-lint]\ncatalog = "models.json"\n', encoding="utf-8")
    (tmp_path / "a.py").write_text(_APP, encoding="utf-8")
    result = run("check", "--no-cache", ".", cwd=tmp_path)
    assert result.exit_code == 2
    errors = _error_lines(result.stderr)
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"error: model catalog {tmp_path / 'models.json'} is not valid: ")
    assert errors[0].endswith(f"(setting 'catalog' in {tmp_path / 'pyproject.toml'})")
