"""What a Bedrock call asks for, read from its arguments through value resolution.

The request-shape rules (issue: BDR2xx) will grow this into a full request model; for
now it answers the one question the model-id rules ask: the output-token cap of a call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bedrock_lint.analysis.values import DictValue, JsonText, Literal, Value, keyword_argument

if TYPE_CHECKING:
    from bedrock_lint.analysis.index import ClientSite, ModuleIndex, OperationCall

CONVERSE_OPERATIONS = frozenset({"converse", "converse_stream"})
INVOKE_OPERATIONS = frozenset({"invoke_model", "invoke_model_with_response_stream"})


def requested_max_tokens(index: "ModuleIndex", operation: "OperationCall | None", client: "ClientSite | None") -> int | None:
    """The literal output cap of a call: Converse ``inferenceConfig["maxTokens"]``, an
    InvokeModel body's ``max_tokens``, ``max_tokens=`` of AnthropicBedrock
    ``messages.create``, or ``max_tokens``/``model_kwargs["max_tokens"]`` of a
    langchain-aws model.  None when it is not set or not known."""
    if operation is not None:
        if operation.operation in CONVERSE_OPERATIONS:
            config = _keyword_value(index, operation.call, "inferenceConfig", operation.scope)
            return _entry_number(index, config, "maxTokens")
        if operation.operation in INVOKE_OPERATIONS:
            body = _keyword_value(index, operation.call, "body", operation.scope)
            return _entry_number(index, body.payload if isinstance(body, JsonText) else body, "max_tokens")
        if operation.operation.startswith("messages."):
            return _number(_keyword_value(index, operation.call, "max_tokens", operation.scope))
        return None
    if client is not None and client.kind == "langchain":
        direct = _number(_keyword_value(index, client.call, "max_tokens", client.scope))
        if direct is not None:
            return direct
        return _entry_number(index, _keyword_value(index, client.call, "model_kwargs", client.scope), "max_tokens")
    return None


def invoke_body_keys(index: "ModuleIndex", operation: "OperationCall | None") -> frozenset[str] | None:
    """The keys of an InvokeModel body written as a dict (``json.dumps({...})``), else None."""
    if operation is None or operation.operation not in INVOKE_OPERATIONS:
        return None
    body = _keyword_value(index, operation.call, "body", operation.scope)
    payload = body.payload if isinstance(body, JsonText) else body
    return frozenset(payload.entries) if isinstance(payload, DictValue) else None


def _keyword_value(index: "ModuleIndex", call, name: str, scope) -> Value | None:
    argument = keyword_argument(call, name)
    return index.resolve(argument.value, scope) if argument is not None else None


def _entry_number(index: "ModuleIndex", value: Value | None, key: str) -> int | None:
    if not isinstance(value, DictValue) or key not in value.entries:
        return None
    entry = value.entries[key]
    return _number(index.resolve(entry.value, entry.scope))


def _number(value: Value | None) -> int | None:
    if isinstance(value, Literal) and value.is_number and float(value.value).is_integer():  # type: ignore[arg-type]
        return int(value.value)  # type: ignore[arg-type]
    return None
