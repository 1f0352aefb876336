"""The requests rules judge (see ``analysis.scope``), and what the catalog knows of
their model."""

from __future__ import annotations

from typing import Iterator

from bedrock_lint.analysis.requests import Request, requests_of
from bedrock_lint.analysis.scope import is_in_scope, model_text
from bedrock_lint.analysis.sites import ModuleIndex
from bedrock_lint.catalog.models import ClaudeModel, load_catalog
from bedrock_lint.catalog.providers import arn_model_id
from bedrock_lint.settings import Settings


def anthropic_requests(index: ModuleIndex, *apis: str) -> Iterator[Request]:
    for request in requests_of(index):
        if (not apis or request.api in apis) and is_in_scope(request):
            yield request


def catalog_model(request: Request, settings: Settings) -> ClaudeModel | None:
    text = model_text(request.model)
    return load_catalog(settings.catalog).lookup(text) if text else None


def target_model(request: Request, settings: Settings) -> tuple[str, ClaudeModel] | None:
    """The model a request is sent to, as (the id as written, its catalog entry): the
    library prefix stripped, a profile prefix understood, and for a ``foundation-model/``
    or ``inference-profile/`` ARN its model part.  None when the catalog does not know it."""
    text = model_text(request.model)
    if text is None:
        return None
    text = arn_model_id(text) or text
    model = load_catalog(settings.catalog).lookup(text)
    return (text, model) if model is not None else None


def request_place(request: Request) -> str:
    """What messages call the request: ``converse``, ``messages.create``, ``ChatBedrock``."""
    if request.operation is not None:
        return request.operation.operation
    return request.client.constructor if request.client else "this call"
