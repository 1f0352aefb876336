"""BDR202 on ``anthropic_version``: an empty one works on Claude 3.x (recorded outputs,
model-constraints §10.7), so it is a warning; another wrong value is an error."""

from __future__ import annotations

from bedrock_lint.engine.analyse import analyse_text
from bedrock_lint.engine.source import source_from_bytes
from bedrock_lint.findings import Severity
from bedrock_lint.settings import Settings

CALL = """\
import boto3, json
runtime = boto3.client("bedrock-runtime")
runtime.invoke_model(modelId="anthropic.claude-3-haiku-20240307-v1:0", body=json.dumps({{"anthropic_version": {version}, "max_tokens": 100, "messages": []}}))
"""


def bdr202(version: str):
    source = source_from_bytes(CALL.format(version=version).encode(), "app.py", None)
    return [f for f in analyse_text(source, Settings(), frozenset({"BDR202"})).findings]


def test_an_empty_anthropic_version_is_a_warning():
    [finding] = bdr202('""')
    assert finding.severity is Severity.WARNING and 'Claude 3.x accepts ""' in finding.message


def test_a_wrong_anthropic_version_is_an_error():
    [finding] = bdr202('"bedrock20230601"')
    assert finding.severity is None  # the rule's own: error
    assert bdr202('"bedrock-2023-05-31"') == []
