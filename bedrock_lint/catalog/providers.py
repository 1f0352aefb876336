"""Which provider a Bedrock model identifier belongs to, from its shape alone.

Bedrock ids are ``provider.model…``, optionally behind a geographic inference-profile
prefix (``us.``, ``eu.``, ``global.`` …) or inside an ARN.  Client rules use this to
skip clients that only ever call non-Anthropic models (Titan embeddings, Nova …).
"""

from __future__ import annotations

import re

PROFILE_PREFIXES = ("us-gov.", "us.", "eu.", "apac.", "jp.", "au.", "ca.", "global.")

# Provider segments that Bedrock model ids start with (other than anthropic).
OTHER_PROVIDERS = (
    "amazon", "cohere", "meta", "mistral", "ai21", "stability", "deepseek", "writer",
    "twelvelabs", "openai", "qwen", "luma", "moonshot", "minimax", "google", "nvidia",
)

_ARN_RESOURCE = re.compile(r"^arn:aws[\w-]*:(?:bedrock|sagemaker):[^:]*:[^:]*:([\w-]+)/(.+)$")

# ARN resource types that never name a Claude model: Custom Model Import takes open-weight
# architectures, on-demand custom deployments serve Nova fine-tunes (docs/facts.md §2.7).
NON_CLAUDE_RESOURCES = ("imported-model", "custom-model-deployment")
# The ``bedrock`` control plane's response fields that hold such an ARN (§2.7).
NON_CLAUDE_ARN_FIELDS = {"importedModelArn": "imported-model", "customModelDeploymentArn": "custom-model-deployment"}
# ``organisation/model``: a Hugging Face repository id (the weights an import job reads);
# Bedrock model ids have no slash outside ARNs (docs/facts.md §2.5).
_HUB_REPOSITORY = re.compile(r"[\w.-]+/[\w.-]+")
# A placeholder that says an imported model's ARN goes there ("<<replace with the imported
# bedrock model arn>>", "YOUR-IMPORTED-MODEL-ARN").
_IMPORTED_MODEL_PLACEHOLDER = re.compile(r"\bimport(?:ed)?[\s_-]+(?:[a-z]+[\s_-]+)?model\b", re.IGNORECASE)


def strip_profile_prefix(model_id: str) -> str:
    for prefix in PROFILE_PREFIXES:
        if model_id.startswith(prefix):
            return model_id[len(prefix):]
    return model_id


def arn_model_id(text: str) -> str | None:
    """The model a ``foundation-model/`` or ``inference-profile/`` ARN names
    (``us.anthropic.claude-…``); None for other text and other resource types."""
    arn = _ARN_RESOURCE.match(text.strip())
    if arn is None or arn.group(1) not in ("foundation-model", "inference-profile"):
        return None
    return arn.group(2)


def model_provider(model_id: str) -> str | None:
    """``"anthropic"``, ``"other"``, or None when the id does not say (application
    inference profiles, provisioned models, custom ids)."""
    from bedrock_lint.analysis.entry_points import strip_model_prefix

    value = strip_model_prefix(model_id.strip())[1]
    arn = _ARN_RESOURCE.match(value)
    if arn:
        resource_type, resource = arn.groups()
        if resource_type in NON_CLAUDE_RESOURCES:
            return "other"
        if resource_type not in ("foundation-model", "inference-profile"):
            return None
        value = resource
    value = strip_profile_prefix(value.lower())
    if value.startswith("anthropic.") or value.startswith("claude"):
        return "anthropic"
    if _HUB_REPOSITORY.fullmatch(value) and "claude" not in value and "anthropic" not in value:
        return "other"  # "mistralai/Mistral-7B-v0.3": a Hugging Face repository, no Bedrock id
    provider = value.split(".", 1)[0]
    if "." in value and provider in OTHER_PROVIDERS:
        return "other"
    if _IMPORTED_MODEL_PLACEHOLDER.search(value):
        return "other"
    return None


def non_claude_arn_placeholder(field: str) -> str | None:
    """The ARN a control-plane response field holds, written with placeholders
    (``importedModelArn`` → ``arn:aws:bedrock:<region>:<account>:imported-model/<id>``),
    or None for any other field."""
    kind = NON_CLAUDE_ARN_FIELDS.get(field)
    return None if kind is None else f"arn:aws:bedrock:<region>:<account>:{kind}/<id>"
