"""BDR001 suggests (and its fixes set) a read timeout that also covers the client's own
long calls, so a safe fix never leaves a BDR206 behind; an explicit timeout below the
minimum that still answers every call of the client in time is not reported."""

from __future__ import annotations

import textwrap

from bedrock_lint.engine.analyse import analyse_text
from bedrock_lint.engine.source import source_from_bytes
from bedrock_lint.fixes.applier import fix_source
from bedrock_lint.engine.source import encode_source
from bedrock_lint.settings import Settings

CODES = frozenset({"BDR001", "BDR206"})


def source(code: str):
    return source_from_bytes(textwrap.dedent(code).encode(), "app.py", None)


def findings(code: str) -> list[tuple[str, str]]:
    return [(f.code, f.message) for f in analyse_text(source(code), Settings(), CODES).findings]


def fixed(code: str) -> str:
    def rebuild(current, new_text, edits):
        return source_from_bytes(encode_source(current, new_text, [(e.start, e.end, e.content) for e in edits]), "app.py", None)

    outcome = fix_source(source(code), lambda s: analyse_text(s, Settings(), CODES), rebuild, unsafe=False)
    return outcome.source.text


LONG_CALL = """\
    import boto3

    client = boto3.client("bedrock-runtime"{config})
    client.converse(modelId="us.anthropic.claude-sonnet-4-6", messages=[], inferenceConfig={{"maxTokens": 20000}})
"""


def test_the_suggested_timeout_covers_the_clients_long_call():
    found = findings(LONG_CALL.format(config=""))
    # 20,000 tokens may take 563 s: the advice is 600, not the 300 s minimum.
    assert ("BDR001", "bedrock-runtime client keeps botocore's 60 s read timeout, too short for Claude; pass config=Config(read_timeout=600)") in found


def test_the_fix_leaves_no_long_request_finding_behind():
    text = fixed(LONG_CALL.format(config=""))
    assert "Config(read_timeout=600, connect_timeout=10)" in text
    assert findings(text) == []
    text = fixed(LONG_CALL.format(config=", config=Config(connect_timeout=5)").replace("import boto3", "import boto3\n    from botocore.config import Config"))
    assert "Config(connect_timeout=5, read_timeout=600)" in text and findings(text) == []


def test_an_explicit_timeout_that_covers_every_call_is_not_too_short():
    code = LONG_CALL.format(config=", config=Config(read_timeout=120)").replace("import boto3", "import boto3\n    from botocore.config import Config")
    assert findings(code.replace("20000", "2000")) == []  # 2,000 tokens: at most 57 s
    assert [c for c, _ in findings(code)] == ["BDR001", "BDR206"]  # 20,000 tokens: 563 s
