"""Regenerate docs/rules.md and the rule table bedrock_lint/rules/table.py from the rule
registry (tests/test_registry.py checks both), and docs/libraries.md.

Usage: python scripts/generate_docs.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bedrock_lint.docs import libraries_document, rule_table_module, rules_document  # noqa: E402

TARGET = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
LIBRARIES = TARGET.with_name("libraries.md")
TABLE = TARGET.parent.parent / "bedrock_lint" / "rules" / "table.py"

if __name__ == "__main__":
    TARGET.write_text(rules_document(), encoding="utf-8")
    print(f"wrote {TARGET}")
    LIBRARIES.write_text(libraries_document(), encoding="utf-8")
    print(f"wrote {LIBRARIES}")
    TABLE.write_text(rule_table_module(), encoding="utf-8")
    print(f"wrote {TABLE}")
