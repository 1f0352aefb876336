"""Is a piece of code run once per request?  Lambda handlers, web routes, UI callbacks
and loop bodies are; module level, ``__init__``, cached factories and default
arguments are not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from bedrock_lint.analysis.scopes import FunctionInfo

if TYPE_CHECKING:
    from bedrock_lint.analysis.index import ClientSite, Context, ModuleIndex

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
    if id(function.node) in index.ui_callbacks:
        return RequestPath("ui-callback", f"the UI callback `{name}`")
    decorators = decorator_names(function, index)
    for qualified, expression in decorators:
        if qualified in CHAT_CALLBACK_DECORATORS:
            return RequestPath("ui-callback", f"the chat callback `{name}`")
        if qualified in DJANGO_VIEW_DECORATORS:
            return RequestPath("web-route", f"the Django view `{name}`")
        if isinstance(expression, cst.Attribute) and expression.attr.value in ROUTE_DECORATOR_METHODS:
            framework = _web_framework(index)
            if framework is not None:
                return RequestPath("web-route", f"the {framework} `{name}`")
    if function.owner_class is not None and name in CLASS_VIEW_METHODS and _is_view_class(function, index):
        return RequestPath("web-route", f"the view method `{function.owner_class.name}.{name}`")
    if (
        function.owner_class is None
        and function.parameters[:1] == ["request"]
        and index.imports_module("django")
        and not decorators
    ):
        return RequestPath("web-route", f"the Django view `{name}`")
    return None


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
    if context.in_default or _is_kept_for_reuse(client, index):
        return None
    function = context.function
    if function is not None and (is_cached_factory(function, index) or function.name in CONSTRUCTION_METHODS):
        return None
    loop = _innermost_statement_loop(context, function)
    if loop is not None:
        return RequestPath("loop", "a loop body")
    if function is None:
        return None
    return request_path_of_function(function, index)


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


def _is_kept_for_reuse(client: "ClientSite", index: "ModuleIndex") -> bool:
    """The client is stored somewhere that outlives the call: an attribute, a global,
    a dict or list slot, or behind an ``if x is None`` lazy-initialisation guard."""
    target = index.assignment_targets.get(id(client.call))
    if isinstance(target, (cst.Attribute, cst.Subscript)):
        return True
    if isinstance(target, cst.Name) and target.value in client.scope.global_names | client.scope.nonlocal_names:
        return True
    for ancestor in client.context.ancestors:
        if isinstance(ancestor, cst.If) and _is_none_guard(ancestor.test):
            return True
    return False


def _is_none_guard(test: cst.BaseExpression) -> bool:
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return True
    if isinstance(test, cst.Comparison):
        return any(
            isinstance(target.operator, (cst.Is, cst.Equal)) and isinstance(target.comparator, cst.Name) and target.comparator.value == "None"
            for target in test.comparisons
        )
    if isinstance(test, cst.BooleanOperation):
        return _is_none_guard(test.left) or _is_none_guard(test.right)
    return False
