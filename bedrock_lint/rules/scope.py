"""The requests rules judge (see ``analysis.scope``), and what the catalog knows of
their model."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Sequence

from bedrock_lint.analysis.model_choices import ModelChoice, model_choices
from bedrock_lint.analysis.requests import Request, request_for, requests_of
from bedrock_lint.analysis.scope import is_in_scope, model_text
from bedrock_lint.analysis.sites import ClientSite, ModuleIndex
from bedrock_lint.catalog.models import ClaudeModel, load_catalog
from bedrock_lint.rules.report import fitting
from bedrock_lint.settings import Settings


def anthropic_requests(index: ModuleIndex, *apis: str) -> Iterator[Request]:
    for request in requests_of(index):
        if (not apis or request.api in apis) and is_in_scope(request):
            yield request


def catalog_model(request: Request, settings: Settings) -> ClaudeModel | None:
    text = model_text(request.model)
    return load_catalog(settings.catalog).lookup(text) if text else None


@dataclass(frozen=True)
class Target:
    """A catalog model a request may be sent to, and how the code names it."""

    model: ClaudeModel
    choice: ModelChoice
    several: bool  # one of several literal values that can reach the call

    @property
    def name(self) -> str:
        return self.choice.model_id

    def labels(self) -> tuple[str, ...]:
        """How messages name the model, fullest first: the id as written (for one of
        several values: which one), then the catalog id without provider and profile,
        and last no name at all."""
        short = self.model.id.removeprefix("anthropic.")
        note = " (one of this call's models)" if self.several else ""
        return (f"{self.name}{note}", f"{short}{note}", short, "the model")

    def message(self, build) -> str:
        """``build(label)`` with the fullest label that fits on one line."""
        return fitting(*(build(label) for label in self.labels()))


def target_models(index: ModuleIndex, request: Request, settings: Settings) -> list[Target]:
    """Every catalog model the request may be sent to (rules.md, BDR5xx): the one its
    model resolves to, or each literal value of a variable with several that can reach
    the call (``analysis.model_choices``).  A value that does not resolve, or a model the
    catalog does not know, is no target: the rules judge the literal models they know
    and name the one that fails ("judge against each literal value that can reach the
    call"); a request with none keeps them silent."""
    catalog = load_catalog(settings.catalog)
    choices, several = model_choices(index, request)
    found = []
    for choice in choices:
        model = catalog.lookup(choice.model_id)
        if model is not None:
            found.append(Target(model, choice, several))
    return found


def targets_message(targets: Sequence[Target], *builds) -> str:
    """The first of ``build(label, s)`` for each label naming every target in ``targets``
    (the models that reject something), fullest label first, and for each label each of
    ``builds`` (fullest wording first), that fits on one line; ``s`` is the verb's
    ending ("rejects" for one model, "reject" for several)."""
    labels, s = target_labels(targets)
    return fitting(*(build(label, s) for label in labels for build in builds))


def target_labels(targets: Sequence[Target]) -> tuple[tuple[str, ...], str]:
    """How messages name the targets, fullest first (four ways), and the verb's ending."""
    if len(targets) == 1:
        return targets[0].labels(), "s"
    full = _joined([t.name for t in targets])
    short = _joined([t.model.id.removeprefix("anthropic.") for t in targets])
    note = " (of this call's models)"
    return (f"{full}{note}", f"{short}{note}", short, compact_label(targets)), ""


def compact_label(targets: Sequence[Target]) -> str:
    """The targets' catalog ids without provider, date and version: "claude-opus-4-1 and
    claude-3-haiku", for a line that names several."""
    return _joined([_compact(t.model.id.removeprefix("anthropic.")) for t in targets])


def _compact(name: str) -> str:
    for pattern, replacement in _COMPACT_PARTS:
        name = pattern.sub(replacement, name)
    return name


# The date and the first version of a catalog id, left out where several models are
# named in one line ("claude-opus-4-1 and claude-3-5-sonnet-v2").
_COMPACT_PARTS = (
    (re.compile(r"-\d{8}(?=-v\d)"), ""),
    (re.compile(r"(?<!^claude)-v1(:0)?$"), ""),
    (re.compile(r"(-v\d+):0$"), r"\1"),
)


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


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
