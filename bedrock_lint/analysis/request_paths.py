"""Is a piece of code run once per request?  Lambda handlers, web routes, UI callbacks
and loop bodies are; module level, ``__init__``, cached factories and default
arguments are not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from bedrock_lint.analysis.bedrock import GRADIO_EVENTS
from bedrock_lint.analysis.scopes import FunctionInfo
from bedrock_lint.analysis.walk import names_in

if TYPE_CHECKING:
    from bedrock_lint.analysis.scopes import Scope
    from bedrock_lint.analysis.sites import ClientSite, Context, ModuleIndex

ROUTE_DECORATOR_METHODS = frozenset(
    {"route", "get", "post", "put", "delete", "patch", "head", "options", "websocket", "api_route", "websocket_route", "ws"}
)
WEB_FRAMEWORKS = {
    "flask": "Flask route",
    "quart": "Quart route",
    "fastapi": "FastAPI route",
    "starlette": "Starlette route",
    "sanic": "Sanic route",
    "litestar": "Litestar route",
    "aws_lambda_powertools": "Lambda Powertools route",
    "chalice": "Chalice route",
}
DJANGO_VIEW_DECORATORS = frozenset(
    {
        "django.views.decorators.http.require_http_methods",
        "django.views.decorators.http.require_POST",
        "django.views.decorators.http.require_GET",
        "django.views.decorators.http.require_safe",
        "django.views.decorators.csrf.csrf_exempt",
        "django.contrib.auth.decorators.login_required",
        "rest_framework.decorators.api_view",
    }
)
CLASS_VIEW_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "list", "create", "retrieve", "update"})
CLASS_VIEW_BASE_SUFFIXES = ("View", "APIView", "ViewSet", "HTTPEndpoint", "Resource", "MethodView")
CACHING_DECORATORS = frozenset(
    {
        "functools.lru_cache",
        "functools.cache",
        "functools.cached_property",
        "streamlit.cache_resource",
        "streamlit.experimental_singleton",
        "cachetools.cached",
        "async_lru.alru_cache",
    }
)
CHAT_CALLBACK_DECORATORS = frozenset({"chainlit.on_message"})
LAMBDA_HANDLER_NAMES = frozenset({"lambda_handler", "handler"})
CONSTRUCTION_METHODS = frozenset({"__init__", "__new__", "__post_init__", "__attrs_post_init__", "setup", "setUp", "model_post_init"})


@dataclass(frozen=True)
class RequestPath:
    kind: str  # "lambda-handler", "web-route", "ui-callback" or "loop"
    description: str  # for messages: "the Lambda handler `handler`"


def decorator_names(function: FunctionInfo, index: "ModuleIndex") -> list[tuple[str | None, cst.BaseExpression]]:
    """(qualified name, expression) of each decorator; ``@x(...)`` gives x's name."""
    result = []
    scope = function.owner_class or (function.scope.parent if function.scope else index.module_scope)
    for decorator in function.decorators:
        expression = decorator.decorator
        target = expression.func if isinstance(expression, cst.Call) else expression
        result.append((index.resolver.qualified_name(target, scope or index.module_scope), target))
    return result


def is_cached_factory(function: FunctionInfo, index: "ModuleIndex") -> bool:
    return any(name in CACHING_DECORATORS for name, _ in decorator_names(function, index))


