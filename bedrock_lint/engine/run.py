"""A whole run: discovered files → per-file results (in parallel) → one report.

``process_file`` is the unit of work; it takes and returns plain picklable data so it
can run in worker processes.  It reads the file, runs the prefilter and the gate, and
only then imports the parser and the rules.  ``run_jobs`` first serves what the cache
(``engine.cache``) has, without reading those files, and saves the cache once at the end.

The files of a run lie in projects (``analysis.project``): names a module imports from
another module of its project resolve, whether the run checks the whole project, one
file of it, or standard input named with ``--stdin-filename`` (whose text then stands
for that file).  The layout is built from the paths in this process and handed to each
worker once, when the worker starts; each process reads the modules it needs from disk
the first time it looks a name up in them.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from bedrock_lint.engine.gate import CLIENT_MODULES, may_hold_findings
from bedrock_lint.engine.prefilter import may_use_bedrock

if TYPE_CHECKING:
    from bedrock_lint.analysis.layout import ProjectLayout
    from bedrock_lint.analysis.project import ProjectIndex
    from bedrock_lint.engine.change_report import AppliedChange
    from bedrock_lint.engine.incremental_parse import IncrementalParser
    from bedrock_lint.findings import Finding
    from bedrock_lint.settings import Settings

# Below this many files a pool costs more than it saves.
PARALLEL_THRESHOLD = 16

# The project of the run being checked (run_jobs sets it; workers get it when they
# start): its layout while the cache answers, its index once a file is analysed.
_project: ProjectLayout | None = None


@dataclass(frozen=True)
class RunOptions:
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    use_cache: bool = True
    jobs: int = 0  # 0: one per CPU
    cache_root: str = "."
    # The cache directory (--cache-dir, BEDROCK_LINT_CACHE_DIR); None: .bedrock_lint_cache
    # in cache_root.
    cache_dir: str | None = None
    # False: fixed content comes back in ``FileResult.fixed_output`` and the caller
    # writes it (``migrate`` shows the whole change first, then writes in one place).
    write_fixes: bool = True
    # ``migrate``: each diff hunk names the rules that made it, and
    # ``FileResult.changes`` lists every applied fix.
    describe_changes: bool = False
    # ``check --add-noqa``: suppress every finding with a ``# noqa`` comment, written to
    # the file (engine.add_noqa); the findings left are those no comment could take.
    add_noqa: bool = False


@dataclass(frozen=True)
class FileJob:
    display_name: str
    path: str | None  # None: ``raw`` holds stdin
    settings: Settings
    codes: frozenset[str]
    raw: bytes | None = None
    # See discovery.DiscoveredFile.exclusion_pending.
    exclusion_pending: bool = False
    # Standard input: the file it stands for (--stdin-filename), for its project.
    stdin_path: str | None = None

    @property
    def location(self) -> str | None:
        """Where the module lies in its project: the file, or the one stdin stands for."""
        return self.path if self.path is not None else self.stdin_path


@dataclass(frozen=True)
class SkippedFix:
    """A fix the applier did not apply, and why."""

    code: str
    line: int
    reason: str
    # The finding's message: with the code, it names the finding across rounds (the
    # line may move), as the applier itself tells rejected fixes apart.
    message: str
    column: int | None = None
    cell: int | None = None  # notebooks: ``line`` is inside this cell
    # (cell, line, column) of the finding in the file as read (``RunOptions.describe_changes``).
    as_read: tuple[int | None, int, int] | None = None

    def __str__(self) -> str:
        return f"{self.code} fix at line {self.line} not applied: {self.reason}"


@dataclass
class FileResult:
    display_name: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    internal_errors: list[str] = field(default_factory=list)
    # An invalid configuration file governs this path (nothing under it was checked).
    config_error: str | None = None
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
    # The file passed the prefilter and the gate and was analysed with libcst.
    analysed: bool = False
    # The analysed text and notebook cells, for rendering findings in context
    # (only kept when there are findings).
    text: str | None = None
    cell_lines: dict[int, list[str]] | None = None
    cell_offsets: list[tuple[int, int, int, int]] | None = None  # (cell, start_offset, start_line, end_offset)
    # For the cache: (size, mtime_ns, read time ns, content digest) of what was read.
    stat: tuple[int, int, int, str] | None = None
    # Where the pieces of hard-coded credentials are in the analysed text (offsets):
    # the text kept for the report is masked there, and the cache keeps these, never
    # the pieces themselves (issue 22, H1).
    secret_spans: list[tuple[int, int]] = field(default_factory=list)
    # --fix could not write the file (read-only, changed meanwhile …): exit code 2.
    write_failed: bool = False
    # The project modules the analysis read names from: module -> digest (None: absent).
    dependencies: dict[str, str | None] = field(default_factory=dict)
    # Every fix applied (``RunOptions.describe_changes``), credentials masked.
    changes: list[AppliedChange] = field(default_factory=list)
    # With ``changes``: (cell, line, column) in the file as read of each of ``findings``
    # (after fixing, they are positions in the fixed text).
    findings_as_read: list[tuple[int | None, int, int]] = field(default_factory=list)
    # ``--add-noqa``: findings now suppressed, and the lines whose comment was added or extended.
    noqa_added: int = 0
    noqa_lines: int = 0
    noqa_skipped: int = 0  # findings where no comment can go

    @property
    def fixed_count(self) -> int:
        return sum(self.fixed_codes.values())


def process_file(job: FileJob, options: RunOptions) -> FileResult:
    from bedrock_lint.engine.source import SourceError, read_source, source_from_bytes

    result = FileResult(job.display_name)
    stat = None
    try:
        if job.path is None:
            source = source_from_bytes(job.raw or b"", job.display_name)
        else:
            if options.use_cache and not (options.fix or options.diff or options.add_noqa):
                # Before reading: a change made while we read must not match the entry.
                try:
                    stat = os.stat(job.path)
                except OSError:
                    stat = None
            source = read_source(Path(job.path), job.display_name)
    except SourceError as error:
        result.error = str(error)
        return result
    if stat is not None:
        from bedrock_lint.engine.cache import content_digest

        result.stat = (stat.st_size, stat.st_mtime_ns, time.time_ns(), content_digest(source.raw))
    return check_source(job, options, source, result)


def check_source(
    job: FileJob,
    options: RunOptions,
    source,
    result: FileResult | None = None,
    projects: ProjectIndex | None = None,
    parser: "IncrementalParser | None" = None,
) -> FileResult:
    """``process_file`` once the file is read: the prefilter, the gate, the limits and
    the analysis (and fixes) of ``source``; also what the language server runs on an
    editor's buffer (``integrations.server``, with its own ``projects``: the run's by
    default, and the buffer's ``parser``, which re-parses only what an edit touched)."""
    if result is None:
        result = FileResult(job.display_name)
    location = job.location
    if projects is None:
        projects = _project
    in_project = projects is not None and location is not None and location in projects
    if not job.codes or not may_use_bedrock(source.text, in_project=in_project):
        return result
    from bedrock_lint.engine.limits import MAX_ANALYSED_BYTES

    if len(source.raw) > MAX_ANALYSED_BYTES:
        result.error = (
            f"file too large to analyse ({len(source.raw) / 1048576:.1f} MB; "
            f"files over {MAX_ANALYSED_BYTES // 1048576} MB that mention Bedrock are not parsed)"
        )
        return result
    from bedrock_lint.engine.limits import COUNT_NODES_ABOVE_BYTES, FileTimeout, ast_of, parse_budget_problem, time_limit

    # A large file is parsed by CPython once, for the gate and for the parse budget.
    tree = ast_of(source.text) if len(source.text) > COUNT_NODES_ABOVE_BYTES and not source.cell_errors else None
    if not source.cell_errors and not _imports_a_client_still(parser, source.text) and not may_hold_findings(source.text, tree):
        # Mentions Bedrock but has nothing the rules start from: libcst is not needed.
        return result

    from bedrock_lint.engine.analyse import analyse_text
    from bedrock_lint.rules.registry import load_rules

    problem = parse_budget_problem(source.text, job.settings.file_timeout, tree) if tree is not None else None
    if problem is not None:
        result.internal_errors = [problem]
        return result
    result.analysed = True
    outcome = None
    if in_project and projects is _project:
        projects = _indexed_project()  # the run's layout, with exports from now on
    project = projects.module_of(location) if in_project else None  # type: ignore[union-attr, arg-type]
    load_rules()  # outside the time limit: a timer firing inside an import breaks it
    try:
        with time_limit(job.settings.file_timeout):
            analysis = analyse_text(source, job.settings, job.codes, project=project, parse=parser)
    except FileTimeout as timeout:
        result.internal_errors = [str(timeout)]
        return result
    if options.fix or options.diff:
        outcome = fix_outcome(job, options, source, analysis, project)
    if options.add_noqa and analysis.findings:
        analysis.findings = _add_noqa(job, source, analysis.findings, result)
    result.internal_errors = analysis.internal_errors
    result.findings = analysis.findings
    if project is not None:
        result.dependencies = dict(project.dependencies)
    if analysis.secrets:
        from bedrock_lint.analysis.secrets import spelling_spans

        result.secret_spans = spelling_spans(source.text, analysis.secrets)
    if outcome is not None:
        _fix(job, options, source, outcome, result, analysis.secrets)
    if result.text is None:
        _remember_text(result, source)
    return result


