"""Bedrock control-plane clients answered by ``botocore.stub.Stubber`` from the response
bodies in ``tests/data/bedrock_control_plane`` (see its README).  Nothing here touches
the network: a stubbed client answers before it would sign or send a request."""

from __future__ import annotations

from pathlib import Path

import botocore.parsers
import botocore.session
from botocore.stub import Stubber

RESPONSES = Path(__file__).resolve().parent / "data" / "bedrock_control_plane"
FAKE_CREDENTIALS = {"aws_access_key_id": "AKIDTESTTESTTESTTEST", "aws_secret_access_key": "test-secret"}


def recorded_response(client, operation: str, file_name: str) -> dict:
    """The response body in ``file_name`` as the client would return it."""
    operation_model = client.meta.service_model.operation_model(operation)
    parser = botocore.parsers.create_parser(client.meta.service_model.protocol)
    body = (RESPONSES / file_name).read_bytes()
    parsed = parser.parse({"status_code": 200, "headers": {}, "body": body}, operation_model.output_shape)
    parsed.pop("ResponseMetadata", None)
    return parsed


def stubbed_client(region: str):
    """A ``bedrock`` client with its Stubber (activated); queue responses on the stubber."""
    session = botocore.session.get_session()
    client = session.create_client("bedrock", region_name=region, **FAKE_CREDENTIALS)
    stubber = Stubber(client)
    stubber.activate()
    return client, stubber


# HTTP status of the service errors the tests use.
ERROR_STATUS = {"AccessDeniedException": 403, "ThrottlingException": 429, "UnrecognizedClientException": 403}


def recorded_calls(client, region: str):
    """(method, response, expected parameters) of every call bedrock-lint makes in
    ``region``, in order: ListFoundationModels, then each ListInferenceProfiles page."""
    yield (
        "list_foundation_models",
        recorded_response(client, "ListFoundationModels", f"{region}.list_foundation_models.json"),
        {"byProvider": "anthropic"},
    )
    pages = sorted(RESPONSES.glob(f"{region}.list_inference_profiles.*.json"))
    token = None
    for page in pages:
        response = recorded_response(client, "ListInferenceProfiles", page.name)
        yield "list_inference_profiles", response, {"typeEquals": "SYSTEM_DEFINED", **({"nextToken": token} if token else {})}
        token = response.get("nextToken")
    assert token is None, f"{pages[-1].name} still has a nextToken"


def add_listing(client, stubber: Stubber, region: str, failure: tuple[int, str, str] | None = None) -> None:
    """Queue the recorded answers of ``region``, each with the parameters bedrock-lint
    must send.  ``failure`` = (call number from 0, error code, message): that call fails
    with a service error instead, and nothing after it is queued."""
    for number, (method, response, expected) in enumerate(recorded_calls(client, region)):
        if failure is not None and number == failure[0]:
            _, code, message = failure
            stubber.add_client_error(
                method, service_error_code=code, service_message=message, http_status_code=ERROR_STATUS.get(code, 400), expected_params=expected
            )
            return
        stubber.add_response(method, response, expected)


def recorded_clients(regions: list[str], failures: dict[str, tuple[int, str, str]] | None = None):
    """A stand-in for ``bedrock_lint.catalog.refresh.bedrock_client``: each region's
    client answers with its recorded listing (with ``failures[region]`` as in
    :func:`add_listing`).  Returns it and the stubbers by region, to check that every
    queued answer was asked for."""
    failures = failures or {}
    stubbers: dict[str, Stubber] = {}

    def bedrock_client(session, region: str):
        assert region in regions, f"unexpected region {region}"
        client, stubber = stubbed_client(region)
        stubbers[region] = stubber
        add_listing(client, stubber, region, failures.get(region))
        return client

    return bedrock_client, stubbers
