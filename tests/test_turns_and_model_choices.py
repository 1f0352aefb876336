"""The analyses BDR504-BDR506 rest on: the last turn of a message list
(``analysis.conversation``) and the model ids that can reach a request
(``analysis.model_choices``)."""

from __future__ import annotations

import libcst as cst
import pytest

from bedrock_lint.analysis.conversation import last_turn
from bedrock_lint.analysis.index import build_index
from bedrock_lint.analysis.model_choices import model_choices
from bedrock_lint.analysis.requests import requests_of

HEADER = "import os\nimport boto3\nclient = boto3.client('bedrock-runtime')\nM = 'us.anthropic.claude-sonnet-4-6'\n"
USER = "{'role': 'user', 'content': 'hi'}"
ASSISTANT = "{'role': 'assistant', 'content': '{'}"


def _index_and_requests(code: str):
    text = HEADER + code
    index = build_index(cst.parse_module(text), text)
    return index, requests_of(index)


def last_role(code: str) -> str | None:
    index, (request, *_) = _index_and_requests(code)
    found = request.fields["messages"]
    turn = last_turn(index, found.value_node, found.scope)
    return turn.role if turn is not None else None


@pytest.mark.parametrize(
    ("code", "role"),
    [
        (f"client.converse(modelId=M, messages=[{USER}, {ASSISTANT}])\n", "assistant"),
        (f"client.converse(modelId=M, messages=[{ASSISTANT}, {USER}])\n", "user"),
        (f"msgs = [{USER}]\nmsgs.append({ASSISTANT})\nclient.converse(modelId=M, messages=msgs)\n", "assistant"),
        (f"def f(h):\n    return client.converse(modelId=M, messages=[*h, {ASSISTANT}])\n", "assistant"),
        (f"def f(h):\n    return client.converse(modelId=M, messages=h + [{ASSISTANT}])\n", "assistant"),
        # An append in a branch, after the call, or any other use of the list: unknown.
        (f"msgs = [{USER}]\nif os.environ.get('X'):\n    msgs.append({ASSISTANT})\nclient.converse(modelId=M, messages=msgs)\n", None),
        (f"msgs = [{ASSISTANT}]\nclient.converse(modelId=M, messages=msgs)\nmsgs.append({USER})\n", None),
        (f"msgs = [{USER}, {ASSISTANT}]\nmsgs.pop()\nclient.converse(modelId=M, messages=msgs)\n", None),
        (f"msgs = [{USER}, {ASSISTANT}]\nprint(msgs)\nclient.converse(modelId=M, messages=msgs)\n", None),
        (f"def f(h):\n    return client.converse(modelId=M, messages=[{USER}, *h])\n", None),
    ],
)
def test_last_turn(code, role):
    assert last_role(code) == role


def test_a_local_of_the_same_name_in_another_function_is_not_a_use():
    code = (
        f"msgs = [{USER}, {ASSISTANT}]\n"
        "def other():\n    msgs = []\n    return msgs\n"
        "client.converse(modelId=M, messages=msgs)\n"
    )
    assert last_role(code) == "assistant"


def choices(code: str) -> tuple[list[str], bool]:
    index, (request, *_) = _index_and_requests(code)
    found, several = model_choices(index, request)
    return [choice.model_id for choice in found], several


def test_one_literal_model():
    assert choices("client.converse(modelId=M, messages=[])\n") == (["us.anthropic.claude-sonnet-4-6"], False)


def test_a_name_bound_in_two_branches_gives_both_values():
    code = "if os.environ.get('X'):\n    m = 'a.one'\nelse:\n    m = 'a.two'\nclient.converse(modelId=m, messages=[])\n"
    assert choices(code) == (["a.one", "a.two"], True)


def test_a_routing_table_a_loop_and_a_parameter():
    assert choices("R = {'x': 'a.one', 'y': 'a.two'}\ndef f(k):\n    client.converse(modelId=R[k], messages=[])\n")[0] == ["a.one", "a.two"]
    assert choices("for m in ('a.one', 'a.two'):\n    client.converse(modelId=m, messages=[])\n")[0] == ["a.one", "a.two"]
    code = "def f(m='a.one'):\n    client.converse(modelId=m, messages=[])\nf('a.two')\nf(m='a.three')\n"
    assert choices(code)[0] == ["a.one", "a.two", "a.three"]


def test_an_arn_is_judged_by_its_model_part():
    arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-opus-4-6-v1"
    assert choices(f"client.converse(modelId='{arn}', messages=[])\n")[0] == ["us.anthropic.claude-opus-4-6-v1"]


def test_an_unknown_model_gives_no_choice():
    assert choices("client.converse(modelId=os.environ['MODEL'], messages=[])\n") == ([], False)
