"""The semantic index of one module's Bedrock usage, built in one pass over the tree.

The walker visits every node once (iteratively, over dataclass fields: roughly ten
times cheaper than a ``CSTVisitor``) and records scopes, bindings, calls and the
syntactic context of each call (enclosing function, loops, ``try`` blocks).  After
the walk, calls are classified with the value resolver into Bedrock clients, botocore
``Config`` objects and Bedrock operation calls.  Rules only read this index.

The top floor of the analysis package: the records it fills are in ``sites``, and the
classification it drives is in ``bedrock``; nothing below imports this module.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Callable

import libcst as cst

from bedrock_lint.analysis import bedrock
from bedrock_lint.analysis.project import ModuleView, absolute_module
from bedrock_lint.analysis.scopes import Binding, FunctionInfo, Scope
from bedrock_lint.analysis.sites import (
    RESPONSE_ATTRIBUTES,
    STOP_REASON_KEYS,
    CallSite,
    Context,
    ModuleIndex,
    SyntaxSites,
)
from bedrock_lint.analysis.values import Resolver
from bedrock_lint.analysis.walk import dotted_name, iter_children


def _concrete_subclasses(base: type) -> frozenset[type]:
    found, pending = set(), [base]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            found.add(subclass)
    return frozenset(found)


# Node types that start a statement (numbered for the flow of values) and blocks of
# them: exact types, a set lookup per node being much cheaper than isinstance on ABCs.
_STATEMENTS = _concrete_subclasses(cst.BaseSmallStatement) | _concrete_subclasses(cst.BaseCompoundStatement)
_BLOCKS = frozenset({cst.IndentedBlock, cst.SimpleStatementSuite})

# String methods whose arguments are patterns matched against a value.
STRING_TEST_METHODS = frozenset({
    "startswith", "endswith", "removeprefix", "removesuffix", "replace", "find", "rfind", "index", "rindex",
    "count", "split", "rsplit", "partition", "rpartition", "strip", "lstrip", "rstrip",
})
# Mapping methods whose first argument is a key.
KEY_LOOKUP_METHODS = frozenset({"get", "pop"})
# Methods that keep their argument in a collection.
COLLECTING_METHODS = frozenset({"append", "appendleft", "add", "insert", "setdefault", "put", "put_nowait"})


class _Walker:
    def __init__(self, module: cst.Module, package: str | None = None) -> None:
        # The package relative imports start from; None outside a project.
        self.package = package
        self.module_scope = Scope("module", module, None)
        self.calls: list[CallSite] = []
        self.functions: list[FunctionInfo] = []
        self.imported_modules: set[str] = set()
        self.assignment_targets: dict[int, cst.BaseExpression] = {}
        self.subscript_assignments: list[tuple[cst.Subscript, cst.BaseExpression, Scope]] = []
        self.collected_values: set[int] = set()
        self.stored_names: set[tuple[int, str]] = set()
        # Strings that may hold a model id (see analysis.model_ids), and the ids of
        # strings whose value is never used as data: docstrings and other bare
        # expression statements, dict keys, comparison operands, subscripts, match cases.
        self.model_strings: list[tuple[cst.SimpleString | cst.FormattedString, Scope]] = []
        self.unused_strings: set[int] = set()
        # Uses of each name (as a name or an attribute); assignment targets are not uses.
        self.name_mentions: dict[str, int] = {}
        # The same by the scope they are made in: scope id -> (scope, name -> count).
        self.scope_mentions: dict[int, tuple[Scope, dict[str, int]]] = {}
        # Strings that are elements of a list, tuple or set literal: capability tables
        # and pickers, judged as model ids only where they reach a model argument.
        self.collection_elements: set[int] = set()
        self.sites = SyntaxSites()
        # Docstrings and other bare string statements: text, not code that reads a key.
        self.docstrings: set[int] = set()
        # Where in the flow of the code each node is: the number of its innermost
        # statement (statements are numbered in source order, which is cell order in a
        # notebook) and the blocks (indented bodies) that hold it, outermost first.  They
        # travel with each node on the stack; bindings take theirs from the node being
        # handled.  Also where each name is used (name node id -> (statement, blocks))
        # and which blocks are loop bodies.
        self.stack: list[tuple[cst.CSTNode, Scope, Context, int, tuple[cst.CSTNode, ...]]] = [
            (module, self.module_scope, Context(), 0, ())
        ]
        self.statement_count = 0
        self.statement = 0
        self.blocks: tuple[cst.CSTNode, ...] = ()
        self.name_uses: dict[int, tuple[int, tuple[cst.CSTNode, ...]]] = {}
        self.loop_bodies: set[int] = set()
        # The blocks of an if/elif/else chain, by block id -> id of the chain's first
        # ``if``: two of them never both run.
        self.branches: dict[int, int] = {}
        self._chain_roots: dict[int, int] = {}
        self.handlers: dict[type, Callable[[cst.CSTNode, Scope, Context], None]] = {
            cst.FunctionDef: self._function,
            cst.ClassDef: self._class,
            cst.Lambda: self._lambda,
            cst.Assign: self._assign,
            cst.AnnAssign: self._annotated_assign,
            cst.AugAssign: self._augmented_assign,
            cst.NamedExpr: self._named_expr,
            cst.Import: self._import,
            cst.ImportFrom: self._import_from,
            cst.For: self._for,
            cst.While: self._while,
            cst.With: self._with,
            cst.Try: self._try,
            cst.If: self._if,
            cst.Global: self._global,
            cst.Nonlocal: self._nonlocal,
            cst.Call: self._call,
            cst.Del: self._del,
            cst.ListComp: self._comprehension,
            cst.SetComp: self._comprehension,
            cst.GeneratorExp: self._comprehension,
            cst.DictComp: self._comprehension,
            cst.SimpleString: self._string,
            cst.FormattedString: self._string,
            cst.Expr: self._expression_statement,
            cst.Comparison: self._comparison,
            cst.Assert: self._assert,
            cst.DictElement: self._dict_element,
            cst.SubscriptElement: self._subscript_element,
            cst.MatchValue: self._match_value,
            cst.Name: self._name,
            cst.Subscript: self._subscript,
            cst.Attribute: self._attribute,
            cst.Arg: self._argument,
            cst.Match: self._match,
            cst.Return: self._return,
            cst.List: self._collection,
            cst.Tuple: self._collection,
            cst.Set: self._collection,
        }
        try_star = getattr(cst, "TryStar", None)
        if try_star is not None:
            self.handlers[try_star] = self._try

    def run(self) -> None:
        stack, handlers = self.stack, self.handlers
        while stack:
            node, scope, context, statement, blocks = stack.pop()
            kind = type(node)
            if kind in _STATEMENTS:
                self.statement_count += 1
                statement = self.statement_count
            elif kind in _BLOCKS:
                blocks = blocks + (node,)
            self.statement, self.blocks = statement, blocks
            handler = handlers.get(kind)
            if handler is not None:
                handler(node, scope, context)
            else:
                self._push_children(node, scope, context)

    # -------------------------------------------------------------- pushing
    def _push_children(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        children = list(iter_children(node))
        for child in reversed(children):
            self.stack.append((child, scope, context, self.statement, self.blocks))

    def _push(self, nodes: object, scope: Scope, context: Context) -> None:
        if isinstance(nodes, cst.CSTNode):
            self.stack.append((nodes, scope, context, self.statement, self.blocks))
        elif isinstance(nodes, (list, tuple)):
            for node in reversed(nodes):
                if isinstance(node, cst.CSTNode):
                    self.stack.append((node, scope, context, self.statement, self.blocks))

    # ------------------------------------------------------------- bindings
    def _add(self, scope: Scope, name: str, binding: Binding) -> None:
        """Bind ``name`` in ``scope`` at the statement being handled."""
        binding.statement = self.statement
        binding.blocks = self.blocks
        scope.add(name, binding)

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression | None, scope: Scope, kind: str) -> None:
        if isinstance(target, cst.Name):
            self._add(scope, target.value, Binding(kind, value, value_scope=scope))  # type: ignore[arg-type]
            if scope.kind == "class":
                scope.attribute_bindings.setdefault(target.value, []).append(Binding(kind, value, value_scope=scope))  # type: ignore[arg-type]
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            function = scope.enclosing_function()
            if function is not None and function.owner_class is not None and target.value.value == function.self_name:
                function.owner_class.attribute_bindings.setdefault(target.attr.value, []).append(
                    Binding(kind, value, value_scope=scope)  # type: ignore[arg-type]
                )
        elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
            owner = scope.lookup_scope(target.value.value) or scope
            key = None
            if len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
                index_value = target.slice[0].slice.value
                if isinstance(index_value, cst.SimpleString):
                    evaluated = index_value.evaluated_value
                    key = evaluated if isinstance(evaluated, str) else None
            owner.dict_updates.setdefault(target.value.value, []).append(
                (key, value if kind == "assign" else None)
            )
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind(element.value, None, scope, "other")
        elif isinstance(target, cst.StarredElement):
            self._bind(target.value, None, scope, "other")

    # ------------------------------------------------------------- handlers
    def _function(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.FunctionDef)
        parameters = node.params
        all_params = [*parameters.posonly_params, *parameters.params, *parameters.kwonly_params]
        if isinstance(parameters.star_arg, cst.Param):
            all_params.append(parameters.star_arg)
        if parameters.star_kwarg is not None:
            all_params.append(parameters.star_kwarg)
        info = FunctionInfo(
            node=node,
            name=node.name.value,
            parameters=[p.name.value for p in [*parameters.posonly_params, *parameters.params]],
            decorators=list(node.decorators),
            is_async=node.asynchronous is not None,
            owner_class=scope if scope.kind == "class" else None,
        )
        function_scope = Scope("function", node, scope, function=info, name=node.name.value)
        info.scope = function_scope
        self.functions.append(info)
        self._add(scope, node.name.value, Binding("def", definition=node))
        for param in all_params:
            self._add(function_scope, param.name.value, Binding("param", param.default, value_scope=scope))
        body_context = Context(function=info, ancestors=context.ancestors + (node,))
        self._push(node.body, function_scope, body_context)
        self._push([p.default for p in all_params if p.default is not None], scope, dataclasses.replace(context, in_default=True))
        self._mark_decorators_unused(node.decorators)
        self._push([d.decorator for d in node.decorators], scope, context)

    def _lambda(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Lambda)
        lambda_scope = Scope("function", node, scope)
        parameters = node.params
        for param in [*parameters.posonly_params, *parameters.params, *parameters.kwonly_params]:
            self._add(lambda_scope, param.name.value, Binding("param", param.default, value_scope=scope))
        self._push(node.body, lambda_scope, context)

    def _class(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.ClassDef)
        class_scope = Scope("class", node, scope, name=node.name.value)
        self.module_scope.class_scopes[id(node)] = class_scope
        self._add(scope, node.name.value, Binding("class", definition=node))
        self._push(node.body, class_scope, context.enter(node))
        self._mark_decorators_unused(node.decorators)
        self._push([a.value for a in node.bases] + [d.decorator for d in node.decorators], scope, context)

    def _assign(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Assign)
        for target in node.targets:
            self._bind(target.target, node.value, scope, "assign")
            if isinstance(target.target, (cst.Attribute, cst.Subscript)) and isinstance(node.value, cst.Name):
                self._stored(node.value.value, scope)
        if len(node.targets) == 1:
            self.assignment_targets[id(node.value)] = node.targets[0].target
        for target in node.targets:
            if isinstance(target.target, cst.Subscript):
                self.subscript_assignments.append((target.target, node.value, scope))
        self._push(node.value, scope, context)
        self._push([t.target for t in node.targets if not isinstance(t.target, cst.Name)], scope, context)

    def _annotated_assign(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.AnnAssign)
        if node.value is not None:
            self._bind(node.target, node.value, scope, "assign")
            self.assignment_targets[id(node.value)] = node.target
            self._push(node.value, scope, context)

    def _augmented_assign(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.AugAssign)
        self._bind(node.target, None, scope, "other")
        self._push([node.value, node.target], scope, context)

    def _named_expr(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.NamedExpr)
        target_scope = scope
        while target_scope.kind == "comprehension" and target_scope.parent is not None:
            target_scope = target_scope.parent
        self._bind(node.target, node.value, target_scope, "assign")
        self._push(node.value, scope, context)

    def _import(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Import)
        for alias in node.names:
            dotted = dotted_name(alias.name)
            if dotted is None:
                continue
            self.imported_modules.add(dotted)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self._add(scope, alias.asname.name.value, Binding("import", qualified_name=dotted))
            else:
                top = dotted.split(".")[0]
                self._add(scope, top, Binding("import", qualified_name=top))

    def _import_from(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.ImportFrom)
        if isinstance(node.names, cst.ImportStar):
            return
        if node.relative:
            # Resolved only inside a project (analysis.project), where the package is known.
            base = dotted_name(node.module) if node.module is not None else None
            if self.package is None or (node.module is not None and base is None):
                return
            module = absolute_module(base, len(node.relative), self.package)
        else:
            module = dotted_name(node.module) if node.module is not None else None
        if module is None:
            return
        self.imported_modules.add(module)
        for alias in node.names:
            name = dotted_name(alias.name)
            if name is None:
                continue
            bound = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else name
            self._add(scope, bound, Binding("import", qualified_name=f"{module}.{name}"))

    def _for(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.For)
        if isinstance(node.target, cst.Name):
            # The iterable, so that the items of an event stream can be followed.
            self._bind(node.target, node.iter, scope, "for")
        else:
            self._bind(node.target, None, scope, "other")
        self.sites.loops.append((node, scope, context))
        self.loop_bodies.add(id(node.body))
        self._push(node.orelse, scope, context)
        self._push(node.body, scope, context.enter(node, loop=True))
        self._push(node.iter, scope, context)

    def _while(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.While)
        self.sites.branches.append((node, scope, context))
        self.loop_bodies.add(id(node.body))
        self._push(node.orelse, scope, context)
        self._push(node.body, scope, context.enter(node, loop=True))
        self._push(node.test, scope, context)

    def _with(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.With)
        self._push(node.body, scope, context.enter(node))
        for item in reversed(node.items):
            if item.asname is not None:
                self._bind(item.asname.name, item.item, scope, "with")
            self._push(item.item, scope, context)

    def _try(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        inner = context.enter(node)
        self._push(node.finalbody, scope, context)  # type: ignore[attr-defined]
        self._push(node.orelse, scope, context)  # type: ignore[attr-defined]
        for handler in reversed(node.handlers):  # type: ignore[attr-defined]
            if handler.name is not None:
                self._bind(handler.name.name, None, scope, "other")
            self._push(handler.body, scope, inner.enter(handler))
            self._push(handler.type, scope, context)
        self._push(node.body, scope, inner)  # type: ignore[attr-defined]

    def _if(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.If)
        self.sites.branches.append((node, scope, context))
        root = self._chain_roots.get(id(node), id(node))
        self.branches[id(node.body)] = root
        if isinstance(node.orelse, cst.Else):
            self.branches[id(node.orelse.body)] = root
        elif isinstance(node.orelse, cst.If):
            self._chain_roots[id(node.orelse)] = root
        inner = context.enter(node)
        self._push(node.orelse, scope, inner)
        if not _is_type_checking(node.test):
            # Code under `if TYPE_CHECKING:` never runs: no call, client or binding of it
            # is recorded, so no rule reports or fixes it.
            self._push(node.body, scope, inner)
        self._push(node.test, scope, context)

    def _global(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Global)
        scope.global_names.update(item.name.value for item in node.names)

    def _nonlocal(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Nonlocal)
        scope.nonlocal_names.update(item.name.value for item in node.names)

    def _del(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Del)
        self._bind(node.target, None, scope, "other")

    def _call(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Call)
        self.calls.append(CallSite(node, scope, context))
        func = node.func
        # d.update(...) / d.setdefault(...): keys we cannot follow.
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.attr.value in ("update", "setdefault", "pop", "clear"):
            owner = scope.lookup_scope(func.value.value)
            if owner is not None:
                owner.dict_updates.setdefault(func.value.value, []).append((None, None))
        if isinstance(func, cst.Attribute) and func.attr.value in STRING_TEST_METHODS:
            for argument in node.args:  # model_id.startswith("anthropic.claude-3"): a pattern, not a value
                self._mark_unused(argument.value)
        if isinstance(func, cst.Attribute) and func.attr.value == "format":
            self._mark_unused(func.value)  # "arn:aws:bedrock:{}:{}:…".format(…): a template, not a value
        if isinstance(func, cst.Attribute) and func.attr.value in KEY_LOOKUP_METHODS and node.args:
            self._mark_unused(node.args[0].value)  # PRICES.get("anthropic.claude-…"): a key, like d["…"]
        if isinstance(func, cst.Attribute) and func.attr.value in COLLECTING_METHODS:
            for argument in node.args:
                self.collected_values.add(id(argument.value))
                if isinstance(argument.value, cst.Name):
                    self._stored(argument.value.value, scope)
        self._push_children(node, scope, context)

    def _name(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Name)
        self.name_uses[id(node)] = (self.statement, self.blocks)
        self.name_mentions[node.value] = self.name_mentions.get(node.value, 0) + 1
        counts = self.scope_mentions.setdefault(id(scope), (scope, {}))[1]
        counts[node.value] = counts.get(node.value, 0) + 1

    # ------------------------------------------------------------- strings
    def _string(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        if id(node) not in self.unused_strings and might_hold_model_id(node):
            self.model_strings.append((node, scope))  # type: ignore[arg-type]
        if (
            isinstance(node, cst.SimpleString)
            and ("stopReason" in node.value or "stop_reason" in node.value)
            and id(node) not in self.docstrings
        ):
            self._mentions_stop_reason(context)
        if isinstance(node, cst.FormattedString):
            self._push_children(node, scope, context)

    def _mark_unused(self, node: cst.CSTNode | None) -> None:
        if isinstance(node, (cst.SimpleString, cst.FormattedString)):
            self.unused_strings.add(id(node))
        elif isinstance(node, cst.ConcatenatedString):
            self._mark_unused(node.left)
            self._mark_unused(node.right)
        elif isinstance(node, (cst.Tuple, cst.List, cst.Set)):  # x in ("a", "b")
            for element in node.elements:
                self._mark_unused(element.value)

    def _expression_statement(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Expr)
        self._mark_unused(node.value)
        if isinstance(node.value, cst.SimpleString):
            self.docstrings.add(id(node.value))
        self._push_children(node, scope, context)

    def _comparison(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Comparison)
        self.sites.comparisons.append((node, scope, context))
        self._mark_unused(node.left)
        for target in node.comparisons:
            self._mark_unused(target.comparator)
        self._push_children(node, scope, context)

    def _assert(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        # What an assert checks is expected data (a lookup's input in a unit test), not
        # a value sent anywhere; a string reaching a model slot inside it is still judged.
        assert isinstance(node, cst.Assert)
        stack: list[cst.CSTNode] = [node.test] + ([node.msg] if node.msg is not None else [])
        while stack:
            current = stack.pop()
            if isinstance(current, (cst.SimpleString, cst.FormattedString)):
                self.unused_strings.add(id(current))
            stack.extend(iter_children(current))
        self._push_children(node, scope, context)

    def _mark_decorators_unused(self, decorators) -> None:
        # Decorator arguments are configuration and test data (pytest.mark.parametrize
        # tables of ids), not values sent anywhere.
        stack: list[cst.CSTNode] = [d.decorator for d in decorators]
        while stack:
            current = stack.pop()
            if isinstance(current, (cst.SimpleString, cst.FormattedString)):
                self.unused_strings.add(id(current))
            stack.extend(iter_children(current))

    def _dict_element(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.DictElement)
        self._mark_unused(node.key)
        self._push_children(node, scope, context)

    def _subscript_element(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.SubscriptElement)
        if isinstance(node.slice, cst.Index):
            self._mark_unused(node.slice.value)
        self._push_children(node, scope, context)

    def _match_value(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.MatchValue)
        self._mark_unused(node.value)
        self._push_children(node, scope, context)

    def _subscript(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Subscript)
        if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            self.sites.subscripts.append((node, scope, context))
        self._push_children(node, scope, context)

    def _attribute(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Attribute)
        if node.attr.value in RESPONSE_ATTRIBUTES:
            self.sites.attributes.append((node, scope, context))
            if node.attr.value in STOP_REASON_KEYS:
                self._mentions_stop_reason(context)
        self._push(node.value, scope, context)  # ``x.name``: the attribute's name is no mention of a variable

    def _argument(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Arg)
        self._push(node.value, scope, context)  # ``f(name=…)``: the keyword is no mention

    def _match(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        self.sites.matches.append((node, scope, context))
        self._push_children(node, scope, context)

    def _return(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        assert isinstance(node, cst.Return)
        self.sites.returns.append((node, scope, context))
        self._push_children(node, scope, context)

    def _collection(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        for element in node.elements:  # type: ignore[attr-defined]
            self.collection_elements.add(id(element.value))
            if isinstance(element.value, cst.Call) and _describes_capabilities(element.value):
                # A row of a capability table (``(ModelCapabilities(model_id="…",
                # supports_thinking=True), …)``, bedrock-ops): its fields describe a model,
                # like the names of a table of names; judged only where sent.  A row of a
                # routing table (``BedrockRoute(region=…, model_id=…)``) is still judged.
                for argument in element.value.args:
                    self.collection_elements.add(id(argument.value))
        self._push_children(node, scope, context)

    def _mentions_stop_reason(self, context: Context) -> None:
        self.sites.stop_reason_mentions.add(id(context.function.node) if context.function is not None else None)

    def _stored(self, name: str, scope: Scope) -> None:
        owner = scope.lookup_scope(name) or scope
        self.stored_names.add((id(owner), name))

    def _comprehension(self, node: cst.CSTNode, scope: Scope, context: Context) -> None:
        comprehension_scope = Scope("comprehension", node, scope)
        inner = context.enter(node, loop=True)
        clause = node.for_in  # type: ignore[attr-defined]
        first = True
        while clause is not None:
            self._bind(clause.target, None, comprehension_scope, "other")
            self._push(clause.iter, scope if first else comprehension_scope, context if first else inner)
            self._push(list(clause.ifs), comprehension_scope, inner)
            clause = clause.inner_for_in
            first = False
        if isinstance(node, cst.DictComp):
            self._push([node.key, node.value], comprehension_scope, inner)
        else:
            self._push(node.elt, comprehension_scope, inner)  # type: ignore[attr-defined]


# Keywords of a record that states what a model can do rather than how to call it.
_CAPABILITY_KEYWORD = re.compile(r"^(?:supports_\w+|max_(?:input|output)_tokens|context_window\w*|input_modalities|output_modalities)$")


def _is_type_checking(test: cst.BaseExpression) -> bool:
    """``TYPE_CHECKING``, ``typing.TYPE_CHECKING`` (or through any module alias)."""
    name = dotted_name(test)
    return name is not None and (name == "TYPE_CHECKING" or name.endswith(".TYPE_CHECKING"))


def _describes_capabilities(call: cst.Call) -> bool:
    return any(a.keyword is not None and _CAPABILITY_KEYWORD.match(a.keyword.value) for a in call.args)


def might_hold_model_id(node: cst.CSTNode) -> bool:
    """A cheap test on a string's source: could it contain a Claude id or a Bedrock ARN?"""
    if isinstance(node, cst.SimpleString):
        return "claude" in node.value or "arn:aws" in node.value
    if isinstance(node, cst.FormattedString):
        return any(
            isinstance(part, cst.FormattedStringText) and ("claude" in part.value or "arn:aws" in part.value)
            for part in node.parts
        )
    return False


