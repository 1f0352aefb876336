"""The requests rules judge (see ``analysis.scope``), and what the catalog knows of
their model."""

from __future__ import annotations

from typing import Iterator

from bedrock_lint.analysis.requests import Request, request_for, requests_of
from bedrock_lint.analysis.scope import is_in_scope, model_text
from bedrock_lint.analysis.sites import ClientSite, ModuleIndex
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


# The Anthropic SDK's estimate (anthropic 2.12.0, lib/bedrock and _base_client): a
# request may take 60 minutes per 128,000 output tokens (docs/facts.md §5.1).
SDK_SECONDS_PER_TOKEN = 3600 / 128_000


def output_budget(request: Request, settings: Settings) -> tuple[int, bool] | None:
    """The most tokens the request may generate: its ``max_tokens``, or the model's
    output cap when the request provably sets none (Bedrock then lets the answer run
    to it); and whether that is the cap.  None when not known."""
    max_tokens = request.max_tokens()
    if max_tokens is not None:
        return max_tokens, False
    if request.api != "messages" and request.knows_absence_of("max_tokens"):
        model = catalog_model(request, settings)
        if model is not None and model.max_output_tokens and not model.is_uncertain("max_output"):
            return model.max_output_tokens, True
    return None


def seconds_needed(request: Request, settings: Settings) -> float | None:
    """How long a non-streaming request may take to answer (the SDK's estimate)."""
    budget = output_budget(request, settings)
    return SDK_SECONDS_PER_TOKEN * budget[0] if budget is not None else None


def _answer_seconds(index: ModuleIndex, client: ClientSite, settings: Settings) -> list[float | None]:
    """For each call of this client in this module, how long it may wait for its answer:
    0 when it streams, None when its request or output budget is not known."""
    found: list[float | None] = []
    for operation in client.operations:
        request = request_for(index, operation.call)
        found.append(None if request is None else 0.0 if request.streams else seconds_needed(request, settings))
    return found


def longest_answer(index: ModuleIndex, client: ClientSite, settings: Settings) -> float | None:
    """The longest a non-streaming call of this client in this module may wait for its
    answer (0 when it only streams); None when it has no calls or one whose output
    budget is not known."""
    seconds = _answer_seconds(index, client, settings)
    if not seconds or None in seconds:
        return None
    return max(seconds)  # type: ignore[type-var]


def read_timeout_needed(index: ModuleIndex, client: ClientSite, settings: Settings) -> float:
    """The read timeout to suggest for a client: the minimum setting, or more where one
    of its non-streaming calls in this module may take longer, rounded up to the minute
    (so a fix that sets it leaves no BDR206 behind)."""
    known = [seconds for seconds in _answer_seconds(index, client, settings) if seconds is not None]
    longest = max(known, default=0.0)
    return round_up_to_minute(longest) if longest > settings.min_read_timeout else settings.min_read_timeout


def round_up_to_minute(seconds: float) -> int:
    return int(-(-seconds // 60) * 60)
