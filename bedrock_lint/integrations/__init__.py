"""bedrock-lint inside the tools teams already run: the flake8 plugin (and, at the
repository root, the pre-commit hooks in ``.pre-commit-hooks.yaml``)."""
