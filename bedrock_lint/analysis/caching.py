"""The prompt-cache layout of a request: its tools, system and message blocks in the
order the model reads them, their text (static or changing per request), and the cache
markers among them.

Converse marks a cache point with a block of its own, ``{"cachePoint": {"type":
"default"}}``, in ``system``, ``messages[].content`` or ``toolConfig.tools``; the
Anthropic body (InvokeModel, AnthropicBedrock) marks the block it is on with
``"cache_control": {"type": "ephemeral"}`` (docs/facts.md §2.3, §3).  Both forms are
recorded wherever they appear, so the rules can tell a misplaced form from a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from bedrock_lint.analysis.model_objects import sends_generations
from bedrock_lint.analysis.prompts import DYNAMIC, PromptText, resolve_text, structure_text
from bedrock_lint.analysis.requests import field_from_entry
from bedrock_lint.analysis.values import DictValue, ListValue
from bedrock_lint.analysis.walk import iter_children

if TYPE_CHECKING:
    from bedrock_lint.analysis.sites import ModuleIndex
    from bedrock_lint.analysis.requests import Field, Request

AREAS = ("tools", "system", "messages")


@dataclass(eq=False)
class Block:
    area: str  # "tools", "system" or "messages"
    # The block as written (a dict literal, or the string of a plain string system).
    node: cst.BaseExpression
    text: PromptText
    # "cachePoint" (a Converse marker block), "cache_control" (an Anthropic marker on
    # this block) or None.
    marker: str | None = None
    # The marker's own dict ({"type": …, "ttl": …}) and its node.
    marker_value: DictValue | None = None
    marker_node: cst.BaseExpression | None = None
    value: DictValue | None = None
    # The text is not known and is computed per call (from a parameter, a local or a
    # call made in the function); text unknown but fixed at import time is not.
    varies: bool = False


@dataclass(eq=False)
class AreaLayout:
    area: str
    field: "Field"
    blocks: list[Block] = field(default_factory=list)
    # Every block is known (the list is complete and each item resolved).
    complete: bool = True
    # The list literal as written at the request (fixes edit it), when it is.
    literal: cst.List | None = None


@dataclass(eq=False)
class CacheLayout:
    request: "Request"
    form: str  # "converse" or "anthropic": the marker form the API takes
    areas: dict[str, AreaLayout] = field(default_factory=dict)

    def blocks(self) -> list[Block]:
        return [block for area in AREAS if area in self.areas for block in self.areas[area].blocks]

    def markers(self) -> list[Block]:
        return [block for block in self.blocks() if block.marker is not None]


def cache_layout(index: "ModuleIndex", request: "Request") -> CacheLayout | None:
    """The request's layout (None for an API without prompt caching); worked out once
    per request and kept on the index: the caching rules each ask for every request."""
    return index.remembered("cache_layouts", request, lambda: _cache_layout(index, request))


def _cache_layout(index: "ModuleIndex", request: "Request") -> CacheLayout | None:
    if request.api == "converse":
        layout = CacheLayout(request, "converse")
        tool_config, _ = request.container("toolConfig")
        if tool_config is not None and "tools" in tool_config.entries:
            _add_area(index, layout, "tools", field_from_entry(index, tool_config.entries["tools"]))
    elif request.api in ("invoke", "messages"):
        layout = CacheLayout(request, "anthropic")
        if "tools" in request.fields:
            _add_area(index, layout, "tools", request.fields["tools"])
    else:
        return None
    if "system" in request.fields:
        _add_area(index, layout, "system", request.fields["system"])
    if "messages" in request.fields:
        _add_area(index, layout, "messages", request.fields["messages"])
    return layout


def _add_area(index: "ModuleIndex", layout: CacheLayout, area: str, found: "Field") -> None:
    result = AreaLayout(area, found)
    layout.areas[area] = result
    value = found.value
    if area == "system" and not isinstance(value, ListValue):
        # A plain string system prompt (the Anthropic body and the SDK accept one).
        text = resolve_text(index, found.value_node, found.scope)
        if text is DYNAMIC:
            result.complete = False
            return
        result.blocks.append(Block(area, found.value_node, text, varies=not text.is_static and varies_per_call(index, found.value_node, found.scope)))
        return
    if not isinstance(value, ListValue):
        result.complete = False
        return
    result.complete = value.complete
    if isinstance(value.node, cst.List):
        result.literal = value.node
    items = value.items
    if area == "messages":
        for item, scope in items:
            message = index.resolve(item, scope)
            if not isinstance(message, DictValue) or "content" not in message.entries:
                result.complete = False
                continue
            entry = message.entries["content"]
            content = index.resolve(entry.value, entry.scope)
            if isinstance(content, ListValue):
                for block_item, block_scope in content.items:
                    result.blocks.append(_block(index, area, block_item, block_scope, layout.form))
            else:
                result.blocks.append(Block(area, entry.value, resolve_text(index, entry.value, entry.scope)))
        return
    for item, scope in items:
        result.blocks.append(_block(index, area, item, scope, layout.form))


def _block(index: "ModuleIndex", area: str, item: cst.BaseExpression, scope, form: str) -> Block:
    value = index.resolve(item, scope)
    if not isinstance(value, DictValue):
        return Block(area, item, DYNAMIC)
    block = Block(area, item, DYNAMIC, value=value)
    entries = value.entries
    if "cachePoint" in entries:
        entry = entries["cachePoint"]
        marker = index.resolve(entry.value, entry.scope)
        block.marker, block.marker_node = "cachePoint", entry.value
        block.marker_value = marker if isinstance(marker, DictValue) else None
        block.text = PromptText(("",))
        return block
    if "cache_control" in entries:
        entry = entries["cache_control"]
        marker = index.resolve(entry.value, entry.scope)
        block.marker, block.marker_node = "cache_control", entry.value
        block.marker_value = marker if isinstance(marker, DictValue) else None
    if "text" in entries and (area != "tools"):
        entry = entries["text"]
        block.text = resolve_text(index, entry.value, entry.scope)
        block.varies = not block.text.is_static and varies_per_call(index, entry.value, entry.scope)
    else:
        parts: list[str | None] = []
        for key, entry in entries.items():
            if key != "cache_control":
                parts.extend(structure_text(index, entry.value, entry.scope).parts)
        block.text = PromptText(tuple(parts) if value.complete else (*parts, None))
        block.varies = not block.text.is_static and varies_per_call(index, item, scope)
    return block


def varies_per_call(index: "ModuleIndex", expr: cst.BaseExpression, scope, depth: int = 0) -> bool:
    """Whether ``expr`` can differ between calls of the function it is in: it uses a
    parameter or a local (followed to its definition), or calls something there."""
    if depth > 8 or scope is None or scope.kind == "module":
        return False
    stack: list[cst.CSTNode] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Call):
            return True
        if isinstance(node, cst.Name):
            owner = scope.lookup_scope(node.value)
            if owner is not None and owner.kind in ("function", "comprehension"):
                bindings = owner.bindings.get(node.value) or []
                if len(bindings) != 1 or bindings[0].kind != "assign" or bindings[0].value is None:
                    return True  # a parameter, or a name rebound in the function
                if varies_per_call(index, bindings[0].value, owner, depth + 1):
                    return True
            continue
        if isinstance(node, cst.Attribute):
            stack.append(node.value)
            continue
        stack.extend(iter_children(node))
    return False


# ----------------------------------------------------------------- library caching
@dataclass(eq=False)
class LibraryCacheMarker:
    """A caching request written in a library's own form (analysis.entry_points
    ``caching``): Strands ``cache_prompt="default"`` (``type_*`` is the cachePoint type it
    becomes), or a LiteLLM message's ``cache_control`` dict (``ttl_*`` its ttl)."""

    client: "object"  # ClientSite
    option: "object"  # entry_points.CacheOption
    node: cst.CSTNode
    type_value: object = None
    type_node: cst.BaseExpression | None = None
    type_at_argument: bool = False
    ttl_value: object = None
    ttl_node: cst.BaseExpression | None = None


