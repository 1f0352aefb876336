"""Listing the Bedrock control plane and merging what it says into the packaged catalog
(``bedrock_lint.catalog.refresh``), with stubbed botocore clients: no network."""

from __future__ import annotations

import datetime
import json

import botocore.config
import botocore.exceptions
import botocore.session
import pytest

from bedrock_lint.catalog import refresh
from bedrock_lint.catalog.models import packaged_catalog_text, parse_catalog
from bedrock_lint.catalog.refresh import RefreshError, RegionListing, list_region, merge_listings
from tests.bedrock_stubs import FAKE_CREDENTIALS, add_listing, stubbed_client

DAY = datetime.date(2026, 11, 23)
SOURCE = "ListFoundationModels/ListInferenceProfiles"


def packaged() -> dict:
    return json.loads(packaged_catalog_text())


def packaged_model(model_id: str) -> dict:
    return next(m for m in packaged()["models"] if m["id"] == model_id)


def listing(region: str) -> RegionListing:
    client, stubber = stubbed_client(region)
    add_listing(client, stubber, region)
    result = list_region(client, region)
    stubber.assert_no_pending_responses()
    return result


def merged(*regions: str) -> refresh.MergeResult:
    return merge_listings(packaged(), [listing(r) for r in regions], DAY)


def model_of(result: refresh.MergeResult, model_id: str) -> dict:
    return next(m for m in result.data["models"] if m["id"] == model_id)


def summary(model_id: str, status: str, legacy: str | None = None, eol: str | None = None) -> dict:
    """A ListFoundationModels item as botocore returns it (for hand-made listings)."""
    lifecycle: dict = {"status": status}
    if legacy:
        lifecycle["legacyTime"] = datetime.datetime.fromisoformat(legacy + "T00:00:00+00:00")
    if eol:
        lifecycle["endOfLifeTime"] = datetime.datetime.fromisoformat(eol + "T00:00:00+00:00")
    return {
        "modelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{model_id}",
        "modelId": model_id,
        "inferenceTypesSupported": ["INFERENCE_PROFILE"],
        "modelLifecycle": lifecycle,
    }


# --------------------------------------------------------------------------- listing


def test_inference_profiles_are_read_from_every_page():
    result = listing("us-east-1")
    ids = [p["inferenceProfileId"] for p in result.inference_profiles]
    # The last profile of page 1 and the last of page 2 (after nextToken).
    assert "us.anthropic.claude-sonnet-4-5-20250929-v1:0" in ids
    assert "global.anthropic.claude-haiku-6" in ids
    assert len(ids) == 10
    assert {m["modelId"] for m in result.foundation_models} >= {"anthropic.claude-haiku-6", "anthropic.claude-sonnet-4-6"}


def test_client_error_names_region_operation_and_code():
    client, stubber = stubbed_client("us-east-1")
    stubber.add_client_error(
        "list_foundation_models",
        service_error_code="AccessDeniedException",
        service_message="User: arn:aws:iam::123456789012:user/dev is not authorized to perform: bedrock:ListFoundationModels",
        http_status_code=403,
    )
    with pytest.raises(RefreshError) as raised:
        list_region(client, "us-east-1")
    message = str(raised.value)
    assert message.startswith("us-east-1: ListFoundationModels failed: AccessDeniedException: User: arn:aws:iam")
    assert "\n" not in message


def test_error_on_a_later_page_names_list_inference_profiles():
    client, stubber = stubbed_client("us-east-1")
    add_listing(client, stubber, "us-east-1", failure=(2, "ThrottlingException", "Rate exceeded"))
    with pytest.raises(RefreshError, match=r"^us-east-1: ListInferenceProfiles failed: ThrottlingException: Rate exceeded$"):
        list_region(client, "us-east-1")
    stubber.assert_no_pending_responses()


def _client_that_must_not_send(session, region: str, **credentials):
    """A real client whose requests stop before the network: reaching 'before-send'
    means a request was signed and would go out."""
    config = botocore.config.Config(retries={"total_max_attempts": 1})
    client = session.create_client("bedrock", region_name=region, config=config, **credentials)

    def refuse(request, **kwargs):
        raise AssertionError(f"a test tried to send {request.url}")

    client.meta.events.register("before-send.bedrock", refuse)
    return client


def test_no_credentials(no_aws_configuration):
    client = _client_that_must_not_send(botocore.session.get_session(), "eu-west-1")
    with pytest.raises(RefreshError, match=r"^eu-west-1: ListFoundationModels: no AWS credentials found"):
        list_region(client, "eu-west-1")


def test_endpoint_not_reachable():
    client = _client_that_must_not_send(botocore.session.get_session(), "us-east-1", **FAKE_CREDENTIALS)

    def unreachable(request, **kwargs):
        raise botocore.exceptions.EndpointConnectionError(endpoint_url=request.url)

    client.meta.events.register_first("before-send.bedrock", unreachable)
    with pytest.raises(RefreshError, match=r"^us-east-1: ListFoundationModels: cannot reach the Bedrock endpoint: .*bedrock\.us-east-1"):
        list_region(client, "us-east-1")


