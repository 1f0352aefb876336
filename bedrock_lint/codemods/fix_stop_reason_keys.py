"""``FixStopReasonKeys``: the stop reason read under the other API's key — a Converse
response's ``stopReason`` spelled ``stop_reason``, or the reverse (BDR403)."""

from bedrock_lint.codemods.base import RuleFixCodemod


class FixStopReasonKeys(RuleFixCodemod):
    DESCRIPTION = "Read the stop reason under the key its API uses (stopReason for Converse, stop_reason otherwise)."
    CODES = ("BDR403",)
