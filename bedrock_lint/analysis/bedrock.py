"""Recognising Bedrock usage among a module's calls.

After the walk, every call gets its qualified name, and the calls that construct a
Bedrock client, a botocore ``Config`` or call a Bedrock operation are recorded on the
index, linked to each other through value resolution (``client = boto3.client(...)``
… ``client.converse(...)``).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import libcst as cst

from bedrock_lint.analysis import entry_points
from bedrock_lint.analysis.entry_points import EntryPoint, ModelArgument
from bedrock_lint.analysis.values import (
    UNKNOWN,
    DictValue,
    EnvironmentValue,
    JsonText,
    Literal,
    PartialString,
    Value,
    keyword_argument,
    positional_arguments,
)
from bedrock_lint.analysis.sites import ClientSite, ConfigSite, OperationCall
from bedrock_lint.analysis.walk import with_parents
from bedrock_lint.catalog.api import CONFIG_CLASSES, operation_names, operation_parameters
from bedrock_lint.catalog.naming import ANTHROPIC_ID, ARN_START

if TYPE_CHECKING:
    from bedrock_lint.analysis.scopes import Scope
    from bedrock_lint.analysis.sites import CallSite, ModuleIndex

SERVICE_NAME = "bedrock-runtime"

# boto3 and botocore clients; the library entry points add the kinds of their rows
# (analysis.entry_points: "anthropic", "langchain", "litellm", "strands" …).
CLIENT_KINDS = ("boto3", "aioboto3", "botocore", "aiobotocore", *dict.fromkeys(row.kind for row in entry_points.ENTRY_POINTS))

# Calls returning a session whose ``.client(service)`` makes a client.
SESSION_FACTORIES = {
    "boto3.Session": "boto3",
    "boto3.session.Session": "boto3",
    "boto3._get_default_session": "boto3",
    **{name: row.kind for row in entry_points.SESSION_ENTRY_POINTS if row.kind == "aioboto3" for name in row.qualified_names},
}
# Calls returning a botocore session whose ``.create_client(service)`` makes a client.
BOTOCORE_SESSION_FACTORIES = {
    "botocore.session.get_session": "botocore",
    "botocore.session.Session": "botocore",
    **{name: row.kind for row in entry_points.SESSION_ENTRY_POINTS if row.kind == "aiobotocore" for name in row.qualified_names},
}
# Calls that directly make a client for the service named in their first argument.
DIRECT_CLIENT_FACTORIES = {"boto3.client": "boto3"}

# Operations whose names are distinctive enough to count even when the receiver
# cannot be resolved (``self._runtime.converse(...)`` with the client made elsewhere).
DISTINCTIVE_OPERATIONS = frozenset(
    {"converse", "converse_stream", "invoke_model", "invoke_model_with_response_stream"}
)

# Last parts of the row methods that take a model (``create`` of ``messages.create``).
MODEL_METHOD_NAMES = frozenset(m.rsplit(".", 1)[-1] for row in entry_points.ENTRY_POINTS for m in row.model_methods)

SLEEP_FUNCTIONS = frozenset({"time.sleep", "asyncio.sleep", "anyio.sleep", "trio.sleep", "gevent.sleep", "eventlet.sleep"})


# The bedrock-mantle endpoint (Anthropic Messages API on Bedrock: anthropic
# ``AnthropicBedrockMantle``, langchain-aws ``ChatAnthropicMantle``/``ChatOpenAIMantle``,
# LiteLLM ``bedrock_mantle/``; docs/facts.md §3, §5) serves its own catalog of names
# (``anthropic.claude-haiku-4-5``), which the bedrock-runtime catalog does not describe.
_MANTLE = re.compile(r"[A-Za-z]Mantle\b|bedrock[-_]mantle")


def uses_mantle(index: "ModuleIndex") -> bool:
    return _MANTLE.search(index.text) is not None


def classify_calls(index: "ModuleIndex") -> None:

    resolver = index.resolver
    for site in index.calls:
        site.qualified_name = resolver.qualified_name(site.call.func, site.scope)

    clients_by_call: dict[int, ClientSite] = {}
    for site in index.calls:
        if site.qualified_name in CONFIG_CLASSES:
            index.configs[id(site.call)] = ConfigSite(site.call, site.scope, site.qualified_name)  # type: ignore[arg-type]
            continue
        client = _client_for(site, index)
        if client is not None:
            clients_by_call[id(site.call)] = client
            index.clients.append(client)

    for client in index.clients:
        _attach_config(client, index)

    operations = operation_names()
    for site in index.calls:
        func = site.call.func
        if not isinstance(func, cst.Attribute):
            continue
        method = func.attr.value
        if method in operations:
            client = _client_of_receiver(func.value, site, index, clients_by_call)
            if client is None and method not in DISTINCTIVE_OPERATIONS:
                continue
            if client is not None and not client.is_botocore_family:
                continue
            _record_operation(index, site, method, client, "modelId")
        elif method in MODEL_METHOD_NAMES and isinstance(func.value, cst.Attribute):
            # A method of a library object that takes the model (AnthropicBedrock
            # ``client.messages.create(model=…)``): the row names it.
            path = f"{func.value.attr.value}.{method}"
            client = _client_of_receiver(func.value.value, site, index, clients_by_call)
            entry = client.entry if client is not None else None
            if entry is not None and path in entry.model_methods and entry.method_model_keyword:
                _record_operation(index, site, path, client, entry.method_model_keyword)

    _find_ui_callbacks(index)


def _record_operation(index: "ModuleIndex", site: "CallSite", operation: str, client: "ClientSite | None", model_keyword: str) -> None:

    entry = index.resolver.keyword_entry(site.call, model_keyword, site.scope)
    model = index.resolver.resolve(entry.value, entry.scope) if entry is not None else UNKNOWN
    record = OperationCall(site.call, operation, client, site.scope, site.context, model)
    if operation in INVOKE_OPERATIONS:
        record.body_provider = _body_provider(index, site)
    index.operations.append(record)
    if client is not None:
        client.operations.append(record)


# InvokeModel body fields that only other providers' request formats have (docs/facts.md
# §2.8): Titan text and embeddings (inputText, textGenerationConfig), Cohere embeddings
# (texts), Stability (text_prompts), Nova Canvas / Titan Image / Nova Reel (taskType,
# textToImageParams), Llama (max_gen_len), Nova understanding (inferenceConfig,
# schemaVersion; it shares messages and system with the Anthropic body).
FOREIGN_BODY_FIELDS = frozenset({
    "inputText", "textGenerationConfig", "texts", "text_prompts", "taskType", "textToImageParams",
    "max_gen_len", "inferenceConfig", "schemaVersion",
})
# Fields only an Anthropic body has among those (§3): with one of them the body is Claude's.
ANTHROPIC_BODY_FIELDS = frozenset({"anthropic_version", "anthropic_beta", "max_tokens", "max_tokens_to_sample"})
INVOKE_OPERATIONS = frozenset({"invoke_model", "invoke_model_with_response_stream"})


def _body_provider(index: "ModuleIndex", site: "CallSite") -> str | None:
    """``"other"`` when an InvokeModel body is written in another provider's format
    (an embeddings-only client whose model id comes from configuration)."""
    argument = keyword_argument(site.call, "body")
    if argument is None:
        return None
    value = index.resolver.resolve(argument.value, site.scope)
    payload = value.payload if isinstance(value, JsonText) else value
    keys: set[str] = set()
    if isinstance(payload, DictValue):
        keys = set(payload.entries)
    elif isinstance(payload, Literal) and isinstance(payload.value, str):
        try:
            data = json.loads(payload.value)
        except ValueError:
            return None
        keys = set(data) if isinstance(data, dict) else set()
    if not keys:
        keys = _helper_body_fields(index, site, argument.value)
    if keys & FOREIGN_BODY_FIELDS and not keys & ANTHROPIC_BODY_FIELDS:
        return "other"
    return None


def _helper_body_fields(index: "ModuleIndex", site: "CallSite", expr: cst.BaseExpression) -> set[str]:
    """The string keys a body-building helper of this module writes, when the body is the
    result of calling it (``body = self._get_request_body(provider, text)``,
    llama-index-embeddings-bedrock): every dict key and subscript key in the helper."""
    definition = index.resolver.definition_of(expr, site.scope)
    call = definition[0] if definition is not None else expr
    if not isinstance(call, cst.Call):
        return set()
    func = call.func
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in ("self", "cls"):
        name, methods = func.attr.value, True
    elif isinstance(func, cst.Name):
        name, methods = func.value, False
    else:
        return set()
    helpers = [f for f in index.functions if f.name == name and (f.owner_class is not None) == methods]
    if len(helpers) != 1:
        return set()
    keys: set[str] = set()
    for node, _parent in with_parents(helpers[0].node):
        if not isinstance(node, (cst.Dict, cst.SubscriptElement)):
            continue
        candidates = [e.key for e in node.elements if isinstance(e, cst.DictElement)] if isinstance(node, cst.Dict) else (
            [node.slice.value] if isinstance(node.slice, cst.Index) else []
        )
        keys.update(c.evaluated_value for c in candidates if isinstance(c, cst.SimpleString) and isinstance(c.evaluated_value, str))
    return keys


def _service_argument(call: cst.Call) -> cst.Arg | None:
    """A client factory call's ``service_name=`` or first positional argument."""
    argument = keyword_argument(call, "service_name")
    if argument is None:
        positional = positional_arguments(call)
        argument = positional[0] if positional else None
    return argument


