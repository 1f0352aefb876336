"""The Bedrock Runtime API surface: operations, their parameters, request shapes.

Read from the installed botocore's service model, or from the packaged snapshot when
botocore is absent (``botocore_surface``).
"""

from __future__ import annotations

from bedrock_lint.catalog.botocore_surface import Surface, current_surface


# botocore's client configuration classes, by qualified name -> the name shown in messages.
CONFIG_CLASSES = {
    "botocore.config.Config": "Config",
    "botocore.client.Config": "Config",
    "aiobotocore.config.AioConfig": "AioConfig",
}


def api_surface() -> dict:
    return current_surface().data


def surface_in_use() -> Surface:
    """Which botocore the surface comes from (for messages, ``rules`` and ``--verbose``)."""
    return current_surface()


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
