"""A whole run: discovered files → per-file results (in parallel) → one report.

``process_file`` is the unit of work; it takes and returns plain picklable data so it
can run in worker processes.  It reads the file, runs the prefilter, and only then
imports the parser and the rules.
"""

from __future__ import annotations

import difflib
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from bedrock_lint.engine.cache import Cache, catalog_version
from bedrock_lint.engine.gate import may_hold_findings
from bedrock_lint.engine.prefilter import may_use_bedrock
from bedrock_lint.findings import Finding
from bedrock_lint.settings import Settings

# Below this many files a pool costs more than it saves.
PARALLEL_THRESHOLD = 16


@dataclass(frozen=True)
class RunOptions:
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    use_cache: bool = True
    jobs: int = 0  # 0: one per CPU
    cache_root: str = "."
    # False: fixed content comes back in ``FileResult.fixed_output`` and the caller
    # writes it (``migrate`` shows the whole change first, then writes in one place).
    write_fixes: bool = True


@dataclass(frozen=True)
class FileJob:
    display_name: str
    path: str | None  # None: ``raw`` holds stdin
    settings: Settings
    codes: frozenset[str]
    raw: bytes | None = None


@dataclass(frozen=True)
class SkippedFix:
    """A fix the applier did not apply, and why."""

    code: str
    line: int
    reason: str
    # The finding's message: with the code, it names the finding across rounds (the
    # line may move), as the applier itself tells rejected fixes apart.
    message: str

    def __str__(self) -> str:
        return f"{self.code} fix at line {self.line} not applied: {self.reason}"


@dataclass
class FileResult:
    display_name: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    internal_errors: list[str] = field(default_factory=list)
    # Fixes applied (``--fix``) or that would be applied (``--diff``), by rule code.
    fixed_codes: dict[str, int] = field(default_factory=dict)
    rejected_fixes: list[SkippedFix] = field(default_factory=list)
    diff: str | None = None
    # Fixed file content for stdin (printed instead of written), or for the caller to
    # write (``RunOptions.write_fixes`` off).
    fixed_output: bytes | None = None
    # SHA-256 of the bytes the fixes were computed from, so a caller that writes later
    # can tell whether the file changed in between.
    read_digest: str | None = None
    # The file passed the prefilter and was analysed.
    analysed: bool = False
    # The analysed text and notebook cells, for rendering findings in context
    # (only kept when there are findings).
    text: str | None = None
    cell_lines: dict[int, list[str]] | None = None
    cell_offsets: list[tuple[int, int, int, int]] | None = None  # (cell, start_offset, start_line, end_offset)

    @property
    def fixed_count(self) -> int:
        return sum(self.fixed_codes.values())


def process_file(job: FileJob, options: RunOptions, cache: Cache | None = None) -> FileResult:
    from bedrock_lint.engine.source import SourceError, read_source, source_from_bytes

    result = FileResult(job.display_name)
    try:
        if job.path is None:
            source = source_from_bytes(job.raw or b"", job.display_name)
        else:
            source = read_source(Path(job.path), job.display_name)
    except SourceError as error:
        result.error = str(error)
        return result
    if not job.codes or not may_use_bedrock(source.text):
        return result

    cache_key = None
    if cache is not None and not (options.fix or options.diff):
        cache_key = cache.key(source.raw, job.display_name, job.settings.fingerprint(), job.codes, catalog_version(job.settings.catalog))
        cached = cache.get(cache_key)
        if cached is not None:
            result.findings = cached
            result.analysed = bool(cached)
            _remember_text(result, source)
            return result

    if not may_hold_findings(source.text):
        # Mentions Bedrock but has nothing the rules start from: libcst is not needed.
        if cache_key is not None:
            cache.put(cache_key, [])  # type: ignore[union-attr]
        return result

    from bedrock_lint.engine.analyse import analyse_text

    result.analysed = True
    analysis = analyse_text(source, job.settings, job.codes)
    result.internal_errors = analysis.internal_errors
    result.findings = analysis.findings
    if options.fix or options.diff:
        _fix(job, options, source, analysis, result)
    elif cache_key is not None and not analysis.internal_errors:
        cache.put(cache_key, analysis.findings)  # type: ignore[union-attr]
    if result.text is None:
        _remember_text(result, source)
    return result