def service_name(call: cst.Call, site: "CallSite", index: "ModuleIndex") -> str | None:
    """The service a client factory call names, when it resolves to a string."""
    argument = _service_argument(call)
    return index.resolver.resolve_string(argument.value, site.scope) if argument is not None else None


def _makes_runtime_client(call: cst.Call, site: "CallSite", index: "ModuleIndex") -> bool:
    """The factory call's service name is ``bedrock-runtime``, or may be: a helper that
    builds either client from its parameters (``service = "bedrock-runtime" if runtime
    else "bedrock"``, or the same with an ``if`` statement) is judged as the runtime
    client it can build.  Every value that can reach the argument must be known."""
    argument = _service_argument(call)
    names = _possible_strings(index, argument.value, site.scope, 0) if argument is not None else None
    return names is not None and SERVICE_NAME in names


def _possible_strings(index: "ModuleIndex", expr: cst.BaseExpression, scope: "Scope", depth: int) -> set[str] | None:
    if depth > 4:
        return None
    known = index.resolver.resolve_string(expr, scope)
    if known is not None:
        return {known}
    if isinstance(expr, cst.IfExp):
        body = _possible_strings(index, expr.body, scope, depth + 1)
        orelse = _possible_strings(index, expr.orelse, scope, depth + 1)
        return body | orelse if body is not None and orelse is not None else None
    if not isinstance(expr, cst.Name):
        return None
    owner = scope.lookup_scope(expr.value)
    bindings = owner.bindings.get(expr.value) if owner is not None else None
    reaching = index.resolver.reaching_bindings(bindings, owner, scope, expr) if bindings and owner is not None else None
    if not reaching:
        return None
    found: set[str] = set()
    for binding in reaching:
        if binding.kind != "assign" or binding.value is None:
            return None
        values = _possible_strings(index, binding.value, binding.value_scope or owner, depth + 1)
        if values is None:
            return None
        found |= values
    return found


