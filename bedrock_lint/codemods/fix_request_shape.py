"""``FixRequestShape``: requests Bedrock rejects made valid — the blog thinking shape
(BDR201), InvokeModel bodies without ``anthropic_version`` or given as a dict (BDR202),
and Anthropic-style Converse parameters moved where Converse takes them (BDR203)."""

from bedrock_lint.codemods.base import RuleFixCodemod


class FixRequestShape(RuleFixCodemod):
    DESCRIPTION = "Fix thinking shapes, InvokeModel bodies and Converse parameters that Bedrock rejects."
    CODES = ("BDR201", "BDR202", "BDR203")
