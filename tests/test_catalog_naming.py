"""Facts derived from a model id (shared by scripts/build_catalog.py and models --refresh)."""

from __future__ import annotations

import pytest

from bedrock_lint.catalog.naming import drop_shared_first_party_names, first_party_names, tier_of


@pytest.mark.parametrize(
    "model_id, expected",
    [
        ("anthropic.claude-3-5-haiku-20241022-v1:0", ("haiku", False)),
        ("anthropic.claude-sonnet-4-6", ("sonnet", False)),
        ("anthropic.claude-opus-4-6-v1", ("opus", False)),
        ("anthropic.claude-instant-v1", ("haiku", False)),
        ("anthropic.claude-fable-5", ("opus", True)),
        ("anthropic.claude-mythos-preview", ("opus", True)),
        ("anthropic.claude-v2:1", (None, False)),
    ],
)
def test_tier_of(model_id, expected):
    assert tier_of(model_id) == expected


@pytest.mark.parametrize(
    "model_id, expected",
    [
        ("anthropic.claude-sonnet-4-5-20250929-v1:0", ["claude-sonnet-4-5-20250929", "claude-sonnet-4-5"]),
        ("anthropic.claude-opus-4-6-v1", ["claude-opus-4-6"]),
        ("anthropic.claude-sonnet-4-6", ["claude-sonnet-4-6"]),
        ("anthropic.claude-v2:1", []),
        ("anthropic.claude-instant-v1", []),
    ],
)
def test_first_party_names(model_id, expected):
    assert first_party_names(model_id) == expected


def test_a_name_two_models_share_names_neither():
    models = [
        {"id": "anthropic.claude-3-5-sonnet-20240620-v1:0", "first_party_names": ["claude-3-5-sonnet-20240620", "claude-3-5-sonnet"]},
        {"id": "anthropic.claude-3-5-sonnet-20241022-v2:0", "first_party_names": ["claude-3-5-sonnet-20241022", "claude-3-5-sonnet"]},
    ]
    drop_shared_first_party_names(models)
    assert [m["first_party_names"] for m in models] == [["claude-3-5-sonnet-20240620"], ["claude-3-5-sonnet-20241022"]]


@pytest.mark.parametrize(
    ("model_id", "expected"),
    [
        ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic"),
        ("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0", "anthropic"),
        ("amazon.nova-pro-v1:0", "other"),
        # ARNs of kinds that never name Claude (docs/facts.md §2.7)
        ("arn:aws:bedrock:us-west-2:123456789012:imported-model/abcd1234", "other"),
        ("arn:aws:bedrock:us-east-1:123456789012:custom-model-deployment/x1y2", "other"),
        # a provisioned model or an application profile may serve Claude: not said
        ("arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc", None),
        ("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc", None),
        # placeholders that say an imported model goes there; others say nothing
        ("YOU-IMPORT-MODEL-ARN", "other"),
        ("<<replace with the imported bedrock model arn>>", "other"),
        ("<your model id>", None),
        ("important-model", None),
        # Hugging Face repositories are no Bedrock ids
        ("mistralai/Mistral-7B-v0.3", "other"),
        ("anthropic/claude-3-5-sonnet", None),
    ],
)
def test_model_provider(model_id, expected):
    from bedrock_lint.catalog.providers import model_provider

    assert model_provider(model_id) == expected
