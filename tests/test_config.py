"""Configuration files: discovery, validation, error messages, CLI overrides (bedrock_lint/config.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

import bedrock_lint.config as config_module
from bedrock_lint.config import (
    DEFAULT_EXCLUDE,
    ConfigError,
    SettingsResolver,
    apply_cli_overrides,
    ignored_codes_for,
    load_config_file,
)
from bedrock_lint.settings import Settings


def write(path: Path, text: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def require_rule_codes(*codes: str) -> None:
    """Selection is validated against the registry; skip while it lacks these codes."""
    from bedrock_lint.rules.registry import RULE_CODES, all_rules

    try:
        registered = all_rules()
    except ImportError as error:  # a rule module not importable yet
        pytest.skip(f"rule modules not importable: {error}")
    if not registered or not set(codes) <= set(RULE_CODES):
        pytest.skip(f"rule codes {codes} not registered yet")


def config_error(tmp_path: Path, body: str, name: str = "pyproject.toml") -> ConfigError:
    header = "[tool.bedrock-lint]\n" if name == "pyproject.toml" else ""
    path = write(tmp_path / name, header + body)
    with pytest.raises(ConfigError) as error:
        load_config_file(path)
    assert str(path) in str(error.value), "the message names the file"
    return error.value


# --------------------------------------------------------------------------- discovery


def test_nearest_config_upward_from_each_path(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.bedrock-lint]\nmin-read-timeout = 100\n")
    write(tmp_path / "service" / "pyproject.toml", "[tool.bedrock-lint]\nmin-read-timeout = 200\n")
    resolver = SettingsResolver(cwd=tmp_path)
    top = resolver.settings_for(tmp_path / "a.py")
    nested = resolver.settings_for(tmp_path / "service" / "deep" / "er" / "b.py")
    assert top.min_read_timeout == 100 and top.project_root == str(tmp_path)
    assert nested.min_read_timeout == 200
    assert nested.config_file == str(tmp_path / "service" / "pyproject.toml")
    assert nested.project_root == str(tmp_path / "service")


def test_pyproject_without_our_table_is_skipped(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.bedrock-lint]\nmin-read-timeout = 100\n")
    write(tmp_path / "lib" / "pyproject.toml", '[project]\nname = "lib"\ndependencies = ["bedrock-lint"]\n')
    write(tmp_path / "lib2" / "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    resolver = SettingsResolver(cwd=tmp_path)
    assert resolver.settings_for(tmp_path / "lib" / "x.py").min_read_timeout == 100
    assert resolver.settings_for(tmp_path / "lib2" / "x.py").config_file == str(tmp_path / "pyproject.toml")


def test_bedrock_lint_toml_wins_over_pyproject_in_the_same_directory(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.bedrock-lint]\nmin-read-timeout = 100\n")
    write(tmp_path / "bedrock-lint.toml", "min-read-timeout = 900\n")
    settings = SettingsResolver(cwd=tmp_path).settings_for(tmp_path / "a.py")
    assert settings.min_read_timeout == 900
    assert settings.config_file == str(tmp_path / "bedrock-lint.toml")


def test_bedrock_lint_toml_may_use_a_tool_table(tmp_path):
    path = write(tmp_path / "bedrock-lint.toml", "[tool.bedrock-lint]\nconnect-timeout = 3\n")
    assert load_config_file(path).connect_timeout == 3


def test_bedrock_lint_toml_cannot_mix_top_level_keys_and_tool_table(tmp_path):
    error = config_error(tmp_path, "connect-timeout = 3\n[tool.bedrock-lint]\nconnect-timeout = 4\n", name="bedrock-lint.toml")
    assert "connect-timeout" in str(error) and "not both" in str(error)


def test_defaults_without_any_config(tmp_path):
    settings = SettingsResolver(cwd=tmp_path).settings_for(tmp_path / "a.py")
    assert settings.config_file is None
    assert settings.project_root == str(tmp_path)
    assert settings.min_read_timeout == 300 and settings.respect_gitignore is True


def test_relative_paths_are_resolved_against_cwd(tmp_path):
    write(tmp_path / "pkg" / "bedrock-lint.toml", "streaming-max-tokens = 100\n")
    resolver = SettingsResolver(cwd=tmp_path)
    assert resolver.settings_for(Path("pkg/mod.py")).streaming_max_tokens == 100
    assert resolver.settings_for(Path("pkg")).streaming_max_tokens == 100  # a directory


def test_each_directory_and_config_file_is_looked_at_once(tmp_path, monkeypatch):
    write(tmp_path / "pyproject.toml", "[tool.bedrock-lint]\nmin-read-timeout = 100\n")
    reads = []
    original = config_module._read_source
    monkeypatch.setattr(config_module, "_read_source", lambda path: reads.append(path) or original(path))
    resolver = SettingsResolver(cwd=tmp_path)
    results = {id(resolver.settings_for_directory(tmp_path / "a" / "b" / str(i % 3))) for i in range(300)}
    assert len(results) == 1, "one Settings object per configuration file"
    assert reads == [str(tmp_path / "pyproject.toml")]


def test_config_option_is_used_for_every_path(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.bedrock-lint]\nmin-read-timeout = 100\n")
    ci = write(tmp_path / "ci" / "lint.toml", "min-read-timeout = 42\n")
    resolver = SettingsResolver(config_file=ci, cwd=tmp_path)
    for path in (tmp_path / "a.py", tmp_path / "x" / "y" / "b.py", Path("/elsewhere/c.py")):
        settings = resolver.settings_for(path)
        assert settings.min_read_timeout == 42
        assert settings.config_file == str(ci) and settings.project_root == str(tmp_path / "ci")


def test_config_option_accepts_a_pyproject(tmp_path):
    path = write(tmp_path / "pyproject.toml", "[tool.bedrock-lint]\nretry-max-attempts = 9\n")
    assert SettingsResolver(config_file=Path("pyproject.toml"), cwd=tmp_path).settings_for(tmp_path).retry_max_attempts == 9
    assert load_config_file(path).config_file == str(path)


# --------------------------------------------------------------------------- values


def test_values_become_settings(tmp_path):
    require_rule_codes("BDR001", "BDR002", "BDR003", "BDR005")
    write(tmp_path / "catalogs" / "models.json", "{}")
    path = write(
        tmp_path / "pyproject.toml",
        "[tool.bedrock-lint]\n"
        'select = ["bdr0", "ALL"]\n'
        'extend-select = ["BDR005"]\n'
        'ignore = ["BDR002"]\n'
        'exclude = ["old/"]\n'
        'extend-exclude = ["gen/*.py"]\n'
        "respect-gitignore = false\n"
        "min-read-timeout = 120.5\n"
        "connect-timeout = 5\n"
        'retry-mode = "standard"\n'
        "retry-max-attempts = 8\n"
        'region-env-var = "BEDROCK_REGION"\n'
        "max-system-prompt-tokens = 2000\n"
        'profile-geography = "us-gov"\n'
        'small-model = "anthropic.claude-haiku"\n'
        "streaming-max-tokens = 1024\n"
        'catalog = "catalogs/models.json"\n'
        "\n[tool.bedrock-lint.per-file-ignores]\n"
        '"tests/**" = ["BDR001", "bdr003"]\n',
    )
    settings = load_config_file(path)
    assert settings == Settings(
        select=("BDR0", "BDR"),  # normalised: upper case, ALL is every BDR code
        extend_select=("BDR005",),
        ignore=("BDR002",),
        per_file_ignores=(("tests/**", ("BDR001", "BDR003")),),
        exclude=("old/",),
        extend_exclude=("gen/*.py",),
        respect_gitignore=False,
        min_read_timeout=120.5,
        connect_timeout=5,
        retry_mode="standard",
        retry_max_attempts=8,
        region_env_var="BEDROCK_REGION",
        max_system_prompt_tokens=2000,
        profile_geography="us-gov",
        small_model="anthropic.claude-haiku",
        streaming_max_tokens=1024,
        catalog=str(tmp_path / "catalogs" / "models.json"),
        config_file=str(path),
        project_root=str(tmp_path),
    )
    hash(settings)  # frozen and hashable: tuples, not lists


def test_empty_table_gives_defaults(tmp_path):
    settings = load_config_file(write(tmp_path / "pyproject.toml", "[tool.bedrock-lint]\n"))
    assert settings.select == () and settings.exclude == () and settings.min_read_timeout == 300


def test_unknown_key_is_named_with_a_suggestion_and_line(tmp_path):
    error = config_error(tmp_path, "connect-timeout = 3\nmin-read-timout = 30\n")
    message = str(error)
    assert "[tool.bedrock-lint] unknown key 'min-read-timout' (did you mean 'min-read-timeout'?)" in message
    assert "(line 3)" in message
    assert error.key == "min-read-timout" and error.line == 3


def test_unknown_key_without_a_close_match(tmp_path):
    message = str(config_error(tmp_path, "colour = 'blue'\n"))
    assert "unknown key 'colour'" in message and "did you mean" not in message


def test_snake_case_key_suggests_the_dashed_spelling(tmp_path):
    assert "did you mean 'extend-select'?" in str(config_error(tmp_path, "extend_select = []\n"))


@pytest.mark.parametrize(
    "body, expected",
    [
        ("select = 1", "'select' must be a list of strings, got int"),
        ('ignore = ["BDR001", 2]', "'ignore' must be a list of strings, got int at index 1"),
        ('exclude = "build"', "'exclude' must be a list of strings, got str"),
        ("per-file-ignores = []", "'per-file-ignores' must be a table"),
        ('per-file-ignores = { "a.py" = "BDR001" }', "'per-file-ignores.\"a.py\"' must be a list of strings, got str"),
        ("respect-gitignore = 1", "'respect-gitignore' must be true or false, got int"),
        ('min-read-timeout = "300"', "'min-read-timeout' must be a number, got str"),
        ("min-read-timeout = true", "'min-read-timeout' must be a number, got bool"),
        ("retry-max-attempts = 2.5", "'retry-max-attempts' must be an integer, got float"),
        ("retry-max-attempts = true", "'retry-max-attempts' must be an integer, got bool"),
        ("small-model = 3", "'small-model' must be a string, got int"),
        ("min-read-timeout = 0", "'min-read-timeout' must be greater than 0, got 0"),
        ("streaming-max-tokens = -1", "'streaming-max-tokens' must be greater than 0, got -1"),
        ("connect-timeout = inf", "'connect-timeout' must be greater than 0"),
        ('retry-mode = "legacy"', "'retry-mode' must be one of standard, adaptive, got 'legacy'"),
        ('profile-geography = "mars"', "'profile-geography' must be one of us, eu, apac, jp, au, global, us-gov, got 'mars'"),
        ('region-env-var = "AWS REGION"', "'region-env-var' must be an environment variable name"),
        ('small-model = ""', "'small-model' must not be empty"),
        ('catalog = "missing.json"', "'catalog': no such file"),
        ('exclude = ["\\\\"]', "exclude: invalid pattern"),
    ],
)
def test_wrong_types_and_values_name_the_key(tmp_path, body, expected):
    assert expected in str(config_error(tmp_path, body + "\n"))


def test_top_level_keys_in_bedrock_lint_toml_are_named_without_a_section(tmp_path):
    message = str(config_error(tmp_path, "select = 1\n", name="bedrock-lint.toml"))
    assert message.endswith("bedrock-lint.toml: 'select' must be a list of strings, got int (line 1)")


def test_int_is_accepted_for_float_options(tmp_path):
    settings = load_config_file(write(tmp_path / "bedrock-lint.toml", "min-read-timeout = 30\nconnect-timeout = 2.5\n"))
    assert settings.min_read_timeout == 30 and settings.connect_timeout == 2.5


def test_catalog_is_resolved_against_the_config_directory(tmp_path):
    write(tmp_path / "proj" / "data" / "catalog.json", "{}")
    path = write(tmp_path / "proj" / "bedrock-lint.toml", 'catalog = "data/catalog.json"\n')
    assert load_config_file(path).catalog == str(tmp_path / "proj" / "data" / "catalog.json")


def test_invalid_toml_names_file_line_and_column(tmp_path):
    message = str(config_error(tmp_path, "select = [\n]\nmin-read-timeout 30\n"))
    assert "pyproject.toml: invalid TOML:" in message
    assert "line 4" in message


def test_invalid_toml_at_end_of_document_still_gives_a_line(tmp_path):
    error = config_error(tmp_path, "select = [\n")
    assert "invalid TOML" in str(error) and "line 2" in str(error) and error.line == 2


def test_invalid_toml_in_a_discovered_pyproject_is_an_error(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.bedrock-lint\n")
    with pytest.raises(ConfigError, match="pyproject.toml: invalid TOML"):
        SettingsResolver(cwd=tmp_path).settings_for(tmp_path / "a.py")


def test_unknown_rule_code(tmp_path):
    require_rule_codes("BDR001")
    error = config_error(tmp_path, 'select = ["BDR001", "BDR999"]\n')
    assert "[tool.bedrock-lint] select: unknown rule code 'BDR999' (line 2)" in str(error)
    assert "unknown rule code 'XYZ'" in str(config_error(tmp_path, 'ignore = ["XYZ"]\n'))


def test_unknown_rule_code_in_per_file_ignores_names_the_pattern(tmp_path):
    require_rule_codes("BDR001")
    message = str(config_error(tmp_path, '[tool.bedrock-lint.per-file-ignores]\n"tests/*" = ["BDR999"]\n'))
    assert "per-file-ignores.\"tests/*\": unknown rule code 'BDR999' (line 2)" in message


# --------------------------------------------------------------------------- per-file ignores


def test_per_file_ignores(tmp_path):
    require_rule_codes("BDR001", "BDR002", "BDR005")
    write(
        tmp_path / "pyproject.toml",
        "[tool.bedrock-lint.per-file-ignores]\n"
        '"tests/" = ["BDR005"]\n'
        '"legacy/*.py" = ["BDR0"]\n'
        '"__init__.py" = ["BDR001"]\n'
        '"!src/**" = ["BDR002"]\n',
    )
    settings = SettingsResolver(cwd=tmp_path).settings_for(tmp_path / "x.py")
    assert settings.per_file_ignores[0] == ("tests/", ("BDR005",))

    def ignored(relative: str) -> frozenset[str]:
        return ignored_codes_for(tmp_path / relative, settings)

    assert ignored("tests/unit/test_a.py") == {"BDR005", "BDR002"}
    assert ignored("legacy/old.py") == {"BDR0", "BDR002"}
    assert ignored("legacy/sub/old.py") == {"BDR002"}  # '*' stays within one directory
    assert ignored("src/pkg/__init__.py") == {"BDR001"}  # no slash: the name anywhere
    assert ignored("src/app.py") == frozenset()


def test_per_file_ignore_prefixes_match_codes(tmp_path):
    require_rule_codes("BDR001", "BDR002")
    write(tmp_path / "pyproject.toml", '[tool.bedrock-lint]\nper-file-ignores = { "gen/*" = ["BDR00"] }\n')
    settings = SettingsResolver(cwd=tmp_path).settings_for(tmp_path)
    prefixes = ignored_codes_for(tmp_path / "gen" / "client.py", settings)
    assert [code for code in ("BDR001", "BDR002", "BDR010") if any(code.startswith(p) for p in prefixes)] == ["BDR001", "BDR002"]


def test_no_per_file_ignores_means_nothing_ignored(tmp_path):
    assert ignored_codes_for(tmp_path / "a.py", Settings(project_root=str(tmp_path))) == frozenset()


# --------------------------------------------------------------------------- command line


def test_cli_select_replaces_and_extend_select_and_ignore_add(tmp_path):
    require_rule_codes("BDR001", "BDR002", "BDR003", "BDR004", "BDR005")
    write(
        tmp_path / "pyproject.toml",
        '[tool.bedrock-lint]\nselect = ["BDR0"]\nextend-select = ["BDR005"]\nignore = ["BDR003"]\n',
    )
    resolver = SettingsResolver(cwd=tmp_path, cli_overrides={"select": ["bdr001"], "extend_select": ["BDR004"], "ignore": ["BDR002"]})
    settings = resolver.settings_for(tmp_path / "a.py")
    assert settings.select == ("BDR001",)
    # The configured extend-select extended the selection that --select replaced.
    assert settings.extend_select == ("BDR004",)
    assert settings.ignore == ("BDR003", "BDR002")

    only_extend = SettingsResolver(cwd=tmp_path, cli_overrides={"select": None, "extend_select": ["BDR004"], "ignore": None})
    settings = only_extend.settings_for(tmp_path / "a.py")
    assert settings.select == ("BDR0",) and settings.extend_select == ("BDR005", "BDR004") and settings.ignore == ("BDR003",)


def test_cli_overrides_apply_without_a_config_file(tmp_path):
    require_rule_codes("BDR001")
    settings = SettingsResolver(cwd=tmp_path, cli_overrides={"select": ["BDR001"]}).settings_for(tmp_path / "a.py")
    assert settings.select == ("BDR001",) and settings.config_file is None


def test_cli_overrides_apply_on_top_of_config_option(tmp_path):
    require_rule_codes("BDR001", "BDR002")
    ci = write(tmp_path / "lint.toml", 'ignore = ["BDR001"]\n')
    settings = SettingsResolver(config_file=ci, cwd=tmp_path, cli_overrides={"ignore": ["BDR002"]}).settings_for(tmp_path)
    assert settings.ignore == ("BDR001", "BDR002")


@pytest.mark.parametrize("option, key", [("--select", "select"), ("--extend-select", "extend_select"), ("--ignore", "ignore")])
def test_cli_codes_are_validated_up_front(tmp_path, option, key):
    require_rule_codes("BDR001")
    with pytest.raises(ConfigError, match=f"^{option}: unknown rule code 'BDR999'$"):
        SettingsResolver(cwd=tmp_path, cli_overrides={key: ["BDR001", "BDR999"]})


def test_apply_cli_overrides_leaves_settings_alone_without_options():
    settings = Settings(select=("BDR0",))
    assert apply_cli_overrides(settings) is settings


def test_default_exclude_list_matches_the_documented_one():
    for name in (".git", ".venv", "venv", "__pycache__", "node_modules", "build", "dist", "site-packages", "*.egg-info", ".bedrock_lint_cache"):
        assert name in DEFAULT_EXCLUDE


def test_a_byte_order_mark_is_no_toml_error(tmp_path):
    """Issue 22 (minor): Windows editors may start pyproject.toml with a UTF-8 BOM."""
    path = tmp_path / "pyproject.toml"
    path.write_bytes(b"\xef\xbb\xbf[tool.bedrock-lint]\nmin-read-timeout = 120\n")
    assert SettingsResolver(cwd=tmp_path).settings_for(tmp_path / "x.py").min_read_timeout == 120


def test_an_empty_select_is_an_error_not_the_defaults(tmp_path):
    """Issue 22 (minor): `select = []` silently meant the default selection."""
    error = config_error(tmp_path, "select = []\n")
    assert "select: an empty list selects no rule" in str(error) and "line 2" in str(error)
