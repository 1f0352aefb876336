"""Which model catalog is in use, and the day lifecycle statuses are computed for.

What the findings cache's key needs (``engine.cache.catalog_version``), apart from the
catalog itself (``catalog.models``): a run whose files the cache answers does not load
or even import the catalog.
"""

from __future__ import annotations

import datetime
from pathlib import Path

USER_CATALOG = "claude_models.json"
APP_NAME = "bedrock-lint"


def today() -> datetime.date:
    """The day lifecycle judgements are made for (tests replace ``catalog.models.today``,
    which the catalog calls)."""
    return datetime.date.today()


def user_catalog_path() -> Path:
    """Where ``bedrock-lint models --refresh`` writes the user-level catalog."""
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False) / USER_CATALOG


def catalog_location(configured: str | None = None) -> Path | None:
    """The catalog file in use: the configured one, else the user-level one if it
    exists, else None (the packaged catalog)."""
    if configured:
        return Path(configured)
    user = user_catalog_path()
    return user if user.is_file() else None
