"""``bedrock-lint check``: settings → discovery → run → report → exit code."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from bedrock_lint.engine.exit_codes import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS
from bedrock_lint.engine.progress import Progress
from bedrock_lint.engine.run import FileJob, FileResult, RunOptions, enabled_codes_for, run_jobs
from bedrock_lint.rules.selection import enabled_codes
from bedrock_lint.settings import Settings


class SetupError(Exception):
    """The run cannot start: a bad option or configuration (the message says where)."""


def split_codes(values: tuple[str, ...]) -> list[str] | None:
    """``--select A,B --select C`` as ``[A, B, C]``; None when the option was not given."""
    if not values:
        return None
    result = []
    for value in values:
        result.extend(part.strip() for part in value.split(",") if part.strip())
    return result


def settings_resolver(options: dict):
    """The settings resolver for ``--config`` and the selection options."""
    from bedrock_lint.config import ConfigError, SettingsResolver, inline_overrides

    config_file, inline = config_arguments(options.get("config_file"))
    try:
        cli_overrides = {
            "select": split_codes(options["select"]),
            "extend_select": split_codes(options["extend_select"]),
            "ignore": split_codes(options["ignore"]),
            "file_timeout": options.get("file_timeout"),
            "preview": True if options.get("preview") else None,
            "extend_per_file_ignores": list(options.get("extend_per_file_ignores") or ()) or None,
            "config": inline_overrides(inline, Path.cwd()) if inline else None,
        }
        return SettingsResolver(config_file=config_file, cli_overrides=cli_overrides, cwd=Path.cwd())
    except ConfigError as error:
        raise SetupError(str(error)) from None


def config_arguments(values: str | tuple[str, ...] | None) -> tuple[Path | None, list[str]]:
    """``--config`` values: the configuration file (at most one) and the ``KEY = VALUE``
    overrides.  As in ruff, a value is an override when it holds a ``=`` and names no file."""
    if isinstance(values, str):
        values = (values,)
    files, inline = [], []
    for value in values or ():
        (inline if "=" in value and not Path(value).is_file() else files).append(value)
    if len(files) > 1:
        raise SetupError(f"--config: one configuration file at most, got {', '.join(files)}")
    config_file = Path(files[0]) if files else None
    if config_file is not None and not config_file.is_file():
        raise SetupError(f"--config: {config_file}: no such file")
    return config_file, inline


class CodesForFile:
    """The enabled codes of a file: its settings' selection less its per-file ignores."""

    def __init__(self) -> None:
        self._by_settings: dict[int, frozenset[str]] = {}

    def __call__(self, settings: Settings, path: Path | str | None) -> frozenset[str]:
        key = id(settings)
        if key not in self._by_settings:
            self._by_settings[key] = enabled_codes(settings.select, settings.extend_select, settings.ignore, settings.preview)
        return enabled_codes_for(path, settings, self._by_settings[key])


def file_jobs(paths: list[str], resolver, options: dict, codes_for: CodesForFile) -> tuple[list[FileJob], list[FileResult]]:
    """A job per discovered file, and a result per path that could not be discovered."""
    from bedrock_lint.config import ConfigError
    from bedrock_lint.engine.discovery import DiscoveryError, discover

    jobs: list[FileJob] = []
    errors: list[FileResult] = []
    try:
        # Excludes are applied to named files only when they have something to report,
        # unless fixes may be written or --verbose lists each file.
        defer = not (options.get("fix") or options.get("diff") or options.get("verbose"))
        for item in discover(paths or ["."], resolver, force_exclude=bool(options.get("force_exclude")), defer_exclusion=defer):
            if isinstance(item, DiscoveryError):
                if item.config:
                    errors.append(FileResult(item.display_name, config_error=item.message))
                else:
                    errors.append(FileResult(item.display_name, error=item.message))
                continue
            jobs.append(
                FileJob(item.display_name, item.location, item.settings, codes_for(item.settings, item.location), exclusion_pending=item.exclusion_pending)
            )
            if options.get("verbose"):
                click.echo(f"{item.display_name}: settings from {item.settings.config_file or 'defaults'}", err=True)
    except ConfigError as error:
        raise SetupError(str(error)) from None
    check_catalogs(jobs)
    return jobs, errors


def check_catalogs(jobs: list[FileJob]) -> None:
    """Load the model catalogs the jobs' settings name (or the user-level one) once,
    before any file is checked: a malformed catalog is one error, not an internal error
    for every rule that reads it in every file.  The packaged catalog is not read here."""
    from bedrock_lint.catalog.location import catalog_location

    for settings in {job.settings.catalog: job.settings for job in jobs if job.codes}.values():
        if catalog_location(settings.catalog) is None:
            continue  # the packaged catalog, tested with the package
        from bedrock_lint.catalog.models import CatalogError, load_catalog

        try:
            load_catalog(settings.catalog)
        except CatalogError as error:
            where = f" (setting 'catalog' in {settings.config_file})" if settings.catalog and settings.config_file else ""
            raise SetupError(f"{error}{where}") from None


