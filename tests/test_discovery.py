"""Which files a run checks (bedrock_lint/engine/discovery.py)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bedrock_lint.config import SettingsResolver
from bedrock_lint.engine.discovery import DiscoveredFile, DiscoveryError, discover, is_excluded
from bedrock_lint.settings import Settings


def write(path: Path, text: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_files(root: Path, *names: str) -> None:
    for name in names:
        write(root / name)


def found(paths: list[str], root: Path, *, force_exclude: bool = False, **resolver_options) -> list[str]:
    items = discover(paths, SettingsResolver(cwd=root, **resolver_options), force_exclude=force_exclude)
    return [item.display_name for item in items if isinstance(item, DiscoveredFile)]


def errors(paths: list[str], root: Path) -> set[tuple[str, str]]:
    items = discover(paths, SettingsResolver(cwd=root))
    return {(item.display_name, item.message) for item in items if isinstance(item, DiscoveryError)}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository (``.git`` present) so that ``.gitignore`` files apply."""
    (tmp_path / ".git" / "info").mkdir(parents=True)
    return tmp_path


# --------------------------------------------------------------------------- walking


def test_sources_are_found_in_sorted_order(tmp_path):
    make_files(tmp_path, "b.py", "a.pyi", "nb.ipynb", "notes.txt", "setup.cfg", "pkg/z.py", "pkg/sub/c.py", "pkg/a.py")
    assert found(["."], tmp_path) == ["a.pyi", "b.py", "nb.ipynb", "pkg/a.py", "pkg/sub/c.py", "pkg/z.py"]


def test_default_excludes_are_skipped(tmp_path):
    skipped = (
        ".git/hooks/h.py", ".hg/x.py", ".svn/x.py", ".tox/py/x.py", ".nox/x.py", ".venv/lib/x.py", "venv/x.py",
        "pkg/__pycache__/x.py", ".mypy_cache/x.py", ".pytest_cache/x.py", ".ruff_cache/x.py", ".bedrock_lint_cache/x.py",
        "node_modules/x.py", "build/lib/x.py", "dist/x.py", "lib/site-packages/x.py", ".eggs/x.py", "pkg.egg-info/x.py",
    )
    make_files(tmp_path, "app.py", "pkg/mod.py", "builder.py", *skipped)
    assert found(["."], tmp_path) == ["app.py", "builder.py", "pkg/mod.py"]


def test_exclude_replaces_the_defaults(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.bedrock-lint]\nexclude = ["legacy"]\n')
    make_files(tmp_path, "app.py", "legacy/old.py", "build/gen.py")
    assert found(["."], tmp_path) == ["app.py", "build/gen.py"]


def test_extend_exclude_adds_to_the_defaults(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.bedrock-lint]\nextend-exclude = ["generated/", "*_pb2.py", "/top.py"]\n')
    make_files(tmp_path, "app.py", "top.py", "pkg/top.py", "generated/client.py", "pkg/api_pb2.py", "build/x.py")
    assert found(["."], tmp_path) == ["app.py", "pkg/top.py"]


def test_exclude_patterns_are_relative_to_the_config_directory(tmp_path):
    write(tmp_path / "service" / "bedrock-lint.toml", 'extend-exclude = ["/scripts/"]\n')
    make_files(tmp_path, "scripts/top.py", "service/scripts/gen.py", "service/app.py")
    assert found(["."], tmp_path) == ["scripts/top.py", "service/app.py"]


def test_nested_config_settings_travel_with_each_file(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.bedrock-lint]\nmin-read-timeout = 100\n")
    write(tmp_path / "svc" / "bedrock-lint.toml", "min-read-timeout = 200\n")
    make_files(tmp_path, "a.py", "svc/b.py", "svc/deep/c.py")
    items = list(discover(["."], SettingsResolver(cwd=tmp_path)))
    assert {item.display_name: item.settings.min_read_timeout for item in items} == {"a.py": 100, "svc/b.py": 200, "svc/deep/c.py": 200}
    assert all(item.path == tmp_path / item.display_name for item in items)


