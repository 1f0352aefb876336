"""BDR1xx: model identifiers — unknown, Legacy, end-of-life, profile-only, first-party,
wrong-geography and oversized models, and malformed model ARNs.

Facts: the model catalog (``bedrock_lint/catalog/claude_models.json``, built from the
reference data by ``scripts/build_catalog.py``) and ``docs/facts.md`` §4.  Every rule
judges the identifiers the index found (``analysis.model_ids``); a fact the catalog
marks uncertain never yields an error: the finding is a warning and says so.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable, Iterator


from bedrock_lint.analysis.bedrock import uses_mantle
from bedrock_lint.analysis.model_ids import ModelIdString, ModelSlot, model_ids_of
from bedrock_lint.analysis.model_choices import model_choices
from bedrock_lint.analysis.requests import Request, request_for, requests_of
from bedrock_lint.analysis.sites import ClientSite, ModuleIndex

from bedrock_lint.analysis.values import Literal
from bedrock_lint.catalog.api import model_id_pattern
from bedrock_lint.catalog import models as catalog_models
from bedrock_lint.catalog.models import Catalog, ClaudeModel, load_catalog, split_profile
from bedrock_lint.findings import Applicability, Severity
from bedrock_lint.fixes.builders import Rewrite, rewrite_edits
from bedrock_lint.rules.request_fit import RequestChange, fit_request
from bedrock_lint.rules.registry import rule
from bedrock_lint.rules.report import FixProposal, Report, fitting
from bedrock_lint.settings import MODEL_TIERS, Settings


def _catalog(settings: Settings) -> Catalog:
    return load_catalog(settings.catalog)


def _uncertain(severity: Severity, uncertain: bool) -> Severity | None:
    """An error resting on an uncertain fact is reported as a warning."""
    return Severity.WARNING if uncertain and severity is Severity.ERROR else None


def _profiles_text(model: ClaudeModel) -> str:
    return ", ".join(model.profiles) if model.profiles else "none listed"


def _quoted(text: str) -> str:
    return f'"{text}"'


@dataclass
class _Target:
    """A model identifier with what the catalog knows about it."""

    record: ModelIdString
    text: str  # the model identifier (for an ARN, its model part)
    prefix: str | None
    model: ClaudeModel | None


def _targets(index: ModuleIndex, catalog: Catalog, kinds: tuple[str, ...] = ("id", "arn")) -> Iterator[_Target]:
    for record in model_ids_of(index):
        if record.kind not in kinds or record.model_text is None:
            continue
        name = split_profile(record.model_text)
        if not name.base.startswith("anthropic."):
            continue
        yield _Target(record, record.model_text, name.prefix, catalog.lookup(record.model_text))


def _literal_region(index: ModuleIndex, client: ClientSite | None) -> str | None:
    """The client's region when it is written as a literal (the first argument that sets it)."""
    if client is None:
        return None
    for argument, scope, _where in client.region_arguments():
        value = index.resolve(argument.value, scope)
        if isinstance(value, Literal) and isinstance(value.value, str) and value.value:
            return value.value
        return None  # set, but not to a literal: the region is not known
    return None


def _slot_regions(index: ModuleIndex, record: ModelIdString) -> set[str | None]:
    return {_literal_region(index, slot.client) for slot in record.slots}


def _geography_prefix(index: ModuleIndex, catalog: Catalog, settings: Settings, record: ModelIdString, model: ClaudeModel) -> str | None:
    """The inference-profile prefix to add for ``model`` where ``record`` is sent: from
    the clients' literal regions (all must agree), else the ``profile-geography`` setting."""
    regions = _slot_regions(index, record) if record.slots else {None}
    prefixes = set()
    for region in regions:
        if region is None:
            if settings.profile_geography is None:
                return None
            prefixes.add(settings.profile_geography.rstrip(".") + ".")
        else:
            listed = [p for p in catalog.geographies_of_region(region) if p != "global." and p in model.profiles]
            if not listed:
                return None
            prefixes.add(listed[0])
    if len(prefixes) != 1:
        return None
    prefix = prefixes.pop()
    return prefix if prefix in model.profiles else None


PROFILE_GEOGRAPHY = "profile-geography"


def _needs_geography(catalog: Catalog, settings: Settings, spell: Callable[[Settings], str | None]) -> str | None:
    """``profile-geography`` when that setting is not set and some geography would let
    ``spell`` (how the fix spells the new id, under given settings) give an id: a fix
    withheld only for want of a geography (``Report.fix_needs_setting``)."""
    if settings.profile_geography is not None:
        return None
    for prefix in catalog.geographies:
        if spell(replace(settings, profile_geography=prefix.rstrip("."))) is not None:
            return PROFILE_GEOGRAPHY
    return None


@dataclass
class _Move:
    """What moving an identifier's requests to another model takes: the request changes
    that model needs (rules.md, "Model-id fixes carry the request changes"), or what no
    edit here fixes (``blocked``: "rejects the assistant prefill at line 5")."""

    changes: list[RequestChange]
    blocked: str | None

    def actions(self) -> str:
        """ "drop topP and lower maxTokens to 64000" (empty when nothing changes)."""
        actions = list(dict.fromkeys(change.action for change in self.changes))
        return " and ".join(actions) if len(actions) < 3 else ", ".join(actions[:-1]) + " and " + actions[-1]

    def reasons(self) -> str:
        """ "rejects temperature with top_p, the beta 'x'; caps output at 64,000" """
        reasons = list(dict.fromkeys(change.reason for change in self.changes))
        rejected = [r.removeprefix("rejects ") for r in reasons if r.startswith("rejects ")]
        others = [r for r in reasons if not r.startswith("rejects ")]
        return "; ".join((["rejects " + ", ".join(rejected)] if rejected else []) + others)

    def advice(self, use: str) -> tuple[str, ...]:
        """How messages say to move (fullest first): with the request changes when any."""
        return (f"{use} and {self.actions()}", f"{use} (the fix also changes the request)", use) if self.changes else (use,)


