"""Fuzzing in the test suite: a few hundred generated programs (hypothesmith, fixed
seed) and mutated Bedrock fixtures through the engine with every rule and unsafe fixes
on (tests/fuzz_support.py has the properties).  ``bench/fuzz.py`` runs thousands."""

from __future__ import annotations

import random

import hypothesmith
from hypothesis import HealthCheck, Phase, given, seed, settings

from tests.fuzz_support import SEED_FILES, FuzzStats, check_input, mutate, wrap_generated

PROGRAMS = 200
MUTANTS = 30


def test_generated_programs():
    stats = FuzzStats()

    @seed(20261123)
    @settings(max_examples=PROGRAMS, database=None, deadline=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(hypothesmith.from_grammar())
    def check(program: str) -> None:
        check_input(wrap_generated(program), "generated.py", stats, f"program {program[:300]!r}")

    check()
    assert stats.problems == []
    # The wrapping makes every program reach the rules and the fixes.
    assert stats.inputs >= PROGRAMS * 0.9 and stats.analysed == stats.inputs and stats.fixed >= stats.inputs * 0.9


def test_mutated_fixtures():
    stats = FuzzStats()
    chooser = random.Random(20261123)
    for number in range(MUTANTS):
        seed_file = SEED_FILES[chooser.randrange(len(SEED_FILES))]
        mutant_seed = chooser.randrange(2**32)
        mutant = mutate(seed_file.read_bytes(), seed_file.name, random.Random(mutant_seed))
        check_input(mutant, seed_file.name, stats, f"mutant of {seed_file.name} (seed {mutant_seed})")
    assert stats.problems == []
    assert stats.inputs == MUTANTS and stats.fixed > 0


def test_mutations_change_the_fixtures():
    """The mutator does rename, reorder, swap and delete (a mutator that returned its
    input would make the test above vacuous)."""
    seed_file = next(path for path in SEED_FILES if path.stat().st_size > 1500)
    original = seed_file.read_bytes()
    mutants = {mutate(original, seed_file.name, random.Random(n)) for n in range(10)}
    assert original not in mutants and len(mutants) == 10
    assert any(len(m.splitlines()) < len(original.splitlines()) for m in mutants)