def test_missing_botocore_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "botocore", None)
    with pytest.raises(RefreshError, match=r"pip install 'bedrock-lint\[refresh\]'"):
        refresh.aws_session()


# --------------------------------------------------------------------------- merging


def test_a_model_the_packaged_catalog_lacks_gets_an_entry_of_the_same_shape():
    result = merged("us-east-1")
    assert result.added == ["anthropic.claude-haiku-6"]
    model = model_of(result, "anthropic.claude-haiku-6")
    assert list(model) == list(packaged_model("anthropic.claude-sonnet-4-6"))  # same keys, same order
    # What the API says, and what follows from the id as in the packaged catalog.
    assert model["profiles"] == ["us.", "global."]
    assert model["lifecycle"] == {"status": "Active", "legacy": None, "eol": None, "eol_no_sooner_than": None}
    assert model["tier"] == "haiku"
    assert model["first_party_names"] == ["claude-haiku-6"]
    assert model["sources"] == [f"{SOURCE} us-east-1 2026-11-23"]
    assert model["verified"] == "2026-11-23"
    # Every other fact is unknown: null, and listed as uncertain.
    for key in ("family", "requires_inference_profile", "successor", "min_cache_tokens", "max_output_tokens", "context_window"):
        assert model[key] is None, key
    assert model["thinking"] == {"enabled": None, "adaptive": None, "notes": None}
    assert model["prices"] == {"input": None, "output": None, "unit": None}
    assert set(model["uncertain"]) == set(refresh.UNKNOWN_FACTS)
    catalog = parse_catalog(refresh.catalog_text(result.data), "(merged)")
    haiku_6 = catalog.lookup("us.anthropic.claude-haiku-6")
    assert haiku_6 is not None and haiku_6.status(DAY) == "Active" and not haiku_6.status_uncertain("Active")
    assert catalog.first_party("claude-haiku-6") is haiku_6


def test_a_profile_the_packaged_catalog_lacks_is_added_and_packaged_facts_are_kept():
    result = merged("us-east-1")
    before = packaged_model("anthropic.claude-opus-4-1-20250805-v1:0")
    after = model_of(result, "anthropic.claude-opus-4-1-20250805-v1:0")
    assert result.profiles_added["anthropic.claude-opus-4-1-20250805-v1:0"] == ["global."]
    assert after["profiles"] == [*before["profiles"], "global."]
    assert after["sources"] == [*before["sources"], f"{SOURCE} us-east-1 2026-11-23"]
    assert after["verified"] == "2026-11-23"
    changed = {"profiles", "sources", "verified", "lifecycle", "uncertain"}
    assert {k: v for k, v in after.items() if k not in changed} == {k: v for k, v in before.items() if k not in changed}
    # The API's lifecycle equals the packaged one here.
    assert after["lifecycle"] == before["lifecycle"]


def test_a_legacy_model_takes_its_lifecycle_from_the_api():
    result = merged("us-east-1")
    before = packaged_model("anthropic.claude-3-5-haiku-20241022-v1:0")
    assert before["lifecycle"]["status"] is None and "lifecycle" in before["uncertain"]
    after = model_of(result, "anthropic.claude-3-5-haiku-20241022-v1:0")
    assert after["lifecycle"] == {"status": "Legacy", "legacy": "2026-06-19", "eol": "2026-12-19", "eol_no_sooner_than": None}
    assert "lifecycle" not in after["uncertain"] and "eol_date" not in after["uncertain"]
    assert "profile_prefixes" in after["uncertain"]  # the API said nothing about that
    model = parse_catalog(refresh.catalog_text(result.data), "(merged)").lookup(after["id"])
    assert model.status(DAY) == "Legacy" and not model.status_uncertain("Legacy")
    assert model.status(datetime.date(2026, 12, 19)) == "EOL"


def test_an_active_model_is_no_longer_uncertain_and_keeps_unreported_dates():
    after = model_of(merged("us-east-1"), "anthropic.claude-sonnet-4-5-20250929-v1:0")
    before = packaged_model("anthropic.claude-sonnet-4-5-20250929-v1:0")
    # The API reports no endOfLifeTime: the packaged (uncertain) date stays, still uncertain.
    assert after["lifecycle"] == {"status": "Active", "legacy": None, "eol": before["lifecycle"]["eol"], "eol_no_sooner_than": None}
    assert after["uncertain"] == ["eol_date"]


def test_provisioned_throughput_variants_are_not_models_of_their_own():
    result = merged("us-east-1")
    ids = {m["id"] for m in result.data["models"]}
    assert "anthropic.claude-3-5-haiku-20241022-v1:0:200k" not in ids


def test_other_providers_are_ignored():
    ids = {m["id"] for m in merged("us-east-1").data["models"]}
    assert not any("llama" in i for i in ids)


