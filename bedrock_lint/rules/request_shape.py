"""BDR2xx: request shape — thinking, InvokeModel bodies, Converse parameters, max tokens,
streaming, and long requests.

Facts: ``docs/facts.md`` §2.2 (Converse and InvokeModel parameters), §3 (the
Anthropic body and thinking), §1.5 and §5.1 (long generations, the Anthropic SDK's
non-streaming guard), §4.7 (quota reservation); the Converse parameter names come from
botocore's service model (``catalog/bedrock_runtime_api.json``), per-model thinking
support from the model catalog.  Rules read the request model
(``analysis.requests``); unresolved values keep them silent.
"""

from __future__ import annotations

import difflib
from typing import Iterator

import libcst as cst

from bedrock_lint.analysis.sites import ModuleIndex
from bedrock_lint.analysis.request_paths import request_path_around
from bedrock_lint.analysis.requests import Request, literal_int, literal_number
from bedrock_lint.analysis.values import DictValue, JsonText, ListValue, Literal, PartialString, Value
from bedrock_lint.catalog.api import operation_parameters, shape_members, surface_in_use
from bedrock_lint.catalog.botocore_surface import SNAPSHOT
from bedrock_lint.catalog.models import ClaudeModel
from bedrock_lint.findings import Applicability, Severity
from bedrock_lint.fixes.builders import (
    call_with_keyword,
    call_without_argument,
    dict_with_entry,
    dict_with_key_renamed,
    import_module,
    replace_node,
)
from bedrock_lint.rules.registry import rule
from bedrock_lint.analysis.scope import model_text
from bedrock_lint.rules.scope import SDK_SECONDS_PER_TOKEN, anthropic_requests, catalog_model, output_budget, request_place, round_up_to_minute
from bedrock_lint.rules.report import FixProposal, Report, fitting
from bedrock_lint.settings import Settings

ANTHROPIC_VERSION = "bedrock-2023-05-31"
# Sent by the Anthropic SDK from 2.0.0; whether bedrock-runtime accepts it is not known
# (docs/facts.md §5.1, marked uncertain there).
SDK_ANTHROPIC_VERSION = "2026-10-21"
MIN_THINKING_BUDGET = 1024
INTERLEAVED_THINKING_BETA = "interleaved-thinking-2025-05-14"
THINKING_TYPES = ("enabled", "adaptive", "disabled")
# The Anthropic SDK's non-streaming guard (anthropic 2.12.0, lib/bedrock and
# _base_client): without an explicit timeout it refuses non-streaming requests expected
# (SDK_SECONDS_PER_TOKEN, rules/scope.py) to exceed 10 minutes.
SDK_NONSTREAMING_LIMIT_SECONDS = 600
SDK_NONSTREAMING_TOKENS = {  # MODEL_NONSTREAMING_TOKENS overrides
    "anthropic.claude-opus-4-20250514-v1:0": 8192,
    "anthropic.claude-opus-4-1-20250805-v1:0": 8192,
}
# Top-level converse() keywords that belong elsewhere: keyword -> (container, key).
MISPLACED_CONVERSE_KEYWORDS = {
    "maxTokens": ("inferenceConfig", "maxTokens"),
    "max_tokens": ("inferenceConfig", "maxTokens"),
    "temperature": ("inferenceConfig", "temperature"),
    "topP": ("inferenceConfig", "topP"),
    "top_p": ("inferenceConfig", "topP"),
    "stopSequences": ("inferenceConfig", "stopSequences"),
    "stop_sequences": ("inferenceConfig", "stopSequences"),
    "topK": ("additionalModelRequestFields", "top_k"),
    "top_k": ("additionalModelRequestFields", "top_k"),
    "thinking": ("additionalModelRequestFields", "thinking"),
}
# Anthropic spellings inside inferenceConfig and their Converse names.
INFERENCE_CONFIG_RENAMES = {"max_tokens": "maxTokens", "top_p": "topP", "stop_sequences": "stopSequences"}


def _literal_string(index: ModuleIndex, entry_value: cst.BaseExpression, scope) -> str | None:
    value = index.resolve(entry_value, scope)
    return value.value if isinstance(value, Literal) and isinstance(value.value, str) else None


