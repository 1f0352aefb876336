"""The flake8 plugin: bedrock-lint's rules as flake8's ``BDR`` codes.

flake8 imports this module on every run and builds one checker per file, so it imports
nothing heavy: a file that never mentions Bedrock costs a few substring scans, and
libcst and the rules are imported only for files that pass the prefilter and the gate
(``engine.gate``, on flake8's own ``ast`` of the file).  Those go
through the engine of ``bedrock-lint check`` (prefilter → parse → index → rules → noqa);
flake8 then applies its own selection, ``--per-file-ignores`` and ``# noqa``.

A file of a project (analysis/project.py) resolves the names it imports from the other
modules of that project on disk, as ``bedrock-lint check`` does: flake8 checks one file at
a time, from whatever directory it runs in, and the findings are those of a run over the
whole project.  The text flake8 passes (it may come from stdin, named with
``--stdin-display-name``) stands for that file.

Settings: ``[tool.bedrock-lint]`` (found from each file as by ``bedrock-lint check``)
gives rule options and may narrow the rules with ``select``/``ignore``/
``per-file-ignores``; every rule option is also a flake8 option ``--bedrock-KEY``
(command line or ``[flake8]`` configuration), which wins over ``[tool.bedrock-lint]``.
Rules that are off by default are added to flake8's default ignore list, so they are
off in flake8 too until selected there.
"""

from __future__ import annotations

import _ast
import os
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from bedrock_lint import __version__
from bedrock_lint.engine.prefilter import may_use_bedrock
from bedrock_lint.rules.registry import RULE_CODES
from bedrock_lint.settings import RULE_OPTIONS, Settings

if TYPE_CHECKING:
    from bedrock_lint.analysis.project import ModuleView, ProjectIndex
    from bedrock_lint.config import SettingsResolver
    from bedrock_lint.findings import Finding

OPTION_PREFIX = "--bedrock-"
# flake8's name for the file it read from stdin, unless --stdin-display-name gives one.
STDIN_NAMES = frozenset({"stdin", "-"})


