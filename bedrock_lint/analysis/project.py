"""The project index: what the modules of one run export to each other.

Today's slice of whole-project analysis (issue 23): module-level constants, environment
values and bedrock-runtime clients, and the imports that re-export them, so that
``client.converse(modelId=MODEL_ID, …)`` in ``app/api/chat.py`` sees the client of
``app/bedrock.py`` and the model id of ``app/config.py``.

- **Layout** (``analysis.layout``): each file's project root and dotted module name,
  and the modules on disk under the root; ``ProjectIndex`` adds the exports to it.
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
  followed within the project (a bounded depth, no cycles).  Beyond values, one level:
  botocore ``Config(...)`` objects (their arguments); functions without parameters whose
  body is one ``return`` (maybe ``@lru_cache``/``@functools.cache``) of a client, a Config,
  a constant or a reference (``def model_id(): return settings.MODEL_ID``); classes whose
  class attributes are values: pydantic-settings ``BaseSettings`` fields (each an
  environment value with its default as fallback: the environment can override it),
  ``@dataclass`` defaults and plain class attributes, read on an instance
  (``Settings().model_id``, ``settings.model_id`` after ``settings = Settings()``,
  ``get_settings().model_id``) or, except for settings, on the class; and prompt files
  read at import (``Path(__file__).with_name("x.txt").read_text()``, ``open(os.path.join(
  os.path.dirname(__file__), "x.md")).read()``): their text, when the file is inside the
  project root, UTF-8 and at most ``MAX_DATA_FILE_BYTES``; each file read is a dependency.
  A lookup writes a call without arguments as the step ``CALL``.
- **Precision first.**  A name bound more than once at module level, bound inside a
  branch, loop, ``try`` or ``with``, or declared ``global`` anywhere, is unknown; so is
  a function with parameters, a second ``return`` or any other statement, a class with
  other bases or decorators, a validator, ``__init__`` or ``__post_init__``, an attribute
  its methods assign, everything else, and every module outside the project.

A client export says only where the client is built: its configuration, timeout and
region are judged in that module, where the fix goes.  ``lookup`` records which modules
each answer depended on (``dependencies``), for the findings cache.
"""

from __future__ import annotations

import ast
import os
import warnings
from dataclasses import dataclass, field
from typing import Union

from bedrock_lint.analysis.layout import FILE_KEY, ProjectLayout, content_digest

# How many re-exports and aliases a lookup follows.
MAX_DEPTH = 12
RUNTIME_SERVICE = "bedrock-runtime"
# The step of a dotted reference that calls what precedes it without arguments
# (``app.config.get_settings.().model_id`` for ``get_settings().model_id``).
CALL = "()"
# The largest prompt file read at import.
MAX_DATA_FILE_BYTES = 1_000_000
CACHE_DECORATORS = frozenset({"functools.lru_cache", "functools.cache"})
SETTINGS_BASES = frozenset({"pydantic_settings.BaseSettings", "pydantic_settings.main.BaseSettings", "pydantic.BaseSettings"})
DATACLASS_DECORATORS = frozenset({"dataclasses.dataclass"})
FIELD_FUNCTIONS = frozenset({"pydantic.Field", "pydantic.fields.Field", "dataclasses.field"})
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
class Opaque:
    """An argument whose value the index does not know (in a :class:`ConfigObject`)."""


OPAQUE = Opaque()


@dataclass(frozen=True)
class ConfigObject:
    """``botocore.config.Config(...)`` built at module level (or returned by a
    factory): its qualified class and arguments, ``(keyword or None, plain value or
    OPAQUE)`` in order; ``has_splat`` when ``*``/``**`` arguments may add more."""

    qualified_name: str
    arguments: tuple
    has_splat: bool
    line: int


@dataclass(frozen=True)
class Factory:
    """A function without parameters whose body is one ``return`` (optionally cached
    with ``functools.lru_cache``/``cache``): calling it gives ``returns``."""

    returns: "Export"
    line: int


@dataclass(frozen=True)
class ClassExport:
    """A class whose class attributes are known values: ``kind`` "settings" (a
    pydantic-settings ``BaseSettings`` subclass: each field can be overridden by the
    environment, so its value is an :class:`Environment` with the default as fallback),
    "dataclass" (``@dataclass`` defaults) or "plain" (class attributes only, read on the
    class, never on an instance)."""

    kind: str
    fields: dict
    line: int


