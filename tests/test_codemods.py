"""The libcst codemod entry points: real ``python -m libcst.tool codemod`` runs over a copy
of the migration fixture app, each giving what ``migrate --select`` its codes gives."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest
from libcst.codemod import CodemodContext, TransformFailure, transform_module

import bedrock_lint.codemods
from bedrock_lint.codemods import AddClientConfig, RuleFixCodemod
from bedrock_lint.codemods.base import CodemodFailed
from bedrock_lint.rules.registry import all_rules
from tests.cli_runner import run
from tests.migration_support import copy_app, replace_fixes_of, tree_files
from tests.test_reliability import replace_rule


def codemod_classes() -> list[type[RuleFixCodemod]]:
    """Every codemod class in the bedrock_lint.codemods package, found by walking it."""
    found = []
    for module_info in pkgutil.iter_modules(bedrock_lint.codemods.__path__):
        module = importlib.import_module(f"bedrock_lint.codemods.{module_info.name}")
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, RuleFixCodemod) and value is not RuleFixCodemod and value.__module__ == module.__name__:
                found.append(value)
    return sorted(found, key=lambda cls: cls.__name__)


CODEMODS = codemod_classes()


def libcst_codemod(command: str, *paths: str, cwd: Path, external: bool = True) -> subprocess.CompletedProcess:
    """``python -m libcst.tool codemod [-x] COMMAND PATHS`` (libcst's first pass takes the
    first positional argument as the command, so the command comes first)."""
    completed = subprocess.run(
        [sys.executable, "-m", "libcst.tool", "codemod", *(["-x"] if external else []), command,
         "--no-format", "--hide-progress", "-j", "1", *paths],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    return completed


def test_codemods_are_found_and_exported():
    assert CODEMODS, "no codemod classes found"
    assert {cls.__name__ for cls in CODEMODS} <= set(bedrock_lint.codemods.__all__)


def test_every_rule_with_a_fix_has_exactly_one_codemod():
    # An engine rule's fix is no family of its own: BDR900 removes noqa codes of the other
    # rules that ran, so run alone (a codemod's selection) it would judge none.
    fixable = {rule.code for rule in all_rules() if rule.fix != "none" and not rule.engine_rule}
    declared = [code for cls in CODEMODS for code in cls.CODES]
    assert len(declared) == len(set(declared)), f"a code is in two codemods: {declared}"
    missing = fixable - set(declared)
    assert not missing, (
        f"rules with a fix but no codemod: {sorted(missing)}; declare them in a RuleFixCodemod subclass "
        "in bedrock_lint.codemods (CODES = (...)) and export it from bedrock_lint/codemods/__init__.py"
    )


def test_a_codemod_may_only_declare_rules_with_fixes():
    with pytest.raises(TypeError, match="BDR005 is not a rule with a fix"):
        type("ClientPerRequest", (RuleFixCodemod,), {"CODES": ("BDR005",)})
    with pytest.raises(TypeError, match="BDR999 is not a rule with a fix"):
        type("Unknown", (RuleFixCodemod,), {"CODES": ("BDR999",)})


@pytest.mark.parametrize("codemod", CODEMODS, ids=lambda cls: cls.__name__)
def test_codemod_through_libcst_tool_equals_migrate_for_its_rules(codemod, tmp_path):
    by_codemod = copy_app(tmp_path / "codemod")
    by_migrate = copy_app(tmp_path / "migrate")
    original = tree_files(by_codemod)

    libcst_codemod(f"{codemod.__module__}.{codemod.__name__}", ".", cwd=by_codemod)
    migrated = run("migrate", "--write", "--select", ",".join(codemod.CODES), ".", cwd=by_migrate)
    assert migrated.exit_code == 1, migrated.stderr

    via_codemod, via_migrate = tree_files(by_codemod), tree_files(by_migrate)
    python_files = [name for name in original if name.endswith(".py")]
    assert [name for name in python_files if via_codemod[name] != original[name]], f"{codemod.__name__} changed nothing"
    for name in python_files:
        assert via_codemod[name] == via_migrate[name], f"{codemod.__name__}: {name} differs from migrate --select"
    # libcst.tool only handles Python files: everything else stays as it was.
    for name in original:
        if not name.endswith(".py"):
            assert via_codemod[name] == original[name], name


def test_codemods_resolve_through_the_libcst_configuration_modules(tmp_path):
    """Repositories that already run libcst codemods list bedrock_lint.codemods in
    .libcst.codemod.yaml and name the codemod relative to it."""
    app = copy_app(tmp_path / "codemod")
    expected_app = copy_app(tmp_path / "migrate")
    (app / ".libcst.codemod.yaml").write_text('modules: ["bedrock_lint.codemods"]\nformatter: []\n', encoding="utf-8")
    target = "support_bot/clients.py"
    completed = libcst_codemod("add_client_config.AddClientConfig", target, cwd=app, external=False)
    assert "Transformed 1 files successfully" in completed.stderr
    run("migrate", "--write", "--select", "BDR001,BDR002,BDR004", target, cwd=expected_app)
    assert (app / target).read_bytes() == (expected_app / target).read_bytes() != (copy_app(tmp_path / "o") / target).read_bytes()


def test_codemod_on_stdin(tmp_path):
    source = 'import boto3\n\nclient = boto3.client("bedrock-runtime", region_name="us-east-1")\n'
    completed = subprocess.run(
        [sys.executable, "-m", "libcst.tool", "codemod", "-x", "bedrock_lint.codemods.region_from_environment.RegionFromEnvironment", "--no-format", "-"],
        cwd=tmp_path,
        input=source,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert 'region_name=os.environ.get("AWS_REGION", "us-east-1")' in completed.stdout
    assert "import os\n" in completed.stdout


def test_a_fix_the_applier_rejects_becomes_a_libcst_warning(monkeypatch, tmp_path):
    # An unclosed parenthesis: the applier refuses it, as it does in migrate.
    replace_fixes_of(monkeypatch, "BDR004", lambda index, report: "Config(read_timeout=300")
    app = copy_app(tmp_path)
    path = app / "support_bot" / "clients.py"
    context = CodemodContext(filename=str(path))
    module = cst.parse_module(path.read_bytes())
    fixed = AddClientConfig(context).transform_module(module)
    assert context.warnings == ["BDR004 fix at line 13 not applied: the fixed code would not parse or compile"]
    assert "Config(300)" in fixed.code and "read_timeout=300,\n" in fixed.code and "connect_timeout=10," in fixed.code


def test_a_rule_that_raises_fails_the_file(monkeypatch, tmp_path):
    """An internal error is a libcst failure, not a warning: libcst.tool leaves the file
    alone and exits 1 (``migrate`` exits 2), so a CI job cannot miss it."""

    def broken(index, settings):
        raise RuntimeError("boom")

    replace_rule(monkeypatch, "BDR002", broken)
    source = 'import boto3\n\nclient = boto3.client("bedrock-runtime")\n'
    result = transform_module(AddClientConfig(CodemodContext(filename=str(tmp_path / "app.py"))), source)
    assert isinstance(result, TransformFailure)
    assert isinstance(result.error, CodemodFailed)
    assert "internal error" in str(result.error) and "BDR002: RuntimeError: boom" in str(result.error)