class BedrockLintChecker:
    """One file's check.  flake8 passes the file's lines (it also reads stdin) and its
    name; ``tree`` is requested only because flake8 runs tree plugins once per file."""

    name = "bedrock-lint"
    version = __version__

    # Set by parse_options once per flake8 process.
    given_options: dict[str, Any] = {}  # rule options given to flake8, by config key
    disable_noqa = False
    _resolver: "SettingsResolver | None" = None
    # The projects of the files this process checked (their exports are read once).
    _project: "ProjectIndex | None" = None

    def __init__(self, tree: Any, lines: list[str], filename: str) -> None:
        # The work is done here rather than in run(): flake8 reports an exception raised
        # by a plugin's constructor as '<file>: "BDR" failed during execution due to …'
        # (a bad [tool.bedrock-lint] names its file and key there), while one raised
        # from run() would escape as a bare traceback.
        self.findings = self._check("".join(lines), filename, tree)

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        for finding in self.findings:
            # flake8 wants 0-based columns and prints them 1-based.
            yield finding.start.line, finding.start.column - 1, f"{finding.code} {finding.message}", type(self)

    @classmethod
    def _check(cls, text: str, filename: str, tree: Any = None) -> list["Finding"]:
        # The wider test first: most files fail it, and cost no look for their project.
        if not may_use_bedrock(text, in_project=True):
            return []
        path = None if filename in STDIN_NAMES else Path(filename)
        project = cls._project_of(path, text)
        if project is None and not may_use_bedrock(text):
            return []
        settings = cls._settings_for(path)
        codes = _codes_for(settings, path)
        if not codes:
            return []
        from bedrock_lint.engine.gate import may_hold_findings

        # flake8's own ast of the file: nothing the rules start from, no libcst parse.
        if not may_hold_findings(text, tree if isinstance(tree, _ast.Module) else None):
            return []
        from bedrock_lint.engine.analyse import analyse_text
        from bedrock_lint.engine.limits import MAX_ANALYSED_BYTES, FileTimeout, parse_budget_problem, time_limit
        from bedrock_lint.engine.source import source_from_text

        # The limits of ``check``; and a failure of ours is one diagnostic for this file,
        # never an exception, which would stop flake8 for every file and plugin.
        if len(text.encode("utf-8", "surrogatepass")) > MAX_ANALYSED_BYTES:
            return [_not_checked(f"file over {MAX_ANALYSED_BYTES // 1048576} MB that mentions Bedrock, not analysed")]
        problem = parse_budget_problem(text, settings.file_timeout, tree if isinstance(tree, _ast.Module) else None)
        if problem is not None:
            return [_not_checked(problem)]
        from bedrock_lint.rules.registry import load_rules

        try:
            load_rules()  # outside the time limit: a timer firing inside an import breaks it
            with time_limit(settings.file_timeout):
                analysis = analyse_text(
                    source_from_text(text, filename), settings, codes, apply_noqa=not cls.disable_noqa, project=project
                )
        except FileTimeout as timeout:
            return [_not_checked(str(timeout))]
        except Exception as error:  # noqa: BLE001 - reported for this file; flake8 goes on
            return [_not_checked(f"internal error: {type(error).__name__}: {error}")]
        errors = [message for message in analysis.internal_errors if not message.startswith("warning: ")]
        if errors:
            return [*analysis.findings, _not_checked(f"internal error: {'; '.join(errors)}")]
        return analysis.findings

    @classmethod
    def _project_of(cls, path: Path | None, text: str) -> "ModuleView | None":
        """The file's view of its project, None outside one.  Its own text is the one
        flake8 passed, in case the project's other modules import from it."""
        if path is None or path.suffix != ".py":
            return None
        from bedrock_lint.analysis.project import ProjectIndex

        if cls._project is None:
            cls._project = ProjectIndex([])
        return cls._project.open_text(os.path.abspath(path), text)

    @classmethod
    def _settings_for(cls, path: Path | None) -> Settings:
        if cls._resolver is None:
            from bedrock_lint.config import SettingsResolver

            cls._resolver = SettingsResolver(cwd=Path.cwd())
        settings = cls._resolver.settings_for(path if path is not None else cls._resolver.cwd)
        if not cls.given_options:
            return settings
        return replace(settings, **{RULE_OPTIONS[key][0]: value for key, value in cls.given_options.items()})

    @classmethod
    def add_options(cls, manager: Any) -> None:
        for key, (_, expected, default) in RULE_OPTIONS.items():
            manager.add_option(
                OPTION_PREFIX + key,
                default=None,  # None: not given, [tool.bedrock-lint] or the default applies
                parse_from_config=True,
                metavar=_metavar(expected),
                help=f"bedrock-lint's {key!r} setting; overrides [tool.bedrock-lint] (default: {default})",
            )
        manager.extend_default_ignore(sorted(code for code, on_by_default in RULE_CODES.items() if not on_by_default))

    @classmethod
    def parse_options(cls, options: Any) -> None:
        from flake8.exceptions import ExecutionError

        from bedrock_lint.config import ConfigError, checked_rule_option

        given: dict[str, Any] = {}
        for key, (_, expected, _) in RULE_OPTIONS.items():
            value = getattr(options, (OPTION_PREFIX + key).lstrip("-").replace("-", "_"), None)
            if value is None:
                continue
            try:
                given[key] = checked_rule_option(
                    key, _typed(value, expected), origin=OPTION_PREFIX + key, directory=os.getcwd()
                )
            except ConfigError as error:
                raise ExecutionError(str(error)) from None
        cls.given_options = given
        cls.disable_noqa = bool(getattr(options, "disable_noqa", False))
        cls._resolver = None
        cls._project = None


def _not_checked(reason: str) -> "Finding":
    """flake8 shows it like any finding, and goes on with the other files and plugins."""
    from bedrock_lint.findings import not_checked

    return not_checked(reason)


def _codes_for(settings: Settings, path: Path | None) -> frozenset[str]:
    from bedrock_lint.engine.run import enabled_codes_for

    return enabled_codes_for(path, settings, _configured_codes(settings))


@lru_cache(maxsize=64)
def _configured_codes(settings: Settings) -> frozenset[str]:
    """Every rule, less what the project's configuration leaves out; flake8's own
    selection (with its default ignore list) then decides what is shown."""
    from bedrock_lint.rules.selection import enabled_codes

    return enabled_codes(settings.select or ("BDR",), settings.extend_select, settings.ignore)


def _types(expected: type | tuple[type, ...]) -> tuple[type, ...]:
    return tuple(t for t in (expected if isinstance(expected, tuple) else (expected,)) if t is not type(None))


def _typed(value: Any, expected: type | tuple[type, ...]) -> Any:
    """flake8 gives option values as text; read them as the option's type.  Text that
    is not of that type is returned as it is, for the validation to report."""
    if not isinstance(value, str):
        return value
    types = _types(expected)
    text = value.strip()
    if bool in types and text.lower() in ("true", "false"):
        return text.lower() == "true"
    for number_type in (int, float):
        if number_type in types:
            try:
                return number_type(text)
            except ValueError:
                pass
    return value


def _metavar(expected: type | tuple[type, ...]) -> str:
    types = _types(expected)
    if float in types:
        return "NUMBER"
    if int in types:
        return "INTEGER"
    if bool in types:
        return "BOOL"
    return "TEXT"
