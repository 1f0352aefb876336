"""One file checked as the pre-commit hook checks it (issue 23, item 4).

``python bench/single_file.py [--repeat 5] [--base DIR]`` runs, in the FastAPI fixture
project (``fixtures/projects/fastapi_app``), ``python -m bedrock_lint check FILE`` for
the Bedrock module ``app/api/chat.py`` cold (``--no-cache``) and warm (the cache
answers: an untimed run filled it), and for ``app/prompts.py`` (no Bedrock usage: the
prefilter answers) cold and warm; and the floors: ``python -c pass`` and
``python -c "import libcst"``.  Each row is a fresh interpreter per run; it prints the
median and the min–max of the CPU time (user + sys, from ``getrusage`` of the child)
and of the wall time, as a markdown table.

``--base DIR``: also run the check rows with the ``bedrock_lint`` package of DIR (a
checkout of another commit) first on ``PYTHONPATH``, interleaved with this checkout's
runs, for a before/after table.  Both packages are byte-compiled first, as an install
from a wheel is: this environment may set ``PYTHONDONTWRITEBYTECODE``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "fixtures" / "projects" / "fastapi_app"
BEDROCK_FILE = "app/api/chat.py"
PLAIN_FILE = "app/prompts.py"


def timed(command: list[str], environment: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of ``command`` in the project."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=PROJECT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def rows(python: str, cache_dir: str) -> list[tuple[str, list[str], bool]]:
    """(label, command, whether the cache must be filled first)."""
    check = [python, "-m", "bedrock_lint", "check", "--cache-dir", cache_dir]
    return [
        (f"Bedrock file, cold (`check --no-cache {BEDROCK_FILE}`)", [*check, "--no-cache", BEDROCK_FILE], False),
        (f"Bedrock file, warm (`check {BEDROCK_FILE}`, cache hit)", [*check, BEDROCK_FILE], True),
        (f"no Bedrock usage, cold (`check --no-cache {PLAIN_FILE}`)", [*check, "--no-cache", PLAIN_FILE], False),
        (f"no Bedrock usage, warm (`check {PLAIN_FILE}`, cache hit)", [*check, PLAIN_FILE], True),
    ]


def describe(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} ({min(values):.3f}–{max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--base", type=Path, help="a checkout whose bedrock_lint package is measured too")
    arguments = parser.parse_args()

    variants = {"this checkout": ROOT}
    if arguments.base is not None:
        variants = {"base": arguments.base.resolve(), **variants}
    for tree in variants.values():
        subprocess.run([arguments.python, "-m", "compileall", "-q", str(tree / "bedrock_lint")], check=True, stdout=subprocess.DEVNULL)

    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        plans = []
        for name, tree in variants.items():
            environment = {**os.environ, "PYTHONPATH": str(tree)}
            cache_dir = os.path.join(scratch, name.replace(" ", "-"))
            for label, command, warm in rows(arguments.python, cache_dir):
                if warm:
                    timed(command, environment)  # fills the cache
                plans.append((label, name, command, environment))
        floors = [
            ("floor: `python -c pass`", [arguments.python, "-c", "pass"]),
            ('floor: `python -c "import libcst"`', [arguments.python, "-c", "import libcst"]),
        ]
        for label, command in floors:
            plans.append((label, "", command, dict(os.environ)))
        for _, _, command, environment in plans:
            timed(command, environment)  # page cache, .pyc
        for _ in range(arguments.repeat):
            for label, name, command, environment in plans:  # round robin: load spreads over all rows
                results.setdefault((label, name), []).append(timed(command, environment))

    with_base = arguments.base is not None
    print(f"{arguments.repeat} runs each, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {os.getloadavg()[0]:.1f}, "
          f"Python {subprocess.run([arguments.python, '-c', 'import sys; print(sys.version.split()[0])'], capture_output=True, text=True).stdout.strip()}")
    print()
    print(f"| run |{' code |' if with_base else ''} CPU s, median (min–max) | wall s, median (min–max) |")
    print(f"|---|{'---|' if with_base else ''}--:|--:|")
    for (label, name), measured in results.items():
        code = f" {name} |" if with_base else ""
        print(f"| {label} |{code} {describe([cpu for cpu, _ in measured])} | {describe([wall for _, wall in measured])} |")


if __name__ == "__main__":
    main()
