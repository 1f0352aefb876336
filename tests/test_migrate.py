"""``bedrock-lint migrate``: the dry run, --write, --interactive, and the guarantees of
the fix machinery over every fixture file (unchanged files untouched, fixed files parse,
idempotent, layout, encodings and modes kept, atomic writes, notebooks cell by cell)."""

from __future__ import annotations

import json
import os
import random
import shutil
import stat
from collections import Counter
from pathlib import Path

import libcst as cst
import pytest

from bedrock_lint.engine import migrate_command
from bedrock_lint.engine.analyse import analyse_text
from bedrock_lint.engine.source import read_source, source_from_bytes
from bedrock_lint.fixes import writer
from bedrock_lint.fixes.applier import MAX_ROUNDS, choose_fixes, compiles, fix_source
from bedrock_lint.rules.registry import RULE_CODES
from bedrock_lint.settings import Settings
from tests.cli_runner import run
from tests.fixture_support import fix_file
from tests.migration_support import (
    CLAUDE3_APP,
    CLAUDE3_EXPECTED,
    MIGRATION_EXPECTED,
    ROOT,
    TEMPORARY_FILE_SUFFIX,
    comments_in,
    copy_app,
    diffed_files,
    lines_changed_outside_fixes,
    replace_fixes_of,
    tree_files,
    tree_stats,
)

# ---------------------------------------------------------------------------
# The command


def test_dry_run_prints_the_diff_and_a_summary_and_writes_nothing(tmp_path):
    app = copy_app(tmp_path)
    before = tree_stats(app)
    result = run("migrate", ".", cwd=app)
    assert result.exit_code == 1
    assert result.stdout.startswith("--- a/")
    # Every file that the expected tree changes is in the diff, and only those.
    expected = tree_files(MIGRATION_EXPECTED)
    changed = {name for name, (data, _) in tree_files(app).items() if expected[name][0] != data}
    assert diffed_files(result.stdout) == changed
    # Notebook cells are shown as written, never in their neutralised form; the cell that
    # installs packages gets no import (a kernel restart after it would lose it).
    assert "#pip install" not in result.stdout
    assert "\n+from botocore.config import Config\n+\n+client = boto3.client(" in result.stdout
    assert tree_stats(app) == before  # bytes and modification times
    summary = result.stderr
    assert "dry run: nothing written" in summary
    assert "rule" in summary and "files" in summary and "fixes" in summary and "skipped" in summary
    rows = {line.split()[0]: line.split() for line in summary.splitlines() if line.startswith("BDR")}
    # Each rule row: code, name, files, fixes (then what was skipped).
    assert rows["BDR001"][1] == "client-default-timeout" and int(rows["BDR001"][3]) > 0
    assert "no automatic fix" in " ".join(rows["BDR005"])
    total = sum(int(row[3]) for row in rows.values())
    assert f"Would apply {total} fixes in {len(changed)} files." in summary


def test_write_gives_the_expected_tree_exactly_and_a_second_run_changes_nothing(tmp_path):
    app = copy_app(tmp_path)
    first = run("migrate", "--write", ".", cwd=app)
    assert first.exit_code == 1, first.stderr
    assert first.stdout == ""
    assert tree_files(app) == tree_files(MIGRATION_EXPECTED), (
        "fixtures/migration/expected is out of date: run `python scripts/regenerate_migration_fixture.py` "
        "and review the diff"
    )
    settled = tree_stats(app)
    second = run("migrate", "--write", ".", cwd=app)
    assert second.exit_code == 0, second.stderr
    assert "Nothing to change." in second.stderr
    assert tree_stats(app) == settled


def test_check_fix_uses_the_same_applier_and_show_fixes_lists_what_was_applied(tmp_path):
    """`check --fix --unsafe-fixes` gives the same files as `migrate --write`."""
    app = copy_app(tmp_path)
    result = run("check", "--no-cache", "--fix", "--unsafe-fixes", "--show-fixes", ".", cwd=app)
    assert tree_files(app) == tree_files(MIGRATION_EXPECTED)
    assert "Fixed " in result.stdout
    assert "- support_bot/clients.py:" in result.stdout
    assert "× BDR004 (config-positional-arg)" in result.stdout