def run_check(paths: list[str], options: dict) -> int:
    from bedrock_lint.config import ConfigError

    codes_for = CodesForFile()
    try:
        resolver = settings_resolver(options)
        stdin_name = options.get("stdin_filename")
        # As in ruff, --stdin-filename means "read stdin" (editors pass no "-").
        if paths == ["-"] or stdin_name:
            jobs, errors = [], []
            for path in paths:
                if path != "-":
                    click.echo(f"warning: ignoring {path} in favour of standard input (--stdin-filename)", err=True)
            settings = resolver.settings_for(Path(stdin_name).resolve() if stdin_name else Path.cwd())
            display = stdin_name or "-"
            if stdin_name and options["force_exclude"]:
                from bedrock_lint.engine.discovery import is_excluded

                if is_excluded(Path(stdin_name).resolve(), settings):
                    sys.stdout.buffer.write(sys.stdin.buffer.read()) if options["fix"] else None
                    return EXIT_CLEAN
            jobs.append(
                FileJob(
                    display, None, settings, codes_for(settings, Path(stdin_name) if stdin_name else None), sys.stdin.buffer.read(),
                    stdin_path=str(Path(stdin_name).resolve()) if stdin_name else None,
                )
            )
            check_catalogs(jobs)
        else:
            jobs, errors = file_jobs(paths, resolver, options, codes_for)
    except (ConfigError, SetupError) as error:
        click.echo(f"error: {error}", err=True)
        return EXIT_ERROR

    run_options = RunOptions(
        fix=bool(options["fix"]),
        unsafe_fixes=bool(options["unsafe_fixes"]),
        diff=bool(options["diff"]),
        use_cache=not options["no_cache"],
        jobs=int(options["jobs"] or 0),
        cache_root=str(Path.cwd()),
        cache_dir=cache_directory(options.get("cache_dir")),
        add_noqa=bool(options.get("add_noqa")),
    )
    progress = Progress(len(jobs))
    started = time.monotonic()
    results = errors + _without_excluded(jobs, list(run_jobs(jobs, run_options, progress)))
    progress.finish()
    if options["verbose"]:
        analysed = sum(1 for r in results if r.analysed)
        click.echo(
            f"checked {len(jobs)} file{'s' if len(jobs) != 1 else ''} in {time.monotonic() - started:.2f} s; "
            f"{analysed} mention Bedrock and were analysed",
            err=True,
        )
        if analysed:
            from bedrock_lint.catalog.api import surface_in_use

            click.echo(surface_in_use().summary(), err=True)
    results.sort(key=lambda r: r.display_name)
    stdin_source = next((job.raw for job in jobs if job.path is None), None)
    return _report(results, options, run_options, stdin_source)


def cache_directory(given: str | None) -> str | None:
    """``--cache-dir`` (or ``BEDROCK_LINT_CACHE_DIR``) as an absolute path: relative to
    the current directory, ``~`` expanded; None for the default."""
    if not given:
        return None
    return str(Path.cwd() / Path(given).expanduser())


def _without_excluded(jobs: list[FileJob], results: list[FileResult]) -> list[FileResult]:
    """Drop the results of named files that --force-exclude excludes (tested only for
    files with something to report: for a clean file the report is the same)."""
    kept = []
    for job, result in zip(jobs, results):
        if job.exclusion_pending and job.path is not None and (result.findings or result.error or result.internal_errors):
            from bedrock_lint.engine.discovery import is_excluded

            if is_excluded(Path(job.path), job.settings):
                continue
        kept.append(result)
    return kept