# --------------------------------------------------------------------------- .gitignore


def test_gitignore_is_respected(repo):
    write(repo / ".gitignore", "# generated\nsecret_*.py\nout/\n!out_keep.py\n")
    make_files(repo, "app.py", "secret_keys.py", "out/gen.py", "out_keep.py")
    assert found(["."], repo) == ["app.py", "out_keep.py"]


def test_gitignore_can_be_turned_off(repo):
    write(repo / ".gitignore", "secret_*.py\n")
    write(repo / "pyproject.toml", "[tool.bedrock-lint]\nrespect-gitignore = false\n")
    make_files(repo, "app.py", "secret_keys.py")
    assert found(["."], repo) == ["app.py", "secret_keys.py"]


def test_nested_gitignore_applies_to_its_subtree(repo):
    write(repo / ".gitignore", "*.gen.py\n")
    write(repo / "pkg" / ".gitignore", "local.py\n/only_here.py\n!keep.gen.py\n")
    make_files(
        repo,
        "local.py", "only_here.py", "a.gen.py", "keep.gen.py",
        "pkg/local.py", "pkg/only_here.py", "pkg/sub/only_here.py", "pkg/sub/local.py", "pkg/b.gen.py", "pkg/keep.gen.py",
    )
    assert found(["."], repo) == ["local.py", "only_here.py", "pkg/keep.gen.py", "pkg/sub/only_here.py"]


def test_parent_gitignore_applies_when_walking_a_subdirectory(repo):
    write(repo / ".gitignore", "pkg/generated/\n*.tmp.py\n")
    make_files(repo, "pkg/app.py", "pkg/x.tmp.py", "pkg/generated/g.py")
    assert found(["pkg"], repo) == ["pkg/app.py"]


def test_git_info_exclude_is_respected(repo):
    write(repo / ".git" / "info" / "exclude", "scratch.py\n")
    make_files(repo, "app.py", "scratch.py")
    assert found(["."], repo) == ["app.py"]


def test_gitignore_above_a_nested_repository_does_not_apply_inside_it(repo):
    write(repo / ".gitignore", "*.py\n!/vendor/\n")
    (repo / "vendor" / "lib" / ".git").mkdir(parents=True)
    make_files(repo, "top.py", "vendor/lib/mod.py")
    assert found(["."], repo) == ["vendor/lib/mod.py"]


def test_gitignore_outside_a_repository_applies_to_walked_directories(tmp_path):
    write(tmp_path / "proj" / ".gitignore", "tmp.py\n")
    make_files(tmp_path, "proj/app.py", "proj/tmp.py")
    assert found(["proj"], tmp_path) == ["proj/app.py"]


# --------------------------------------------------------------------------- explicit paths


def test_explicit_excluded_file_is_checked_unless_force_exclude(repo):
    write(repo / "pyproject.toml", '[tool.bedrock-lint]\nextend-exclude = ["generated/"]\n')
    write(repo / ".gitignore", "ignored.py\n")
    make_files(repo, "generated/client.py", "ignored.py", "build/out.py", "app.py")
    explicit = ["generated/client.py", "ignored.py", "build/out.py", "app.py"]
    assert found(explicit, repo) == explicit
    assert found(explicit, repo, force_exclude=True) == ["app.py"]


def test_force_exclude_applies_to_explicit_directories(tmp_path):
    make_files(tmp_path, "build/a.py", "src/b.py")
    assert found(["build", "src"], tmp_path) == ["build/a.py", "src/b.py"]
    assert found(["build", "src"], tmp_path, force_exclude=True) == ["src/b.py"]


def test_explicit_file_with_any_suffix_is_checked(tmp_path):
    make_files(tmp_path, "script", "tool.cfg")
    assert found(["script"], tmp_path) == ["script"]
    assert found(["."], tmp_path) == []


