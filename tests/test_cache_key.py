"""The cache fingerprint changes with everything findings depend on, the tool's own code included."""

from __future__ import annotations

from pathlib import Path

from bedrock_lint.engine import cache as cache_module
from bedrock_lint.engine.cache import Cache


def key(cache: Cache) -> str:
    return cache.fingerprint("settings", frozenset({"BDR001"}), "catalog")


def test_an_edited_rule_module_changes_the_key(tmp_path, monkeypatch):
    cache = Cache(tmp_path)
    before = key(cache)
    cache_module.code_version.cache_clear()
    monkeypatch.setattr(cache_module, "code_version", lambda: "another build of the same version")
    assert key(cache) != before


def test_the_code_version_reads_the_installed_package():
    cache_module.code_version.cache_clear()
    version = cache_module.code_version()
    assert version == cache_module.code_version() and len(version) == 16
    assert (Path(cache_module.__file__).resolve().parent.parent / "rules" / "model_ids.py").is_file()
