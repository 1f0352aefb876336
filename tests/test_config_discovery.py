"""Configuration files and file discovery (bedrock_lint/config.py, engine/discovery.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bedrock_lint.config import ConfigError, SettingsResolver, ignored_codes_for, load_config_file
from bedrock_lint.engine.discovery import DiscoveredFile, DiscoveryError, discover


def write(path: Path, text: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def names(items) -> list[str]:
    return [i.display_name for i in items if isinstance(i, DiscoveredFile)]


def test_nearest_config_wins(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.bedrock-lint]\nmin-read-timeout = 100\n")
    write(tmp_path / "sub" / "pyproject.toml", "[tool.bedrock-lint]\nmin-read-timeout = 200\n")
    write(tmp_path / "other" / "pyproject.toml", "[project]\nname = 'x'\n")  # no table: skipped
    resolver = SettingsResolver(cwd=tmp_path)
    assert resolver.settings_for(tmp_path / "a.py").min_read_timeout == 100
    assert resolver.settings_for(tmp_path / "sub" / "deep" / "b.py").min_read_timeout == 200
    assert resolver.settings_for(tmp_path / "other" / "c.py").min_read_timeout == 100


def test_bedrock_lint_toml_beats_pyproject(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.bedrock-lint]\nmin-read-timeout = 100\n")
    write(tmp_path / "bedrock-lint.toml", "min-read-timeout = 900\n")
    settings = SettingsResolver(cwd=tmp_path).settings_for(tmp_path / "a.py")
    assert settings.min_read_timeout == 900
    assert settings.config_file.endswith("bedrock-lint.toml")


def test_defaults_without_any_config(tmp_path):
    settings = SettingsResolver(cwd=tmp_path).settings_for(tmp_path / "a.py")
    assert settings.config_file is None and settings.min_read_timeout == 300


@pytest.mark.parametrize(
    "body, expected",
    [
        ("min-read-timout = 30", "unknown key 'min-read-timout' (did you mean 'min-read-timeout'?)"),
        ('min-read-timeout = "300"', "'min-read-timeout' must be"),
        ("min-read-timeout = true", "'min-read-timeout' must be"),
        ("min-read-timeout = -5", "must be greater than 0"),
        ('select = "BDR001"', "'select' must be a list of strings"),
        ('select = ["BDR999"]', "select: unknown rule code 'BDR999'"),
        ('retry-mode = "legacy"', "'retry-mode' must be one of standard, adaptive"),
        ('per-file-ignores = { "tests/*" = ["XYZ1"] }', "unknown rule code 'XYZ1'"),
        ("respect-gitignore = 1", "'respect-gitignore' must be true or false"),
        ('catalog = "missing.json"', "'catalog': no such file"),
    ],
)
def test_bad_values_name_the_file_and_key(tmp_path, body, expected):
    path = write(tmp_path / "pyproject.toml", f"[tool.bedrock-lint]\n{body}\n")
    with pytest.raises(ConfigError) as error:
        load_config_file(path)
    assert str(path) in str(error.value)
    assert expected in str(error.value)


def test_invalid_toml_names_file_and_line(tmp_path):
    path = write(tmp_path / "pyproject.toml", "[tool.bedrock-lint]\nselect = [\n")
    with pytest.raises(ConfigError) as error:
        load_config_file(path)
    assert str(path) in str(error.value) and "invalid TOML" in str(error.value) and "line" in str(error.value)


def test_config_option_applies_to_every_path(tmp_path):
    config = write(tmp_path / "ci" / "lint.toml", "min-read-timeout = 42\n")
    write(tmp_path / "pyproject.toml", "[tool.bedrock-lint]\nmin-read-timeout = 100\n")
    resolver = SettingsResolver(config_file=config, cwd=tmp_path)
    assert resolver.settings_for(tmp_path / "a.py").min_read_timeout == 42


def test_cli_overrides(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.bedrock-lint]\nselect = ["BDR0"]\nignore = ["BDR003"]\n')
    resolver = SettingsResolver(cwd=tmp_path, cli_overrides={"select": ["BDR001"], "ignore": ["BDR002"], "extend_select": None})
    settings = resolver.settings_for(tmp_path / "a.py")
    assert settings.select == ("BDR001",)
    assert settings.ignore == ("BDR003", "BDR002")
    with pytest.raises(ConfigError, match="--select: unknown rule code 'NOPE'"):
        SettingsResolver(cwd=tmp_path, cli_overrides={"select": ["NOPE"]})


def test_per_file_ignores(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.bedrock-lint]\nper-file-ignores = { "tests/**/*.py" = ["BDR005"], "scripts/*.py" = ["BDR0"] }\n')
    settings = SettingsResolver(cwd=tmp_path).settings_for(tmp_path / "x.py")
    assert ignored_codes_for(tmp_path / "tests" / "unit" / "test_a.py", settings) == {"BDR005"}
    assert ignored_codes_for(tmp_path / "scripts" / "run.py", settings) == {"BDR0"}
    assert ignored_codes_for(tmp_path / "app.py", settings) == frozenset()


def test_walk_finds_sources_in_order_and_skips_default_excludes(tmp_path, monkeypatch):
    for name in ("b.py", "a.pyi", "nb.ipynb", "notes.txt", "pkg/c.py", ".venv/lib/d.py", "build/e.py", "node_modules/f.py"):
        write(tmp_path / name)
    monkeypatch.chdir(tmp_path)
    found = names(discover(["."], SettingsResolver(cwd=tmp_path)))
    assert found == ["a.pyi", "b.py", "nb.ipynb", "pkg/c.py"]


def test_exclude_extend_exclude_and_explicit_paths(tmp_path, monkeypatch):
    write(tmp_path / "pyproject.toml", '[tool.bedrock-lint]\nextend-exclude = ["generated/"]\n')
    write(tmp_path / "generated" / "client.py")
    write(tmp_path / "app.py")
    monkeypatch.chdir(tmp_path)
    resolver = SettingsResolver(cwd=tmp_path)
    assert names(discover(["."], resolver)) == ["app.py"]
    # Named explicitly, an excluded file is checked, unless --force-exclude.
    assert names(discover(["generated/client.py"], resolver)) == ["generated/client.py"]
    assert names(discover(["generated/client.py"], resolver, force_exclude=True)) == []


def test_gitignore_is_respected_and_can_be_turned_off(tmp_path, monkeypatch):
    write(tmp_path / ".git" / "HEAD")
    write(tmp_path / ".gitignore", "secret_*.py\nout/\n")
    write(tmp_path / "pkg" / ".gitignore", "local.py\n")
    for name in ("app.py", "secret_keys.py", "out/gen.py", "pkg/local.py", "pkg/mod.py"):
        write(tmp_path / name)
    monkeypatch.chdir(tmp_path)
    assert names(discover(["."], SettingsResolver(cwd=tmp_path))) == ["app.py", "pkg/mod.py"]
    write(tmp_path / "pyproject.toml", "[tool.bedrock-lint]\nrespect-gitignore = false\n")
    found = names(discover(["."], SettingsResolver(cwd=tmp_path)))
    assert sorted(found) == ["app.py", "out/gen.py", "pkg/local.py", "pkg/mod.py", "secret_keys.py"]


def test_missing_path_and_broken_symlink(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "link.py").symlink_to(tmp_path / "gone.py")
    items = list(discover(["nothing.py", "."], SettingsResolver(cwd=tmp_path)))
    errors = {(i.display_name, i.message) for i in items if isinstance(i, DiscoveryError)}
    assert errors == {("nothing.py", "No such file or directory"), ("link.py", "broken symbolic link")}


def test_directory_symlink_loops_are_not_followed(tmp_path, monkeypatch):
    write(tmp_path / "pkg" / "a.py")
    (tmp_path / "pkg" / "loop").symlink_to(tmp_path / "pkg")
    monkeypatch.chdir(tmp_path)
    assert names(discover(["."], SettingsResolver(cwd=tmp_path))) == ["pkg/a.py"]


def test_unreadable_directory_is_reported_and_the_walk_continues(tmp_path, monkeypatch):
    write(tmp_path / "ok.py")
    locked = tmp_path / "locked"
    write(locked / "x.py")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running as a user who can read any directory")
        monkeypatch.chdir(tmp_path)
        items = list(discover(["."], SettingsResolver(cwd=tmp_path)))
        assert names(items) == ["ok.py"]
        assert any(isinstance(i, DiscoveryError) and "locked" in i.display_name for i in items)
    finally:
        locked.chmod(0o755)


def test_display_names_keep_what_the_user_typed(tmp_path, monkeypatch):
    write(tmp_path / "src" / "app.py")
    monkeypatch.chdir(tmp_path)
    resolver = SettingsResolver(cwd=tmp_path)
    assert names(discover(["src"], resolver)) == ["src/app.py"]
    assert names(discover(["./src/"], resolver)) == ["./src/app.py"]
