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

Usage: python scripts/build_catalog.py [REFERENCE_JSON]
A test keeps the packaged file equal to this script's output when the reference is present.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bedrock_lint.catalog.naming import drop_shared_first_party_names, first_party_names, tier_of  # noqa: E402

REFERENCE = ROOT.parent / "shared" / "reference" / "claude-models.json"
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


def build(reference: list[dict]) -> dict:
    models = []
    known_ids = {entry["id"] for entry in reference}
    for entry in reference:
        model_id = entry["id"]
        thinking_text = entry["thinking"]
        if thinking_text not in THINKING:
            raise SystemExit(f"{model_id}: unknown thinking text {thinking_text!r}; add it to THINKING")
        enabled, adaptive = THINKING[thinking_text]
        tier, by_price = tier_of(model_id)
        uncertain = list(entry.get("uncertain") or [])
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
            },
            "successor": entry["replacement"],
            "min_cache_tokens": entry["min_cache_tokens"],
            "max_output_tokens": entry["max_output"],
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
        if model_id in UNCERTAIN_ALIASES:
            model["uncertain_aliases"] = UNCERTAIN_ALIASES[model_id]
        models.append(model)
    drop_shared_first_party_names(models)
    return {
        "schema": 1,
        "built_from": "shared/reference/claude-models.json by scripts/build_catalog.py",
        "verified": VERIFIED,
        "default_small_model": _default_small_model(models),
        "geographies": {"prefixes": GEOGRAPHIES, "source": GEOGRAPHY_SOURCE},
        "models": models,
    }


def _default_small_model(models: list[dict]) -> str:
    """The cheapest Haiku recorded Active whose price is not uncertain."""
    candidates = [
        m for m in models
        if m["tier"] == "haiku" and m["lifecycle"]["status"] == "Active" and "input_price" not in m["uncertain"]
    ]
    return min(candidates, key=lambda m: m["prices"]["input"])["id"]


def render(reference_path: Path = REFERENCE) -> str:
    reference = json.loads(reference_path.read_text(encoding="utf-8"))
    return json.dumps(build(reference), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    reference_path = Path(argv[0]) if argv else REFERENCE
    TARGET.write_text(render(reference_path), encoding="utf-8")
    print(f"wrote {TARGET} from {reference_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
