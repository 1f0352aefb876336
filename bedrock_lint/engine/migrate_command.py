"""``bedrock-lint migrate``: every fix, safe and unsafe, of the selected rules.

The fixes of all files are computed first (the same applier and rules as
``check --fix``, round by round until nothing changes); only then is anything written,
one file at a time, each atomically.  So an interrupted analysis writes nothing, and an
interrupted write leaves every file either as it was or fully fixed.

Default is a dry run: the unified diff on stdout, a summary per rule on stderr.
``--write`` writes; ``--interactive`` shows each file's diff and asks before writing it.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import click

from bedrock_lint.engine.check_command import CodesForFile, SetupError, file_jobs, report_config_errors, report_internal_errors, settings_resolver
from bedrock_lint.engine.exit_codes import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERRUPTED
from bedrock_lint.engine.progress import Progress
from bedrock_lint.engine.run import FileJob, FileResult, RunOptions, run_jobs
from bedrock_lint.findings import Applicability
from bedrock_lint.fixes import writer

NO_AUTOMATIC_FIX = "no automatic fix"
DECLINED = "declined in --interactive"


def stdin_is_terminal() -> bool:
    """``--interactive`` asks questions only on a terminal (tests replace this)."""
    return sys.stdin.isatty()


@dataclass
class RuleTally:
    files: set[str] = field(default_factory=set)
    fixes: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason -> count


class MigrationSummary:
    """Per rule: files changed, fixes applied, fixes skipped and why."""

    def __init__(self, *, safe_only: bool = False) -> None:
        self.rules: dict[str, RuleTally] = defaultdict(RuleTally)
        self.safe_only = safe_only

    def add_result(self, result: FileResult) -> None:
        """What the applier did and left in one file (before anything is written)."""
        for code, count in result.fixed_codes.items():
            self.rules[code].fixes += count
            self.rules[code].files.add(result.display_name)
        rejected = {(skipped.code, skipped.message) for skipped in result.rejected_fixes}
        for skipped in result.rejected_fixes:
            self.rules[skipped.code].skipped[skipped.reason] += 1
        from bedrock_lint.fixes.applier import MAX_ROUNDS

        for finding in result.findings:
            if finding.fix is None:
                self.rules[finding.code].skipped[NO_AUTOMATIC_FIX] += 1
            elif self.safe_only and finding.fix.applicability != Applicability.SAFE:
                self.rules[finding.code].skipped["unsafe fix (--safe-only)"] += 1
            elif (finding.code, finding.message) not in rejected:
                self.rules[finding.code].skipped[f"still fixable after {MAX_ROUNDS} rounds"] += 1

    def not_written(self, result: FileResult, reason: str) -> None:
        """A file's fixes were computed but not written: they count as skipped."""
        for code, count in result.fixed_codes.items():
            tally = self.rules[code]
            tally.fixes -= count
            tally.files.discard(result.display_name)
            tally.skipped[reason] += count

    def table(self) -> list[str]:
        from bedrock_lint.rules.registry import get_rule

        rows = [("rule", "name", "files", "fixes", "skipped")]
        for code in sorted(self.rules):
            tally = self.rules[code]
            found = get_rule(code)
            skipped = "; ".join(f"{count} {reason}" for reason, count in sorted(tally.skipped.items())) or "-"
            rows.append((code, found.name if found else "", str(len(tally.files)), str(tally.fixes), skipped))
        widths = [max(len(row[column]) for row in rows) for column in range(4)]
        return [
            "  ".join([row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].rjust(widths[2]), row[3].rjust(widths[3]), row[4]])
            for row in rows
        ]

    @property
    def fix_count(self) -> int:
        return sum(tally.fixes for tally in self.rules.values())

    @property
    def file_count(self) -> int:
        return len(set().union(*(tally.files for tally in self.rules.values()))) if self.rules else 0


