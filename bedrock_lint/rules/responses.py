"""BDR4xx: handling of Claude responses — unchecked and incompletely handled stop
reasons, stop reasons a Converse response never carries, event streams without
in-stream error handling.

Facts: ``docs/facts.md`` §2.4 (Converse ``StopReason``, from
botocore's service model: ``catalog/stop_reasons.py``), §3 (Anthropic Messages stop
reasons) and §1.3 (errors inside an event stream are not retried).  Every rule reads
the response flow of the index (``analysis.responses``).
"""

from __future__ import annotations

from typing import Iterator

from bedrock_lint.analysis.responses import ResponseRead, ResponseShape, responses_of
from bedrock_lint.analysis.sites import ModuleIndex
from bedrock_lint.catalog.stop_reasons import (
    CONVERSE,
    incomplete_stop_reasons,
    stop_reasons,
)
from bedrock_lint.findings import Applicability, Severity
from bedrock_lint.fixes.builders import replace_node, string_literal_like
from bedrock_lint.rules.registry import rule
from bedrock_lint.rules.report import FixProposal, Report
from bedrock_lint.settings import Settings

# How code reads the stop reason of each operation's response, for messages.
STOP_REASON_SPELLING = {
    "converse": 'response["stopReason"]',
    "invoke_model": 'body["stop_reason"]',
    "messages.create": "message.stop_reason",
    "converse_stream": 'event["messageStop"]["stopReason"]',
    "invoke_model_with_response_stream": 'chunk["delta"]["stop_reason"]',
}


def _api_name(shape: ResponseShape) -> str:
    return "Converse" if shape.api == CONVERSE else "Anthropic Messages"


def _consequences(reasons: tuple[str, ...]) -> str:
    """``"max_tokens", "model_context_window_exceeded" or "refusal"`` (what each means is
    in the rule's documentation)."""
    described = [f'"{reason}"' for reason in reasons]
    return described[0] if len(described) == 1 else ", ".join(described[:-1]) + " or " + described[-1]


def _quoted_list(values) -> str:
    return ", ".join(f'"{value}"' for value in sorted(values))


