"""Model identifiers in a module: the strings that name a Claude model on Bedrock, and
the calls they are sent to.

Two ways make a string a model identifier:

- it reaches a model slot of a Bedrock call: ``modelId=`` of a bedrock-runtime
  operation, ``model=`` of AnthropicBedrock ``messages.create``/``stream``, or
  ``model``/``model_id`` of a langchain-aws class — directly, through a constant, a
  parameter default, ``os.environ.get("X", "fallback")`` (the fallback) or an f-string
  (its literal parts);
- it is shaped like a Bedrock Anthropic id (``[geo.]anthropic.claude-…``) or a Bedrock
  ARN anywhere a value is used.  Strings whose value is never used as data are not
  identifiers: docstrings and other bare strings, dict keys, comparison operands,
  strings inside ``assert`` statements, subscripts (``Literal[…]``, ``d["…"]``) and ``case`` patterns;
  elements of a list, tuple or set and the fields of a record that is one (a table of
  names or of capability rows) are judged only where they are sent.

Each identifier is recorded once, at the literal that holds it, with the slots it
reaches; the rules judge the text with the catalog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from bedrock_lint.analysis.entry_points import ModelArgument, strip_model_prefix
from bedrock_lint.analysis.model_objects import COUNTS, GENERATES, NOTHING, object_use
from bedrock_lint.catalog.models import split_profile
from bedrock_lint.catalog.naming import ANTHROPIC_ID, ARN_START
from bedrock_lint.analysis.values import EnvironmentValue, Literal, PartialString, Value, keyword_argument

if TYPE_CHECKING:
    from bedrock_lint.analysis.sites import ClientSite, ModuleIndex, OperationCall
    from bedrock_lint.analysis.scopes import Scope

# What makes an id-shaped string a complete identifier rather than a prefix or pattern
# (``"anthropic.claude-3"``): a version suffix, a date, or a tier name with a number.
_COMPLETE_ID = re.compile(r"-v\d+(?::\d+)?$|-preview$|-\d{8}$|(?:haiku|sonnet|opus|instant|fable|mythos)\b.*\d|\d.*\b(?:haiku|sonnet|opus|instant|fable|mythos)")
# An Anthropic API model name (``claude-sonnet-4-5``, ``claude-3-haiku-20240307``).
FIRST_PARTY_NAME = re.compile(r"claude-[a-z0-9.-]+")
# The model at the end of a foundation-model or inference-profile ARN.
_ARN_MODEL = re.compile(r"(?:^|:)(?P<type>foundation-model|inference-profile)/(?P<model>[^/]+)$")
# arn:partition:service:region:account:type/…
_ARN_RESOURCE = re.compile(r"^arn:[^:]*:[^:]*:[^:]*:[^:]*:(?P<type>[a-z-]+)/")

# ARN resource types a modelId can name (bedrock-runtime service model, modelId pattern).
MODEL_RESOURCE_TYPES = (
    "foundation-model", "inference-profile", "application-inference-profile", "provisioned-model",
    "custom-model-deployment", "imported-model", "custom-model", "prompt-router", "default-prompt-router", "prompt",
)

# Keyword that carries the model of a bedrock-runtime operation (library entry points
# name theirs in analysis.entry_points).
OPERATION_MODEL_KEYWORD = "modelId"


@dataclass(eq=False)
class ModelSlot:
    """A place where a model identifier is sent to Bedrock."""

    call: cst.Call
    argument: cst.Arg
    operation: "OperationCall | None"
    client: "ClientSite | None"
    # What the message calls it: "modelId of converse", "model of ChatBedrockConverse".
    description: str
    # How the identifier got there: "" (written at the argument), "MODEL_ID" (a
    # constant or variable), "the default of $BEDROCK_MODEL" (an environment fallback).
    via: str = ""
    # The same, for code: "argument", "environment" (a fallback written there), or
    # "name" with the name or attribute it was read from (``via_name``; None when the
    # argument is another expression).
    reached_by: str = "argument"
    via_name: str | None = None
    # How a library spells the id at this slot (prefixes such as LiteLLM's ``bedrock/``);
    # None for bedrock-runtime operations.
    spelling: ModelArgument | None = None
    # The model of a library object only used to count tokens (analysis.model_objects):
    # like ``count_tokens``, it takes the foundation-model id.
    counts_tokens: bool = False


@dataclass(eq=False)
class ModelIdString:
    """One identifier in the code, at the string literal that holds it."""

    # The literal: a SimpleString or FormattedStringText; another string expression
    # (implicit concatenation) when the identifier was folded from several pieces.
    node: cst.CSTNode
    # The identifier or ARN as it evaluates (for an ARN in an f-string, only the model part).
    text: str
    # Where ``text`` sits in the literal's source code, for edits; None when the source
    # spells it differently (escapes), so no fix is offered.
    source_span: tuple[int, int] | None
    # False when an unknown f-string hole comes right before it (``f"{geo}.anthropic…"``):
    # its profile prefix is then unknown.
    prefix_known: bool = True
    # "id" (an Anthropic id), "first-party" (an Anthropic API name) or "arn".
    kind: str = "id"
    # For an identifier in an ARN: the ARN's resource type ("foundation-model",
    # "inference-profile" …).
    arn_resource: str | None = None
    # The model identifier itself: ``text``, or for an ARN its foundation-model or
    # inference-profile part (None for other ARNs), with its span in the source.
    model_text: str | None = None
    model_span: tuple[int, int] | None = None
    slots: list[ModelSlot] = field(default_factory=list)
    # The library prefix written before the id (``bedrock/``, ``bedrock/converse/``,
    # ``bedrock:``): not part of ``text``; fixes edit only the id after it.
    library_prefix: str = ""

    def __post_init__(self) -> None:
        if self.kind != "arn":
            self.model_text, self.model_span = self.text, self.source_span
            return
        resource = _ARN_RESOURCE.match(self.text)
        if resource is None:
            return
        self.arn_resource = resource.group("type")
        model = _ARN_MODEL.search(self.text)
        if model is not None and "*" not in model.group("model"):
            self.model_text = model.group("model")
            if self.source_span is not None:
                offset = self.source_span[0]
                self.model_span = (offset + model.start("model"), offset + model.end("model"))

    def with_model(self, new_model: str) -> str | None:
        """The literal's source with the model identifier replaced by ``new_model``;
        None when the source cannot be edited that way."""
        source = _source_of(self.node)
        if self.model_span is None or source is None:
            return None
        start, end = self.model_span
        return source[:start] + new_model + source[end:]


def _source_of(node: cst.CSTNode) -> str | None:
    if isinstance(node, (cst.SimpleString, cst.FormattedStringText)):
        return node.value
    return None


def looks_like_model_arn(text: str) -> bool:
    """An ARN of a resource that can be a ``modelId`` (other Bedrock ARNs — guardrails,
    knowledge bases, agents — are not model identifiers)."""
    return text.startswith(ARN_START) and any(f"{kind}/" in text for kind in MODEL_RESOURCE_TYPES)


def _kind_of(text: str) -> str | None:
    if text.startswith(ARN_START):
        return "arn"
    if ANTHROPIC_ID.fullmatch(text):
        return "id"
    if FIRST_PARTY_NAME.fullmatch(text):
        return "first-party"
    return None


def _split(full: str, spelling: ModelArgument | None) -> tuple[str, str] | None:
    """(library prefix, id) of a model string as ``spelling`` takes it (any known library
    prefix when there is no spelling); None when it is not sent to Bedrock there."""
    if spelling is None:
        return strip_model_prefix(full)
    return spelling.strip(full)


def _from_simple_string(node: cst.SimpleString, *, shape_only: bool, spelling: ModelArgument | None = None) -> ModelIdString | None:
    try:
        full = node.evaluated_value
    except Exception:  # noqa: BLE001 - odd prefixes: not an identifier we can judge
        return None
    if not isinstance(full, str):
        return None
    split = _split(full, spelling)
    if split is None:
        return None
    library_prefix, text = split
    kind = _kind_of(text)
    if kind is None:
        return None
    if kind == "first-party" and not library_prefix and spelling is not None and spelling.unprefixed != "any":
        return None  # LiteLLM completion(model="claude-…") goes to the Anthropic API
    if shape_only and (
        kind == "first-party"
        or (kind == "arn" and not looks_like_model_arn(text))
        or (kind == "id" and not _COMPLETE_ID.search(text))
    ):
        return None
    raw = node.raw_value
    span = None
    if raw == full:
        offset = len(node.prefix) + len(node.quote) + len(library_prefix)
        span = (offset, offset + len(text))
    return ModelIdString(node, text, span, kind=kind, library_prefix=library_prefix)


def _from_formatted_string(node: cst.FormattedString) -> list[ModelIdString]:
    """The identifier at the end of an f-string's last literal part:
    ``f"{geo}.anthropic.claude-…"`` (prefix unknown), or the model of an ARN with holes,
    ``f"arn:aws:bedrock:{region}:{account}:inference-profile/us.anthropic.claude-…"``."""
    parts = node.parts
    if not parts or not isinstance(parts[-1], cst.FormattedStringText):
        return []
    last = parts[-1]
    text = last.value.replace("{{", "{").replace("}}", "}")
    arn_resource = None
    library_prefix = ""
    if len(parts) == 1:
        library_prefix, model = strip_model_prefix(text)
        start, prefix_known = len(library_prefix), True
    else:
        arn_model = _ARN_MODEL.search(text)
        match = arn_model or re.search(r"(?:^|(?<=[./]))(?P<model>" + ANTHROPIC_ID.pattern + ")$", text)
        if match is None:
            return []
        start, model = match.start("model"), match.group("model")
        if arn_model:
            arn_resource = arn_model.group("type")
        # After a hole the prefix is unknown unless the id spells one (``…/us.anthropic.…``)
        # or it is the model of an ARN resource.
        prefix_known = bool(arn_model) or split_profile(model).prefix is not None
    if not ANTHROPIC_ID.fullmatch(model):
        return []
    span = (start, start + len(model)) if last.value == text else None
    return [
        ModelIdString(last, model, span, prefix_known=prefix_known, kind="id", arn_resource=arn_resource, library_prefix=library_prefix)
    ]


def model_ids_of(index: "ModuleIndex") -> list[ModelIdString]:
    """Every model identifier in the module and where it is sent, collected once per index."""
    found = index.derived.get("model_ids")
    if found is None:
        found = index.derived["model_ids"] = collect_model_ids(index)
    return found


def collect_model_ids(index: "ModuleIndex") -> list[ModelIdString]:
    by_node: dict[int, list[ModelIdString]] = {}
    ordered: list[ModelIdString] = []

    def add(key: cst.CSTNode, records: list[ModelIdString]) -> None:
        by_node[id(key)] = records
        ordered.extend(records)

    for node, _scope in index.model_strings:
        if id(node) in index.collection_elements:
            continue  # STREAMING_MODELS = (...): a table of names; judged only where sent
        if isinstance(node, cst.SimpleString):
            record = _from_simple_string(node, shape_only=True)
            if record is not None:
                add(node, [record])
        else:
            records = _from_formatted_string(node)
            if records:
                add(node, records)

    unsent: set[int] = set()
    for slot, value in _slots(index):
        use = object_use(index, slot.client) if slot.client is not None and slot.operation is None else GENERATES
        if use == NOTHING:
            # The model of an object that sends nothing: test data, like a table of names.
            unsent.update(id(node) for node in _literal_nodes(value))
            continue
        slot.counts_tokens = use == COUNTS
        for node in _literal_nodes(value):
            if id(node) in index.resolver.imported:
                continue  # an imported id is judged where it is written, once (analysis.project)
            records = by_node.get(id(node))
            if records is None:
                records = _records_for_flow(node, slot.spelling)
                if not records:
                    continue
                add(node, records)
            for record in records:
                if not any(existing.argument is slot.argument for existing in record.slots):
                    record.slots.append(slot)
    return [record for record in ordered if record.slots or id(record.node) not in unsent]


def _records_for_flow(node: cst.CSTNode, spelling: ModelArgument | None) -> list[ModelIdString]:
    """Records for a literal that was not found by its shape: an Anthropic API name, or
    an identifier folded from several pieces."""
    if isinstance(node, cst.SimpleString):
        record = _from_simple_string(node, shape_only=False, spelling=spelling)
        return [record] if record is not None else []
    if isinstance(node, cst.FormattedString):
        return _from_formatted_string(node)
    return []


def _literal_nodes(value: Value) -> list[cst.CSTNode]:
    if isinstance(value, EnvironmentValue):
        return _literal_nodes(value.fallback)
    if isinstance(value, Literal) and isinstance(value.value, str):
        return [value.node]
    if isinstance(value, PartialString) and isinstance(value.node, cst.FormattedString):
        return [value.node]
    return []


def _slots(index: "ModuleIndex"):
    """Every model slot of the module's Bedrock calls, with the resolved value sent there."""
    from bedrock_lint.analysis.bedrock import follow_path, model_argument

    for operation in index.operations:
        entry = operation.client.entry if operation.client is not None else None
        keyword = entry.method_model_keyword if entry is not None and operation.operation in entry.model_methods else OPERATION_MODEL_KEYWORD
        argument = keyword_argument(operation.call, keyword)  # type: ignore[arg-type]
        if argument is None:
            continue
        description = f"{keyword} of {operation.operation}"
        yield _slot(index, operation.call, argument, argument.value, operation.scope, description, operation, operation.client)
    for client in index.clients:
        entry = client.entry
        if entry is None:
            continue
        for spelling in entry.model:
            argument = model_argument(client.call, spelling)
            if argument is None:
                continue
            name = argument.keyword.value if argument.keyword is not None else spelling.keyword or "model"
            description = f"{name} of {client.constructor}"
            if not spelling.path:
                yield _slot(index, client.call, argument, argument.value, client.scope, description, None, client, spelling)
                continue
            value = index.resolve(argument.value, client.scope)
            for expression, scope in follow_path(index, value, spelling.path):
                yield _slot(index, client.call, argument, expression, scope, description, None, client, spelling)


def _slot(index, call, argument, expr, scope: "Scope", description, operation, client, spelling=None) -> tuple[ModelSlot, Value]:
    value = index.resolve(expr, scope)
    slot = ModelSlot(call, argument, operation, client, description, spelling=spelling)
    if isinstance(value, EnvironmentValue):
        slot.via = f"the default of ${value.variable}" if value.variable else "an environment default"
        slot.reached_by = "environment"
    elif not (isinstance(value, (Literal, PartialString)) and value.node is expr):
        slot.via = index.code_for(expr).strip()
        slot.reached_by = "name"
        if isinstance(expr, cst.Attribute):
            slot.via_name = expr.attr.value
        elif isinstance(expr, cst.Name):
            slot.via_name = expr.value
    return slot, value
