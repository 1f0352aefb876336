"""Regenerate bedrock_lint/catalog/bedrock_runtime_api.json from botocore's service model.

The Bedrock Runtime API surface (operation names and their parameters, the Converse
``StopReason`` values) and the positional order of ``botocore.config.Config`` are
facts owned by botocore, so we
derive them instead of typing lists by hand.  ``tests/test_api_surface.py`` fails
when the shipped file no longer matches the installed botocore.

Usage: python scripts/generate_api_surface.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "bedrock_lint" / "catalog" / "bedrock_runtime_api.json"


CONVERSE_SHAPES = ("InferenceConfiguration", "Message", "ContentBlock", "SystemContentBlock", "ToolConfiguration", "ToolChoice")


def build_surface() -> dict:
    import botocore
    import botocore.config
    import botocore.session
    from botocore import xform_name

    model = botocore.session.get_session().get_service_model("bedrock-runtime")
    operations = {}
    for name in model.operation_names:
        operation = model.operation_model(name)
        members = list(operation.input_shape.members) if operation.input_shape else []
        operations[xform_name(name)] = {
            "api_name": name,
            "parameters": members,
            "required": list(operation.input_shape.required_members) if operation.input_shape else [],
            "event_stream_output": bool(operation.has_event_stream_output),
        }
    inference_config = model.shape_for("InferenceConfiguration")
    model_id = model.operation_model("Converse").input_shape.members["modelId"]
    return {
        "generated_from": f"botocore {botocore.__version__} bedrock-runtime {model.api_version}",
        "operations": operations,
        "converse_inference_config": list(inference_config.members),
        "config_positional_order": list(botocore.config.Config.OPTION_DEFAULTS),
        # The grammar of modelId (ids, profile ids and ARNs) as the service declares it.
        "model_id_pattern": model_id.metadata["pattern"],
        # Members of the Converse request structures the request-shape rules check.
        "shapes": {name: list(model.shape_for(name).members) for name in CONVERSE_SHAPES},
        # Every stopReason a Converse (and ConverseStream messageStop) response can carry.
        "converse_stop_reasons": list(model.shape_for("StopReason").enum),
    }


def main() -> int:
    TARGET.write_text(json.dumps(build_surface(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