@dataclass(frozen=True)
class Alias:
    """The name stands for ``target``, a dotted name (an import, or ``B = A``).
    ``directory``: for an absolute import, the package of the importing module's
    directory, where Python finds the target when the module runs as a script."""

    target: str
    line: int
    directory: str = ""


@dataclass(frozen=True)
class ModuleReference:
    """The name is a module of the project."""

    name: str


Export = Union[Constant, Environment, RuntimeClient, ConfigObject, Factory, ClassExport, Alias]


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
    # Data files read at import (prompt files): dependency key ("file:" and the path
    # relative to the project root) -> digest.
    files: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Found:
    """A lookup's answer: the export and the module that defines it."""

    export: Export
    module: str
    path: str


class ProjectIndex(ProjectLayout):
    """The projects of one run (``analysis.layout.ProjectLayout``) and their modules'
    exports, read on first use, once per process."""

    def __init__(self, paths: list[str], texts: dict[str, bytes | str] | None = None) -> None:
        self._exports: dict[str, ModuleExports | None] = {}
        super().__init__(paths, texts)

    @classmethod
    def of(cls, layout: ProjectLayout) -> "ProjectIndex":
        """The index of a layout built without one (a run looks exports up only for the
        files the cache does not answer)."""
        if isinstance(layout, cls):
            return layout
        index = cls.__new__(cls)
        index.__setstate__(layout.__getstate__())
        return index

    def replace_text(self, path: str, raw: bytes | str) -> None:
        if self.texts.get(self._key(path)) != raw:
            self._exports.pop(self._key(path), None)
        super().replace_text(path, raw)

    def open_text(self, path: str, text: str) -> "ModuleView | None":
        """Make ``path`` a module of the run whose text is ``text`` (the text flake8
        checks, an editor's buffer: decoded already, its coding cookie spent); its view
        of the project, None when it is not an importable module of one."""
        if self.add(path) is None:
            return None
        self.replace_text(path, text)
        return self.module_of(path)

    def forget_text(self, path: str) -> None:
        super().forget_text(path)
        self._exports.pop(self._key(path), None)

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        self._exports = {}

    def module_of(self, path: str) -> "ModuleView | None":
        """The view of the project from the module at ``path``; None outside it."""
        found = self.names.get(self._key(path))
        if found is None:
            return None
        root, name = found
        is_package = os.path.basename(path) == "__init__.py"
        return ModuleView(self, root, name, is_package)

    def exports(self, root: str, name: str) -> ModuleExports | None:
        path = self.path_of(root, name)
        if path is None:
            return None
        if path not in self._exports:
            given = self.texts.get(path)
            if given is not None:
                is_package = os.path.basename(path) == "__init__.py"
                self._exports[path] = exports_of(given, name, path, is_package=is_package, root=root)
            else:
                self._exports[path] = read_exports(path, name, root)
        return self._exports[path]


