"""The request model: what each Bedrock call asks for, through value resolution."""

from __future__ import annotations

import libcst as cst

from bedrock_lint.analysis.index import build_index
from bedrock_lint.analysis.requests import requests_of

HEADER = "import json\nimport boto3\nclient = boto3.client('bedrock-runtime')\nM = 'us.anthropic.claude-sonnet-4-6'\n"


def requests(code: str) -> list:
    index = build_index(cst.parse_module(HEADER + code), HEADER + code)
    return requests_of(index)


def test_converse_fields_and_containers():
    (request,) = requests(
        "client.converse(modelId=M, messages=[], inferenceConfig={'maxTokens': 512, 'temperature': 0.2},"
        " additionalModelRequestFields={'thinking': {'type': 'adaptive'}, 'top_k': 5})\n"
    )
    assert request.api == "converse"
    assert request.max_tokens() == 512
    assert request.field_of("temperature").value.value == 0.2
    assert request.field_of("top_k").value.value == 5
    assert request.thinking_type() == "adaptive"
    assert not request.streams


def test_invoke_body_through_variables_updates_and_json_dumps():
    (request,) = requests(
        "body = {'anthropic_version': 'bedrock-2023-05-31', 'messages': []}\n"
        "body['max_tokens'] = 2048\n"
        "body['thinking'] = {'type': 'enabled', 'budget_tokens': 1024}\n"
        "client.invoke_model_with_response_stream(modelId=M, body=json.dumps(body))\n"
    )
    assert request.api == "invoke" and request.complete
    assert set(request.fields) == {"anthropic_version", "messages", "max_tokens", "thinking"}
    assert request.max_tokens() == 2048 and request.thinking_type() == "enabled"
    assert request.streams


def test_a_json_string_body_is_read():
    (request,) = requests("client.invoke_model(modelId=M, body='{\"anthropic_version\": \"x\", \"max_tokens\": 7}')\n")
    assert request.max_tokens() == 7 and "anthropic_version" in request.fields


def test_unknown_bodies_and_kwargs_are_incomplete():
    (built,) = requests("from app import build\nclient.invoke_model(modelId=M, body=build())\n")
    assert not built.complete and built.fields == {}
    (splat,) = requests("def f(**kw):\n    client.converse(modelId=M, **kw)\n")
    assert not splat.complete
    assert not splat.knows_absence_of("max_tokens")


def test_absence_is_known_only_for_complete_requests():
    (request,) = requests("client.converse(modelId=M, messages=[], inferenceConfig={'temperature': 0})\n")
    assert request.knows_absence_of("max_tokens")
    (spread,) = requests("BASE = {}\nclient.converse(modelId=M, messages=[], inferenceConfig={**BASE})\n")
    assert not spread.knows_absence_of("max_tokens")


def test_anthropic_bedrock_and_langchain_requests():
    found = requests(
        "from anthropic import AnthropicBedrock\nfrom langchain_aws import ChatBedrock, ChatBedrockConverse\n"
        "AnthropicBedrock().messages.create(model=M, max_tokens=100, stream=True, messages=[])\n"
        "ChatBedrockConverse(model=M, max_tokens=300, additional_model_request_fields={'thinking': {'type': 'adaptive'}})\n"
        "ChatBedrock(model_id=M, model_kwargs={'max_tokens': 50, 'thinking': {'type': 'enabled', 'budget_tokens': 1024}})\n"
    )
    by_api = {request.api: request for request in found}
    assert by_api["messages"].max_tokens() == 100 and by_api["messages"].streams
    assert by_api["langchain-converse"].max_tokens() == 300
    assert by_api["langchain-converse"].thinking_type() == "adaptive"
    assert by_api["langchain-invoke"].max_tokens() == 50
    assert by_api["langchain-invoke"].thinking_type() == "enabled"


def test_no_request_shape_finding_comes_from_an_unresolved_value():
    from bedrock_lint.engine.analyse import analyse_text
    from bedrock_lint.engine.source import source_from_bytes
    from bedrock_lint.settings import Settings

    code = HEADER + (
        "from app.bodies import build_body, build_config, build_system\n"
        "client.invoke_model(modelId=M, body=build_body('hello'))\n"
        "client.converse(modelId=M, messages=build_body('x'), inferenceConfig=build_config(), system=build_system())\n"
    )
    codes = frozenset({"BDR201", "BDR202", "BDR203", "BDR204", "BDR206", "BDR301", "BDR302", "BDR303", "BDR304", "BDR305"})
    analysis = analyse_text(source_from_bytes(code.encode(), "app.py"), Settings(), codes)
    assert analysis.findings == [] and not analysis.internal_errors
