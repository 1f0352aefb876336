"""One libcst ``CodemodCommand`` base for all bedrock-lint fix families.

A codemod is a declared set of rule codes.  It runs exactly what ``bedrock-lint
migrate --select CODES`` runs on a file: the engine's rules and the one fix applier,
round by round, with the settings of the file's ``[tool.bedrock-lint]`` configuration.
libcst hands over a parsed module; its bytes (which keep the encoding, a byte order
mark and line endings) go through the applier, and the fixed bytes are parsed back into
the module libcst writes.  Reading and writing files is libcst.tool's job here.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import libcst as cst
from libcst.codemod import CodemodCommand

from bedrock_lint.engine.run import FileJob, RunOptions, process_file


class RuleFixCodemod(CodemodCommand):
    """Apply every fix (safe and unsafe) of the rules in ``CODES``."""

    # The rule codes whose fixes the codemod applies; each must have a fix.
    CODES: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        from bedrock_lint.rules.registry import get_rule

        for code in cls.CODES:
            found = get_rule(code)
            if found is None or found.fix == "none":
                raise TypeError(f"{cls.__name__}.CODES: {code} is not a rule with a fix")

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        filename = self.context.filename
        fixed, skipped, errors = fix_module_bytes(tree.bytes, Path(filename) if filename else None, self.CODES)
        if errors:
            # A failure for libcst.tool: the file is left as it was and the run exits 1
            # (as ``migrate`` exits 2), instead of a warning after a run that "succeeded".
            raise CodemodFailed("; ".join(errors))
        for message in skipped:
            self.warn(message)
        if fixed is None:
            return tree  # unchanged: libcst.tool leaves the file alone
        return cst.parse_module(fixed)


# Fix in memory and hand the bytes back: libcst.tool writes the file.
CODEMOD_RUN = RunOptions(fix=True, unsafe_fixes=True, use_cache=False, write_fixes=False)


class CodemodFailed(Exception):
    """A rule raised or the file ran out of time: the codemod fails on this file."""


def fix_module_bytes(
    raw: bytes, path: Path | None, codes: tuple[str, ...]
) -> tuple[bytes | None, list[str], list[str]]:
    """The fixed bytes (None when nothing changes), one message per fix not applied and
    the internal errors (a rule that raised, the file's time limit).

    ``path`` is the file's path (None for stdin): it finds the configuration, as
    ``migrate --select CODES`` would for that file, per-file ignores included.
    """
    from bedrock_lint.config import SettingsResolver
    from bedrock_lint.engine.check_command import CodesForFile

    resolver = SettingsResolver(cli_overrides={"select": list(codes)}, cwd=Path.cwd())
    absolute = path.resolve() if path is not None else None
    settings = resolver.settings_for(absolute or Path.cwd())
    name = str(path) if path is not None else "-"
    job = FileJob(name, None, settings, CodesForFile()(settings, absolute), raw)
    result = process_file(job, CODEMOD_RUN)
    if result.error:
        raise ValueError(f"{name}: {result.error}")
    skipped = [str(fix) for fix in result.rejected_fixes]
    errors = [f"internal error: {message}" for message in result.internal_errors]
    return result.fixed_output, skipped, errors
