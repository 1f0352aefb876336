"""``FitRequestToModel``: requests made acceptable to the model they are sent to — ``top_p``
dropped where the model rejects it with ``temperature`` (BDR501), sampling values the
model no longer accepts removed (BDR502), ``max_tokens`` lowered to the model's output cap
(BDR503), tool versions and betas the model does not accept replaced with its own
(BDR505).  All unsafe: the sampling, the output budget or the tool changes."""

from bedrock_lint.codemods.base import RuleFixCodemod


class FitRequestToModel(RuleFixCodemod):
    DESCRIPTION = "Drop sampling parameters the target model rejects, lower max_tokens to its output cap, use its tool versions."
    CODES = ("BDR501", "BDR502", "BDR503", "BDR505")