# --------------------------------------------------------------------------- BDR201
@rule(
    code="BDR201",
    name="invalid-thinking-config",
    severity=Severity.ERROR,
    summary="Extended-thinking configuration that Bedrock rejects",
    why="""
        The only accepted shapes are `{"type": "enabled", "budget_tokens": N}` and
        `{"type": "adaptive"}`. Blog posts show `{"enabled": True, "budget": N}`, which has
        neither the `type` discriminator nor `budget_tokens` and fails with a 400
        (`thinking.type: Field required`). `budget_tokens` must be at least 1,024
        (`Input should be greater than or equal to 1024`, `danny-avila/LibreChat#8346`)
        and below `max_tokens` unless interleaved thinking is on (`anthropics/claude-code#8756`).
        Thinking is not compatible with `temperature` or `top_k` changes, nor with a
        `tool_choice` that forces tool use. Claude Opus 4.7, Sonnet 5 and later accept only
        `{"type": "adaptive"}` (`"thinking.type.enabled" is not supported for this model`),
        and models before 4.6 do not know adaptive thinking. Through Converse the
        configuration goes in `additionalModelRequestFields` (Claude 3.7 also accepts the
        `reasoning_config` alias). Source: docs/facts.md §3.1, §3.2; the model catalog.
    """,
    bad="""
        import json
        import boto3

        client = boto3.client("bedrock-runtime")
        client.invoke_model(
            modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            body=json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 16000,
                             "thinking": {"enabled": True, "budget": 10000}, "messages": []}),
        )
    """,
    good="""
        import json
        import boto3

        client = boto3.client("bedrock-runtime")
        client.invoke_model(
            modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            body=json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 16000,
                             "thinking": {"type": "enabled", "budget_tokens": 10000}, "messages": []}),
        )
    """,
    fix="safe",
    fix_safety="""
        Rewrites the blog shape `{"enabled": True, "budget": N}` to
        `{"type": "enabled", "budget_tokens": N}`, and renames `budget` to `budget_tokens`
        next to a `type`. The request failed before, so no working behaviour changes.
        Budgets, sampling parameters, tool choice and the model are left to the author.
    """,
    known_problems="""
        `top_p` is not judged. Thinking passed through `**kwargs` or built by a function is
        not seen.
    """,
)
def invalid_thinking_config(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    for request in anthropic_requests(index):
        thinking = request.thinking()
        if thinking is None or not isinstance(thinking.value, DictValue):
            continue
        config = thinking.value
        name = "reasoning_config" if thinking.name == "reasoning_config" else "thinking"
        entries = config.entries
        if "type" not in entries:
            if config.complete:
                yield _blog_shape_report(index, thinking, config, name)
            continue
        kind = _literal_string(index, entries["type"].value, entries["type"].scope)
        if kind is None:
            continue
        if kind not in THINKING_TYPES:
            yield Report(
                "BDR201",
                entries["type"].value,
                f'{name}.type "{kind}" is not a thinking type; use "enabled" (with budget_tokens) or "adaptive"',
            )
            continue
        if kind == "disabled":
            continue
        yield from _budget_reports(index, request, thinking, config, name, kind)
        yield from _compatibility_reports(index, request, thinking, name, kind)
        model = catalog_model(request, settings)
        if model is not None:
            yield from _model_support_reports(model, thinking, name, kind)


def _blog_shape_report(index: ModuleIndex, thinking, config: DictValue, name: str) -> Report:
    keys = set(config.entries)
    fix = None
    enabled = config.entries.get("enabled")
    editable = config.literal is not None and config.literal is thinking.value_node
    if editable and keys <= {"enabled", "budget"} and enabled is not None and _is_true(index.resolve(enabled.value, enabled.scope)):
        budget = config.entries.get("budget")
        parts = ['"type": "enabled"'] + ([f'"budget_tokens": {index.code_for(budget.value).strip()}'] if budget else [])
        fix = FixProposal(
            Applicability.SAFE,
            'Use the thinking shape {"type": "enabled", "budget_tokens": …}',
            [replace_node(index, config.literal, "{" + ", ".join(parts) + "}")],  # type: ignore[arg-type]
        )
    return Report(
        "BDR201",
        thinking.value_node,
        f"{name} has no \"type\" ({', '.join(sorted(keys)) or 'empty'}); write "
        '{"type": "enabled", "budget_tokens": N} or {"type": "adaptive"}',
        fix,
    )


def _is_true(value: Value) -> bool:
    return isinstance(value, Literal) and value.value is True


def _budget_reports(index: ModuleIndex, request: Request, thinking, config: DictValue, name: str, kind: str) -> Iterator[Report]:
    if kind != "enabled":
        return
    entries = config.entries
    if "budget" in entries and "budget_tokens" not in entries:
        fix = None
        if config.literal is not None and config.literal is thinking.value_node:
            fix = FixProposal(
                Applicability.SAFE,
                "Rename budget to budget_tokens",
                [replace_node(index, config.literal, dict_with_key_renamed(config.literal, "budget", "budget_tokens"))],
            )
        yield Report(
            "BDR201",
            entries["budget"].key_node or thinking.value_node,
            f'{name} uses "budget", which Bedrock rejects; rename it "budget_tokens"',
            fix,
        )
        return
    if "budget_tokens" not in entries:
        if config.complete:
            yield Report(
                "BDR201",
                thinking.value_node,
                f'{name} type "enabled" has no budget_tokens; add "budget_tokens": N, {MIN_THINKING_BUDGET} ≤ N < max_tokens',
            )
        return
    budget_entry = entries["budget_tokens"]
    budget = literal_int(index.resolve(budget_entry.value, budget_entry.scope))
    if budget is None:
        return
    if budget < MIN_THINKING_BUDGET:
        yield Report(
            "BDR201",
            budget_entry.value,
            f"budget_tokens={budget} is below Bedrock's minimum of {MIN_THINKING_BUDGET}; use at least {MIN_THINKING_BUDGET}",
        )
        return
    max_tokens = request.max_tokens()
    if max_tokens is not None and budget >= max_tokens and INTERLEAVED_THINKING_BETA not in request.anthropic_beta():
        yield Report(
            "BDR201",
            budget_entry.value,
            f"budget_tokens={budget} is not below max_tokens={max_tokens}, which Bedrock rejects; raise max_tokens "
            "above the budget",
        )


def _compatibility_reports(index: ModuleIndex, request: Request, thinking, name: str, kind: str) -> Iterator[Report]:
    if kind == "enabled":
        temperature = request.field_of("temperature")
        if temperature is not None and literal_number(temperature.value) not in (None, 1.0):
            yield Report(
                "BDR201",
                temperature.node,
                f"temperature is set while {name} is enabled, which Bedrock rejects; remove it (or set it to 1)",
            )
        top_k = request.field_of("top_k")
        if top_k is not None:
            yield Report(
                "BDR201",
                top_k.node,
                f"top_k is set while {name} is enabled, which Bedrock rejects; remove top_k",
            )
    forced = _forced_tool_choice(index, request)
    if forced is not None:
        yield Report(
            "BDR201",
            forced,
            f"tool_choice forces tool use while {name} is on, which Bedrock rejects; use auto or turn thinking off",
        )


def _forced_tool_choice(index: ModuleIndex, request: Request) -> cst.CSTNode | None:
    if request.api == "converse":
        tool_config, _ = request.container("toolConfig")
        if tool_config is None or "toolChoice" not in tool_config.entries:
            return None
        entry = tool_config.entries["toolChoice"]
        choice = index.resolve(entry.value, entry.scope)
        if isinstance(choice, DictValue) and choice.complete and set(choice.entries) & {"any", "tool"}:
            return entry.value
        return None
    found = request.field_of("tool_choice")
    if found is None or not isinstance(found.value, DictValue) or "type" not in found.value.entries:
        return None
    entry = found.value.entries["type"]
    return found.value_node if _literal_string(index, entry.value, entry.scope) in ("any", "tool") else None


def _model_support_reports(model: ClaudeModel, thinking, name: str, kind: str) -> Iterator[Report]:
    uncertain = model.is_uncertain("thinking")
    severity = Severity.WARNING if uncertain else None
    caveat = " (uncertain)" if uncertain else ""
    if name == "reasoning_config" and model.thinking_enabled is False and model.thinking_adaptive:
        kind = "enabled"  # the 3.7 alias is budget thinking
    if kind == "enabled" and model.thinking_enabled is False:
        if model.thinking_adaptive:
            advice = 'use {"type": "adaptive"} (and output_config.effort)'
            fact = f"{model.id} accepts only adaptive thinking"
        else:
            advice = "remove the thinking configuration"
            fact = f"{model.id} does not support extended thinking"
        yield Report("BDR201", thinking.value_node, f"{fact}{caveat}; {advice}", severity=severity)
    elif kind == "adaptive" and model.thinking_adaptive is False:
        advice = (
            'use {"type": "enabled", "budget_tokens": N}' if model.thinking_enabled else "remove the thinking configuration"
        )
        yield Report(
            "BDR201",
            thinking.value_node,
            f"{model.id} lacks adaptive thinking{caveat}; {advice}",
            severity=severity,
        )


# --------------------------------------------------------------------------- BDR202
@rule(
    code="BDR202",
    name="invalid-invoke-body",
    severity=Severity.ERROR,
    summary="Anthropic InvokeModel body that Bedrock rejects",
    why="""
        An Anthropic body for `invoke_model` must be a JSON string (botocore raises
        `ParamValidationError` for a dict), must contain `"anthropic_version":
        "bedrock-2023-05-31"` and `max_tokens`, and must not contain `model` or `stream`:
        the model goes in `modelId` and streaming means calling
        `invoke_model_with_response_stream`. Bedrock's validator answers `Malformed input
        request: … extraneous key [stream] is not permitted` (`sigoden/aichat#543`,
        `BerriAI/litellm#7416`). The `anthropic_version` the Anthropic SDK sends from 2.0
        (`2026-10-21`) is reported as a warning: whether bedrock-runtime accepts it is
        uncertain; so is an empty one, which Claude 3.x accepts (undocumented). Source:
        docs/facts.md §2.2, §3, §5.1, §10.7.
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.invoke_model(
            modelId="us.anthropic.claude-haiku-4-5-20251001-v1:0",
            body={"max_tokens": 512, "messages": [{"role": "user", "content": "Hi"}]},
        )
    """,
    good="""
        import json
        import boto3

        client = boto3.client("bedrock-runtime")
        client.invoke_model(
            modelId="us.anthropic.claude-haiku-4-5-20251001-v1:0",
            body=json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 512,
                             "messages": [{"role": "user", "content": "Hi"}]}),
        )
    """,
    fix="safe",
    fix_safety="""
        Wraps a dict body in `json.dumps(…)` (adding `import json`), and adds
        `"anthropic_version": "bedrock-2023-05-31"` to a body dict written as a literal.
        Both requests failed before the change.
    """,
)
def invalid_invoke_body(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    for request in anthropic_requests(index, "invoke"):
        if "prompt" in request.fields:
            continue  # a Text Completions body (Claude 2): a different API, EOL anyway
        argument = request.body_argument
        if argument is not None and isinstance(request.body_value, DictValue):
            yield Report(
                "BDR202",
                argument.value,
                "body= is given a dict, which botocore rejects (bytes or a string only); pass json.dumps(…) of it",
                _json_dumps_fix(index, argument.value),
            )
        fields = request.fields
        payload = request.body_value.payload if isinstance(request.body_value, JsonText) else request.body_value
        literal = payload.literal if isinstance(payload, DictValue) else None
        if fields and request.complete and "anthropic_version" not in fields:
            fix = None
            if literal is not None:
                new_body = dict_with_entry(literal, "anthropic_version", cst.SimpleString(f'"{ANTHROPIC_VERSION}"'))
                fix = FixProposal(Applicability.SAFE, f'Add "anthropic_version": "{ANTHROPIC_VERSION}"', [replace_node(index, literal, new_body)])
            yield Report(
                "BDR202",
                literal or argument.value,  # type: ignore[union-attr]
                f'the Anthropic body has no "anthropic_version"; add "anthropic_version": "{ANTHROPIC_VERSION}"',
                fix,
            )
        if fields and request.complete and "max_tokens" not in fields:
            yield Report(
                "BDR202",
                literal or argument.value,  # type: ignore[union-attr]
                'the Anthropic body has no "max_tokens", which Bedrock requires; add "max_tokens": N',
            )
        version = fields.get("anthropic_version")
        if version is not None and isinstance(version.value, Literal) and version.value.value != ANTHROPIC_VERSION:
            # The SDK 2.x default, and "" (accepted by Claude 3.x with recorded outputs,
            # undocumented and unverified on 4.x+: docs/facts.md §10.7), are warnings.
            uncertain = {SDK_ANTHROPIC_VERSION: " (uncertain: the SDK 2.x default)", "": " (Claude 3.x accepts \"\")"}.get(version.value.value)  # type: ignore[arg-type]
            yield Report(
                "BDR202",
                version.value_node,
                f'anthropic_version "{version.value.value}" is not the required one'
                f"{uncertain or ''}; use \"{ANTHROPIC_VERSION}\"",
                severity=Severity.WARNING if uncertain is not None else None,
            )
        for key, advice in (("model", "put the model in modelId"), ("stream", "stream with invoke_model_with_response_stream")):
            if key in fields:
                yield Report(
                    "BDR202",
                    fields[key].node,
                    f'the body has a "{key}" key, which Bedrock rejects; remove it ({advice})',
                )


def _json_dumps_fix(index: ModuleIndex, body: cst.BaseExpression) -> FixProposal | None:
    json_name, import_edits = import_module(index, "json", used_at=body, fallback_alias="json_module")
    if json_name is None:
        return None
    return FixProposal(
        Applicability.SAFE,
        "Pass the body through json.dumps",
        [replace_node(index, body, f"{json_name}.dumps({index.code_for(body).strip()})"), *import_edits],
    )


# --------------------------------------------------------------------------- BDR203
@rule(
    code="BDR203",
    name="invalid-converse-param",
    severity=Severity.ERROR,
    summary="Converse request with parameters or shapes the Converse API rejects",
    why="""
        Converse has its own names: the output cap is `inferenceConfig={"maxTokens": N}`,
        sampling goes in `inferenceConfig` (`temperature`, `topP`, `stopSequences`), and
        model-specific fields such as `thinking` and `top_k` go in
        `additionalModelRequestFields`. Anthropic-style keywords at the top level
        (`thinking=`, `maxTokens=`, `temperature=`) or Anthropic spellings inside
        `inferenceConfig` (`max_tokens`, `topK`) make botocore raise
        `ParamValidationError: Unknown parameter in input`. Message `content` and
        `system` must be lists of blocks (`[{"text": "…"}]`), not strings. The parameter
        names are those of the installed botocore's service model (the packaged snapshot
        of botocore's model when botocore is not installed); the message names which,
        and a name only the snapshot does not know is a warning, not an error.
        Source: docs/facts.md §2.2, §3.2.
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse(
            modelId="us.anthropic.claude-sonnet-4-6",
            messages=[{"role": "user", "content": "Hello"}],
            temperature=0.2,
        )
    """,
    good="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse(
            modelId="us.anthropic.claude-sonnet-4-6",
            messages=[{"role": "user", "content": [{"text": "Hello"}]}],
            inferenceConfig={"temperature": 0.2},
        )
    """,
    fix="safe",
    fix_safety="""
        Moves a misplaced top-level keyword into `inferenceConfig` (or
        `additionalModelRequestFields` for `thinking`/`top_k`) under its Converse name,
        renames Anthropic spellings inside `inferenceConfig`, and wraps a string
        `content`/`system` in `[{"text": …}]`. Each request was rejected before, and the
        moved value means what it meant. Only literals written at the call are changed.
    """,
    known_problems="""
        `topK` inside `inferenceConfig` is reported without a fix (it moves to
        `additionalModelRequestFields` as `top_k`).
    """,
)
def invalid_converse_param(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    for request in anthropic_requests(index, "converse"):
        assert request.operation is not None
        allowed = set(operation_parameters(request.operation.operation))
        for name, found in request.fields.items():
            if name in allowed:
                continue
            target = MISPLACED_CONVERSE_KEYWORDS.get(name)
            close = difflib.get_close_matches(name, [*allowed, *MISPLACED_CONVERSE_KEYWORDS], n=1)
            if target:
                advice = f"put it in {target[0]} as {target[1]!r}"
            elif name == "stream":
                advice = "call converse_stream to stream"
            elif close and close[0] in allowed:
                advice = f"did you mean {close[0]!r}?"
            elif close:
                container, key = MISPLACED_CONVERSE_KEYWORDS[close[0]]
                advice = f"did you mean {container}={{{key!r}: …}}?"
            else:
                advice = "remove it"
            surface = surface_in_use()
            yield Report(
                "BDR203",
                found.node,
                f"{request.operation.operation}() has no parameter {name!r} in {surface.describe()}; {advice}",
                _move_keyword_fix(index, request, name, target) if target else None,
                # The user's botocore may be newer than the packaged snapshot and know it.
                severity=Severity.WARNING if surface.origin == SNAPSHOT and not target and name != "stream" else None,
            )
        yield from _inference_config_reports(index, request)
        yield from _string_content_reports(index, request)


def _move_keyword_fix(index: ModuleIndex, request: Request, name: str, target: tuple[str, str]) -> FixProposal | None:
    call = request.call
    argument = next((a for a in call.args if a.keyword is not None and a.keyword.value == name), None)
    if argument is None:
        return None
    container_name, key = target
    container, holder = request.container(container_name)
    new_call = call_without_argument(call, argument)
    value = argument.value
    if holder is None:
        new_call = call_with_keyword(new_call, container_name, cst.Dict([cst.DictElement(cst.SimpleString(f'"{key}"'), value)]))
    elif container is not None and container.literal is not None and container.literal is holder.value_node:
        if key in container.entries:
            return None  # both given: the author must choose
        position = next(i for i, a in enumerate(new_call.args) if a.keyword is not None and a.keyword.value == container_name)
        arguments = list(new_call.args)
        arguments[position] = arguments[position].with_changes(value=dict_with_entry(container.literal, key, value))
        new_call = new_call.with_changes(args=arguments)
    else:
        return None
    return FixProposal(Applicability.SAFE, f"Move {name}= into {container_name}[{key!r}]", [replace_node(index, call, new_call)])


def _inference_config_reports(index: ModuleIndex, request: Request) -> Iterator[Report]:
    config, holder = request.container("inferenceConfig")
    if config is None or holder is None:
        return
    allowed = shape_members("InferenceConfiguration")
    for key, entry in config.entries.items():
        if key in allowed:
            continue
        rename = INFERENCE_CONFIG_RENAMES.get(key)
        if key in ("topK", "top_k"):
            advice = 'top_k goes in additionalModelRequestFields={"top_k": …}'
        elif rename:
            advice = f"the Converse name is {rename!r}"
        else:
            advice = f"valid keys: {', '.join(allowed)}"
        fix = None
        if rename and rename not in config.entries and config.literal is not None and config.literal is holder.value_node:
            fix = FixProposal(
                Applicability.SAFE,
                f"Rename {key} to {rename}",
                [replace_node(index, config.literal, dict_with_key_renamed(config.literal, key, rename))],
            )
        yield Report(
            "BDR203",
            entry.key_node or holder.value_node,
            f"inferenceConfig has no {key!r}: {advice}",
            fix,
            severity=Severity.WARNING if surface_in_use().origin == SNAPSHOT and not rename and key not in ("topK", "top_k") else None,
        )


def _string_content_reports(index: ModuleIndex, request: Request) -> Iterator[Report]:
    system = request.fields.get("system")
    if system is not None and _is_text(system.value):
        yield Report(
            "BDR203",
            system.value_node,
            'system must be a list of blocks, not a string; write system=[{"text": …}]',
            _wrap_text_fix(index, system.value, system.value_node),
        )
    messages = request.fields.get("messages")
    if messages is None or not isinstance(messages.value, ListValue):
        return
    written_here = messages.value.node is messages.value_node  # a list kept elsewhere may serve other APIs
    for item, scope in messages.value.items:
        message = index.resolve(item, scope)
        if not isinstance(message, DictValue) or "content" not in message.entries:
            continue
        entry = message.entries["content"]
        content = index.resolve(entry.value, entry.scope)
        if _is_text(content):
            yield Report(
                "BDR203",
                entry.value,
                'message content must be a list of blocks, not a string; write "content": [{"text": …}]',
                _wrap_text_fix(index, content, entry.value) if written_here else None,
            )


def _is_text(value: Value) -> bool:
    return (isinstance(value, Literal) and isinstance(value.value, str)) or isinstance(value, PartialString)


def _wrap_text_fix(index: ModuleIndex, value: Value, written: cst.BaseExpression) -> FixProposal | None:
    if getattr(value, "node", None) is not written:
        return None  # a constant may be used elsewhere as a plain string
    return FixProposal(
        Applicability.SAFE,
        'Wrap the text in [{"text": …}]',
        [replace_node(index, written, '[{"text": ' + index.code_for(written).strip() + "}]")],
    )


# --------------------------------------------------------------------------- BDR204
@rule(
    code="BDR204",
    name="max-tokens-unset",
    severity=Severity.WARNING,
    summary="Converse call without `inferenceConfig.maxTokens`",
    why="""
        Bedrock reserves tokens-per-minute quota when a request starts, counting input
        plus `maxTokens`; when `maxTokens` is unset it counts the model's maximum output
        (64,000 or 128,000 tokens for current Claude models). A handful of concurrent
        short requests then exhausts the quota and Bedrock throttles early
        (`ThrottlingException`, "the most common cause of unexpected throttling").
        langchain-aws `ChatBedrockConverse` without `max_tokens` sends no `maxTokens`
        either. Source: docs/facts.md §2.2, §4.7, §5.2.
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse(modelId="us.anthropic.claude-sonnet-4-6", messages=[])
    """,
    good="""
        import boto3

        client = boto3.client("bedrock-runtime")
        client.converse(modelId="us.anthropic.claude-sonnet-4-6", messages=[], inferenceConfig={"maxTokens": 1024})
    """,
)
def max_tokens_unset(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    for request in anthropic_requests(index, "converse", "langchain-converse"):
        if not request.knows_absence_of("max_tokens"):
            continue
        if request.api == "converse" and any(
            MISPLACED_CONVERSE_KEYWORDS.get(name, ("", ""))[1] == "maxTokens" for name in request.fields
        ):
            continue  # maxTokens= at the top level: BDR203 moves it into inferenceConfig
        model = catalog_model(request, settings)
        if model and model.max_output_tokens and not model.is_uncertain("max_output"):
            reserved = f"{model.max_output_tokens:,} tokens"
        else:
            reserved = None
        if request.api == "converse":
            where, advice = f"{request_place(request)} has no maxTokens", 'inferenceConfig={"maxTokens": N}'
        else:
            where, advice = f"{request_place(request)} has no max_tokens", "max_tokens=N"
        yield Report(
            "BDR204",
            request.call,
            f"{where}: Bedrock reserves {reserved} of quota a call; set {advice}"
            if reserved
            else f"{where}: Bedrock reserves the model's maximum a call; set {advice}",
        )


# --------------------------------------------------------------------------- BDR205
@rule(
    code="BDR205",
    name="non-streaming-call",
    severity=Severity.WARNING,
    summary="Non-streaming Claude call in a user-facing path or with a large output budget",
    why="""
        A non-streaming call returns nothing until the whole answer is generated: a chat
        user stares at a spinner for the full generation time, and a long answer runs
        into botocore's 60 s read timeout (which is retried, generating the answer again).
        Streaming (`converse_stream`, `invoke_model_with_response_stream`,
        `messages.create(stream=True)`/`messages.stream`) shows tokens as they come and
        only needs the read timeout between events. The rule fires in web routes,
        websockets and chat UI callbacks, and wherever the output budget is large
        (`streaming-max-tokens`, default 4,096) or thinking is on. Source:
        docs/facts.md §1.1, §1.5.
    """,
    bad="""
        import boto3
        from flask import Flask

        app = Flask(__name__)
        client = boto3.client("bedrock-runtime")


        @app.post("/chat")
        def chat():
            return client.converse(modelId="us.anthropic.claude-sonnet-4-6", messages=[], inferenceConfig={"maxTokens": 1024})
    """,
    good="""
        import boto3
        from flask import Flask

        app = Flask(__name__)
        client = boto3.client("bedrock-runtime")


        @app.post("/chat")
        def chat():
            return client.converse_stream(modelId="us.anthropic.claude-sonnet-4-6", messages=[], inferenceConfig={"maxTokens": 1024})
    """,
    options=("streaming-max-tokens",),
)
def non_streaming_call(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    for request in anthropic_requests(index, "converse", "invoke", "messages"):
        if request.streams:
            continue
        reason = None
        function = request.operation.context.function if request.operation else None
        path = request_path_around(function, index) if function is not None else None
        max_tokens = request.max_tokens()
        thinking = request.thinking_type() in ("enabled", "adaptive")
        small = max_tokens is not None and max_tokens <= settings.small_task_max_tokens and not thinking
        if path is not None and path.kind in ("web-route", "ui-callback") and not small:
            reason = f"in {path.description}, the user waits for the whole answer"
            short_reason = f"in {path.description}"
        else:
            if max_tokens is not None and max_tokens >= settings.streaming_max_tokens:
                reason = short_reason = f"with max_tokens={max_tokens}, the answer may take minutes"
            elif thinking:
                reason = "with thinking on, the answer arrives only after all the thinking"
                short_reason = "with thinking on"
        if reason is None:
            continue
        streaming = {"converse": "converse_stream", "invoke": "invoke_model_with_response_stream"}.get(
            request.api, "messages.stream (or stream=True)"
        )
        yield Report(
            "BDR205",
            request.call.func,
            fitting(
                f"{request_place(request)} does not stream: {reason}; use {streaming}",
                f"{request_place(request)} does not stream: {reason}; use {streaming.split(' (')[0]}",
                f"{request_place(request)} does not stream {short_reason}; use {streaming.split(' (')[0]}",
            ),
        )


# --------------------------------------------------------------------------- BDR206
@rule(
    code="BDR206",
    name="long-request-without-timeout",
    severity=Severity.ERROR,
    summary="Non-streaming request whose output budget needs a longer timeout than the client has",
    why="""
        The Anthropic SDK estimates that a request may take 60 minutes per 128,000 output
        tokens. Without an explicit `timeout`, AnthropicBedrock refuses a non-streaming
        `messages.create` expected to run past 10 minutes (`max_tokens` above 21,333;
        8,192 for Claude Opus 4 and 4.1) with `ValueError("Streaming is required for
        operations that may take longer than 10 minutes")`; AWS says streaming is required
        above 21,333 tokens. A boto3 client's `read_timeout` (60 s by default) below the
        same estimate makes the non-streaming call time out, and botocore retries it,
        paying for the generation again. Source: docs/facts.md §1.1, §1.5, §5.1.
    """,
    bad="""
        from anthropic import AnthropicBedrock

        client = AnthropicBedrock(aws_region="us-west-2")
        client.messages.create(model="us.anthropic.claude-sonnet-4-6", max_tokens=32000, messages=[])
    """,
    good="""
        from anthropic import AnthropicBedrock

        client = AnthropicBedrock(aws_region="us-west-2")
        with client.messages.stream(model="us.anthropic.claude-sonnet-4-6", max_tokens=32000, messages=[]) as stream:
            text = stream.get_final_text()
    """,
)
def long_request_without_timeout(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    for request in anthropic_requests(index, "converse", "invoke", "messages"):
        if request.streams:
            continue
        found = output_budget(request, settings)  # no cap: up to the model's (docs/facts.md §2.2)
        if found is None:
            continue
        max_tokens, is_cap = found
        budget = f"no max_tokens (up to {max_tokens:,})" if is_cap else f"max_tokens={max_tokens}"
        needed = SDK_SECONDS_PER_TOKEN * max_tokens
        if request.api == "messages":
            client = request.client
            if client is None or client.keyword("timeout") is not None or "timeout" in request.fields or not request.complete:
                continue
            limit = SDK_NONSTREAMING_TOKENS.get(model_text(request.model) or "")  # the SDK looks the string up as written
            if limit is not None and max_tokens > limit:
                cause = f"over the SDK's {limit}-token limit for this model"
            elif needed > SDK_NONSTREAMING_LIMIT_SECONDS:
                cause = f"about {needed / 60:.0f} minutes, over the SDK's 10-minute limit"
            else:
                continue
            yield Report(
                "BDR206",
                request.fields["max_tokens"].node,
                fitting(
                    f"messages.create max_tokens={max_tokens} without timeout= raises ValueError ({cause}); use messages.stream(…)",
                    f"messages.create max_tokens={max_tokens} without timeout= raises ValueError; use messages.stream(…)",
                ),
            )
            continue
        client = request.client
        timeout = client.read_timeout(index) if client is not None else None
        if timeout is None or timeout >= needed:
            continue
        yield Report(
            "BDR206",
            request.call.func,
            fitting(
                f"{budget} may take {needed:.0f} s, over the client's {timeout:g} s read timeout; stream, "
                f"or set Config(read_timeout={round_up_to_minute(needed)})",
                f"{budget} may take {needed:.0f} s, over the {timeout:g} s read timeout; stream or set "
                f"Config(read_timeout={round_up_to_minute(needed)})",
            ),
        )