def request_path_of_function(function: FunctionInfo, index: "ModuleIndex") -> RequestPath | None:
    name = function.name
    if function.owner_class is None and len(function.parameters) == 2:
        if tuple(function.parameters) == ("event", "context") or name in LAMBDA_HANDLER_NAMES:
            return RequestPath("lambda-handler", f"the Lambda handler `{name}`")
    registered = index.request_handlers.get(id(function.node))
    if registered is not None:
        return RequestPath(registered[0], f"{registered[1]} `{name}`")
    decorators = decorator_names(function, index)
    for qualified, expression in decorators:
        if qualified in CHAT_CALLBACK_DECORATORS:
            return RequestPath("ui-callback", f"the chat callback `{name}`")
        if index.imports_module("gradio") and (
            qualified == "gradio.on"
            or (isinstance(expression, cst.Attribute) and expression.attr.value in GRADIO_EVENTS)
        ):
            return RequestPath("ui-callback", f"the UI callback `{name}`")
        if qualified in DJANGO_VIEW_DECORATORS:
            return RequestPath("web-route", f"the Django view `{name}`")
        if isinstance(expression, cst.Attribute) and expression.attr.value in ROUTE_DECORATOR_METHODS:
            framework = _framework_of_receiver(expression.value, function, index) or _web_framework(index)
            if framework is not None:
                return RequestPath("web-route", f"the {framework} `{name}`")
    if function.owner_class is not None and name in CLASS_VIEW_METHODS and _is_view_class(function, index):
        return RequestPath("web-route", f"the view method `{function.owner_class.name}.{name}`")
    if (
        function.owner_class is None
        and function.parameters[:1] == ["request"]
        and index.imports_module("django")
        and all((qualified or "").startswith("django.") for qualified, _ in decorators)
    ):
        return RequestPath("web-route", f"the Django view `{name}`")
    return None


def _framework_of_receiver(receiver: cst.BaseExpression, function: FunctionInfo, index: "ModuleIndex") -> str | None:
    """``@app.get`` where ``app = FastAPI()``: the framework that built the receiver."""
    scope = function.scope.parent if function.scope and function.scope.parent else index.module_scope
    definition = index.resolver.definition_of(receiver, scope)
    if definition is None or not isinstance(definition[0], cst.Call):
        return None
    qualified = index.resolver.qualified_name(definition[0].func, definition[1]) or ""
    return WEB_FRAMEWORKS.get(qualified.split(".")[0])


def _web_framework(index: "ModuleIndex") -> str | None:
    for module, description in WEB_FRAMEWORKS.items():
        if index.imports_module(module):
            return description
    return None


def _is_view_class(function: FunctionInfo, index: "ModuleIndex") -> bool:
    class_node = function.owner_class.node if function.owner_class else None
    if not isinstance(class_node, cst.ClassDef):
        return False
    for base in class_node.bases:
        qualified = index.resolver.qualified_name(base.value, index.module_scope) or ""
        if qualified.split(".")[0] in ("django", "rest_framework", "starlette", "flask", "flask_restful", "tornado"):
            if qualified.endswith(CLASS_VIEW_BASE_SUFFIXES) or qualified.endswith("RequestHandler"):
                return True
    return False


def client_request_path(client: "ClientSite", index: "ModuleIndex") -> RequestPath | None:
    """Where a client construction runs once per request, or None when it runs once."""
    context = client.context
    function = context.function
    if context.in_default:
        return None
    if function is not None and (is_cached_factory(function, index) or function.name in CONSTRUCTION_METHODS):
        return None
    path = request_path_around(function, index) if function is not None else None
    if _is_kept_for_reuse(client.call, client.scope, function, index, path):
        return None
    loop = _innermost_statement_loop(context, function)
    if loop is not None:
        if _uses_loop_variable(client.call, loop):
            return None  # one client per region/account/profile: each iteration needs its own
        return RequestPath("loop", "a loop body")
    return path


# A helper that assumes a role builds a client for the credentials of each request (a
# tenant's, a caller's): one per request is its purpose, not a mistake.
ROLE_ASSUMING_METHODS = frozenset({"assume_role", "assume_role_with_web_identity", "assume_role_with_saml"})


@dataclass(frozen=True)
class HelperCall:
    """A client built in a module function that a request path of the module calls."""

    helper: str  # the function that builds the client
    path: RequestPath  # the request path that calls it


