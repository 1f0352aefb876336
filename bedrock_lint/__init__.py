"""bedrock-lint: find and fix production mistakes in code that calls Claude on Amazon Bedrock."""

__version__ = "0.1.0"
