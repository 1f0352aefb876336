"""The Claude model catalog: what is known about every Claude model on Bedrock.

The facts are data (``claude_models.json``, built from the reference by
``scripts/build_catalog.py``), each model with its sources, the date it was verified
and the fields whose facts are uncertain.  This module is the one small API every
model-id rule uses: :meth:`Catalog.lookup`, :meth:`Catalog.closest`,
:meth:`Catalog.successor`, :meth:`Catalog.profiles`, plus geography helpers.  Each
model also carries what it accepts in a request (:class:`ModelConstraints`: sampling,
output cap, prefill, thinking, forced ``tool_choice``, tool versions and betas, caching,
``anthropic_version``), read through :meth:`ClaudeModel.constraint` as a :class:`Fact`
(value, uncertain, sources), and its documented context-length variant ids
(``…-v1:0:200k``), which :meth:`Catalog.lookup` resolves to the model.

Lifecycle status is not stored: it is computed from the catalog's dates against
:func:`today`, so a model turns Legacy or EOL in the linter's eyes on the day it does
on Bedrock.  A catalog written by ``bedrock-lint models --refresh`` (in the user data
directory) or named by the ``catalog`` setting takes precedence over the packaged one.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Generic, TypeVar

from bedrock_lint.catalog.location import catalog_location, today

PACKAGED_CATALOG = "claude_models.json"

# ``us.anthropic.claude-…``: the inference-profile prefix, then the base id.
_PROFILE_PREFIX = re.compile(r"^(?P<prefix>(?:[a-z]{2,6}(?:-gov)?)\.)(?=anthropic\.)")
_LEGACY_NAME = re.compile(r"^claude(?P<instant>-instant)?-v(?P<major>\d+)(?::(?P<minor>\d+))?$")
_VERSION_SUFFIX = re.compile(r"-v(?P<version>\d+)(?::\d+)?$")
_WORDS = frozenset({"haiku", "sonnet", "opus", "instant", "fable", "mythos", "preview"})
# A context-length suffix (``…-v1:0:200k``): provisioned-throughput variants of a model.
_CONTEXT_SUFFIX = re.compile(r":\d+k$")


class CatalogError(Exception):
    """A catalog file that cannot be read or has the wrong shape; the message names it."""


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


# --------------------------------------------------------------- request constraints
T = TypeVar("T")


@dataclass(frozen=True)
class Fact(Generic[T]):
    """A catalog fact: its value (None: not known), whether the sources mark it
    uncertain (a finding resting on it is a warning, not an error), and its sources."""

    value: T
    uncertain: bool
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class ValueRange:
    """Accepted values of a sampling parameter: ``min`` ≤ value ≤ ``max`` (``< max`` when
    ``max_exclusive``)."""

    min: float
    max: float
    max_exclusive: bool

    def contains(self, value: float) -> bool:
        return self.min <= value and (value < self.max if self.max_exclusive else value <= self.max)


@dataclass(frozen=True, eq=False)
class SamplingConstraints:
    # "allowed" or "rejected": temperature and top_p in one request.
    temperature_top_p_together: str
    # "ok" (any value in range) or "deprecated-rejected" (400 "`X` is deprecated for this
    # model." for any value but the default; see the ranges).
    temperature: str
    top_p: str
    top_k: str
    temperature_range: ValueRange
    top_p_range: ValueRange
    # With budget thinking: {"temperature"/"top_p"/"top_k": "default-only" | "unset"};
    # None where the model has no budget thinking.
    with_thinking: Mapping[str, str] | None
    errors: tuple[str, ...]

    @property
    def together(self) -> str:
        return self.temperature_top_p_together


@dataclass(frozen=True, eq=False)
class ThinkingConstraints:
    modes: tuple[str, ...]  # accepted thinking.type values; () = no thinking parameter
    deprecated_modes: tuple[str, ...]
    default: str  # "off" or "adaptive" when the field is omitted
    always_on: bool
    budget_tokens_min: int | None
    # "always" or "unless-interleaved-beta": budget_tokens must stay below max_tokens.
    budget_below_max_tokens: str | None
    prefill: bool | None  # a trailing assistant turn while thinking is on


@dataclass(frozen=True, eq=False)
class CachingConstraints:
    system: bool
    messages: bool
    tools: bool
    ttl_1h: bool
    availability: str | None  # e.g. "preview customers only"

    @property
    def ttls(self) -> tuple[str, ...]:
        """The cache TTLs the model accepts (none without prompt caching)."""
        if not (self.system or self.messages or self.tools):
            return ()
        return ("5m", "1h") if self.ttl_1h else ("5m",)


@dataclass(frozen=True, eq=False)
class AnthropicVersionConstraints:
    accepted: tuple[str, ...]  # documented values of anthropic_version in InvokeModel bodies
    empty_string: bool | None  # "" accepted (True), or not known (None)
    unverified: tuple[str, ...]  # values nobody has seen accepted or rejected


# Short names of constraint paths (the catalog spells them out).
_PATH_ALIASES = {"sampling.together": "sampling.temperature_top_p_together"}


@dataclass(frozen=True, eq=False)
class ModelConstraints:
    """What a model accepts in a request on Bedrock (docs/facts.md §10), with the
    sources of each group of facts and the uncertain ones (dotted paths; a path covers
    everything below it, ``betas.NAME`` is one beta)."""

    api: str
    sampling: SamplingConstraints
    max_output_tokens_by_beta: Mapping[str, int]
    prefill: bool | None  # a conversation ending with an assistant turn is accepted
    thinking: ThinkingConstraints
    # "accepted", "not-with-thinking", "requires-thinking-disabled", "rejected"; None: not known.
    forced_tool_choice: str | None
    tool_versions: Mapping[str, tuple[str, ...]]  # computer / text_editor / bash
    betas: tuple[str, ...]
    betas_no_effect: tuple[str, ...]
    betas_rejected: tuple[str, ...]
    betas_conflicting: tuple[str, ...]
    caching: CachingConstraints
    anthropic_version: AnthropicVersionConstraints
    sources: Mapping[str, tuple[str, ...]]
    uncertain: frozenset[str]
    notes: tuple[str, ...]

    def is_uncertain(self, path: str) -> bool:
        """Whether the fact at ``path`` (``sampling.top_p_range``, ``betas.NAME``), a group
        enclosing it, or a fact inside it is marked uncertain."""
        path = _PATH_ALIASES.get(path, path)
        return any(u == path or path.startswith(u + ".") or u.startswith(path + ".") for u in self.uncertain)

    def fact(self, path: str) -> Fact:
        """The value at ``path`` with its uncertainty and the sources of its group."""
        path = _PATH_ALIASES.get(path, path)
        value: object = self
        for part in path.split("."):
            if isinstance(value, Mapping):
                value = value[part]
            else:
                value = getattr(value, part)
        return Fact(value, self.is_uncertain(path), self.sources.get(path.split(".")[0], ()))

    def as_json(self) -> dict:
        """The packaged JSON form."""
        data = asdict(self)
        data["uncertain"] = sorted(self.uncertain)
        return data


@dataclass(frozen=True)
class ClaudeModel:
    id: str
    family: str
    tier: str | None
    profiles: tuple[str, ...]
    # True, False, or "region-dependent".
    requires_inference_profile: bool | str
    recorded_status: str | None
    legacy_date: datetime.date | None
    eol_date: datetime.date | None
    successor_id: str | None
    min_cache_tokens: int | None
    max_output_tokens: int | None
    context_window: int | None
    # Accepts thinking {"type": "enabled", …} / {"type": "adaptive"}; None: not known.
    thinking_enabled: bool | None
    thinking_adaptive: bool | None
    first_party_names: tuple[str, ...]
    sources: tuple[str, ...]
    uncertain: frozenset[str]
    uncertain_aliases: tuple[str, ...]
    verified: str
    # USD per million tokens (on-demand); None when not known.
    input_price: float | None = None
    output_price: float | None = None
    # What the model accepts in a request; None when not known (a model only the API lists).
    constraints: ModelConstraints | None = None
    # Provisioned-throughput ids with a context-length suffix (``…-v1:0:200k``).
    context_variants: tuple[str, ...] = ()
    context_variants_uncertain: bool = False
    # A floor for the EOL date that is not itself a date (AWS: "no sooner than").
    eol_no_sooner_than: datetime.date | None = None
    # The largest max_tokens every source lets through (the cap itself when it is
    # certain); None when no source bounds an uncertain cap.  What a fix may rely on.
    max_output_tokens_certain: int | None = None

    def status(self, on: datetime.date | None = None) -> str | None:
        """``"Active"``, ``"Legacy"`` or ``"EOL"`` on the given day; None when no Bedrock
        status is known.  Dates decide when there are any; else the recorded status."""
        day = on or today()
        if self.eol_date is not None and day >= self.eol_date:
            return "EOL"
        if self.legacy_date is not None and day >= self.legacy_date:
            return "Legacy"
        if self.eol_date is not None or self.legacy_date is not None:
            return "Active"
        return self.recorded_status

    def status_uncertain(self, status: str | None) -> bool:
        """Whether the facts behind ``status`` are marked uncertain in the catalog."""
        if "lifecycle" in self.uncertain:
            return True
        if status == "EOL" and self.eol_date is not None:
            return "eol_date" in self.uncertain
        if status == "Legacy" and self.legacy_date is not None:
            return "legacy_since" in self.uncertain
        return False

    def is_uncertain(self, field: str) -> bool:
        return field in self.uncertain

    def constraint(self, path: str) -> Fact:
        """A request constraint (``prefill``, ``sampling.temperature_top_p_together``,
        ``thinking.modes`` …; see :class:`ModelConstraints`); value None and uncertain
        when the catalog has no constraints for the model."""
        if self.constraints is None:
            return Fact(None, True)
        return self.constraints.fact(path)

    @property
    def output_cap(self) -> Fact:
        """The largest ``max_tokens`` Bedrock accepts for the model (without betas)."""
        sources = self.constraints.sources.get("max_output_tokens", ()) if self.constraints else ()
        return Fact(self.max_output_tokens, self.max_output_tokens is None or self.is_uncertain("max_output"), sources)

    @property
    def accepts_prefill(self) -> Fact:
        """Whether a conversation may end with an assistant turn (thinking off)."""
        return self.constraint("prefill")

    @property
    def price_text(self) -> str | None:
        """``$5/$25`` (input/output per million tokens) when both prices are certain."""
        if self.input_price is None or self.output_price is None:
            return None
        if self.is_uncertain("input_price") or self.is_uncertain("output_price"):
            return None
        return f"${self.input_price:g}/${self.output_price:g}"

    @property
    def profile_only(self) -> bool:
        return self.requires_inference_profile is True


@dataclass(frozen=True)
class ModelName:
    """A model identifier split into its inference-profile prefix and base id."""

    prefix: str | None  # "us.", "global." … or None
    base: str

    @property
    def text(self) -> str:
        return (self.prefix or "") + self.base


def split_profile(identifier: str) -> ModelName:
    """``us.anthropic.claude-x`` -> (``us.``, ``anthropic.claude-x``)."""
    match = _PROFILE_PREFIX.match(identifier)
    if match:
        return ModelName(match.group("prefix"), identifier[match.end():])
    return ModelName(None, identifier)


def _name_key(base: str) -> tuple[frozenset[str], tuple[int, ...], str | None, int | None]:
    """(tier words, version numbers, date, ``-vN`` version) of a Claude id or API name,
    so that spellings of one model compare equal: ``anthropic.claude-4.5-sonnet-v1:0``,
    ``claude-sonnet-4-5``, ``anthropic.claude-sonnet-4-5-20250929-v1:0``."""
    name = base.lower().removeprefix("anthropic.")
    legacy = _LEGACY_NAME.match(name)
    if legacy:
        numbers = [int(legacy.group("major"))] + ([int(legacy.group("minor"))] if legacy.group("minor") else [])
        words = frozenset({"instant"}) if legacy.group("instant") else frozenset()
        return words, _trim_zeros(numbers), None, None
    version = None
    suffix = _VERSION_SUFFIX.search(name)
    if suffix:
        version = int(suffix.group("version"))
        name = name[: suffix.start()]
    words: set[str] = set()
    numbers: list[int] = []
    date = None
    for token in re.split(r"[-._:]", name):
        if token in _WORDS:
            words.add(token)
        elif token.isdigit() and len(token) == 8:
            date = token
        elif token.isdigit() and len(token) <= 2:
            numbers.append(int(token))
    return frozenset(words), _trim_zeros(numbers), date, version


def _trim_zeros(numbers: list[int]) -> tuple[int, ...]:
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


class Catalog:
    def __init__(self, data: dict, origin: str) -> None:
        self.origin = origin
        self.verified: str = data.get("verified", "")
        # {"date": …, "regions": […]} for a catalog written by ``models --refresh``.
        self.refreshed: dict | None = data.get("refreshed")
        self.models: dict[str, ClaudeModel] = {}
        for entry in data["models"]:
            model = _model_from(entry)
            self.models[model.id] = model
        self.default_small_model: str | None = data.get("default_small_model")
        geographies = data.get("geographies") or {}
        self.geographies: dict[str, tuple[str, ...]] = {
            prefix: tuple(regions) for prefix, regions in (geographies.get("prefixes") or {}).items()
        }
        self.geography_source: str = geographies.get("source", "")
        self._first_party = {name: model for model in self.models.values() for name in model.first_party_names}
        self._aliases = {alias: model for model in self.models.values() for alias in model.uncertain_aliases}
        self._variants = {variant: model for model in self.models.values() for variant in model.context_variants}

    # ---------------------------------------------------------------- lookups
    def lookup(self, identifier: str) -> ClaudeModel | None:
        """The model a base id or inference-profile id names (the prefix is not checked),
        or a documented context-length variant id (``…-v1:0:200k``, no profile prefix)."""
        name = split_profile(identifier)
        model = self.models.get(name.base)
        if model is None and name.prefix is None:
            model = self._variants.get(name.base)
        return model

    def context_variant(self, identifier: str) -> ClaudeModel | None:
        """The model whose documented context-length variant ``identifier`` is."""
        return self._variants.get(identifier)

    def uncertain_alias(self, identifier: str) -> ClaudeModel | None:
        """The model an id of uncertain validity probably means (``…-opus-4-6-v1:0``)."""
        return self._aliases.get(split_profile(identifier).base)

    def profiles(self, identifier: str) -> tuple[str, ...]:
        model = self.lookup(identifier)
        return model.profiles if model else ()

    def first_party(self, name: str) -> ClaudeModel | None:
        """The model an Anthropic API name (``claude-sonnet-4-5``) stands for."""
        model = self._first_party.get(name.lower())
        if model is not None:
            return model
        return self._by_key(name)

    def successor(self, identifier: str, on: datetime.date | None = None) -> ClaudeModel | None:
        """The first model down the successor chain that is neither Legacy nor EOL."""
        model = self.lookup(identifier)
        seen: set[str] = set()
        while model is not None and model.successor_id and model.id not in seen:
            seen.add(model.id)
            model = self.models.get(model.successor_id)
            if model is not None and model.status(on) not in ("Legacy", "EOL"):
                return model
        return None

    def closest(self, identifier: str) -> str | None:
        """The one catalog id the (unknown) identifier most likely means, keeping its
        profile prefix when the model has that profile; None when nothing or more than
        one id is close."""
        name = split_profile(identifier)
        model = self._by_key(name.base)
        if model is None:
            import difflib

            matches = difflib.get_close_matches(name.base, list(self.models), n=2, cutoff=0.85)
            model = self.models[matches[0]] if len(matches) == 1 else None
        if model is None:
            return None
        if _CONTEXT_SUFFIX.search(name.base):
            # A variant id is meant: the one documented variant, never the on-demand id.
            return model.context_variants[0] if len(model.context_variants) == 1 else None
        if name.prefix and name.prefix in model.profiles:
            return name.prefix + model.id
        return model.id

    def _by_key(self, text: str) -> ClaudeModel | None:
        words, numbers, date, version = _name_key(text)
        if not numbers and not words:
            return None
        candidates = [m for m in self.models.values() if _name_key(m.id)[:2] == (words, numbers)]
        if len(candidates) > 1 and date is not None:
            candidates = [m for m in candidates if _name_key(m.id)[2] == date] or candidates
        if len(candidates) > 1 and version is not None:
            candidates = [m for m in candidates if _name_key(m.id)[3] == version] or candidates
        return candidates[0] if len(candidates) == 1 else None

    # -------------------------------------------------------------- geography
    def geographies_of_region(self, region: str) -> list[str]:
        """Profile prefixes whose geography serves ``region``, most specific first
        (``ap-northeast-1``: ``jp.``, ``apac.``, ``global.``)."""
        found = []
        for prefix, region_prefixes in self.geographies.items():
            longest = max((len(p) for p in region_prefixes if region.startswith(p)), default=0)
            if longest:
                found.append((prefix == "global.", -longest, prefix))
        return [prefix for _, _, prefix in sorted(found)]

    def profile_serves_region(self, prefix: str, region: str) -> bool | None:
        """Whether a profile with ``prefix`` can be called from ``region``; None when the
        catalog does not place the region in any geography but the global one."""
        geographies = self.geographies_of_region(region)
        if not any(g != "global." for g in geographies):
            return None
        if prefix not in self.geographies:
            return None
        return prefix in geographies


def _model_from(entry: dict) -> ClaudeModel:
    lifecycle = entry.get("lifecycle") or {}
    thinking = entry.get("thinking") or {}
    aliases = entry.get("uncertain_aliases") or {}
    where = f"models[{entry['id']}]"
    constraints = entry.get("constraints")
    variants = entry.get("context_variants") or {}
    if variants:
        _field(variants, "ids", f"{where}.context_variants", _is_strings, "a list of strings")
    return ClaudeModel(
        id=entry["id"],
        family=entry.get("family") or "",
        tier=entry.get("tier"),
        profiles=tuple(entry.get("profiles") or ()),
        requires_inference_profile=entry.get("requires_inference_profile", False),
        recorded_status=lifecycle.get("status"),
        legacy_date=_date(lifecycle.get("legacy")),
        eol_date=_date(lifecycle.get("eol")),
        successor_id=entry.get("successor"),
        min_cache_tokens=entry.get("min_cache_tokens"),
        max_output_tokens=entry.get("max_output_tokens"),
        context_window=entry.get("context_window"),
        thinking_enabled=thinking.get("enabled"),
        thinking_adaptive=thinking.get("adaptive"),
        first_party_names=tuple(entry.get("first_party_names") or ()),
        sources=tuple(entry.get("sources") or ()),
        uncertain=frozenset(entry.get("uncertain") or ()),
        uncertain_aliases=tuple(aliases.get("ids") or ()),
        verified=entry.get("verified", ""),
        input_price=(entry.get("prices") or {}).get("input"),
        output_price=(entry.get("prices") or {}).get("output"),
        constraints=_constraints_from(constraints, f"{where}.constraints") if constraints is not None else None,
        context_variants=tuple(variants.get("ids") or ()),
        context_variants_uncertain=bool(variants.get("uncertain")),
        eol_no_sooner_than=_date(lifecycle.get("eol_no_sooner_than")),
        max_output_tokens_certain=entry.get("max_output_tokens_certain"),
    )


# ------------------------------------------------------- reading constraints (checked)
def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _optional(check):
    return lambda value: value is None or check(value)


def _one_of(*words):
    return lambda value: value in words


def _field(obj: dict, key: str, where: str, check, expected: str):
    """``obj[key]`` when it passes ``check``; else a ValueError naming the key."""
    if not isinstance(obj, dict):
        raise ValueError(f"{where}: expected an object, got {obj!r}")
    if key not in obj:
        raise ValueError(f"{where}.{key}: missing")
    value = obj[key]
    if not check(value):
        raise ValueError(f"{where}.{key}: expected {expected}, got {value!r}")
    return value


def _value_range(obj: dict, key: str, where: str) -> ValueRange:
    data = _field(obj, key, where, lambda v: isinstance(v, dict), "an object")
    where = f"{where}.{key}"
    low = _field(data, "min", where, _is_number, "a number")
    high = _field(data, "max", where, _is_number, "a number")
    if low > high:
        raise ValueError(f"{where}: min {low} is above max {high}")
    return ValueRange(float(low), float(high), _field(data, "max_exclusive", where, lambda v: isinstance(v, bool), "true or false"))


SAMPLING_WORDS = ("ok", "deprecated-rejected")
FORCED_TOOL_CHOICE_WORDS = ("accepted", "not-with-thinking", "requires-thinking-disabled", "rejected")
_BOOL, _OPTIONAL_BOOL = (lambda v: isinstance(v, bool)), _optional(lambda v: isinstance(v, bool))


def _constraints_from(data, where: str) -> ModelConstraints:
    """The constraints of one model, checked; a ValueError names the key that is wrong."""
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected an object, got {data!r}")
    sampling = _field(data, "sampling", where, lambda v: isinstance(v, dict), "an object")
    at = f"{where}.sampling"
    with_thinking = _field(sampling, "with_thinking", at, _optional(lambda v: isinstance(v, dict)), "an object or null")
    if with_thinking is not None:
        for key in ("temperature", "top_p", "top_k"):
            _field(with_thinking, key, f"{at}.with_thinking", _one_of("default-only", "unset"), '"default-only" or "unset"')
    sampling_constraints = SamplingConstraints(
        temperature_top_p_together=_field(sampling, "temperature_top_p_together", at, _one_of("allowed", "rejected"), '"allowed" or "rejected"'),
        temperature=_field(sampling, "temperature", at, _one_of(*SAMPLING_WORDS), '"ok" or "deprecated-rejected"'),
        top_p=_field(sampling, "top_p", at, _one_of(*SAMPLING_WORDS), '"ok" or "deprecated-rejected"'),
        top_k=_field(sampling, "top_k", at, _one_of(*SAMPLING_WORDS), '"ok" or "deprecated-rejected"'),
        temperature_range=_value_range(sampling, "temperature_range", at),
        top_p_range=_value_range(sampling, "top_p_range", at),
        with_thinking=dict(with_thinking) if with_thinking is not None else None,
        errors=tuple(_field(sampling, "errors", at, _is_strings, "a list of strings")),
    )
    thinking = _field(data, "thinking", where, lambda v: isinstance(v, dict), "an object")
    at = f"{where}.thinking"
    thinking_constraints = ThinkingConstraints(
        modes=tuple(_field(thinking, "modes", at, _is_strings, "a list of strings")),
        deprecated_modes=tuple(_field(thinking, "deprecated_modes", at, _is_strings, "a list of strings")),
        default=_field(thinking, "default", at, _one_of("off", "adaptive"), '"off" or "adaptive"'),
        always_on=_field(thinking, "always_on", at, _BOOL, "true or false"),
        budget_tokens_min=_field(thinking, "budget_tokens_min", at, _optional(_is_int), "an integer or null"),
        budget_below_max_tokens=_field(
            thinking, "budget_below_max_tokens", at, _one_of(None, "always", "unless-interleaved-beta"),
            '"always", "unless-interleaved-beta" or null',
        ),
        prefill=_field(thinking, "prefill", at, _OPTIONAL_BOOL, "true, false or null"),
    )
    tools = _field(data, "tool_versions", where, lambda v: isinstance(v, dict), "an object")
    for tool in tools:
        _field(tools, tool, f"{where}.tool_versions", _is_strings, "a list of strings")
    caching = _field(data, "caching", where, lambda v: isinstance(v, dict), "an object")
    at = f"{where}.caching"
    caching_constraints = CachingConstraints(
        system=_field(caching, "system", at, _BOOL, "true or false"),
        messages=_field(caching, "messages", at, _BOOL, "true or false"),
        tools=_field(caching, "tools", at, _BOOL, "true or false"),
        ttl_1h=_field(caching, "ttl_1h", at, _BOOL, "true or false"),
        availability=_field(caching, "availability", at, _optional(lambda v: isinstance(v, str)), "a string or null"),
    )
    version = _field(data, "anthropic_version", where, lambda v: isinstance(v, dict), "an object")
    at = f"{where}.anthropic_version"
    version_constraints = AnthropicVersionConstraints(
        accepted=tuple(_field(version, "accepted", at, _is_strings, "a list of strings")),
        empty_string=_field(version, "empty_string", at, _OPTIONAL_BOOL, "true, false or null"),
        unverified=tuple(_field(version, "unverified", at, _is_strings, "a list of strings")),
    )
    by_beta = _field(data, "max_output_tokens_by_beta", where, lambda v: isinstance(v, dict), "an object")
    for beta in by_beta:
        _field(by_beta, beta, f"{where}.max_output_tokens_by_beta", _is_int, "an integer")
    sources = _field(data, "sources", where, lambda v: isinstance(v, dict), "an object")
    for group in sources:
        _field(sources, group, f"{where}.sources", _is_strings, "a list of strings")
    constraints = ModelConstraints(
        api=_field(data, "api", where, lambda v: isinstance(v, str), "a string"),
        sampling=sampling_constraints,
        max_output_tokens_by_beta=dict(by_beta),
        prefill=_field(data, "prefill", where, _OPTIONAL_BOOL, "true, false or null"),
        thinking=thinking_constraints,
        forced_tool_choice=_field(
            data, "forced_tool_choice", where, _one_of(None, *FORCED_TOOL_CHOICE_WORDS),
            " or ".join(f'"{w}"' for w in FORCED_TOOL_CHOICE_WORDS) + " or null",
        ),
        tool_versions={tool: tuple(versions) for tool, versions in tools.items()},
        betas=tuple(_field(data, "betas", where, _is_strings, "a list of strings")),
        betas_no_effect=tuple(_field(data, "betas_no_effect", where, _is_strings, "a list of strings")),
        betas_rejected=tuple(_field(data, "betas_rejected", where, _is_strings, "a list of strings")),
        betas_conflicting=tuple(_field(data, "betas_conflicting", where, _is_strings, "a list of strings")),
        caching=caching_constraints,
        anthropic_version=version_constraints,
        sources={group: tuple(items) for group, items in sources.items()},
        uncertain=frozenset(_field(data, "uncertain", where, _is_strings, "a list of strings")),
        notes=tuple(_field(data, "notes", where, _is_strings, "a list of strings")),
    )
    for path in constraints.uncertain:
        try:
            constraints.fact(path)
        except (AttributeError, KeyError, TypeError):
            head, _, beta = path.partition(".")
            if not (head.startswith("betas") and beta and beta in getattr(constraints, head, ())):
                raise ValueError(f"{where}.uncertain: {path!r} names no constraint") from None
    return constraints


# -------------------------------------------------------------------- loading
def packaged_catalog_text() -> str:
    # Next to this module, as setuptools installs package data (importlib.resources
    # would add about 5 ms to every run's imports).
    return Path(__file__).with_name(PACKAGED_CATALOG).read_text("utf-8")


def parse_catalog(text: str, origin: str) -> Catalog:
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("models"), list):
            raise ValueError('expected an object with a "models" list')
        return Catalog(data, origin)
    except (ValueError, KeyError, TypeError) as error:
        raise CatalogError(f"model catalog {origin} is not valid: {error}") from error


@lru_cache(maxsize=8)
def _load(location: str | None, mtime_ns: int) -> Catalog:
    if location is None:
        return parse_catalog(packaged_catalog_text(), "(packaged)")
    try:
        text = Path(location).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogError(f"model catalog {location} cannot be read: {error}") from error
    return parse_catalog(text, location)


# The catalogs loaded inside :func:`catalog_held`, by configured location.
_held: ContextVar[dict[str | None, Catalog] | None] = ContextVar("bedrock_lint_held_catalogs", default=None)


@contextmanager
def catalog_held() -> Iterator[None]:
    """Within the block, :func:`load_catalog` looks for the catalog file once per
    configured location and then answers from memory: the analysis of one file asks
    hundreds of times, and each look costs a user-directory lookup and two ``stat``
    calls.  A long-running process (the language server) still sees a refreshed
    catalog in its next block."""
    token = _held.set({})
    try:
        yield
    finally:
        _held.reset(token)


def load_catalog(configured: str | None = None) -> Catalog:
    """The catalog in use (see :func:`catalog_location`); raises :class:`CatalogError`."""
    held = _held.get()
    if held is None:
        return _load_current(configured)
    found = held.get(configured)
    if found is None:
        found = held[configured] = _load_current(configured)
    return found


def _load_current(configured: str | None) -> Catalog:
    location = catalog_location(configured)
    if location is None:
        return _load(None, 0)
    try:
        mtime = os.stat(location).st_mtime_ns
    except OSError:
        mtime = 0
    return _load(str(location), mtime)