def _move(index: ModuleIndex, settings: Settings, record: ModelIdString, new_model: ClaudeModel, slots: list[ModelSlot] | None = None) -> _Move:
    """The changes each request the identifier is sent with needs for ``new_model``.  A
    request that cannot be built is no evidence either way."""
    changes: list[RequestChange] = []
    seen: set[int] = set()
    requests = [request_for(index, slot.call) for slot in (record.slots if slots is None else slots)]
    if slots is None:
        requests.extend(_choosing_requests(index, record))
    for request in requests:
        if request is None or id(request.call) in seen:
            continue
        seen.add(id(request.call))
        fit = fit_request(index, request, new_model, settings)
        if fit.blocked_by is not None:
            return _Move([], fit.blocked_by)
        changes.extend(fit.changes)
    return _Move(changes, None)


def _choosing_requests(index: ModuleIndex, record: ModelIdString) -> list[Request]:
    """The requests whose model is chosen among several values, this identifier one of
    them (``model = "…3-7…" if deep else "…haiku…"``): the move sends them to the new model."""
    return [
        request
        for request in requests_of(index)
        if any(any(node is record.node for node in choice.literals) for choice in model_choices(index, request)[0])
    ]


def _replacement_fix(
    index: ModuleIndex, record: ModelIdString, new_model: str, applicability: Applicability, what: str, move: _Move | None = None
) -> FixProposal | None:
    """The fix that writes ``new_model`` in place of the identifier, with the request
    changes of ``move`` in the same fix (one fix: the id alone would leave a request the
    model rejects).  Its safety is the least safe of its parts: request changes are unsafe."""
    source = record.with_model(new_model)
    if source is None:
        return None
    rewrites = [Rewrite(record.node, lambda old: old.with_changes(value=source))]  # type: ignore[attr-defined]
    message = f"{what} {new_model}"
    if move is not None and move.changes:
        for change in move.changes:
            rewrites.extend(change.rewrites or ())
        message += f" and {move.actions()} (it {move.reasons()})"
        applicability = Applicability.UNSAFE
    return FixProposal(applicability, message, rewrite_edits(index, rewrites))


def _moving_fix(
    index: ModuleIndex, settings: Settings, catalog: Catalog, record: ModelIdString, new_text: str, what: str
) -> tuple[FixProposal | None, _Move | None]:
    """The unsafe fix that moves ``record`` to ``new_text`` with the request changes its
    model needs, and the move (None when the catalog does not know the model); no fix
    when the move is blocked."""
    model = catalog.lookup(new_text)
    move = _move(index, settings, record, model) if model is not None else None
    if move is not None and move.blocked is not None:
        return None, move
    return _replacement_fix(index, record, new_text, Applicability.UNSAFE, what, move), move


def _short(blocked: str) -> str:
    """A shorter wording of what blocks a move: "rejects the prefill at line 5"."""
    return blocked.replace("the assistant prefill", "the prefill").split(" with ")[0]


def _with_move(messages: tuple[str, ...], move: _Move | None) -> tuple[str, ...]:
    """``messages`` (fullest first) followed by what the fix changes in the request, or
    why there is none."""
    if move is None:
        return messages
    if move.blocked is not None:
        return tuple(f"{m}; no fix: it {move.blocked}" for m in messages) + tuple(f"{m}; no fix: it {_short(move.blocked)}" for m in messages)
    if move.changes:
        return tuple(f"{m} and {move.actions()}" for m in messages) + messages
    return messages


def _upgrade_text(index: ModuleIndex, catalog: Catalog, settings: Settings, target: _Target, new: ClaudeModel) -> str | None:
    """How ``target`` is spelled for model ``new``: the same profile prefix when ``new``
    has it, a geography prefix when ``new`` needs one and the region is known, else the
    base id; None when the identifier's form cannot carry ``new`` (a profile it lacks, a
    foundation-model ARN of a profile-only model, a profile-only model with no known
    geography)."""
    if target.prefix is not None:
        return target.prefix + new.id if target.prefix in new.profiles else None
    if target.record.arn_resource == "foundation-model" and new.profile_only:
        return None
    if new.profile_only and target.record.prefix_known and target.record.arn_resource is None:
        # A base id of a profile-only model would fail too (BDR104): only with a known
        # geography is there an id to move to.
        prefix = _geography_prefix(index, catalog, settings, target.record, new)
        return prefix + new.id if prefix is not None else None
    return new.id


