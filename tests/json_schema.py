"""The documented `--format json` interface (product.md), as a JSON schema shared by the
output tests and the command-line tests."""

POSITION_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["line", "column"],
    "properties": {"line": {"type": "integer", "minimum": 1}, "column": {"type": "integer", "minimum": 1}},
}
FINDING_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "code", "name", "severity", "message", "filename", "line", "column",
        "end_line", "end_column", "cell", "fix", "url",
    ],
    "properties": {
        "code": {"type": "string", "pattern": "^BDR[0-9]{3}$"},
        "name": {"type": "string"},
        "severity": {"enum": ["error", "warning", "info"]},
        "message": {"type": "string"},
        "filename": {"type": "string"},
        "line": {"type": "integer", "minimum": 1},
        "column": {"type": "integer", "minimum": 1},
        "end_line": {"type": "integer", "minimum": 1},
        "end_column": {"type": "integer", "minimum": 1},
        "cell": {"type": ["integer", "null"], "minimum": 1},
        "fix": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["applicability", "message", "edits"],
                    "properties": {
                        "applicability": {"enum": ["safe", "unsafe"]},
                        "message": {"type": "string"},
                        "edits": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["content", "location", "end_location", "cell"],
                                "properties": {
                                    "content": {"type": "string"},
                                    "location": POSITION_SCHEMA,
                                    "end_location": POSITION_SCHEMA,
                                    "cell": {"type": ["integer", "null"], "minimum": 1},
                                },
                            },
                        },
                    },
                },
            ]
        },
        "url": {"type": "string"},
    },
}
JSON_OUTPUT_SCHEMA = {"type": "array", "items": FINDING_SCHEMA}