def test_regions_merge_and_disagreeing_lifecycles_stay_uncertain():
    result = merged("us-east-1", "ap-southeast-1")
    assert result.data["refreshed"]["regions"] == ["us-east-1", "ap-southeast-1"]
    assert result.data["refreshed"]["date"] == "2026-11-23"
    haiku = model_of(result, "anthropic.claude-3-5-haiku-20241022-v1:0")
    # us-east-1 says end of life 2026-12-19, ap-southeast-1 2027-03-01: the earlier is kept,
    # and the lifecycle stays uncertain.
    assert haiku["lifecycle"] == {"status": "Legacy", "legacy": "2026-06-19", "eol": "2026-12-19", "eol_no_sooner_than": None}
    assert "lifecycle" in haiku["uncertain"]
    assert "regions report different lifecycles" in haiku["notes"]
    assert haiku["profiles"] == ["us.", "eu.", "apac."]
    assert haiku["sources"][-1] == f"{SOURCE} us-east-1, ap-southeast-1 2026-11-23"
    sonnet = model_of(result, "anthropic.claude-sonnet-4-6")
    assert sonnet["profiles"] == [*packaged_model("anthropic.claude-sonnet-4-6")["profiles"], "apac."]
    # A model only one region lists names only that region.
    assert model_of(result, "anthropic.claude-haiku-6")["sources"] == [f"{SOURCE} us-east-1 2026-11-23"]


def test_packaged_dates_the_api_contradicts_are_dropped():
    # Packaged: Legacy from 2026-04-14, end of life 2026-10-14.  The API still lists it,
    # ACTIVE, without dates.
    model_id = "anthropic.claude-sonnet-4-20250514-v1:0"
    result = merge_listings(packaged(), [RegionListing("us-east-1", (summary(model_id, "ACTIVE"),), ())], DAY)
    after = model_of(result, model_id)
    assert after["lifecycle"] == {"status": "Active", "legacy": None, "eol": None, "eol_no_sooner_than": None}
    assert "Legacy date 2026-04-14 was dropped" in after["notes"]
    assert "end-of-life date 2026-10-14 was dropped" in after["notes"]


def test_legacy_without_a_legacy_time_is_legacy_from_the_refresh_day_at_the_latest():
    model_id = "anthropic.claude-opus-4-5-20251101-v1:0"  # packaged: Active, no dates
    result = merge_listings(packaged(), [RegionListing("us-east-1", (summary(model_id, "LEGACY"),), ())], DAY)
    after = model_of(result, model_id)
    assert after["lifecycle"] == {"status": "Legacy", "legacy": "2026-11-23", "eol": None, "eol_no_sooner_than": None}
    assert "legacy_since" in after["uncertain"]
    model = parse_catalog(refresh.catalog_text(result.data), "(merged)").lookup(model_id)
    assert model.status(DAY) == "Legacy" and model.status_uncertain("Legacy")


def test_without_listings_every_packaged_fact_is_kept():
    result = merge_listings(packaged(), [], DAY)
    data = dict(result.data)
    data.pop("refreshed")
    assert data == packaged()


def test_the_merge_does_not_change_the_packaged_data_it_is_given():
    original = packaged()
    given = packaged()
    merge_listings(given, [listing("us-east-1")], DAY)
    assert given == original


def test_request_constraints_are_kept_for_known_models_and_unknown_for_new_ones():
    result = merged("us-east-1", "ap-southeast-1")
    for model in result.data["models"]:
        if model["id"] == "anthropic.claude-haiku-6":
            # Only the API lists it: nothing is known about what it accepts.
            assert model["constraints"] is None and "constraints" in model["uncertain"]
            assert "context_variants" not in model
        else:
            before = packaged_model(model["id"])
            assert model["constraints"] == before["constraints"], model["id"]
            assert model.get("context_variants") == before.get("context_variants"), model["id"]
    catalog = parse_catalog(refresh.catalog_text(result.data), "(merged)")
    assert catalog.lookup("anthropic.claude-haiku-6").constraints is None
    assert catalog.lookup("anthropic.claude-haiku-6").accepts_prefill.value is None
    assert catalog.lookup("anthropic.claude-sonnet-4-6").accepts_prefill.value is False
    assert catalog.lookup("anthropic.claude-3-haiku-20240307-v1:0:200k").id == "anthropic.claude-3-haiku-20240307-v1:0"


def test_a_reported_lifecycle_keeps_the_packaged_eol_floor():
    model_id = "anthropic.claude-haiku-4-5-20251001-v1:0"  # packaged: EOL no sooner than 2026-10-01
    listing_ = RegionListing("us-east-1", (summary(model_id, "ACTIVE", eol="2027-10-15"),), ())
    after = model_of(merge_listings(packaged(), [listing_], DAY), model_id)
    assert after["lifecycle"] == {"status": "Active", "legacy": None, "eol": "2027-10-15", "eol_no_sooner_than": "2026-10-01"}