def test_select_and_ignore_limit_the_rules(tmp_path):
    app = copy_app(tmp_path)
    result = run("migrate", "--write", "--select", "BDR003", ".", cwd=app)
    assert result.exit_code == 1
    assert [line.split()[0] for line in result.stderr.splitlines() if line.startswith("BDR")] == ["BDR003"]
    region_left = run("check", "--no-cache", "--format", "json", "--select", "BDR003", ".", cwd=app)
    # What is left has no fix: clients sending geographic profile ids keep their region.
    assert all(f["fix"] is None and "no fix: the client sends" in f["message"] for f in json.loads(region_left.stdout))
    timeouts_left = run("check", "--no-cache", "--format", "json", "--select", "BDR001", ".", cwd=app)
    assert len(json.loads(timeouts_left.stdout)) == 10  # as many as before: BDR001 was not selected

    app2 = copy_app(tmp_path / "second")
    run("migrate", "--write", "--ignore", "BDR003", ".", cwd=app2)
    assert len(json.loads(run("check", "--no-cache", "--format", "json", "--select", "BDR003", ".", cwd=app2).stdout)) == 7


def test_nothing_to_change_exits_zero(tmp_path):
    (tmp_path / "plain.py").write_text("print('no Bedrock here')\n", encoding="utf-8")
    result = run("migrate", ".", cwd=tmp_path)
    assert result.exit_code == 0 and result.stdout == ""
    assert "Nothing to change." in result.stderr