def read_exports(path: str, name: str, root: str | None = None) -> ModuleExports | None:
    """None when the file cannot be read (it is then as good as absent)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    return exports_of(raw, name, path, is_package=os.path.basename(path) == "__init__.py", root=root)


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
        constant, environment value, client or module the index knows.  A name that is
        no top-level module or package of the project is looked for beside the module
        (``from utils import x`` in ``app/main.py`` run as a script: ``app/utils.py``)."""
        return self._lookup_from(dotted, self.package, 0, set())

    def _lookup_from(self, dotted: str, directory: str, depth: int, seen: set) -> Found | ModuleReference | None:
        if dotted.partition(".")[0] not in self.project.tops[self.root] and directory:
            dotted = f"{directory}.{dotted}"
        return self._lookup(dotted, depth, seen)

    def _module(self, name: str) -> ModuleExports | None:
        exports = self.project.exports(self.root, name)
        if name != self.name:
            self.dependencies[name] = exports.digest if exports is not None else None
        if exports is not None:
            self.dependencies.update(exports.files)  # a prompt file changes what it exports
        return exports

    def _lookup(self, dotted: str, depth: int, seen: set) -> Found | ModuleReference | None:
        if depth > MAX_DEPTH or dotted in seen or dotted.partition(".")[0] not in self.project.tops[self.root]:
            return None
        seen.add(dotted)
        parts = dotted.split(".")
        # The longest prefix that is a module of the project (never past a call).
        names = parts.index(CALL) if CALL in parts else len(parts)
        for end in range(names, 0, -1):
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
        # None: unknown, or not bound here (a submodule would have matched above).
        return self._follow(exports.names.get(attribute), rest, module, exports.path, depth, seen)

    def _follow(self, export: Export | None, rest: list[str], module: str, path: str, depth: int, seen: set) -> Found | ModuleReference | None:
        """What the steps ``rest`` (attributes, ``CALL``) give from ``export``, defined
        in ``module``: a factory's call gives what it returns, a class's field its
        value, on an instance of a settings class or dataclass or on a dataclass or
        plain class itself."""
        instance = False
        while export is not None:
            if isinstance(export, Alias):
                return self._lookup_from(".".join([export.target, *rest]), export.directory, depth + 1, seen)
            if not rest:
                return None if instance else Found(export, module, path)
            step, rest = rest[0], rest[1:]
            if isinstance(export, Factory) and step == CALL and not instance:
                export = export.returns
            elif isinstance(export, ClassExport) and step == CALL and not instance:
                instance = export.kind in ("settings", "dataclass")
                if not instance:
                    return None
            elif isinstance(export, ClassExport) and step != CALL and (instance or export.kind != "settings"):
                export, instance = export.fields.get(step), False
            else:
                return None  # an attribute of a constant, client or config
        return None


# ------------------------------------------------------------------ exports
def exports_of(
    raw: bytes | str, name: str, path: str = "<string>", *, is_package: bool = False, root: str | None = None
) -> ModuleExports:
    """What module ``name`` (source ``raw``) exports; nothing when it does not parse.
    Prompt files are read only inside ``root`` (the module's directory without one)."""
    digest = content_digest(raw)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(raw)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return ModuleExports(name, path, digest, {}, frozenset())
    package = name if is_package else name.rpartition(".")[0]
    return _Exporter(tree, name, package, path, root).exports(path, digest)


