"""The findings cache: one file per working directory and tool version,
``.bedrock_lint_cache/<version>/files.json`` (or ``<version>/files.json`` in the
directory given by ``--cache-dir`` or ``BEDROCK_LINT_CACHE_DIR``).  Whichever directory
it is gets a ``CACHEDIR.TAG``, so backup tools skip it, and a ``.gitignore``.

Each checked file has one entry, keyed by its name as shown in reports: the size,
modification time (ns) and SHA-256 of the bytes last checked, when they were read, a
fingerprint of everything else findings depend on (the tool version and code, the
resolved settings, the enabled rules, the catalog, and in a project the file's place in
it: ``analysis.project``), whether the file was analysed, its findings, and the modules
of the project its analysis read names from (their SHA-256, or none for a module it
looked for and did not find): a change in ``config.py`` re-checks the modules that
import from it (``run._cached_result`` checks them).  A warm run looks entries up before any file is read: when the size and
modification time still match (and the file was not modified within
``RACY_SECONDS`` of being read, when a later change could keep both), the file is not
read at all, as in ruff's cache; when only the time changed, the content's SHA-256
decides.

The run loads the file once and writes it once at the end, only if something changed:
it re-reads the file then and merges its own entries in, so runs that check different
paths (pre-commit, an editor) keep each other's entries, and writes a temporary file
that replaces the old one atomically (``os.replace``), so a concurrent run never reads
half a file.  A missing, unreadable or corrupt file, or a malformed entry, is a miss.
If the directory cannot be written, the run goes on without saving.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from functools import lru_cache
from pathlib import Path

from bedrock_lint import __version__

CACHE_DIRECTORY = ".bedrock_lint_cache"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by bedrock-lint.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)


@lru_cache(maxsize=1)
def _packaged_facts_digest() -> str:
    # Read from the installed package's directory, as code_version reads it (importing
    # importlib.resources costs a warm run about 5 ms).
    digest = hashlib.sha256()
    for path in sorted((Path(__file__).resolve().parent.parent / "catalog").glob("*.json")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def code_version() -> str:
    """Changes when the installed bedrock-lint code changes, not only its version number:
    an edited rule (an editable install, a development checkout) must not be served stale
    findings.  File sizes and modification times, read once per process."""
    package = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    modules = []
    # os.walk, not Path.rglob: a warm run of one file spent about 15 ms in rglob here.
    for directory, _, names in os.walk(package):
        modules += [os.path.join(directory, name) for name in names if name.endswith(".py")]
    digest = hashlib.sha256()
    for relative, path in sorted((os.path.relpath(path, package), path) for path in modules):
        status = os.stat(path)
        digest.update(f"{relative}\0{status.st_size}\0{status.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=8)
def _file_digest(path: str, mtime_ns: int) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    except OSError:
        return "unreadable"


def catalog_version(configured_catalog: str | None = None) -> str:
    """Changes whenever the facts findings depend on change, so cached findings are
    recomputed: the packaged data, the model catalog in use (a refreshed user catalog or
    the configured one), the botocore whose service model calls are judged against and
    today's date (lifecycle status is computed from it)."""
    from bedrock_lint.catalog.botocore_surface import surface_key
    from bedrock_lint.catalog.location import catalog_location, today

    parts = [_packaged_facts_digest(), today().isoformat(), surface_key()]
    location = catalog_location(configured_catalog)
    if location is not None:
        try:
            mtime = os.stat(location).st_mtime_ns
        except OSError:
            mtime = 0
        parts.append(_file_digest(str(location), mtime))
    return "-".join(parts)


CACHE_FILE = "files.json"
# A cache file larger than this is not read (and is rewritten): about 200 bytes per file
# without findings, so room for hundreds of thousands of files.
MAX_CACHE_BYTES = 256 * 1024 * 1024
FORMAT = 3  # 2: entries keep where hard-coded credentials are (offsets); 3: the modules read
# A file modified this close to when it was read may change again without its size or
# modification time changing (coarse timestamps); its entry is confirmed by content.
RACY_SECONDS = 2.0


def content_digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:32]


class CachedFile:
    """A cache hit: the findings (as JSON), whether the file was analysed, and where its
    hard-coded credentials are (offsets; the cache never holds their text)."""

    __slots__ = ("findings", "analysed", "secret_spans", "dependencies")

    def __init__(
        self, findings: list, analysed: bool, secret_spans: list[tuple[int, int]] | None = None, dependencies: dict | None = None
    ) -> None:
        self.findings = findings
        self.analysed = analysed
        self.secret_spans = secret_spans or []
        # Project module name -> the digest its analysis read (None: looked for, absent).
        self.dependencies = dependencies or {}


