"""``AddCachePoints``: cache points after large static system prompts and tool lists
(BDR302), and cache markers turned into the form their API takes (BDR305)."""

from bedrock_lint.codemods.base import RuleFixCodemod


class AddCachePoints(RuleFixCodemod):
    DESCRIPTION = "Add prompt-cache points after static prompts and fix cache markers of the wrong API form."
    CODES = ("BDR302", "BDR305")
