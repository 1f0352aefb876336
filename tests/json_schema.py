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
        "end_line", "end_column", "cell", "fix", "url", "related",
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
        "related": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["filename", "line", "message"],
                "properties": {
                    "filename": {"type": "string"},
                    "line": {"type": "integer", "minimum": 1},
                    "message": {"type": "string"},
                },
            },
        },
    },
}
JSON_OUTPUT_SCHEMA = {"type": "array", "items": FINDING_SCHEMA}

# `migrate --format json` (README, "Migrating a repository"; bedrock_lint/output/migrate_json.py).
_CODE = {"type": "string", "pattern": "^BDR[0-9]{3}$"}
_CELL = {"type": ["integer", "null"], "minimum": 1}
_LINE = {"type": "integer", "minimum": 1}


def _closed(properties: dict) -> dict:
    return {"type": "object", "additionalProperties": False, "required": list(properties), "properties": properties}


MIGRATE_CHANGE_SCHEMA = _closed(
    {
        "filename": {"type": "string"},
        "code": _CODE,
        "name": {"type": "string"},
        "applicability": {"enum": ["safe", "unsafe"]},
        "description": {"type": "string"},
        "reason": {"type": "string"},
        "round": {"type": "integer", "minimum": 1},
        "cell": _CELL,
        "line": _LINE,
        "column": _LINE,
        "edits": {
            "type": "array",
            "minItems": 1,
            "items": _closed(
                {
                    "cell": _CELL,
                    "location": POSITION_SCHEMA,
                    "end_location": POSITION_SCHEMA,
                    "original": {"type": "string"},
                    "content": {"type": "string"},
                }
            ),
        },
    }
)
MIGRATE_SKIPPED_SCHEMA = _closed(
    {
        "filename": {"type": "string"},
        "code": _CODE,
        "name": {"type": "string"},
        "reason": {"type": "string"},
        "setting": {"type": ["string", "null"]},
        "message": {"type": "string"},
        "cell": _CELL,
        "line": _LINE,
        "column": {"type": ["integer", "null"], "minimum": 1},
    }
)
MIGRATE_JSON_SCHEMA = _closed(
    {
        "changes": {"type": "array", "items": MIGRATE_CHANGE_SCHEMA},
        "skipped": {"type": "array", "items": MIGRATE_SKIPPED_SCHEMA},
        "summary": _closed(
            {
                "mode": {"enum": ["dry run", "write"]},
                "fixes": {"type": "integer", "minimum": 0},
                "files": {"type": "integer", "minimum": 0},
                "rules": {
                    "type": "array",
                    "items": _closed(
                        {
                            "code": _CODE,
                            "name": {"type": "string"},
                            "files": {"type": "integer", "minimum": 0},
                            "fixes": {"type": "integer", "minimum": 0},
                            "skipped": {
                                "type": "array",
                                "items": _closed({"reason": {"type": "string"}, "count": {"type": "integer", "minimum": 1}}),
                            },
                        }
                    ),
                },
                "unlock": {
                    "type": "array",
                    "items": _closed(
                        {
                            "fixes": {"type": "integer", "minimum": 1},
                            "codes": {"type": "array", "minItems": 1, "items": _CODE},
                            "kind": {"enum": ["setting", "option"]},
                            "name": {"type": "string"},
                            "message": {"type": "string"},
                        }
                    ),
                },
            }
        ),
    }
)
