"""Test modules that replace AWS with test doubles.

A unit test that builds a Bedrock client or a langchain-aws model with a mocked AWS
(``unittest.mock``, pytest-mock's ``mocker``, ``moto``, botocore's ``Stubber``, a
``mock_…`` fixture) never sends a request: its timeouts, retry modes, regions, model ids
and request fields are test data for the code under test, and what the rules say about
production behaviour does not apply (found reviewing langchain-aws's and strands-agents'
own test suites, eval/REPORT.md).  Such modules get no findings other than syntax errors.
Unit tests without test doubles send nothing either: a test module the project files
as a unit test (under a ``unit_tests``/``unit``/``unittests`` directory) or one built
on a unit-test suite (LangChain's ``langchain_tests.unit_tests``, which only constructs
models and checks their parameters) is treated the same way (langchain-aws
``tests/unit_tests/test_standard.py``, eval/REPORT.md).  Tests that reach AWS for real
(integration tests without test doubles) are judged as any code.
"""

from __future__ import annotations

import re

TEST_DIRECTORIES = frozenset({"test", "tests", "testing", "unit_tests", "unit", "integration_tests"})

_TEST_DOUBLES = re.compile(
    r"\bunittest\.mock\b|^\s*from\s+unittest\s+import[^\n]*\bmock\b|^\s*import\s+mock\b|\bMagicMock\b"
    r"|\bAsyncMock\b|\bmocker\b|\bStubber\b|^\s*(?:from|import)\s+moto\b|\bmock_[A-Za-z_]\w*|@patch\b",
    re.MULTILINE,
)


# Directories in which a project keeps the tests it runs without AWS; ``unit`` only
# inside a test directory (``tests/unit/``), as a package may be called ``unit``.
UNIT_TEST_DIRECTORIES = frozenset({"unit_tests", "unittests"})
_PLAIN_TEST_DIRECTORIES = frozenset({"test", "tests", "testing"})

# Unit-test suites that construct models without calling them.
_UNIT_TEST_SUITES = re.compile(r"^\s*(?:from|import)\s+langchain_tests\.unit_tests\b", re.MULTILINE)


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


def is_unit_test_module(filename: str, text: str) -> bool:
    """A test module filed under a unit-test directory or built on a unit-test suite."""
    if not is_test_module(filename):
        return False
    folders = [part for part in re.split(r"[\\/]", filename) if part][:-1]
    in_unit_folder = any(
        part in UNIT_TEST_DIRECTORIES or (part == "unit" and any(p in _PLAIN_TEST_DIRECTORIES for p in folders[:i]))
        for i, part in enumerate(folders)
    )
    return in_unit_folder or _UNIT_TEST_SUITES.search(text) is not None


def sends_nothing(filename: str, text: str) -> bool:
    """A test module that never reaches AWS: it uses test doubles or is a unit test."""
    return uses_test_doubles(filename, text) or is_unit_test_module(filename, text)
