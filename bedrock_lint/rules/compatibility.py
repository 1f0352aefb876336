"""BDR501–BDR503: model compatibility, sampling and output — what the targeted model
accepts for ``temperature``/``top_p``/``top_k`` and ``max_tokens``.

Every request is judged against each model it may be sent to (``rules.scope.target_models``:
the library prefix stripped, the profile prefix and the model part of an ARN
understood, and each literal value of a variable with several), with one finding per
call naming the models that reject it.  The per-model facts are catalog data (``ModelConstraints.sampling``,
``ClaudeModel.output_cap``, ``max_output_tokens_by_beta``), with sources and uncertain
markers: a finding resting on an uncertain fact is a warning; an unknown model, or a
value that does not resolve, keeps the rules silent.  Facts: ``docs/facts.md`` §10.1
(sampling), §10.2 (output caps).
"""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from bedrock_lint.analysis.parameters import passed_literals
from bedrock_lint.analysis.requests import Request, literal_int, requests_of
from bedrock_lint.analysis.sites import ModuleIndex
from bedrock_lint.catalog.models import Catalog, ClaudeModel, ValueRange
from bedrock_lint.findings import Applicability, Severity
from bedrock_lint.fixes.builders import replace_node, rewrite_edits
from bedrock_lint.rules.registry import rule
from bedrock_lint.rules.report import FixProposal, NodeEdit, Report, fitting
from bedrock_lint.rules.request_fit import (
    REMOVED,
    fit_request,
    is_set,
    number_text,
    certain_output_cap,
    output_cap,
    rejected_value,
    window_text,
)
from bedrock_lint.rules.scope import Target, compact_label, target_labels, target_models, targets_message
from bedrock_lint.settings import Settings

SAMPLING = ("temperature", "top_p", "top_k")


# ------------------------------------------------------------------ shared helpers
def fix_edits(index: ModuleIndex, request: Request, model: ClaudeModel, settings: Settings, node: cst.CSTNode) -> list[NodeEdit] | None:
    """The edits of the change ``model`` needs at ``node`` (``rules.request_fit``, which
    the model-id fixes use too); None when it has no mechanical edit."""
    rewrites = fit_request(index, request, model, settings).rewrites_for(node)
    return rewrite_edits(index, rewrites) if rewrites else None


def _severity(uncertain: bool) -> Severity | None:
    return Severity.WARNING if uncertain else None


def _caveat(uncertain: bool) -> str:
    return " (uncertain)" if uncertain else ""


def _sampling_facts(catalog: Catalog, on) -> str:
    rows = [
        "| Model | temperature + top_p | temperature | top_p | top_k |",
        "|---|---|---|---|---|",
    ]
    for model in catalog.models.values():
        constraints = model.constraints
        if constraints is None:
            rows.append(f"| `{model.id}` | unknown | unknown | unknown | unknown |")
            continue
        sampling = constraints.sampling

        def cell(path: str, text: str) -> str:
            return text + (" (uncertain)" if constraints.is_uncertain(path) else "")

        def parameter(name: str, accepted: ValueRange | None) -> str:
            status = getattr(sampling, name)
            if accepted is None:
                text = "rejected" if status == REMOVED else "accepted"
            else:
                text = f"only {window_text(accepted, name)} or unset" if status == REMOVED else window_text(accepted)
                if constraints.is_uncertain(f"sampling.{name}_range") and not constraints.is_uncertain(f"sampling.{name}"):
                    text += " (window uncertain)"
            return cell(f"sampling.{name}", text)

        rows.append(
            f"| `{model.id}` | {cell('sampling.together', sampling.together)} | "
            f"{parameter('temperature', sampling.temperature_range)} | {parameter('top_p', sampling.top_p_range)} | "
            f"{parameter('top_k', None)} |"
        )
    return "\n".join(rows)


