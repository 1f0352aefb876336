"""``AddClientConfig``: timeouts and retry mode on every Bedrock client (BDR001,
BDR002) and ``Config(300)`` turned into ``Config(read_timeout=300)`` (BDR004)."""

from bedrock_lint.codemods.base import RuleFixCodemod


class AddClientConfig(RuleFixCodemod):
    DESCRIPTION = "Give Bedrock clients a botocore Config with read/connect timeouts and a retry mode."
    CODES = ("BDR001", "BDR002", "BDR004")
