"""The prefilter: which files are parsed at all."""

from __future__ import annotations

import pytest

from bedrock_lint.engine.prefilter import may_use_bedrock


@pytest.mark.parametrize(
    "text",
    [
        'boto3.client("bedrock-runtime")',
        "import boto3\nclient = session.client(SERVICE)",
        "from botocore.config import Config\nConfig(300)",
        "import aioboto3",
        "from aiobotocore.session import get_session",
        "from anthropic import AnthropicBedrock",
        "from langchain_aws import ChatBedrockConverse",
        'MODEL = "us.anthropic.claude-sonnet-4-6"',
        'ARN = "arn:aws:bedrock:us-east-1::foundation-model/x"',
    ],
)
def test_files_that_may_reach_bedrock_are_parsed(text):
    assert may_use_bedrock(text)


@pytest.mark.parametrize(
    "text",
    [
        "import os\nprint('hello')",
        "import anthropic\nanthropic.Anthropic().messages.create(model=MODEL)",
        "from openai import OpenAI",
        "import requests",
    ],
)
def test_other_files_are_not(text):
    assert not may_use_bedrock(text)


def test_a_module_of_a_project_that_calls_an_operation_is_parsed():
    """Its client may come from another module of the project (issue 23)."""
    text = "from service.clients import runtime\nruntime.converse(modelId=MODEL_ID, messages=[])\n"
    assert not may_use_bedrock(text)
    assert may_use_bedrock(text, in_project=True)
    assert may_use_bedrock("runtime.invoke_model_with_response_stream(body=b)", in_project=True)
    assert not may_use_bedrock("import json\nprint('conversation')", in_project=True)
