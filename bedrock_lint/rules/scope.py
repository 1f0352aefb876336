"""Which requests the request-shape, caching and response rules judge (rules.md, Scope):
calls whose model resolves to an Anthropic model, or whose model is unknown when the
request itself is Anthropic-shaped (an ``anthropic_version`` body, a ``thinking`` block).
Unknown means silent."""

from __future__ import annotations

from typing import Iterator

from bedrock_lint.analysis.index import ModuleIndex
from bedrock_lint.analysis.requests import Request
from bedrock_lint.analysis.values import EnvironmentValue, Literal, PartialString, Value
from bedrock_lint.catalog.models import ClaudeModel, load_catalog
from bedrock_lint.catalog.providers import model_provider
from bedrock_lint.settings import Settings


def model_text(value: Value) -> str | None:
    """The model id a value names: a literal, or an environment variable's fallback."""
    if isinstance(value, EnvironmentValue):
        return model_text(value.fallback)
    if isinstance(value, Literal) and isinstance(value.value, str):
        return value.value
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
        return "anthropic_version" in request.fields or request.thinking() is not None
    return False


def anthropic_requests(index: ModuleIndex, *apis: str) -> Iterator[Request]:
    for request in index.requests():
        if (not apis or request.api in apis) and is_in_scope(request):
            yield request


def catalog_model(request: Request, settings: Settings) -> ClaudeModel | None:
    text = model_text(request.model)
    return load_catalog(settings.catalog).lookup(text) if text else None


def request_place(request: Request) -> str:
    """What messages call the request: ``converse``, ``messages.create``, ``ChatBedrock``."""
    if request.operation is not None:
        return request.operation.operation
    return request.client.constructor if request.client else "this call"
