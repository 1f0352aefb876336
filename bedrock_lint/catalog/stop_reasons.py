"""Why a Claude response stopped: the values each Bedrock API reports, and which of them
mean the answer is not a complete one.

Converse values come from botocore's service model (the generated API surface);
the Anthropic Messages values (InvokeModel bodies, the Anthropic SDK) are kept here,
with their source, because no installed package describes them.
"""

from __future__ import annotations

from bedrock_lint.catalog.api import converse_stop_reasons

# ``anthropic.types.StopReason`` in anthropic 2.12.0 (docs/facts.md §3).
MESSAGES_STOP_REASONS_SOURCE = "anthropic 2.12.0, anthropic/types/stop_reason.py"
MESSAGES_STOP_REASONS = frozenset(
    {"end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal", "model_context_window_exceeded"}
)

# Stop reasons whose text is not a complete answer, with what the user gets.
INCOMPLETE_ANSWERS = {
    "max_tokens": "answer cut off at the token limit",
    "model_context_window_exceeded": "conversation too long, answer cut short",
    "refusal": "the model declined, text empty or partial",
}

CONVERSE = "converse"
MESSAGES = "messages"


def stop_reasons(api: str) -> frozenset[str]:
    """Every stop reason ``api`` (``"converse"`` or ``"messages"``) can report."""
    return converse_stop_reasons() if api == CONVERSE else MESSAGES_STOP_REASONS


def incomplete_stop_reasons(api: str) -> tuple[str, ...]:
    """The stop reasons of ``api`` whose text must not be used as a complete answer,
    in a fixed order for messages."""
    values = stop_reasons(api)
    return tuple(reason for reason in INCOMPLETE_ANSWERS if reason in values)
