"""Helpers for fixture-driven rule tests.

Layout: ``fixtures/rules/<CODE>/`` holds
- ``reported*.py``: every line where the rule must report carries a trailing
  ``# expect: CODE`` comment (several codes: ``# expect: BDR001, BDR002``);
- ``clean*.py``: code that must not be reported, each case introduced by a
  ``# case: <what it shows>`` comment line;
- ``reported*.fixed.py``: the expected file after applying the rule's fixes
  (safe and unsafe) until nothing changes.

Each rule is run alone on its fixtures (``--select CODE``), so expectations of one
rule are not disturbed by another's findings.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from bedrock_lint.engine.analyse import analyse_text
from bedrock_lint.engine.source import encode_source, source_from_bytes
from bedrock_lint.findings import Finding
from bedrock_lint.fixes.applier import FixOutcome, fix_source
from bedrock_lint.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
RULE_FIXTURES = ROOT / "fixtures" / "rules"
EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>BDR\d{3}(?:\s*,\s*BDR\d{3})*)")
CASE = re.compile(r"^\s*#\s*case:", re.MULTILINE)


def expected_findings(text: str) -> set[tuple[int, str]]:
    expected = set()
    for number, line in enumerate(text.splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            for code in re.split(r"\s*,\s*", match.group("codes")):
                expected.add((number, code))
    return expected


def count_cases(text: str) -> int:
    return len(CASE.findall(text))


def load(path: Path, name: str | None = None):
    return source_from_bytes(path.read_bytes(), name or path.name, path)


def analyse_file(path: Path, codes: frozenset[str], settings: Settings | None = None):
    return analyse_text(load(path), settings or Settings(), codes)


def fix_file(
    path: Path,
    codes: frozenset[str],
    settings: Settings | None = None,
    *,
    unsafe: bool = True,
    reorder: Callable[[list[Finding]], None] | None = None,
) -> FixOutcome:
    """``path`` fixed in memory; ``reorder`` (e.g. a shuffle) rearranges each round's findings."""
    settings = settings or Settings()

    def rebuild(current, new_text, edits):
        data = encode_source(current, new_text, [(e.start, e.end, e.content) for e in edits])
        return source_from_bytes(data, current.display_name, current.path)

    def analyse(source):
        analysis = analyse_text(source, settings, codes)
        if reorder is not None:
            reorder(analysis.findings)
        return analysis

    return fix_source(load(path), analyse, rebuild, unsafe=unsafe)
