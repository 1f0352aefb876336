"""The fix run behind every codemod: the same settings, selection and applier as
``bedrock-lint migrate``, on one file's bytes."""

from __future__ import annotations

from pathlib import Path

from bedrock_lint.engine.run import FileJob, RunOptions, process_file

# Fix in memory and hand the bytes back: libcst.tool writes the file.
CODEMOD_RUN = RunOptions(fix=True, unsafe_fixes=True, use_cache=False, write_fixes=False)


def fix_module_bytes(raw: bytes, path: Path | None, codes: tuple[str, ...]) -> tuple[bytes | None, list[str]]:
    """The fixed bytes (None when nothing changes) and one message per fix not applied.

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
    messages = [str(skipped) for skipped in result.rejected_fixes]
    messages.extend(f"internal error: {message}" for message in result.internal_errors)
    return result.fixed_output, messages
