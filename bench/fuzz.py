"""Fuzzing: hypothesmith-generated programs and mutated Bedrock fixtures through the
engine, with every rule and unsafe fixes on.

    python bench/fuzz.py                          # 5,000 programs + 2,000 mutants, seed 0
    python bench/fuzz.py --programs N --mutants M --seed S

Each generated program (``hypothesmith.from_grammar()``: text CPython compiles) is
wrapped in Bedrock code (a client, a ``converse`` call) so the prefilter lets it through
and the fixes have something to do; each mutant is a fixture under ``fixtures/`` with
identifiers renamed, arguments reordered, argument values swapped between calls,
statements deleted and now and then a line deleted.  Properties (tests/fuzz_support.py):
no internal error, no per-file error, the fixed text parses (and compiles if the input
did), fixing it again changes nothing.  Failures are collected, not shrunk; the script
prints them and exits 1 if there is any.  ``tests/test_fuzz.py`` runs the same checks on
a few hundred inputs with a fixed seed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

from tests.fuzz_support import SEED_FILES, FuzzStats, check_input, mutate, wrap_generated  # noqa: E402


def fuzz_programs(count: int, seed: int, stats: FuzzStats, progress) -> None:
    import hypothesmith
    from hypothesis import HealthCheck, Phase, given, seed as hypothesis_seed, settings

    @hypothesis_seed(seed)
    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(hypothesmith.from_grammar())
    def run(program: str) -> None:
        check_input(wrap_generated(program), "generated.py", stats, f"program {stats.inputs + 1}: {program[:200]!r}")
        progress(stats)

    run()


def fuzz_mutants(count: int, seed: int, stats: FuzzStats, progress) -> None:
    chooser = random.Random(seed)
    for number in range(count):
        seed_file = SEED_FILES[number % len(SEED_FILES)]
        mutant_seed = chooser.randrange(2**32)
        mutant = mutate(seed_file.read_bytes(), seed_file.name, random.Random(mutant_seed))
        check_input(mutant, seed_file.name, stats, f"mutant of {seed_file.relative_to(REPOSITORY)} (seed {mutant_seed})")
        progress(stats)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--programs", type=int, default=5000, help="hypothesmith programs (default 5000)")
    parser.add_argument("--mutants", type=int, default=2000, help="mutated fixtures (default 2000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, help="write the summary as JSON here")
    options = parser.parse_args(argv)

    started = time.monotonic()

    def progress(stats: FuzzStats) -> None:
        if stats.inputs % 250 == 0:
            print(f"fuzz: {stats.inputs} inputs, {len(stats.problems)} problems, {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)

    programs, mutants = FuzzStats(), FuzzStats()
    fuzz_programs(options.programs, options.seed, programs, progress)
    fuzz_mutants(options.mutants, options.seed, mutants, progress)
    summary = {
        "command": " ".join(["python", *sys.argv]),
        "seed": options.seed,
        "seconds": round(time.monotonic() - started, 1),
    }
    for name, stats in (("programs", programs), ("mutants", mutants)):
        summary[name] = {
            "inputs": stats.inputs,
            "analysed": stats.analysed,
            "with_bdr000": stats.syntax_errors,
            "with_bdr000_that_cpython_compiles": stats.syntax_errors_cpython_accepts,
            "changed_by_fixes": stats.fixed,
            "problems": len(stats.problems),
        }
        print(f"{name}: {stats.inputs} inputs, {stats.analysed} analysed, {stats.syntax_errors} with BDR000 "
              f"({stats.syntax_errors_cpython_accepts} of them compiled by CPython), "
              f"{stats.fixed} changed by fixes (each re-checked: parses, idempotent), {len(stats.problems)} problems")
        for problem in stats.problems[:50]:
            print(f"  PROBLEM: {problem}")
    print(f"{summary['seconds']} s")
    summary["problem_list"] = programs.problems + mutants.problems
    if options.output:
        options.output.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 1 if programs.problems or mutants.problems else 0


if __name__ == "__main__":
    sys.exit(main())