def _client_for(site: "CallSite", index: "ModuleIndex") -> "ClientSite | None":

    name = site.qualified_name
    call = site.call
    if name in DIRECT_CLIENT_FACTORIES:
        if _makes_runtime_client(call, site, index):
            return ClientSite(call, DIRECT_CLIENT_FACTORIES[name], name, site.scope, site.context)  # type: ignore[index]
        return None
    entry = entry_points.entry_point(name)
    if entry is not None:
        return _library_client(entry, site, index)
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value in ("client", "create_client"):
        definition = index.resolver.definition_of(func.value, site.scope)
        if definition is None or not isinstance(definition[0], cst.Call):
            return None
        session_call, session_scope = definition
        session_name = index.resolver.qualified_name(session_call.func, session_scope)
        factories = SESSION_FACTORIES if func.attr.value == "client" else BOTOCORE_SESSION_FACTORIES
        kind = factories.get(session_name or "")
        if kind is None or not _makes_runtime_client(call, site, index):
            return None
        constructor = f"{session_name}().{func.attr.value}"
        return ClientSite(
            call, kind, constructor, site.scope, site.context, session_call=session_call, session_scope=session_scope
        )
    return None


def model_argument(call: cst.Call, argument: ModelArgument) -> cst.Arg | None:
    """The argument of ``call`` that carries a row's model (by keyword or position)."""
    if argument.keyword is not None:
        found = keyword_argument(call, argument.keyword)
        if found is not None:
            return found
    if argument.position is not None:
        positional = positional_arguments(call)
        if len(positional) > argument.position and not any(a.star for a in positional[: argument.position + 1]):
            return positional[argument.position]
    return None


