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

from bedrock_lint.engine.change_report import AppliedChange, UnlockHint, WithheldFix
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


UNSAFE_UNDER_SAFE_ONLY = "unsafe fix (--safe-only)"
# What a setting gives a withheld fix, for the summary's hints (``Finding.fix_needs_setting``).
WHAT_A_SETTING_GIVES = {"profile-geography": "a geography"}


def needs_setting(setting: str) -> str:
    """The skip reason of a finding that has no fix until ``setting`` is set."""
    return f"no fix without {setting}"


@dataclass
class RuleTally:
    files: set[str] = field(default_factory=set)
    fixes: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason -> count


class MigrationSummary:
    """Every change, every fix skipped and why, per rule tallies, and what would unlock
    the skipped fixes."""

    def __init__(self, *, safe_only: bool = False) -> None:
        self.safe_only = safe_only
        self.changes: list[tuple[str, AppliedChange]] = []
        self.skipped: list[WithheldFix] = []
        self._file_order: dict[str, int] = {}

    def add_result(self, result: FileResult) -> None:
        """What the applier did and left in one file (before anything is written)."""
        from bedrock_lint.fixes.applier import MAX_ROUNDS

        self._file_order.setdefault(result.display_name, len(self._file_order))
        self.changes.extend((result.display_name, change) for change in result.changes)
        name = result.display_name
        rejected = {(skipped.code, skipped.message) for skipped in result.rejected_fixes}
        for skipped in result.rejected_fixes:
            cell, line, column = skipped.as_read or (skipped.cell, skipped.line, skipped.column)
            self.skipped.append(WithheldFix(name, skipped.code, skipped.reason, skipped.message, line, column, cell))
        as_read = result.findings_as_read or [(f.cell, f.start.line, f.start.column) for f in result.findings]
        for finding, (cell, line, column) in zip(result.findings, as_read):
            setting = None
            if finding.fix is None:
                setting = finding.fix_needs_setting
                reason = needs_setting(setting) if setting else NO_AUTOMATIC_FIX
            elif self.safe_only and finding.fix.applicability != Applicability.SAFE:
                reason = UNSAFE_UNDER_SAFE_ONLY
            elif (finding.code, finding.message) not in rejected:
                reason = f"still fixable after {MAX_ROUNDS} rounds"
            else:
                continue  # counted with the rejected fixes above
            self.skipped.append(WithheldFix(name, finding.code, reason, finding.message, line, column, cell, setting))

    def not_written(self, result: FileResult, reason: str) -> None:
        """A file's fixes were computed but not written: they count as skipped."""
        name = result.display_name
        for filename, change in self.changes:
            if filename == name:
                self.skipped.append(WithheldFix(name, change.code, reason, change.reason, change.line, change.column, change.cell))
        self.changes = [(filename, change) for filename, change in self.changes if filename != name]

    def ordered_skipped(self) -> list[WithheldFix]:
        """By file (in the order they were checked), then position."""
        return sorted(
            self.skipped,
            key=lambda s: (self._file_order.get(s.filename, len(self._file_order)), s.filename, s.cell or 0, s.line, s.column or 0, s.code, s.message),
        )

    @property
    def rules(self) -> dict[str, RuleTally]:
        tallies: dict[str, RuleTally] = defaultdict(RuleTally)
        for filename, change in self.changes:
            tallies[change.code].fixes += 1
            tallies[change.code].files.add(filename)
        for withheld in self.skipped:
            tallies[withheld.code].skipped[withheld.reason] += 1
        return dict(tallies)

    def unlock_hints(self) -> list[UnlockHint]:
        """What would apply skipped fixes: leaving out --safe-only, then each setting
        that withheld fixes need, per rule."""
        hints = []
        unsafe = [s for s in self.skipped if s.reason == UNSAFE_UNDER_SAFE_ONLY]
        if unsafe:
            codes = tuple(sorted({s.code for s in unsafe}))
            count = len(unsafe)
            verb = "fixes are" if count != 1 else "fix is"
            hints.append(UnlockHint(count, codes, "option", "--safe-only", f"{count} {verb} unsafe ({', '.join(codes)}): run without --safe-only"))
        needing = Counter((s.setting, s.code) for s in self.skipped if s.setting is not None and s.reason == needs_setting(s.setting))
        for (setting, code), count in sorted(needing.items()):
            what = WHAT_A_SETTING_GIVES.get(setting, f"the {setting} setting")
            verb = "fixes need" if count != 1 else "fix needs"
            hints.append(UnlockHint(count, (code,), "setting", setting, f"{count} {code} {verb} {what}: set {setting}"))
        return hints

    def table(self) -> list[str]:
        from bedrock_lint.rules.registry import get_rule

        rows = [("rule", "name", "files", "fixes", "skipped")]
        tallies = self.rules
        for code in sorted(tallies):
            tally = tallies[code]
            found = get_rule(code)
            skipped = "; ".join(f"{count} {reason}" for reason, count in sorted(tally.skipped.items())) or "-"
            rows.append((code, found.name if found else "", str(len(tally.files)), str(tally.fixes), skipped))
        widths = [max(len(row[column]) for row in rows) for column in range(4)]
        return [
            "  ".join([row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].rjust(widths[2]), row[3].rjust(widths[3]), row[4]])
            for row in rows
        ]

    def json(self, mode: str) -> str:
        from bedrock_lint.output.migrate_json import render
        from bedrock_lint.rules.registry import all_rules

        tallies = {code: (len(t.files), t.fixes, dict(t.skipped)) for code, t in self.rules.items()}
        rules = {rule.code: rule for rule in all_rules()}
        return render(self.changes, self.ordered_skipped(), self.unlock_hints(), tallies, mode=mode, rules=rules)

    @property
    def fix_count(self) -> int:
        return len(self.changes)

    @property
    def file_count(self) -> int:
        return len({filename for filename, _ in self.changes})


def run_migrate(paths: list[str], options: dict) -> int:
    if "-" in paths:
        click.echo("error: migrate works on files; use `bedrock-lint check --fix --unsafe-fixes -` for stdin", err=True)
        return EXIT_ERROR
    as_json = options.get("output_format") == "json"
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
    if mode == "dry run" and not as_json:
        sys.stdout.write("".join(result.diff or "" for _, result in changed))
        sys.stdout.flush()
    elif mode != "dry run":
        try:
            write_failed = _write_all(changed, summary, ask=mode == "interactive")
        except KeyboardInterrupt:
            if as_json:
                sys.stdout.write(summary.json(mode))
            _print_summary(summary, mode, found=len(changed), interrupted=True)
            return EXIT_INTERRUPTED
    if as_json:
        sys.stdout.write(summary.json(mode))
        sys.stdout.flush()
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
    hints = summary.unlock_hints()
    if hints:
        lines.append("To apply the skipped fixes:")
        lines.extend(f"  {hint.message}" for hint in hints)
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