# --------------------------------------------------------------------------- facts
def _lifecycle_facts(statuses: tuple[str, ...]):
    def facts(catalog: Catalog, on: datetime.date | None) -> str:
        rows = ["| Model | Legacy from | End of life | Successor |" + (" Status |" if on else ""), "|---|---|---|---|" + ("---|" if on else "")]
        for model in catalog.models.values():
            if model.recorded_status not in statuses and not (model.legacy_date or model.eol_date):
                continue
            if on is not None and model.status(on) not in statuses:
                continue
            successor = catalog.successor(model.id, on) if on else catalog.models.get(model.successor_id or "")
            row = (
                f"| `{model.id}` | {model.legacy_date or '–'} | {model.eol_date or '–'} | "
                f"{'`' + successor.id + '`' if successor else '–'} |"
            )
            if on is not None:
                status = model.status(on) or "unknown"
                row += f" {status}{' (uncertain)' if model.status_uncertain(model.status(on)) else ''} |"
            rows.append(row)
        return "\n".join(rows)

    return facts


def _profile_facts(catalog: Catalog, on: datetime.date | None) -> str:
    rows = ["| Model | Needs a profile | Profiles |", "|---|---|---|"]
    for model in catalog.models.values():
        needs = {True: "yes", False: "no"}.get(model.requires_inference_profile, str(model.requires_inference_profile))  # type: ignore[arg-type]
        if model.is_uncertain("requires_inference_profile"):
            needs += " (uncertain)"
        rows.append(f"| `{model.id}` | {needs} | {_profiles_text(model)} |")
    return "\n".join(rows)


def _first_party_facts(catalog: Catalog, on: datetime.date | None) -> str:
    rows = ["| Anthropic API name | Bedrock id |", "|---|---|"]
    for model in catalog.models.values():
        for name in model.first_party_names:
            rows.append(f"| `{name}` | `{model.id}` |")
    return "\n".join(rows)


def _geography_facts(catalog: Catalog, on: datetime.date | None) -> str:
    rows = ["| Profile prefix | Source regions (by name prefix) |", "|---|---|"]
    for prefix, regions in catalog.geographies.items():
        rows.append(f"| `{prefix}` | {', '.join(f'`{r}…`' if r.endswith('-') else f'`{r}`' for r in regions)} |")
    return "\n".join(rows) + f"\n\nSource: {catalog.geography_source}"


def _tier_facts(catalog: Catalog, on: datetime.date | None) -> str:
    rows = ["| Model | Tier | Input / output price (USD per 1M tokens) |", "|---|---|---|"]
    for model in catalog.models.values():
        tier = (model.tier or "unknown") + (" (uncertain)" if model.is_uncertain("tier") else "")
        rows.append(f"| `{model.id}` | {tier} | {model.price_text or '–'} |")
    return "\n".join(rows) + f"\n\nDefault small model: `{catalog.default_small_model}`"


