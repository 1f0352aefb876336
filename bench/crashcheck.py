"""Crash check: every rule, with fixes, over a few million lines of real code.

    python bench/crashcheck.py                  # mixed + bedrock-heavy + reliability corpora
    python bench/crashcheck.py --every-file     # also with the prefilter and gate off (every file parsed)
    python bench/crashcheck.py --corpus PATH    # any directory instead (repeatable)

The corpora are the benchmark's (bench/run.py prepares them from pinned wheels in the
cache directory, ``--cache-dir`` / ``$BEDROCK_LINT_BENCH_CACHE``, default
``~/.cache/bedrock-lint-bench``) plus *reliability*: all of litellm 1.109.1,
strands-agents 1.62.0, boto3 1.41.5 and botocore 1.44.5.

For each corpus the bedrock-lint command line runs as a subprocess
(``python -m bedrock_lint``) with every rule selected (``--select ALL``) and no cache:

1. ``check --format json`` — the findings; every ``BDR000`` file must be one CPython's
   ``compile()`` rejects too;
2. ``check --fix --diff`` — every fix computed, nothing written;
3. with ``--every-file``, both again with the prefilter and the gate switched off, so every file is
   parsed, indexed and given to every rule (the parser's and the index's crash check);
4. the files that got a finding with a fix are copied to a scratch directory and fixed
   for real (``--fix --unsafe-fixes``): each fixed file must parse with libcst (and
   compile, if it compiled before), and a second run must change no byte.

Any internal error (``error: internal error while checking FILE: ...``), a traceback, a
crash of the process (exit code other than 0/1) or a broken property above is a failure,
named with its file.  Exit 0 only when there is none.  The summary (files, lines,
findings, internal errors, time) is printed and written as JSON to ``--output``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import run as bench  # noqa: E402  (bench/run.py: corpora from pinned wheels)

RELIABILITY = (
    bench.Part("litellm==1.109.1"),
    bench.Part("strands-agents==1.62.0"),
    bench.Part("boto3==1.41.5"),
    bench.Part("botocore==1.44.5"),
)
INTERNAL_ERROR = re.compile(r"^error: internal error while checking (.+?): (.*)$", re.MULTILINE)
# Runs the command line with the prefilter and the gate answering "yes" for every file.  Worker
# processes are forked, so they inherit the patch.
EVERY_FILE_LAUNCHER = (
    "import sys, bedrock_lint.engine.run as r; r.may_use_bedrock = lambda text: True; "
    "r.may_hold_findings = lambda text, tree=None: True; "
    "from bedrock_lint.cli import main; sys.argv[0] = 'bedrock-lint'; main()"
)


def _command(every_file: bool) -> list[str]:
    if every_file:
        return [sys.executable, "-c", EVERY_FILE_LAUNCHER]
    return [sys.executable, "-m", "bedrock_lint"]


def _run(command: list[str], cwd: Path, log) -> subprocess.CompletedProcess:
    print("crashcheck: $", " ".join(command), f"(in {cwd})", file=log, flush=True)
    started = time.monotonic()
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True, errors="replace")
    print(f"crashcheck:   exit {completed.returncode} in {time.monotonic() - started:.1f} s", file=log, flush=True)
    return completed


def _process_problems(completed: subprocess.CompletedProcess, what: str) -> list[str]:
    problems = [f"{what}: internal error in {name}: {message}" for name, message in INTERNAL_ERROR.findall(completed.stderr)]
    if "Traceback (most recent call last)" in completed.stderr:
        tail = completed.stderr[completed.stderr.index("Traceback (most recent call last)"):][-2000:]
        problems.append(f"{what}: traceback:\n{tail}")
    if completed.returncode not in (0, 1) and not problems:
        problems.append(f"{what}: exit code {completed.returncode}; stderr tail: {completed.stderr[-2000:]}")
    return problems


def _cpython_rejects(path: Path) -> bool:
    from bedrock_lint.engine.source import SourceError, read_source

    try:
        text = read_source(path, path.name).text
    except SourceError:
        return True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(text, str(path), "exec", dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return True
    return False


def check_corpus(name: str, root: Path, every_file: bool, jobs: int, log) -> dict:
    files = bench._python_files(root)
    lines = bench._physical_lines(files)
    label = f"{name}{' (every file)' if every_file else ''}"
    print(f"crashcheck: {label}: {len(files)} files, {lines} lines", file=log, flush=True)
    base = [*_command(every_file), "check", "--select", "ALL", "--no-cache", "--jobs", str(jobs)]
    started = time.monotonic()
    problems: list[str] = []

    report = _run([*base, "--exit-zero", "--format", "json", "."], root, log)
    problems += _process_problems(report, f"{label} check")
    try:
        findings = json.loads(report.stdout or "[]")
    except ValueError:
        findings = []
        problems.append(f"{label} check: output is not JSON: {report.stdout[:500]}")
    syntax_errors = sorted({f["filename"] for f in findings if f["code"] == "BDR000"})
    for filename in syntax_errors:
        if not _cpython_rejects(root / filename):
            problems.append(f"{label}: BDR000 on {filename}, which CPython compiles")

    fixes = _run([*base, "--fix", "--diff", "."], root, log)
    problems += _process_problems(fixes, f"{label} check --fix --diff")

    fixable = sorted({f["filename"] for f in findings if f["fix"] is not None})
    if fixable and not every_file:
        problems += _fix_for_real(root, fixable, base, label, log)

    return {
        "corpus": label,
        "path": str(root),
        "files": len(files),
        "lines": lines,
        "findings": len(findings),
        "files_with_findings": len({f["filename"] for f in findings}),
        "bdr000_files": len(syntax_errors),
        "files_fixed_for_real": len(fixable) if not every_file else 0,
        "internal_errors": sum(1 for p in problems if ": internal error in " in p),
        "problems": problems,
        "seconds": round(time.monotonic() - started, 1),
    }


def _fix_for_real(root: Path, names: list[str], base: list[str], label: str, log) -> list[str]:
    """Fix copies of the files that have fixes: the result parses, compiles if the
    original did, and a second round changes nothing."""
    import libcst

    from bedrock_lint.engine.source import read_source

    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="crashcheck-") as scratch:
        work = Path(scratch)
        for name in names:
            target = work / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / name, target)
        first = _run([*base, "--fix", "--unsafe-fixes", "--exit-zero", "--format", "concise", "."], work, log)
        problems += _process_problems(first, f"{label} check --fix --unsafe-fixes")
        settled = {}
        for name in names:
            fixed = work / name
            settled[name] = fixed.read_bytes()
            if settled[name] == (root / name).read_bytes():
                continue
            try:
                libcst.parse_module(read_source(fixed, name).text)
            except Exception as error:  # noqa: BLE001 - reported, not raised
                problems.append(f"{label}: fixed {name} does not parse: {error}")
                continue
            if not _cpython_rejects(root / name) and _cpython_rejects(fixed):
                problems.append(f"{label}: fixed {name} no longer compiles")
        second = _run([*base, "--fix", "--unsafe-fixes", "--exit-zero", "--format", "concise", "."], work, log)
        problems += _process_problems(second, f"{label} check --fix --unsafe-fixes (second round)")
        for name in names:
            if (work / name).read_bytes() != settled[name]:
                problems.append(f"{label}: fixes are not idempotent on {name}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache-dir", help="benchmark cache directory (default: $BEDROCK_LINT_BENCH_CACHE or ~/.cache/bedrock-lint-bench)")
    parser.add_argument("--corpus", action="append", type=Path, help="check this directory instead of the benchmark corpora (repeatable)")
    parser.add_argument("--every-file", action="store_true", help="also run with the prefilter and the gate off, so every file is parsed and analysed")
    parser.add_argument("--jobs", type=int, default=0, help="--jobs for bedrock-lint (default: one per CPU)")
    parser.add_argument("--output", type=Path, help="write the summary as JSON here")
    options = parser.parse_args(argv)

    if options.corpus:
        corpora = [(path.name, path.resolve()) for path in options.corpus]
    else:
        cache = bench._cache_dir(options.cache_dir)
        corpora = [
            ("mixed", bench._prepare_corpus(cache, "mixed", bench.MIXED)),
            ("bedrock-heavy", bench._prepare_corpus(cache, "bedrock-heavy", bench.BEDROCK_HEAVY)),
            ("reliability", bench._prepare_corpus(cache, "reliability", RELIABILITY)),
        ]
    started = time.monotonic()
    results = []
    for every_file in (False, True) if options.every_file else (False,):
        for name, root in corpora:
            result = check_corpus(name, root, every_file, options.jobs, sys.stderr)
            results.append(result)
            for problem in result["problems"]:
                print(f"crashcheck: PROBLEM: {problem}", file=sys.stderr, flush=True)
    summary = {
        "command": " ".join([os.path.basename(sys.executable), *sys.argv]),
        "python": sys.version.split()[0],
        "corpora": results,
        "total_files": sum(r["files"] for r in results if "every file" not in r["corpus"]),
        "total_lines": sum(r["lines"] for r in results if "every file" not in r["corpus"]),
        "internal_errors": sum(r["internal_errors"] for r in results),
        "problems": sum(len(r["problems"]) for r in results),
        "seconds": round(time.monotonic() - started, 1),
    }
    print(f"{'corpus':<28} {'files':>7} {'lines':>9} {'findings':>8} {'BDR000':>6} {'fixed':>6} {'internal':>8} {'problems':>8} {'s':>7}")
    for r in results:
        print(
            f"{r['corpus']:<28} {r['files']:>7} {r['lines']:>9} {r['findings']:>8} {r['bdr000_files']:>6} "
            f"{r['files_fixed_for_real']:>6} {r['internal_errors']:>8} {len(r['problems']):>8} {r['seconds']:>7}"
        )
    print(
        f"total: {summary['total_files']} files, {summary['total_lines']} lines, "
        f"{summary['internal_errors']} internal errors, {summary['problems']} problems, {summary['seconds']} s"
    )
    if options.output:
        options.output.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 1 if summary["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