class _Exporter:
    def __init__(self, tree: ast.Module, name: str, package: str, path: str = "<string>", root: str | None = None) -> None:
        self.tree = tree
        self.name = name
        self.package = package
        self.path = path if os.path.isabs(path) else None
        self.root = root if root is not None else (os.path.dirname(path) if self.path else None)
        # Data files read at import: dependency key -> digest (None: absent or unreadable).
        self.files: dict[str, str | None] = {}
        # Names bound where an expression is evaluated (a class body): they are not
        # the module's.
        self.shadowed: frozenset[str] = frozenset()
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
        return ModuleExports(self.name, path, digest, names, frozenset(unknown), self.files)

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
            elif isinstance(statement, (ast.FunctionDef, ast.ClassDef)):
                self.candidates[statement.name] = statement
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
            absolute = isinstance(statement, ast.Import) or not statement.level
            export = Alias(target, statement.lineno, self.package if absolute else "") if target else None
        elif isinstance(statement, ast.FunctionDef):
            export = self._factory(statement, depth)
        elif isinstance(statement, ast.ClassDef):
            export = self._class(statement, depth)
        elif statement is not None and depth <= MAX_DEPTH:
            export = self._value_export(statement.value, statement.lineno, depth)  # type: ignore[attr-defined]
        self.values[name] = export
        return export

    def _value_export(self, value: ast.expr, line: int, depth: int) -> Export | None:
        if isinstance(value, ast.Name) and self._module_name(value.id) and value.id in self.candidates:
            return Alias(f"{self.name}.{value.id}", line)  # B = A
        if isinstance(value, ast.Call):
            qualified = self._qualified(value.func)
            if qualified in ENVIRONMENT_GETTERS:
                return self._environment(value, line, depth)
            if self._makes_runtime_client(value, qualified, depth):
                return RuntimeClient(line)
            config = self._config(value, qualified, line, depth)
            if config is not None:
                return config
            text = self._file_text(value, depth)
            if text is not None:
                return Constant(text, line)
            if value.args or value.keywords:
                return None
        if isinstance(value, (ast.Call, ast.Attribute)):
            # get_settings(), settings.model_id, Settings().model_id: followed on lookup.
            reference = self._reference(value, depth)
            return Alias(reference, line, self.package) if reference is not None else None
        plain = self._plain(value, depth)
        return Constant(plain[0], line) if plain is not None else None

    def _module_name(self, name: str) -> bool:
        """``name`` is bound once at module level and not shadowed where it is read."""
        return name not in self.shadowed and self.counts.get(name) == 1

    def _reference(self, node: ast.expr, depth: int) -> str | None:
        """The dotted reference a name, attribute chain or call without arguments
        stands for (``CALL`` for the call), for lookups to follow."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, ast.Name):
            if not self._module_name(node.id) or node.id not in self.candidates:
                return None
            return self.imports.get(node.id) or f"{self.name}.{node.id}"
        if isinstance(node, ast.Attribute):
            base = self._reference(node.value, depth + 1)
            return f"{base}.{node.attr}" if base is not None else None
        if isinstance(node, ast.Call) and not node.args and not node.keywords:
            base = self._reference(node.func, depth + 1)
            return f"{base}.{CALL}" if base is not None else None
        return None

    # ------------------------------------------------------------ configs
    def _config(self, call: ast.Call, qualified: str | None, line: int, depth: int) -> ConfigObject | None:
        if qualified is None or not qualified.endswith("Config"):
            return None
        from bedrock_lint.catalog.api import CONFIG_CLASSES  # only when a Config is built

        if qualified not in CONFIG_CLASSES:
            return None
        arguments: list[tuple[str | None, object]] = []
        has_splat = False
        for argument in call.args:
            if isinstance(argument, ast.Starred):
                has_splat = True
            else:
                plain = self._plain(argument, depth)
                arguments.append((None, plain[0] if plain is not None else OPAQUE))
        for keyword in call.keywords:
            if keyword.arg is None:
                has_splat = True
            else:
                plain = self._plain(keyword.value, depth)
                arguments.append((keyword.arg, plain[0] if plain is not None else OPAQUE))
        return ConfigObject(qualified, tuple(arguments), has_splat, line)

    # ---------------------------------------------------------- factories
    def _factory(self, node: ast.FunctionDef, depth: int) -> Factory | None:
        """``def get_client(): return boto3.client(…)``, maybe cached: no parameters,
        nothing but a docstring and one ``return`` of a value the index knows."""
        if not all(self._is_cache_decorator(decorator) for decorator in node.decorator_list):
            return None
        arguments = node.args
        if arguments.posonlyargs or arguments.args or arguments.vararg or arguments.kwonlyargs or arguments.kwarg:
            return None
        body = node.body[1:] if _is_docstring(node.body[0]) else node.body
        if len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None:
            return None
        value = body[0].value
        if any(isinstance(n, (ast.Yield, ast.YieldFrom, ast.Await, ast.NamedExpr)) for n in ast.walk(value)):
            return None
        returns = self._value_export(value, value.lineno, depth + 1)
        return Factory(returns, node.lineno) if returns is not None else None

    def _is_cache_decorator(self, decorator: ast.expr) -> bool:
        if isinstance(decorator, ast.Call):
            return self._qualified(decorator.func) == "functools.lru_cache"
        return self._qualified(decorator) in CACHE_DECORATORS

    # ------------------------------------------------------------ classes
    def _class(self, node: ast.ClassDef, depth: int) -> ClassExport | None:
        """A pydantic-settings class, a dataclass or a plain class whose attributes are
        set once in its body and never from its methods; validators, ``__init__`` and
        ``__post_init__`` make every attribute unknown."""
        bases = [self._qualified(base) for base in node.bases]
        decorators = node.decorator_list
        if node.keywords:
            return None
        if len(bases) == 1 and bases[0] in SETTINGS_BASES and not decorators:
            kind = "settings"
        elif not bases and len(decorators) == 1 and self._is_dataclass(decorators[0]):
            kind = "dataclass"
        elif not bases and not decorators:
            kind = "plain"
        else:
            return None
        statements: dict[str, ast.stmt] = {}
        counts: dict[str, int] = {}
        written: set[str] = set()
        prefix: str | None = ""
        for statement in node.body:
            if isinstance(statement, (ast.Assign, ast.AnnAssign)):
                targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                if len(targets) != 1 or not isinstance(targets[0], ast.Name):
                    return None
                bound = targets[0].id
                counts[bound] = counts.get(bound, 0) + 1
                if bound == "model_config" and kind == "settings":
                    prefix = self._env_prefix(statement.value, depth)
                elif statement.value is not None:
                    statements[bound] = statement
            elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if statement.name in CONSTRUCTION_METHODS or any("validator" in ast.dump(d) for d in statement.decorator_list):
                    return None
                counts[statement.name] = counts.get(statement.name, 0) + 1
                written.update(
                    n.attr for n in ast.walk(statement) if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Store)
                )
                if any(isinstance(n, ast.Name) and n.id == "setattr" for n in ast.walk(statement)):
                    return None
            elif isinstance(statement, ast.ClassDef) and statement.name == "Config" and kind == "settings":
                prefix = self._config_class_prefix(statement, depth)
            elif not (isinstance(statement, ast.Pass) or _is_docstring(statement)):
                return None
        fields: dict[str, Export] = {}
        outer = self.shadowed
        self.shadowed = outer | frozenset(counts)
        try:
            for bound, statement in statements.items():
                if counts[bound] != 1 or bound in written:
                    continue
                export = self._field(kind, bound, statement, prefix, depth)
                if export is not None:
                    fields[bound] = export
        finally:
            self.shadowed = outer
        return ClassExport(kind, fields, node.lineno)

    def _is_dataclass(self, decorator: ast.expr) -> bool:
        if isinstance(decorator, ast.Call):
            decorator = decorator.func
        return self._qualified(decorator) in DATACLASS_DECORATORS

    def _field(self, kind: str, name: str, statement: ast.stmt, prefix: str | None, depth: int) -> Export | None:
        value = statement.value  # type: ignore[attr-defined]
        line = statement.lineno
        variable: str | None = (prefix + name).upper() if prefix is not None else None
        if isinstance(value, ast.Call) and self._qualified(value.func) in FIELD_FUNCTIONS:
            value, named = _field_default(value)
            if value is None:
                return None
            if named:
                variable = None  # alias=, validation_alias=, env=: another variable
        if kind == "plain":
            return self._value_export(value, line, depth + 1)
        if kind == "settings" and not (isinstance(statement, ast.AnnAssign) and _plain_annotation(statement.annotation)):
            return None  # pydantic converts the value to the annotation; an unannotated attribute is an error
        plain = self._plain(value, depth)
        if plain is None:
            return None
        if kind == "settings":
            return Environment(variable, Constant(plain[0], line), line)
        return Constant(plain[0], line)

    def _env_prefix(self, value: ast.expr | None, depth: int) -> str | None:
        """The ``env_prefix`` of ``model_config = SettingsConfigDict(…)`` (or a dict):
        "" when it sets none, None when it cannot be read."""
        if isinstance(value, ast.Call) and not value.args and all(k.arg for k in value.keywords):
            options = {k.arg: k.value for k in value.keywords}
        elif isinstance(value, ast.Dict) and all(isinstance(k, ast.Constant) for k in value.keys):
            options = {k.value: v for k, v in zip(value.keys, value.values)}  # type: ignore[union-attr]
        else:
            return None
        return self._prefix_option(options, depth)

    def _config_class_prefix(self, node: ast.ClassDef, depth: int) -> str | None:
        options: dict = {}
        for statement in node.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
                options[statement.targets[0].id] = statement.value
            elif not (isinstance(statement, ast.Pass) or _is_docstring(statement)):
                return None
        return self._prefix_option(options, depth)

    def _prefix_option(self, options: dict, depth: int) -> str | None:
        if "case_sensitive" in options or "env_prefix" not in options:
            return None if "case_sensitive" in options else ""
        prefix = self._plain(options["env_prefix"], depth)
        return prefix[0] if prefix is not None and isinstance(prefix[0], str) else None

    # ------------------------------------------------------- prompt files
    def _file_text(self, call: ast.Call, depth: int) -> str | None:
        """The text of a data file a module reads when imported:
        ``Path(__file__).with_name("x.txt").read_text()``, ``(Path(__file__).parent /
        "x.txt").read_text(encoding="utf-8")``, ``open(os.path.join(os.path.dirname(
        __file__), "x.md")).read()``, each maybe ``.strip()``-ed."""
        func = call.func
        if not isinstance(func, ast.Attribute) or call.args and func.attr != "read_text":
            return None
        if func.attr in ("strip", "lstrip", "rstrip") and not call.keywords and isinstance(func.value, ast.Call):
            inner = self._file_text(func.value, depth)
            return getattr(inner, func.attr)() if inner is not None else None
        if func.attr == "read_text":
            encodings = [*call.args, *(k.value for k in call.keywords if k.arg == "encoding")]
            if len(encodings) > 1 or any(k.arg != "encoding" for k in call.keywords) or not all(_is_utf8(e) for e in encodings):
                return None
            path = self._path(func.value, depth)
        elif func.attr == "read" and not call.keywords and isinstance(func.value, ast.Call):
            opened = func.value
            qualified = self._qualified(opened.func) if not (isinstance(opened.func, ast.Name) and opened.func.id == "open") else (
                "open" if "open" not in self.counts else None
            )
            if qualified not in ("open", "io.open") or not opened.args or len(opened.args) > 2:
                return None
            mode = opened.args[1] if len(opened.args) > 1 else next((k.value for k in opened.keywords if k.arg == "mode"), None)
            if mode is not None and not (isinstance(mode, ast.Constant) and mode.value in ("r", "rt")):
                return None
            if any(k.arg not in ("mode", "encoding") or (k.arg == "encoding" and not _is_utf8(k.value)) for k in opened.keywords):
                return None
            path = self._path(opened.args[0], depth)
        else:
            return None
        return self._read(path) if path is not None else None

    def _path(self, node: ast.expr, depth: int) -> str | None:
        """The absolute path an expression names, from ``__file__`` and string pieces."""
        if depth > MAX_DEPTH or self.path is None:
            return None
        if isinstance(node, ast.Name):
            if node.id == "__file__" and "__file__" not in self.counts:
                return self.path
            statement = self.candidates.get(node.id) if self._module_name(node.id) else None
            if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
                return self._path(statement.value, depth + 1)
            return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            base, tail = self._path(node.left, depth + 1), self._path_piece(node.right, depth)
            return os.path.join(base, tail) if base is not None and tail is not None else None
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            base = self._path(node.value, depth + 1)
            return os.path.dirname(base) if base is not None else None
        if not isinstance(node, ast.Call) or any(isinstance(a, ast.Starred) for a in node.args) or node.keywords:
            return None
        qualified = self._qualified(node.func)
        if qualified in ("pathlib.Path", "os.path.abspath", "os.path.realpath", "os.path.normpath") and len(node.args) == 1:
            return self._path(node.args[0], depth + 1)
        if qualified == "os.path.dirname" and len(node.args) == 1:
            base = self._path(node.args[0], depth + 1)
            return os.path.dirname(base) if base is not None else None
        if qualified == "os.path.join" and node.args:
            base = self._path(node.args[0], depth + 1)
            pieces = [self._path_piece(a, depth) for a in node.args[1:]]
            return os.path.join(base, *pieces) if base is not None and None not in pieces else None  # type: ignore[arg-type]
        if isinstance(node.func, ast.Attribute):
            method = node.func.attr
            base = self._path(node.func.value, depth + 1)
            if base is None:
                return None
            if method in ("resolve", "absolute") and not node.args:
                return base
            if method == "joinpath" and node.args:
                pieces = [self._path_piece(a, depth) for a in node.args]
                return os.path.join(base, *pieces) if None not in pieces else None  # type: ignore[arg-type]
            if method == "with_name" and len(node.args) == 1:
                piece = self._path_piece(node.args[0], depth)
                return os.path.join(os.path.dirname(base), piece) if piece is not None and "/" not in piece else None
        return None

    def _path_piece(self, node: ast.expr, depth: int) -> str | None:
        """A relative path written as a string constant."""
        plain = self._plain(node, depth)
        if plain is None or not isinstance(plain[0], str) or not plain[0] or os.path.isabs(plain[0]) or "\\" in plain[0]:
            return None
        return plain[0]

    def _read(self, path: str) -> str | None:
        """The text of the file at ``path``, when it lies inside the project and is a
        UTF-8 file of at most ``MAX_DATA_FILE_BYTES``; recorded as a dependency."""
        if self.root is None:
            return None
        path = os.path.normpath(path)
        root = os.path.normpath(self.root)
        if os.path.commonpath([path, root]) != root or os.path.commonpath([os.path.realpath(path), os.path.realpath(root)]) != os.path.realpath(root):
            return None
        key = FILE_KEY + os.path.relpath(path, root).replace(os.sep, "/")
        self.files[key] = None
        try:
            if not os.path.isfile(path) or os.path.getsize(path) > MAX_DATA_FILE_BYTES:
                return None
            with open(path, "rb") as handle:
                raw = handle.read(MAX_DATA_FILE_BYTES + 1)
        except OSError:
            return None
        self.files[key] = content_digest(raw)
        if len(raw) > MAX_DATA_FILE_BYTES:
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return text.replace("\r\n", "\n").replace("\r", "\n")  # universal newlines, as read_text()

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
        if isinstance(value, ast.Name) and self._module_name(value.id) and depth < MAX_DEPTH:
            statement = self.candidates.get(value.id)
            if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
                return self._plain(statement.value, depth + 1)
        return None

    def _string_constant(self, value: ast.expr, depth: int) -> str | None:
        """A string constant of this module, by name (for f-string holes)."""
        if isinstance(value, ast.Name) and self._module_name(value.id):
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
        if isinstance(node, ast.Name) and self._module_name(node.id):
            return self.imports.get(node.id)
        return None

    def _makes_runtime_client(self, call: ast.Call, qualified: str | None, depth: int) -> bool:
        if qualified not in CLIENT_FACTORIES:
            func = call.func
            if not (isinstance(func, ast.Attribute) and func.attr == "client"):
                return False
            session = func.value
            if isinstance(session, ast.Name) and self._module_name(session.id):
                statement = self.candidates.get(session.id)
                session = statement.value if isinstance(statement, (ast.Assign, ast.AnnAssign)) else None  # type: ignore[assignment]
            if not (isinstance(session, ast.Call) and self._qualified(session.func) in SESSION_FACTORIES):
                return False
        service = next((k.value for k in call.keywords if k.arg == "service_name"), None)
        if service is None and call.args and not isinstance(call.args[0], ast.Starred):
            service = call.args[0]
        plain = self._plain(service, depth) if service is not None else None
        return plain is not None and plain[0] == RUNTIME_SERVICE


# Methods that make an instance's attributes differ from the class body's defaults.
CONSTRUCTION_METHODS = frozenset({"__init__", "__post_init__", "__new__", "__getattr__", "__getattribute__", "__set_name__", "model_post_init"})
_PLAIN_ANNOTATIONS = frozenset({"str", "int", "float", "bool", "dict", "list", "Dict", "List"})


def _is_docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and isinstance(statement.value.value, str)


def _is_utf8(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lower().replace("_", "-") in ("utf-8", "utf8")


def _plain_annotation(node: ast.expr) -> bool:
    """``str``, ``int``, ``dict[str, int]``, ``str | None``, ``Optional[str]``: types
    whose value pydantic keeps as written."""
    if isinstance(node, ast.Name):
        return node.id in _PLAIN_ANNOTATIONS
    if isinstance(node, ast.Constant) and node.value is None:
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _plain_annotation(node.left) and _plain_annotation(node.right)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        if node.value.id == "Optional":
            return _plain_annotation(node.slice)
        return node.value.id in _PLAIN_ANNOTATIONS
    return False


def _field_default(call: ast.Call) -> tuple[ast.expr | None, bool]:
    """The default of ``Field(…)``/``field(…)`` (its ``default=`` or first argument; None
    with ``default_factory=``), and whether it names another environment variable."""
    default = next((k.value for k in call.keywords if k.arg == "default"), None)
    if default is None and call.args and not isinstance(call.args[0], ast.Starred):
        default = call.args[0]
    if any(k.arg in (None, "default_factory") for k in call.keywords):
        return None, False
    if isinstance(default, ast.Constant) and default.value is Ellipsis:
        return None, False  # Field(...): required
    return default, any(k.arg in ("alias", "validation_alias", "env") for k in call.keywords)


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