# --------------------------------------------------------------------------- BDR401
@rule(
    code="BDR401",
    name="unchecked-stop-reason",
    severity=Severity.WARNING,
    summary="Response text used in a function that never looks at the stop reason",
    why="""
        A Claude response is not always a finished answer. Converse reports why generation
        stopped in `stopReason`; an InvokeModel body and an Anthropic SDK message in
        `stop_reason`. `max_tokens` means the text was cut off at the output limit,
        `model_context_window_exceeded` that the conversation no longer fit, and (Messages
        API only) `refusal` that the model declined — with an HTTP 200 and an empty or
        partial text. Code that takes `content[0]["text"]` without looking at the stop
        reason ships all of these as complete answers.
        Source: docs/facts.md §2.4 (Converse `StopReason`, botocore service model) and §3
        (Messages stop reasons, the anthropic SDK's `StopReason` type; AWS: "handle
        stop_reason: "refusal" as a primary response path").
    """,
    known_problems="""
        The rule follows a response through names bound once, `with`, `for`, `.get()`,
        module functions that return it and parameters every caller fills with it. It is
        silent when the response (or InvokeModel body) is returned or passed to another
        function, because that code may check the stop reason, and when the function
        mentions `stopReason`/`stop_reason` anywhere. Event streams, langchain-aws and
        other wrappers are not judged. A call whose model is unknown is judged only when
        the request itself is Anthropic-shaped.
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime")

        def answer(history):
            response = client.converse(modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0", messages=history)
            return response["output"]["message"]["content"][0]["text"]
    """,
    good="""
        import boto3

        client = boto3.client("bedrock-runtime")

        def answer(history):
            response = client.converse(modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0", messages=history)
            if response["stopReason"] != "end_turn":
                raise RuntimeError(f"incomplete answer: {response['stopReason']}")
            return response["output"]["message"]["content"][0]["text"]
    """,
)
def unchecked_stop_reason(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    flow = responses_of(index)
    looked_at = {id(read.value.operation.call) for read in flow.stop_reason_reads}
    looked_at |= {id(read.read.value.operation.call) for read in flow.other_api_key_reads}
    # One finding per call: where its text is first read (a helper that returns the
    # text), not again in each caller of that helper; the check belongs where the
    # response is.
    reported: set[int] = set()
    for read in flow.text_reads:
        operation = read.value.operation
        key = (read.function_key, id(operation.call))
        if (
            id(operation.call) in reported
            or id(operation.call) in looked_at
            or key in flow.escapes
            or read.function_key in index.sites.stop_reason_mentions
        ):
            continue
        reported.add(id(operation.call))
        yield Report("BDR401", read.node, _unchecked_message(read))


def _unchecked_message(read: ResponseRead) -> str:
    operation = read.value.operation.operation
    return f"{operation} response text is used without checking {STOP_REASON_SPELLING[operation]}; check it first"


# --------------------------------------------------------------------------- BDR402
@rule(
    code="BDR402",
    name="incomplete-stop-reason-handling",
    severity=Severity.WARNING,
    summary="Code branches on the stop reason but has no path for the values that mean an incomplete answer",
    why="""
        Checking `stopReason == "tool_use"` (or `"end_turn"`) and treating everything else
        as a finished answer lets `max_tokens` (text cut off at the output limit) and
        `model_context_window_exceeded` (conversation too long) through as complete
        answers; InvokeModel bodies and Anthropic SDK messages can also stop with
        `refusal`, an HTTP 200 with an empty or partial text. Each needs its own branch,
        or a branch that fails loudly on any value you did not expect.
        Source: docs/facts.md §2.4 (Converse `StopReason`, botocore service model), §3
        (Messages stop reasons, the anthropic SDK's `StopReason` type; AWS Fable 5 card:
        "handle stop_reason: "refusal" as a primary response path").
    """,
    known_problems="""
        Comparisons in `if`/`elif`/`while` tests, `match` statements and dispatch through
        `TABLE.get(reason)` are understood. Any value is considered handled when a test
        uses `!=`/`not in`, an `else:`/`case _:` raises or logs, a `raise` follows the
        `if` chain, or a dispatch table is indexed (`TABLE[reason]` raises `KeyError`).
        An `else:` that returns an error value without raising or logging is not
        recognised as handling. The rule is silent when the stop reason is also returned,
        passed to another function or compared outside a branch (an `assert`, an
        assignment), because that code may handle the rest.
    """,
    bad="""
        from anthropic import AnthropicBedrock

        client = AnthropicBedrock()

        def answer(history):
            message = client.messages.create(model="us.anthropic.claude-sonnet-4-5-20250929-v1:0", max_tokens=1024, messages=history)
            if message.stop_reason == "tool_use":
                return run_tools(message.content)
            return message.content[0].text
    """,
    good="""
        from anthropic import AnthropicBedrock

        client = AnthropicBedrock()

        def answer(history):
            message = client.messages.create(model="us.anthropic.claude-sonnet-4-5-20250929-v1:0", max_tokens=1024, messages=history)
            match message.stop_reason:
                case "tool_use":
                    return run_tools(message.content)
                case "end_turn" | "stop_sequence":
                    return message.content[0].text
                case _:
                    raise RuntimeError(f"no complete answer: stop_reason={message.stop_reason}")
    """,
)
def incomplete_stop_reason_handling(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    flow = responses_of(index)
    for branchings, handled in flow.stop_reason_handling():
        if not branchings:
            continue
        missing = tuple(r for r in incomplete_stop_reasons(branchings[0].shape.api) if r not in handled)
        if not missing:
            continue
        for branching in branchings:
            yield Report(
                "BDR402",
                branching.first_node,  # type: ignore[arg-type]
                f"unhandled stop reason {_consequences(missing)}; add a branch or raise on unknown ones",
            )


# --------------------------------------------------------------------------- BDR403
@rule(
    code="BDR403",
    name="impossible-stop-reason",
    severity=Severity.ERROR,
    summary="Stop reason compared with a value its API never returns, or read under the other API's key",
    why="""
        Converse has its own `StopReason` enum (`end_turn`, `tool_use`, `max_tokens`,
        `stop_sequence`, `guardrail_intervened`, `content_filtered`,
        `malformed_model_output`, `malformed_tool_use`, `model_context_window_exceeded`):
        it never reports `refusal` or `pause_turn`, so a branch on them never runs, and a
        misspelt value never matches. The key is `stopReason` in a Converse response and
        `stop_reason` in an InvokeModel body; the other spelling raises `KeyError` (or
        `.get()` returns None, and every check silently fails).
        Source: docs/facts.md §2.4 (botocore service model, generated into the API
        surface) and §3 (Messages values: the anthropic SDK's `StopReason` type).
    """,
    known_problems="""
        Only values written in the comparison or `case` itself are judged: a constant or
        dispatch table may be shared with code for the other API, where the value is
        possible. Anthropic Messages values are judged against the list in anthropic 2.12.0; a stop
        reason Anthropic adds later would be reported until the list is updated.
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime")
        response = client.converse(modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0", messages=[])
        if response["stopReason"] == "refusal":
            print("declined")
    """,
    good="""
        import boto3

        client = boto3.client("bedrock-runtime")
        response = client.converse(modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0", messages=[])
        if response["stopReason"] in ("content_filtered", "guardrail_intervened"):
            print("declined")
    """,
    fix="safe",
    fix_safety="""
        Only the key-name swap is fixed: `response["stop_reason"]` on a Converse response
        becomes `response["stopReason"]` (and the reverse on an InvokeModel body). The old
        key does not exist in that response, so the code either failed or never saw the
        value; the fix keeps every other behaviour. Impossible values have no fix: which
        value was meant is a decision for the author.
    """,
)
def impossible_stop_reason(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    flow = responses_of(index)
    for wrong in flow.other_api_key_reads:
        operation = wrong.read.value.operation.operation
        written = wrong.key.evaluated_value
        yield Report(
            "BDR403",
            wrong.key,
            f'{operation} responses have no "{written}" key ({_api_name(wrong.read.value.shape)} API); '
            f'read "{wrong.correct_key}"',
            FixProposal(
                Applicability.SAFE,
                f'Read "{wrong.correct_key}"',
                [replace_node(index, wrong.key, string_literal_like(wrong.correct_key, wrong.key))],
            ),
        )
    for branching in flow.branchings.values():
        possible = stop_reasons(branching.shape.api)
        seen: set[int] = set()
        for compared in branching.compared:
            if not compared.written_in_test or compared.value in possible or id(compared.node) in seen:
                continue
            seen.add(id(compared.node))
            yield Report("BDR403", compared.node, _impossible_message(branching.shape, compared.value))


def _impossible_message(shape: ResponseShape, value: str) -> str:
    if shape.api == CONVERSE:
        return f'Converse never returns stop reason "{value}", so this is never true; compare with a Converse value'
    return f'the Messages API never returns stop reason "{value}", so this is never true; compare with a Messages value'


# --------------------------------------------------------------------------- BDR404
@rule(
    code="BDR404",
    name="stream-error-unhandled",
    severity=Severity.WARNING,
    summary="Event stream of converse_stream / invoke_model_with_response_stream iterated with no handling of in-stream errors",
    why="""
        Once a streaming call has returned, errors arrive inside the event stream:
        `throttlingException`, `internalServerException`, `modelStreamErrorException`,
        `validationException`, `serviceUnavailableException` (and `modelTimeoutException`
        for InvokeModelWithResponseStream). botocore raises them as `EventStreamError` in
        the middle of the loop and never retries them, whatever the retry mode, so a
        loop without a `try` dies on the first throttling event halfway through an answer
        (aws-samples/aws-genai-llm-chatbot#220).
        Source: docs/facts.md §1.3 (streaming caveat).
    """,
    known_problems="""
        Handling counts when the loop is inside a `try` whose `except` catches
        `EventStreamError`, `ClientError`, `BotoCoreError`, `Exception` (or is bare), when
        the loop looks for exception events by name, or when the loop's function is
        called from such a `try` in the same module (a generator consumed there). A
        generator that yields from the stream and is not called in the module is not
        reported: the code that iterates it is elsewhere and may handle the errors.
        Anthropic SDK and langchain-aws streams are not judged.
    """,
    bad="""
        import boto3

        client = boto3.client("bedrock-runtime")
        response = client.converse_stream(modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0", messages=[])
        for event in response["stream"]:
            if "contentBlockDelta" in event:
                print(event["contentBlockDelta"]["delta"]["text"], end="")
    """,
    good="""
        import boto3
        from botocore.exceptions import EventStreamError

        client = boto3.client("bedrock-runtime")
        response = client.converse_stream(modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0", messages=[])
        try:
            for event in response["stream"]:
                if "contentBlockDelta" in event:
                    print(event["contentBlockDelta"]["delta"]["text"], end="")
        except EventStreamError as error:
            print(f"stream failed: {error}")
    """,
)
def stream_error_unhandled(index: ModuleIndex, settings: Settings) -> Iterator[Report]:
    flow = responses_of(index)
    for loop in flow.event_stream_loops:
        if loop.handles_errors:
            continue
        yield Report(
            "BDR404",
            loop.loop,
            f"{loop.operation.operation} event stream is read without catching EventStreamError (never retried); "
            "catch it",
        )