def model_string(value: Value) -> str | None:
    """The text a model value is known to start with: a literal, an environment
    fallback, or the literal start of an f-string."""
    if isinstance(value, EnvironmentValue):
        return model_string(value.fallback)
    if isinstance(value, Literal) and isinstance(value.value, str):
        return value.value
    if isinstance(value, PartialString):
        return value.known_text or None
    return None


def goes_to_bedrock(text: str, argument: ModelArgument) -> bool:
    """Whether a model string given to ``argument`` is sent to Bedrock."""
    from bedrock_lint.catalog.providers import model_provider

    split = argument.strip(text)
    if split is None:
        return False
    prefix, model = split
    if prefix or argument.unprefixed == "any":
        return True
    # "bedrock-ids": a bare string counts only when it is shaped like a Bedrock id.
    return model.startswith(ARN_START) or bool(ANTHROPIC_ID.match(model)) or model_provider(model) == "other"


def _library_client(entry: EntryPoint, site: "CallSite", index: "ModuleIndex") -> "ClientSite | None":

    client = ClientSite(site.call, entry.kind, entry.name, site.scope, site.context, entry=entry)
    if entry.provider_keyword is not None:
        provider = keyword_argument(site.call, entry.provider_keyword)
        if provider is not None:
            client.provider = index.resolver.resolve(provider.value, site.scope)
    for argument in entry.model:
        found = model_argument(site.call, argument)
        if found is None:
            continue
        value = index.resolver.resolve(found.value, site.scope)
        if argument.path:
            if entry.only_with_bedrock_model and not _path_has_bedrock_model(index, value, argument):
                return None
            continue
        text = model_string(value)
        if entry.only_with_bedrock_model and (text is None or not goes_to_bedrock(text, argument)):
            return None
        client.model = value
        client.model_argument = argument
        return client
    if entry.only_with_bedrock_model:
        return None
    return client


def _path_has_bedrock_model(index: "ModuleIndex", value: Value, argument: ModelArgument) -> bool:
    return any(
        (text := model_string(index.resolve(expr, scope))) is not None and goes_to_bedrock(text, argument)
        for expr, scope in follow_path(index, value, argument.path)
    )


def follow_path(index: "ModuleIndex", value: Value, path: tuple[str, ...]):
    """The expressions reached from ``value`` through ``path`` ("*" = every item of a
    list), with their scopes."""
    from bedrock_lint.analysis.values import DictValue, ListValue

    if not path:
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if not isinstance(value, ListValue):
            return
        for item, scope in value.items:
            if rest:
                yield from follow_path(index, index.resolve(item, scope), rest)
            else:
                yield item, scope
        return
    if not isinstance(value, DictValue) or head not in value.entries:
        return
    entry = value.entries[head]
    if rest:
        yield from follow_path(index, index.resolve(entry.value, entry.scope), rest)
    else:
        yield entry.value, entry.scope


