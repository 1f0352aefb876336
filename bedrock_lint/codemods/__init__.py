"""bedrock-lint's fix families as libcst codemods.

Run one with ``python -m libcst.tool codemod -x
bedrock_lint.codemods.add_client_config.AddClientConfig PATH``, or add
``bedrock_lint.codemods`` to ``modules`` in ``.libcst.codemod.yaml`` and run
``python -m libcst.tool codemod add_client_config.AddClientConfig PATH``.
"""

from bedrock_lint.codemods.add_cache_points import AddCachePoints
from bedrock_lint.codemods.add_client_config import AddClientConfig
from bedrock_lint.codemods.base import RuleFixCodemod
from bedrock_lint.codemods.fit_request_to_model import FitRequestToModel
from bedrock_lint.codemods.fix_request_shape import FixRequestShape
from bedrock_lint.codemods.fix_stop_reason_keys import FixStopReasonKeys
from bedrock_lint.codemods.region_from_environment import RegionFromEnvironment
from bedrock_lint.codemods.upgrade_model_ids import UpgradeModelIds

__all__ = [
    "AddCachePoints",
    "AddClientConfig",
    "FitRequestToModel",
    "FixRequestShape",
    "FixStopReasonKeys",
    "RegionFromEnvironment",
    "RuleFixCodemod",
    "UpgradeModelIds",
]