# --------------------------------------------------------------------------- BDR101
@rule(
    code="BDR101",
    name="unknown-model-id",
    severity=Severity.ERROR,
    summary="Model id that is not in the Claude model catalog (for example a date-less `-v1:0` id copied from a blog)",
    why="""
        Bedrock validates model ids only on the server, so a made-up id fails at run time
        with `ValidationException: The provided model identifier is invalid.` Ids seen in
        blogs and repositories that never existed include date-less forms such as
        `anthropic.claude-sonnet-4-5-v1:0` (models before 4.6 need their date,
        `-20250929-v1:0`; 4.6 and later have no `-v1:0`) and re-ordered names such as
        `anthropic.claude-4.5-sonnet-v1:0` (`RooCodeInc/Roo-Code#8371`). A profile prefix
        the model does not have (`apac.` for Sonnet 4.6) fails the same way. The message
        names the closest valid id. The documented context-length variant ids of
        Provisioned Throughput (`anthropic.claude-3-haiku-20240307-v1:0:200k`, `…:48k`) are
        known ids; one the catalog marks uncertain is a warning, and any other suffix is
        reported. Source: docs/facts.md §4.1, §4.4, §10.8; the model catalog.
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse(modelId="anthropic.claude-sonnet-4-5-v1:0", messages=[])
    """,
    good="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse(modelId="global.anthropic.claude-sonnet-4-5-20250929-v1:0", messages=[])
    """,
    fix="unsafe",
    fix_safety="""
        Replaces the id with the one catalog id it most likely means (same tier and
        version, or a near-identical spelling), keeping its profile prefix. Unsafe: when
        two models are close the fix is not offered, and even the closest id may not be
        the model that was meant.
    """,
    known_problems="""
        Only ids shaped like Anthropic Bedrock ids (`[geo.]anthropic.claude-…`) or ARNs
        of them are judged; a model id read from configuration at run time is not seen.
        Strings that are never used as values (docstrings, dict keys, comparison
        operands) are ignored.
    """,
    facts=_profile_facts,
)
def unknown_model_id(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    catalog = _catalog(settings)
    mantle = uses_mantle(index)
    for target in _targets(index, catalog):
        model = target.model
        record = target.record
        if model is None and mantle and not record.slots:
            continue  # a bedrock-mantle name (its catalog differs), not sent to bedrock-runtime here
        if model is None:
            alias = catalog.uncertain_alias(target.text)
            if alias is not None:
                suggestion = (target.prefix or "") + alias.id
                fix, move = _moving_fix(index, settings, catalog, record, suggestion, "Replace with")
                yield Report(
                    "BDR101",
                    record.node,
                    fitting(*_with_move((f"{target.text} may not be a valid Bedrock model id (uncertain); use {suggestion}",), move)),
                    fix,
                    severity=Severity.WARNING,
                )
                continue
            closest = catalog.closest(target.text)
            hint = f"did you mean {closest}?" if closest else "`bedrock-lint models` lists the valid ones"
            fix, move = _moving_fix(index, settings, catalog, record, closest, "Replace with") if closest else (None, None)
            yield Report(
                "BDR101",
                record.node,
                fitting(*_with_move((f"{target.text} is not a Bedrock model id; {hint}", f"{target.text} is not valid; {hint}"), move)),
                fix,
            )
            continue
        prefix = target.prefix
        if prefix is None and model.context_variants_uncertain and catalog.context_variant(target.text) is model:
            yield Report(
                "BDR101",
                record.node,
                fitting(
                    f"{target.text} may not be a Bedrock model id (a context-length variant seen only second-hand)",
                    f"{target.text}: uncertain context-length variant; check ListFoundationModels",
                    f"{target.text}: uncertain context-length variant",
                ),
                severity=Severity.WARNING,
            )
            continue
        if prefix is None or prefix in model.profiles:
            continue
        known_geography = prefix in catalog.geographies
        if known_geography and model.is_uncertain("profile_prefixes"):
            continue  # the profile list may be incomplete: the id may well be valid
        uncertain = not known_geography
        reason = f"{prefix} is not a known profile geography" if not known_geography else f"no {prefix} profile exists"
        yield Report(
            "BDR101",
            record.node,
            fitting(
                f"{target.text} is not a Bedrock model id: {reason}; use {_profiles_text(model)}",
                f"{target.text}: {reason}; use {_profiles_text(model)}",
                f"{target.text}: unknown geography {prefix}; use {_profiles_text(model)}",
            ),
            severity=_uncertain(Severity.ERROR, uncertain),
        )


# --------------------------------------------------------------------------- BDR102 / BDR103
def _lifecycle_reports(index: ModuleIndex, settings: Settings, code: str, wanted: str) -> Iterator[Report]:
    catalog = _catalog(settings)
    day = catalog_models.today()
    for target in _targets(index, catalog):
        model = target.model
        if model is None or model.status(day) != wanted:
            continue
        if target.prefix is not None and target.prefix not in model.profiles:
            if not (target.prefix in catalog.geographies and model.is_uncertain("profile_prefixes")):
                continue  # not a valid id at all: BDR101 says so
        uncertain = model.status_uncertain(wanted)
        successor = catalog.successor(model.id, day)
        # A context-length variant id (``…:200k``) names provisioned throughput of the model:
        # no on-demand id of the successor replaces it.
        variant = target.prefix is None and catalog.context_variant(target.text) is model
        new_text = _upgrade_text(index, catalog, settings, target, successor) if successor and not variant else None
        if successor is None:
            advice = "the catalog records no successor"
        elif variant:
            advice = f"a Provisioned Throughput id: move to {successor.id} by hand"
        elif new_text is not None:
            advice = f"use {new_text}"
        else:
            advice = f"use a profile of {successor.id}"
        caveat = " (uncertain)" if uncertain else ""
        if wanted == "EOL":
            when = f" on {model.eol_date}" if model.eol_date else ""
            facts = (f"{target.text} reached end of life{when}{caveat}", f"{target.text}: EOL{when.replace(' on', '')}{caveat}")
        else:
            since = f" since {model.legacy_date}" if model.legacy_date else ""
            eol = f", end of life {model.eol_date}" if model.eol_date else ""
            short = f", EOL {model.eol_date}" if model.eol_date else ""
            facts = (
                f"{target.text} is Legacy{since}{eol}{caveat}",
                f"{target.text}: Legacy{since}{short}{caveat}",
                # The end-of-life date matters more than the start of Legacy.
                f"{target.text}: Legacy{' to ' + str(model.eol_date) if model.eol_date else since}{caveat}",
            )
        fix = None
        # What the successor needs is judged even without an id to write: the reason a
        # call cannot move is worth saying either way.
        move = _move(index, settings, target.record, successor) if successor is not None and not variant else None
        advices: tuple[str, ...] = (advice,)
        if _sends_text_completions(index, target.record, model):
            # A Text Completions body (prompt, max_tokens_to_sample) fails on every current model.
            advices = (advice + " in a Messages body",)
        elif move is not None and move.blocked is not None:
            # The successor would answer this request with a 400 that no edit here fixes
            # (rules.md, model-id fixes): no fix, and the finding says why.
            blocked = move.blocked
            advices = (
                f"{advice}; no fix: it {blocked}",
                f"no fix: {successor.id} {blocked}",  # type: ignore[union-attr]
                f"no fix: the successor {blocked}",
                f"no fix: it {_short(blocked)}",
            )
        elif new_text is not None:
            assert move is not None
            fix = _replacement_fix(index, target.record, new_text, Applicability.UNSAFE, "Move to", move)
            advices = move.advice(advice)
        elif variant and successor:
            # The shortest advice on a variant id still says why there is no fix.
            advices = (advice, "a Provisioned Throughput id: no automatic fix")
        needs = None
        if new_text is None and move is not None and move.blocked is None and not _sends_text_completions(index, target.record, model):
            # Withheld only for want of a geography: say which setting gives the fix.
            needs = _needs_geography(catalog, settings, lambda given: _upgrade_text(index, catalog, given, target, successor))
        yield Report(
            code,
            target.record.node,
            fitting(*(f"{fact}; {choice}" for choice in advices for fact in facts)),
            fix,
            severity=_uncertain(Severity.ERROR if code == "BDR103" else Severity.WARNING, uncertain),
            fix_needs_setting=needs,
        )


TEXT_COMPLETIONS_FAMILIES = ("claude-1", "claude-instant-1", "claude-2")


def _sends_text_completions(index: ModuleIndex, record: ModelIdString, model: ClaudeModel) -> bool:
    """The call may send a Text Completions body (``prompt``): it does, or the model is a
    Claude 1/2/Instant one and the body cannot be seen."""
    for slot in record.slots:
        request = request_for(index, slot.call)
        if request is None or request.api != "invoke":
            continue
        if "prompt" in request.fields:
            return True
        if model.family in TEXT_COMPLETIONS_FAMILIES and not request.fields:
            return True
    return False


_LIFECYCLE_FIX_SAFETY = """
    Replaces the id with the first model down the catalog's successor chain that is
    neither Legacy nor EOL, keeping the inference-profile prefix (or adding the one of
    the client's region when the successor is only callable through a profile).
    Unsafe: a different model answers differently and costs differently. The fix
    carries, in the same fix, the request edits the successor needs where the request
    is written at the call (docs/facts.md §10.9): `top_p` dropped where `temperature`
    is set and the successor rejects the pair, sampling values it no longer accepts
    removed, `max_tokens` lowered to its output cap, budget thinking made
    `{"type": "adaptive"}` on a model that accepts only adaptive thinking (at the
    model's default effort), and its own tool versions and computer-use beta; the help
    text names each edit. No fix is offered where such an edit is not mechanical (a
    value in a dict shared through a variable), rests on a fact the catalog marks
    uncertain, or does not exist (an assistant prefill the successor rejects), nor for
    a call that sends a Text Completions body (`prompt`); the message says why, so that
    a migration never leaves a 400 behind. BDR101, BDR105 and BDR107 move requests the
    same way.
"""


@rule(
    code="BDR102",
    name="legacy-model-id",
    severity=Severity.WARNING,
    summary="Model in the Legacy state on Bedrock; the message gives its end-of-life date and successor",
    why="""
        A Legacy model still answers but has a fixed end-of-life date, after which every
        call fails; Bedrock moves it to public extended access (at higher prices) before
        that. Lifecycle dates are Bedrock's own and may differ from Anthropic's
        (`model-lifecycle.html`). The status is computed from the catalog's dates against
        today's date, so the rule fires on the day the model turns Legacy.
        Source: docs/facts.md §4.5; the model catalog.
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime", region_name="us-east-1")
        client.converse(modelId="us.anthropic.claude-opus-4-1-20250805-v1:0", messages=[])
    """,
    good="""
        import boto3

        client = boto3.client("bedrock-runtime", region_name="us-east-1")
        client.converse(modelId="us.anthropic.claude-opus-4-8", messages=[])
    """,
    fix="unsafe",
    fix_safety=_LIFECYCLE_FIX_SAFETY,
    facts=_lifecycle_facts(("Legacy",)),
)
def legacy_model_id(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    yield from _lifecycle_reports(index, settings, "BDR102", "Legacy")


@rule(
    code="BDR103",
    name="eol-model-id",
    severity=Severity.ERROR,
    summary="Model past its end of life on Bedrock: every call to it fails",
    why="""
        After its end-of-life date a model is removed from Bedrock and calls fail with a
        validation or access error. Claude 3 Haiku, 3 Sonnet, 3.5 Sonnet (v1 and v2),
        3.7 Sonnet and Sonnet 4 have Bedrock EOL dates in 2026; Claude 1, 2 and Instant
        are long gone. The status is computed from the catalog's dates against today's
        date. Source: docs/facts.md §4.5; the model catalog.
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0", messages=[])
    """,
    good="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse(modelId="global.anthropic.claude-haiku-4-5-20251001-v1:0", messages=[])
    """,
    fix="unsafe",
    fix_safety=_LIFECYCLE_FIX_SAFETY,
    facts=_lifecycle_facts(("EOL",)),
)
def eol_model_id(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    yield from _lifecycle_reports(index, settings, "BDR103", "EOL")


# --------------------------------------------------------------------------- BDR104
@rule(
    code="BDR104",
    name="inference-profile-required",
    severity=Severity.ERROR,
    summary="Base id of a model that is only callable through an inference profile, sent as the model id",
    why="""
        Claude 3.7 Sonnet and every later Claude model are served on Bedrock through
        cross-region inference profiles. Calling one by its base id fails with
        `ValidationException: Invocation of model ID … with on-demand throughput isn’t
        supported. Retry your request with the ID or ARN of an inference profile that
        contains this model.` (`cline/cline#1952`, `anthropics/anthropic-sdk-python#894`,
        `Laisky/one-api#240`). The profile id is the base id behind a geography prefix
        (`us.`, `eu.`, `apac.`, `jp.`, `au.`, `us-gov.`, `global.`).
        Source: docs/facts.md §4.3; the model catalog.
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime", region_name="eu-west-1")
        client.converse(modelId="anthropic.claude-sonnet-4-5-20250929-v1:0", messages=[])
    """,
    good="""
        import boto3

        client = boto3.client("bedrock-runtime", region_name="eu-west-1")
        client.converse(modelId="eu.anthropic.claude-sonnet-4-5-20250929-v1:0", messages=[])
    """,
    fix="safe",
    fix_safety="""
        Adds the geography prefix of the client's literal region (or of the
        `profile-geography` setting) when the catalog lists that profile for the model.
        The call fails without a profile, and a geographic profile keeps the request in
        the client's geography, so working code keeps working. Without a known geography
        no fix is offered (choosing `global.` would route requests worldwide). A constant
        is edited only when the module uses it nowhere else.
    """,
    options=("profile-geography",),
    facts=_profile_facts,
)
def inference_profile_required(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    catalog = _catalog(settings)
    day = catalog_models.today()
    for target in _targets(index, catalog, kinds=("id",)):
        model, record = target.model, target.record
        if model is None or not record.slots or target.prefix is not None or not record.prefix_known:
            continue
        if record.arn_resource is not None or not model.profile_only or model.status(day) == "EOL":
            continue
        if not any(_invokes_a_model(slot) for slot in record.slots):
            continue  # count_tokens (or a model object only counting) and async jobs take base ids (docs/facts.md §2.1)
        uncertain = model.is_uncertain("requires_inference_profile")
        prefix = _geography_prefix(index, catalog, settings, record, model)
        suggestions = [f"use {prefix}{model.id}", f"prefix it with {prefix}"] if prefix else [f"add a profile prefix ({_profiles_text(model)})", "add a profile prefix such as us."]
        fix = None
        if prefix is not None and _edit_is_local(index, record):
            fix = _replacement_fix(index, record, prefix + model.id, Applicability.SAFE, "Use the inference profile")
        needs = None
        if prefix is None and _edit_is_local(index, record):
            needs = _needs_geography(catalog, settings, lambda given: _geography_prefix(index, catalog, given, record, model))
        yield Report(
            "BDR104",
            record.node,
            fitting(*(f"{model.id} needs an inference profile{' (uncertain)' if uncertain else ''}; {s}" for s in suggestions)),
            fix,
            severity=_uncertain(Severity.ERROR, uncertain),
            fix_needs_setting=needs,
        )


INVOKING_OPERATIONS = frozenset(
    {"converse", "converse_stream", "invoke_model", "invoke_model_with_response_stream", "messages.create", "messages.stream"}
)


def _invokes_a_model(slot: ModelSlot) -> bool:
    if slot.operation is None:
        return not slot.counts_tokens
    return slot.operation.operation in INVOKING_OPERATIONS


def _edit_is_local(index: ModuleIndex, record: ModelIdString) -> bool:
    """Whether editing the literal changes only the model slots it is sent to: it is
    written at the argument, is an environment fallback there, or is bound to a name the
    module uses nowhere else."""
    for slot in record.slots:
        if slot.reached_by in ("argument", "environment"):
            continue
        name = slot.via_name
        if name is None:
            return False
        uses_as_model = len([s for s in record.slots if s.via_name == name])
        if index.name_mentions(name) > uses_as_model:
            return False
    return True


# --------------------------------------------------------------------------- BDR105
@rule(
    code="BDR105",
    name="first-party-model-id",
    severity=Severity.ERROR,
    summary="Anthropic API model name (`claude-sonnet-4-5`) sent to bedrock-runtime or AnthropicBedrock",
    why="""
        Bedrock names Claude models `anthropic.claude-…` (plus a profile prefix); the
        Anthropic API's names such as `claude-sonnet-4-5` or `claude-3-haiku-20240307`
        are not Bedrock ids, and bedrock-runtime answers `The provided model identifier is
        invalid.` (`microsoft/vscode#314946`, `anthropics/claude-code#62536`).
        AnthropicBedrock passes the model string into the URL unchanged, so it fails the
        same way. They are valid only on Claude Platform on AWS, a different product.
        Source: docs/facts.md §4.1, §4.4, §5.1.
    """,
    bad="""
        from anthropic import AnthropicBedrock

        client = AnthropicBedrock(aws_region="us-west-2")
        client.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=[])
    """,
    good="""
        from anthropic import AnthropicBedrock

        client = AnthropicBedrock(aws_region="us-west-2")
        client.messages.create(model="us.anthropic.claude-sonnet-4-5-20250929-v1:0", max_tokens=1024, messages=[])
    """,
    fix="unsafe",
    fix_safety="""
        Replaces the name with the Bedrock id of the same model (with the geography
        prefix of the client's literal region when the model needs a profile). Unsafe:
        a date-less Anthropic alias may have pointed to a newer snapshot than the
        catalog's id.
    """,
    facts=_first_party_facts,
)
def first_party_model_id(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    catalog = _catalog(settings)
    for record in model_ids_of(index):
        if record.kind != "first-party" or not record.slots:
            continue
        model = catalog.first_party(record.text)
        if model is None:
            yield Report(
                "BDR105",
                record.node,
                f"{record.text} is an Anthropic API name, not a Bedrock id; `bedrock-lint models` lists the Bedrock ids",
            )
            continue
        day = catalog_models.today()
        current = model
        replaced = ""
        if model.status(day) in ("Legacy", "EOL"):
            successor = catalog.successor(model.id, day)
            if successor is not None:
                current = successor
                replaced = f" (its Bedrock model is {model.status(day)})"
        prefix = _geography_prefix(index, catalog, settings, record, current) if current.profile_only else None
        bedrock_id = (prefix or "") + current.id
        needs_prefix = current.profile_only and prefix is None
        use = bedrock_id if not needs_prefix else "a profile of " + bedrock_id
        fix, move, needs = None, None, None
        if _edit_is_local(index, record) and not needs_prefix:
            fix, move = _moving_fix(index, settings, catalog, record, bedrock_id, "Use the Bedrock id")
        elif _edit_is_local(index, record):
            move = _move(index, settings, record, current)
            if move.blocked is None:
                # Withheld only for want of a geography: say which setting gives the fix.
                needs = _needs_geography(catalog, settings, lambda given: _geography_prefix(index, catalog, given, record, current))
        messages = (
            f"{record.text} is an Anthropic API name, not a Bedrock id; use {use}{replaced}",
            f"{record.text} is not a Bedrock id; use {use}{replaced}",
            f"{record.text} is not a Bedrock id; use {use}",
        )
        yield Report("BDR105", record.node, fitting(*_with_move(messages, move)), fix, fix_needs_setting=needs)


# --------------------------------------------------------------------------- BDR106
@rule(
    code="BDR106",
    name="profile-region-mismatch",
    severity=Severity.ERROR,
    summary="Geographic inference profile whose geography does not contain the client's literal region",
    why="""
        A geographic inference profile (`us.`, `eu.`, `apac.`, `jp.`, `au.`, `us-gov.`)
        can only be called from a source region inside its geography: an `eu.` profile
        called from a `us-east-1` client is refused (`You don't have access to the model
        with the specified model ID.`, `cline/cline#1952`). Use the profile of the
        client's geography, or `global.`. Source: docs/facts.md §4.1, §4.3; the
        catalog's geography table.
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime", region_name="us-east-1")
        client.converse(modelId="eu.anthropic.claude-sonnet-4-5-20250929-v1:0", messages=[])
    """,
    good="""
        import boto3

        client = boto3.client("bedrock-runtime", region_name="us-east-1")
        client.converse(modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0", messages=[])
    """,
    known_problems="""
        Only literal regions are compared; a region from the environment (even with a
        literal fallback) is not. Regions the catalog places in no geography but the
        global one (for example `ca-central-1`) are not judged.
    """,
    facts=_geography_facts,
)
def profile_region_mismatch(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    catalog = _catalog(settings)
    for target in _targets(index, catalog):
        record, prefix = target.record, target.prefix
        if prefix is None or prefix == "global." or not record.slots:
            continue
        for region in sorted(r for r in _slot_regions(index, record) if r):
            if catalog.profile_serves_region(prefix, region) is not False:
                continue
            options = [p for p in catalog.geographies_of_region(region) if target.model is None or p in target.model.profiles]
            advice = f"use {options[0]}{split_profile(target.text).base}" if options else "use a profile of the client's geography"
            yield Report(
                "BDR106",
                record.node,
                fitting(
                    f"{target.text} is a {prefix} profile but the client's region is {region}; {advice}",
                    f"{target.text} is a {prefix} profile but the client is in {region}; {advice}",
                    f"this {prefix} profile does not serve the client's region {region}; {advice}",
                ),
            )
            break


# --------------------------------------------------------------------------- BDR107
@rule(
    code="BDR107",
    name="oversized-model-for-task",
    severity=Severity.INFO,
    summary="Top-tier model (Opus) used for a call that caps its output very low",
    why="""
        A call whose `max_tokens` is a few dozen tokens is classification, routing or
        extraction work that a small model does well for a fraction of the price: Opus
        input costs about five times Haiku 4.5's (catalog prices per million tokens).
        Bedrock's quota also counts the larger model's tokens against a smaller
        tokens-per-minute allowance. Source: the model catalog's tiers and prices.
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime", region_name="us-east-1")
        client.converse(modelId="us.anthropic.claude-opus-4-8", messages=[], inferenceConfig={"maxTokens": 10})
    """,
    good="""
        import boto3

        client = boto3.client("bedrock-runtime", region_name="us-east-1")
        client.converse(modelId="us.anthropic.claude-haiku-4-5-20251001-v1:0", messages=[], inferenceConfig={"maxTokens": 10})
    """,
    fix="unsafe",
    fix_safety="""
        Replaces the model written at the call with the configured small model (default:
        the catalog's cheapest current Haiku), keeping the profile prefix. Unsafe: the
        answers of a smaller model differ. Only a literal written at the call is changed;
        a shared constant may serve other calls.
    """,
    default_enabled=False,
    options=("small-model", "small-task-max-tokens", "oversized-model-tier"),
    facts=_tier_facts,
)
def oversized_model_for_task(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    catalog = _catalog(settings)
    threshold = MODEL_TIERS.index(settings.oversized_model_tier) if settings.oversized_model_tier in MODEL_TIERS else None
    if threshold is None:
        return
    small = catalog.lookup(settings.small_model or catalog.default_small_model or "")
    for target in _targets(index, catalog, kinds=("id",)):
        model = target.model
        if model is None or model.tier not in MODEL_TIERS or MODEL_TIERS.index(model.tier) < threshold:
            continue
        for slot in target.record.slots:
            request = request_for(index, slot.call)
            max_tokens = request.max_tokens() if request is not None else None
            if max_tokens is None or max_tokens > settings.small_task_max_tokens:
                continue
            new_text = _upgrade_text(index, catalog, settings, target, small) if small else None
            fix, move, needs = None, None, None
            local = slot.reached_by == "argument" and len(target.record.slots) == 1
            if new_text is not None and local:
                fix, move = _moving_fix(index, settings, catalog, target.record, new_text, "Use the small model")
            elif small is not None and local:
                move = _move(index, settings, target.record, small)
                if move.blocked is None:
                    # Withheld only for want of a geography: say which setting gives the fix.
                    needs = _needs_geography(catalog, settings, lambda given: _upgrade_text(index, catalog, given, target, small))
            tier_note = " (tier uncertain)" if model.is_uncertain("tier") else ""
            small_text = new_text or (small.id if small else "a Haiku model")
            messages = (
                f"{target.text} is a top-tier model{tier_note} for {max_tokens} output tokens; use {small_text}",
                f"top-tier{tier_note} {target.text} for {max_tokens} tokens; use {small_text}",
            )
            yield Report("BDR107", target.record.node, fitting(*_with_move(messages, move)), fix, fix_needs_setting=needs)
            break


# --------------------------------------------------------------------------- BDR108
ARN_PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc")
ACCOUNT_SCOPED = (
    "inference-profile", "application-inference-profile", "provisioned-model", "custom-model-deployment",
    "imported-model", "custom-model", "prompt-router", "default-prompt-router", "prompt",
)
ARN_RESOURCE_TYPES = ("foundation-model", *ACCOUNT_SCOPED)
GENERIC_ARN_PROBLEM = "it does not match the service's modelId grammar"


@lru_cache(maxsize=1)
def _model_id_grammar() -> re.Pattern[str]:
    return re.compile(model_id_pattern())


def arn_problem(arn: str) -> str | None:
    """What is wrong with a model ARN by the service's modelId grammar, in words; None
    when it is well formed."""
    if _model_id_grammar().fullmatch(arn) and "/" in arn:
        return None
    parts = arn.split(":", 5)
    if len(parts) < 6 or any("/" in part for part in parts[:5]):
        return "a field is missing: a model ARN has six parts, arn:partition:service:region:account:resource"
    _, partition, service, region, account, resource = parts
    if partition not in ARN_PARTITIONS:
        return f'"{partition}" is not an AWS partition'
    if service == "sagemaker":
        return None  # a Bedrock Marketplace model on a SageMaker endpoint: never Anthropic (rules.md, Scope)
    if service != "bedrock":
        return f'the service is "{service}", not "bedrock"'
    if not region:
        return "the region is missing"
    resource_type = resource.split("/", 1)[0]
    if resource_type not in ARN_RESOURCE_TYPES:
        return f'"{resource_type}" is not a model resource type'
    if resource_type in ACCOUNT_SCOPED and not re.fullmatch(r"\d{12}", account):
        return f"{resource_type} ARNs need the 12-digit account id" + (f', not "{account}"' if account else "")
    if resource_type == "foundation-model" and account:
        return "a foundation-model ARN has an empty account field (arn:aws:bedrock:REGION::foundation-model/…)"
    return GENERIC_ARN_PROBLEM


@rule(
    code="BDR108",
    name="invalid-model-arn",
    severity=Severity.ERROR,
    summary="Malformed model ARN, one in another region than its client, or a foundation-model ARN of a profile-only model",
    why="""
        A model ARN must follow the service's grammar: partition `aws…`, service
        `bedrock`, the region, an empty account for `foundation-model/` and a 12-digit
        account for account-scoped resources (`inference-profile/`,
        `application-inference-profile/`, `provisioned-model/`, `prompt-router/`, …).
        Anything else is rejected before it reaches a model. A regional ARN must also be
        in the client's region, and a `foundation-model/` ARN of a model that is only
        callable through an inference profile fails like its base id (`on-demand
        throughput isn’t supported`). The grammar is the `modelId` pattern of the
        bedrock-runtime service model in botocore. Source: docs/facts.md §2.5, §4.1, §4.3.
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime", region_name="us-east-1")
        client.converse(modelId="arn:aws:bedrock:us-east-1::inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0", messages=[])
    """,
    good="""
        import boto3

        client = boto3.client("bedrock-runtime", region_name="us-east-1")
        client.converse(modelId="arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0", messages=[])
    """,
    facts=_profile_facts,
)
def invalid_model_arn(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    catalog = _catalog(settings)
    day = catalog_models.today()
    for record in model_ids_of(index):
        if record.kind != "arn" or "*" in record.text or "$" in record.text:
            continue
        problem = arn_problem(record.text)
        if problem == GENERIC_ARN_PROBLEM and not (record.model_text or "").split(".", 1)[-1].startswith("anthropic."):
            problem = None  # only Anthropic models' ARNs are judged in detail (rules.md, Scope)
        if problem is not None:
            yield Report("BDR108", record.node, fitting(f"this model ARN is not valid: {problem}", f"invalid model ARN: {problem}"))
            continue
        if not record.slots:
            continue
        arn_region = record.text.split(":", 5)[3]
        regions = sorted(r for r in _slot_regions(index, record) if r and r != arn_region)
        if regions:
            yield Report(
                "BDR108",
                record.node,
                f"this model ARN is in {arn_region} but the client's region is {regions[0]}; use an ARN of {regions[0]}",
            )
            continue
        model = catalog.lookup(record.model_text) if record.model_text else None
        if record.arn_resource == "foundation-model" and model is not None and model.profile_only and model.status(day) != "EOL":
            uncertain = model.is_uncertain("requires_inference_profile")
            yield Report(
                "BDR108",
                record.node,
                f"{model.id} needs an inference profile{' (uncertain)' if uncertain else ''}; use an inference-profile ARN",
                severity=_uncertain(Severity.ERROR, uncertain),
            )
