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


def test_the_key_of_the_api_surface_changes_with_the_service_models_it_is_read_from(tmp_path, monkeypatch):
    """The cache keys findings on where the Bedrock Runtime surface is read from (not on
    the surface itself, which a warm run does not build): a newer service model on
    ``AWS_DATA_PATH``, as botocore's loader finds it, changes the key; an unrelated file
    does not."""
    import importlib.util
    import sys

    import pytest

    from bedrock_lint.catalog.botocore_surface import SNAPSHOT, surface_key

    if importlib.util.find_spec("botocore") is None:
        pytest.skip("botocore not installed")
    monkeypatch.setenv("AWS_DATA_PATH", str(tmp_path))
    before = surface_key()
    assert surface_key() == before
    (tmp_path / "bedrock-runtime" / "2099-01-01").mkdir(parents=True)
    (tmp_path / "bedrock-runtime" / "2099-01-01" / "notes.txt").write_text("not a model")
    assert surface_key() == before
    model = tmp_path / "bedrock-runtime" / "2099-01-01" / "service-2.json"
    model.write_text("{}")
    with_model = surface_key()
    assert with_model != before
    model.write_text('{"metadata": {}}')
    assert surface_key() != with_model
    monkeypatch.setitem(sys.modules, "botocore", None)  # as when it cannot be imported
    assert surface_key() == SNAPSHOT