def client_helper_request_path(client: "ClientSite", index: "ModuleIndex") -> HelperCall | None:
    """A client built in a plain module-level function (not cached, not stored for
    reuse) that a request path of this module calls, its result not kept either: every
    request builds one.  One level only: a helper of a helper is not followed."""
    context = client.context
    helper = context.function
    if helper is None or context.in_default or helper.owner_class is not None or helper.scope is None:
        return None
    if helper.scope.parent is not index.module_scope or is_cached_factory(helper, index) or helper.name in CONSTRUCTION_METHODS:
        return None
    if request_path_around(helper, index) is not None or _innermost_statement_loop(context, helper) is not None:
        return None  # judged where it is (client_request_path)
    if _is_kept_for_reuse(client.call, client.scope, helper, index, None):
        return None
    if any(
        site.context.function is helper and isinstance(site.call.func, cst.Attribute)
        and site.call.func.attr.value in ROLE_ASSUMING_METHODS
        for site in index.calls
    ):
        return None
    for site in index.calls_by_name(helper):
        caller = site.context.function
        if caller is None or caller is helper:
            continue
        path = request_path_around(caller, index)
        if path is not None and not _is_kept_for_reuse(site.call, site.scope, caller, index, path):
            return HelperCall(helper.name, path)
    return None


def request_path_around(function: FunctionInfo, index: "ModuleIndex") -> RequestPath | None:
    """The request path of ``function``, or of a function it is nested in (a helper
    defined inside a Lambda handler runs per request too)."""
    path = request_path_of_function(function, index)
    if path is not None:
        return path
    scope = function.scope.parent if function.scope is not None else None
    while scope is not None:
        if scope.function is not None:
            if is_cached_factory(scope.function, index):
                return None
            outer = request_path_of_function(scope.function, index)
            if outer is not None:
                return RequestPath(outer.kind, f"a function nested in {outer.description}")
        scope = scope.parent
    return None


def _innermost_statement_loop(context: "Context", function: FunctionInfo | None) -> cst.CSTNode | None:
    """The innermost ``for``/``while`` around the node inside its own function; a
    comprehension collects what it builds, so a client made there is kept, not remade."""
    for ancestor in reversed(context.ancestors):
        if function is not None and ancestor is function.node:
            return None
        if isinstance(ancestor, (cst.For, cst.While)):
            return ancestor
        if isinstance(ancestor, (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp, cst.FunctionDef)):
            return None
    return None


def _uses_loop_variable(call: cst.Call, loop: cst.CSTNode) -> bool:
    if not isinstance(loop, cst.For):
        return False
    targets = set(names_in(loop.target))
    return any(name in targets for argument in call.args for name in names_in(argument.value))


def _is_kept_for_reuse(
    call: cst.Call, scope: "Scope", function: FunctionInfo | None, index: "ModuleIndex", path: RequestPath | None
) -> bool:
    """What ``call`` gives (a client) is stored somewhere that outlives the call: an
    attribute, a global, a dict or list slot.  (``self.x`` of a class-based view does
    not: frameworks make a new view instance per request.)"""
    if id(call) in index.collected_values:
        return True
    target = index.assignment_targets.get(id(call))
    return target is not None and _is_lasting_target(target, scope, function, index, path)


def _is_lasting_target(
    target: cst.BaseExpression, scope: "Scope", function: FunctionInfo | None, index: "ModuleIndex", path: RequestPath | None
) -> bool:
    if isinstance(target, (cst.Tuple, cst.List)):
        # ``CLIENT, EXPIRES = make_client()``: one of them outlives the call.
        return any(_is_lasting_target(element.value, scope, function, index, path) for element in target.elements)
    if isinstance(target, cst.Attribute):
        per_request_instance = (
            path is not None and path.kind == "web-route" and function is not None and function.owner_class is not None
            and isinstance(target.value, cst.Name) and target.value.value == function.self_name
        )
        return not per_request_instance
    if isinstance(target, cst.Subscript):
        return True
    if isinstance(target, cst.Name):
        if target.value in scope.global_names | scope.nonlocal_names:
            return True
        owner = scope.lookup_scope(target.value) or scope
        return (id(owner), target.value) in index.stored_names
    return False