def _imports_a_client_still(parser: "IncrementalParser | None", text: str) -> bool:
    """The gate's yes without ``ast``: a statement of the buffer that an edit did not
    touch imports a client module (``engine.gate``: such a file may hold findings)."""
    return parser is not None and not CLIENT_MODULES.isdisjoint(parser.kept_imports(text))


def fix_outcome(job: FileJob, options: RunOptions, source, analysis, project=None, rebuild=None):
    """The fixes, computed; nothing is written here.  The analysis after each fix round
    has the per-file time limit to itself, as the first one had: a file that is checked
    in time can be fixed.  ``rebuild(source, new_text, edits)``: the source of fixed
    text (default: the file's bytes as they would be written, read again)."""
    from bedrock_lint.engine.analyse import analyse_text
    from bedrock_lint.engine.limits import FileTimeout, time_limit
    from bedrock_lint.engine.source import encode_source, source_from_bytes
    from bedrock_lint.fixes.applier import fix_source

    def analyse(current):
        try:
            with time_limit(job.settings.file_timeout):
                return analyse_text(current, job.settings, job.codes, project=project)
        except FileTimeout:
            return None  # fixing stops at the last source that was checked

    def from_bytes(current, new_text, edits):
        data = encode_source(current, new_text, [(e.start, e.end, e.content) for e in edits])
        return source_from_bytes(data, current.display_name, current.path)

    return fix_source(
        source,
        analyse,
        rebuild or from_bytes,
        unsafe=options.unsafe_fixes,
        first=analysis,
    )


