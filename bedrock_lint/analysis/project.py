"""The project index: what the modules of one run export to each other.

Today's slice of whole-project analysis (issue 23): module-level constants, environment
values and bedrock-runtime clients, and the imports that re-export them, so that
``client.converse(modelId=MODEL_ID, …)`` in ``app/api/chat.py`` sees the client of
``app/bedrock.py`` and the model id of ``app/config.py``.

- **Layout.**  Each file of the run gets a dotted module name relative to its project
  root: the nearest directory above it holding a ``pyproject.toml``, ``setup.cfg`` or
  ``.git`` (a ``src/`` directory directly under that root is an import root too).  The
  modules a file imports are found on disk under its root, whether or not the run
  checks them: ``check app/api/chat.py``, flake8 on that file and ``--stdin-filename``
  resolve what ``check .`` resolves.  The layout is built in the parent process from
  the paths and a listing of each root (nothing is read) and is all that crosses to
  worker processes.
- **Exports**, read with the standard library's ``ast`` (never libcst), lazily: a
  module is read and parsed the first time a module being analysed looks a name up in
  it, once per process.  So only modules that Bedrock modules import are indexed, and
  they are indexed whatever their text: a prompt module that never mentions Bedrock
  (and that the prefilter would reject) still exports its prompt.  A module exports:
  constants bound once at module level (str, int, float, bool, None, and lists, tuples
  and dicts with string keys of those; implicitly concatenated strings; f-strings whose
  every hole is such a string constant of the same module), ``os.environ.get("X",
  "fallback")``/``os.getenv`` (an environment value with its fallback), bedrock-runtime
  clients (``boto3.client("bedrock-runtime", …)``, ``boto3.Session(…).client(…)``,
  ``session.client(…)`` on a module-level session), and the names its imports bind
  (``from .x import y``, ``from x import y as z``, ``import x.y as z``), which are
  followed within the project (a bounded depth, no cycles).
- **Precision first.**  A name bound more than once at module level, bound inside a
  branch, loop, ``try`` or ``with``, or declared ``global`` anywhere, is unknown; so is
  everything else (functions, classes, calls) and every module outside the project.

A client export says only where the client is built: its configuration, timeout and
region are judged in that module, where the fix goes.  ``lookup`` records which modules
each answer depended on (``dependencies``), for the findings cache.
"""

from __future__ import annotations

import ast
import hashlib
import os
import warnings
from dataclasses import dataclass
from typing import Union

# Root markers, nearest first wins.
ROOT_MARKERS = ("pyproject.toml", "setup.cfg", ".git")
# How many re-exports and aliases a lookup follows.
MAX_DEPTH = 12
RUNTIME_SERVICE = "bedrock-runtime"
ENVIRONMENT_GETTERS = frozenset({"os.environ.get", "os.getenv"})
CLIENT_FACTORIES = frozenset({"boto3.client"})
SESSION_FACTORIES = frozenset({"boto3.Session", "boto3.session.Session"})


# ------------------------------------------------------------------ records
@dataclass(frozen=True)
class PlainList:
    """A list or tuple literal of plain values."""

    items: tuple
    is_tuple: bool = False


@dataclass(frozen=True)
class PlainDict:
    """A dict literal with string keys and plain values, in source order."""

    items: tuple  # ((key, plain value), ...)


Plain = Union[str, int, float, bool, None, PlainList, PlainDict]


@dataclass(frozen=True)
class Constant:
    value: Plain
    line: int


@dataclass(frozen=True)
class Environment:
    """``os.environ.get("X", fallback)``; ``fallback`` None when it is not a constant."""

    variable: str | None
    fallback: Constant | None
    line: int


@dataclass(frozen=True)
class RuntimeClient:
    """A boto3 bedrock-runtime client built at module level, at ``line``."""

    line: int


@dataclass(frozen=True)
class Alias:
    """The name stands for ``target``, a dotted name (an import, or ``B = A``)."""

    target: str
    line: int


