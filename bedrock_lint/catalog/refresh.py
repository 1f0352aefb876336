"""Rebuild the model catalog from the Bedrock control plane (``bedrock-lint models --refresh``).

This is the only code in bedrock-lint that touches the network.  In each requested region
it lists Anthropic's foundation models (``ListFoundationModels``) and the system-defined
inference profiles (``ListInferenceProfiles``, paginated), with the user's AWS
credentials.  Every call must succeed before anything is written; the merged catalog is
then written atomically to the user-level catalog, which takes precedence over the
packaged one (:func:`bedrock_lint.catalog.models.load_catalog`).

The merge (:func:`merge_listings`) starts from the packaged catalog, never from an
earlier refresh, so a fact corrected in a new release does not linger.  It keeps every
packaged fact and source; what the API does not say stays as the packaged catalog has it.
For each model the API lists:

- the lifecycle status comes from ``modelLifecycle.status`` and the dates from
  ``legacyTime`` / ``endOfLifeTime`` where reported, and ``lifecycle`` is no longer
  uncertain (unless the regions disagree);
- the prefixes of the system-defined profiles that contain it are added to its profiles;
- a source naming the operations, regions and date is appended, and ``verified`` is
  that date.

A model the packaged catalog lacks gets an entry of the same shape with what the API
says (id, profiles, lifecycle), its tier and Anthropic names derived from the id as the
packaged catalog derives them (:mod:`bedrock_lint.catalog.naming`), and every other fact
null and listed in ``uncertain``; its request ``constraints`` are null (not known), so the
rules that judge requests against the model say nothing about it.  The API says nothing
about request constraints either, so a known model keeps its packaged ones as they are.
"""

from __future__ import annotations

import copy
import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from bedrock_lint.catalog.models import split_profile
from bedrock_lint.catalog.naming import drop_shared_first_party_names, first_party_names, tier_of

OPERATIONS = "ListFoundationModels/ListInferenceProfiles"
INSTALL_HINT = "pip install 'bedrock-lint[refresh]'"
MODEL_PROVIDER = "anthropic"

# ``modelLifecycle.status`` -> the catalog's status words.
API_STATUSES = {"ACTIVE": "Active", "LEGACY": "Legacy"}

# Facts of a new model that only the packaged data could give (names as the packaged
# catalog's ``uncertain`` lists spell them); the API says nothing about them.
UNKNOWN_FACTS = (
    "constraints",
    "context_window",
    "family",
    "input_price",
    "max_output",
    "min_cache_tokens",
    "output_price",
    "requires_inference_profile",
    "successor",
    "thinking",
)

# Seconds to wait for the control plane; these calls answer quickly or not at all.
CONNECT_TIMEOUT = 10
READ_TIMEOUT = 60


class RefreshError(Exception):
    """A refresh that cannot be done; the message is one line naming the region and cause."""


# --------------------------------------------------------------------------- listing


@dataclass(frozen=True)
class RegionListing:
    """What the control plane of one region reports (response items as botocore parses them)."""

    region: str
    foundation_models: tuple[dict, ...]
    inference_profiles: tuple[dict, ...]


def _botocore():
    try:
        import botocore.config
        import botocore.exceptions
        import botocore.session
    except ImportError:
        raise RefreshError(f"models --refresh needs botocore, which is not installed; run: {INSTALL_HINT}") from None
    return botocore


def aws_session():
    """The user's AWS session (credentials and region from the usual places)."""
    return _botocore().session.get_session()


def default_region(session) -> str | None:
    """The session's region (``AWS_REGION``, ``AWS_DEFAULT_REGION``, the config file)."""
    botocore = _botocore()
    try:
        return session.get_config_variable("region")
    except botocore.exceptions.BotoCoreError as error:  # e.g. AWS_PROFILE names no profile
        raise RefreshError(f"cannot read the AWS configuration: {error}") from None


def bedrock_client(session, region: str):
    """A ``bedrock`` (control plane) client for ``region``."""
    botocore = _botocore()
    config = botocore.config.Config(
        connect_timeout=CONNECT_TIMEOUT, read_timeout=READ_TIMEOUT, retries={"mode": "standard"}
    )
    try:
        return session.create_client("bedrock", region_name=region, config=config)
    except botocore.exceptions.BotoCoreError as error:
        raise RefreshError(f"{region}: cannot create a Bedrock client: {error}") from None