def _fix(job: FileJob, options: RunOptions, source, outcome, result: FileResult, secrets: tuple[str, ...] = ()) -> None:
    from bedrock_lint.fixes.writer import write_atomically

    as_read = None
    if options.describe_changes:
        from bedrock_lint.engine.change_report import PositionsAsRead

        as_read = PositionsAsRead(outcome)
    for (finding, reason), rounds_before in zip(outcome.rejected, outcome.rejected_after):
        result.rejected_fixes.append(
            SkippedFix(
                finding.code, finding.start.line, reason, finding.message, finding.start.column, finding.cell,
                as_read(rounds_before, finding.start_offset) if as_read is not None else None,
            )
        )
    if outcome.changed:
        for finding in outcome.applied:
            result.fixed_codes[finding.code] = result.fixed_codes.get(finding.code, 0) + 1
        new_bytes = outcome.source.raw
        if options.diff:
            from bedrock_lint.engine.change_report import unified_diff

            labelled = outcome if options.describe_changes else None
            result.diff = unified_diff(source, outcome.source, job.display_name, secrets, labelled)
        if options.describe_changes:
            from bedrock_lint.engine.change_report import applied_changes

            assert outcome.remaining is not None
            result.changes = applied_changes(outcome, (*secrets, *outcome.remaining.secrets))
        if job.path is None or not options.write_fixes:
            import hashlib

            result.fixed_output = new_bytes
            result.read_digest = hashlib.sha256(source.raw).hexdigest()
        elif not options.diff:
            try:
                # Not over an edit made while we ran (an editor's save): the file must
                # still hold what the fixes were computed from.
                write_atomically(Path(job.path), new_bytes, expected=source.raw)
            except OSError as error:
                result.error = f"cannot write fixes: {error.strerror or error}"
                result.write_failed = True
                result.fixed_codes = {}
                return
    if options.fix:
        # What is left after fixing (``migrate`` reports it in its summary).
        assert outcome.remaining is not None
        result.findings = outcome.remaining.findings
        result.internal_errors = list(outcome.remaining.internal_errors)
        if as_read is not None:
            result.findings_as_read = [as_read(len(outcome.rounds), finding.start_offset) for finding in result.findings]
        if outcome.changed:
            from bedrock_lint.analysis.secrets import spelling_spans

            result.secret_spans = spelling_spans(outcome.source.text, (*secrets, *outcome.remaining.secrets))
            _remember_text(result, outcome.source)
    if outcome.unchecked_round is not None:
        result.internal_errors = [
            *result.internal_errors,
            f"the fixes of round {outcome.unchecked_round} were not applied: checking the fixed code took more than "
            f"the per-file time limit of {job.settings.file_timeout:g} s of CPU time (setting file-timeout)",
        ]