def _attach_config(client: "ClientSite", index: "ModuleIndex") -> None:
    entry = client.entry
    if entry is not None and entry.config_keyword is None:
        client.config_state = "absent"
        return
    argument = client.keyword(entry.config_keyword if entry is not None else "config")  # type: ignore[arg-type]
    if argument is None:
        if entry is not None and any(client.keyword(k) is not None for k in entry.client_keywords):
            client.config_state = "unknown"  # a pre-built boto3 client or session is passed in
        elif any(a.star for a in client.call.args):
            client.config_state = "unknown"  # **kwargs may carry a config
        else:
            client.config_state = "absent"
        return
    if isinstance(argument.value, cst.Name) and argument.value.value == "None":
        client.config_state = "absent"
        return
    config = config_of(index, argument.value, client.scope)
    if config is not None:
        client.config_state = "known"
        client.config = config
        return
    client.config_state = "unknown"


def config_of(index: "ModuleIndex", expr: cst.BaseExpression, scope: "Scope") -> "ConfigSite | None":
    """The ``Config(...)`` construction an expression holds (through names), if any: in
    this module, or one another module of the project builds (``analysis.project``)."""
    definition = index.resolver.definition_of(expr, scope)
    config = index.configs.get(id(definition[0])) if definition is not None else None
    if config is not None:
        return config
    imported = index.resolver.imported_config(expr, scope)
    if imported is None:
        return None
    call, qualified_name = imported
    return ConfigSite(call, index.module_scope, qualified_name)


def _client_of_receiver(
    receiver: cst.BaseExpression, site: "CallSite", index: "ModuleIndex", clients_by_call: dict[int, "ClientSite"]
) -> "ClientSite | None":
    if isinstance(receiver, cst.Call):
        return clients_by_call.get(id(receiver)) or _imported_client(receiver, site, index)
    definition = index.resolver.definition_of(receiver, site.scope)
    if definition is None or not isinstance(definition[0], cst.Call):
        return _imported_client(receiver, site, index)
    # A call of a factory another module defines (client = get_client(), self.client = …).
    return clients_by_call.get(id(definition[0])) or _imported_client(definition[0], site, index, definition[1])


def _imported_client(
    receiver: cst.BaseExpression, site: "CallSite", index: "ModuleIndex", scope: "Scope | None" = None
) -> "ClientSite | None":
    """The bedrock-runtime client another module of the project builds, when
    ``receiver`` (in ``scope``, the call's by default) is its imported name or a call of
    a factory that returns it: one ``ClientSite`` per construction, never among
    ``index.clients`` (the client rules judge it in its own module)."""
    origin = index.resolver.imported_client(receiver, scope or site.scope)
    if origin is None:
        return None
    memo = index.derived.setdefault("imported_clients", {})
    client = memo.get(origin)
    if client is None:
        call = cst.Call(func=receiver)  # stands for the construction in the other module
        index.resolver.imported[id(call)] = (call, receiver, origin)
        client = memo[origin] = ClientSite(
            call, "boto3", "boto3.client", site.scope, site.context, config_state="unknown", origin=origin
        )
    return client


