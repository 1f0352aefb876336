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