def _add_noqa(job: FileJob, source, findings: list, result: FileResult) -> list:
    """Write the ``# noqa`` comments that suppress ``findings``; the findings left."""
    from bedrock_lint.engine.add_noqa import plan_noqa
    from bedrock_lint.engine.source import SourceError, encode_source
    from bedrock_lint.fixes.applier import apply_edits
    from bedrock_lint.fixes.writer import write_atomically

    plan = plan_noqa(source, findings)
    result.noqa_skipped = len(plan.skipped)
    if not plan.edits:
        return findings
    try:
        data = encode_source(source, apply_edits(source.text, plan.edits), [(e.start, e.end, e.content) for e in plan.edits])
    except SourceError as error:
        result.error = str(error)
        return findings
    if job.path is None:
        result.fixed_output = data
    else:
        try:
            write_atomically(Path(job.path), data, expected=source.raw)
        except OSError as error:
            result.error = f"cannot write the noqa comments: {error.strerror or error}"
            result.write_failed = True
            return findings
    result.noqa_added = len(plan.suppressed)
    result.noqa_lines = len(plan.edits)
    suppressed = {id(f) for f in plan.suppressed}
    return [f for f in findings if id(f) not in suppressed]


def _remember_text(result: FileResult, source) -> None:
    """Keep what the report needs to show findings in context; a file without findings
    needs none of it (no text travels back from worker processes for it)."""
    if not result.findings:
        result.text = result.cell_lines = result.cell_offsets = None
        return
    from bedrock_lint.analysis.secrets import mask_spans
    from bedrock_lint.engine.source import split_lines

    text = result.text = mask_spans(source.text, result.secret_spans)  # same length: offsets hold
    if source.cells is not None:
        result.cell_lines = {span.cell: split_lines(text[span.start_offset:span.end_offset]) for span in source.cells}
        result.cell_offsets = [(span.cell, span.start_offset, span.start_line, span.end_offset) for span in source.cells]


def _worker(arguments: tuple[FileJob, RunOptions]) -> FileResult:
    job, options = arguments
    return process_file(job, options)


def _indexed_project() -> ProjectIndex | None:
    """The run's project with its exports (looked up when a file is analysed)."""
    global _project
    if _project is not None:
        from bedrock_lint.analysis.project import ProjectIndex

        _project = ProjectIndex.of(_project)
    return _project  # type: ignore[return-value]


def _start_worker(project: ProjectLayout | None) -> None:
    global _project
    _project = project
    _die_with_parent()


def _pool(workers: int):
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(_project,))


def run_jobs(jobs: list[FileJob], options: RunOptions, progress=None) -> Iterator[FileResult]:
    """Results in the order of ``jobs``.  Cached results are looked up first, without
    reading the files; only the rest is read and checked (in worker processes when
    there are enough of them)."""
    global _project
    from bedrock_lint.analysis.layout import ProjectLayout

    texts = {job.stdin_path: job.raw or b"" for job in jobs if job.path is None and job.stdin_path is not None}
    outer, _project = _project, ProjectLayout([job.location for job in jobs if job.location is not None], texts) or None
    try:
        yield from _run_jobs(jobs, options, progress)
    finally:
        _project = outer


