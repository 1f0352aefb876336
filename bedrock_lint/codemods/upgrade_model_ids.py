"""``UpgradeModelIds``: model ids moved to what Bedrock serves — invalid ids to the
closest catalog id (BDR101), Legacy and end-of-life models to their successor (BDR102,
BDR103), base ids to their inference profile (BDR104), Anthropic API names to Bedrock
ids (BDR105) and classification-sized Opus calls to the small model (BDR107)."""

from bedrock_lint.codemods.base import RuleFixCodemod


class UpgradeModelIds(RuleFixCodemod):
    DESCRIPTION = "Move model ids to current, valid Bedrock ids (catalog successors, profiles, Bedrock names)."
    CODES = ("BDR101", "BDR102", "BDR103", "BDR104", "BDR105", "BDR107")
