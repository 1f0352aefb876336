"""BDR5xx: model compatibility — turns, tools and caching: an assistant prefill the model
rejects (BDR504), a tool version or ``anthropic_beta`` value it does not accept (BDR505),
and cache options it ignores or rejects (BDR506).

Every request is judged against each model it may be sent to
(``rules.scope.target_models``): the resolved id, library prefix stripped, profile prefix
and ARN model part understood, or each literal value of a variable with several, with
one finding naming every model that rejects the request.  The
per-model facts are the catalog's request constraints (docs/facts.md §10.3, §10.5,
§10.6); a finding resting on a fact the catalog marks uncertain is a warning, and an
unknown model keeps the rules silent.  Message lists are read by
``analysis.conversation``, cache points by ``analysis.caching``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import libcst as cst

from bedrock_lint.analysis.caching import cache_layout, library_cache_markers
from bedrock_lint.analysis.conversation import last_turn
from bedrock_lint.analysis.requests import Request, request_for, requests_of
from bedrock_lint.analysis.sites import ModuleIndex
from bedrock_lint.analysis.values import DictValue, Literal
from bedrock_lint.findings import Applicability, Severity
from bedrock_lint.fixes.builders import rewrite_edits
from bedrock_lint.rules.request_fit import (
    MESSAGE_APIS,
    TEXT_EDITOR_NAMES,
    TOOL_TYPE,
    catalog_betas,
    computer_use_beta,
    fit_request,
    list_items,
    messages_of,
)
from bedrock_lint.rules.registry import rule
from bedrock_lint.rules.report import FixProposal, Report, fitting
from bedrock_lint.rules.scope import Target, target_models, targets_message
from bedrock_lint.settings import Settings

DEFAULT_CACHE_TTL = "5m"  # docs/facts.md §2.3, §3: a cache point without ttl
TTL_MINUTES = {"5m": 5, "1h": 60}


def _targets(index: ModuleIndex, request: Request, settings: Settings) -> list[Target]:
    return [target for target in target_models(index, request, settings) if target.model.constraints is not None]


def _severity(uncertain: bool) -> Severity | None:
    return Severity.WARNING if uncertain else None


def _literal_string(index: ModuleIndex, expr: cst.BaseExpression, scope) -> Literal | None:
    value = index.resolve(expr, scope)
    return value if isinstance(value, Literal) and isinstance(value.value, str) else None


# --------------------------------------------------------------------------- BDR504
@rule(
    code="BDR504",
    name="assistant-prefill-unsupported",
    severity=Severity.ERROR,
    summary="Conversation ending with an assistant turn sent to a model that rejects prefill",
    why="""
        Ending the message list with an assistant turn ("prefill") used to steer the start
        of the answer. Claude Opus 4.6 and Sonnet 4.6 and every later model (Opus 4.7/4.8,
        Sonnet 5/5.5, Opus 5/5.5, Haiku 5.5, Fable, Mythos) answer 400 `This model does not
        support assistant message prefill. The conversation must end with a user message.`
        (`strands-agents/sdk-python#1694` on Bedrock Opus 4.6, `agno-agi/agno#7015`,
        `crewAIInc/crewAI#4798`); older models accept it, but not while thinking is on.
        Assistant turns earlier in the list (few-shot examples) are fine. Use
        `output_config.format`, or put the instruction in the last user turn. The message
        list is read where it is written at the request, or from a name bound to a list
        literal and extended only by `.append(…)` before the call in the same scope.
        Mythos Preview's fact is uncertain, so findings there are warnings. Source:
        docs/facts.md §10.3, §10.4; the model catalog.
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse(
            modelId="us.anthropic.claude-sonnet-4-6",
            messages=[
                {"role": "user", "content": [{"text": "List three colours as JSON."}]},
                {"role": "assistant", "content": [{"text": "{"}]},
            ],
            inferenceConfig={"maxTokens": 512},
        )
    """,
    good="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse(
            modelId="us.anthropic.claude-sonnet-4-6",
            messages=[
                {"role": "user", "content": [{"text": "List three colours as a JSON object, nothing else."}]},
            ],
            inferenceConfig={"maxTokens": 512},
        )
    """,
    known_problems="""
        Messages given per call to a library model object (LangChain `.invoke([...])`, a
        Strands or pydantic-ai agent) and lists built by functions, loops or `+=` are not
        followed. The exception Anthropic documents for Fable (the echoed assistant message
        of a fallback-credit claim) is not recognised. Of a model chosen from several
        values, only the literal values that can reach the call are judged (see BDR501).
    """,
)
def assistant_prefill_unsupported(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    requests = [r for r in requests_of(index) if r.api in MESSAGE_APIS]
    located = [(request, messages_of(request)) for request in requests]
    shared = _shared_list_uses(located)
    seen: set[tuple[int, str]] = set()
    for request, messages in located:
        if messages is None:
            continue
        targets = _targets(index, request, settings)
        if not targets:
            continue
        expr, scope = messages
        other_uses = shared.get(_list_key(expr, scope), 1) - 1
        turn = last_turn(index, expr, scope, other_uses)
        if turn is None or turn.role != "assistant":
            continue
        thinking_on = request.thinking_type() in ("enabled", "adaptive", "between_tools")
        report = _prefill_report(targets, turn.node, thinking_on)
        if report is not None:
            # One finding per turn, naming every model that rejects it (a list shared
            # by several requests is reported once per set of models).
            key = (id(turn.node), report.message)
            if key not in seen:
                seen.add(key)
                yield report


def _prefill_rejection(target: Target, thinking_on: bool) -> tuple[bool, bool] | None:
    """Whether the target rejects a final assistant turn: (only because thinking is on,
    whether the fact is uncertain); None when it accepts it or is not known to reject it."""
    prefill = target.model.accepts_prefill
    if prefill.value is False:
        return False, prefill.uncertain
    if prefill.value is True and thinking_on:
        with_thinking = target.model.constraint("thinking.prefill")
        if with_thinking.value is False:
            return True, with_thinking.uncertain
    return None


def _prefill_report(targets: list[Target], node: cst.BaseExpression, thinking_on: bool) -> Report | None:
    found = [(target, _prefill_rejection(target, thinking_on)) for target in targets]
    rejecting = [(target, why) for target, why in found if why is not None]
    if not rejecting:
        return None
    names = [target for target, _ in rejecting]
    if all(only_thinking for _, (only_thinking, _) in rejecting):
        message = targets_message(names, lambda name, s: f"{name} reject{s} a final assistant turn while thinking is on; end with a user turn")
    else:
        message = targets_message(
            names, lambda name, s: f"{name} reject{s} a final assistant turn (prefill); end the conversation with a user turn"
        )
    return Report("BDR504", node, message, severity=_severity(all(uncertain for _, (_, uncertain) in rejecting)))


def _list_key(expr: cst.BaseExpression, scope) -> tuple[int, str] | None:
    if not isinstance(expr, cst.Name):
        return None
    owner = scope.lookup_scope(expr.value)
    return (id(owner), expr.value) if owner is not None else None


def _shared_list_uses(located) -> dict:
    """How many requests give the same named list (one binding's name) as messages."""
    counts: dict = {}
    for _, messages in located:
        if messages is not None:
            key = _list_key(*messages)
            if key is not None:
                counts[key] = counts.get(key, 0) + 1
    return counts


# --------------------------------------------------------------------------- BDR505
@rule(
    code="BDR505",
    name="unsupported-tool-or-beta",
    severity=Severity.ERROR,
    summary="anthropic_beta value or Anthropic tool version the target model does not accept",
    why="""
        Bedrock answers 400 `invalid beta flag` to an `anthropic_beta` value it does not
        know for the model (`anthropics/claude-code#26570`, `BerriAI/litellm#19875`):
        Anthropic-platform betas such as `files-api-2025-04-14`,
        `advanced-tool-use-2025-11-20` or `prompt-caching-scope-2026-01-05` are rejected on
        every model, and a beta of another generation — `computer-use-2024-10-22` on
        Sonnet 4.5, `context-1m-2025-08-07` on Opus 4.5 — does not belong to the model.
        Anthropic-defined tools are versioned per model: "Always use the tool version that
        corresponds to your model version" (`computer_20251124` for Opus 4.5 and later,
        `text_editor_20250728` with the name `str_replace_based_edit_tool` for Claude 4,
        `bash_20250124`). Betas whose support is only reported, and facts the catalog
        marks uncertain (the newest models' beta lists, the computer tool on Sonnet 5.5
        and Opus 5.5), give warnings. Betas the catalog does not know are not judged.
        Source: docs/facts.md §10.5; the model catalog.
    """,
    bad="""
        import json
        import boto3

        client = boto3.client("bedrock-runtime")
        client.invoke_model(
            modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            body=json.dumps({
                "anthropic_version": "bedrock-2023-05-31",
                "max_tokens": 1024,
                "anthropic_beta": ["computer-use-2024-10-22"],
                "tools": [{"type": "computer_20241022", "name": "computer", "display_width_px": 1024, "display_height_px": 768}],
                "messages": [{"role": "user", "content": "Open the settings."}],
            }),
        )
    """,
    good="""
        import json
        import boto3

        client = boto3.client("bedrock-runtime")
        client.invoke_model(
            modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            body=json.dumps({
                "anthropic_version": "bedrock-2023-05-31",
                "max_tokens": 1024,
                "anthropic_beta": ["computer-use-2025-01-24"],
                "tools": [{"type": "computer_20250124", "name": "computer", "display_width_px": 1024, "display_height_px": 768}],
                "messages": [{"role": "user", "content": "Open the settings."}],
            }),
        )
    """,
    fix="unsafe",
    fix_safety="""
        Where the catalog knows exactly one version of the tool (or one computer-use beta)
        for the model, and the value is a literal written in the request, the fix replaces
        it with that version; a text editor's `name` literal in the same tool is changed
        with it (`str_replace_editor` ↔ `str_replace_based_edit_tool`). Tool versions
        differ in behaviour (`undo_edit` does not exist on Claude 4, newer computer actions),
        so the fix is unsafe: review the tool handling code. Rejected betas and betas
        without a successor have no fix: removing a beta may remove a feature the code
        relies on.
    """,
    known_problems="""
        Betas sent as an `anthropic-beta` header (`extra_headers`, the SDK's
        `client.beta.messages`) and tools given per call to library model objects are not
        read. A request whose model comes from several values has no fix.
    """,
)
def unsupported_tool_or_beta(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    known_betas = catalog_betas(settings)
    for request in requests_of(index):
        targets = _targets(index, request, settings)
        if not targets:
            continue
        for item, scope in list_items(request.field_of("anthropic_beta")):
            value = _literal_string(index, item, scope)
            if value is not None:
                report = _beta_report(index, request, settings, targets, str(value.value), item, known_betas)
                if report is not None:
                    yield report
        for item, scope in list_items(request.field_of("anthropic_tools")):
            tool = index.resolve(item, scope)
            if not isinstance(tool, DictValue) or "type" not in tool.entries:
                continue
            entry = tool.entries["type"]
            value = _literal_string(index, entry.value, entry.scope)
            match = TOOL_TYPE.match(value.value) if value is not None else None  # type: ignore[arg-type]
            if value is None or match is None:
                continue
            report = _tool_report(index, request, settings, targets, entry.value, value, match.group("tool"))
            if report is not None:
                yield report


def _fit_edits(index: ModuleIndex, request: Request, settings: Settings, target: Target, node: cst.CSTNode):
    """The edits the shared request fit (``rules.request_fit``) makes at ``node`` for
    the target model; None when it has none."""
    rewrites = fit_request(index, request, target.model, settings).rewrites_for(node)
    return rewrite_edits(index, rewrites) if rewrites else None


def _beta_verdict(target: Target, beta: str, known: frozenset[str]) -> str | None:
    """How the target takes ``beta``: "rejected" (on every model), "conflicting"
    (reports disagree), "foreign" (another model's beta), or None (accepted, without
    effect, or a beta the catalog does not know)."""
    constraints = target.model.constraints
    assert constraints is not None
    if beta in constraints.betas or beta in constraints.betas_no_effect:
        return None
    if beta in constraints.betas_rejected:
        return "rejected"
    if beta in constraints.betas_conflicting:
        return "conflicting"
    return "foreign" if beta in known else None


def _beta_report(
    index: ModuleIndex, request: Request, settings: Settings, targets: list[Target], beta: str, node: cst.BaseExpression,
    known: frozenset[str],
) -> Report | None:
    verdicts = {id(target): _beta_verdict(target, beta, known) for target in targets}
    rejected = [t for t in targets if verdicts[id(t)] == "rejected"]
    if rejected:
        uncertain = all(t.model.constraints.is_uncertain(f"betas_rejected.{beta}") for t in rejected)  # type: ignore[union-attr]
        return Report(
            "BDR505",
            node,
            fitting(
                f"Bedrock rejects the beta {beta!r} (400 invalid beta flag); remove it",
                f"Bedrock rejects the beta {beta!r}; remove it",
            ),
            severity=_severity(uncertain),
        )
    foreign = [t for t in targets if verdicts[id(t)] == "foreign"]
    if not foreign:
        conflicting = [t for t in targets if verdicts[id(t)] == "conflicting"]
        if not conflicting:
            return None
        return Report(
            "BDR505",
            node,
            targets_message(conflicting, lambda name, s: f"{name} may reject the beta {beta!r} (reports conflict); remove it if calls fail"),
            severity=Severity.WARNING,
        )
    owns = {computer_use_beta(t.model, beta) for t in foreign}
    own = owns.pop() if len(owns) == 1 else None
    edits = _fit_edits(index, request, settings, foreign[0], node) if own is not None and len(targets) == 1 else None
    fix = FixProposal(Applicability.UNSAFE, f"Use {foreign[0].name}'s computer-use beta {own!r}", edits) if edits else None
    advice = f"use {own!r}" if own is not None else "remove it"
    # The whole list uncertain, or this beta (``betas.NAME``); another beta's doubt is not this one's.
    uncertain = all("betas" in t.model.constraints.uncertain or t.model.constraints.is_uncertain(f"betas.{beta}") for t in foreign)  # type: ignore[union-attr]
    return Report(
        "BDR505",
        node,
        targets_message(foreign, lambda name, s: f"the beta {beta!r} does not belong to {name}, so Bedrock rejects it; {advice}"),
        fix,
        severity=_severity(uncertain),
    )


def _tool_report(
    index: ModuleIndex, request: Request, settings: Settings, targets: list[Target], type_node: cst.BaseExpression, value: Literal,
    kind: str,
) -> Report | None:
    written = value.value
    rejecting = []
    for target in targets:
        accepted = target.model.constraint(f"tool_versions.{kind}")
        if accepted.value is not None and written not in accepted.value:
            rejecting.append((target, accepted))
    if not rejecting:
        return None
    names = [target for target, _ in rejecting]
    uncertain = all(accepted.uncertain for _, accepted in rejecting)
    label = {"computer": "computer", "text_editor": "text editor", "bash": "bash"}[kind]
    offered = {tuple(accepted.value) for _, accepted in rejecting}
    if offered == {()}:
        return Report(
            "BDR505",
            type_node,
            targets_message(names, lambda name, s: f"{name} ha{'s' if s else 've'} no {label} tool on Bedrock, so {written!r} is rejected; remove the tool"),
            severity=_severity(uncertain),
        )
    versions = list(offered.pop()) if len(offered) == 1 else []
    edits = _fit_edits(index, request, settings, names[0], type_node) if len(versions) == 1 and len(targets) == 1 else None
    fix = None
    if edits:
        message = f"Use the model's version {versions[0]!r}"
        new_name = TEXT_EDITOR_NAMES.get(versions[0])
        if TEXT_EDITOR_NAMES.get(str(written)) != new_name:
            message += f" and the name {new_name!r}"
        fix = FixProposal(Applicability.UNSAFE, message, edits)
    advice = f"use {' or '.join(repr(v) for v in versions)}" if versions else "use each model's own version"
    return Report(
        "BDR505",
        type_node,
        targets_message(names, lambda name, s: f"{name} do{'es' if s else ''} not accept the tool version {written!r}; {advice}"),
        fix,
        severity=_severity(uncertain),
    )


# --------------------------------------------------------------------------- BDR506
@rule(
    code="BDR506",
    name="unsupported-cache-option",
    severity=Severity.WARNING,
    summary="Cache point or TTL the target model ignores or rejects",
    why="""
        Prompt caching on Bedrock depends on the model: Claude 3 Haiku, 3 Sonnet, 3 Opus,
        3.5 Sonnet (v1) and the Claude 1/2/Instant models have none, and 3.5 Sonnet v2 had
        it for preview customers only ("no additional customers will be granted access").
        The 1-hour TTL (`"ttl": "1h"`) came with the 4.5 models: 3.5 Haiku, 3.7 Sonnet,
        Sonnet 4, Opus 4 and 4.1 take only the 5-minute cache. When TTLs are mixed,
        "longer durations must precede shorter ones" across tools, system and messages
        (a cache point without `ttl` is 5 minutes), otherwise Bedrock answers with a
        `ValidationException`. A cache point the model cannot honour costs the cache
        write or the request. Library forms are judged too (Strands `cache_prompt`,
        LiteLLM `cache_control` on messages). Source: docs/facts.md §10.6; the model
        catalog.
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse(
            modelId="us.anthropic.claude-3-7-sonnet-20250219-v1:0",
            system=[{"text": "Long policy text…"}, {"cachePoint": {"type": "default", "ttl": "1h"}}],
            messages=[{"role": "user", "content": [{"text": "Which rule applies?"}]}],
            inferenceConfig={"maxTokens": 512},
        )
    """,
    good="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse(
            modelId="us.anthropic.claude-3-7-sonnet-20250219-v1:0",
            system=[{"text": "Long policy text…"}, {"cachePoint": {"type": "default"}}],
            messages=[{"role": "user", "content": [{"text": "Which rule applies?"}]}],
            inferenceConfig={"maxTokens": 512},
        )
    """,
    known_problems="""
        Cache types and TTL values that no model accepts are BDR305's. The catalog marks
        the missing 1-hour TTL of 3.5 Haiku and 3.7 Sonnet uncertain; the finding then says
        the model "is not known to have" it. Caching requested through LangChain,
        LlamaIndex or pydantic-ai options is not read.
    """,
)
def unsupported_cache_option(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    for request in requests_of(index):
        if request.api not in ("converse", "invoke", "messages"):
            continue
        targets = _targets(index, request, settings)
        if not targets:
            continue
        layout = cache_layout(index, request)
        markers = layout.markers() if layout is not None else []
        if markers:
            yield from _grouped([(target, _cache_problem(index, target, markers)) for target in targets])
    yield from _library_cache_reports(index, settings)


@dataclass(frozen=True)
class _CacheProblem:
    """What one model does not accept in a request's caching: ``kind`` is
    "no-caching", "availability" (``detail``: for whom caching is), "no-1h" or "order"."""

    kind: str
    node: cst.CSTNode
    uncertain: bool = False
    detail: str = ""


def _grouped(problems: list[tuple[Target, _CacheProblem | None]]) -> Iterator[Report]:
    """One report per problem, naming every model that has it."""
    groups: dict[tuple[str, int, str], list[tuple[Target, _CacheProblem]]] = {}
    for target, problem in problems:
        if problem is not None:
            groups.setdefault((problem.kind, id(problem.node), problem.detail), []).append((target, problem))
    for found in groups.values():
        yield _cache_report([target for target, _ in found], found[0][1], all(p.uncertain for _, p in found))


def _cache_problem(index: ModuleIndex, target: Target, markers) -> _CacheProblem | None:
    caching = target.model.constraint("caching")
    constraints = caching.value
    if constraints is None:
        return None
    first = markers[0]
    unsupported = next((m for m in markers if not getattr(constraints, m.area)), None)
    if unsupported is not None:
        return _CacheProblem("no-caching", unsupported.marker_node or unsupported.node, caching.uncertain)
    if constraints.availability:
        return _CacheProblem("availability", first.marker_node or first.node, detail=constraints.availability)
    shortest: int | None = None
    for marker in markers:
        ttl, node = _marker_ttl(index, marker)
        if ttl is None:
            return None  # unknown from here on: the order cannot be judged
        if ttl == "1h" and not constraints.ttl_1h:
            return _CacheProblem("no-1h", node or marker.node, target.model.constraint("caching.ttl_1h").uncertain)
        minutes = TTL_MINUTES.get(ttl)
        if minutes is None:
            return None  # BDR305's
        if shortest is not None and minutes > shortest:
            return _CacheProblem("order", node or marker.marker_node or marker.node, detail=ttl)
        shortest = minutes if shortest is None else min(shortest, minutes)
    return None


def _cache_report(targets: list[Target], problem: _CacheProblem, uncertain: bool) -> Report:
    if problem.kind == "no-caching":
        return Report(
            "BDR506",
            problem.node,
            targets_message(targets, lambda name, s: f"{name} ha{'s' if s else 've'} no prompt caching on Bedrock; remove this cache point"),
            severity=_severity(uncertain),
        )
    if problem.kind == "availability":
        return Report(
            "BDR506",
            problem.node,
            targets_message(targets, lambda name, s: f"prompt caching on {name} is for {problem.detail}; remove the cache point"),
        )
    if problem.kind == "no-1h":
        hedge = ("is" if len(targets) == 1 else "are") + " not known to have the" if uncertain else ("has" if len(targets) == 1 else "have") + " no"
        return Report(
            "BDR506",
            problem.node,
            targets_message(targets, lambda name, s: f"{name} {hedge} 1-hour cache TTL on Bedrock; use the 5-minute default"),
        )
    return Report(
        "BDR506",
        problem.node,
        f"this {problem.detail} cache point follows a shorter TTL; Bedrock requires longer TTLs first; reorder them or use one TTL",
    )


def _marker_ttl(index: ModuleIndex, marker) -> tuple[str | None, cst.BaseExpression | None]:
    """A cache point's TTL (the default when it has none) and the node that writes it."""
    value = marker.marker_value
    if value is None:
        return None, None
    entry = value.entries.get("ttl")
    if entry is None:
        return (DEFAULT_CACHE_TTL, None) if value.complete else (None, None)
    found = _literal_string(index, entry.value, entry.scope)
    return (str(found.value), entry.value) if found is not None else (None, None)


def _library_cache_reports(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    """Caching written in a library's own form: Strands ``cache_prompt``/``cache_tools``
    on a model without caching, LiteLLM ``cache_control`` ``ttl: "1h"`` on a model
    without the 1-hour TTL."""
    for marker in library_cache_markers(index):
        request = request_for(index, marker.client.call)  # type: ignore[attr-defined]
        if request is not None:
            yield from _grouped([(target, _library_cache_problem(target, marker)) for target in _targets(index, request, settings)])


def _library_cache_problem(target: Target, marker) -> _CacheProblem | None:
    caching = target.model.constraint("caching")
    if caching.value is None:
        return None
    if marker.type_node is not None and not caching.value.ttls:
        return _CacheProblem("no-caching", marker.node, caching.uncertain)
    if marker.ttl_node is not None and marker.ttl_value == "1h" and caching.value.ttls and not caching.value.ttl_1h:
        return _CacheProblem("no-1h", marker.ttl_node, target.model.constraint("caching.ttl_1h").uncertain)
    return None
