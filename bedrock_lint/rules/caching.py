"""BDR3xx: prompts and caching — oversized system prompts, missing, misplaced, too small
and malformed cache points.

Facts: ``docs/facts.md`` §2.3 (Converse ``cachePoint``), §3 (Anthropic
``cache_control``), §4.6 (minimum cacheable tokens per model); the minimums and input
prices come from the model catalog.  Texts are resolved by ``analysis.prompts`` and
laid out by ``analysis.caching``; token counts are the estimate documented there.
"""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from bedrock_lint.analysis.caching import AreaLayout, Block, CacheLayout, cache_layout, library_cache_markers
from bedrock_lint.analysis.sites import ModuleIndex
from bedrock_lint.analysis.prompts import estimate_tokens
from bedrock_lint.analysis.values import Literal
from bedrock_lint.catalog.models import ClaudeModel
from bedrock_lint.findings import Applicability, RelatedLocation, Severity
from bedrock_lint.fixes.builders import dict_with_entry, list_with_element, replace_node
from bedrock_lint.rules.registry import rule
from bedrock_lint.rules.report import FixProposal, Report, fitting
from bedrock_lint.rules.scope import anthropic_requests, catalog_model, request_place
from bedrock_lint.settings import Settings

DEFAULT_MIN_CACHE_TOKENS = 1024  # rules.md: when the model is unknown
MAX_CACHE_POINTS = 4
CACHE_POINT_TYPES = ("default",)
CACHE_CONTROL_TYPES = ("ephemeral",)
CACHE_TTLS = ("5m", "1h")
CONVERSE_CACHE_POINT = '{"cachePoint": {"type": "default"}}'
ANTHROPIC_CACHE_CONTROL = '"cache_control": {"type": "ephemeral"}'
# Cache reads cost a tenth of the input price (Bedrock and Anthropic pricing pages, as
# recorded in docs/facts.md §4.5's extended-access prices: $0.60 read for $6 input).
CACHE_READ_PRICE_RATIO = 0.1


def _layouts(index: ModuleIndex) -> Iterator[CacheLayout]:
    for request in anthropic_requests(index, "converse", "invoke", "messages"):
        layout = cache_layout(index, request)
        if layout is not None:
            yield layout


def _minimum(model: ClaudeModel | None, *, lowest_if_uncertain: bool = False) -> tuple[int | None, str]:
    """The model's minimum cacheable prefix and how messages name it.  Where the catalog
    marks the minimum uncertain, ``lowest_if_uncertain`` takes the lowest documented one
    (1,024), so "below the minimum" is claimed only when it is certain."""
    if model is None:
        return DEFAULT_MIN_CACHE_TOKENS, "the smallest minimum of current models"
    if model.min_cache_tokens is None:
        return None, ""
    if model.is_uncertain("min_cache_tokens"):
        if lowest_if_uncertain:
            lowest = min(model.min_cache_tokens, DEFAULT_MIN_CACHE_TOKENS)
            return lowest, f"the lowest minimum documented for {model.id}"
        return model.min_cache_tokens, f"{model.id}'s minimum (uncertain)"
    return model.min_cache_tokens, f"{model.id}'s minimum"


def _saving(model: ClaudeModel | None, tokens: int) -> str:
    """The saving of a cache hit, for the fix message (``--show-fixes``)."""
    if model is None or model.input_price is None or model.is_uncertain("input_price"):
        return ""
    dollars = tokens * model.input_price * (1 - CACHE_READ_PRICE_RATIO) / 1_000_000
    return (
        f" (a cache hit saves about ${dollars:.4f} of input per call: 90 % of {tokens:,} tokens at "
        f"${model.input_price:g}/MTok; the first call pays 25 % more to write the cache)"
    )


def _static_prefix_blocks(area: AreaLayout) -> tuple[list[Block], bool]:
    """The text blocks before the first block that changes per request, and whether the
    whole area is static."""
    blocks: list[Block] = []
    for block in area.blocks:
        if block.marker == "cachePoint":
            continue
        if not block.text.is_static:
            return blocks, False
        blocks.append(block)
    return blocks, area.complete