@dataclass(frozen=True)
class ModuleReference:
    """The name is a module of the project."""

    name: str


Export = Union[Constant, Environment, RuntimeClient, Alias]


@dataclass(frozen=True)
class ModuleExports:
    name: str
    path: str
    digest: str
    # name -> export; names bound in a way the index does not follow are absent, and
    # listed in ``unknown`` when bound at all (so a submodule of the same name is not
    # taken for them).
    names: dict
    unknown: frozenset


@dataclass(frozen=True)
class Found:
    """A lookup's answer: the export and the module that defines it."""

    export: Export
    module: str
    path: str


# ------------------------------------------------------------------ layout
def project_root(directory: str, memo: dict) -> str | None:
    from bedrock_lint.paths import nearest_upward

    def marked(candidate: str) -> str | None:
        return candidate if any(os.path.exists(os.path.join(candidate, m)) for m in ROOT_MARKERS) else None

    return nearest_upward(directory, memo, marked)


def module_name(path: str, root: str) -> str | None:
    """The dotted name of the module at ``path`` under ``root`` (``src/`` stripped);
    None when the path cannot be imported by that name."""
    prefix = root if root.endswith(os.sep) else root + os.sep
    if not path.startswith(prefix) or not path.endswith(".py"):
        return None
    parts = path[len(prefix):].split(os.sep)
    if parts[0] == "src" and len(parts) > 1:
        parts = parts[1:]
    parts[-1] = parts[-1][: -len(".py")]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    if not parts or not all(part.isidentifier() for part in parts):
        return None
    return ".".join(parts)


