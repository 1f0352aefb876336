"""The ``bedrock-lint`` command line (click).

Exit codes: 0 clean, 1 findings (or files changed with --exit-non-zero-on-fix, or
diffs with --diff), 2 usage, configuration or internal error.
"""

from __future__ import annotations

import os
import signal
import sys

import click

from bedrock_lint import __version__
from bedrock_lint.engine.exit_codes import EXIT_ERROR, EXIT_TERMINATED


class Terminated(BaseException):
    """SIGTERM arrived: unwinds the run like Ctrl-C, so that the pool is stopped."""


def _terminated(signum, frame) -> None:
    raise Terminated()


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


class DefaultCommandGroup(click.Group):
    """``bedrock-lint PATH`` means ``bedrock-lint check PATH`` (like ruff's old CLI); a
    first argument that is no path but reads like a command is a mistyped command."""

    def main(self, *args, **kwargs):  # type: ignore[override]
        """Any crash is one line and exit code 2, never a traceback with the findings'
        exit code; output that a terminal or pipe cannot encode is escaped, not fatal."""
        for stream in (sys.stdout, sys.stderr):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                try:
                    reconfigure(errors="backslashreplace")
                except (ValueError, OSError):
                    pass
        previous = signal.signal(signal.SIGTERM, _terminated) if _main_thread() else None
        try:
            return super().main(*args, **kwargs)
        except Terminated:
            # An editor, wrapper or CI timeout ended the run: the worker pool is stopped
            # on the way out (engine.run); exit as a shell reports SIGTERM.
            sys.exit(EXIT_TERMINATED)
        except BrokenPipeError:
            # The reader went away (`| head`): say nothing more on stdout, exit as failed.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(EXIT_ERROR)
        except Exception as error:  # noqa: BLE001 - the last line of defence
            click.echo(f"error: internal error: {_describe_crash(error)}", err=True)
            sys.exit(EXIT_ERROR)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            if args and looks_like_command(args[0]):
                import difflib

                close = difflib.get_close_matches(args[0], sorted(self.commands), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                click.echo(f"error: no such command '{args[0]}'{hint}", err=True)
                ctx.exit(EXIT_ERROR)
            args = ["check", *args]
        return super().parse_args(ctx, args)


def looks_like_command(argument: str) -> bool:
    """Not an option, not an existing path (a broken link counts), and no path separator
    or file extension: ``chek``, not ``app.py``, ``src/`` or ``-``."""
    separators = {"/", os.sep} | ({os.altsep} if os.altsep else set())
    return (
        bool(argument)
        and not argument.startswith("-")
        and "." not in argument
        and not any(separator in argument for separator in separators)
        and not os.path.lexists(argument)
    )


@click.group(cls=DefaultCommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bedrock-lint")
def main() -> None:
    """Find and fix production mistakes in code that calls Claude on Amazon Bedrock."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--select", multiple=True, help="Rule codes or prefixes to enable (replaces the configured selection).")
@click.option("--extend-select", multiple=True, help="Rule codes or prefixes to enable in addition.")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to disable.")
@click.option("--preview", is_flag=True, help="Enable preview rules (new rules, off by default until they are stable).")
@click.option("--fix", is_flag=True, help="Apply safe fixes.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply (and show as fixable) unsafe fixes.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff and write nothing.")
@click.option("--show-fixes", is_flag=True, help="List the fixes that were applied.")
@click.option("--add-noqa", is_flag=True, help="Add a '# noqa: BDRxxx' comment for each finding (extending existing ones) and report how many.")
@click.option(
    "--format", "--output-format", "output_format", type=click.Choice(["text", "concise", "json", "sarif", "github", "gitlab", "junit"]),
    default="text", show_default=True, envvar="BEDROCK_LINT_OUTPUT_FORMAT", show_envvar=True,
    help="gitlab: a GitLab Code Quality report; junit: JUnit XML; github: workflow annotations.",
)
@click.option("--output-file", type=click.Path(dir_okay=False, writable=True), help="Write the report to this file instead of stdout.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True, help="Colour the text and concise output: auto colours on a terminal unless NO_COLOR is set.")
@click.option("--statistics", is_flag=True, help="Show counts per rule instead of each finding.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="Exit 1 when a file was changed by --fix (for pre-commit).")
@click.option("--force-exclude", is_flag=True, help="Apply exclude settings to paths given on the command line too.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False), envvar="BEDROCK_LINT_CACHE_DIR", show_envvar=True, help="Keep the cache in this directory (default: .bedrock_lint_cache in the current directory).")
@click.option("--file-timeout", type=click.FloatRange(min=0, min_open=True), help="Seconds of CPU time one file may take before it is reported and skipped (default: 10, or the file-timeout setting).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, help="Worker processes (default and most: one per available CPU).")
@click.option("--stdin-filename", help="Check standard input, as this file (for its settings and in reports).")
@click.option("--config", "config_file", multiple=True, help="Use this configuration file for every path; or, repeatable, override one setting: --config 'retry-mode = \"standard\"' (TOML).")
@click.option("--extend-per-file-ignores", multiple=True, metavar="PATTERN:CODES", help="Per-file ignores in addition to the configured ones, e.g. 'tests/*:BDR005' (repeatable).")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only, no summary.")
@click.option("--verbose", "-v", is_flag=True, help="Also print which configuration each file uses and timings.")
def check(paths: tuple[str, ...], **options: object) -> None:
    """Check PATHS (default: the current directory) for Bedrock mistakes."""
    from bedrock_lint.engine.check_command import run_check

    if options["add_noqa"] and (options["fix"] or options["diff"]):
        raise click.UsageError("--add-noqa cannot be combined with --fix or --diff")
    sys.exit(run_check(list(paths), options))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--select", multiple=True, help="Rule codes or prefixes to enable (replaces the configured selection).")
@click.option("--extend-select", multiple=True, help="Rule codes or prefixes to enable in addition.")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to disable.")
@click.option("--diff", "dry_run", is_flag=True, help="Print the changes as a unified diff and write nothing (the default).")
@click.option("--write", is_flag=True, help="Write the changes.")
@click.option("--interactive", "-i", is_flag=True, help="Show each file's changes and ask before writing them (needs a terminal).")
@click.option("--safe-only", is_flag=True, help="Apply only the safe fixes (those check --fix applies); the unsafe ones are counted as skipped.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True, help="text: the diff, each hunk naming its rules; json: every change and skipped fix, and a summary (not with --interactive).")
@click.option("--force-exclude", is_flag=True, help="Apply exclude settings to paths given on the command line too.")
@click.option("--file-timeout", type=click.FloatRange(min=0, min_open=True), help="Seconds of CPU time one file may take before it is reported and skipped (default: 10, or the file-timeout setting).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, help="Worker processes (default and most: one per available CPU).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this configuration file for every path.")
@click.option("--verbose", "-v", is_flag=True, help="Also print which configuration each file uses.")
def migrate(paths: tuple[str, ...], **options: object) -> None:
    """Apply every fix, safe and unsafe (--safe-only: safe only), of the selected rules
    to PATHS (default: ".").

    A dry run unless --write: prints the unified diff on stdout and a summary per rule
    on stderr.  Exit 0 when there is nothing to change, 1 when changes were found or
    written, 2 on errors, 130 when interrupted while writing.
    """
    from bedrock_lint.engine.migrate_command import run_migrate

    if options["dry_run"] and (options["write"] or options["interactive"]):
        raise click.UsageError("--diff is a dry run; it cannot be combined with --write or --interactive")
    if options["output_format"] == "json" and options["interactive"]:
        raise click.UsageError("--format json cannot be combined with --interactive (it shows each file's diff); use --write")
    sys.exit(run_migrate(list(paths), options))


@main.command("rule")
@click.argument("code")
def rule_command(code: str) -> None:
    """Show the documentation of one rule."""
    from bedrock_lint.catalog.models import CatalogError, load_catalog, today
    from bedrock_lint.docs import rule_markdown
    from bedrock_lint.rules.registry import documented_rule

    found = documented_rule(code)
    if found is None:
        click.echo(f"error: unknown rule code '{code}'; `bedrock-lint rules` lists them", err=True)
        sys.exit(EXIT_ERROR)
    catalog = None
    if found.facts is not None:
        try:
            catalog = load_catalog()
        except CatalogError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(EXIT_ERROR)
    click.echo(rule_markdown(found, catalog=catalog, day=today()), nl=False)


@main.command("rules")
def rules_command() -> None:
    """List all rules: code, name, severity, fix, default on/off."""
    from bedrock_lint.catalog.api import surface_in_use
    from bedrock_lint.docs import rules_table

    click.echo(rules_table(), nl=False)
    click.echo(f"\n{surface_in_use().summary()}")


@main.command("models")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--refresh", is_flag=True, help="First rebuild the user-level catalog from the Bedrock control plane (ListFoundationModels, ListInferenceProfiles) with your AWS credentials.")
@click.option("--region", "regions", multiple=True, help="With --refresh: a region to list models in; repeat for several (default: the region of your AWS configuration).")
@click.option("--catalog", "catalog_file", type=click.Path(dir_okay=False), help="Show this catalog file instead of the one in use.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this configuration file's catalog setting.")
def models_command(**options: object) -> None:
    """Show the Claude model catalog in use: id, tier, status, EOL date, successor, profiles."""
    from bedrock_lint.models_command import run_models

    sys.exit(run_models(options))


@main.command("server")
def server_command() -> None:
    """Run the language server on standard input and output (for editors: diagnostics,
    quick fixes, fix-all, hover; Python files and notebooks)."""
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        click.echo("error: `bedrock-lint server` needs pygls and lsprotocol: pip install 'bedrock-lint[server]'", err=True)
        sys.exit(EXIT_ERROR)
    from bedrock_lint.integrations.server import serve

    serve()


def _describe_crash(error: BaseException) -> str:
    """``OverflowError: … (bedrock_lint/engine/limits.py:107)``: what and where."""
    import traceback

    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/bedrock_lint/" in f.filename.replace("\\", "/")] or frames
    where = ""
    if ours:
        filename = ours[-1].filename.replace("\\", "/")
        where = f" ({filename[filename.rfind('/bedrock_lint/') + 1:] if '/bedrock_lint/' in filename else filename.rsplit('/', 1)[-1]}:{ours[-1].lineno})"
    return f"{type(error).__name__}: {error}{where}"
