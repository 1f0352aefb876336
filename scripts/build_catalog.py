"""Build bedrock_lint/catalog/claude_models.json from the reference data.

The reference (``../shared/reference/claude-models.json``, next to the repository) is
the researched, sourced record of every Claude model on Bedrock.  This script turns it
into the packaged catalog: it keeps every fact, its sources and its ``uncertain``
markers, and derives only what follows mechanically from the reference:

- ``tier`` from the model name (haiku / sonnet / opus; Fable and Mythos are priced at or
  above Opus and are marked top tier, with ``tier`` listed as uncertain);
- ``thinking`` as two flags (``enabled``: accepts ``{"type": "enabled", …}``;
  ``adaptive``: accepts ``{"type": "adaptive"}``) from the reference's text, through an
  explicit table: a text the table does not know stops the build;
- ``first_party_names``, the Anthropic API names of the model, from Anthropic's id
  grammar (docs/facts.md §4.1): strip ``anthropic.`` and the ``-vN[:M]`` suffix; a
  dated id also has the date-less alias;
- ``lifecycle`` dates as given; the status on a given day is computed at run time.

It then merges the per-model request constraints (``model-constraints.json``, next to the
reference; prose in ``model-constraints.md`` §10) into each model as ``constraints`` (see
:func:`constraints_of` for the shape), keeping each fact's sources and ``uncertain``
markers, and the documented context-length variant ids (§10.8) as ``context_variants``.
Free-text values of the constraints (forced ``tool_choice``, sampling with thinking, the
thinking default) become fixed words through explicit tables: a text a table does not
know stops the build, as does an ``uncertain`` path that names no field.

Before all this, the catalog corrections of ``model-constraints.md`` §11 (and the few of
§10 the constraints need) are applied from ``scripts/catalog_corrections.json``, each with
its sources and a note.  The output cap and the cache minimum appear in both reference
files: after the corrections they must agree (the build stops otherwise), and the packaged
``max_output_tokens`` / ``min_cache_tokens`` are uncertain when either file says so.

Usage: python scripts/build_catalog.py [REFERENCE_JSON]
A test keeps the packaged file equal to this script's output when the reference is present.
The packaged catalog is self-contained: bedrock-lint never reads the reference at run time.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bedrock_lint.catalog.naming import drop_shared_first_party_names, first_party_names, tier_of  # noqa: E402

REFERENCE = ROOT.parent / "shared" / "reference" / "claude-models.json"
# The constraints file sits next to the reference it is keyed by.
CONSTRAINTS_NAME = "model-constraints.json"
CORRECTIONS = ROOT / "scripts" / "catalog_corrections.json"
TARGET = ROOT / "bedrock_lint" / "catalog" / "claude_models.json"

# The reference was compiled from material stored up to October 2026 (docs/facts.md).
VERIFIED = "2026-10"

# Reference ``thinking`` text -> (accepts type "enabled", accepts type "adaptive");
# None where the reference does not say.
THINKING = {
    "none": (False, False),
    "extended (budget)": (True, False),
    "extended (budget); reasoning_config alias also used": (True, False),
    "extended (budget) + effort": (True, False),
    "adaptive (recommended) + extended (deprecated; SDK warns)": (True, True),
    "adaptive + extended (budget)": (True, True),
    "adaptive only (type:enabled rejected with 400)": (False, True),
    "adaptive only": (False, True),
    "adaptive only; temperature rejected ('`temperature` is deprecated for this model.')": (False, True),
    "adaptive only; temperature rejected": (False, True),
    "adaptive only (extended thinking not supported)": (False, True),
    "adaptive always on (extended thinking not supported)": (False, True),
    "adaptive always on (extended thinking not supported); temperature must be 1.0/unset; top_p in [0.99,1.0) or unset; top_k unsupported": (False, True),
    # The SDK warns on type "enabled" for this model as it does for Opus 4.6, which accepts it.
    "adaptive (SDK warns on type:enabled)": (True, True),
    # Haiku 5.5: the reference marks its thinking as uncertain; "enabled" is not known.
    "adaptive": (None, True),
}

# Ids seen in documentation whose validity the facts leave open (docs/facts.md §4.4).
UNCERTAIN_ALIASES = {
    "anthropic.claude-opus-4-6-v1": {
        "ids": ["anthropic.claude-opus-4-6-v1:0"],
        "source": "docs/facts.md §4.4: an older Spanish Anthropic page shows -v1:0; the English pages and LiteLLM use -v1",
    }
}

# Geographic inference-profile prefixes and the source regions they serve, by region-name
# prefix (docs/facts.md §4.1: AWS names the geographies US, EU, APAC, JP, AU; us-gov. and
# global. appear in AWS and LiteLLM ids).  A region matches the longest listed prefix.
GEOGRAPHIES = {
    "us.": ["us-east-", "us-west-"],
    "eu.": ["eu-"],
    "apac.": ["ap-"],
    "jp.": ["ap-northeast-1", "ap-northeast-3"],
    "au.": ["ap-southeast-2", "ap-southeast-4"],
    "us-gov.": ["us-gov-"],
    "global.": ["us-east-", "us-west-", "eu-", "ap-", "ca-", "sa-", "me-", "il-", "af-", "mx-"],
}
GEOGRAPHY_SOURCE = (
    "docs/facts.md §4.1 (geographies US, EU, APAC, JP, AU, us-gov, global); regions assigned by their "
    "AWS region-name prefix: us-east-/us-west- US, eu- Europe, ap- Asia Pacific (ap-northeast-1/3 Japan, "
    "ap-southeast-2/4 Australia)"
)


# ----------------------------------------------------------------------- corrections
# Fields a correction may add to a reference entry (the others must exist already).
NEW_REFERENCE_FIELDS = {"eol_no_sooner_than", "price_tiers", "max_output_certain"}


def apply_corrections(reference: list[dict], corrections: list[dict]) -> tuple[list[dict], dict[str, dict]]:
    """The reference with the corrections applied (a copy), and the constraint fields and
    uncertain paths the corrections set, by model id."""
    entries = {entry["id"]: copy.deepcopy(entry) for entry in reference}
    constraint_changes: dict[str, dict] = {}
    for correction in corrections:
        model_id = correction["id"]
        if model_id not in entries:
            raise SystemExit(f"catalog_corrections.json: {model_id} is not in the reference")
        entry = entries[model_id]
        for field, value in (correction.get("set") or {}).items():
            if field not in entry and field not in NEW_REFERENCE_FIELDS:
                raise SystemExit(f"catalog_corrections.json: {model_id}: unknown field {field!r}")
            entry[field] = value
        uncertain = set(entry.get("uncertain") or ())
        uncertain -= set(correction.get("certain") or ())
        uncertain |= set(correction.get("uncertain") or ())
        entry["uncertain"] = sorted(uncertain)
        note = f"Correction ({correction['section']}): {correction['note']}"
        entry["notes"] = f"{entry['notes']} {note}" if entry.get("notes") else note
        entry["source"] = [*entry["source"], *(s for s in correction.get("sources") or () if s not in entry["source"])]
        changes = constraint_changes.setdefault(model_id, {"set": {}, "uncertain": []})
        changes["set"].update(correction.get("constraints") or {})
        changes["uncertain"].extend(correction.get("constraints_uncertain") or ())
    return [entries[entry["id"]] for entry in reference], constraint_changes


# ----------------------------------------------------------------------- constraints
# model-constraints.json ``forced_tool_choice`` text -> (word, uncertain).  Words:
# "accepted"; "not-with-thinking" (400 "Thinking may not be enabled when tool_choice
# forces tool use"); "requires-thinking-disabled" (Sonnet 5 on Bedrock); "rejected"
# (400 on every request); None: not known.
FORCED_TOOL_CHOICE = {
    "ok": ("accepted", False),
    "ok [uncertain]": ("accepted", True),
    "ok (not with thinking)": ("not-with-thinking", False),
    "ok (not with thinking) [uncertain]": ("not-with-thinking", True),
    'ok (not with thinking: "Thinking may not be enabled when tool_choice forces tool use")': ("not-with-thinking", False),
    'Bedrock only: forced tool_choice (any/tool) requires thinking {type:"disabled"}': ("requires-thinking-disabled", False),
    "rejected (400)": ("rejected", False),
    "[uncertain]": (None, True),
}

# ``thinking_default`` text -> (default type, always on).
THINKING_DEFAULT = {
    "off": ("off", False),
    "adaptive": ("adaptive", False),
    "adaptive (always on)": ("adaptive", True),
}

# ``sampling.with_thinking`` values (§10.1: with budget thinking temperature must be 1 or
# unset, top_p and top_k unset) -> words: "default-only" (the default value 1, or unset),
# "unset" (must not be sent).  An "[uncertain: …]" text must come with its uncertain path.
WITH_THINKING_VALUE = {
    "1 or unset": "default-only",
    "unset": "unset",
    "unset [uncertain: Anthropic allows 0.95-1]": "unset",
}
# ``budget_lt_max_tokens`` -> when budget_tokens must stay below max_tokens.
BUDGET_BELOW_MAX_TOKENS = {
    True: "always",
    "yes, unless interleaved-thinking beta": "unless-interleaved-beta",
}

# A range's upper bound written as 0.999999 means "below 1.0" (§10.1: top_p "must be
# >= 0.99 and < 1.0").
EXCLUSIVE_ONE = 0.999999

# ``anthropic_version`` in InvokeModel bodies (model-constraints.md §10.7).  The documented
# value is the only accepted one everywhere; "" is accepted on Claude 3 Haiku/Sonnet and 3.5
# Haiku (recorded outputs), assumed on the other 3.x models, not known on 4.x+ or Claude 1/2.
ANTHROPIC_VERSION = "bedrock-2023-05-31"
EMPTY_VERSION_SEEN = {
    "anthropic.claude-3-haiku-20240307-v1:0",
    "anthropic.claude-3-sonnet-20240229-v1:0",
    "anthropic.claude-3-5-haiku-20241022-v1:0",
}
EMPTY_VERSION_ASSUMED = {
    "anthropic.claude-3-opus-20240229-v1:0",
    "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "anthropic.claude-3-5-sonnet-20241022-v2:0",
    "anthropic.claude-3-7-sonnet-20250219-v1:0",
}
# Values whose acceptance nobody has recorded (anthropic SDK >= 2.0 sends "2026-10-21").
UNVERIFIED_VERSIONS = ["2026-10-21"]
ANTHROPIC_VERSION_SOURCES = [
    "https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-anthropic-claude-messages-request-response.html",
    "aws-samples/amazon-bedrock-samples:articles-guides/prompt-engineering/Prompt Evaluation.ipynb (commit dec9f7d: anthropic_version \"\" on Claude 3 Haiku)",
    "QuantumNous/new-api#3339 (missing: 'anthropic_version: Field required')",
    "boto/boto3#4218 (wrong value: 'Invalid API version')",
    "docs/facts.md §5.1 (anthropic SDK >= 2.0 default 2026-10-21)",
]

# model-constraints.json names -> packaged names (for ``uncertain`` paths and ``sources``
# groups).  The output cap and the cache minimum are the model's top-level
# ``max_output_tokens`` / ``min_cache_tokens`` (their uncertain names: ``max_output``,
# ``min_cache_tokens``); variant ids are the model's ``context_variants``.
RENAMED_PATHS = {
    "sampling.temperature_top_p_exclusive": "sampling.temperature_top_p_together",
    "thinking_modes": "thinking.modes",
}
RENAMED_SOURCES = {"max_output_bedrock": "max_output_tokens", "thinking_modes": "thinking", "variant_ids": "context_variants"}
TOP_LEVEL_PATHS = {"max_output_bedrock": "max_output", "caching.min_tokens": "min_cache_tokens"}


def _range(bounds: list[float], where: str) -> dict:
    low, high = bounds
    if not 0 <= low <= high <= 1:
        raise SystemExit(f"{where}: bad range {bounds}")
    if high == EXCLUSIVE_ONE:
        return {"min": low, "max": 1.0, "max_exclusive": True}
    return {"min": low, "max": high, "max_exclusive": False}


def _word(table: dict, text, where: str):
    if text not in table:
        raise SystemExit(f"{where}: unknown text {text!r}; add it to the table in build_catalog.py")
    return table[text]


def constraints_of(model_id: str, raw: dict, changes: dict) -> tuple[dict, set[str], dict]:
    """The packaged ``constraints`` object of a model from its model-constraints.json
    entry, the top-level uncertain names it implies (``max_output``, ``min_cache_tokens``)
    and the model's ``context_variants`` (None when it has none).

    Shape (every key always present; None where the sources say nothing):
    ``api``; ``sampling`` {``temperature_top_p_together``: allowed|rejected,
    ``temperature``/``top_p``/``top_k``: ok|deprecated-rejected, ``temperature_range``/
    ``top_p_range`` {min, max, max_exclusive}, ``with_thinking`` {temperature, top_p, top_k:
    default-only|unset} or None, ``errors``}; ``max_output_tokens_by_beta`` {beta: tokens};
    ``prefill`` (a trailing assistant turn accepted); ``thinking`` {``modes``,
    ``deprecated_modes``, ``default``: off|adaptive, ``always_on``, ``budget_tokens_min``,
    ``budget_below_max_tokens``: always|unless-interleaved-beta, ``prefill``};
    ``forced_tool_choice`` (see FORCED_TOOL_CHOICE); ``tool_versions`` {computer,
    text_editor, bash}; ``betas``, ``betas_no_effect``, ``betas_rejected``,
    ``betas_conflicting``; ``caching`` {system, messages, tools, ttl_1h, availability};
    ``anthropic_version`` {``accepted``, ``empty_string``, ``unverified``}; ``sources`` by
    group; ``uncertain`` paths (a path covers everything below it; ``betas.NAME`` is one
    beta); ``notes``.
    """
    where = f"model-constraints.json {model_id}"
    uncertain: set[str] = set()
    top_level_uncertain: set[str] = set()
    for path in raw.get("uncertain") or ():
        if path in TOP_LEVEL_PATHS:
            top_level_uncertain.add(TOP_LEVEL_PATHS[path])
        elif path == "caching":
            uncertain.add(path)
            top_level_uncertain.add("min_cache_tokens")
        elif path != "variant_ids":
            uncertain.add(RENAMED_PATHS.get(path, path))
    notes = list(raw.get("notes") or ())

    sampling = raw["sampling"]
    with_thinking = sampling.get("with_thinking")
    thinking_extra = {"budget_tokens_min": None, "budget_below_max_tokens": None, "prefill": None}
    if with_thinking is not None:
        for key in ("temperature", "top_p", "top_k"):
            if "[uncertain" in str(with_thinking[key]) and f"sampling.with_thinking.{key}" not in uncertain:
                raise SystemExit(f"{where}: sampling.with_thinking.{key} says uncertain but is not listed so")
        thinking_extra = {
            "budget_tokens_min": with_thinking["budget_tokens_min"],
            "budget_below_max_tokens": _word(BUDGET_BELOW_MAX_TOKENS, with_thinking["budget_lt_max_tokens"], where),
            "prefill": with_thinking["prefill"],
        }
        with_thinking = {key: _word(WITH_THINKING_VALUE, with_thinking[key], where) for key in ("temperature", "top_p", "top_k")}
    packaged_sampling = {
        "temperature_top_p_together": "rejected" if sampling["temperature_top_p_exclusive"] else "allowed",
        "temperature": sampling["temperature"],
        "top_p": sampling["top_p"],
        "top_k": sampling["top_k"],
        "temperature_range": _range(sampling["temperature_range"], where),
        "top_p_range": _range(sampling["top_p_range"], where),
        "with_thinking": with_thinking,
        "errors": list(sampling.get("errors") or ()),
    }

    forced, forced_uncertain = _word(FORCED_TOOL_CHOICE, raw["forced_tool_choice"], where)
    if forced_uncertain:
        uncertain.add("forced_tool_choice")
    default, always_on = _word(THINKING_DEFAULT, raw["thinking_default"], where)

    tool_versions = {}
    for tool, versions in raw["tool_versions"].items():
        known = [v for v in versions if not v.startswith("[uncertain")]
        for text in versions:
            if text.startswith("[uncertain"):
                uncertain.add(f"tool_versions.{tool}")
                notes.append(f"{tool} tool version: {text.strip('[]')}")
        tool_versions[tool] = known

    caching = raw["caching"]
    if model_id in EMPTY_VERSION_SEEN:
        empty_string = True
    elif model_id in EMPTY_VERSION_ASSUMED:
        empty_string = True
        uncertain.add("anthropic_version.empty_string")
    else:
        empty_string = None
        uncertain.add("anthropic_version.empty_string")

    sources = {RENAMED_SOURCES.get(group, group): list(items) for group, items in raw["sources"].items()}
    sources["anthropic_version"] = list(ANTHROPIC_VERSION_SOURCES)
    constraints = {
        "api": raw["api"],
        "sampling": packaged_sampling,
        "max_output_tokens_by_beta": {},
        "prefill": raw["prefill"],
        "thinking": {
            "modes": list(raw["thinking_modes"]),
            "deprecated_modes": list(raw.get("thinking_deprecated") or ()),
            "default": default,
            "always_on": always_on,
            **thinking_extra,
        },
        "forced_tool_choice": forced,
        "tool_versions": tool_versions,
        "betas": list(raw["betas"]),
        "betas_no_effect": list(raw["betas_no_effect"]),
        "betas_rejected": list(raw["betas_rejected"]),
        "betas_conflicting": list(raw.get("betas_conflicting") or ()),
        "caching": {
            "system": caching["system"],
            "messages": caching["messages"],
            "tools": caching["tools"],
            "ttl_1h": caching["ttl_1h"],
            "availability": caching.get("availability"),
        },
        "anthropic_version": {"accepted": [ANTHROPIC_VERSION], "empty_string": empty_string, "unverified": list(UNVERIFIED_VERSIONS)},
    }
    for field, value in changes.get("set", {}).items():
        if field not in constraints:
            raise SystemExit(f"catalog_corrections.json: {model_id}: unknown constraint {field!r}")
        constraints[field] = value
    uncertain |= set(changes.get("uncertain", ()))
    for path in uncertain:
        if not _names_a_field(constraints, path):
            raise SystemExit(f"{where}: uncertain path {path!r} names no constraint")
    constraints["sources"] = sources
    constraints["uncertain"] = sorted(uncertain)
    constraints["notes"] = notes

    variants = None
    if raw.get("variant_ids"):
        variants = {
            "ids": list(raw["variant_ids"]),
            "uncertain": "variant_ids" in (raw.get("uncertain") or ()),
            "sources": list(raw["sources"].get("variant_ids") or ()),
        }
        for variant in variants["ids"]:
            if not variant.startswith(model_id + ":"):
                raise SystemExit(f"{where}: variant id {variant} is not the model id with a suffix")
    return constraints, top_level_uncertain, variants


def _names_a_field(constraints: dict, path: str) -> bool:
    """Whether ``path`` (``sampling.top_p_range``, ``betas.NAME``) names a constraint."""
    head, _, rest = path.partition(".")
    value = constraints.get(head, KeyError)
    if value is KeyError:
        return False
    if not rest:
        return True
    if isinstance(value, list):
        return rest in value
    return isinstance(value, dict) and _names_a_field(value, rest)


def build(reference: list[dict], constraints: dict, corrections: list[dict]) -> dict:
    reference, constraint_changes = apply_corrections(reference, corrections)
    raw_constraints = constraints["models"]
    models = []
    known_ids = {entry["id"] for entry in reference}
    if set(raw_constraints) != known_ids:
        raise SystemExit(f"{CONSTRAINTS_NAME} and the reference name different models: {sorted(set(raw_constraints) ^ known_ids)}")
    for entry in reference:
        model_id = entry["id"]
        raw = raw_constraints[model_id]
        for name, theirs in (("max_output", raw["max_output_bedrock"]), ("min_cache_tokens", raw["caching"]["min_tokens"])):
            if entry[name] != theirs:
                raise SystemExit(
                    f"{model_id}: {name} is {entry[name]} in the reference and {theirs} in {CONSTRAINTS_NAME}; "
                    "add a correction to scripts/catalog_corrections.json"
                )
        model_constraints, constraint_uncertain, variants = constraints_of(model_id, raw, constraint_changes.get(model_id, {}))
        thinking_text = entry["thinking"]
        if thinking_text not in THINKING:
            raise SystemExit(f"{model_id}: unknown thinking text {thinking_text!r}; add it to THINKING")
        enabled, adaptive = THINKING[thinking_text]
        tier, by_price = tier_of(model_id)
        uncertain = list(entry.get("uncertain") or []) + sorted(constraint_uncertain)
        if by_price or tier is None:
            uncertain.append("tier")
        if entry["replacement"] is not None and entry["replacement"] not in known_ids:
            raise SystemExit(f"{model_id}: replacement {entry['replacement']} is not in the reference")
        model = {
            "id": model_id,
            "family": entry["family"],
            "tier": tier,
            "profiles": entry["profile_prefixes"],
            "requires_inference_profile": entry["requires_inference_profile"],
            "lifecycle": {
                "status": entry["lifecycle"],
                "legacy": entry["legacy_since"],
                "eol": entry["eol_date"],
                "eol_no_sooner_than": entry.get("eol_no_sooner_than"),
            },
            "successor": entry["replacement"],
            "min_cache_tokens": entry["min_cache_tokens"],
            "max_output_tokens": entry["max_output"],
            # Where the cap is uncertain: the largest max_tokens every source lets through.
            "max_output_tokens_certain": _certain_output(entry, uncertain),
            "context_window": entry["context_window"],
            "thinking": {"enabled": enabled, "adaptive": adaptive, "notes": thinking_text},
            "first_party_names": first_party_names(model_id),
            "prices": {"input": entry["input_price"], "output": entry["output_price"], "unit": entry["price_unit"]},
            "sources": entry["source"],
            "notes": entry["notes"],
            "uncertain": sorted(set(uncertain)),
            "verified": VERIFIED,
        }
        if by_price:
            model["notes"] = (model["notes"] + " " if model["notes"] else "") + (
                "Tier: priced at or above Opus, so treated as top tier."
            )
        if entry.get("price_tiers"):
            model["prices"]["tiers"] = entry["price_tiers"]
        if model_id in UNCERTAIN_ALIASES:
            model["uncertain_aliases"] = UNCERTAIN_ALIASES[model_id]
        if variants:
            model["context_variants"] = variants
        model["constraints"] = model_constraints
        models.append(model)
    drop_shared_first_party_names(models)
    return {
        "schema": 1,
        "built_from": (
            "shared/reference/claude-models.json and model-constraints.json, corrected by "
            "scripts/catalog_corrections.json, by scripts/build_catalog.py"
        ),
        "verified": VERIFIED,
        "default_small_model": _default_small_model(models),
        "geographies": {"prefixes": GEOGRAPHIES, "source": GEOGRAPHY_SOURCE},
        "models": models,
    }


def _certain_output(entry: dict, uncertain: list[str]) -> int | None:
    """The largest ``max_tokens`` the model certainly accepts: its cap when certain, else
    the bound a correction records (None when no source bounds it)."""
    if entry["max_output"] is not None and "max_output" not in uncertain:
        return entry["max_output"]
    certain = entry.get("max_output_certain")
    if certain is not None and entry["max_output"] is not None and certain > entry["max_output"]:
        raise SystemExit(f"{entry['id']}: max_output_certain {certain} is above max_output {entry['max_output']}")
    return certain


def _default_small_model(models: list[dict]) -> str:
    """The cheapest Haiku recorded Active whose price is not uncertain."""
    candidates = [
        m for m in models
        if m["tier"] == "haiku" and m["lifecycle"]["status"] == "Active" and "input_price" not in m["uncertain"]
    ]
    return min(candidates, key=lambda m: m["prices"]["input"])["id"]


def render(reference_path: Path = REFERENCE) -> str:
    reference = json.loads(reference_path.read_text(encoding="utf-8"))
    constraints = json.loads((reference_path.parent / CONSTRAINTS_NAME).read_text(encoding="utf-8"))
    corrections = json.loads(CORRECTIONS.read_text(encoding="utf-8"))["corrections"]
    return cite_repository_docs(json.dumps(build(reference, constraints, corrections), indent=2, ensure_ascii=False) + "\n")


# The reference fact sheets are not shipped; docs/facts.md is, with the same section
# numbers (bedrock-facts.md §1-§9, model-constraints.md §10-§12), so a source a user
# reads in the catalog points at a page of the repository.
REFERENCE_SHEETS = re.compile(r"\b(?:bedrock-facts|model-constraints)\.md\b")


def cite_repository_docs(text: str) -> str:
    return REFERENCE_SHEETS.sub("docs/facts.md", text)


def main(argv: list[str]) -> int:
    reference_path = Path(argv[0]) if argv else REFERENCE
    TARGET.write_text(render(reference_path), encoding="utf-8")
    print(f"wrote {TARGET} from {reference_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