def test_files_reached_twice_are_found_once(tmp_path):
    make_files(tmp_path, "src/app.py", "src/lib.py")
    (tmp_path / "alias.py").symlink_to(tmp_path / "src" / "app.py")
    assert found(["src/app.py", "src", "./src/app.py", "alias.py"], tmp_path) == ["src/app.py", "src/lib.py"]


def test_is_excluded(repo):
    write(repo / "pyproject.toml", '[tool.bedrock-lint]\nextend-exclude = ["gen/"]\n')
    write(repo / ".gitignore", "local_*.py\n")
    settings = SettingsResolver(cwd=repo).settings_for(repo)
    assert is_excluded(repo / "gen" / "deep" / "x.py", settings)
    assert is_excluded(repo / "pkg" / "local_settings.py", settings)
    assert is_excluded(repo / ".venv" / "lib" / "y.py", settings)  # default excludes
    assert not is_excluded(repo / "pkg" / "app.py", settings)
    assert not is_excluded(repo, settings)
    no_gitignore = SettingsResolver(cwd=repo).settings_for(repo)
    no_gitignore = dataclasses.replace(no_gitignore, respect_gitignore=False)
    assert not is_excluded(repo / "pkg" / "local_settings.py", no_gitignore)


def test_empty_exclude_setting_means_the_default_excludes(tmp_path):
    assert is_excluded(tmp_path / "node_modules" / "x.py", Settings(project_root=str(tmp_path)))


# --------------------------------------------------------------------------- problems


def test_non_existent_path(tmp_path):
    assert errors(["missing.py", "no/such/dir"], tmp_path) == {
        ("missing.py", "No such file or directory"),
        ("no/such/dir", "No such file or directory"),
    }


def test_broken_symlinks(tmp_path):
    (tmp_path / "dangling.py").symlink_to(tmp_path / "gone.py")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")  # not a source file: not reported
    (tmp_path / "explicit").symlink_to(tmp_path / "gone")
    write(tmp_path / "ok.py")
    assert errors([".", "explicit"], tmp_path) == {("dangling.py", "broken symbolic link"), ("explicit", "broken symbolic link")}
    assert found(["."], tmp_path) == ["ok.py"]


def test_file_symlinks_are_followed_directory_symlinks_are_not(tmp_path):
    write(tmp_path / "elsewhere" / "real.py")
    write(tmp_path / "pkg" / "a.py")
    (tmp_path / "pkg" / "linked.py").symlink_to(tmp_path / "elsewhere" / "real.py")
    (tmp_path / "pkg" / "loop").symlink_to(tmp_path / "pkg")
    (tmp_path / "pkg" / "dirlink.py").symlink_to(tmp_path / "elsewhere")
    assert found(["pkg"], tmp_path) == ["pkg/a.py", "pkg/linked.py"]
    # An explicit directory symlink is followed.
    assert found(["pkg/loop"], tmp_path) == ["pkg/loop/a.py", "pkg/loop/linked.py"]


def test_unreadable_directory_is_reported_and_the_walk_goes_on(tmp_path):
    make_files(tmp_path, "a.py", "locked/x.py", "z.py")
    locked = tmp_path / "locked"
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("this user can read any directory (root)")
        items = list(discover(["."], SettingsResolver(cwd=tmp_path)))
        assert [(type(i).__name__, i.display_name) for i in items] == [
            ("DiscoveredFile", "a.py"),
            ("DiscoveryError", "locked"),
            ("DiscoveredFile", "z.py"),
        ]
        assert items[1].message == "Permission denied (directory not read)"
    finally:
        locked.chmod(0o755)


# --------------------------------------------------------------------------- display names


@pytest.mark.parametrize(
    "given, expected",
    [
        (".", ["app.py", "src/pkg/mod.py"]),
        ("./", ["app.py", "src/pkg/mod.py"]),
        ("src", ["src/pkg/mod.py"]),
        ("src/", ["src/pkg/mod.py"]),
        ("./src", ["./src/pkg/mod.py"]),
        ("src/pkg/mod.py", ["src/pkg/mod.py"]),
        ("./app.py", ["./app.py"]),
    ],
)
def test_display_names_keep_what_the_user_typed(tmp_path, given, expected):
    make_files(tmp_path, "app.py", "src/pkg/mod.py")
    assert found([given], tmp_path) == expected


