"""Which requests the request-shape, caching and response rules judge (rules.md, Scope):
calls whose model resolves to an Anthropic model, or whose model is unknown when the
request itself is Anthropic-shaped (an ``anthropic_version`` body, a ``thinking`` block,
``anthropic_beta``).  Unknown means silent."""

from __future__ import annotations

from bedrock_lint.analysis.entry_points import strip_model_prefix
from bedrock_lint.analysis.requests import Request
from bedrock_lint.analysis.values import EnvironmentValue, Literal, PartialString, Value
from bedrock_lint.catalog.providers import model_provider


def model_text(value: Value) -> str | None:
    """The model id a value names: a literal, or an environment variable's fallback."""
    if isinstance(value, EnvironmentValue):
        return model_text(value.fallback)
    if isinstance(value, Literal) and isinstance(value.value, str):
        return strip_model_prefix(value.value)[1]  # LiteLLM "bedrock/…", pydantic-ai "bedrock:…"
    return None


def request_provider(request: Request) -> str | None:
    if request.api == "messages":
        return "anthropic"
    text = model_text(request.model)
    if text is None and isinstance(request.model, PartialString):
        text = request.model.known_text if "anthropic." in request.model.known_text else None
    return model_provider(text) if text else None


def is_in_scope(request: Request) -> bool:
    provider = request_provider(request)
    if provider == "anthropic":
        return True
    if provider is None:
        return (
            "anthropic_version" in request.fields
            or request.thinking() is not None
            or request.field_of("anthropic_beta") is not None
        )
    return False
