"""The Claude model catalog: what is known about every Claude model on Bedrock.

The facts are data (``claude_models.json``, built from the reference by
``scripts/build_catalog.py``), each model with its sources, the date it was verified
and the fields whose facts are uncertain.  This module is the one small API every
model-id rule uses: :meth:`Catalog.lookup`, :meth:`Catalog.closest`,
:meth:`Catalog.successor`, :meth:`Catalog.profiles`, plus geography helpers.

Lifecycle status is not stored: it is computed from the catalog's dates against
:func:`today`, so a model turns Legacy or EOL in the linter's eyes on the day it does
on Bedrock.  A catalog written by ``bedrock-lint models --refresh`` (in the user data
directory) or named by the ``catalog`` setting takes precedence over the packaged one.
"""

from __future__ import annotations

import datetime
import difflib
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

PACKAGED_CATALOG = "claude_models.json"
USER_CATALOG = "claude_models.json"
APP_NAME = "bedrock-lint"

# ``us.anthropic.claude-…``: the inference-profile prefix, then the base id.
_PROFILE_PREFIX = re.compile(r"^(?P<prefix>(?:[a-z]{2,6}(?:-gov)?)\.)(?=anthropic\.)")
_LEGACY_NAME = re.compile(r"^claude(?P<instant>-instant)?-v(?P<major>\d+)(?::(?P<minor>\d+))?$")
_VERSION_SUFFIX = re.compile(r"-v(?P<version>\d+)(?::\d+)?$")
_WORDS = frozenset({"haiku", "sonnet", "opus", "instant", "fable", "mythos", "preview"})


def today() -> datetime.date:
    """The day lifecycle judgements are made for (tests replace this)."""
    return datetime.date.today()


class CatalogError(Exception):
    """A catalog file that cannot be read or has the wrong shape; the message names it."""


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


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

    # ---------------------------------------------------------------- lookups
    def lookup(self, identifier: str) -> ClaudeModel | None:
        """The model a base id or inference-profile id names (the prefix is not checked)."""
        return self.models.get(split_profile(identifier).base)

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
            matches = difflib.get_close_matches(name.base, list(self.models), n=2, cutoff=0.85)
            model = self.models[matches[0]] if len(matches) == 1 else None
        if model is None:
            return None
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
    )


# -------------------------------------------------------------------- loading
def user_catalog_path() -> Path:
    """Where ``bedrock-lint models --refresh`` writes the user-level catalog."""
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False) / USER_CATALOG


def packaged_catalog_text() -> str:
    return resources.files("bedrock_lint.catalog").joinpath(PACKAGED_CATALOG).read_text("utf-8")


def catalog_location(configured: str | None = None) -> Path | None:
    """The catalog file in use: the configured one, else the user-level one if it
    exists, else None (the packaged catalog)."""
    if configured:
        return Path(configured)
    user = user_catalog_path()
    return user if user.is_file() else None


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


def load_catalog(configured: str | None = None) -> Catalog:
    """The catalog in use (see :func:`catalog_location`); raises :class:`CatalogError`."""
    location = catalog_location(configured)
    if location is None:
        return _load(None, 0)
    try:
        mtime = os.stat(location).st_mtime_ns
    except OSError:
        mtime = 0
    return _load(str(location), mtime)
