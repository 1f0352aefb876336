"""Regenerate bedrock_lint/catalog/bedrock_runtime_api.json from botocore's service model.

At run time bedrock-lint reads the surface from the installed botocore
(``bedrock_lint/catalog/botocore_surface.py``); this file is the snapshot it falls back
on when botocore is absent.  Regenerate it with a recent botocore; the tests check that
no member of the snapshot has gone from the installed botocore's model.

Usage: python scripts/generate_api_surface.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bedrock_lint.catalog.botocore_surface import build_surface

TARGET = Path(__file__).resolve().parent.parent / "bedrock_lint" / "catalog" / "bedrock_runtime_api.json"


def main() -> int:
    TARGET.write_text(json.dumps(build_surface(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