def test_nothing_to_change_is_not_said_when_files_could_not_be_checked(tmp_path):
    (tmp_path / "plain.py").write_text("print('no Bedrock here')\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_text("[tool.bedrock-lint]\nmin-read-timout = 30\n", encoding="utf-8")
    result = run("migrate", ".", cwd=tmp_path)
    assert result.exit_code == 2 and "min-read-timout" in result.stderr
    assert "Nothing to change." not in result.stderr
    assert "Nothing to change in the files that could be checked; see the errors above." in result.stderr
    missing = run("migrate", "missing.py", cwd=tmp_path)
    assert missing.exit_code == 1 and "missing.py: error: No such file or directory" in missing.stderr
    assert "Nothing to change." not in missing.stderr


def test_a_symbolic_link_stays_a_link_and_its_target_is_fixed(tmp_path):
    app = copy_app(tmp_path)
    shared = app / "support_bot" / "clients.py"
    link = app / "clients_link.py"
    link.symlink_to(shared)
    result = run("migrate", "--write", "clients_link.py", cwd=app)
    assert result.exit_code == 1, result.stderr
    assert link.is_symlink() and link.resolve() == shared.resolve()
    fixed = tree_files(MIGRATION_EXPECTED)["support_bot/clients.py"][0]
    assert shared.read_bytes() == fixed

    # Both the link and its target found under one path: written once, no error.
    app2 = copy_app(tmp_path / "second")
    (app2 / "clients_link.py").symlink_to(app2 / "support_bot" / "clients.py")
    both = run("migrate", "--write", "clients_link.py", "support_bot/clients.py", cwd=app2)
    assert both.exit_code == 1, both.stderr
    assert "error" not in both.stderr
    assert (app2 / "support_bot" / "clients.py").read_bytes() == fixed


def test_unknown_rule_code_and_stdin_are_usage_errors(tmp_path):
    unknown = run("migrate", "--select", "BDR999", ".", cwd=tmp_path)
    assert unknown.exit_code == 2 and "BDR999" in unknown.stderr
    stdin = run("migrate", "-", cwd=tmp_path, input="import boto3\n")
    assert stdin.exit_code == 2 and "migrate works on files" in stdin.stderr


def test_diff_cannot_be_combined_with_write(tmp_path):
    result = run("migrate", "--diff", "--write", ".", cwd=tmp_path)
    assert result.exit_code == 2 and "--diff is a dry run" in result.stderr


def test_a_file_changed_on_disk_after_it_was_read_is_not_written(tmp_path, monkeypatch):
    app = copy_app(tmp_path)
    real_run_jobs = migrate_command.run_jobs

    def run_jobs_then_edit(jobs, options, progress=None):
        results = list(real_run_jobs(jobs, options, progress))
        with open(app / "support_bot" / "clients.py", "a", encoding="utf-8") as handle:
            handle.write("# edited by someone else\n")
        return iter(results)

    monkeypatch.setattr(migrate_command, "run_jobs", run_jobs_then_edit)
    result = run("migrate", "--write", ".", cwd=app)
    assert result.exit_code == 2
    assert "support_bot/clients.py: error: changed on disk since it was read; not written" in result.stderr
    assert (app / "support_bot" / "clients.py").read_text(encoding="utf-8").endswith("# edited by someone else\n")
    expected = tree_files(MIGRATION_EXPECTED)
    assert (app / "support_bot" / "chat.py").read_bytes() == expected["support_bot/chat.py"][0]
    assert (app / "support_bot" / "webhook.py").read_bytes() == expected["support_bot/webhook.py"][0]


# ---------------------------------------------------------------------------
# --interactive


def test_interactive_refuses_without_a_terminal(tmp_path):
    app = copy_app(tmp_path)
    before = tree_stats(app)
    result = run("migrate", "--interactive", ".", cwd=app, input="a\n")
    assert result.exit_code == 2
    assert "--interactive needs a terminal" in result.stderr
    assert tree_stats(app) == before


def _changed_files_in_order(app: Path) -> list[str]:
    dry = run("migrate", ".", cwd=app)
    return [line[len("+++ b/"):] for line in dry.stdout.splitlines() if line.startswith("+++ b/")]


def test_interactive_yes_no_quit(tmp_path, monkeypatch):
    monkeypatch.setattr(migrate_command, "stdin_is_terminal", lambda: True)
    app = copy_app(tmp_path)
    order = _changed_files_in_order(app)
    original = tree_files(app)
    expected = tree_files(MIGRATION_EXPECTED)
    result = run("migrate", "--interactive", ".", cwd=app, input="maybe\ny\nn\nq\n")
    assert result.exit_code == 1
    assert "Please answer y, n, a or q." in result.stderr
    assert result.stderr.count("Apply these changes to") == 4  # one repeated after "maybe"
    now = tree_files(app)
    assert now[order[0]] == expected[order[0]]
    for name in order[1:]:
        assert now[name] == original[name], name
    assert "declined in --interactive" in result.stderr


def test_interactive_all_writes_the_rest_without_asking(tmp_path, monkeypatch):
    monkeypatch.setattr(migrate_command, "stdin_is_terminal", lambda: True)
    app = copy_app(tmp_path)
    result = run("migrate", "--interactive", ".", cwd=app, input="n\na\n")
    assert result.stderr.count("Apply these changes to") == 2
    order = _changed_files_in_order(app)
    assert len(order) == 1  # only the declined first file is left to change
    expected = tree_files(MIGRATION_EXPECTED)
    now = tree_files(app)
    assert [name for name in expected if now[name] != expected[name]] == order


def test_interactive_end_of_input_writes_nothing_more(tmp_path, monkeypatch):
    monkeypatch.setattr(migrate_command, "stdin_is_terminal", lambda: True)
    app = copy_app(tmp_path)
    before = tree_files(app)
    result = run("migrate", "--interactive", ".", cwd=app, input="")
    assert result.exit_code == 1
    assert tree_files(app) == before
    assert "Nothing written." in result.stderr


# ---------------------------------------------------------------------------
# Atomic writes: a fault between or inside file writes


def _assert_each_file_old_or_new(app: Path, original: dict, expected: dict) -> int:
    """Every file is byte-identical to its old or its new content; the number of new ones."""
    now = tree_files(app)
    assert set(now) == set(original), f"files appeared or vanished: {set(now) ^ set(original)}"
    assert not [name for name in now if name.endswith(TEMPORARY_FILE_SUFFIX)]
    new = 0
    for name, content in now.items():
        assert content in (original[name], expected[name]), f"{name} is neither old nor new"
        new += content != original[name]
    return new


def test_keyboard_interrupt_while_analysing_writes_nothing(tmp_path, monkeypatch):
    app = copy_app(tmp_path)
    before = tree_stats(app)
    real_run_jobs = migrate_command.run_jobs

    def interrupted_after_two_files(jobs, options, progress=None):
        results = real_run_jobs(jobs, options, progress)
        yield next(results)
        yield next(results)
        raise KeyboardInterrupt

    monkeypatch.setattr(migrate_command, "run_jobs", interrupted_after_two_files)
    result = run("migrate", "--write", ".", cwd=app)
    assert result.exit_code == migrate_command.EXIT_INTERRUPTED
    assert "Interrupted while analysing: nothing was written." in result.stderr
    assert tree_stats(app) == before


def _interrupted_on_third_call(real):
    calls = []

    def interrupted(*arguments):
        calls.append(arguments)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*arguments)

    return interrupted