def build_index(
    module: cst.Module, text: str, filename: str = "<string>", path: Path | None = None, project: ModuleView | None = None
) -> ModuleIndex:
    """``project``: the module's view of the project around it (``analysis.project``), so
    that names it imports from other modules of the run resolve."""
    walker = _Walker(module, project.package if project is not None else None)
    walker.run()
    resolver = Resolver(
        walker.module_scope, name_uses=walker.name_uses, loop_bodies=frozenset(walker.loop_bodies), branches=walker.branches,
        project=project,
    )
    index = ModuleIndex(
        module=module,
        text=text,
        filename=filename,
        resolver=resolver,
        module_scope=walker.module_scope,
        calls=walker.calls,
        functions=walker.functions,
        clients=[],
        configs={},
        operations=[],
        imported_modules=frozenset(walker.imported_modules),
        request_handlers={},
        assignment_targets=walker.assignment_targets,
        collected_values=walker.collected_values,
        stored_names=walker.stored_names,
        model_strings=walker.model_strings,
        name_mention_counts=walker.name_mentions,
        scope_mention_counts=walker.scope_mentions,
        collection_elements=walker.collection_elements,
        path=path,
        sites=walker.sites,
        subscript_assignments=walker.subscript_assignments,
    )
    bedrock.classify_calls(index)
    return index