def _find_ui_callbacks(index: "ModuleIndex") -> None:
    """Functions a framework calls on each request or interaction without a decorator on
    them: Gradio/Streamlit callbacks, routes added with ``add_url_rule``/``Route``/
    ``add_api_route``, and FastAPI dependencies (``Depends(f)`` runs ``f`` per request)."""
    uses_gradio = index.imports_module("gradio")
    for site in index.calls:
        name = site.qualified_name or ""
        call = site.call
        method = call.func.attr.value if isinstance(call.func, cst.Attribute) else None
        found: list[tuple[cst.BaseExpression | None, str, str]] = []
        if name.startswith("gradio.") and name.rsplit(".", 1)[-1] in ("Interface", "ChatInterface"):
            found.append((_argument(call, "fn", 0), "ui-callback", "the UI callback"))
        elif uses_gradio and method in GRADIO_EVENTS:
            found.append((_argument(call, "fn", 0), "ui-callback", "the UI callback"))
        if name.startswith("streamlit."):
            for keyword in ("on_click", "on_change", "on_submit"):
                found.append((_argument(call, keyword, None), "ui-callback", "the UI callback"))
        if method == "add_url_rule":
            found.append((_argument(call, "view_func", 2), "web-route", "the Flask route"))
        elif method in ("add_api_route", "add_api_websocket_route"):
            found.append((_argument(call, "endpoint", 1), "web-route", "the FastAPI route"))
        elif name in ("starlette.routing.Route", "starlette.routing.WebSocketRoute", "fastapi.routing.APIRoute"):
            found.append((_argument(call, "endpoint", 1), "web-route", "the Starlette route"))
        elif name in ("fastapi.Depends", "fastapi.params.Depends"):
            found.append((_argument(call, "dependency", 0), "web-route", "the FastAPI dependency"))
        for candidate, kind, description in found:
            if isinstance(candidate, cst.Name):
                binding = index.resolver.single_binding(candidate.value, site.scope, candidate)
                if binding is not None and binding[0].kind == "def" and binding[0].definition is not None:
                    index.request_handlers.setdefault(id(binding[0].definition), (kind, description))


GRADIO_EVENTS = frozenset({"click", "submit", "change", "input", "then", "select", "upload", "stream"})


def _argument(call: cst.Call, keyword: str, position: int | None) -> cst.BaseExpression | None:
    argument = keyword_argument(call, keyword)
    if argument is not None:
        return argument.value
    if position is not None:
        positional = positional_arguments(call)
        if len(positional) > position:
            return positional[position].value
    return None


def _hands_over(index: "ModuleIndex", call: cst.Call, scope: "Scope", keywords: tuple[str, ...], client: "ClientSite") -> bool:
    """``call`` passes this client in one of ``keywords`` (``client=runtime``)."""
    for keyword in keywords:
        argument = keyword_argument(call, keyword)
        definition = index.resolver.definition_of(argument.value, scope) if argument is not None else None
        if definition is not None and definition[0] is client.call:
            return True
    return False


def wrappers_of(index: "ModuleIndex", client: "ClientSite") -> list["ClientSite"]:
    """The library entry points built on this boto3 client (``ChatBedrock(client=client)``)."""
    return [
        other for other in index.clients
        if other.entry is not None and other is not client and _hands_over(index, other.call, other.scope, other.entry.client_keywords, client)
    ]


def _bound_where_no_module_imports_it(index: "ModuleIndex", client: "ClientSite") -> cst.Name | None:
    """The name the client is bound to, when no other module can import it: a function's
    local, or anything in a notebook (a module-level client of a ``.py`` file may be
    imported elsewhere)."""
    target = index.assignment_targets.get(id(client.call))
    unimportable = client.scope.kind == "function" or (client.scope.kind == "module" and index.filename.endswith(".ipynb"))
    return target if isinstance(target, cst.Name) and unimportable else None


def unused_local_client(index: "ModuleIndex", client: "ClientSite") -> bool:
    """A client bound to a name that nothing reads, where no module imports it: it
    sends nothing."""
    target = _bound_where_no_module_imports_it(index, client)
    return target is not None and not client.operations and index.name_mentions_within(client.scope, target.value) == 0