@pytest.mark.parametrize("fault", ["between two files", "inside a write, before the rename"])
def test_keyboard_interrupt_leaves_each_file_old_or_new(fault, tmp_path, monkeypatch):
    app = copy_app(tmp_path)
    original, expected = tree_files(app), tree_files(MIGRATION_EXPECTED)
    if fault == "between two files":
        monkeypatch.setattr(writer, "write_atomically", _interrupted_on_third_call(writer.write_atomically))
    else:
        # The third file's temporary copy is complete when the interrupt comes.
        monkeypatch.setattr(writer.os, "replace", _interrupted_on_third_call(os.replace))
    result = run("migrate", "--write", ".", cwd=app)
    monkeypatch.undo()
    assert result.exit_code == migrate_command.EXIT_INTERRUPTED
    assert _assert_each_file_old_or_new(app, original, expected) == 2
    assert "Interrupted: wrote" in result.stderr and "every other file is as it was" in result.stderr
    # Running again finishes the job.
    run("migrate", "--write", ".", cwd=app)
    assert tree_files(app) == expected


def test_a_write_error_is_reported_and_the_other_files_are_written(tmp_path, monkeypatch):
    app = copy_app(tmp_path)
    original, expected = tree_files(app), tree_files(MIGRATION_EXPECTED)
    real_write = writer.write_atomically

    def disk_full_for_clients(path, data):
        if path.name == "clients.py":
            raise OSError(28, "No space left on device")
        real_write(path, data)

    monkeypatch.setattr(writer, "write_atomically", disk_full_for_clients)
    result = run("migrate", "--write", ".", cwd=app)
    assert result.exit_code == 2
    assert "support_bot/clients.py: error: cannot write fixes: No space left on device" in result.stderr
    now = tree_files(app)
    assert now["support_bot/clients.py"] == original["support_bot/clients.py"]
    assert all(now[name] == expected[name] for name in now if name != "support_bot/clients.py")


# ---------------------------------------------------------------------------
# A fix whose result does not parse


def _summary_row(stderr: str, code: str) -> list[str]:
    return next(line for line in stderr.splitlines() if line.startswith(code)).split()


def test_a_fix_that_would_not_parse_is_skipped_reported_and_never_written(tmp_path, monkeypatch):
    # An unclosed parenthesis: the result cannot parse.
    replace_fixes_of(monkeypatch, "BDR004", lambda index, report: "Config(read_timeout=300")
    app = copy_app(tmp_path)
    result = run("migrate", "--write", ".", cwd=app)
    assert result.exit_code == 1
    assert "support_bot/clients.py: BDR004 fix at line 13 not applied: the fixed code would not parse or compile" in result.stderr
    assert _summary_row(result.stderr, "BDR004")[2:] == "0 0 1 the fixed code would not parse or compile".split()
    fixed = (app / "support_bot" / "clients.py").read_text(encoding="utf-8")
    assert "Config(300)" in fixed  # BDR004 was not applied ...
    assert "region_name=os.environ.get(" in fixed  # ... the other fixes were
    cst.parse_module(fixed)


def test_a_fix_that_never_settles_is_reported(tmp_path, monkeypatch):
    # Each round wraps the node in one more pair of parentheses: it is reported again.
    replace_fixes_of(monkeypatch, "BDR004", lambda index, report: f"({index.code_for(report.node)})")
    app = copy_app(tmp_path)
    result = run("migrate", "--write", "--select", "BDR004", ".", cwd=app)
    assert result.exit_code == 1
    assert _summary_row(result.stderr, "BDR004")[2:] == f"1 {MAX_ROUNDS} 1 still fixable after {MAX_ROUNDS} rounds".split()


# ---------------------------------------------------------------------------
# Overlapping edits


