"""A nightly batch job: summarise yesterday's support tickets and tag them."""

import json
import os

import boto3
from botocore.config import Config

client = boto3.client(
    "bedrock-runtime",
    region_name=os.environ.get("AWS_REGION", "us-east-1"),
    config=Config(read_timeout=300, connect_timeout=10, retries={"mode": "adaptive", "max_attempts": 5}),
)

SUMMARY_MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
TAGGING_MODEL = "claude-sonnet-4-5"


def summarise(ticket: str) -> str:
    response = client.invoke_model(
        modelId=SUMMARY_MODEL,
        body={
            "max_tokens": 400,
            "messages": [{"role": "user", "content": f"Summarise this ticket:\n\n{ticket}"}],
        },
    )
    body = json.loads(response["body"].read())
    if body["stop_reason"] != "end_turn":
        raise RuntimeError(f"summary incomplete: {body['stop_reason']}")
    return body["content"][0]["text"]


def tag(ticket: str) -> list[str]:
    response = client.converse(
        modelId=TAGGING_MODEL,
        messages=[{"role": "user", "content": [{"text": f"List tags, one per line:\n\n{ticket}"}]}],
    )
    if response["stopReason"] == "refusal":
        return []
    return response["output"]["message"]["content"][0]["text"].splitlines()


def main() -> None:
    with open("tickets.jsonl", encoding="utf-8") as tickets:
        for line in tickets:
            ticket = json.loads(line)["text"]
            print(json.dumps({"summary": summarise(ticket), "tags": tag(ticket)}))


if __name__ == "__main__":
    main()