def _fix(job: FileJob, options: RunOptions, source, analysis, result: FileResult) -> None:
    from bedrock_lint.engine.analyse import analyse_text
    from bedrock_lint.engine.source import encode_source, source_from_bytes
    from bedrock_lint.fixes.applier import fix_source
    from bedrock_lint.fixes.writer import write_atomically

    def rebuild(current, new_text, edits):
        data = encode_source(current, new_text, [(e.start, e.end, e.content) for e in edits])
        return source_from_bytes(data, current.display_name, current.path)

    outcome = fix_source(
        source,
        lambda s: analyse_text(s, job.settings, job.codes),
        rebuild,
        unsafe=options.unsafe_fixes,
        first=analysis,
    )
    for finding, reason in outcome.rejected:
        result.rejected_fixes.append(SkippedFix(finding.code, finding.start.line, reason, finding.message))
    if outcome.changed:
        for finding in outcome.applied:
            result.fixed_codes[finding.code] = result.fixed_codes.get(finding.code, 0) + 1
        new_bytes = outcome.source.raw
        if options.diff:
            result.diff = unified_diff(source, outcome.source, job.display_name)
        if job.path is None or not options.write_fixes:
            result.fixed_output = new_bytes
            result.read_digest = hashlib.sha256(source.raw).hexdigest()
        elif not options.diff:
            try:
                write_atomically(Path(job.path), new_bytes)
            except OSError as error:
                result.error = f"cannot write fixes: {error.strerror or error}"
                result.fixed_codes = {}
                return
    if options.fix:
        # What is left after fixing (``migrate`` reports it in its summary).
        assert outcome.remaining is not None
        result.findings = outcome.remaining.findings
        result.internal_errors = outcome.remaining.internal_errors
        if outcome.changed:
            _remember_text(result, outcome.source)


def unified_diff(before, after, name: str) -> str:
    if before.cells is not None:
        old_lines = _notebook_diff_lines(before)
        new_lines = _notebook_diff_lines(after)
    else:
        old_lines = before.text.splitlines(keepends=True)
        new_lines = after.text.splitlines(keepends=True)
    lines = difflib.unified_diff(old_lines, new_lines, fromfile=f"a/{name}", tofile=f"b/{name}")
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n" for line in lines)


def _notebook_diff_lines(source) -> list[str]:
    """The code cells as the notebook holds them (``%pip`` shown as written, not as the
    comment the analysis sees), each under a ``# cell N`` line."""
    from bedrock_lint.engine.source import cell_source_as_written

    lines: list[str] = []
    for span in source.cells:
        lines.append(f"# cell {span.cell}\n")
        cell_text = cell_source_as_written(source, span)
        lines.extend(line if line.endswith("\n") else line + "\n" for line in cell_text.splitlines(keepends=True))
    return lines


def _remember_text(result: FileResult, source) -> None:
    """Keep what the report needs to show findings in context; a file without findings
    needs none of it (no text travels back from worker processes for it)."""
    if not result.findings:
        result.text = result.cell_lines = result.cell_offsets = None
        return
    result.text = source.text
    if source.cells is not None:
        result.cell_lines = {
            span.cell: source.text[span.start_offset:span.end_offset].splitlines() for span in source.cells
        }
        result.cell_offsets = [(span.cell, span.start_offset, span.start_line, span.end_offset) for span in source.cells]


# One cache per worker process (it prepares its directory once), by (root, enabled).
_worker_caches: dict[tuple[str, bool], Cache] = {}


def _worker(arguments: tuple[FileJob, RunOptions]) -> FileResult:
    job, options = arguments
    key = (options.cache_root, options.use_cache)
    cache = _worker_caches.get(key)
    if cache is None:
        cache = _worker_caches[key] = Cache(Path(options.cache_root), enabled=options.use_cache)
    result = process_file(job, options, cache)
    if cache.warning:
        # Said by the first file that hit it; the run prints each warning once.
        result.internal_errors.append(f"warning: {cache.warning}")
    return result


def run_jobs(jobs: list[FileJob], options: RunOptions, progress=None) -> Iterator[FileResult]:
    """Results in the order of ``jobs``."""
    workers = options.jobs or os.cpu_count() or 1
    if workers <= 1 or len(jobs) < PARALLEL_THRESHOLD:
        cache = Cache(Path(options.cache_root), enabled=options.use_cache)
        warned = False
        for job in jobs:
            result = process_file(job, options, cache)
            if cache.warning and not warned:
                result.internal_errors.append(f"warning: {cache.warning}")
                warned = True
            if progress is not None:
                progress()
            yield result
        return
    # Imported here: a one-file run (an editor's on-save check of stdin) never needs it.
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(64, len(jobs) // (workers * 4)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for result in pool.map(_worker, [(job, options) for job in jobs], chunksize=chunk):
            if progress is not None:
                progress()
            yield result


def enabled_codes_for(path: Path | None, settings: Settings, base: frozenset[str]) -> frozenset[str]:
    """The run's enabled codes less this file's per-file ignores."""
    if path is None or not settings.per_file_ignores:
        return base
    from bedrock_lint.config import ignored_codes_for

    ignored = ignored_codes_for(path, settings)
    return frozenset(code for code in base if not any(code.startswith(prefix) for prefix in ignored))
