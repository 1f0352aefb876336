"""What a Bedrock call asks for: the request model the request-shape rules read.

Every Bedrock call in the index gets a :class:`Request`, built on first use from the
call's arguments through value resolution:

- Converse (``converse``/``converse_stream``): its keyword arguments;
  ``inferenceConfig``, ``additionalModelRequestFields`` and ``toolConfig`` are dicts;
- InvokeModel (``invoke_model``/``invoke_model_with_response_stream``): the fields of
  the JSON body (``json.dumps(d)``, a variable holding the dict, ``dict(...)``, literal
  key updates in the same scope, or a JSON string literal);
- AnthropicBedrock ``messages.create``/``stream``: its keyword arguments (Messages API
  names);
- library entry points (analysis.entry_points): their keyword arguments, with the
  fields spelled as the row says — langchain-aws ``ChatBedrockConverse``
  (``additional_model_request_fields``, ``max_tokens``…), ``ChatBedrock``/``BedrockLLM``
  (``model_kwargs``…), Strands ``BedrockModel`` (``additional_request_fields``), LiteLLM
  ``completion`` (``thinking=``, ``temperature=``, ``top_p=``, ``top_k=``), LlamaIndex ``BedrockConverse`` (``thinking=``).

Questions rules ask are answered here in API-neutral terms (:meth:`Request.thinking`,
:meth:`Request.max_tokens`, :meth:`Request.sampling` …).  What cannot be resolved is
None: rules stay silent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from bedrock_lint.analysis.entry_points import Places
from bedrock_lint.analysis.model_objects import sends_generations
from bedrock_lint.analysis.values import (
    UNKNOWN,
    DictEntry,
    DictValue,
    JsonText,
    Literal,
    Value,
    keyword_argument,
)

if TYPE_CHECKING:
    from bedrock_lint.analysis.sites import ClientSite, ModuleIndex, OperationCall
    from bedrock_lint.analysis.scopes import Scope

CONVERSE_OPERATIONS = frozenset({"converse", "converse_stream"})
INVOKE_OPERATIONS = frozenset({"invoke_model", "invoke_model_with_response_stream"})
STREAMING_OPERATIONS = frozenset({"converse_stream", "invoke_model_with_response_stream", "messages.stream"})
SDK_OPERATIONS = frozenset({"messages.create", "messages.stream"})

# Where each bedrock-runtime API spells the fields the rules ask about: the places a
# field may be written, first match wins; (container, key), container None for a
# top-level field (keyword argument or body key).  Library entry points spell theirs in
# their row (analysis.entry_points ``fields``).
_SPELLING: dict[str, dict[str, Places]] = {
    "converse": {
        # Fields in additionalModelRequestFields go into the model's own request body, so
        # an Anthropic max_tokens there is the cap (docs/facts.md §2.2, §3).
        "max_tokens": (("inferenceConfig", "maxTokens"), ("additionalModelRequestFields", "max_tokens")),
        "temperature": (("inferenceConfig", "temperature"),),
        "top_p": (("inferenceConfig", "topP"),),
        "top_k": (("additionalModelRequestFields", "top_k"),),
        "thinking": (("additionalModelRequestFields", "thinking"),),
        "reasoning_config": (("additionalModelRequestFields", "reasoning_config"),),
        "anthropic_beta": (("additionalModelRequestFields", "anthropic_beta"),),
    },
    "messages": {name: ((None, name),) for name in ("max_tokens", "temperature", "top_p", "top_k", "thinking", "tool_choice")},
}
_SPELLING["invoke"] = {**_SPELLING["messages"], "anthropic_beta": ((None, "anthropic_beta"),)}
# Anthropic-defined tools (``{"type": "computer_20250124", …}``, docs/facts.md §10.5):
# in the Anthropic body, or passed through Converse's additionalModelRequestFields.
_SPELLING["converse"]["anthropic_tools"] = (("additionalModelRequestFields", "tools"),)
_SPELLING["messages"]["anthropic_tools"] = _SPELLING["invoke"]["anthropic_tools"] = ((None, "tools"),)


@dataclass(eq=False)
class Field:
    """One request field: its resolved value and where it is written."""

    name: str
    value: Value
    # The expression that gives the value, and the key or keyword naming it (None when
    # the key was set through ``d["k"] = v``); reports point at one of them.
    value_node: cst.BaseExpression
    key_node: cst.CSTNode | None
    scope: "Scope"

    @property
    def node(self) -> cst.CSTNode:
        return self.key_node or self.value_node


@dataclass(eq=False)
class Request:
    # "converse", "invoke", "messages" (AnthropicBedrock), or the ``api`` of a library
    # entry point's row ("langchain-converse", "langchain-invoke", "litellm" …).
    api: str
    call: cst.Call
    operation: "OperationCall | None"
    client: "ClientSite | None"
    model: Value
    # Converse/messages/langchain: keyword arguments; invoke: the body's fields.
    fields: dict[str, Field] = field(default_factory=dict)
    # False when ``**kwargs`` or unresolvable updates may add fields we cannot see.
    complete: bool = True
    # InvokeModel: the ``body=`` argument and its resolved value.
    body_argument: cst.Arg | None = None
    body_value: Value = UNKNOWN
    _index: "ModuleIndex | None" = field(default=None, repr=False)

    @property
    def streams(self) -> bool:
        if self.operation is not None and self.operation.operation in STREAMING_OPERATIONS:
            return True
        stream = self.fields.get("stream") if self.api == "messages" else None
        entry = self.client.entry if self.client is not None and self.operation is None else None
        if stream is None and entry is not None and entry.stream_keyword:
            stream = self.fields.get(entry.stream_keyword)
        return isinstance(stream, Field) and isinstance(stream.value, Literal) and stream.value.value is True

    # --------------------------------------------------------------- access
    def container(self, name: str) -> tuple[DictValue | None, Field | None]:
        """A dict-valued top-level field (``inferenceConfig``, ``model_kwargs`` …)."""
        found = self.fields.get(name)
        if found is None or not isinstance(found.value, DictValue):
            return None, found
        return found.value, found

    @property
    def spelling(self) -> dict[str, Places]:
        if self.operation is None and self.client is not None and self.client.entry is not None:
            return self.client.entry.fields  # type: ignore[return-value]
        return _SPELLING.get(self.api, {})

    def field_of(self, what: str) -> Field | None:
        """The field the API uses for ``what`` (``max_tokens``, ``thinking`` …)."""
        for container_name, key in self.spelling.get(what, ()):
            if container_name is None:
                found = self.fields.get(key)
                if found is not None:
                    return found
                continue
            container, _ = self.container(container_name)
            if container is not None and key in container.entries:
                return field_from_entry(self._index, container.entries[key])
        return None

    def value_of(self, what: str) -> Value:
        found = self.field_of(what)
        return found.value if found is not None else UNKNOWN

    def knows_absence_of(self, what: str) -> bool:
        """True when the request provably does not set ``what``."""
        places = self.spelling.get(what)
        if not self.complete or not places:
            return False
        return all(self._absent_at(container_name, key) for container_name, key in places)

    def _absent_at(self, container_name: str | None, key: str) -> bool:
        if container_name is None:
            given = self.fields.get(key)
            # A library keyword given as None is its default: nothing is sent
            # (langchain-aws max_tokens=None).
            library = self.operation is None and self.client is not None and self.client.entry is not None
            return given is None or (library and isinstance(given.value, Literal) and given.value.value is None)
        container, holder = self.container(container_name)
        if holder is None:
            return True
        return container is not None and container.complete and key not in container.entries

    def max_tokens(self) -> int | None:
        return literal_int(self.value_of("max_tokens"))

    def thinking(self) -> Field | None:
        """The thinking configuration (or Claude 3.7's ``reasoning_config`` alias)."""
        return self.field_of("thinking") or self.field_of("reasoning_config")

    def thinking_type(self) -> str | None:
        """``"enabled"``, ``"adaptive"``, ``"disabled"`` … when written as a literal."""
        found = self.thinking()
        if found is None or not isinstance(found.value, DictValue) or "type" not in found.value.entries:
            return None
        entry = found.value.entries["type"]
        value = self._index.resolve(entry.value, entry.scope) if self._index else UNKNOWN
        return value.value if isinstance(value, Literal) and isinstance(value.value, str) else None

    def anthropic_beta(self) -> list[str]:
        value = self.value_of("anthropic_beta")
        if self._index is None:
            return []
        from bedrock_lint.analysis.values import ListValue

        if isinstance(value, ListValue):
            found = []
            for item, scope in value.items:
                resolved = self._index.resolve(item, scope)
                if isinstance(resolved, Literal) and isinstance(resolved.value, str):
                    found.append(resolved.value)
            return found
        return []


def field_from_entry(index: "ModuleIndex | None", entry: DictEntry) -> Field:
    value = index.resolve(entry.value, entry.scope) if index is not None else UNKNOWN
    return Field(entry.key, value, entry.value, entry.key_node, entry.scope)


def literal_int(value: Value) -> int | None:
    if isinstance(value, Literal) and value.is_number and float(value.value).is_integer():  # type: ignore[arg-type]
        return int(value.value)  # type: ignore[arg-type]
    return None


def literal_number(value: Value) -> float | None:
    if isinstance(value, Literal) and value.is_number:
        return float(value.value)  # type: ignore[arg-type]
    return None


# ------------------------------------------------------------------ building
def requests_of(index: "ModuleIndex") -> list[Request]:
    """The request of every Bedrock call and langchain-aws model, built once per index."""
    return list(_requests_by_call(index).values())


def request_for(index: "ModuleIndex", call: cst.Call) -> Request | None:
    return _requests_by_call(index).get(id(call))


def _requests_by_call(index: "ModuleIndex") -> dict[int, Request]:
    found = index.derived.get("requests")
    if found is None:
        found = index.derived["requests"] = {id(request.call): request for request in build_requests(index)}
    return found


def build_requests(index: "ModuleIndex") -> list[Request]:
    requests = []
    for operation in index.operations:
        name = operation.operation
        if name in CONVERSE_OPERATIONS:
            requests.append(_keyword_request(index, "converse", operation.call, operation.scope, operation, operation.client))
        elif name in INVOKE_OPERATIONS:
            requests.append(_invoke_request(index, operation))
        elif name in SDK_OPERATIONS:
            requests.append(_keyword_request(index, "messages", operation.call, operation.scope, operation, operation.client))
    for client in index.clients:
        if client.entry is not None and client.entry.api is not None and sends_generations(index, client):
            requests.append(_keyword_request(index, client.entry.api, client.call, client.scope, None, client))
    return requests


def _keyword_request(index, api: str, call: cst.Call, scope, operation, client) -> Request:
    request = Request(api, call, operation, client, operation.model if operation else client.model, _index=index)
    # ``client.converse(**params)``: the keys of a dict the module builds are fields.
    splatted, request.complete = index.resolver.splat_entries(call, scope)
    for name, entry in splatted.items():
        request.fields[name] = field_from_entry(index, entry)
    for argument in call.args:
        if argument.keyword is None or argument.star:
            continue
        name = argument.keyword.value
        request.fields[name] = Field(name, index.resolve(argument.value, scope), argument.value, argument.keyword, scope)
    return request


def _invoke_request(index: "ModuleIndex", operation: "OperationCall") -> Request:
    request = Request("invoke", operation.call, operation, operation.client, operation.model, _index=index)
    request.complete = index.resolver.splat_entries(operation.call, operation.scope)[1]
    argument = keyword_argument(operation.call, "body")
    request.body_argument = argument
    body = index.resolver.keyword_entry(operation.call, "body", operation.scope)
    if body is None:
        request.complete = False
        return request
    value = index.resolve(body.value, body.scope)
    request.body_value = value
    payload = value.payload if isinstance(value, JsonText) else value
    if isinstance(payload, Literal) and isinstance(payload.value, (str, bytes)):
        payload = _json_literal(payload)
    if isinstance(payload, DictValue):
        request.complete = request.complete and payload.complete
        for key, entry in payload.entries.items():
            request.fields[key] = field_from_entry(index, entry)
    elif isinstance(payload, dict):
        for key, item in payload.items():
            request.fields[key] = Field(key, Literal(item, body.value), body.value, None, body.scope)
    else:
        request.complete = False
    return request


def _json_literal(literal: Literal) -> dict | None:
    """A JSON body written as a string literal: its parsed fields (positions are the
    literal's, values are plain Python)."""
    try:
        data = json.loads(literal.value)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None