def test_overlapping_fixes_resolve_the_same_way_whatever_the_finding_order():
    text = 'import boto3\n\nclient = boto3.client("bedrock-runtime")\n'
    codes = frozenset({"BDR001", "BDR002"})
    settings = Settings()
    first = analyse_text(source_from_bytes(text.encode(), "app.py"), settings, codes)
    # Both rules edit the same call: only one can go in the first round.
    chosen, _ = choose_fixes(first.findings, unsafe=True)
    assert sorted(f.code for f in first.findings) == ["BDR001", "BDR002"]
    assert [f.code for f in chosen] == ["BDR001"]

    results = set()
    for seed in range(6):
        shuffler = random.Random(seed)
        rounds: list[list[str]] = []

        def analyse_shuffled(source):
            analysis = analyse_text(source, settings, codes)
            shuffler.shuffle(analysis.findings)
            return analysis

        def rebuild(current, new_text, edits):
            rounds.append([])
            return source_from_bytes(new_text.encode(), "app.py")

        outcome = fix_source(source_from_bytes(text.encode(), "app.py"), analyse_shuffled, rebuild, unsafe=True)
        results.add(outcome.source.text)
        assert [f.code for f in outcome.applied] == ["BDR001", "BDR002"]  # one per round
        assert len(rounds) == 2
    assert len(results) == 1
    fixed = results.pop()
    assert 'retries={"mode": "adaptive", "max_attempts": 5}' in fixed and "read_timeout=300" in fixed


def test_fix_results_do_not_depend_on_the_order_of_findings_in_any_fixture():
    codes = frozenset(RULE_CODES)
    fixed_files = 0
    for path in sorted((ROOT / "fixtures").rglob("*")):
        if path.suffix not in (".py", ".ipynb") or "expected" in path.parts or path.name.endswith(".fixed.py"):
            continue
        in_order = fix_file(path, codes)
        if not in_order.changed:
            continue
        fixed_files += 1
        reversed_order = fix_file(path, codes, reorder=list.reverse)
        assert reversed_order.source.raw == in_order.source.raw, f"{path}: the result depends on the order of findings"
        assert sorted(f.code for f in reversed_order.applied) == sorted(f.code for f in in_order.applied), path
    assert fixed_files >= 20


# ---------------------------------------------------------------------------
# The guarantees over every fixture file


@pytest.fixture(scope="module")
def migrated_fixtures(tmp_path_factory):
    """All of fixtures/ before and after `migrate --write`, with the dry run's diff and
    the findings (with fixes) of a `check --select ALL` before it and after it."""
    tree = tmp_path_factory.mktemp("all") / "fixtures"
    shutil.copytree(ROOT / "fixtures", tree)
    past = 1_000_000_000_000_000_000  # 2001, in ns: a write would move it
    for path in tree.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(past, past))
    before = tree_stats(tree)
    modes = {name: mode for name, (_, mode) in tree_files(tree).items()}
    findings = json.loads(run("check", "--no-cache", "--format", "json", "--select", "ALL", ".", cwd=tree).stdout)
    dry = run("migrate", "--select", "ALL", ".", cwd=tree)
    written = run("migrate", "--write", "--select", "ALL", ".", cwd=tree)
    assert written.exit_code == 1, written.stderr
    after = tree_stats(tree)
    second = run("migrate", "--write", "--select", "ALL", ".", cwd=tree)
    findings_after = json.loads(run("check", "--no-cache", "--format", "json", "--select", "ALL", ".", cwd=tree).stdout)
    return {
        "tree": tree,
        "before": before,
        "after": after,
        "modes": modes,
        "changed": diffed_files(dry.stdout),
        "findings": findings,
        "second": second,
        "after_second": tree_stats(tree),
        "findings_after": findings_after,
    }


def test_every_fixture_without_a_fix_is_byte_for_byte_unchanged(migrated_fixtures):
    before, after, changed = migrated_fixtures["before"], migrated_fixtures["after"], migrated_fixtures["changed"]
    assert len(changed) >= 20, sorted(changed)
    for name, (data, mtime) in before.items():
        if name in changed:
            assert after[name][0] != data, f"{name} is in the diff but was not written"
        else:
            assert after[name] == (data, mtime), f"{name} has no fix but was rewritten or touched"


def test_every_fixed_fixture_parses(migrated_fixtures):
    tree = migrated_fixtures["tree"]
    for name in migrated_fixtures["changed"]:
        source = read_source(tree / name, name)
        cst.parse_module(source.text)
        original = source_from_bytes(migrated_fixtures["before"][name][0], name)
        if compiles(original.text):
            assert compiles(source.text), name