def other_config_consumers(index: "ModuleIndex", config: "ConfigSite") -> list[cst.Call]:
    """Calls of the module other than its Bedrock clients that receive this ``Config``
    (``boto3.client("s3", config=CONFIG)``): a fix to the Config changes them too."""
    bedrock_calls = {id(client.call) for client in index.clients}
    found = []
    for site in index.calls:
        if id(site.call) in bedrock_calls or site.call is config.call:
            continue
        for argument in site.call.args:
            if argument.star or not isinstance(argument.value, (cst.Name, cst.Attribute)):
                continue
            definition = index.resolver.definition_of(argument.value, site.scope)
            if definition is not None and definition[0] is config.call:
                found.append(site.call)
                break
    return found


def reads_only_other_attributes(index: "ModuleIndex", client: "ClientSite") -> bool:
    """The module uses this boto3 client, and only for attributes that send no model
    request: its exception classes (``client.exceptions.ThrottlingException`` beside a
    LangChain model), ``meta``, or a method that is not a model operation
    (``self.bedrock.list_foundation_models()``).  The client is bound to a name or to
    ``self.attr``; the uses counted are this module's."""
    target = index.assignment_targets.get(id(client.call))
    function = client.context.function
    if isinstance(target, cst.Name):
        owner = client.scope.lookup_scope(target.value) or client.scope
        region, total = owner.node, index.name_mentions_within(owner, target.value)
        holder_type: type[cst.CSTNode] = cst.Name

        def is_holder(node: cst.CSTNode) -> bool:
            return isinstance(node, cst.Name) and node.value == target.value
    elif (
        isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and function is not None
        and function.owner_class is not None and target.value.value == function.self_name
    ):
        region, total = function.owner_class.node, None
        owner_name, attribute = target.value.value, target.attr.value
        holder_type = cst.Attribute

        def is_holder(node: cst.CSTNode) -> bool:
            return (
                isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name)
                and node.value.value == owner_name and node.attr.value == attribute
            )
    else:
        return False
    # The holders under the region (the module's nodes of their type, from the walk
    # the index keeps, rather than a walk of the region per client).
    parents = index.parents()
    uses = harmless = 0
    for node in index.nodes_of(holder_type):
        if not is_holder(node) or node is target:
            continue
        if region is not index.module and not any(above is region for above in index.ancestors(node)):
            continue
        parent = parents.get(id(node))
        if isinstance(parent, cst.Attribute) and parent.attr is node:
            continue
        uses += 1
        if isinstance(parent, cst.Attribute) and parent.value is node and not _sends_a_model_request(parent.attr.value):
            harmless += 1
    if total is not None:
        uses = total  # the scope-aware count of the name's reads
    return uses > 0 and harmless == uses


def _sends_a_model_request(attribute: str) -> bool:
    return attribute in operation_names() and "modelId" in operation_parameters(attribute)


# Keywords through which code hands a boto3 client to a wrapper (LangChain's legacy
# ``Bedrock``/``BedrockEmbeddings``, helper classes), and that wrapper's model keywords.
HANDOFF_CLIENT_KEYWORDS = ("client", "bedrock_client", "boto3_client", "runtime_client")
HANDOFF_MODEL_KEYWORDS = ("model_id", "model", "modelId")


def handoff_models(index: "ModuleIndex", client: "ClientSite") -> list[str | None] | None:
    """The model each call that hands this client over (``client=runtime``) names beside
    it, as a literal (None when not one); None when the client's name is read anywhere
    else too, or when another module could import it."""
    target = _bound_where_no_module_imports_it(index, client)
    if target is None or client.operations:
        return None
    models: list[str | None] = []
    for site in index.calls:
        if site.call is client.call or not _hands_over(index, site.call, site.scope, HANDOFF_CLIENT_KEYWORDS, client):
            continue
        model = next((a for a in site.call.args if a.keyword is not None and a.keyword.value in HANDOFF_MODEL_KEYWORDS), None)
        value = index.resolve(model.value, site.scope) if model is not None else None
        models.append(value.value if isinstance(value, Literal) and isinstance(value.value, str) else None)
    if not models or index.name_mentions_within(client.scope.lookup_scope(target.value) or client.scope, target.value) > len(models):
        return None
    return models
