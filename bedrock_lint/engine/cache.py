"""Content-addressed cache of findings, in ``.bedrock_lint_cache/``.

The key covers everything a file's findings depend on: the file's bytes, its name
(handler and notebook detection read it), the tool version, the resolved settings, the
enabled rules and the catalog.  Entries are written atomically, so concurrent runs
(pre-commit and an editor) never see half an entry; a corrupt or unreadable entry is a
miss.  If the directory cannot be written, the run goes on without the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from bedrock_lint import __version__
from bedrock_lint.findings import Applicability, Finding, Severity, Fix, Position, TextEdit

CACHE_DIRECTORY = ".bedrock_lint_cache"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by bedrock-lint.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)


@lru_cache(maxsize=1)
def _packaged_facts_digest() -> str:
    from importlib import resources

    digest = hashlib.sha256()
    catalog = resources.files("bedrock_lint.catalog")
    for name in sorted(p.name for p in catalog.iterdir() if p.name.endswith(".json")):
        digest.update(catalog.joinpath(name).read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def code_version() -> str:
    """Changes when the installed bedrock-lint code changes, not only its version number:
    an edited rule (an editable install, a development checkout) must not be served stale
    findings.  File sizes and modification times, read once per process."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(package)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
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
    the configured one) and today's date (lifecycle status is computed from it)."""
    from bedrock_lint.catalog.models import catalog_location, today

    parts = [_packaged_facts_digest(), today().isoformat()]
    location = catalog_location(configured_catalog)
    if location is not None:
        try:
            mtime = os.stat(location).st_mtime_ns
        except OSError:
            mtime = 0
        parts.append(_file_digest(str(location), mtime))
    return "-".join(parts)


class Cache:
    def __init__(self, root: Path, *, enabled: bool = True) -> None:
        self.directory = root / CACHE_DIRECTORY
        self.enabled = enabled
        self.warning: str | None = None
        self._prepared = False

    def key(self, raw: bytes, name: str, settings_fingerprint: str, codes: frozenset[str], catalog: str) -> str:
        digest = hashlib.sha256(raw)
        digest.update(b"\0" + name.encode("utf-8", "surrogateescape"))
        digest.update(
            f"\0{__version__}\0{code_version()}\0{settings_fingerprint}\0{','.join(sorted(codes))}\0{catalog}".encode()
        )
        return digest.hexdigest()

    def _entry(self, key: str) -> Path:
        return self.directory / __version__ / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[Finding] | None:
        if not self.enabled:
            return None
        entry = self._entry(key)
        try:
            text = entry.read_text("utf-8")
        except (OSError, ValueError):
            return None
        try:
            return [finding_from_json(item) for item in json.loads(text)]
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            # Not something we wrote (entries are replaced atomically): drop it, recompute.
            if self.warning is None:
                self.warning = f"cache directory {self.directory}: corrupted entries were ignored and are recomputed"
            try:
                entry.unlink()
            except OSError:
                pass
            return None

    def put(self, key: str, findings: list[Finding]) -> None:
        if not self.enabled:
            return
        try:
            self._prepare()
            entry = self._entry(key)
            entry.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(entry, json.dumps([finding_to_json(f) for f in findings]))
        except OSError as error:
            self.enabled = False
            self.warning = f"cache directory {self.directory} is not writable ({error.strerror or error}); continuing without the cache"

    def _prepare(self) -> None:
        if self._prepared:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        gitignore = self.directory / ".gitignore"
        if not gitignore.exists():
            _write_atomically(gitignore, "# Automatically created by bedrock-lint.\n*\n")
        tag = self.directory / "CACHEDIR.TAG"
        if not tag.exists():
            _write_atomically(tag, CACHEDIR_TAG)
        self._prepared = True


def _write_atomically(path: Path, text: str) -> None:
    """A temporary file in the same directory, then ``os.replace``: a concurrent run
    or a killed one never leaves a half-written file under the final name."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
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


def finding_to_json(finding: Finding) -> dict:
    return {
        "code": finding.code,
        "message": finding.message,
        "start": [finding.start.line, finding.start.column],
        "end": [finding.end.line, finding.end.column],
        "cell": finding.cell,
        "offsets": [finding.start_offset, finding.end_offset],
        "extra": finding.extra,
        "severity": finding.severity.value if finding.severity else None,
        "fix": None
        if finding.fix is None
        else {
            "applicability": finding.fix.applicability.value,
            "message": finding.fix.message,
            "edits": [[e.start, e.end, e.content] for e in finding.fix.edits],
        },
    }


def finding_from_json(data: dict) -> Finding:
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
        fix=None
        if fix is None
        else Fix(Applicability(fix["applicability"]), fix["message"], tuple(TextEdit(*e) for e in fix["edits"])),
    )
