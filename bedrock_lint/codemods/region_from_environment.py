"""``RegionFromEnvironment``: hard-coded client regions read from the environment,
the literal kept as the fallback (BDR003; changes behaviour where the variable is set)."""

from bedrock_lint.codemods.base import RuleFixCodemod


class RegionFromEnvironment(RuleFixCodemod):
    DESCRIPTION = "Read hard-coded Bedrock client regions from the environment, keeping the literal as fallback."
    CODES = ("BDR003",)
