"""The shipped Bedrock Runtime API surface matches botocore's service model."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(importlib.util.find_spec("botocore") is None, reason="botocore not installed")
def test_shipped_surface_matches_installed_botocore():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from generate_api_surface import build_surface
    finally:
        sys.path.pop(0)
    shipped = json.loads((ROOT / "bedrock_lint" / "catalog" / "bedrock_runtime_api.json").read_text("utf-8"))
    current = build_surface()
    # The generator records its botocore version; compare the facts, not the label.
    shipped.pop("generated_from")
    current.pop("generated_from")
    for name, operation in shipped["operations"].items():
        assert name in current["operations"], f"{name} is no longer a bedrock-runtime operation"
        assert set(operation["parameters"]) <= set(current["operations"][name]["parameters"])
    assert shipped["config_positional_order"][:7] == current["config_positional_order"][:7]
    assert set(shipped["converse_inference_config"]) <= set(current["converse_inference_config"])


def test_operation_names_come_from_the_surface():
    from bedrock_lint.catalog.api import config_positional_order, operation_names, streams_events

    assert {"converse", "converse_stream", "invoke_model", "invoke_model_with_response_stream"} <= operation_names()
    assert streams_events("converse_stream") and not streams_events("converse")
    assert config_positional_order()[0] == "region_name"


@pytest.mark.skipif(importlib.util.find_spec("botocore") is None, reason="botocore not installed")
def test_converse_parameters_are_the_service_model_members():
    import botocore.session

    from bedrock_lint.catalog.api import operation_parameters, shape_members

    model = botocore.session.get_session().get_service_model("bedrock-runtime")
    for operation, api_name in (("converse", "Converse"), ("converse_stream", "ConverseStream")):
        assert set(operation_parameters(operation)) == set(model.operation_model(api_name).input_shape.members)
    for shape in ("InferenceConfiguration", "Message", "ContentBlock", "SystemContentBlock", "ToolChoice"):
        assert set(shape_members(shape)) == set(model.shape_for(shape).members)


@pytest.mark.skipif(importlib.util.find_spec("botocore") is None, reason="botocore not installed")
def test_converse_stop_reasons_are_the_installed_service_enum():
    """The Converse values the response rules use are exactly botocore's StopReason enum."""
    import botocore.session

    from bedrock_lint.catalog.stop_reasons import CONVERSE, stop_reasons

    model = botocore.session.get_session().get_service_model("bedrock-runtime")
    assert stop_reasons(CONVERSE) == frozenset(model.shape_for("StopReason").enum)


def test_converse_never_reports_the_messages_only_reasons():
    from bedrock_lint.catalog.stop_reasons import CONVERSE, MESSAGES, incomplete_stop_reasons, stop_reasons

    assert {"refusal", "pause_turn"} <= stop_reasons(MESSAGES) - stop_reasons(CONVERSE)
    assert "refusal" in incomplete_stop_reasons(MESSAGES) and "refusal" not in incomplete_stop_reasons(CONVERSE)
