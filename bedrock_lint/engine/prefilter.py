"""The cheap text test that decides whether a file is parsed at all.

Most files of a repository never mention Bedrock.  A file is parsed only when its text
mentions one of the libraries that reach Bedrock or a string shaped like a Bedrock
model id; everything else costs one regular-expression scan.
"""

from __future__ import annotations

import re

_BEDROCK_HINTS = re.compile(
    r"\b(?:boto3|botocore|aioboto3|aiobotocore|anthropic|langchain_aws)\b"
    r"|bedrock"
    r"|\bclaude-"
)


def may_use_bedrock(text: str) -> bool:
    return _BEDROCK_HINTS.search(text) is not None
