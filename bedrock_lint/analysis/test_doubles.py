"""Test modules that replace AWS with test doubles.

A unit test that builds a Bedrock client or a langchain-aws model with a mocked AWS
(``unittest.mock``, pytest-mock's ``mocker``, ``moto``, botocore's ``Stubber``, a
``mock_…`` fixture) never sends a request: its timeouts, retry modes, regions, model ids
and request fields are test data for the code under test, and what the rules say about
production behaviour does not apply (found reviewing langchain-aws's and strands-agents'
own test suites, eval/REPORT.md).  Such modules get no findings other than syntax errors.
Tests that reach AWS for real (integration tests without test doubles) are judged as any
code.
"""

from __future__ import annotations

import re

TEST_DIRECTORIES = frozenset({"test", "tests", "testing", "unit_tests", "unit", "integration_tests"})

_TEST_DOUBLES = re.compile(
    r"\bunittest\.mock\b|^\s*from\s+unittest\s+import[^\n]*\bmock\b|^\s*import\s+mock\b|\bMagicMock\b"
    r"|\bAsyncMock\b|\bmocker\b|\bStubber\b|^\s*(?:from|import)\s+moto\b|\bmock_[A-Za-z_]\w*|@patch\b",
    re.MULTILINE,
)


def is_test_module(filename: str) -> bool:
    parts = [part for part in re.split(r"[\\/]", filename) if part]
    if not parts:
        return False
    name = parts[-1]
    if name == "conftest.py" or name.startswith("test_") or re.search(r"_tests?\.py$", name):
        return True
    return any(part in TEST_DIRECTORIES for part in parts[:-1])


def uses_test_doubles(filename: str, text: str) -> bool:
    """A test module (by its path) whose text uses test doubles."""
    return is_test_module(filename) and _TEST_DOUBLES.search(text) is not None