def run_migrate(paths: list[str], options: dict) -> int:
    if "-" in paths:
        click.echo("error: migrate works on files; use `bedrock-lint check --fix --unsafe-fixes -` for stdin", err=True)
        return EXIT_ERROR
    if options["interactive"] and not stdin_is_terminal():
        click.echo("error: --interactive needs a terminal on stdin; use --write to apply without asking", err=True)
        return EXIT_ERROR
    try:
        jobs, errors = file_jobs(paths, settings_resolver(options), options, CodesForFile())
    except SetupError as error:
        click.echo(f"error: {error}", err=True)
        return EXIT_ERROR

    run_options = RunOptions(
        fix=True,
        unsafe_fixes=not options.get("safe_only"),
        diff=bool(options["interactive"]) or not options["write"],  # the diff is shown, not needed to write
        use_cache=False,
        jobs=int(options["jobs"] or 0),
        cache_root=str(Path.cwd()),
        write_fixes=False,
        describe_changes=True,
    )
    progress = Progress(len(jobs))
    try:
        # Results come back in the order of the jobs (sorted per given path).
        results = list(zip(jobs, run_jobs(jobs, run_options, progress)))
    except KeyboardInterrupt:
        progress.finish()
        click.echo("Interrupted while analysing: nothing was written.", err=True)
        return EXIT_INTERRUPTED
    progress.finish()

    internal = report_internal_errors([result for _, result in results]) + report_config_errors(errors)
    summary = MigrationSummary(safe_only=bool(options.get("safe_only")))
    for _, result in results:
        summary.add_result(result)
    for result in errors + [result for _, result in results]:
        if result.error:
            click.echo(f"{result.display_name}: error: {result.error}", err=True)
        for skipped in result.rejected_fixes:
            click.echo(f"{result.display_name}: {skipped}", err=True)

    failed = bool(internal) or any(result.error for result in errors + [result for _, result in results])
    changed = [(job, result) for job, result in results if result.fixed_output is not None]
    mode = "interactive" if options["interactive"] else "write" if options["write"] else "dry run"
    write_failed = False
    if mode == "dry run":
        sys.stdout.write("".join(result.diff or "" for _, result in changed))
        sys.stdout.flush()
    else:
        try:
            write_failed = _write_all(changed, summary, ask=mode == "interactive")
        except KeyboardInterrupt:
            _print_summary(summary, mode, found=len(changed), interrupted=True)
            return EXIT_INTERRUPTED
    _print_summary(summary, mode, found=len(changed), failed=failed)

    if internal or write_failed:
        return EXIT_ERROR
    if changed or failed:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _write_all(changed: list[tuple[FileJob, FileResult]], summary: MigrationSummary, *, ask: bool) -> bool:
    """Write each changed file (asking first when ``ask``); whether a write failed.

    Writing is the last step, file by file, through the one atomic writer.  A file that
    changed on disk since it was read is left alone: the fix was computed for other text.
    """
    failed = False
    written: set[str] = set()  # real paths
    ask_each = ask
    for position, (job, result) in enumerate(changed):
        assert job.path is not None and result.fixed_output is not None
        if ask_each:
            sys.stdout.write(result.diff or "")
            sys.stdout.flush()
            answer = _ask(result.display_name)
            if answer == "quit":
                for _, rest in changed[position:]:
                    summary.not_written(rest, DECLINED)
                break
            if answer == "no":
                summary.not_written(result, DECLINED)
                continue
            if answer == "all":
                ask_each = False
        path = Path(job.path)
        target = os.path.realpath(path)
        if target in written:
            continue  # the same file through a symbolic link: already written
        try:
            current = path.read_bytes()
            if hashlib.sha256(current).hexdigest() != result.read_digest:
                click.echo(f"{result.display_name}: error: changed on disk since it was read; not written", err=True)
                summary.not_written(result, "changed on disk while migrating")
                failed = True
                continue
            # Through the module attribute, so a test can inject a fault into the writer.
            writer.write_atomically(path, result.fixed_output)
            written.add(target)
        except OSError as error:
            click.echo(f"{result.display_name}: error: cannot write fixes: {error.strerror or error}", err=True)
            summary.not_written(result, "could not be written")
            failed = True
        except KeyboardInterrupt:
            for _, rest in changed[position:]:
                summary.not_written(rest, "interrupted")
            raise
    return failed


ANSWERS = {"y": "yes", "yes": "yes", "n": "no", "no": "no", "a": "all", "all": "all", "q": "quit", "quit": "quit"}


def _ask(name: str) -> str:
    while True:
        try:
            reply = click.prompt(f"Apply these changes to {name}? [y]es, [n]o, [a]ll files, [q]uit", err=True, default="", show_default=False)
        except click.Abort:  # end of input: stop asking, write nothing more
            click.echo("", err=True)
            return "quit"
        answer = ANSWERS.get(reply.strip().lower())
        if answer is not None:
            return answer
        click.echo("Please answer y, n, a or q.", err=True)


def _print_summary(summary: MigrationSummary, mode: str, *, found: int, failed: bool = False, interrupted: bool = False) -> None:
    """The table, then one line; ``found``: files that had changes to make; ``failed``:
    some files could not be checked (their errors are above), so "Nothing to change."
    would not be true."""
    heading = {
        "dry run": "bedrock-lint migrate (dry run: nothing written; --write applies the diff above)",
        "write": "bedrock-lint migrate --write",
        "interactive": "bedrock-lint migrate --interactive",
    }[mode]
    lines = [heading]
    if summary.rules:
        lines.extend(summary.table())
    fixes, files = summary.fix_count, summary.file_count
    noun = f"{fixes} fix{'es' if fixes != 1 else ''} in {files} file{'s' if files != 1 else ''}"
    if interrupted:
        lines.append(f"Interrupted: wrote {noun}; every other file is as it was.")
    elif not found and failed:
        lines.append("Nothing to change in the files that could be checked; see the errors above.")
    elif not found:
        lines.append("Nothing to change.")
    elif not fixes:
        lines.append("Nothing written.")
    elif mode == "dry run":
        lines.append(f"Would apply {noun}.")
    else:
        lines.append(f"Applied {noun}.")
    click.echo("\n".join(lines), err=True)
