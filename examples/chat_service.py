"""A small Flask chat service: one answer per request, and a streaming endpoint."""

import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from flask import Flask, Response, request

app = Flask(__name__)

REGION = "us-east-1"
MODEL_ID = "us.anthropic.claude-sonnet-4-6"

# Meant as a 5-minute timeout, but the first positional argument of Config is region_name.
runtime = boto3.client("bedrock-runtime", region_name=REGION, config=Config(300))


@app.post("/chat")
def chat():
    client = boto3.client("bedrock-runtime", region_name=REGION)
    while True:
        try:
            response = client.converse(
                modelId=MODEL_ID,
                messages=[{"role": "user", "content": [{"text": request.json["question"]}]}],
                inferenceConfig={"maxTokens": 2048},
            )
            return response["output"]["message"]["content"][0]["text"]
        except ClientError:
            time.sleep(2)


@app.post("/chat/stream")
def chat_stream():
    question = request.json["question"]

    def generate():
        response = runtime.converse_stream(
            modelId=MODEL_ID,
            messages=[{"role": "user", "content": [{"text": question}]}],
            inferenceConfig={"maxTokens": 2048},
        )
        for event in response["stream"]:
            if "contentBlockDelta" in event:
                yield event["contentBlockDelta"]["delta"]["text"]

    return Response(generate(), mimetype="text/plain")
