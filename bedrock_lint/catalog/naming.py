"""What follows mechanically from a Claude model id: its tier and its Anthropic API names.

Shared by ``scripts/build_catalog.py`` (the packaged catalog) and ``bedrock-lint models
--refresh`` (models the Bedrock API lists that the packaged catalog lacks), so both
derive these facts the same way.
"""

from __future__ import annotations

import re

# A Bedrock Anthropic id, optionally behind an inference-profile prefix.
ANTHROPIC_ID = re.compile(r"(?:[a-z]{2,6}(?:-gov)?\.)?anthropic\.claude-[a-z0-9.:-]+")
# An ARN (judged in full by the rules); in an f-string only its model part is checked.
ARN_START = "arn:"

# Word in the model name -> tier.  Fable and Mythos are priced at or above Opus, so they
# are treated as top tier; that is inferred from price, not the name (PRICE_TIERS).
TIERS = (("haiku", "haiku"), ("sonnet", "sonnet"), ("opus", "opus"), ("instant", "haiku"), ("fable", "opus"), ("mythos", "opus"))
PRICE_TIERS = ("fable", "mythos")


def tier_of(model_id: str) -> tuple[str | None, bool]:
    """(tier, inferred from price rather than the name)."""
    name = model_id.removeprefix("anthropic.")
    for word, tier in TIERS:
        if word in name:
            return tier, word in PRICE_TIERS
    return None, False


def first_party_names(model_id: str) -> list[str]:
    """The Anthropic API names of a Bedrock id, from Anthropic's id grammar
    (docs/facts.md §4.1): strip ``anthropic.`` and the ``-vN[:M]`` suffix; a dated id
    also has the date-less alias."""
    stem = re.sub(r"-v\d+(?::\d+)?$", "", model_id.removeprefix("anthropic."))
    if not stem.startswith("claude-") or stem in ("claude", "claude-instant"):
        return []  # Claude 1/2/instant: Anthropic's names (claude-2.1 …) do not follow the grammar
    names = [stem]
    dateless = re.sub(r"-\d{8}$", "", stem)
    if dateless != stem:
        names.append(dateless)
    return names


def drop_shared_first_party_names(models: list[dict]) -> None:
    """A date-less name shared by two catalog entries (``claude-3-5-sonnet`` for v1 and
    v2) names neither: remove it from both (entries are catalog-shaped dicts)."""
    owners: dict[str, int] = {}
    for model in models:
        for name in model["first_party_names"]:
            owners[name] = owners.get(name, 0) + 1
    for model in models:
        model["first_party_names"] = [n for n in model["first_party_names"] if owners[n] == 1]
