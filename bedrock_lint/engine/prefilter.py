"""The cheap text test that decides whether a file is parsed at all.

Most files of a repository never mention Bedrock.  A file is parsed only when its text
mentions a library that reaches Bedrock (boto3, botocore and their async ports,
langchain-aws), Bedrock itself (``bedrock-runtime``, ``AnthropicBedrock``, ``ChatBedrock``,
a Bedrock ARN) or a Claude model id; everything else costs a few substring scans, which
run several times faster than one regular expression with alternatives.  A file that
only mentions ``anthropic`` (the first-party SDK) is not parsed: every Bedrock entry of
that SDK is spelled ``…Bedrock``.  The library entry points (analysis/entry_points.py)
pass the same test: LiteLLM ``"bedrock/…"``, pydantic-ai ``"bedrock:…"``, Strands
``BedrockModel``, LlamaIndex ``Bedrock``/``BedrockConverse`` all contain "edrock", and a
Strands ``Agent("us.anthropic.claude-…")`` contains "claude-" (tests/test_library_fixtures.py).

In a project (``analysis.project``) a module can call a Bedrock operation on a client it
imports from another module (``from app.clients import runtime``) without any of these
words: there, a file that names a distinctive operation (``converse``, ``invoke_model``
and their streaming forms) is parsed too.
"""

from __future__ import annotations

# "boto3" also finds aioboto3, "botocore" aiobotocore, "edrock" both Bedrock and bedrock.
HINTS = ("edrock", "boto3", "botocore", "langchain_aws", "claude-")


# Substrings of analysis.bedrock.DISTINCTIVE_OPERATIONS.
OPERATION_HINTS = ("converse", "invoke_model")


def may_use_bedrock(text: str, *, in_project: bool = False) -> bool:
    """``in_project``: the file is a module of a project, whose clients it may import."""
    return any(hint in text for hint in HINTS) or (in_project and any(hint in text for hint in OPERATION_HINTS))
