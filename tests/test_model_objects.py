"""What a library model object is used for (analysis.model_objects), on its own."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from bedrock_lint.analysis.index import build_index
from bedrock_lint.analysis.model_objects import object_use

STRANDS = "import pytest\nfrom strands import Agent\nfrom strands.models.bedrock import BedrockModel\n"
LANGCHAIN = "from langchain_aws import ChatBedrockConverse\n"


def _uses(code: str, filename: str = "test_models.py") -> list[str]:
    text = textwrap.dedent(code)
    index = build_index(cst.parse_module(text), text, filename)
    return [object_use(index, client) for client in sorted(index.clients, key=lambda c: index.code_for(c.call))]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # Followed through a local name.
        (STRANDS + "def t():\n    m = BedrockModel(model_id='x')\n    m._get_additional_request_fields(None)\n", "nothing"),
        (STRANDS + "def t():\n    m = BedrockModel(model_id='x')\n    m.format_request([])\n    m.get_config()\n", "nothing"),
        (STRANDS + "async def t():\n    m = BedrockModel(model_id='x')\n    await m.count_tokens(messages=[])\n", "counts"),
        (STRANDS + "def t():\n    m = BedrockModel(model_id='x')\n    m.count_tokens()\n    m.stream([])\n", "generates"),
        (STRANDS + "def t():\n    BedrockModel(model_id='x')\n", "nothing"),
        (LANGCHAIN + "def t():\n    c = ChatBedrockConverse(model='x')\n    c.get_num_tokens_from_messages([])\n", "counts"),
        (LANGCHAIN + "def t():\n    c = ChatBedrockConverse(model='x')\n    c._generate([])\n", "generates"),
        (LANGCHAIN + "def t():\n    c = ChatBedrockConverse(model='x')\n    c.bind_tools([]).invoke('hi')\n", "generates"),
        # Uses that are not followed: the object may generate.
        (LANGCHAIN + "def t():\n    c = ChatBedrockConverse(model='x')\n    c.client.converse(modelId='x', messages=[])\n", "generates"),
        (STRANDS + "def t():\n    m = BedrockModel(model_id='x')\n    Agent(model=m)('hi')\n", "generates"),
        (STRANDS + "def t():\n    m = BedrockModel(model_id='x')\n    return m\n", "generates"),
        (STRANDS + "def t():\n    m = BedrockModel(model_id='x')\n    m = other()\n    m._x()\n", "generates"),
        (STRANDS + "m = BedrockModel(model_id='x')\nm._get_additional_request_fields(None)\n", "generates"),
        (STRANDS + "class C:\n    def __init__(self):\n        self.m = BedrockModel(model_id='x')\n", "generates"),
        # Through pytest fixtures.
        (STRANDS + "@pytest.fixture\ndef m():\n    return BedrockModel(model_id='x')\ndef test_a(m):\n    m._get_additional_request_fields(None)\n", "nothing"),
        (STRANDS + "@pytest.fixture\ndef m():\n    yield BedrockModel(model_id='x')\ndef test_a(m):\n    m.count_tokens()\n", "counts"),
        (STRANDS + "@pytest.fixture\ndef m():\n    model = BedrockModel(model_id='x')\n    return model\ndef test_a(m):\n    m.count_tokens()\n", "counts"),
        (STRANDS + "@pytest.fixture\ndef m():\n    return BedrockModel(model_id='x')\ndef test_a(m):\n    m._x()\ndef test_b(m):\n    m.stream([])\n", "generates"),
        (STRANDS + "@pytest.fixture\ndef m():\n    return BedrockModel(model_id='x')\n@pytest.fixture\ndef agent(m):\n    return Agent(model=m)\n", "generates"),
        (STRANDS + "@pytest.fixture(name='n')\ndef m():\n    return BedrockModel(model_id='x')\ndef test_a(n):\n    n._x()\n", "generates"),
        (STRANDS + "def m():\n    return BedrockModel(model_id='x')\ndef test_a(m):\n    m._x()\n", "generates"),
        (STRANDS + "@pytest.fixture\ndef m(request):\n    return BedrockModel(model_id='x')\ndef test_a(request):\n    request.getfixturevalue('m').stream([])\n", "generates"),
        # A class fixture reaches only the class's tests; a class with bases may inherit tests.
        (STRANDS + "class T:\n    @pytest.fixture\n    def m(self):\n        return BedrockModel(model_id='x')\n    def test_a(self, m):\n        m.count_tokens()\nclass U:\n    def test_b(self, m):\n        m.stream([])\n", "counts"),
        (STRANDS + "class T(Base):\n    @pytest.fixture\n    def m(self):\n        return BedrockModel(model_id='x')\n    def test_a(self, m):\n        m.count_tokens()\n", "generates"),
        (STRANDS + "@pytest.fixture\ndef m():\n    return BedrockModel(model_id='x')\nclass T(Base):\n    pass\ndef test_a(m):\n    m._x()\n", "generates"),
    ],
)
def test_object_use(code, expected):
    assert _uses(code) == [expected]


def test_a_conftest_fixture_may_reach_other_modules():
    code = STRANDS + "@pytest.fixture\ndef m():\n    return BedrockModel(model_id='x')\ndef test_a(m):\n    m._x()\n"
    assert _uses(code, "tests/conftest.py") == ["generates"]


def test_rows_without_methods_always_generate():
    code = "import anthropic\ndef t():\n    c = anthropic.AnthropicBedrock()\n    c._private()\n"
    assert _uses(code) == ["generates"]
