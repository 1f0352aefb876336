"""Value resolution, one form at a time (analysis/values.py)."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from bedrock_lint.analysis.index import build_index
from bedrock_lint.analysis.values import (
    UNKNOWN,
    CallResult,
    DictValue,
    EnvironmentValue,
    JsonText,
    ListValue,
    Literal,
    PartialString,
)


def resolve_in(source: str, expression: str, function: str | None = None):
    """Resolve ``expression`` as if written at the end of ``function`` (or module level)."""
    text = textwrap.dedent(source)
    index = build_index(cst.parse_module(text), text)
    scope = index.module_scope
    if function is not None:
        matches = [f for f in index.functions if f.name == function]
        assert matches, f"no function {function}"
        scope = matches[0].scope
    return index.resolver.resolve(cst.parse_expression(expression), scope)


def literal(value):
    assert isinstance(value, Literal), value
    return value.value


def test_literals():
    assert literal(resolve_in("", '"bedrock-runtime"')) == "bedrock-runtime"
    assert literal(resolve_in("", "300")) == 300
    assert literal(resolve_in("", "60.5")) == 60.5
    assert literal(resolve_in("", "-1")) == -1
    assert literal(resolve_in("", "True")) is True
    assert literal(resolve_in("", "None")) is None


def test_module_constant():
    assert literal(resolve_in('REGION = "eu-west-1"\n', "REGION")) == "eu-west-1"


def test_name_bound_twice_is_unknown():
    source = """
        REGION = "eu-west-1"
        if flag:
            REGION = "us-east-1"
    """
    assert resolve_in(source, "REGION") is UNKNOWN


def test_local_shadows_module_constant():
    source = """
        TIMEOUT = 300
        def make():
            TIMEOUT = 30
    """
    assert literal(resolve_in(source, "TIMEOUT", "make")) == 30
    assert literal(resolve_in(source, "TIMEOUT")) == 300


def test_global_declaration_assigns_module_name():
    source = """
        def configure():
            global REGION
            REGION = "ap-northeast-1"
    """
    assert literal(resolve_in(source, "REGION")) == "ap-northeast-1"


def test_function_parameter_default():
    source = """
        def make(timeout=45, region="us-west-2"):
            pass
    """
    assert literal(resolve_in(source, "timeout", "make")) == 45
    assert literal(resolve_in(source, "region", "make")) == "us-west-2"


def test_parameter_without_default_is_unknown():
    assert resolve_in("def make(region):\n    pass\n", "region", "make") is UNKNOWN


def test_default_is_evaluated_in_defining_scope():
    source = """
        DEFAULT_MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
        def ask(model=DEFAULT_MODEL):
            DEFAULT_MODEL = "shadow"
    """
    assert literal(resolve_in(source, "model", "ask")) == "anthropic.claude-3-haiku-20240307-v1:0"


def test_class_attribute_through_self():
    source = """
        class Bot:
            def __init__(self):
                self.model = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
            def ask(self):
                pass
    """
    assert literal(resolve_in(source, "self.model", "ask")) == "us.anthropic.claude-sonnet-4-5-20250929-v1:0"


def test_class_body_attribute_through_self_and_class_name():
    source = """
        class Settings:
            region = "eu-central-1"
            def show(self):
                pass
    """
    assert literal(resolve_in(source, "self.region", "show")) == "eu-central-1"
    assert literal(resolve_in(source, "Settings.region")) == "eu-central-1"


def test_self_attribute_assigned_twice_is_unknown():
    source = """
        class Bot:
            def __init__(self):
                self.model = "a"
            def switch(self):
                self.model = "b"
            def ask(self):
                pass
    """
    assert resolve_in(source, "self.model", "ask") is UNKNOWN


def test_environment_get_with_fallback():
    value = resolve_in("import os\n", 'os.environ.get("AWS_REGION", "us-east-1")')
    assert isinstance(value, EnvironmentValue)
    assert value.variable == "AWS_REGION"
    assert literal(value.fallback) == "us-east-1"


def test_getenv_and_aliased_environ():
    value = resolve_in("from os import getenv\n", 'getenv("MODEL_ID", "anthropic.claude-v2")')
    assert isinstance(value, EnvironmentValue) and value.variable == "MODEL_ID"
    assert literal(value.fallback) == "anthropic.claude-v2"
    value = resolve_in("from os import environ\n", 'environ["AWS_REGION"]')
    assert isinstance(value, EnvironmentValue) and value.fallback is UNKNOWN


def test_environment_value_through_constant():
    source = """
        import os
        REGION = os.getenv("AWS_REGION", default="us-east-2")
    """
    value = resolve_in(source, "REGION")
    assert isinstance(value, EnvironmentValue)
    assert literal(value.fallback) == "us-east-2"


def test_fstring_fully_known():
    source = """
        GEO = "us"
        BASE = "anthropic.claude-sonnet-4-5-20250929-v1:0"
    """
    assert literal(resolve_in(source, 'f"{GEO}.{BASE}"')) == "us.anthropic.claude-sonnet-4-5-20250929-v1:0"


def test_fstring_partially_known():
    value = resolve_in("def f(geo):\n    pass\n", 'f"{geo}.anthropic.claude-sonnet-4-6"', "f")
    assert isinstance(value, PartialString)
    assert value.parts == (None, ".anthropic.claude-sonnet-4-6")


def test_string_concatenation():
    source = 'PREFIX = "us."\n'
    assert literal(resolve_in(source, 'PREFIX + "anthropic.claude-opus-4-6-v1"')) == "us.anthropic.claude-opus-4-6-v1"
    assert literal(resolve_in("", '"anthropic." "claude-v2"')) == "anthropic.claude-v2"


def test_dict_literal_and_dict_call():
    value = resolve_in("", '{"mode": "adaptive", "max_attempts": 5}')
    assert isinstance(value, DictValue) and value.complete
    assert set(value.entries) == {"mode", "max_attempts"}
    value = resolve_in("", "dict(max_attempts=3)")
    assert isinstance(value, DictValue) and set(value.entries) == {"max_attempts"}


def test_dict_splat_is_incomplete():
    value = resolve_in("BASE = {}\n", '{**BASE, "mode": "standard"}')
    assert isinstance(value, DictValue) and not value.complete


def test_dict_updates_by_literal_key():
    source = """
        def build():
            body = {"anthropic_version": "bedrock-2023-05-31"}
            body["max_tokens"] = 512
    """
    value = resolve_in(source, "body", "build")
    assert isinstance(value, DictValue) and value.complete
    assert set(value.entries) == {"anthropic_version", "max_tokens"}
    assert literal(resolve_in(source, 'body["max_tokens"]', "build")) == 512


def test_dict_update_call_makes_it_incomplete():
    source = """
        def build(extra):
            body = {"max_tokens": 10}
            body.update(extra)
    """
    value = resolve_in(source, "body", "build")
    assert isinstance(value, DictValue) and not value.complete


def test_json_dumps_of_a_dict():
    source = """
        import json
        def build():
            body = {"max_tokens": 100}
    """
    value = resolve_in(source, "json.dumps(body)", "build")
    assert isinstance(value, JsonText)
    assert isinstance(value.payload, DictValue) and "max_tokens" in value.payload.entries


def test_list_literal():
    value = resolve_in("", '[{"text": "hi"}, {"cachePoint": {"type": "default"}}]')
    assert isinstance(value, ListValue) and value.complete and len(value.items) == 2


def test_other_calls_keep_their_qualified_name():
    value = resolve_in("import boto3 as b\n", 'b.client("bedrock-runtime")')
    assert isinstance(value, CallResult) and value.qualified_name == "boto3.client"


def test_with_binding_resolves_to_context_expression():
    source = """
        import aioboto3
        async def run():
            session = aioboto3.Session()
            async with session.client("bedrock-runtime") as client:
                pass
    """
    text = textwrap.dedent(source)
    index = build_index(cst.parse_module(text), text)
    scope = next(f for f in index.functions if f.name == "run").scope
    definition = index.resolver.definition_of(cst.parse_expression("client"), scope)
    assert definition is not None and isinstance(definition[0], cst.Call)
    assert index.resolver.qualified_name(definition[0].func.value, scope) is None  # a local session, not an import


@pytest.mark.parametrize(
    "imports, expression, expected",
    [
        ("import boto3 as b", "b.client", "boto3.client"),
        ("from boto3 import client", "client", "boto3.client"),
        ("from boto3 import client as make", "make", "boto3.client"),
        ("from boto3.session import Session", "Session", "boto3.session.Session"),
        ("from botocore.config import Config as C", "C", "botocore.config.Config"),
        ("import botocore.config", "botocore.config.Config", "botocore.config.Config"),
        ("import os.path", "os.environ.get", "os.environ.get"),
    ],
)
def test_qualified_names_through_imports(imports, expression, expected):
    text = imports + "\n"
    index = build_index(cst.parse_module(text), text)
    assert index.resolver.qualified_name(cst.parse_expression(expression), index.module_scope) == expected


def test_unresolvable_call_result_and_names():
    assert resolve_in("", "undefined_name") is UNKNOWN
    assert resolve_in("def f():\n    pass\n", "f().x") is UNKNOWN


def test_cycles_do_not_loop_forever():
    source = """
        a = b
        b = a
    """
    assert resolve_in(source, "a") is UNKNOWN


def test_a_global_declared_but_never_bound_is_unknown():
    # Found by bench/fuzz.py (a mutant of fixtures/rules/BDR005/clean.py): building the
    # index raised KeyError on the name.
    source = """
        import boto3

        def handler(event, context):
            global _client
            return _client.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0", messages=[])
    """
    assert resolve_in(source, "_client", "handler") is UNKNOWN
