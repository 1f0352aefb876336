"""The layout of the projects of one run: which project and module each file is, where
the modules it may import are on disk, and whether what a cached result read still holds.

Each file of the run gets a dotted module name relative to its project root: the nearest
directory above it holding a ``pyproject.toml``, ``setup.cfg`` or ``.git`` (a ``src/``
directory directly under that root is an import root too).  The modules a file imports
are found on disk under its root, whether or not the run checks them: ``check
app/api/chat.py``, flake8 on that file and ``--stdin-filename`` resolve what ``check .``
resolves.  The layout is built in the parent process from the paths and a listing of
each root (nothing is read) and is all that crosses to worker processes.  It is also
what the findings cache keys a project's files on: a run whose files the cache answers
needs it, not the exports of ``analysis.project`` (nor ``ast``).
"""

from __future__ import annotations

import hashlib
import os

# Root markers, nearest first wins.
ROOT_MARKERS = ("pyproject.toml", "setup.cfg", ".git")
# Dependencies on data files (prompt files) are keyed "file:<path under the root>".
FILE_KEY = "file:"


def project_root(directory: str, memo: dict) -> str | None:
    from bedrock_lint.paths import nearest_upward

    def marked(candidate: str) -> str | None:
        return candidate if any(os.path.exists(os.path.join(candidate, m)) for m in ROOT_MARKERS) else None

    return nearest_upward(directory, memo, marked)


def import_location(path: str, root: str) -> tuple[str, str] | None:
    """(import root, dotted name) of the module at ``path`` in the project at ``root``.

    The import root is the project root (a ``src/`` directory under it is stripped from
    the name), or, when a directory on the way down is not a valid package name
    (``my-app/``, ``lambda-fns/``: nothing can import through it), the deepest such
    directory: code below it runs only with that directory (or one below it) on
    ``sys.path``, as a script or a Lambda function's package does.  None when the file's
    own name cannot be imported."""
    prefix = root if root.endswith(os.sep) else root + os.sep
    if not path.startswith(prefix) or not path.endswith(".py"):
        return None
    parts = path[len(prefix):].split(os.sep)
    parts[-1] = parts[-1][: -len(".py")]
    if not parts[-1].isidentifier():
        return None
    skipped = 1 if parts[0] == "src" and len(parts) > 1 else 0
    for position in range(len(parts) - 2, skipped - 1, -1):
        if not parts[position].isidentifier():
            skipped = position + 1
            break
    base = os.path.join(root, *parts[:skipped]) if skipped else root
    if parts[0] == "src" and skipped == 1:
        base = root  # src/ is stripped, not a root of its own: tests/ beside it import the same names
    names = parts[skipped:]
    if names[-1] == "__init__":
        names = names[:-1]
    if not names:
        return None
    return base, ".".join(names)


class ProjectLayout:
    """The projects of one run, by root: their modules by dotted name, found on disk
    under the root the first time a name is looked up (the files of the run are known
    from the start).  ``analysis.project.ProjectIndex`` adds their exports.

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
        directory = os.path.dirname(absolute)
        # Outside any project (no marker above), the file's directory: where Python
        # looks first when it runs the file as a script.
        found = import_location(absolute, project_root(directory, self._roots) or directory)
        if found is None:
            return None
        root, name = found
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
            self._digests.pop(absolute, None)

    def forget_text(self, path: str) -> None:
        """The file at ``path`` stands for its module again (an editor closed it, or it
        changed on disk): its text and its digest are read again when used."""
        absolute = self._key(path)
        self.texts.pop(absolute, None)
        self._digests.pop(absolute, None)
        # A module looked for in vain may be this file, now on disk.
        self.modules = {key: found for key, found in self.modules.items() if found is not None}

    def __getstate__(self) -> dict:
        # Exports are read where used.
        return {
            "modules": self.modules, "names": self.names, "run_modules": self.run_modules, "tops": self.tops,
            "texts": self.texts, "roots": self._roots,
        }

    def __setstate__(self, state: dict) -> None:
        self.modules, self.names, self.run_modules = state["modules"], state["names"], state["run_modules"]
        self.tops, self.texts, self._roots = state["tops"], state["texts"], state["roots"]
        self._digests = {}

    def __bool__(self) -> bool:
        return bool(self.names)

    def __contains__(self, path: str) -> bool:
        return self._key(path) in self.names

    def _key(self, path: str) -> str:
        return path if os.path.isabs(path) else os.path.abspath(path)

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

    def dependencies_hold(self, path: str, dependencies: dict) -> bool:
        """Whether every module a cached result of ``path`` read still has the digest it
        had then (and every module it looked for in vain is still absent)."""
        found = self.names.get(self._key(path))
        if found is None:
            return not dependencies
        root = found[0]
        for name, digest in dependencies.items():
            if name.startswith(FILE_KEY):
                if data_file_digest(os.path.join(root, *name[len(FILE_KEY):].split("/")), self._digests) != digest:
                    return False
                continue
            module = self.path_of(root, name)
            if module is None or digest is None:
                if module is not None or digest is not None:
                    return False
                continue
            if module not in self._digests and module in self.texts:
                self._digests[module] = content_digest(self.texts[module])
            if data_file_digest(module, self._digests) != digest:
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
                elif entry.name.isidentifier() and entry.is_dir() and _holds_python(entry.path, 2):
                    names.add(entry.name)
            except OSError:
                continue
    return frozenset(names)


def _holds_python(directory: str, depth: int) -> bool:
    """Whether ``directory`` holds a ``.py`` file, directly or in a subdirectory that an
    import can name, ``depth`` levels down: a directory without one (``build/``, a cache,
    ``__pycache__``) is no package, and one created by a run must not change the layout
    of the next."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return False
    for entry in entries:
        try:
            if entry.name.endswith(".py") and entry.is_file():
                return True
        except OSError:
            continue
    return depth > 1 and any(
        entry.name.isidentifier() and entry.is_dir() and _holds_python(entry.path, depth - 1) for entry in entries
    )


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


def content_digest(raw: bytes | str) -> str:
    """The digest of a module's bytes, or of its text as an editor or flake8 gives it."""
    data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:32]


def data_file_digest(path: str, memo: dict) -> str | None:
    """The digest of the file at ``path`` now (None when it cannot be read), once per
    process."""
    if path not in memo:
        try:
            with open(path, "rb") as handle:
                memo[path] = content_digest(handle.read())
        except OSError:
            memo[path] = None
    return memo[path]
