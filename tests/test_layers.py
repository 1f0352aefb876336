"""The package reads as layers: no module imports a module that imports it back, and the
command line sits on top (nothing below it imports ``bedrock_lint.cli``).

Every import counts, at the top of a module, inside a function (a lazy import is still
a dependency) or under ``TYPE_CHECKING``.  The graph is read with ``ast``; nothing is
imported."""

from __future__ import annotations

import ast
from pathlib import Path

import bedrock_lint

PACKAGE = Path(bedrock_lint.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                imported.add(base)
                imported.update(f"{base}.{alias.name}" for alias in node.names)
        graph[name] = {module for module in imported if module in modules and module != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_module_imports_a_module_that_imports_it_back():
    assert cycles(import_graph()) == []


def test_no_module_below_the_command_line_imports_it():
    on_top = {"bedrock_lint.cli", "bedrock_lint.__main__"}
    assert [name for name, imported in sorted(import_graph().items()) if name not in on_top and "bedrock_lint.cli" in imported] == []


def test_the_engine_commands_import_their_exit_codes_from_below():
    graph = import_graph()
    assert "bedrock_lint.engine.exit_codes" in graph["bedrock_lint.engine.check_command"]
    assert "bedrock_lint.engine.exit_codes" in graph["bedrock_lint.engine.migrate_command"]


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_records_are_below_the_analyses_that_read_them():
    graph = import_graph()
    # walk: the node traversal, which imports nothing of bedrock_lint (the parent map).
    below = ("bedrock_lint.analysis.scopes", "bedrock_lint.analysis.values", "bedrock_lint.analysis.entry_points", "bedrock_lint.analysis.walk")
    assert not {m for m in graph["bedrock_lint.analysis.sites"] if m.startswith("bedrock_lint.analysis.") and m not in below}
    assert not {m for m in graph["bedrock_lint.analysis.walk"] if m.startswith("bedrock_lint.")}
    importers_of_index = {name for name, imported in graph.items() if "bedrock_lint.analysis.index" in imported}
    assert importers_of_index <= {"bedrock_lint.engine.analyse"}, importers_of_index
