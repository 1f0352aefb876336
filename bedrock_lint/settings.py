"""Resolved settings for one checked file: rule selection and rule options.

``bedrock_lint.config`` builds these from ``[tool.bedrock-lint]`` and the command line;
everything downstream only reads them.  Settings are frozen and hashable so they can
key the cache and travel to worker processes.
"""

from __future__ import annotations

from functools import lru_cache
from dataclasses import asdict, dataclass, field
from pathlib import Path

# Rule options: config key -> (attribute, type, default).  One table drives config
# validation, documentation and the flake8 option names.
RULE_OPTIONS: dict[str, tuple[str, type | tuple[type, ...], object]] = {
    "min-read-timeout": ("min_read_timeout", (int, float), 300),
    "connect-timeout": ("connect_timeout", (int, float), 10),
    "retry-mode": ("retry_mode", str, "adaptive"),
    "retry-max-attempts": ("retry_max_attempts", int, 5),
    "region-env-var": ("region_env_var", str, "AWS_REGION"),
    "max-system-prompt-tokens": ("max_system_prompt_tokens", int, 4000),
    "profile-geography": ("profile_geography", (str, type(None)), None),
    "small-model": ("small_model", (str, type(None)), None),
    "streaming-max-tokens": ("streaming_max_tokens", int, 4096),
    "small-task-max-tokens": ("small_task_max_tokens", int, 64),
    "oversized-model-tier": ("oversized_model_tier", str, "opus"),
    "catalog": ("catalog", (str, type(None)), None),
}

RETRY_MODES = ("standard", "adaptive")
DEFAULT_LINE_LENGTH = 88  # ruff's and black's default
# Model tiers from small to large (catalog ``tier``); BDR107 flags the configured one and up.
MODEL_TIERS = ("haiku", "sonnet", "opus")


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    # Preview rules (registry.PREVIEW_CODES) are enabled only when this is on.
    preview: bool = False
    # (glob pattern, codes) pairs, patterns relative to ``project_root``.
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    # Seconds of CPU time one file may take (analysis and fixes) before it is reported and skipped.
    file_timeout: float = 10.0
    min_read_timeout: float = 300
    connect_timeout: float = 10
    retry_mode: str = "adaptive"
    retry_max_attempts: int = 5
    region_env_var: str = "AWS_REGION"
    max_system_prompt_tokens: int = 4000
    profile_geography: str | None = None
    small_model: str | None = None
    streaming_max_tokens: int = 4096
    small_task_max_tokens: int = 64
    oversized_model_tier: str = "opus"
    catalog: str | None = None
    # The project's line length (ruff, black or flake8 configuration; code_style.py):
    # lines that fixes write or rewrite are wrapped to it.
    line_length: int = DEFAULT_LINE_LENGTH
    # Where the settings came from (None: defaults only) and the directory that
    # relative patterns are resolved against.
    config_file: str | None = None
    project_root: str = field(default=".")

    def fingerprint(self) -> str:
        """A stable hash of everything that can change findings (for the cache)."""
        return _fingerprint(self)

    @property
    def root(self) -> Path:
        return Path(self.project_root)


@lru_cache(maxsize=64)
def _fingerprint(settings: Settings) -> str:
    import hashlib
    import json

    data = asdict(settings)
    for name in ("config_file", "project_root", "exclude", "extend_exclude", "respect_gitignore", "file_timeout"):
        data.pop(name, None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]