def _run_jobs(jobs: list[FileJob], options: RunOptions, progress) -> Iterator[FileResult]:
    use_cache = options.use_cache and not (options.fix or options.diff or options.add_noqa)
    cache = None
    if use_cache:
        from bedrock_lint.engine.cache import Cache

        cache = Cache(Path(options.cache_root), directory=Path(options.cache_dir) if options.cache_dir else None)
    cached: dict[int, FileResult] = {}
    fingerprints: dict[int, str] = {}
    if cache is not None:
        for number, job in enumerate(jobs):
            if not job.codes:
                continue
            fingerprint = cache.fingerprint_for(job.settings, job.codes)
            if _project and job.location is not None:
                fingerprint = _within_project(fingerprint, _project.identity(job.location))
            fingerprints[number] = fingerprint
            hit = _cached_result(cache, job, fingerprint)
            if hit is not None:
                cached[number] = hit
    pending = [job for number, job in enumerate(jobs) if number not in cached]
    fresh = _run_uncached(pending, options)
    warned = False
    for number, job in enumerate(jobs):
        result = cached.get(number)
        if result is None:
            result = next(fresh)
            if cache is not None and number in fingerprints and result.stat is not None and result.error is None and not result.internal_errors:
                size, mtime_ns, read_ns, digest = result.stat
                cache.record(
                    job.display_name, fingerprints[number], size, mtime_ns, read_ns, digest, result.analysed, result.findings,
                    result.secret_spans, result.dependencies,
                )
        if progress is not None:
            progress()
        if cache is not None and number == len(jobs) - 1:
            cache.save()
            if cache.warning and not warned:
                result.internal_errors.append(f"warning: {cache.warning}")
                warned = True
        yield result
    fresh.close()  # shuts the worker pool down


def _cached_result(cache, job: FileJob, fingerprint: str) -> FileResult | None:
    """The cached result of one file, or None to check it."""
    from bedrock_lint.engine.cache import content_digest, findings_from_json

    if job.path is None:
        raw = job.raw or b""
        hit = cache.lookup_content(job.display_name, fingerprint, -1, lambda: content_digest(raw))
        stat = None
    else:
        try:
            stat = os.stat(job.path)
        except OSError:
            return None  # the check reports it
        hit = cache.lookup_stat(job.display_name, fingerprint, stat.st_size, stat.st_mtime_ns)
        if hit is None and cache.wants_content_check(job.display_name, fingerprint, stat.st_size):
            read_ns = time.time_ns()
            digests: list[str | None] = []

            def digest_of():
                try:
                    with open(job.path, "rb") as handle:  # type: ignore[arg-type]
                        digests.append(content_digest(handle.read()))
                except OSError:
                    digests.append(None)
                return digests[-1]

            hit = cache.lookup_content(job.display_name, fingerprint, stat.st_size, digest_of)
            if hit is not None and digests and digests[-1] is not None:
                # Confirmed by content: remember the new time so the next run need not read.
                cache.record_raw(job.display_name, fingerprint, stat.st_size, stat.st_mtime_ns, read_ns, digests[-1], hit)
    if hit is None:
        return None
    location = job.location
    if hit.dependencies and not (_project and location is not None and _project.dependencies_hold(location, hit.dependencies)):
        return None  # a module it imports from changed
    findings = findings_from_json(hit.findings)
    if findings is None:
        cache.corrupted()
        return None
    result = FileResult(job.display_name, findings=findings, analysed=hit.analysed, secret_spans=hit.secret_spans)
    if findings:
        # Shown in context: the text is needed (only files with findings are read).
        from bedrock_lint.engine.source import SourceError, read_source, source_from_bytes

        try:
            source = source_from_bytes(job.raw or b"", job.display_name) if job.path is None else read_source(Path(job.path), job.display_name)
        except SourceError:
            return None
        _remember_text(result, source)
    return result


def _within_project(fingerprint: str, identity: str) -> str:
    """The cache fingerprint of a file of a project: its root, module name and the
    project's top-level names count too (the names it imports resolve against them)."""
    if not identity:
        return fingerprint
    import hashlib

    return hashlib.sha256(f"{fingerprint}\0{identity}".encode()).hexdigest()[:16]


