"""Regenerate fixtures/migration/expected and fixtures/migration/claude3/expected: each
app after ``bedrock-lint migrate --write``.

Run it after a rule or its fix changes (new rules with fixes change the expected tree
too), then review the change with ``git diff fixtures/migration/expected`` before
committing it: tests/test_migrate.py compares the tree exactly, byte for byte and
with file modes.

    python scripts/regenerate_migration_fixture.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIGRATION = ROOT / "fixtures" / "migration"
APPS = ((MIGRATION / "app", MIGRATION / "expected"), (MIGRATION / "claude3" / "app", MIGRATION / "claude3" / "expected"))


def main() -> int:
    for app, expected in APPS:
        status = regenerate(app, expected)
        if status:
            return status
    return 0


def regenerate(app: Path, expected: Path) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch) / "app"
        shutil.copytree(app, work)
        completed = subprocess.run(
            [sys.executable, "-m", "bedrock_lint", "migrate", "--write", "."], cwd=work, capture_output=True, text=True
        )
        sys.stderr.write(completed.stderr)
        if completed.returncode not in (0, 1):
            print(f"migrate failed with exit code {completed.returncode}; {expected} left as it was", file=sys.stderr)
            return completed.returncode
        shutil.rmtree(expected, ignore_errors=True)
        shutil.copytree(work, expected)
    print(f"wrote {expected.relative_to(ROOT)}; review it with: git diff -- {expected.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