class Cache:
    def __init__(self, root: Path, *, enabled: bool = True, directory: Path | None = None) -> None:
        """``directory``: where the cache lives; ``root / CACHE_DIRECTORY`` by default."""
        self.directory = directory if directory is not None else root / CACHE_DIRECTORY
        self.enabled = enabled
        self.warning: str | None = None
        self._entries: dict | None = None
        self._updates: dict[str, list] = {}
        self._fingerprints: dict[tuple, str] = {}

    @property
    def file(self) -> Path:
        return self.directory / __version__ / CACHE_FILE

    def fingerprint(self, settings_fingerprint: str, codes: frozenset[str], catalog: str) -> str:
        """Everything findings depend on but the file itself and its name."""
        text = f"{__version__}\0{code_version()}\0{settings_fingerprint}\0{','.join(sorted(codes))}\0{catalog}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def fingerprint_for(self, settings, codes: frozenset[str]) -> str:
        """``fingerprint`` for a file's settings and codes (memoised per run)."""
        memo_key = (id(settings), id(codes))  # both live as long as the run's jobs
        found = self._fingerprints.get(memo_key)
        if found is None:
            found = self.fingerprint(settings.fingerprint(), codes, catalog_version(settings.catalog))
            self._fingerprints[memo_key] = found
        return found

    # ------------------------------------------------------------------ reading
    def _load(self) -> dict:
        if self._entries is None:
            self._entries = self._read(self.file) if self.enabled else {}
        return self._entries

    def _read(self, path: Path) -> dict:
        entries = _read_entries(path)
        if entries is None:
            self.corrupted()
            return {}
        return entries

    def corrupted(self) -> None:
        """Something in the cache is not what this version writes (entries are replaced
        atomically, so not a half-written file): it is ignored and rewritten, said once."""
        if self.warning is None:
            self.warning = f"cache file {self.file}: corrupted entries were ignored and are recomputed"

    def _entry(self, name: str, fingerprint: str) -> list | None:
        entry = self._load().get(name)
        if type(entry) is not list or len(entry) != 9 or entry[0] != fingerprint:
            return None
        return entry

    def lookup_stat(self, name: str, fingerprint: str, size: int, mtime_ns: int) -> CachedFile | None:
        """The cached result when the file's size and modification time are unchanged
        (and not racy); None otherwise."""
        entry = self._entry(name, fingerprint)
        if entry is None:
            return None
        _, cached_size, cached_mtime, read_ns, _, analysed, findings, spans, dependencies = entry
        if cached_size != size or cached_mtime != mtime_ns or type(read_ns) is not int:
            return None
        if read_ns - mtime_ns < RACY_SECONDS * 1e9:
            return None
        return _hit(analysed, findings, spans, dependencies)

    def lookup_content(self, name: str, fingerprint: str, size: int, digest_of) -> CachedFile | None:
        """The cached result when the content is unchanged: ``digest_of()`` gives the
        current content's digest (read only when the size matches)."""
        entry = self._entry(name, fingerprint)
        if entry is None or entry[1] != size:
            return None
        digest = digest_of()
        if digest is None or entry[4] != digest:
            return None
        return _hit(entry[5], entry[6], entry[7], entry[8])

    def wants_content_check(self, name: str, fingerprint: str, size: int) -> bool:
        entry = self._entry(name, fingerprint)
        return entry is not None and entry[1] == size

    # ------------------------------------------------------------------ writing
    def record(
        self, name: str, fingerprint: str, size: int, mtime_ns: int, read_ns: int, digest: str, analysed: bool, findings: list,
        secret_spans: list[tuple[int, int]] | None = None, dependencies: dict | None = None,
    ) -> None:
        if not self.enabled:
            return
        spans = [[start, end] for start, end in secret_spans or []]
        entry = [
            fingerprint, size, mtime_ns, read_ns, digest, 1 if analysed else 0, [finding_to_json(f) for f in findings], spans,
            dict(dependencies or {}),
        ]
        if self._load().get(name) != entry:
            self._updates[name] = entry

    def record_raw(self, name: str, fingerprint: str, size: int, mtime_ns: int, read_ns: int, digest: str, hit: CachedFile) -> None:
        """Record a hit again with a new size/time (its findings already as JSON)."""
        if self.enabled:
            self._updates[name] = [
                fingerprint, size, mtime_ns, read_ns, digest, 1 if hit.analysed else 0, hit.findings,
                [list(span) for span in hit.secret_spans], dict(hit.dependencies),
            ]

    def save(self) -> None:
        """Merge this run's entries into the file on disk and replace it atomically."""
        if not self.enabled or not self._updates:
            return
        try:
            self._prepare()
            target = self.file
            target.parent.mkdir(parents=True, exist_ok=True)
            entries = _read_entries(target) or {}  # what concurrent runs wrote meanwhile
            entries.update(self._updates)
            _write_atomically(target, json.dumps({"format": FORMAT, "files": entries}, separators=(",", ":")))
            self._updates = {}
        except OSError as error:
            self.enabled = False
            self.warning = f"cache directory {self.directory} is not writable ({error.strerror or error}); continuing without the cache"

    def _prepare(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        gitignore = self.directory / ".gitignore"
        if not gitignore.exists():
            _write_atomically(gitignore, "# Automatically created by bedrock-lint.\n*\n")
        tag = self.directory / "CACHEDIR.TAG"
        if not tag.exists():
            _write_atomically(tag, CACHEDIR_TAG)


def _write_atomically(path: Path, text: str) -> None:
    """A temporary file in the same directory, then ``os.replace``: a concurrent run
    or a killed one never leaves a half-written file under the final name."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix="." + path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _read_entries(path: Path) -> dict | None:
    """The entries of the cache file; {} when there is none yet (or it cannot be read),
    None when it is there but not what this version writes."""
    # Only a regular file of bounded size, opened without following a link and without
    # blocking: a FIFO committed as the cache would hang the run, a link to /dev/zero
    # would read until memory runs out (issue 22, M7).
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return {}
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            return None
        if status.st_size > MAX_CACHE_BYTES:
            return None
        with os.fdopen(descriptor, "rb") as handle:
            descriptor = -1
            raw = handle.read(MAX_CACHE_BYTES + 1)
    except OSError:
        return {}
    finally:
        if descriptor != -1:
            os.close(descriptor)
    if len(raw) > MAX_CACHE_BYTES:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("files"), dict):
        return None
    return data["files"]


def _hit(analysed: object, findings: object, spans: object = None, dependencies: object = None) -> CachedFile | None:
    if type(findings) is not list or type(spans) is not list or type(dependencies) is not dict:
        return None
    if not all(type(span) is list and len(span) == 2 and all(type(n) is int for n in span) for span in spans):
        return None
    if not all(type(name) is str and (digest is None or type(digest) is str) for name, digest in dependencies.items()):
        return None
    return CachedFile(findings, bool(analysed), [(span[0], span[1]) for span in spans], dependencies)


def findings_from_json(items: list) -> list | None:
    """Findings of a cache entry; None when the entry is malformed."""
    try:
        return [finding_from_json(item) for item in items]
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def finding_to_json(finding) -> dict:
    return {
        "code": finding.code,
        "message": finding.message,
        "start": [finding.start.line, finding.start.column],
        "end": [finding.end.line, finding.end.column],
        "cell": finding.cell,
        "offsets": [finding.start_offset, finding.end_offset],
        "extra": finding.extra,
        "severity": finding.severity.value if finding.severity else None,
        "fix_needs_setting": finding.fix_needs_setting,
        "related": [[place.path, place.line, place.message] for place in finding.related],
        "fix": None
        if finding.fix is None
        else {
            "applicability": finding.fix.applicability.value,
            "message": finding.fix.message,
            "edits": [[e.start, e.end, e.content] for e in finding.fix.edits],
        },
    }


def finding_from_json(data: dict):
    from bedrock_lint.findings import Applicability, Finding, Fix, Position, RelatedLocation, Severity, TextEdit

    fix = data["fix"]
    return Finding(
        code=data["code"],
        message=data["message"],
        start=Position(*data["start"]),
        end=Position(*data["end"]),
        cell=data["cell"],
        start_offset=data["offsets"][0],
        end_offset=data["offsets"][1],
        extra=data["extra"],
        severity=Severity(data["severity"]) if data.get("severity") else None,
        fix_needs_setting=data.get("fix_needs_setting"),
        related=tuple(RelatedLocation(*place) for place in data.get("related", ())),
        fix=None
        if fix is None
        else Fix(Applicability(fix["applicability"]), fix["message"], tuple(TextEdit(*e) for e in fix["edits"])),
    )