def library_cache_markers(index: "ModuleIndex"):
    from bedrock_lint.analysis.bedrock import follow_path
    from bedrock_lint.analysis.values import Literal, keyword_argument, positional_arguments

    for client in index.clients:
        entry = client.entry
        if entry is None or not entry.caching or client.only_calls_other_providers or not sends_generations(index, client):
            continue
        for option in entry.caching:
            argument = keyword_argument(client.call, option.keyword)
            if option.form == "cache-point-type" and argument is not None:
                value = index.resolve(argument.value, client.scope)
                if isinstance(value, Literal) and isinstance(value.value, str):
                    yield LibraryCacheMarker(
                        client, option, argument, type_value=value.value, type_node=argument.value,
                        type_at_argument=value.node is argument.value,
                    )
            elif option.form == "cache-control-messages":
                if argument is None:
                    positional = positional_arguments(client.call)
                    argument = positional[1] if len(positional) > 1 else None
                if argument is None:
                    continue
                messages = index.resolve(argument.value, client.scope)
                controls = [*follow_path(index, messages, ("*", "cache_control")), *follow_path(index, messages, ("*", "content", "*", "cache_control"))]
                for expression, scope in controls:
                    control = index.resolve(expression, scope)
                    if not isinstance(control, DictValue) or "ttl" not in control.entries:
                        continue
                    ttl = control.entries["ttl"]
                    value = index.resolve(ttl.value, ttl.scope)
                    if isinstance(value, Literal) and isinstance(value.value, str):
                        yield LibraryCacheMarker(client, option, expression, ttl_value=value.value, ttl_node=ttl.value)