def test_migrate_is_idempotent_over_the_fixtures(migrated_fixtures):
    assert migrated_fixtures["second"].exit_code == 0, migrated_fixtures["second"].stderr
    assert migrated_fixtures["after_second"] == migrated_fixtures["after"]


def test_encoding_bom_line_endings_and_modes_are_kept(migrated_fixtures):
    tree = migrated_fixtures["tree"]
    kinds = set()
    for name in migrated_fixtures["changed"]:
        old = source_from_bytes(migrated_fixtures["before"][name][0], name)
        new = read_source(tree / name, name)
        assert (new.encoding, new.bom) == (old.encoding, old.bom), name
        if "\r\n" in old.text and "\n" not in old.text.replace("\r\n", ""):
            assert "\n" not in new.text.replace("\r\n", ""), f"{name}: a lone LF in a CRLF file"
            kinds.add("crlf")
        assert stat.S_IMODE((tree / name).stat().st_mode) == migrated_fixtures["modes"][name], name
        kinds.add(old.encoding)
        kinds.add("bom" if old.bom else "no bom")
        kinds.add("executable" if migrated_fixtures["modes"][name] & 0o100 else "not executable")
    # The fixtures exercise each case.
    assert {"crlf", "iso-8859-1", "utf-8", "bom", "executable"} <= kinds


def test_lines_outside_the_edited_nodes_and_all_comments_are_kept(migrated_fixtures):
    tree = migrated_fixtures["tree"]
    checked = 0
    for name in migrated_fixtures["changed"]:
        old = source_from_bytes(migrated_fixtures["before"][name][0], name)
        new = read_source(tree / name, name)
        assert not Counter(comments_in(old.text)) - Counter(comments_in(new.text)), f"{name}: a comment was lost"
        findings = [f for f in migrated_fixtures["findings"] if f["filename"] == name]
        assert lines_changed_outside_fixes(old, new, findings) == {}, name
        checked += 1
    assert checked >= 20


def test_notebooks_are_rewritten_cell_by_cell(migrated_fixtures):
    tree = migrated_fixtures["tree"]
    notebooks = [name for name in migrated_fixtures["before"] if name.endswith(".ipynb")]
    assert notebooks
    rewritten = 0
    for name in notebooks:
        old = json.loads(migrated_fixtures["before"][name][0])
        new = json.loads((tree / name).read_bytes())
        assert {k: v for k, v in new.items() if k != "cells"} == {k: v for k, v in old.items() if k != "cells"}
        assert len(new["cells"]) == len(old["cells"])
        for old_cell, new_cell in zip(old["cells"], new["cells"]):
            if new_cell == old_cell:
                continue
            rewritten += 1
            assert old_cell["cell_type"] == "code"
            assert {k: v for k, v in new_cell.items() if k != "source"} == {k: v for k, v in old_cell.items() if k != "source"}
        # IPython lines are written back as they were.
        old_magics = [line for cell in old["cells"] for line in cell["source"] if line.startswith("%")]
        assert old_magics == [line for cell in new["cells"] for line in cell["source"] if line.startswith("%")]
    assert rewritten >= 2


def test_after_migrate_check_reports_no_fixable_finding(migrated_fixtures):
    after = migrated_fixtures["findings_after"]
    assert [(f["filename"], f["line"], f["code"]) for f in after if f["fix"] is not None] == []
    assert set(RULE_CODES) >= {f["code"] for f in after}


def test_no_profile_is_left_tied_to_a_region_the_migration_moved(tmp_path):
    """rules.md, "Region and profile stay consistent": after migrate --write, no client
    whose region now comes from the environment sends a geographic profile id (us., eu.
    …), which would fail wherever the environment names another geography."""
    from bedrock_lint.analysis.index import build_index
    from bedrock_lint.analysis.scope import model_text
    from bedrock_lint.analysis.values import EnvironmentValue
    from bedrock_lint.catalog.models import split_profile

    app = copy_app(tmp_path)
    run("migrate", "--write", ".", cwd=app)
    checked = tied = 0
    for path in sorted(app.rglob("*")):
        if path.suffix not in (".py", ".ipynb"):
            continue
        source = read_source(path, path.name)
        index = build_index(cst.parse_module(source.text), source.text, path.name)
        for client in index.clients:
            from_environment = any(
                isinstance(index.resolve(argument.value, scope), EnvironmentValue) for argument, scope, _ in client.region_arguments()
            )
            prefixes = {split_profile(text).prefix for text in map(model_text, [op.model for op in client.operations] + [client.model]) if text}
            checked += 1
            if from_environment and prefixes - {None, "global."}:
                tied += 1
    assert checked and tied == 0