def available_cpus() -> int:
    """CPUs this process may run on (a container's or taskset's share, not the host's)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_count(requested: int, files: int) -> int:
    """Worker processes for ``files`` files: ``--jobs`` (0: one per CPU), never more than
    the CPUs available nor than the files (the work is CPU-bound: 64 workers on 2 CPUs
    ran 11 times slower and used 2.4 GB, issue 22)."""
    return max(1, min(requested or available_cpus(), available_cpus(), files))


def _run_uncached(jobs: list[FileJob], options: RunOptions) -> Iterator[FileResult]:
    workers = worker_count(options.jobs, len(jobs))
    if workers <= 1 or len(jobs) < PARALLEL_THRESHOLD:
        for job in jobs:
            yield process_file(job, options)
        return
    # Imported here: a one-file run (an editor's on-save check of stdin) never needs it.
    from concurrent.futures.process import BrokenProcessPool

    chunk = max(1, min(64, len(jobs) // (workers * 4)))
    pool = _pool(workers)
    done = 0
    try:
        for result in pool.map(_worker, [(job, options) for job in jobs], chunksize=chunk):
            done += 1
            yield result
    except BrokenProcessPool:
        # A worker died (killed, or out of memory inside the parser): the files it had
        # not answered are checked again, and the one that kills a worker is reported.
        pool.shutdown(wait=False)
        yield from _run_isolating_deaths(jobs[done:], options, workers)
        return
    except GeneratorExit:
        # The caller stopped reading (it was interrupted while writing, or is done):
        # no new chunk starts; the workers finish theirs and exit.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _stop(pool) -> None:
    """Ctrl-C, SIGTERM (cli.Terminated) or a failure: stop the workers now rather than
    wait for their chunks, so that no process is left holding stdout and stderr."""
    for process in list(getattr(pool, "_processes", {}).values()):
        process.terminate()
    # Not cancel_futures: the pool's manager thread fails pending futures itself once it
    # sees the workers gone, and on Python 3.11 it raises InvalidStateError in its thread
    # for a future already cancelled.
    pool.shutdown(wait=False)


WORKER_DIED = "the process checking this file died (killed, or out of memory); it was not checked"


def _run_isolating_deaths(jobs: list[FileJob], options: RunOptions, workers: int) -> Iterator[FileResult]:
    """Check ``jobs`` one file per task, at most ``workers`` at a time, in order.  When a
    worker dies, the files that were in flight are checked again each alone: the one that
    kills its worker again gets a result saying so (an internal error: exit code 2)."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool

    results: dict[int, FileResult] = {}
    position = 0  # next result to yield
    queue = list(range(len(jobs)))
    while queue:
        pool = _pool(workers)
        in_flight: dict = {}
        suspects: list[int] = []
        try:
            while queue or in_flight:
                while queue and len(in_flight) < workers:
                    number = queue.pop(0)
                    in_flight[pool.submit(_worker, (jobs[number], options))] = number
                finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in finished:
                    number = in_flight.pop(future)
                    try:
                        results[number] = future.result()
                    except BrokenProcessPool:
                        suspects.append(number)
                if suspects:
                    suspects += in_flight.values()
                    break
                while position in results:
                    yield results.pop(position)
                    position += 1
        except BaseException:
            _stop(pool)
            raise
        pool.shutdown(wait=False)
        for number in sorted(suspects):
            results[number] = _alone(jobs[number], options)
        while position in results:
            yield results.pop(position)
            position += 1
    while position in results:
        yield results.pop(position)
        position += 1


def _alone(job: FileJob, options: RunOptions) -> FileResult:
    """One file in a worker of its own: its result, or one saying the worker died."""
    from concurrent.futures.process import BrokenProcessPool

    pool = _pool(1)
    try:
        return pool.submit(_worker, (job, options)).result()
    except BrokenProcessPool:
        return FileResult(job.display_name, internal_errors=[WORKER_DIED])
    except BaseException:
        _stop(pool)
        raise
    finally:
        pool.shutdown(wait=False)


def _die_with_parent() -> None:
    """Pool workers end when the process that started them does (Linux: the kernel
    sends them SIGTERM), however it ended; elsewhere the pool's own shutdown does it.
    A worker ends quietly on SIGTERM: the handler the command line installs (which
    unwinds the run in the main process) is not for workers, which fork with it."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def enabled_codes_for(path: Path | None, settings: Settings, base: frozenset[str]) -> frozenset[str]:
    """The run's enabled codes less this file's per-file ignores."""
    if path is None or not settings.per_file_ignores:
        return base
    from bedrock_lint.config import ignored_codes_for

    ignored = ignored_codes_for(path, settings)
    return frozenset(code for code in base if not any(code.startswith(prefix) for prefix in ignored))