class ProjectIndex:
    """The projects of one run, by root: their modules by dotted name, found on disk
    under the root the first time a name is looked up (the files of the run are known
    from the start), and their exports (read on first use, once per process).

    A run's files only say which projects there are: a module they import resolves
    from the project on disk whether or not it is one of them, so ``check FILE``, the
    flake8 plugin on one file and ``--stdin-filename`` see what a run over the whole
    project sees.  ``texts``: the text of a module that is not (or not yet) on disk as
    the editor has it (``--stdin-filename``), by absolute path; it replaces the file.
    Bytes are decoded as Python decodes a file (its coding cookie); text is taken as it is."""

    def __init__(self, paths: list[str], texts: dict[str, bytes | str] | None = None) -> None:
        self._roots: dict = {}
        self.modules: dict[tuple[str, str], str | None] = {}  # (root, module) -> path (None: none on disk)
        self.names: dict[str, tuple[str, str]] = {}  # path -> (root, module)
        self.run_modules: dict[tuple[str, str], str] = {}  # (root, module) -> path, for the files of the run
        # The top-level packages and modules of each root: only names under them are
        # looked up (and part of a cached result's key, so a new one re-checks).
        self.tops: dict[str, frozenset[str]] = {}
        self.texts: dict[str, bytes | str] = {self._key(path): raw for path, raw in (texts or {}).items()}
        self._exports: dict[str, ModuleExports | None] = {}
        self._digests: dict[str, str | None] = {}
        for path in paths:
            self.add(path)

    def add(self, path: str) -> tuple[str, str] | None:
        """Make ``path`` a module of the run; its (root, dotted name), None when it is
        not an importable module of a project."""
        absolute = self._key(path)
        if absolute in self.names:
            return self.names[absolute]
        if not absolute.endswith(".py"):
            return None
        root = project_root(os.path.dirname(absolute), self._roots)
        name = module_name(absolute, root) if root is not None else None
        if root is None or name is None:
            return None
        if root not in self.tops:
            self.tops[root] = top_level_names(root)
        self.tops[root] |= {name.partition(".")[0]}
        self.names[absolute] = (root, name)
        self.run_modules.setdefault((root, name), absolute)
        return root, name

    def replace_text(self, path: str, raw: bytes | str) -> None:
        """``raw`` stands for the file at ``path`` from now on (an editor's buffer)."""
        absolute = self._key(path)
        if self.texts.get(absolute) != raw:
            self.texts[absolute] = raw
            self._exports.pop(absolute, None)
            self._digests.pop(absolute, None)

    def __getstate__(self) -> dict:
        # Exports are read where used.
        return {
            "modules": self.modules, "names": self.names, "run_modules": self.run_modules, "tops": self.tops,
            "texts": self.texts, "roots": self._roots,
        }

    def __setstate__(self, state: dict) -> None:
        self.modules, self.names, self.run_modules = state["modules"], state["names"], state["run_modules"]
        self.tops, self.texts, self._roots = state["tops"], state["texts"], state["roots"]
        self._exports, self._digests = {}, {}

    def __bool__(self) -> bool:
        return bool(self.names)

    def __contains__(self, path: str) -> bool:
        return self._key(path) in self.names

    def _key(self, path: str) -> str:
        return path if os.path.isabs(path) else os.path.abspath(path)

    def module_of(self, path: str) -> "ModuleView | None":
        """The view of the project from the module at ``path``; None outside it."""
        found = self.names.get(self._key(path))
        if found is None:
            return None
        root, name = found
        is_package = os.path.basename(path) == "__init__.py"
        return ModuleView(self, root, name, is_package)

    def identity(self, path: str) -> str:
        """What a cached result of ``path`` depends on in the layout: its root and name."""
        found = self.names.get(self._key(path))
        if found is None:
            return ""
        return "\0".join([*found, *sorted(self.tops[found[0]])])

    def path_of(self, root: str, name: str) -> str | None:
        """The file of module ``name`` under ``root``, looked for on disk once."""
        key = (root, name)
        if key not in self.modules:
            found = module_file(root, name)
            if found is None:
                # Not on disk (a new file an editor has not saved): a file of the run.
                found = self.run_modules.get(key)
            self.modules[key] = found
        return self.modules[key]

    def exports(self, root: str, name: str) -> ModuleExports | None:
        path = self.path_of(root, name)
        if path is None:
            return None
        if path not in self._exports:
            given = self.texts.get(path)
            if given is not None:
                self._exports[path] = exports_of(given, name, path, is_package=os.path.basename(path) == "__init__.py")
            else:
                self._exports[path] = read_exports(path, name)
        return self._exports[path]

    def dependencies_hold(self, path: str, dependencies: dict) -> bool:
        """Whether every module a cached result of ``path`` read still has the digest it
        had then (and every module it looked for in vain is still absent)."""
        found = self.names.get(self._key(path))
        if found is None:
            return not dependencies
        root = found[0]
        for name, digest in dependencies.items():
            module = self.path_of(root, name)
            if module is None or digest is None:
                if module is not None or digest is not None:
                    return False
                continue
            if module not in self._digests:
                given = self.texts.get(module)
                if given is not None:
                    self._digests[module] = content_digest(given if isinstance(given, bytes) else given.encode("utf-8", "surrogatepass"))
                else:
                    try:
                        with open(module, "rb") as handle:
                            self._digests[module] = content_digest(handle.read())
                    except OSError:
                        self._digests[module] = None
            if self._digests[module] != digest:
                return False
        return True


def top_level_names(root: str) -> frozenset[str]:
    """The names a module of the project at ``root`` can start an import of the project
    with: its packages and modules, and those of ``root/src``."""
    names: set[str] = set()
    for directory in (root, os.path.join(root, "src")):
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.name.endswith(".py") and entry.is_file():
                    stem = entry.name[: -len(".py")]
                    if stem.isidentifier() and stem != "__init__":
                        names.add(stem)
                elif entry.name.isidentifier() and entry.is_dir():
                    names.add(entry.name)
            except OSError:
                continue
    return frozenset(names)


