"""The semantic index: which calls are Bedrock clients, configs and operations, and how
they are linked (analysis/index.py, analysis/bedrock.py)."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from bedrock_lint.analysis.index import build_index


def index_of(source: str):
    text = textwrap.dedent(source)
    return build_index(cst.parse_module(text), text)


@pytest.mark.parametrize(
    "source, kind, constructor",
    [
        ('import boto3\nc = boto3.client("bedrock-runtime")', "boto3", "boto3.client"),
        ('import boto3 as b\nc = b.client(service_name="bedrock-runtime")', "boto3", "boto3.client"),
        ('from boto3 import client\nc = client("bedrock-runtime")', "boto3", "boto3.client"),
        ('from boto3.session import Session\nc = Session().client("bedrock-runtime")', "boto3", "boto3.session.Session().client"),
        ('import boto3\ns = boto3.Session(profile_name="x")\nc = s.client("bedrock-runtime")', "boto3", "boto3.Session().client"),
        ('import botocore.session\nc = botocore.session.get_session().create_client("bedrock-runtime")', "botocore", "botocore.session.get_session().create_client"),
        ('from anthropic import AnthropicBedrock\nc = AnthropicBedrock()', "anthropic", "AnthropicBedrock"),
        ('import anthropic\nc = anthropic.AsyncAnthropicBedrock()', "anthropic", "AsyncAnthropicBedrock"),
        ('from langchain_aws import ChatBedrockConverse\nm = ChatBedrockConverse(model="x")', "langchain", "ChatBedrockConverse"),
        ('from langchain_aws.chat_models.bedrock import ChatBedrock as CB\nm = CB(model_id="x")', "langchain", "ChatBedrock"),
    ],
)
def test_client_constructors(source, kind, constructor):
    index = index_of(source)
    assert [(c.kind, c.constructor) for c in index.clients] == [(kind, constructor)]


@pytest.mark.parametrize(
    "source",
    [
        'import boto3\nc = boto3.client("s3")',
        'import boto3\nc = boto3.client("bedrock")',  # the control plane, not the runtime
        'import boto3\nc = boto3.client(service)',  # unknown service: silent
        'class Fake:\n    def client(self, name):\n        pass\nc = Fake().client("bedrock-runtime")',
    ],
)
def test_not_bedrock_clients(source):
    assert index_of(source).clients == []


def test_operations_link_to_clients_through_self_attributes():
    index = index_of(
        """
        import boto3

        class Assistant:
            def __init__(self):
                self.runtime = boto3.client("bedrock-runtime")
                self.model_id = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"

            def ask(self, messages):
                return self.runtime.converse(modelId=self.model_id, messages=messages)
        """
    )
    (client,) = index.clients
    (operation,) = index.operations
    assert operation.client is client and client.operations == [operation]
    assert operation.operation == "converse"
    assert operation.model_provider == "anthropic"


def test_async_with_client_and_anthropic_messages():
    index = index_of(
        """
        import aioboto3
        from anthropic import AnthropicBedrock

        sdk = AnthropicBedrock(aws_region="us-west-2")

        async def run():
            session = aioboto3.Session()
            async with session.client("bedrock-runtime") as runtime:
                await runtime.converse_stream(modelId="amazon.nova-pro-v1:0", messages=[])
            sdk.messages.create(model="us.anthropic.claude-haiku-4-5-20251001-v1:0", max_tokens=10, messages=[])
        """
    )
    kinds = {c.kind: c for c in index.clients}
    assert set(kinds) == {"aioboto3", "anthropic"}
    assert [op.operation for op in kinds["aioboto3"].operations] == ["converse_stream"]
    assert kinds["aioboto3"].only_calls_other_providers
    assert [op.operation for op in kinds["anthropic"].operations] == ["messages.create"]
    assert not kinds["anthropic"].only_calls_other_providers


def test_config_is_attached_through_a_module_variable():
    index = index_of(
        """
        import boto3
        from botocore.config import Config as C

        RUNTIME_CONFIG = C(read_timeout=900)
        client = boto3.client("bedrock-runtime", config=RUNTIME_CONFIG)
        """
    )
    (client,) = index.clients
    assert client.config_state == "known"
    assert client.config is not None and client.config.keyword("read_timeout") is not None


@pytest.mark.parametrize(
    "argument, state",
    [("", "absent"), ("config=None", "absent"), ("config=make_config()", "unknown"), ("**options", "unknown")],
)
def test_config_states(argument, state):
    index = index_of(f'import boto3\nclient = boto3.client("bedrock-runtime", {argument})\n')
    assert index.clients[0].config_state == state


def test_parameter_defaulting_to_none_is_unknown_not_absent():
    index = index_of(
        """
        import boto3

        def make(config=None):
            return boto3.client("bedrock-runtime", config=config)
        """
    )
    assert index.clients[0].config_state == "unknown"


def test_langchain_model_decides_scope():
    index = index_of('from langchain_aws import ChatBedrockConverse\nm = ChatBedrockConverse(model="us.amazon.nova-pro-v1:0")\n')
    assert index.clients[0].only_calls_other_providers


def test_distinctive_operations_on_unknown_receivers_are_recorded():
    index = index_of("def ask(runtime):\n    return runtime.invoke_model(modelId='anthropic.claude-v2', body='{}')\n")
    (operation,) = index.operations
    assert operation.client is None and operation.model_provider == "anthropic"
    # A generic method name on an unknown receiver is not a Bedrock call.
    assert index_of("def f(x):\n    return x.count_tokens(modelId='m')\n").operations == []


HELPER_BODY = """
import json
import boto3

class Embedder:
    def __init__(self, model):
        self.model = model
        self.client = boto3.client("bedrock-runtime")

    def call(self, text):
        body = self._body(text)
        return self.client.invoke_model(body=body, modelId=self.model)

    def _body(self, text):
        {fields}
"""


@pytest.mark.parametrize(
    ("fields", "provider"),
    [
        ('return json.dumps({"inputText": text})', "other"),
        ('b = {"texts": [text]}\n        b["input_type"] = "search_document"\n        return json.dumps(b)', "other"),
        ('return json.dumps({"inputText": text, "messages": [], "max_tokens": 10})', None),
        ('return json.dumps({"anthropic_version": "bedrock-2023-05-31", "messages": [], "max_tokens": 10})', None),
    ],
)
def test_invoke_body_built_by_a_helper_method(fields, provider):
    index = index_of(HELPER_BODY.replace("{fields}", fields))
    (operation,) = [op for op in index.operations if op.operation == "invoke_model"]
    assert operation.body_provider == provider