def test_display_names_from_a_subdirectory_and_absolute_paths(tmp_path):
    make_files(tmp_path, "app.py", "src/mod.py")
    assert found([".."], tmp_path / "src") == ["../app.py", "../src/mod.py"]
    assert found([str(tmp_path / "src")], tmp_path) == [str(tmp_path / "src" / "mod.py")]


def test_star_patterns_match_as_git_matches_them(repo):
    """A ``.gitignore`` holding ``*`` (what virtualenv, uv, pytest and mypy write into the
    directories they make) ignores everything under it; ``**`` and ``*/`` work in
    ``exclude`` too."""
    make_files(repo, "app.py", "env1/lib/x.py", "cache/a.py", "gen/one/b.py", "gen/two/c.py", "keep/d.py")
    write(repo / "env1" / ".gitignore", "*\n")
    assert found(["."], repo) == ["app.py", "cache/a.py", "gen/one/b.py", "gen/two/c.py", "keep/d.py"]
    write(repo / "pyproject.toml", '[tool.bedrock-lint]\nextend-exclude = ["cache/**", "gen/*/"]\n')
    assert found(["."], repo) == ["app.py", "keep/d.py"]
    # Named one by one (pre-commit), --force-exclude applies the same patterns.
    assert found(["env1/lib/x.py", "gen/one/b.py", "keep/d.py"], repo, force_exclude=True) == ["keep/d.py"]


def test_star_patterns_in_per_file_ignores(tmp_path):
    from bedrock_lint.config import ignored_codes_for

    settings = dataclasses.replace(
        Settings(), project_root=str(tmp_path), per_file_ignores=(("gen/*/", ("BDR001",)), ("*", ("BDR003",)), ("tests/**", ("BDR002",)))
    )
    assert ignored_codes_for(tmp_path / "gen" / "one" / "b.py", settings) == {"BDR001", "BDR003"}
    assert ignored_codes_for(tmp_path / "tests" / "unit" / "t.py", settings) == {"BDR002", "BDR003"}
    assert ignored_codes_for(tmp_path / "gen" / "top.py", settings) == {"BDR003"}


# --------------------------------------------------------------------------- backtracking patterns (issue 22, minor)


@pytest.mark.parametrize(
    ("pattern", "normalised"),
    [
        ("x************z", "x*z"),
        ("a**b", "a*b"),
        ("***", "*"),
        ("**/**/**/x", "**/x"),
        ("a/**/**/b/**", "a/**/b/**"),
        ("**", "**"),
        ("!**/**/*.py", "!**/*.py"),
        (r"a\**b", r"a\**b"),  # an escaped star and one wildcard: nothing to collapse
        (r"a\***b", r"a\**b"),
        ("*.py", "*.py"),
    ],
)
def test_runs_of_stars_are_collapsed_before_translation(pattern, normalised):
    """Each `*` of a run became its own `[^/]*` in pathspec's regex: 12 in a row took
    minutes against a 40-character name.  A run means what one `*` means (and repeated
    `**/` what one does), so it is collapsed first."""
    from bedrock_lint.config import normalised_pattern

    assert normalised_pattern(pattern) == normalised


def test_a_run_of_stars_does_not_stall_matching(tmp_path):
    script = (
        "from bedrock_lint.config import compile_patterns\n"
        "patterns = compile_patterns(['x' + '*' * 12 + 'z', 'x' + '*' * 12 + 'py'])\n"
        "print(patterns.matches_path('x' + 'a' * 40 + '.py'), patterns.patterns[0].match_file('x' + 'a' * 40 + '.py') is None)\n"
    )
    # The timeout only catches a hang (it took minutes): no timing is asserted.
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert completed.stdout.split() == ["True", "True"], completed.stderr