def list_region(client, region: str) -> RegionListing:
    """Anthropic's foundation models and the system-defined inference profiles of one
    region; raises :class:`RefreshError` on any failure."""
    exceptions = _botocore().exceptions
    operation = "ListFoundationModels"
    try:
        models = client.list_foundation_models(byProvider=MODEL_PROVIDER).get("modelSummaries", [])
        operation = "ListInferenceProfiles"
        profiles: list[dict] = []
        # Application profiles have ids of their own, not a geography prefix.
        for page in client.get_paginator("list_inference_profiles").paginate(typeEquals="SYSTEM_DEFINED"):
            profiles.extend(page.get("inferenceProfileSummaries", []))
    except exceptions.NoCredentialsError:
        raise RefreshError(
            f"{region}: {operation}: no AWS credentials found; configure them (aws configure, AWS_PROFILE, "
            "or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) and run again"
        ) from None
    except exceptions.ClientError as error:
        details = error.response.get("Error", {})
        code = details.get("Code") or "error"
        reason = f"{code}: {details['Message']}" if details.get("Message") else code
        raise RefreshError(f"{region}: {operation} failed: {reason}") from None
    except exceptions.EndpointConnectionError as error:
        raise RefreshError(f"{region}: {operation}: cannot reach the Bedrock endpoint: {error}") from None
    except exceptions.BotoCoreError as error:
        raise RefreshError(f"{region}: {operation} failed: {error}") from None
    return RegionListing(region, tuple(models), tuple(profiles))


def fetch_listings(regions: Iterable[str], client_for_region: Callable[[str], Any]) -> list[RegionListing]:
    """One listing per region, in order; the first failure stops (nothing is merged)."""
    return [list_region(client_for_region(region), region) for region in regions]


# --------------------------------------------------------------------------- merging


@dataclass
class MergeResult:
    """The merged catalog (``data``, shaped like the packaged one) and what the API changed."""

    data: dict
    added: list[str] = field(default_factory=list)
    lifecycle_reported: list[str] = field(default_factory=list)
    profiles_added: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Lifecycle:
    """One region's ``modelLifecycle`` of a model (dates as ISO strings, or None)."""

    status: str
    legacy: str | None
    eol: str | None


@dataclass
class _Seen:
    """Everything the listings say about one model id."""

    lifecycles: list[_Lifecycle] = field(default_factory=list)
    profiles: set[str] = field(default_factory=set)
    inference_types: set[str] = field(default_factory=set)
    in_model_list: bool = False
    regions: list[str] = field(default_factory=list)  # where it was listed, in order

    def seen_in(self, region: str) -> _Seen:
        if region not in self.regions:
            self.regions.append(region)
        return self


def _api_date(value: datetime.datetime | None) -> str | None:
    """A reported timestamp (botocore parses it into a datetime) as its UTC day."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc)
    return value.date().isoformat()


def _model_of_arn(arn: str) -> str | None:
    """``arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-x`` -> the model id."""
    resource = arn.split(":", 5)[-1]
    kind, _, model_id = resource.partition("/")
    return model_id if kind == "foundation-model" and model_id else None


def _collect(listings: list[RegionListing]) -> dict[str, _Seen]:
    seen: dict[str, _Seen] = {}
    for listing in listings:
        for summary in listing.foundation_models:
            model_id = summary["modelId"]
            if not model_id.startswith(MODEL_PROVIDER + "."):
                continue
            entry = seen.setdefault(model_id, _Seen()).seen_in(listing.region)
            entry.in_model_list = True
            entry.inference_types.update(summary.get("inferenceTypesSupported") or ())
            lifecycle = summary.get("modelLifecycle")
            if lifecycle and lifecycle.get("status") in API_STATUSES:
                entry.lifecycles.append(
                    _Lifecycle(
                        API_STATUSES[lifecycle["status"]],
                        _api_date(lifecycle.get("legacyTime")),
                        _api_date(lifecycle.get("endOfLifeTime")),
                    )
                )
        for profile in listing.inference_profiles:
            prefix = split_profile(profile["inferenceProfileId"]).prefix
            if prefix is None:
                continue
            for member in profile.get("models") or ():
                model_id = _model_of_arn(member.get("modelArn", ""))
                if model_id and model_id.startswith(MODEL_PROVIDER + "."):
                    seen.setdefault(model_id, _Seen()).seen_in(listing.region).profiles.add(prefix)
    return seen


def _is_provisioned_variant(seen: _Seen) -> bool:
    """Ids such as ``anthropic.claude-3-sonnet-20240229-v1:0:28k`` are offered for
    provisioned throughput only; code calls such a model through its provisioned-model
    ARN, never by this id, so it does not become a catalog entry of its own."""
    return seen.in_model_list and seen.inference_types == {"PROVISIONED"} and not seen.profiles


def _merge_lifecycle(model: dict, lifecycles: list[_Lifecycle], day: str, regions: list[str]) -> None:
    """Put what the regions report into ``model["lifecycle"]`` (see the module doc)."""
    current = model.get("lifecycle") or {"status": None, "legacy": None, "eol": None}
    uncertain = set(model.get("uncertain") or ())
    notes = []
    status = "Legacy" if any(l.status == "Legacy" for l in lifecycles) else "Active"
    reported_legacy = min((l.legacy for l in lifecycles if l.legacy), default=None)
    reported_eol = min((l.eol for l in lifecycles if l.eol), default=None)
    legacy = reported_legacy or current.get("legacy")
    eol = reported_eol or current.get("eol")
    if reported_legacy:
        uncertain.discard("legacy_since")
    if reported_eol:
        uncertain.discard("eol_date")
    # Dates decide the status the linter computes, so a packaged date the API now
    # contradicts must not outvote it.
    reported = "LEGACY" if status == "Legacy" else "ACTIVE"
    if reported_eol is None and eol is not None and eol <= day:
        notes.append(f"the packaged end-of-life date {eol} was dropped: the API still lists the model, {reported}")
        eol = None
    if status == "Active" and reported_legacy is None and legacy is not None and legacy <= day:
        notes.append(f"the packaged Legacy date {legacy} was dropped: the API reported the model ACTIVE")
        legacy = None
    if status == "Legacy" and reported_legacy is None and (legacy is None or legacy > day):
        # Legacy by the refresh day at the latest; the day it turned Legacy is not known.
        legacy = day
        uncertain.add("legacy_since")
        notes.append(f"the API reported the model LEGACY without a legacyTime; Legacy from {day} at the latest")
    if len(set(lifecycles)) > 1:
        uncertain.add("lifecycle")
        notes.append(f"the regions report different lifecycles ({', '.join(regions)}); the earliest dates are kept")
    else:
        uncertain.discard("lifecycle")
    # Other lifecycle facts (``eol_no_sooner_than``) are kept as packaged.
    model["lifecycle"] = {**current, "status": status, "legacy": legacy, "eol": eol}
    model["uncertain"] = sorted(uncertain)
    if notes:
        text = f"models --refresh {day}: " + "; ".join(notes) + "."
        model["notes"] = f"{model['notes']} {text}" if model.get("notes") else text


def _ordered_profiles(profiles: Iterable[str], geographies: dict) -> list[str]:
    """Profile prefixes in the catalog's geography order, unknown ones last."""
    order = list(geographies)
    return sorted(profiles, key=lambda p: (order.index(p) if p in order else len(order), p))


