"""``bedrock-lint models``: the Claude model catalog in use, as a table or as JSON.

The catalog in use is chosen as ``check`` chooses it: ``--catalog PATH``, else the
``catalog`` setting of ``--config F`` or of the nearest configuration file above the
current directory, else the user-level catalog written by ``--refresh``, else the
packaged one.  ``--refresh`` first rebuilds the user-level catalog from the Bedrock
control plane (:mod:`bedrock_lint.catalog.refresh`); it writes only after every call in
every region succeeded.  The catalog's origin goes to stderr with ``--format json``, so
stdout stays one JSON array.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import click

from bedrock_lint import __version__
from bedrock_lint.catalog.models import Catalog, ClaudeModel

EXIT_OK, EXIT_ERROR = 0, 2


@dataclass(frozen=True)
class CatalogChoice:
    """A configured catalog file (None: user-level or packaged) and where it was named."""

    path: str | None
    named_by: str | None


def run_models(options: dict) -> int:
    from bedrock_lint.catalog.models import CatalogError, catalog_location, load_catalog
    from bedrock_lint.config import ConfigError

    if options["regions"] and not options["refresh"]:
        click.echo("error: --region is used with --refresh only", err=True)
        return EXIT_ERROR
    try:
        choice = _configured_catalog(options.get("catalog_file"), options.get("config_file"))
    except ConfigError as error:
        click.echo(f"error: {error}", err=True)
        return EXIT_ERROR
    if options["refresh"]:
        code = _refresh(list(dict.fromkeys(options["regions"])))
        if code != EXIT_OK:
            return code
        if choice.path is not None:
            click.echo(
                f"note: the catalog in use is {choice.path} ({choice.named_by}); it takes precedence over the refreshed one",
                err=True,
            )
    try:
        catalog = load_catalog(choice.path)
    except CatalogError as error:
        click.echo(f"error: {error}", err=True)
        return EXIT_ERROR
    origin = catalog_origin(catalog, catalog_location(choice.path), choice)
    if options["output_format"] == "json":
        click.echo(origin, err=True)
        click.echo(models_json(catalog))
    else:
        click.echo(origin)
        click.echo(models_table(catalog), nl=False)
    return EXIT_OK


def _configured_catalog(catalog_file: str | None, config_file: str | None) -> CatalogChoice:
    from bedrock_lint.config import ConfigError, SettingsResolver

    if catalog_file:
        if not os.path.isfile(catalog_file):
            raise ConfigError(f"--catalog: {catalog_file}: no such file", key="--catalog")
        return CatalogChoice(os.path.abspath(catalog_file), "--catalog")
    if config_file and not os.path.isfile(config_file):
        raise ConfigError(f"--config: {config_file}: no such file", key="--config")
    cwd = Path.cwd()
    resolver = SettingsResolver(config_file=Path(config_file) if config_file else None, cwd=cwd)
    settings = resolver.settings_for_directory(cwd)
    if settings.catalog:
        return CatalogChoice(settings.catalog, f"the catalog setting in {settings.config_file}")
    return CatalogChoice(None, None)


def catalog_origin(catalog: Catalog, location: Path | None, choice: CatalogChoice) -> str:
    """One line saying which catalog is shown."""
    if location is None:
        text = f"catalog: packaged with bedrock-lint {__version__} (verified {catalog.verified})"
    elif choice.path is not None:
        text = f"catalog: {location} (from {choice.named_by})"
    else:
        text = f"catalog: {location} (the user catalog written by bedrock-lint models --refresh)"
    if catalog.refreshed:
        regions = ", ".join(catalog.refreshed.get("regions") or ())
        text += f"; refreshed {catalog.refreshed.get('date')} from {regions}"
    return text


# --------------------------------------------------------------------------- rendering


def model_summary(model: ClaudeModel) -> dict:
    """The public JSON object of one model (stable keys; new ones are added at the end)."""
    from bedrock_lint.catalog.models import today

    status = model.status(today())
    return {
        "id": model.id,
        "tier": model.tier,
        "status": status,
        "status_uncertain": model.status_uncertain(status),
        "legacy_date": model.legacy_date.isoformat() if model.legacy_date else None,
        "eol_date": model.eol_date.isoformat() if model.eol_date else None,
        "successor": model.successor_id,
        "profiles": list(model.profiles),
        "requires_inference_profile": model.requires_inference_profile,
        "sources": list(model.sources),
        "verified": model.verified,
        "eol_no_sooner_than": model.eol_no_sooner_than.isoformat() if model.eol_no_sooner_than else None,
        "max_output_tokens": model.max_output_tokens,
        "max_output_tokens_certain": model.max_output_tokens_certain,
        "min_cache_tokens": model.min_cache_tokens,
        "context_window": model.context_window,
        "uncertain": sorted(model.uncertain),
        "context_variants": list(model.context_variants),
        "context_variants_uncertain": model.context_variants_uncertain,
        "constraints": model.constraints.as_json() if model.constraints is not None else None,
    }


def models_json(catalog: Catalog) -> str:
    return json.dumps([model_summary(model) for model in catalog.models.values()], indent=2, ensure_ascii=False)


def models_table(catalog: Catalog) -> str:
    from bedrock_lint.docs import aligned_table

    rows = [("Id", "Tier", "Status", "EOL date", "Successor", "Profiles")]
    for model in catalog.models.values():
        summary = model_summary(model)
        status = summary["status"] or "unknown"
        if summary["status_uncertain"]:
            status += " (uncertain)"
        rows.append(
            (
                model.id,
                model.tier or "–",
                status,
                summary["eol_date"] or "–",
                model.successor_id or "–",
                " ".join(model.profiles) or "–",
            )
        )
    return aligned_table(rows)


# --------------------------------------------------------------------------- refresh


def _refresh(regions: list[str]) -> int:
    """Rebuild the user-level catalog; messages go to stderr."""
    from bedrock_lint.catalog import refresh
    from bedrock_lint.catalog.location import user_catalog_path
    from bedrock_lint.catalog.models import CatalogError, packaged_catalog_text, parse_catalog, today

    try:
        session = refresh.aws_session()
        if not regions:
            region = refresh.default_region(session)
            if not region:
                raise refresh.RefreshError(
                    "no AWS region is configured; pass --region REGION (repeat it for several) or set AWS_REGION"
                )
            regions = [region]
        listings = refresh.fetch_listings(regions, lambda region: refresh.bedrock_client(session, region))
    except refresh.RefreshError as error:
        click.echo(f"error: models --refresh: {error}; the model catalog was not changed", err=True)
        return EXIT_ERROR
    result = refresh.merge_listings(json.loads(packaged_catalog_text()), listings, today())
    target = user_catalog_path()
    try:
        # The written file must load; a merge bug must not leave a catalog that breaks `check`.
        parse_catalog(refresh.catalog_text(result.data), str(target))
        refresh.write_catalog(result.data, target)
    except (CatalogError, OSError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        click.echo(f"error: models --refresh: cannot write {target}: {reason}; the model catalog was not changed", err=True)
        return EXIT_ERROR
    for line in refresh_summary(result, regions, target):
        click.echo(line, err=True)
    return EXIT_OK


def refresh_summary(result, regions: list[str], target: Path) -> list[str]:
    from bedrock_lint.catalog.refresh import OPERATIONS

    lines = [f"refreshed the model catalog from {OPERATIONS} in {', '.join(regions)}"]
    if result.added:
        lines.append(f"  new models (only id, profiles and lifecycle known): {', '.join(result.added)}")
    for model_id, prefixes in result.profiles_added.items():
        lines.append(f"  new profiles for {model_id}: {' '.join(prefixes)}")
    lines.append(f"  lifecycle reported by the API for {len(result.lifecycle_reported)} models")
    lines.append(f"wrote {target}")
    return lines