def module_file(root: str, name: str) -> str | None:
    """The file of module ``name`` under ``root`` (or ``root/src``): a package's
    ``__init__.py`` before a module of the same name, as Python finds them; None when
    there is neither."""
    parts = name.split(".")
    for base in (root, os.path.join(root, "src")):
        for candidate in (os.path.join(base, *parts, "__init__.py"), os.path.join(base, *parts) + ".py"):
            if os.path.isfile(candidate):
                return candidate
    return None


def read_exports(path: str, name: str) -> ModuleExports | None:
    """None when the file cannot be read (it is then as good as absent)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    return exports_of(raw, name, path, is_package=os.path.basename(path) == "__init__.py")


def content_digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:32]


# ------------------------------------------------------------------ lookups
class ModuleView:
    """Lookups of dotted names from one module of the project, recording the project
    modules each answer read (``dependencies``: module name -> digest, or None for a
    module name looked up that the project does not have)."""

    def __init__(self, project: ProjectIndex, root: str, name: str, is_package: bool) -> None:
        self.project = project
        self.root = root
        self.name = name
        self.package = name if is_package else name.rpartition(".")[0]
        self.dependencies: dict[str, str | None] = {}

    def lookup(self, dotted: str) -> Found | ModuleReference | None:
        """What ``dotted`` (``app.config.MODEL_ID``) names in the project, if it is a
        constant, environment value, client or module the index knows."""
        return self._lookup(dotted, 0, set())

    def _module(self, name: str) -> ModuleExports | None:
        exports = self.project.exports(self.root, name)
        if name != self.name:
            self.dependencies[name] = exports.digest if exports is not None else None
        return exports

    def _lookup(self, dotted: str, depth: int, seen: set) -> Found | ModuleReference | None:
        if depth > MAX_DEPTH or dotted in seen or dotted.partition(".")[0] not in self.project.tops[self.root]:
            return None
        seen.add(dotted)
        parts = dotted.split(".")
        # The longest prefix that is a module of the project.
        for end in range(len(parts), 0, -1):
            module = ".".join(parts[:end])
            exports = self._module(module)
            if exports is not None:
                break
        else:
            return None
        rest = parts[end:]
        if not rest:
            return ModuleReference(module)
        attribute, rest = rest[0], rest[1:]
        export = exports.names.get(attribute)
        if export is None:
            return None  # unknown, or not bound here (a submodule would have matched above)
        if isinstance(export, Alias):
            target = ".".join([export.target, *rest])
            return self._lookup(target, depth + 1, seen)
        if rest:
            return None  # an attribute of a constant or client
        return Found(export, module, exports.path)


# ------------------------------------------------------------------ exports
def exports_of(raw: bytes | str, name: str, path: str = "<string>", *, is_package: bool = False) -> ModuleExports:
    """What module ``name`` (source ``raw``) exports; nothing when it does not parse."""
    digest = content_digest(raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(raw)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return ModuleExports(name, path, digest, {}, frozenset())
    package = name if is_package else name.rpartition(".")[0]
    return _Exporter(tree, name, package).exports(path, digest)


class _Exporter:
    def __init__(self, tree: ast.Module, name: str, package: str) -> None:
        self.tree = tree
        self.name = name
        self.package = package
        self.counts: dict[str, int] = {}
        # Names bound by a top-level statement, with the statement.
        self.candidates: dict[str, ast.stmt] = {}
        # What names bound by a top-level import stand for (for qualified names).
        self.imports: dict[str, str] = {}
        self.values: dict[str, Export | None] = {}

    def exports(self, path: str, digest: str) -> ModuleExports:
        self._count_bindings()
        for statement in self.tree.body:
            for bound, target in self._imported(statement):
                self.imports[bound] = target
        names: dict[str, Export] = {}
        unknown: set[str] = set()
        for bound in self.counts:
            export = self._export(bound, 0) if self.counts[bound] == 1 else None
            if export is None:
                unknown.add(bound)
            else:
                names[bound] = export
        return ModuleExports(self.name, path, digest, names, frozenset(unknown))

    # -------------------------------------------------------- binding counts
    def _count_bindings(self) -> None:
        """Every module-level binding of every name (over-counting is safe: it only
        makes a name unknown); top-level simple statements are the candidates."""
        def bind(name: str) -> None:
            self.counts[name] = self.counts.get(name, 0) + 1

        for statement in self.tree.body:
            if isinstance(statement, (ast.Assign, ast.AnnAssign)):
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                if len(targets) == 1 and isinstance(targets[0], ast.Name) and statement.value is not None:
                    self.candidates[targets[0].id] = statement
            elif isinstance(statement, (ast.Import, ast.ImportFrom)):
                for bound, _target in self._imported(statement):
                    self.candidates[bound] = statement
        stack: list[ast.AST] = list(self.tree.body)
        while stack:
            node = stack.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bind(node.name)
                # Their bodies bind their own names, but may declare module globals.
                stack.extend(n for n in ast.walk(node) if isinstance(n, ast.Global))
                stack.extend(node.decorator_list)
                continue
            if isinstance(node, ast.Global):
                for name in node.names:
                    bind(name)
                    bind(name)  # assigned from a function: never a constant
                continue
            if isinstance(node, ast.Lambda):
                continue
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                bind(node.id)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    bind(alias.asname or alias.name.partition(".")[0])
            elif isinstance(node, ast.ExceptHandler) and node.name:
                bind(node.name)
            elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
                bind(node.name)
            elif isinstance(node, ast.MatchMapping) and node.rest:
                bind(node.rest)
            stack.extend(ast.iter_child_nodes(node))

    def _imported(self, statement: ast.stmt) -> list[tuple[str, str]]:
        """(bound name, dotted name it stands for) of a top-level import."""
        found = []
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.asname:
                    found.append((alias.asname, alias.name))
                else:
                    top = alias.name.partition(".")[0]
                    found.append((top, top))
        elif isinstance(statement, ast.ImportFrom):
            base = absolute_module(statement.module, statement.level, self.package)
            if base is None:
                return []
            for alias in statement.names:
                if alias.name != "*":
                    found.append((alias.asname or alias.name, f"{base}.{alias.name}"))
        return found

    # -------------------------------------------------------------- values
    def _export(self, name: str, depth: int) -> Export | None:
        if name in self.values:
            return self.values[name]
        self.values[name] = None  # cycles are unknown
        statement = self.candidates.get(name)
        export: Export | None = None
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            target = self.imports.get(name)
            export = Alias(target, statement.lineno) if target else None
        elif statement is not None and depth <= MAX_DEPTH:
            export = self._value_export(statement.value, statement.lineno, depth)  # type: ignore[attr-defined]
        self.values[name] = export
        return export

    def _value_export(self, value: ast.expr, line: int, depth: int) -> Export | None:
        if isinstance(value, ast.Name) and self.counts.get(value.id) == 1 and value.id in self.candidates:
            return Alias(f"{self.name}.{value.id}", line)  # B = A
        if isinstance(value, ast.Call):
            qualified = self._qualified(value.func)
            if qualified in ENVIRONMENT_GETTERS:
                return self._environment(value, line, depth)
            if self._makes_runtime_client(value, qualified, depth):
                return RuntimeClient(line)
            return None
        plain = self._plain(value, depth)
        return Constant(plain[0], line) if plain is not None else None

    def _plain(self, value: ast.expr, depth: int) -> tuple[Plain] | None:
        """(the value,) of a constant expression, None when it is not one."""
        if isinstance(value, ast.Constant):
            if isinstance(value.value, (str, int, float, bool)) or value.value is None:
                return (value.value,)
            return None
        if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.USub):
            inner = self._plain(value.operand, depth)
            if inner is not None and isinstance(inner[0], (int, float)) and not isinstance(inner[0], bool):
                return (-inner[0],)
            return None
        if isinstance(value, ast.JoinedStr):
            text = []
            for part in value.values:
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    text.append(part.value)
                    continue
                if not (isinstance(part, ast.FormattedValue) and part.conversion == -1 and part.format_spec is None):
                    return None
                known = self._string_constant(part.value, depth)
                if known is None:
                    return None
                text.append(known)
            return ("".join(text),)
        if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
            left, right = self._plain(value.left, depth), self._plain(value.right, depth)
            if left is not None and right is not None and isinstance(left[0], str) and isinstance(right[0], str):
                return (left[0] + right[0],)
            return None
        if isinstance(value, (ast.List, ast.Tuple)):
            items = []
            for element in value.elts:
                item = self._plain(element, depth)
                if item is None:
                    return None
                items.append(item[0])
            return (PlainList(tuple(items), isinstance(value, ast.Tuple)),)
        if isinstance(value, ast.Dict):
            entries = []
            for key, element in zip(value.keys, value.values):
                if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                    return None
                item = self._plain(element, depth)
                if item is None:
                    return None
                entries.append((key.value, item[0]))
            return (PlainDict(tuple(entries)),)
        if isinstance(value, ast.Name):
            known = self._string_constant(value, depth)
            return (known,) if known is not None else None
        return None

    def _string_constant(self, value: ast.expr, depth: int) -> str | None:
        """A string constant of this module, by name (for f-string holes)."""
        if isinstance(value, ast.Name) and self.counts.get(value.id) == 1:
            statement = self.candidates.get(value.id)
            if isinstance(statement, (ast.Assign, ast.AnnAssign)) and depth < MAX_DEPTH:
                plain = self._plain(statement.value, depth + 1)  # type: ignore[arg-type]
                if plain is not None and isinstance(plain[0], str):
                    return plain[0]
        return None

    def _environment(self, call: ast.Call, line: int, depth: int) -> Environment | None:
        if call.keywords or not call.args or any(isinstance(a, ast.Starred) for a in call.args):
            return None
        variable = self._plain(call.args[0], depth)
        name = variable[0] if variable is not None and isinstance(variable[0], str) else None
        fallback: Constant | None = Constant(None, line)
        if len(call.args) > 1:
            plain = self._plain(call.args[1], depth)
            fallback = Constant(plain[0], line) if plain is not None else None
        return Environment(name, fallback, line)

    def _qualified(self, node: ast.expr) -> str | None:
        """The dotted name an expression stands for through this module's top-level
        imports (``b.client`` after ``import boto3 as b``)."""
        if isinstance(node, ast.Attribute):
            base = self._qualified(node.value)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.Name) and self.counts.get(node.id) == 1:
            return self.imports.get(node.id)
        return None

    def _makes_runtime_client(self, call: ast.Call, qualified: str | None, depth: int) -> bool:
        if qualified not in CLIENT_FACTORIES:
            func = call.func
            if not (isinstance(func, ast.Attribute) and func.attr == "client"):
                return False
            session = func.value
            if isinstance(session, ast.Name) and self.counts.get(session.id) == 1:
                statement = self.candidates.get(session.id)
                session = statement.value if isinstance(statement, (ast.Assign, ast.AnnAssign)) else None  # type: ignore[assignment]
            if not (isinstance(session, ast.Call) and self._qualified(session.func) in SESSION_FACTORIES):
                return False
        service = next((k.value for k in call.keywords if k.arg == "service_name"), None)
        if service is None and call.args and not isinstance(call.args[0], ast.Starred):
            service = call.args[0]
        plain = self._plain(service, depth) if service is not None else None
        return plain is not None and plain[0] == RUNTIME_SERVICE


def absolute_module(module: str | None, level: int, package: str) -> str | None:
    """The absolute name of ``from <level dots><module> import …`` in ``package``."""
    if not level:
        return module
    parts = package.split(".") if package else []
    if level - 1 >= len(parts):
        return None  # above the top package: Python raises ImportError
    anchor = parts[: len(parts) - (level - 1)]
    if module:
        anchor.append(module)
    return ".".join(anchor) or None
