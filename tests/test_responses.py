"""The response flow of the index (analysis/responses.py): which values hold a Claude
response, where its text and stop reason are read, how code branches on the stop
reason, and which event-stream loops handle in-stream errors."""

from __future__ import annotations

import textwrap

import libcst as cst

from bedrock_lint.analysis.index import build_index
from bedrock_lint.analysis.responses import JSON, READ, responses_of

HEADER = """
import json
import boto3
from anthropic import AnthropicBedrock
client = boto3.client("bedrock-runtime")
MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
"""


def flow_of(source: str):
    text = textwrap.dedent(HEADER) + textwrap.dedent(source)
    index = build_index(cst.parse_module(text), text)
    return index, responses_of(index)


def _paths(reads):
    return sorted(read.value.path for read in reads)


def test_converse_text_and_stop_reason_reads():
    _, flow = flow_of(
        """
        r = client.converse(modelId=MODEL, messages=[])
        reason = r["stopReason"]
        text = r["output"]["message"]["content"][0]["text"]
        """
    )
    assert ("stopReason",) in _paths(flow.stop_reason_reads)
    assert ("output", "message", "content", "[]", "text") in _paths(flow.text_reads)


def test_invoke_body_is_followed_through_read_and_json_loads():
    _, flow = flow_of(
        """
        r = client.invoke_model(modelId=MODEL, body=json.dumps({"anthropic_version": "bedrock-2023-05-31"}))
        raw = r["body"].read().decode("utf-8")
        body = json.loads(raw)
        print(body.get("stop_reason"), body["content"][0]["text"])
        """
    )
    assert _paths(flow.stop_reason_reads) == [("body", READ, JSON, "stop_reason")]
    assert ("body", READ, JSON, "content", "[]", "text") in _paths(flow.text_reads)


def test_responses_followed_through_returns_and_parameters():
    _, flow = flow_of(
        """
        def call():
            return client.converse(modelId=MODEL, messages=[])

        def text_of(response):
            return response["output"]["message"]["content"][0]["text"]

        def main():
            return text_of(call())
        """
    )
    (read, *_) = flow.text_reads
    assert read.value.operation.operation == "converse"
    assert read.context.function.name == "text_of"


def test_a_parameter_filled_with_different_values_is_not_followed():
    _, flow = flow_of(
        """
        def text_of(response):
            return response["output"]["message"]["content"][0]["text"]

        text_of(client.converse(modelId=MODEL, messages=[]))
        text_of({"output": {}})
        """
    )
    assert flow.text_reads == []


def test_returned_or_passed_on_responses_escape_but_printed_ones_do_not():
    index, flow = flow_of(
        """
        def returned():
            r = client.converse(modelId=MODEL, messages=[])
            return r

        def passed(store):
            r = client.converse(modelId=MODEL, messages=[])
            store.save(r)

        def printed():
            r = client.converse(modelId=MODEL, messages=[])
            print(r)
        """
    )
    escaped = {function for function, _call in flow.escapes}
    names = {id(f.node): f.name for f in index.functions}
    assert {names[key] for key in escaped} == {"returned", "passed"}


def test_other_providers_and_unknown_plain_requests_are_not_followed():
    _, flow = flow_of(
        """
        def nova():
            r = client.converse(modelId="amazon.nova-pro-v1:0", messages=[])
            return r["output"]["message"]["content"][0]["text"]

        def unknown(model_id):
            r = client.converse(modelId=model_id, messages=[])
            return r["output"]["message"]["content"][0]["text"]

        def unknown_but_claude_shaped(model_id):
            r = client.converse(modelId=model_id, messages=[], additionalModelRequestFields={"thinking": {"type": "adaptive"}})
            return r["output"]["message"]["content"][0]["text"]
        """
    )
    assert [read.context.function.name for read in flow.text_reads][:1] == ["unknown_but_claude_shaped"]
    assert {read.context.function.name for read in flow.text_reads} == {"unknown_but_claude_shaped"}


def test_branching_collects_handled_values_and_generic_paths():
    _, flow = flow_of(
        """
        def positive():
            r = client.converse(modelId=MODEL, messages=[])
            if r["stopReason"] == "tool_use":
                pass
            elif r["stopReason"] in ("end_turn", "stop_sequence"):
                pass

        def negative():
            r = client.converse(modelId=MODEL, messages=[])
            if r["stopReason"] != "end_turn":
                raise RuntimeError()

        def else_logs(log):
            r = client.converse(modelId=MODEL, messages=[])
            if r["stopReason"] == "end_turn":
                pass
            else:
                log.warning("unexpected")

        def matched():
            r = client.converse(modelId=MODEL, messages=[])
            match r["stopReason"]:
                case "max_tokens" | "end_turn":
                    pass
        """
    )
    by_name = {b.operation.scope.function.name: b for b in flow.branchings.values()}
    assert by_name["positive"].handled == {"tool_use", "end_turn", "stop_sequence"} and not by_name["positive"].generic
    assert by_name["negative"].generic and not by_name["negative"].handled
    assert by_name["else_logs"].generic
    assert by_name["matched"].handled == {"max_tokens", "end_turn"} and not by_name["matched"].generic


def test_the_other_apis_key_is_found_with_its_literal():
    _, flow = flow_of(
        """
        r = client.converse(modelId=MODEL, messages=[])
        print(r.get("stop_reason"))
        """
    )
    (wrong,) = flow.other_api_key_reads
    assert wrong.key.value == '"stop_reason"' and wrong.correct_key == "stopReason"


def test_event_stream_loops_and_their_error_handling():
    _, flow = flow_of(
        """
        from botocore.exceptions import EventStreamError

        def bare():
            r = client.converse_stream(modelId=MODEL, messages=[])
            for event in r["stream"]:
                print(event)

        def guarded():
            r = client.converse_stream(modelId=MODEL, messages=[])
            try:
                for event in r["stream"]:
                    print(event)
            except EventStreamError:
                pass
        """
    )
    handled = {loop.operation.scope.function.name: loop.handles_errors for loop in flow.event_stream_loops}
    assert handled == {"bare": False, "guarded": True}


def test_docstrings_do_not_count_as_reading_the_stop_reason():
    index, _ = flow_of(
        '''
        def documented():
            """Returns the text; callers check stopReason."""

        def reads():
            return {}.get("stopReason")
        '''
    )
    names = {id(f.node): f.name for f in index.functions}
    assert {names.get(key) for key in index.sites.stop_reason_mentions} == {"reads"}


def test_for_targets_stand_for_the_items_of_their_iterable():
    index, flow = flow_of(
        """
        r = client.converse_stream(modelId=MODEL, messages=[])
        for event in r["stream"]:
            reason = event["messageStop"]["stopReason"]
        """
    )
    assert _paths(flow.stop_reason_reads) == [("stream", "[]", "messageStop", "stopReason")]
    # Value resolution still treats a loop variable as unknown.
    assert not index.resolve(cst.Name("event"), index.module_scope)


def test_very_long_chains_are_given_up_not_crashed_on():
    aliases = "\n".join(f"r{i} = r{i - 1}" for i in range(1, 400))
    _, flow = flow_of(
        f"""
r0 = client.converse(modelId=MODEL, messages=[])
{aliases}
r1a = r0
print(r399["output"]["message"]["content"][0]["text"], r1a["stopReason"])
"""
    )
    assert _paths(flow.stop_reason_reads) == [("stopReason",)]
    assert flow.text_reads == []
