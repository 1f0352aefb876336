"""Facts about Bedrock as data: the Bedrock Runtime API surface (generated from
botocore's service model) and, as the model-id rules land, the Claude model catalog."""
