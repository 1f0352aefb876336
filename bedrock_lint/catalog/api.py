"""The Bedrock Runtime API surface, read from ``bedrock_runtime_api.json``.

That file is generated from botocore's service model by
``scripts/generate_api_surface.py``; a test keeps it in sync with botocore.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def api_surface() -> dict:
    data = resources.files("bedrock_lint.catalog").joinpath("bedrock_runtime_api.json").read_text("utf-8")
    return json.loads(data)


def operation_names() -> frozenset[str]:
    """Python method names of bedrock-runtime operations (``converse``, ``invoke_model`` …)."""
    return frozenset(api_surface()["operations"])


def operation_parameters(operation: str) -> tuple[str, ...]:
    return tuple(api_surface()["operations"][operation]["parameters"])


def streams_events(operation: str) -> bool:
    return bool(api_surface()["operations"][operation]["event_stream_output"])


def config_positional_order() -> tuple[str, ...]:
    """``botocore.config.Config`` parameters in positional order (``region_name`` first)."""
    return tuple(api_surface()["config_positional_order"])


def shape_members(shape: str) -> tuple[str, ...]:
    """Member names of a bedrock-runtime request structure (``InferenceConfiguration`` …)."""
    return tuple(api_surface()["shapes"][shape])


def model_id_pattern() -> str:
    """The service's regular expression for ``modelId`` (ids, profile ids and ARNs)."""
    return api_surface()["model_id_pattern"]


def converse_stop_reasons() -> frozenset[str]:
    """The ``StopReason`` enum of Converse/ConverseStream responses."""
    return frozenset(api_surface()["converse_stop_reasons"])
