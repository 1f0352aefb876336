"""Which rule codes are enabled, from select / extend-select / ignore lists.

Prefixes are allowed (``BDR1``, ``BDR20``) and ``ALL`` means every rule.  As in ruff,
the most specific matching entry wins, so ``--select BDR107 --ignore BDR1`` keeps
BDR107.  With no ``select``, the rules that are on by default are selected.  Preview
rules (``registry.PREVIEW_CODES``) are enabled only with ``preview``.
"""

from __future__ import annotations

from typing import Iterable

from bedrock_lint.rules.registry import PREVIEW_CODES, RULE_CODES


class UnknownRuleCodeError(ValueError):
    pass


def normalise_selector(selector: str) -> str:
    value = selector.strip().upper()
    return "BDR" if value == "ALL" else value


def validate_selectors(selectors: Iterable[str]) -> list[str]:
    """Return normalised selectors; raise UnknownRuleCodeError for one that matches no rule."""
    codes = list(RULE_CODES)
    result = []
    for selector in selectors:
        value = normalise_selector(selector)
        if not value or not any(code.startswith(value) for code in codes):
            raise UnknownRuleCodeError(selector)
        result.append(value)
    return result


def enabled_codes(
    select: Iterable[str], extend_select: Iterable[str], ignore: Iterable[str], preview: bool = False
) -> frozenset[str]:
    select = [normalise_selector(s) for s in select]
    extend = [normalise_selector(s) for s in extend_select]
    ignore = [normalise_selector(s) for s in ignore]
    enabled = set()
    for code, on_by_default in RULE_CODES.items():
        if code in PREVIEW_CODES and not preview:
            continue
        best_length, best_on = -1, False
        if not select:
            best_length, best_on = 0, on_by_default
        for prefix in (*select, *extend):
            if code.startswith(prefix) and len(prefix) > best_length:
                best_length, best_on = len(prefix), True
        for prefix in ignore:
            if code.startswith(prefix) and len(prefix) >= best_length:
                best_length, best_on = len(prefix), False
        if best_on:
            enabled.add(code)
    return frozenset(enabled)
