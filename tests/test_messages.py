"""Messages a person reads (issue 19, item 5): the first line of every finding's message
states the problem and the fix in at most MESSAGE_WIDTH characters, and no message
names a library's source file; the why, the numbers and the sources are in the rule's
documentation (``bedrock-lint rule CODE``, JSON/SARIF help) and fix messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bedrock_lint.rules.registry import RULE_CODES
from bedrock_lint.rules.report import MESSAGE_WIDTH, fitting
from tests.fixture_support import analyse_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FIXTURE_FILES = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".py", ".ipynb"))

# A source file of a library (``strands/models/bedrock.py``, ``site-packages/…``).
SOURCE_PATH = re.compile(r"[\w-]\.py\b|site-packages|dist-packages")

def message_problems(code: str, message: str) -> list[str]:
    problems = []
    first_line = message.split("\n", 1)[0]
    if len(first_line) > MESSAGE_WIDTH:
        problems.append(f"{len(first_line)} characters")
    if SOURCE_PATH.search(message):
        problems.append("names a source file")
    return problems


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_message_is_one_short_line_without_source_paths(path):
    analysis = analyse_file(path, frozenset(RULE_CODES))
    bad = [
        (finding.start.line, finding.code, problems, finding.message)
        for finding in analysis.findings
        if (problems := message_problems(finding.code, finding.message))
    ]
    assert not bad


def test_the_check_finds_long_messages_and_source_paths():
    assert message_problems("BDR001", "x" * (MESSAGE_WIDTH + 1))
    assert message_problems("BDR001", "read timeout 120 s (strands-agents 1.62.0 models/bedrock.py DEFAULT_READ_TIMEOUT)")
    assert message_problems("BDR305", "drops it (litellm llms/bedrock/chat/converse_transformation.py)")
    assert message_problems("BDR001", "see /usr/lib/python3/site-packages/botocore")
    assert message_problems("BDR001", "short first line\n" + "x" * 200) == []
    assert message_problems("BDR001", "x" * MESSAGE_WIDTH) == []
    assert message_problems("BDR203", "converse() has no parameter 'x' in botocore 1.44.8; " + "y" * 200)


def test_fitting_takes_the_fullest_wording_that_fits():
    assert fitting("a" * (MESSAGE_WIDTH + 1), "b" * MESSAGE_WIDTH, "c") == "b" * MESSAGE_WIDTH
    assert fitting("long" * 100, "still" * 100) == "still" * 100