def test_the_migration_creates_no_model_compatibility_finding(migrated_fixtures):
    """Issue 21's property over fixtures/: no file has more BDR5xx findings after
    `migrate --write` than before (a model upgrade that the new model would answer with
    a 400 is not applied)."""
    from collections import Counter

    before = Counter(f["filename"] for f in migrated_fixtures["findings"] if f["code"].startswith("BDR5"))
    after = Counter(f["filename"] for f in migrated_fixtures["findings_after"] if f["code"].startswith("BDR5"))
    created = {name: count - before[name] for name, count in after.items() if count > before[name]}
    assert created == {}


def test_safe_only_applies_the_safe_fixes_and_says_why_the_others_were_skipped(tmp_path):
    """Issue 21, item 6: ``migrate --safe-only`` is ``check --fix`` over a whole tree,
    with the unsafe fixes counted as skipped for that reason."""
    source = (
        'import boto3\nclient = boto3.client("bedrock-runtime", region_name="us-east-1")\n'
        'r = client.converse(modelId="anthropic.claude-3-sonnet-20240229-v1:0", messages=[], inferenceConfig={"maxTokens": 100})\n'
        'print(r["stopReason"])\n'
    )
    (tmp_path / "app.py").write_text(source, encoding="utf-8")
    result = run("migrate", "--safe-only", "--write", "app.py", cwd=tmp_path)
    after = (tmp_path / "app.py").read_text(encoding="utf-8")
    assert "read_timeout=300" in after and '"mode": "adaptive"' in after
    assert "anthropic.claude-3-sonnet-20240229-v1:0" in after and 'region_name="us-east-1"' in after
    assert "unsafe fix (--safe-only)" in result.stderr


# ---------------------------------------------------------------------------
# Issue 21, acceptance: an app on Claude 3.x models


def test_the_claude3_app_migrates_to_requests_every_new_model_accepts(tmp_path):
    """fixtures/migration/claude3: temperature with top_p (Haiku 3), a prefill (3.5
    Sonnet), 3.7 budget thinking with the 128K beta, computer-use tools of 3.5 Sonnet v2,
    literal regions.  `migrate --write` gives exactly expected/; there, the catalog finds
    nothing the new models reject (BDR5xx, thinking shapes, ids); the prefill's call keeps
    its model, and its finding says why."""
    app = copy_app(tmp_path, CLAUDE3_APP)
    result = run("migrate", "--write", ".", cwd=app)
    assert result.exit_code == 1, result.stderr
    assert tree_files(app) == tree_files(CLAUDE3_EXPECTED), (
        "fixtures/migration/claude3/expected is out of date: run `python scripts/regenerate_migration_fixture.py` "
        "and review the diff"
    )
    after = json.loads(run("check", "--no-cache", "--format", "json", "--select", "ALL", ".", cwd=app).stdout)
    assert [(f["filename"], f["line"], f["code"]) for f in after if f["code"] == "BDR201" or f["code"].startswith("BDR5")] == []
    moved = [f for f in after if f["code"] in ("BDR101", "BDR102", "BDR103", "BDR104", "BDR106")]
    assert [(f["filename"], f["code"], f["fix"]) for f in moved] == [("assistant/extract.py", "BDR103", None)]
    assert "no fix" in moved[0]["message"] and "prefill at line 22" in moved[0]["message"]  # line 21 before `import os`
    expected = {name: data.decode() for name, (data, _) in tree_files(CLAUDE3_EXPECTED).items()}
    assert '"temperature": 0.3}' in expected["assistant/summarise.py"] and "topP" not in expected["assistant/summarise.py"]
    desktop = expected["assistant/desktop_agent.py"]
    for version in ("computer-use-2025-11-24", "computer_20251124", "text_editor_20250728", "str_replace_based_edit_tool", "bash_20250124"):
        assert version in desktop
    assert 'modelId="us.anthropic.claude-sonnet-4-6"' in expected["assistant/planner.py"]