def _new_model(model_id: str, day: str, source: str) -> dict:
    tier, by_price = tier_of(model_id)
    uncertain = set(UNKNOWN_FACTS)
    if by_price or tier is None:
        uncertain.add("tier")
    return {
        "id": model_id,
        "family": None,
        "tier": tier,
        "profiles": [],
        "requires_inference_profile": None,
        "lifecycle": {"status": None, "legacy": None, "eol": None, "eol_no_sooner_than": None},
        "successor": None,
        "min_cache_tokens": None,
        "max_output_tokens": None,
        "max_output_tokens_certain": None,
        "context_window": None,
        "thinking": {"enabled": None, "adaptive": None, "notes": None},
        "first_party_names": first_party_names(model_id),
        "prices": {"input": None, "output": None, "unit": None},
        "sources": [source],
        "notes": "Listed by the Bedrock API but not in the packaged catalog: only its id, profiles and lifecycle are known.",
        # Until the API reports its lifecycle (below), that is not known either.
        "uncertain": sorted(uncertain | {"lifecycle"}),
        "verified": day,
        "constraints": None,
    }


def merge_listings(packaged: dict, listings: list[RegionListing], day: datetime.date) -> MergeResult:
    """The packaged catalog with what ``listings`` report merged in (see the module doc)."""
    data = copy.deepcopy(packaged)
    today_text = day.isoformat()
    geographies = (data.get("geographies") or {}).get("prefixes") or {}
    result = MergeResult(data)
    models = {model["id"]: model for model in data["models"]}
    for model_id, seen in sorted(_collect(listings).items()):
        source = f"{OPERATIONS} {', '.join(seen.regions)} {today_text}"
        model = models.get(model_id)
        if model is None:
            if _is_provisioned_variant(seen):
                continue
            model = _new_model(model_id, today_text, source)
            data["models"].append(model)
            models[model_id] = model
            result.added.append(model_id)
        else:
            model["sources"] = [*(model.get("sources") or ()), source]
            model["verified"] = today_text
        if seen.lifecycles:
            _merge_lifecycle(model, seen.lifecycles, today_text, seen.regions)
            result.lifecycle_reported.append(model_id)
        new_profiles = seen.profiles - set(model.get("profiles") or ())
        if new_profiles:
            model["profiles"] = [*(model.get("profiles") or ()), *_ordered_profiles(new_profiles, geographies)]
            if model_id not in result.added:
                result.profiles_added[model_id] = _ordered_profiles(new_profiles, geographies)
    if result.added:
        # Names are derived from ids, so derive them again over all models: a new model
        # whose name another model shares makes that name ambiguous for both.
        for model in data["models"]:
            model["first_party_names"] = first_party_names(model["id"])
        drop_shared_first_party_names(data["models"])
    data["refreshed"] = {"date": today_text, "regions": [listing.region for listing in listings], "by": f"bedrock-lint models --refresh ({OPERATIONS})"}
    return result


# --------------------------------------------------------------------------- writing


def catalog_text(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_catalog(data: dict, path: Path) -> None:
    """Write the catalog atomically (a crash leaves the previous file whole)."""
    from bedrock_lint.fixes.writer import write_atomically

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, catalog_text(data).encode("utf-8"))