def _output_facts(catalog: Catalog, on) -> str:
    rows = ["| Model | Output cap on Bedrock (max_tokens) | With a beta |", "|---|---|---|"]
    for model in catalog.models.values():
        cap = model.output_cap
        text = f"{cap.value:,}" if cap.value is not None else "unknown"
        if cap.value is not None and cap.uncertain:
            certain = model.max_output_tokens_certain
            if certain == cap.value:
                text += " (uncertain: at least this)"
            else:
                text += f" (uncertain; {certain:,} for certain)" if certain is not None else " (uncertain)"
        betas = model.constraints.max_output_tokens_by_beta if model.constraints else {}
        beta_text = ", ".join(f"{value:,} with `{name}`" for name, value in betas.items()) or "–"
        rows.append(f"| `{model.id}` | {text} | {beta_text} |")
    return "\n".join(rows)


# --------------------------------------------------------------------------- BDR501
@rule(
    code="BDR501",
    name="sampling-params-conflict",
    severity=Severity.ERROR,
    summary="`temperature` and `top_p` both set on a model that rejects the pair",
    why="""
        Claude Opus 4.1, Sonnet 4.5, Haiku 4.5, Opus 4.5, Sonnet 4.6 and Opus 4.6 on
        Bedrock reject a request that sets both `temperature` and `top_p` (Converse:
        `inferenceConfig.temperature` and `topP`) with HTTP 400: "`temperature` and
        `top_p` cannot both be specified for this model. Please use only one." Older
        models (Claude 3.x, 3.7 Sonnet) accept the pair; for Sonnet 4 and Opus 4 the
        sources conflict, so they are not reported. The newest models (Opus 4.7 and
        later, Sonnet 5 and later, Fable, Mythos) are listed as rejecting the pair too;
        a value they no longer accept at all is BDR502's finding, not this one. The
        model is the one the request is sent to, from the catalog; a finding on a fact
        the catalog marks uncertain is a warning. Source: docs/facts.md §10.1 (AWS's
        request-parameter warning for Sonnet 4.5 and Haiku 4.5, and reports on Opus 4.1,
        Opus 4.5 and the 4.6 models).
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse(
            modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            messages=[],
            inferenceConfig={"maxTokens": 1024, "temperature": 0.2, "topP": 0.9},
        )
    """,
    good="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse(
            modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            messages=[],
            inferenceConfig={"maxTokens": 1024, "temperature": 0.2},
        )
    """,
    fix="unsafe",
    fix_safety="""
        Removes `top_p` (`topP`) and keeps `temperature`, which the model accepts alone.
        The call failed before, so no working behaviour is lost, but the sampling of the
        answers differs from what the author meant with `top_p`: unsafe. Offered where
        `top_p` is a keyword of the call or an entry of a dict written at the call (or
        of the InvokeModel body literal); a dict shared through a variable or built
        elsewhere is left to the author.
    """,
    known_problems="""
        A model chosen from several values (a conditional, a routing table, a parameter
        and the module's calls that pass it, a loop over a list of ids) is judged for each
        literal value that can reach the call, and the finding names those that reject
        the pair; a value that does not resolve (an environment variable without a
        default, another module's caller) is not judged, so the finding may hold for only
        some of the models the call really uses. Values added through `**kwargs`
        are not seen, nor sampling settings of entry points whose row in the library
        table does not list them (LlamaIndex `temperature`, pydantic-ai model settings).
    """,
    facts=_sampling_facts,
)
def sampling_params_conflict(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    for request in requests_of(index):
        temperature, top_p = request.field_of("temperature"), request.field_of("top_p")
        if not (is_set(temperature) and is_set(top_p)):
            continue
        assert top_p is not None
        rejecting = [
            target
            for target in target_models(index, request, settings)
            if target.model.constraints is not None
            and target.model.constraints.sampling.together == "rejected"
            # A value the model does not take at all is BDR502's to remove.
            and not (rejected_value(target.model, "temperature", temperature) or rejected_value(target.model, "top_p", top_p))
        ]
        if not rejecting:
            continue
        uncertain = all(target.model.constraints.is_uncertain("sampling.together") for target in rejecting)  # type: ignore[union-attr]
        edits = fix_edits(index, request, rejecting[0].model, settings, top_p.node)
        fix = FixProposal(Applicability.UNSAFE, f"Remove {top_p.name}, keep temperature", edits) if edits else None
        caveat = _caveat(uncertain)
        yield Report(
            "BDR501",
            top_p.node,
            targets_message(
                rejecting,
                lambda name, s: f"{name} reject{s} temperature together with {top_p.name}{caveat} (400 \"cannot both be "
                f"specified\"); remove {top_p.name}, keep temperature",
                lambda name, s: f"{name} reject{s} temperature with {top_p.name}{caveat}; remove {top_p.name}",
            ),
            fix,
            severity=_severity(uncertain),
        )


# --------------------------------------------------------------------------- BDR502
@rule(
    code="BDR502",
    name="removed-sampling-param",
    severity=Severity.ERROR,
    summary="A sampling value the target model no longer accepts (`temperature`, `top_p`, `top_k`)",
    why="""
        Claude Opus 4.7 and later, Sonnet 5 and later, Opus 5, Haiku 5.5, Fable and
        Mythos removed the sampling parameters: any `top_k`, a `temperature` other than
        1.0, or a `top_p` outside 0.99 ≤ top_p < 1 is rejected with HTTP 400
        ("`temperature` is deprecated for this model.", likewise for `top_p` and
        `top_k`). Omitting them, or `temperature=1.0`, is accepted. On every model a
        value outside the documented range is rejected too (`temperature` and `top_p`
        from 0 to 1; the old `top_p=-1` "unset" sentinel fails on Opus 4.1). The exact
        window of the newest models is marked uncertain for most of them, so a value
        within 0.05 of it is a warning, as is a finding on a model whose sampling facts
        are assumed (Fable 5.1, Mythos). Source: docs/facts.md §10.1 (Anthropic's
        migration guide, the AWS model cards for Opus 4.7 and Fable 5, live Bedrock
        transcripts).
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse(
            modelId="us.anthropic.claude-opus-4-7",
            messages=[],
            inferenceConfig={"maxTokens": 1024, "temperature": 0.2},
        )
    """,
    good="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse(
            modelId="us.anthropic.claude-opus-4-7",
            messages=[],
            inferenceConfig={"maxTokens": 1024},
        )
    """,
    fix="unsafe",
    fix_safety="""
        Removes the parameter, so the model samples with its default. The call failed
        before, but the answers' sampling differs from what the value asked for (and a
        model-specific alternative such as `output_config.effort` may be wanted):
        unsafe. Offered where the parameter is a keyword of the call or an entry of a
        dict written at the call (or of the InvokeModel body literal).
    """,
    known_problems="""
        A model chosen from several values is judged for each literal value that can
        reach the call (see BDR501). A value that does not resolve to a number is not
        judged, except `top_k`, which these
        models reject whatever its value. Libraries that drop unsupported parameters
        themselves (LiteLLM with `drop_params`) are still reported.
    """,
    facts=_sampling_facts,
)
def removed_sampling_param(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    for request in requests_of(index):
        fields = [(parameter, request.field_of(parameter)) for parameter in SAMPLING]
        if not any(is_set(found) for _, found in fields):
            continue
        targets = target_models(index, request, settings)
        for parameter, found in fields:
            rejecting = [(target, rejected_value(target.model, parameter, found)) for target in targets]
            verdicts = [(target, why) for target, why in rejecting if why is not None]
            if not verdicts:
                continue
            assert found is not None
            uncertain = all(why[1] for _, why in verdicts)  # type: ignore[index]
            edits = fix_edits(index, request, verdicts[0][0].model, settings, found.node)
            fix = FixProposal(Applicability.UNSAFE, f"Remove {found.name}", edits) if edits else None
            shown = found.name if parameter == "top_k" else f"{found.name}={number_text(found.value.value)}"  # type: ignore[union-attr]
            yield Report(
                "BDR502",
                found.node,
                _removed_message(shown, found.name, verdicts, _caveat(uncertain)),  # type: ignore[arg-type]
                fix,
                severity=_severity(uncertain),
            )


def _removed_message(shown: str, name: str, verdicts: list[tuple[Target, tuple[str, bool]]], caveat: str) -> str:
    """"temperature=0.2: X accepts only temperature=1.0 or unset; remove temperature",
    one clause per reason when several models reject the value for different reasons."""
    by_reason: dict[str, list[Target]] = {}
    for target, (reason, _) in verdicts:
        by_reason.setdefault(reason, []).append(target)

    def said(reason: str, s: str) -> str:
        return reason if s else reason.replace("accepts", "accept", 1)  # the verb agrees with the models named

    if len(by_reason) == 1:
        ((reason, group),) = by_reason.items()
        return targets_message(
            group,
            lambda label, s: f"{shown}: {label} {said(reason, s)}{caveat}, and Bedrock answers 400; remove {name}",
            lambda label, s: f"{shown}: {label} {said(reason, s)}{caveat}; remove {name}",
        )
    # Each group named alike, fullest first, the last by compact ids ("claude-opus-4-7").
    named = [((*target_labels(group)[0][:3], compact_label(group)), "s" if len(group) == 1 else "", reason) for reason, group in by_reason.items()]
    return fitting(
        *(
            f"{shown}: " + "; ".join(f"{labels[level]} {said(reason, s)}" for labels, s, reason in named) + f"{caveat}; remove {name}"
            for level in range(4)
        ),
        f"{shown}: {compact_label([target for target, _ in verdicts])} reject the value{caveat}; remove {name}",
    )


# --------------------------------------------------------------------------- BDR503
@rule(
    code="BDR503",
    name="max-tokens-over-model-limit",
    severity=Severity.ERROR,
    summary="`max_tokens` / `maxTokens` above the target model's output cap on Bedrock",
    why="""
        Bedrock does not clamp `max_tokens`: above the model's output cap the call fails
        with HTTP 400, "The maximum tokens you requested exceeds the model limit of N.
        Try again with a maximum tokens value that is lower than N." The caps differ by
        model: 4,096 for Claude 3 and 3.5 Sonnet v1, 8,192 for 3.5 Sonnet v2 and 3.5
        Haiku, 64,000 for 3.7 Sonnet (128,000 with the `output-128k-2025-02-19` beta),
        Sonnet 4, Sonnet/Haiku/Opus 4.5, 32,000 for Opus 4 and 4.1, 128,000 for Opus 4.6
        and later. Neither boto3 nor the Anthropic SDK checks it before sending. A cap
        the catalog marks uncertain (Sonnet 4, Sonnet 4.6) gives a warning. A helper of the
        module that sends the value its callers pass (`ask(prompt, max_tokens=200000)`)
        is judged at each call that passes a literal. Source: docs/facts.md §10.2.
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse_stream(
            modelId="us.anthropic.claude-opus-4-1-20250805-v1:0",
            messages=[],
            inferenceConfig={"maxTokens": 64000},
        )
    """,
    good="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse_stream(
            modelId="us.anthropic.claude-opus-4-1-20250805-v1:0",
            messages=[],
            inferenceConfig={"maxTokens": 32000},
        )
    """,
    fix="unsafe",
    fix_safety="""
        Lowers the literal to the model's cap (for several models, the lowest). Where the
        catalog marks the cap uncertain, the fix lowers to the value every source lets
        through instead (Sonnet 4.6: 64,000, not the uncertain 128,000), and without such
        a value there is no fix: a fix never rests on an uncertain fact. The call failed
        before; after the fix it runs, and may bill up to the cap's worth of output:
        unsafe. Offered only where
        the number is a literal at the call or in a dict written there (or in the
        InvokeModel body literal), and not where a thinking `budget_tokens` would then
        not be below `max_tokens` (BDR201) or cannot be read.
    """,
    known_problems="""
        A model chosen from several values is judged for each literal value that can
        reach the call (see BDR501). Betas that raise the
        cap are read from a literal `anthropic_beta` list; when the list
        does not resolve on a model with such a beta, the rule is silent.
    """,
    facts=_output_facts,
)
def max_tokens_over_model_limit(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    for request in requests_of(index):
        found = request.field_of("max_tokens")
        if found is None:
            continue
        caps = [(target, output_cap(target.model, request)) for target in target_models(index, request, settings)]
        known = [(target, cap) for target, cap in caps if cap is not None]
        if not known:
            continue
        value = literal_int(found.value)  # a helper parameter's default too
        over = _over_cap(known, value)
        if over:
            strictest = min(over, key=lambda o: o[1][0])[0]
            edits = fix_edits(index, request, strictest.model, settings, found.value_node)
            yield _over_cap_report(request, found.name, value, found.value_node, over, edits)  # type: ignore[arg-type]
        # A helper's parameter (ask(prompt, max_tokens=100000)): judged at each call of
        # the helper that passes a literal, where the fix goes.
        for literal, argument, site in passed_literals(index, found.value_node, found.scope):
            passed = literal_int(literal)
            over = _over_cap(known, passed)
            if not over:
                continue
            node = argument.value
            certain = _certain_bound(request, over)
            lowerable = isinstance(node, cst.Integer) and literal.node is node and request.thinking() is None
            edits = [replace_node(index, node, str(certain))] if lowerable and certain is not None else None
            helper = index.code_for(site.call.func)
            yield _over_cap_report(request, found.name, passed, node, over, edits, helper=helper)  # type: ignore[arg-type]


def _over_cap(caps: list[tuple[Target, tuple[int, bool]]], value: int | None) -> list[tuple[Target, tuple[int, bool]]]:
    """The targets whose output cap ``value`` exceeds."""
    return [(target, cap) for target, cap in caps if value is not None and value > cap[0]]


def _certain_bound(request: Request, over: list[tuple[Target, tuple[int, bool]]]) -> int | None:
    """The largest value all the models that reject the request certainly accept."""
    bounds = [certain_output_cap(target.model, request) for target, _ in over]
    return None if None in bounds else min(bounds)  # type: ignore[type-var]


def _over_cap_report(
    request: Request, name: str, value: int, node: cst.CSTNode, over: list[tuple[Target, tuple[int, bool]]],
    edits: list[NodeEdit] | None, *, helper: str = "",
) -> Report:
    """``helper``: the function the value is passed to, when it is judged at the call."""
    limit = min(cap[0] for _, cap in over)
    uncertain = all(cap[1] for _, cap in over)
    certain = _certain_bound(request, over)
    fix = FixProposal(Applicability.UNSAFE, f"Lower {name} to {certain}", edits) if edits and certain is not None else None
    what = f"{name}={value}" + (f" (passed to {helper}())" if helper else "")
    caveat = _caveat(uncertain)
    # A fix lowers only to what every source lets through (the cap when certain).
    advice = f"use at most {limit}" + (f" ({certain} for certain)" if certain is not None and certain < limit else "")
    targets = [target for target, _ in over]
    if len(over) == 1 and not targets[0].several:
        builds = (
            lambda label, s: f"{what} is above {label}'s output cap of {limit:,} on Bedrock{caveat}, which rejects the call; {advice}",
            lambda label, s: f"{what} is above {label}'s cap of {limit:,}{caveat}; {advice}",
            lambda label, s: f"{name}={value} is above {label}'s cap of {limit:,}{caveat}; {advice}",
        )
    elif len(over) == 1:
        builds = (
            lambda label, s: f"{what} is above the output cap of {label} on Bedrock, {limit:,}{caveat}, which rejects the call; {advice}",
            lambda label, s: f"{what} is above the cap of {label}, {limit:,}{caveat}; {advice}",
            lambda label, s: f"{name}={value} is above the cap of {label}, {limit:,}{caveat}; {advice}",
        )
    else:
        limits = ", ".join(f"{cap[0]:,}" for _, cap in over)
        builds = (
            lambda label, s: f"{what} is above the output caps of {label} on Bedrock ({limits}){caveat}, which reject the call; {advice}",
            lambda label, s: f"{what} is above the caps of {label} ({limits}){caveat}; {advice}",
            lambda label, s: f"{name}={value} is above the caps of {label} ({limits}){caveat}; {advice}",
        )
    return Report("BDR503", node, targets_message(targets, *builds), fix, severity=_severity(uncertain))