def _report(results: list[FileResult], options: dict, run_options: RunOptions, stdin_source: bytes | None = None) -> int:
    from bedrock_lint.output import color_wanted, render
    from bedrock_lint.rules.registry import rule_table

    # Errors outside the per-file reports: the run is incomplete, so no format may say
    # it passed (and the exit code is 2).
    internal = report_internal_errors(results) + report_config_errors(results)
    for result in results:
        for skipped in result.rejected_fixes:
            click.echo(f"{result.display_name}: {skipped}", err=True)

    if run_options.diff:
        diffs = "".join(r.diff for r in results if r.diff)
        sys.stdout.write(diffs)
        for result in results:
            if result.error:
                click.echo(f"{result.display_name}: error: {result.error}", err=True)
        fixable = sum(r.fixed_count for r in results)
        if fixable:
            click.echo(f"Would fix {fixable} error{'s' if fixable != 1 else ''}.", err=True)
        if internal:
            return EXIT_ERROR
        return EXIT_FINDINGS if diffs or any(r.error for r in results) else EXIT_CLEAN

    # --fix on standard input: standard output is the source, fixed or as it came (an
    # editor replaces its buffer with it), whatever was found; the report goes to stderr.
    stdin_fix = (run_options.fix or run_options.add_noqa) and stdin_source is not None
    for result in results:
        if result.fixed_output is not None or stdin_fix:
            sys.stdout.buffer.write(result.fixed_output if result.fixed_output is not None else stdin_source)
            sys.stdout.flush()

    # From the generated table: findings the cache answered are reported without
    # importing the rule modules (and libcst).
    rules = rule_table()
    reports = [_file_report(result) for result in results]
    fmt = options["output_format"]
    stdin_fixed = stdin_fix or any(r.fixed_output is not None for r in results)
    stream = None if options.get("output_file") else sys.stderr if stdin_fixed else sys.stdout
    output = render(
        reports,
        fmt,
        rules=rules,
        unsafe_fixes=bool(options["unsafe_fixes"]),
        statistics=bool(options["statistics"]),
        show_fixes=bool(options["show_fixes"]),
        show_summary=not options["quiet"],
        run_errors=internal,
        color=color_wanted(options.get("color", "auto"), stream),
    )
    if fmt in ("json", "gitlab"):
        for result in results:
            if result.error:
                click.echo(f"{result.display_name}: error: {result.error}", err=True)
    if stream is None:
        try:
            Path(options["output_file"]).write_text(output, encoding="utf-8")
        except OSError as error:
            click.echo(f"error: cannot write the report to {options['output_file']}: {error.strerror or error}", err=True)
            return EXIT_ERROR
    else:
        stream.write(output)

    if run_options.add_noqa:
        report_added_noqa(results)

    if internal or any(r.write_failed for r in results):
        return EXIT_ERROR  # the linter's own failure, or fixes it could not write
    if options["exit_non_zero_on_fix"] and any(r.fixed_count for r in results):
        return EXIT_FINDINGS
    if options["exit_zero"]:
        return EXIT_CLEAN
    if any(r.findings or r.error for r in results):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def report_added_noqa(results: list[FileResult]) -> None:
    """``--add-noqa``'s count, on stderr: the findings now suppressed, and those left
    (reported above) because no comment can go where they are."""
    added = sum(r.noqa_added for r in results)
    lines = sum(r.noqa_lines for r in results)
    files = sum(1 for r in results if r.noqa_lines)
    left = sum(r.noqa_skipped for r in results)
    message = (
        f"Added noqa codes for {added} finding{'s' if added != 1 else ''} "
        f"on {lines} line{'s' if lines != 1 else ''} in {files} file{'s' if files != 1 else ''}."
    )
    if left:
        message += f" Skipped {left} finding{'s' if left != 1 else ''}: no comment can go on {'its' if left == 1 else 'their'} line."
    click.echo(message, err=True)


def report_config_errors(results: list[FileResult]) -> list[str]:
    """Print each invalid configuration file met while discovering (the rest of the run
    went on); their messages (any makes the exit code 2)."""
    messages = []
    for result in results:
        if result.config_error:
            messages.append(f"{result.config_error} (files under {result.display_name} not checked)")
            click.echo(f"error: {messages[-1]}", err=True)
    return messages


def report_internal_errors(results: list[FileResult]) -> list[str]:
    """Print the linter's own errors (and each warning once); the errors' messages."""
    messages = []
    warnings_shown: set[str] = set()
    for result in results:
        for message in result.internal_errors:
            if message.startswith("warning: "):
                if message not in warnings_shown:
                    click.echo(message, err=True)
                    warnings_shown.add(message)
                continue
            messages.append(f"internal error while checking {result.display_name}: {message}")
            click.echo(f"error: {messages[-1]}", err=True)
    return messages


def _file_report(result: FileResult):
    from bedrock_lint.engine.source import split_lines
    from bedrock_lint.output import FileReport

    offset_to_position = None
    if result.text is not None:
        offset_to_position = _offset_mapper(result)
    return FileReport(
        display_name=result.display_name,
        findings=result.findings,
        source_lines=split_lines(result.text) if result.text is not None and result.cell_lines is None else None,
        error=result.error,
        fixed_count=result.fixed_count,
        cell_lines=result.cell_lines,
        offset_to_position=offset_to_position,
        fixed_codes=dict(result.fixed_codes),
    )


def _offset_mapper(result: FileResult):
    from bedrock_lint.analysis.lines import LineTable

    table = LineTable(result.text or "")
    cells = result.cell_offsets

    def to_position(offset: int):
        line, column = table.position(offset)
        if cells is None:
            return None, line, column
        for cell, start_offset, start_line, end_offset in cells:
            if start_offset <= offset <= end_offset:
                return cell, line - start_line + 1, column
        return None, line, column

    return to_position
