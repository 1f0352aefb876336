"""A support assistant that answers from the refund policy, with prompt caching."""

import os

import boto3
from botocore.config import Config

client = boto3.client(
    "bedrock-runtime",
    region_name=os.environ.get("AWS_REGION", "us-east-1"),
    config=Config(read_timeout=300, connect_timeout=10, retries={"mode": "adaptive", "max_attempts": 5}),
)

MODEL_ID = "us.anthropic.claude-sonnet-4-6"

POLICY = (
    "You are the support assistant of an online shop. Answer only from the refund policy below, "
    "cite the section that applies, and say so when the policy does not cover the question.\n\n"
) + "Section 4.2: items bought in a sale can be returned within 14 days for store credit. " * 150


def answer(question: str) -> str:
    response = client.converse(
        modelId=MODEL_ID,
        system=[{"text": POLICY}],
        messages=[{"role": "user", "content": [{"text": question}]}],
        inferenceConfig={"maxTokens": 1024},
    )
    if response["stopReason"] != "end_turn":
        raise RuntimeError(f"incomplete answer: {response['stopReason']}")
    return response["output"]["message"]["content"][0]["text"]


def answer_personally(customer_name: str, question: str) -> str:
    response = client.converse(
        modelId=MODEL_ID,
        system=[
            {"text": f"The customer's name is {customer_name}."},
            {"text": POLICY, "cache_control": {"type": "ephemeral"}},
        ],
        messages=[{"role": "user", "content": [{"text": question}]}],
        inferenceConfig={"maxTokens": 2048},
        thinking={"type": "enabled", "budget_tokens": 1024},
    )
    if response["stopReason"] != "end_turn":
        raise RuntimeError(f"incomplete answer: {response['stopReason']}")
    return response["output"]["message"]["content"][0]["text"]
