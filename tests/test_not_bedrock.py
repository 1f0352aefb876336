"""Zero findings on code that cannot reach Bedrock: S3/DynamoDB and Bedrock agent-runtime
clients, OpenAI and first-party Anthropic API code, reduced from packages of the
evaluation corpus (fixtures/not_bedrock/, provenance in each file's first comment)."""

from pathlib import Path

import pytest

from bedrock_lint.engine.analyse import analyse_text
from bedrock_lint.engine.prefilter import may_use_bedrock
from bedrock_lint.engine.source import source_from_bytes
from bedrock_lint.rules.registry import RULE_CODES
from bedrock_lint.settings import Settings

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "not_bedrock"
FILES = sorted(FIXTURES.glob("*.py"))
ALL = frozenset(RULE_CODES)


def findings(name: str, text: str):
    analysis = analyse_text(source_from_bytes(text.encode("utf-8"), name, None), Settings(), ALL)
    assert not analysis.internal_errors, analysis.internal_errors
    return [(f.start.line, f.code, f.message) for f in analysis.findings]


def test_corpus_is_there():
    assert len(FILES) >= 6


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_findings(path):
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Reduced from "), "each file names the package and version it comes from"
    assert may_use_bedrock(text), "the file must pass the prefilter, or this test proves nothing"
    assert findings(path.name, text) == []


@pytest.mark.parametrize(
    ("name", "edits"),
    [
        # A bedrock-runtime client that only calls put_object sends no model request: the
        # control also turns the call into one.
        ("litellm_s3_destination.py", [('boto3.client("s3"', 'boto3.client("bedrock-runtime"'), (".put_object(", ".converse(")]),
        ("mem0_anthropic_llm.py", [("anthropic.Anthropic(", "anthropic.AnthropicBedrock(")]),
    ],
)
def test_same_code_on_bedrock_is_reported(name, edits):
    """Control: the same files pointed at Bedrock get findings."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    assert findings(name, text)


# Code that never runs (issue 22, minor): a stub file, a ``TYPE_CHECKING`` block.
_CLIENT_AND_CALL = (
    "client = boto3.client('bedrock-runtime')\n"
    "client.invoke_model(modelId='anthropic.claude-v2', body='{}')\n"
)


def test_a_stub_file_gets_no_finding_but_its_syntax_errors():
    stub = "import boto3\n" + _CLIENT_AND_CALL
    assert findings("app.py", stub)  # the same text in a module that runs
    assert findings("app.pyi", stub) == []
    assert [code for _, code, _ in findings("app.pyi", "import boto3\ndef f(:\n")] == ["BDR000"]


def test_a_stub_file_is_neither_reported_nor_fixed_by_check(tmp_path):
    from tests.cli_runner import run

    stub = "import boto3\n" + _CLIENT_AND_CALL
    (tmp_path / "app.pyi").write_text(stub, encoding="utf-8")
    result = run("check", "--no-cache", "--fix", "--unsafe-fixes", "app.pyi", ".", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "app.pyi").read_text() == stub


@pytest.mark.parametrize(
    "header",
    [
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n",
        "import typing\nif typing.TYPE_CHECKING:\n",
        "import typing as t\nif t.TYPE_CHECKING:\n",
    ],
)
def test_code_under_type_checking_gets_no_finding_and_no_fix(header):
    block = "".join(f"    {line}\n" for line in _CLIENT_AND_CALL.splitlines())
    text = "import boto3\n" + header + block + "else:\n" + block
    found = findings("app.py", text)
    lines_of_block = range(text.count("\n", 0, text.index("else:")) - 1, text.count("\n", 0, text.index("else:")) + 1)
    assert found, "the else: branch runs and is reported"
    assert not [line for line, _, _ in found if line in lines_of_block], found


def test_code_under_not_type_checking_is_checked():
    block = "".join(f"    {line}\n" for line in _CLIENT_AND_CALL.splitlines())
    text = "import boto3\nfrom typing import TYPE_CHECKING\nif not TYPE_CHECKING:\n" + block
    assert {code for _, code, _ in findings("app.py", text)} >= {"BDR001", "BDR002"}
