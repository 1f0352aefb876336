"""Test modules that mock AWS get no findings; tests that reach AWS are judged as any code."""

import pytest

from bedrock_lint.analysis.test_doubles import is_test_module, is_unit_test_module, uses_test_doubles
from bedrock_lint.engine.analyse import analyse_text
from bedrock_lint.engine.source import source_from_bytes
from bedrock_lint.settings import Settings

CLIENT = 'import boto3\nclient = boto3.client("bedrock-runtime", region_name="us-east-1")\n'


@pytest.mark.parametrize("name", ["tests/unit/x.py", "test_x.py", "pkg/x_test.py", "conftest.py", "a/integration_tests/b.py"])
def test_test_module_names(name):
    assert is_test_module(name)


@pytest.mark.parametrize("name", ["app/client.py", "testing_utils.py", "contest.py", "latest/x.py"])
def test_not_test_module_names(name):
    assert not is_test_module(name)


@pytest.mark.parametrize(
    "doubles",
    ["from unittest import mock", "from unittest.mock import MagicMock", "import mock", "from moto import mock_aws",
     "from botocore.stub import Stubber", "def test_x(mocker): pass", "def test_x(mock_boto3_session): pass"],
)
def test_mocked_test_module_is_silent(doubles):
    text = doubles + "\n" + CLIENT
    assert uses_test_doubles("tests/test_client.py", text)
    assert findings("tests/test_client.py", text) == []


def test_integration_test_without_doubles_is_judged():
    assert not uses_test_doubles("tests/test_client.py", CLIENT)
    assert set(findings("tests/test_client.py", CLIENT)) == {"BDR001", "BDR002"}  # BDR003: tests pin regions


@pytest.mark.parametrize("name", ["tests/unit_tests/test_standard.py", "tests/unit/test_client.py", "pkg/unittests/test_x.py"])
def test_unit_test_folder_is_silent(name):
    assert is_unit_test_module(name, CLIENT)
    assert findings(name, CLIENT) == []


def test_unit_test_suite_is_silent():
    text = "from langchain_tests.unit_tests import ChatModelUnitTests\n" + CLIENT
    assert is_unit_test_module("tests/test_standard.py", text)
    assert findings("tests/test_standard.py", text) == []


@pytest.mark.parametrize("name", ["tests/integration_tests/test_client.py", "unit/test_client.py", "app/unit/client.py"])
def test_other_test_folders_are_judged(name):
    assert not is_unit_test_module(name, CLIENT)
    assert {"BDR001", "BDR002"} <= set(findings(name, CLIENT))


def test_unit_suite_import_outside_tests_is_judged():
    text = "from langchain_tests.unit_tests import ChatModelUnitTests\n" + CLIENT
    assert {"BDR001", "BDR003"} <= set(findings("app/client.py", text))


def test_mock_outside_tests_is_judged():
    text = "from unittest import mock\n" + CLIENT
    assert {"BDR001", "BDR003"} <= set(findings("app/client.py", text))


def findings(name, text):
    source = source_from_bytes(text.encode(), name, None)
    enabled = frozenset({"BDR001", "BDR002", "BDR003"})
    return [f.code for f in analyse_text(source, Settings(), enabled).findings]
