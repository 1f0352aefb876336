"""Which strings the index takes for model identifiers, and where it sees them sent."""

from __future__ import annotations

import libcst as cst

from bedrock_lint.analysis.index import build_index
from bedrock_lint.analysis.model_ids import model_ids_of


def model_ids(code: str) -> dict[str, object]:
    index = build_index(cst.parse_module(code), code)
    return {record.text: record for record in model_ids_of(index)}


HEADER = "import os\nimport boto3\nclient = boto3.client('bedrock-runtime')\n"


def test_strings_whose_value_is_not_used_are_not_ids():
    found = model_ids(
        '"""Uses anthropic.claude-3-haiku-20240307-v1:0."""\n'
        'PRICES = {"anthropic.claude-v2": 1}\n'
        'ok = model == "anthropic.claude-v2:1"\n'
        'old = model in ("anthropic.claude-instant-v1",)\n'
        'legacy = model.startswith("anthropic.claude-3-5-sonnet-20240620")\n'
        'price = PRICES.get("anthropic.claude-3-opus-20240229-v1:0")\n'
        'from typing import Literal\nKnown = Literal["anthropic.claude-3-sonnet-20240229-v1:0"]\n'
        'PREFIX = "anthropic.claude-3"\n'
        'match model:\n    case "anthropic.claude-3-7-sonnet-20250219-v1:0":\n        pass\n'
    )
    assert found == {}


def test_strings_shaped_like_ids_are_ids_even_when_not_sent():
    found = model_ids(
        'DEFAULT = "us.anthropic.claude-sonnet-4-6"\n'
        'BY_TIER = {"fast": "anthropic.claude-3-haiku-20240307-v1:0"}\n'
    )
    assert set(found) == {"us.anthropic.claude-sonnet-4-6", "anthropic.claude-3-haiku-20240307-v1:0"}
    assert not any(record.slots for record in found.values())


def test_elements_of_lists_tuples_and_sets_are_ids_only_where_sent():
    found = model_ids(
        HEADER
        + 'STREAMING = ("anthropic.claude-v2", "anthropic.claude-3-haiku-20240307-v1:0")\n'
        + 'CHOICES = ["us.anthropic.claude-sonnet-4-6"]\n'
        + "for model in CHOICES:\n    pass\n"
        + 'client.converse(modelId=["x", "us.anthropic.claude-opus-4-8"][1], messages=[])\n'
    )
    assert found == {}


def test_slots_and_how_the_id_got_there():
    found = model_ids(
        HEADER
        + 'MODEL = "anthropic.claude-sonnet-4-6"\n'
        + "client.converse(modelId=MODEL, messages=[])\n"
        + 'client.converse(modelId=os.environ.get("FAST", "anthropic.claude-haiku-4-5-20251001-v1:0"), messages=[])\n'
        + 'client.converse(modelId="us.anthropic.claude-opus-4-8", messages=[])\n'
    )
    assert [s.via for s in found["anthropic.claude-sonnet-4-6"].slots] == ["MODEL"]
    assert [s.via for s in found["anthropic.claude-haiku-4-5-20251001-v1:0"].slots] == ["the default of $FAST"]
    assert [s.via for s in found["us.anthropic.claude-opus-4-8"].slots] == [""]
    assert [(s.reached_by, s.via_name) for s in found["anthropic.claude-sonnet-4-6"].slots] == [("name", "MODEL")]
    assert [s.reached_by for s in found["anthropic.claude-haiku-4-5-20251001-v1:0"].slots] == ["environment"]
    assert [s.reached_by for s in found["us.anthropic.claude-opus-4-8"].slots] == ["argument"]
    assert found["us.anthropic.claude-opus-4-8"].slots[0].description == "modelId of converse"


def test_anthropic_api_names_are_ids_only_where_sent_to_bedrock():
    found = model_ids(
        HEADER
        + 'client.converse(modelId="claude-sonnet-4-5", messages=[])\n'
        + 'DISPLAY = "claude-opus-4-8"\n'
        + "import anthropic\nanthropic.Anthropic().messages.create(model='claude-haiku-4-5', max_tokens=1, messages=[])\n"
    )
    assert set(found) == {"claude-sonnet-4-5"}
    assert found["claude-sonnet-4-5"].kind == "first-party"


def test_f_string_ids_keep_their_known_part_and_whether_the_prefix_is_known():
    found = model_ids(
        HEADER
        + 'geo = os.environ["GEO"]\n'
        + 'client.converse(modelId=f"{geo}.anthropic.claude-sonnet-4-6", messages=[])\n'
        + 'account = os.environ["ACCOUNT"]\n'
        + 'client.converse(modelId=f"arn:aws:bedrock:us-east-1:{account}:inference-profile/us.anthropic.claude-opus-4-8", messages=[])\n'
        + 'version = os.environ["V"]\n'
        + 'client.converse(modelId=f"anthropic.claude-sonnet-{version}", messages=[])\n'
    )
    assert set(found) == {"anthropic.claude-sonnet-4-6", "us.anthropic.claude-opus-4-8"}
    assert found["anthropic.claude-sonnet-4-6"].prefix_known is False
    assert found["us.anthropic.claude-opus-4-8"].arn_resource == "inference-profile"
    # The edit lands inside the literal part of the f-string.
    assert found["anthropic.claude-sonnet-4-6"].with_model("anthropic.claude-sonnet-5") == ".anthropic.claude-sonnet-5"


def test_arns_name_their_model_part():
    found = model_ids(
        'A = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6"\n'
        'B = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6"\n'
        'C = "arn:aws:bedrock:us-east-1:123456789012:guardrail/abc"\n'
        'D = "arn:aws:s3:::bucket"\n'
    )
    assert set(found) == {
        "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6",
        "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6",
    }
    foundation = found["arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6"]
    assert (foundation.kind, foundation.arn_resource, foundation.model_text) == (
        "arn", "foundation-model", "anthropic.claude-sonnet-4-6"
    )
    application = found["arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6"]
    assert application.arn_resource == "application-inference-profile" and application.model_text is None


def test_langchain_and_anthropic_bedrock_slots():
    found = model_ids(
        "from anthropic import AnthropicBedrock\nfrom langchain_aws import ChatBedrock\n"
        "AnthropicBedrock().messages.create(model='us.anthropic.claude-sonnet-4-6', max_tokens=1, messages=[])\n"
        "ChatBedrock(model_id='us.anthropic.claude-opus-4-8', base_model_id='anthropic.claude-opus-4-8')\n"
    )
    assert found["us.anthropic.claude-sonnet-4-6"].slots[0].description == "model of messages.create"
    assert found["us.anthropic.claude-opus-4-8"].slots[0].description == "model_id of ChatBedrock"
    assert not found["anthropic.claude-opus-4-8"].slots  # base_model_id is not where the model is sent


def test_escaped_literals_are_reported_but_not_edited():
    found = model_ids(HEADER + 'client.converse(modelId="anthropic.claude-sonnet-4\\x2d6", messages=[])\n')
    record = found["anthropic.claude-sonnet-4-6"]
    assert record.slots and record.with_model("us.anthropic.claude-sonnet-4-6") is None
