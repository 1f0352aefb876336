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

import datetime
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Callable
from unittest import mock

from bedrock_lint.engine.analyse import analyse_text
from bedrock_lint.engine.source import encode_source, source_from_bytes
from bedrock_lint.findings import Finding
from bedrock_lint.fixes.applier import FixOutcome, fix_source
from bedrock_lint.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
RULE_FIXTURES = ROOT / "fixtures" / "rules"
EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>BDR\d{3}(?:\s*,\s*BDR\d{3})*)")
CASE = re.compile(r"^\s*#\s*case:", re.MULTILINE)
# Lifecycle status depends on the date, so fixtures are judged on a fixed day: this one,
# or the one a fixture names in a "# today: YYYY-MM-DD" comment.
FIXTURE_DAY = datetime.date(2026, 11, 23)
TODAY = re.compile(r"^#\s*today:\s*(\d{4}-\d{2}-\d{2})\s*$", re.MULTILINE)


def fixture_day(text: str) -> datetime.date:
    match = TODAY.search(text)
    return datetime.date.fromisoformat(match.group(1)) if match else FIXTURE_DAY


@contextmanager
def frozen_today(day: datetime.date):
    """Make the catalog judge lifecycle status on ``day``."""
    with mock.patch("bedrock_lint.catalog.models.today", return_value=day):
        yield


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
    source = load(path)
    with frozen_today(fixture_day(source.text)):
        return analyse_text(source, settings or Settings(), codes)


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

    source = load(path)
    with frozen_today(fixture_day(source.text)):
        return fix_source(source, analyse, rebuild, unsafe=unsafe)