# --------------------------------------------------------------------------- BDR301
@rule(
    code="BDR301",
    name="oversized-system-prompt",
    severity=Severity.WARNING,
    summary="System prompt whose literal text is over the configured token estimate",
    why="""
        A system prompt is sent, processed and paid for with every request: a 10,000-token
        prompt adds its input cost and its time-to-first-token to each call. Trim what the
        model does not need, or cache it (a Converse `cachePoint`, an Anthropic
        `cache_control`), which bills cached reads at a tenth of the input price. The
        count is the documented estimate of `bedrock_lint/analysis/prompts.py`, from literals,
        constants, f-string literal parts, `.format` templates, `textwrap.dedent`,
        `"".join([...])` and prompt files read next to the module. Source:
        docs/facts.md §2.3, §3.
    """,
    bad="""
        import boto3

        RULES = "Answer politely and cite the policy section you rely on. " * 600
        client = boto3.client("bedrock-runtime")
        client.converse(modelId="us.anthropic.claude-sonnet-4-6", system=[{"text": RULES}], messages=[], inferenceConfig={"maxTokens": 512})
    """,
    good="""
        import boto3

        RULES = "Answer politely and cite the policy section you rely on."
        client = boto3.client("bedrock-runtime")
        client.converse(modelId="us.anthropic.claude-sonnet-4-6", system=[{"text": RULES}], messages=[], inferenceConfig={"maxTokens": 512})
    """,
    options=("max-system-prompt-tokens",),
)
def oversized_system_prompt(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    for layout in _layouts(index):
        system = layout.areas.get("system")
        if system is None:
            continue
        if any(block.marker for block in system.blocks):
            continue  # cached: repeated calls read it at a tenth of the price
        text = "".join(block.text.static_text for block in system.blocks)
        tokens = estimate_tokens(text)
        if tokens <= settings.max_system_prompt_tokens:
            continue
        origin = next((block.text.origin for block in system.blocks if block.text.origin), "")
        advice = "trim it, or cache it"
        yield Report(
            "BDR301",
            system.field.node,
            fitting(
                f"the system prompt{' from ' + origin if origin else ''} is about {tokens:,} tokens (over "
                f"{settings.max_system_prompt_tokens:,}) on every {request_place(layout.request)} call; {advice}",
                f"the system prompt{' from ' + origin if origin else ''} is about {tokens:,} tokens (over "
                f"{settings.max_system_prompt_tokens:,}); {advice}",
                f"the system prompt is about {tokens:,} tokens (over {settings.max_system_prompt_tokens:,}); {advice}",
            ),
            related=_defined_in(system.blocks, "system prompt"),
        )


def _defined_in(blocks: list[Block], what: str) -> tuple[RelatedLocation, ...]:
    """Where another module of the project defines the text of the blocks, once each."""
    places = dict.fromkeys(block.text.defined_in for block in blocks if block.text.defined_in is not None)
    return tuple(RelatedLocation(path, line, f"the {what} text is defined here") for path, line in places)


# --------------------------------------------------------------------------- BDR302
@rule(
    code="BDR302",
    name="missing-cache-point",
    severity=Severity.WARNING,
    summary="Static system prompt or tool list above the model's cache minimum, sent without a cache point",
    why="""
        Bedrock caches a prompt prefix only where the request marks it: a
        `{"cachePoint": {"type": "default"}}` block in Converse, or
        `"cache_control": {"type": "ephemeral"}` on a block of an InvokeModel or
        AnthropicBedrock request. A system prompt or tool list that is the same on every
        request and at least the model's minimum cacheable size (1,024, 2,048 or 4,096
        tokens, per the catalog) is reprocessed and billed in full on every call without
        one; with one, repeated calls read it at a tenth of the input price and start
        answering sooner (`NousResearch/hermes-agent#11970`: caching silently off, ~10×
        input overspend). The fix message (`--show-fixes`) gives the saving of a cache hit
        at the catalog's input price: a read costs a tenth, so 90 % of the prefix's price,
        after a first call that pays 25 % more to write the cache (the extended-access
        prices of §4.5: $7.50 write and $0.60 read for $6 input). Source: docs/facts.md
        §2.3, §3, §4.5, §4.6; the model catalog.
    """,
    bad="""
        import boto3

        POLICY = "Cite the section of the refund policy that applies to the question. " * 150
        client = boto3.client("bedrock-runtime")
        client.converse(modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0", system=[{"text": POLICY}], messages=[], inferenceConfig={"maxTokens": 512})
    """,
    good="""
        import boto3

        POLICY = "Cite the section of the refund policy that applies to the question. " * 150
        client = boto3.client("bedrock-runtime")
        client.converse(modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0", system=[{"text": POLICY}, {"cachePoint": {"type": "default"}}], messages=[], inferenceConfig={"maxTokens": 512})
    """,
    fix="safe",
    fix_safety="""
        Inserts `{"cachePoint": {"type": "default"}}` right after the static system blocks
        (Converse), or puts the system text in a block with
        `"cache_control": {"type": "ephemeral"}` (InvokeModel and AnthropicBedrock), only
        where the list or argument is written at the request. Answers are unchanged; the
        first call pays a cache write (1.25× input for 5 minutes), later calls read the
        prefix at a tenth of the price.
    """,
    known_problems="""
        Prompts assembled by functions or read from files outside the module's directory
        are not measured. LangChain and other wrappers are not followed yet.
    """,
)
def missing_cache_point(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    for layout in _layouts(index):
        if layout.markers():
            continue  # the request caches something; placement is BDR303/BDR304's
        model = catalog_model(layout.request, settings)
        minimum, _ = _minimum(model)
        if minimum is None:
            continue
        for area_name in ("system", "tools"):
            area = layout.areas.get(area_name)
            if area is None:
                continue
            blocks, _ = _static_prefix_blocks(area)
            if not blocks:
                continue
            if area_name == "tools" and not area.complete:
                continue
            tokens = estimate_tokens("".join(block.text.static_text for block in blocks))
            if tokens < minimum:
                continue
            what = "system prompt" if area_name == "system" else "tool list"
            marker = "cachePoint block" if layout.form == "converse" else "cache_control"
            uncertain = ", uncertain" if model is not None and model.is_uncertain("min_cache_tokens") else ""
            fix = _cache_fix(index, layout, area, blocks)
            if fix is not None:
                fix.message += _saving(model, tokens)
            yield Report(
                "BDR302",
                area.field.node,
                f"the static {what} (about {tokens:,} tokens, cacheable from {minimum:,}{uncertain}) has no "
                f"{marker}; add one after it",
                fix,
                related=_defined_in(blocks, what),
            )


def _cache_fix(index: ModuleIndex, layout: CacheLayout, area: AreaLayout, static_blocks: list[Block]) -> FixProposal | None:
    found = area.field
    if layout.form == "converse":
        if area.literal is None or area.literal is not found.value_node:
            return None
        last = static_blocks[-1].node
        elements = list(area.literal.elements)
        position = next((i for i, e in enumerate(elements) if e.value is last), None)
        if position is None:
            return None
        new_list = _list_with_inserted(area.literal, position + 1, cst.parse_expression(CONVERSE_CACHE_POINT))
        return FixProposal(Applicability.SAFE, "Add a cachePoint block after the static blocks", [replace_node(index, area.literal, new_list)])
    if area.area == "system" and len(area.blocks) == 1 and area.blocks[0].value is None:
        text_code = index.code_for(found.value_node).strip()
        replacement = f'[{{"type": "text", "text": {text_code}, {ANTHROPIC_CACHE_CONTROL}}}]'
        return FixProposal(Applicability.SAFE, "Put the system prompt in a block with cache_control", [replace_node(index, found.value_node, replacement)])
    last_block = static_blocks[-1]
    if last_block.value is not None and last_block.value.literal is not None and last_block.value.literal is last_block.node:
        new_block = dict_with_entry(last_block.value.literal, "cache_control", cst.parse_expression('{"type": "ephemeral"}'))
        return FixProposal(Applicability.SAFE, "Add cache_control to the last static block", [replace_node(index, last_block.node, new_block)])
    return None


def _list_with_inserted(node: cst.List, position: int, value: cst.BaseExpression) -> cst.List:
    elements = list(node.elements)
    if position == len(elements):
        return list_with_element(node, value)
    new_element = cst.Element(value, comma=elements[position - 1].comma if position else cst.MaybeSentinel.DEFAULT)
    if not isinstance(new_element.comma, cst.Comma):
        new_element = new_element.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    elements.insert(position, new_element)
    return node.with_changes(elements=elements)


# --------------------------------------------------------------------------- BDR303
@rule(
    code="BDR303",
    name="cache-point-after-dynamic",
    severity=Severity.WARNING,
    summary="Cache point placed after system or tool content that changes per request",
    why="""
        A cache hit needs the whole prefix up to the cache point to be identical to an
        earlier request's. A cache point after an f-string with the user's name, today's
        date or retrieved documents caches a prefix that never repeats: every call pays
        the cache write (1.25× input) and never reads it. Put the static part first and the
        cache point right after it, and the changing part after the cache point (or in the
        messages). Source: docs/facts.md §2.3, §3.
    """,
    bad="""
        import boto3

        def answer(user_name: str):
            client = boto3.client("bedrock-runtime")
            return client.converse(
                modelId="us.anthropic.claude-sonnet-4-6",
                system=[{"text": f"You help {user_name}."}, {"cachePoint": {"type": "default"}}],
                messages=[],
                inferenceConfig={"maxTokens": 512},
            )
    """,
    good="""
        import boto3

        def answer(user_name: str):
            client = boto3.client("bedrock-runtime")
            return client.converse(
                modelId="us.anthropic.claude-sonnet-4-6",
                system=[{"text": "You are a support assistant."}, {"cachePoint": {"type": "default"}}, {"text": f"You help {user_name}."}],
                messages=[],
                inferenceConfig={"maxTokens": 512},
            )
    """,
    known_problems="""
        Cache points in `messages` are not judged: caching a growing conversation is a
        pattern whose prefix does repeat from turn to turn. Requests made in a loop are
        not judged: a prefix built before the loop repeats across its iterations (one
        document, many chunks). Content whose value is unknown
        but fixed when the module is imported (read from the environment or by a call at
        module level) is not taken as changing; only parameters, locals and calls inside
        the function making the request are.
    """,
)
def cache_point_after_dynamic(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    for layout in _layouts(index):
        operation = layout.request.operation
        if operation is not None and operation.context.loop_depth:
            continue  # a prefix built before a loop repeats across its iterations
        dynamic_before: Block | None = None
        for block in layout.blocks():
            if block.area == "messages":
                break
            if block.marker == "cache_control" and block.varies and dynamic_before is None:
                dynamic_before = block
            if block.marker is not None and dynamic_before is not None:
                yield Report(
                    "BDR303",
                    block.marker_node or block.node,
                    f"this cache point follows {block.area if dynamic_before is block else dynamic_before.area} "
                    "content that changes per request, so the cache is never read; move that part after it",
                )
                break
            if block.marker is None and block.varies:
                dynamic_before = block


# --------------------------------------------------------------------------- BDR304
@rule(
    code="BDR304",
    name="cache-point-below-minimum",
    severity=Severity.WARNING,
    summary="Cache point whose static prefix is smaller than the model's minimum cacheable size",
    why="""
        Bedrock caches nothing when the prefix before a cache point is below the model's
        minimum (1,024 tokens for Sonnet 4.5, 2,048 for Sonnet 4.6, 4,096 for Haiku 4.5 and
        Opus 4.5/4.6 per the catalog), and it says nothing: `cacheReadInputTokens` and
        `cacheWriteInputTokens` stay 0 (`strands-agents/harness-sdk#1404`). The cache point
        only suggests a saving that never happens. Source: docs/facts.md §3, §4.6; the
        model catalog.
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse(
            modelId="us.anthropic.claude-haiku-4-5-20251001-v1:0",
            system=[{"text": "You are terse."}, {"cachePoint": {"type": "default"}}],
            messages=[],
            inferenceConfig={"maxTokens": 256},
        )
    """,
    good="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse(
            modelId="us.anthropic.claude-haiku-4-5-20251001-v1:0",
            system=[{"text": "You are terse."}],
            messages=[],
            inferenceConfig={"maxTokens": 256},
        )
    """,
)
def cache_point_below_minimum(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    for layout in _layouts(index):
        model = catalog_model(layout.request, settings)
        if model is None or model.min_cache_tokens is None:
            continue
        minimum, whose = _minimum(model, lowest_if_uncertain=True)
        text: list[str] = []
        for area_name in ("tools", "system"):
            area = layout.areas.get(area_name)
            if area is None:
                continue
            if not area.complete:
                break
            stop = False
            for block in area.blocks:
                if block.marker == "cache_control":
                    text.append(block.text.static_text)
                if block.marker is not None:
                    if any(not part.text.is_static for part in area.blocks[: area.blocks.index(block) + 1] if part.marker != "cachePoint"):
                        stop = True
                        break
                    tokens = estimate_tokens("".join(text))
                    if minimum is not None and tokens < minimum:
                        yield Report(
                            "BDR304",
                            block.marker_node or block.node,
                            f"this cache point follows about {tokens:,} tokens, under the {minimum:,} the model needs"
                            f"{' at least' if whose.startswith('the lowest') else ''}: nothing is cached; move or remove it",
                        )
                    stop = True
                    break
                text.append(block.text.static_text)
            if stop:
                break


# --------------------------------------------------------------------------- BDR305
@rule(
    code="BDR305",
    name="invalid-cache-point",
    severity=Severity.ERROR,
    summary="Cache point in the other API's form, of an unknown type or TTL, or more than four of them",
    why="""
        Converse takes `{"cachePoint": {"type": "default"}}` blocks; an Anthropic
        `cache_control` key inside a Converse block is rejected by botocore (`Unknown
        parameter in system[0]: "cache_control"`), and a `cachePoint` block in an
        InvokeModel body is not part of the Anthropic schema. `cachePoint.type` must be
        `"default"` (`"ephemeral"` passes botocore and fails on the server),
        `cache_control.type` must be `"ephemeral"`, a `ttl` must be `"5m"` or `"1h"`, and a
        request may carry at most 4 cache points. Library forms are judged too: Strands
        `BedrockModel(cache_prompt=…, cache_tools=…)` writes its value as the
        `cachePoint.type` (strands-agents 1.62.0), and LiteLLM drops a `cache_control`
        `ttl` other than `5m`/`1h` on its Converse route without a word (litellm 1.109.1).
        Source: docs/facts.md §2.3, §3.
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse(
            modelId="us.anthropic.claude-sonnet-4-6",
            system=[{"text": "Long policy text…", "cache_control": {"type": "ephemeral"}}],
            messages=[],
            inferenceConfig={"maxTokens": 512},
        )
    """,
    good="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse(
            modelId="us.anthropic.claude-sonnet-4-6",
            system=[{"text": "Long policy text…"}, {"cachePoint": {"type": "default"}}],
            messages=[],
            inferenceConfig={"maxTokens": 512},
        )
    """,
    fix="safe",
    fix_safety="""
        Swaps the form to the one the API takes: a Converse block's `cache_control` becomes
        a `{"cachePoint": {"type": "default"}}` block right after it; a `cachePoint` block
        in an Anthropic request becomes `"cache_control": {"type": "ephemeral"}` on the
        block before it; `cachePoint.type "ephemeral"` becomes `"default"`. The request
        was rejected before; the cached prefix is the same.
    """,
)
def invalid_cache_point(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    for layout in _layouts(index):
        markers = layout.markers()
        for number, block in enumerate(markers, start=1):
            if number > MAX_CACHE_POINTS:
                yield Report(
                    "BDR305",
                    block.marker_node or block.node,
                    f"cache point number {number} is over Bedrock's limit of {MAX_CACHE_POINTS} per request; keep the "
                    "ones after the largest static prefixes",
                )
            yield from _form_reports(index, layout, block)
    yield from _library_reports(index)


def _library_reports(index: ModuleIndex) -> Iterator[Report]:
    """Caching written in a library's own form (analysis.entry_points ``caching``)."""
    for marker in library_cache_markers(index):
        what = marker.client.constructor  # type: ignore[attr-defined]
        keyword = marker.option.keyword  # type: ignore[attr-defined]
        if marker.type_node is not None and marker.type_value not in CACHE_POINT_TYPES:
            fix = None
            if marker.type_value == "ephemeral" and marker.type_at_argument:
                fix = FixProposal(Applicability.SAFE, 'Use "default"', [replace_node(index, marker.type_node, '"default"')])
            yield Report(
                "BDR305",
                marker.type_node,
                f"{what} {keyword}={marker.type_value!r} sends cachePoint type {marker.type_value!r}, rejected by "
                f"Bedrock; use {keyword}=\"default\"",
                fix,
            )
        if marker.ttl_node is not None and marker.ttl_value not in CACHE_TTLS:
            yield Report(
                "BDR305",
                marker.ttl_node,
                f"cache_control ttl {marker.ttl_value!r} is not '5m' or '1h'; {what} drops it on Converse "
                "(5-minute cache); use '5m' or '1h'",
            )


def _form_reports(index: ModuleIndex, layout: CacheLayout, block: Block) -> Iterator[Report]:
    area = layout.areas[block.area]
    if block.marker == "cache_control" and layout.form == "converse":
        yield Report(
            "BDR305",
            block.marker_node or block.node,
            f"Converse rejects Anthropic cache_control in {block.area} blocks; add a {CONVERSE_CACHE_POINT} "
            "block after it",
            _swap_to_cache_point(index, area, block),
        )
        return
    if block.marker == "cachePoint" and layout.form == "anthropic":
        yield Report(
            "BDR305",
            block.node,
            f"an Anthropic body rejects Converse's cachePoint; put {ANTHROPIC_CACHE_CONTROL} on the block before",
            _swap_to_cache_control(index, area, block),
        )
        return
    marker = block.marker_value
    if marker is None:
        return
    allowed = CACHE_POINT_TYPES if block.marker == "cachePoint" else CACHE_CONTROL_TYPES
    type_entry = marker.entries.get("type")
    if type_entry is not None:
        value = index.resolve(type_entry.value, type_entry.scope)
        if isinstance(value, Literal) and value.value not in allowed:
            fix = None
            if block.marker == "cachePoint" and value.value == "ephemeral" and value.node is type_entry.value:
                fix = FixProposal(Applicability.SAFE, 'Use type "default"', [replace_node(index, type_entry.value, '"default"')])
            yield Report(
                "BDR305",
                type_entry.value,
                f"{block.marker} type {value.value!r} is not {' or '.join(repr(a) for a in allowed)}, which Bedrock "
                f"rejects; use {allowed[0]!r}",
                fix,
            )
    ttl_entry = marker.entries.get("ttl")
    if ttl_entry is not None:
        value = index.resolve(ttl_entry.value, ttl_entry.scope)
        if isinstance(value, Literal) and value.value not in CACHE_TTLS:
            yield Report(
                "BDR305",
                ttl_entry.value,
                f"cache ttl {value.value!r} is not one of {', '.join(repr(t) for t in CACHE_TTLS)}, which Bedrock "
                "rejects; use '5m' (the default) or '1h'",
            )


def _swap_to_cache_point(index: ModuleIndex, area: AreaLayout, block: Block) -> FixProposal | None:
    if area.literal is None or block.value is None or block.value.literal is None:
        return None
    elements = list(area.literal.elements)
    position = next((i for i, e in enumerate(elements) if e.value is block.node), None)
    if position is None:
        return None
    without = block.value.literal.with_changes(
        elements=[e for e in block.value.literal.elements if not (isinstance(e, cst.DictElement) and _key(e) == "cache_control")]
    )
    without = _drop_trailing_comma(without)
    elements[position] = elements[position].with_changes(value=without)
    new_list = _list_with_inserted(area.literal.with_changes(elements=elements), position + 1, cst.parse_expression(CONVERSE_CACHE_POINT))
    return FixProposal(Applicability.SAFE, "Use a cachePoint block instead of cache_control", [replace_node(index, area.literal, new_list)])


def _swap_to_cache_control(index: ModuleIndex, area: AreaLayout, block: Block) -> FixProposal | None:
    if area.literal is None:
        return None
    elements = list(area.literal.elements)
    position = next((i for i, e in enumerate(elements) if e.value is block.node), None)
    if position is None or position == 0:
        return None
    before = next((b for b in area.blocks if b.node is elements[position - 1].value), None)
    if before is None or before.value is None or before.value.literal is None or before.value.literal is not before.node:
        return None
    elements[position - 1] = elements[position - 1].with_changes(
        value=dict_with_entry(before.value.literal, "cache_control", cst.parse_expression('{"type": "ephemeral"}'))
    )
    removed = elements.pop(position)
    if position == len(elements):  # the marker was last: the new last element keeps its comma style
        elements[-1] = elements[-1].with_changes(comma=removed.comma)
    return FixProposal(
        Applicability.SAFE,
        "Use cache_control on the block before instead of a cachePoint block",
        [replace_node(index, area.literal, area.literal.with_changes(elements=elements))],
    )


def _key(element: cst.DictElement) -> str | None:
    return element.key.evaluated_value if isinstance(element.key, cst.SimpleString) else None  # type: ignore[return-value]


def _drop_trailing_comma(node: cst.Dict) -> cst.Dict:
    if not node.elements:
        return node
    elements = list(node.elements)
    elements[-1] = elements[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return node.with_changes(elements=elements)
