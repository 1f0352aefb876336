"""The command line sits on top: nothing below it imports ``bedrock_lint.cli`` (which
imports them), so the engine reads top-down without circles."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "bedrock_lint"
ON_TOP = {"cli.py", "__main__.py"}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level:
            parts = path.relative_to(PACKAGE.parent).with_suffix("").parts[: -node.level]
            base = ".".join(parts + tuple(filter(None, [node.module])))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_no_module_below_the_command_line_imports_it():
    importers = [
        str(path.relative_to(PACKAGE.parent))
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(PACKAGE).as_posix() not in ON_TOP and "bedrock_lint.cli" in imported_modules(path)
    ]
    assert importers == []


def test_the_engine_commands_are_scanned():
    engine = PACKAGE / "engine"
    assert {"check_command.py", "migrate_command.py"} <= {path.name for path in engine.glob("*.py")}
    assert "bedrock_lint.engine.exit_codes" in imported_modules(engine / "check_command.py")
