"""The rule registry: every rule's metadata lives next to its check function.

A rule module declares rules with the :func:`rule` decorator.  The registry is the
single source for ``bedrock-lint rule``, ``bedrock-lint rules``, ``docs/rules.md``
and the example tests, so a rule cannot ship without documentation and proof.

``scripts/generate_docs.py`` writes the registered metadata to ``rules/table.py`` as
data (a test keeps it equal to the registry): :func:`rule_table` gives the same rules
without importing the rule modules, for what needs no check function — rule selection,
the report of findings the cache answered, ``bedrock-lint rules``.
"""

from __future__ import annotations

import importlib
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from bedrock_lint.findings import Severity
from bedrock_lint.rules.table import RULES

if TYPE_CHECKING:
    from bedrock_lint.analysis.sites import ModuleIndex
    from bedrock_lint.rules.report import Report
    from bedrock_lint.settings import Settings

# Rule families, one module each.  Only modules listed here are loaded.
RULE_MODULES = (
    "bedrock_lint.rules.syntax",
    "bedrock_lint.rules.client",
    "bedrock_lint.rules.credentials",
    "bedrock_lint.rules.model_ids",
    "bedrock_lint.rules.request_shape",
    "bedrock_lint.rules.caching",
    "bedrock_lint.rules.responses",
    "bedrock_lint.rules.compatibility",
    "bedrock_lint.rules.compatibility_turns",
    "bedrock_lint.rules.suppressions",
)

# Every implemented code and whether it is on by default, and the preview rules: new
# rules that stay off, whatever the selection, unless preview is on (``--preview``,
# ``preview = true``), so that an upgrade never turns a green CI red without the user
# opting in.  Both come from the generated table (rules/table.py), so that rule selection
# never imports the rule modules (and libcst, ~0.25 s).
RULE_CODES: dict[str, bool] = {code: row["default_enabled"] for code, row in RULES.items()}
PREVIEW_CODES: frozenset[str] = frozenset(code for code, row in RULES.items() if row["preview"])

DOCS_URL = "https://github.com/bedrock-lint/bedrock-lint/blob/main/docs/rules.md#{anchor}"
# The facts the rules rest on, with their sources.  Rule documentation cites them as
# ``docs/facts.md §1.1``; docs.link_facts turns that into links to the section's anchor.
FACTS_URL = "https://github.com/bedrock-lint/bedrock-lint/blob/main/docs/facts.md"

CheckFunction = Callable[["ModuleIndex", "Settings"], Iterable["Report"]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    why: str
    bad: str
    good: str
    fix: str  # "safe", "unsafe" or "none"
    fix_safety: str
    check: CheckFunction | None
    default_enabled: bool = True
    known_problems: str = ""
    options: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    # When the rule reports through the engine rather than the index (BDR000).
    engine_rule: bool = False
    # The catalog facts the rule uses, as markdown: facts(catalog, day) where day is the
    # date statuses are computed for, or None for date-independent facts only.
    facts: Callable[..., str] | None = None
    # Its fix removes what other rules' fixes read (a literal region): in a fix run it is
    # applied only once no other rule's fix applies.
    fix_applied_last: bool = False
    # Off unless preview is on (PREVIEW_CODES).
    preview: bool = False
    # For a security rule, GitHub code scanning's ``security-severity`` (a CVSS-like
    # score from "0.0" to "10.0"), given in SARIF.
    security_severity: str | None = None

    @property
    def url(self) -> str:
        return DOCS_URL.format(anchor=f"{self.code.lower()}-{self.name}")


_RULES: dict[str, Rule] = {}
# Where each code's check function is defined ("module.qualname").
_ORIGINS: dict[str, str] = {}


def rule(
    *,
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    why: str,
    bad: str,
    good: str,
    fix: str = "none",
    fix_safety: str = "",
    default_enabled: bool = True,
    known_problems: str = "",
    options: tuple[str, ...] = (),
    references: tuple[str, ...] = (),
    engine_rule: bool = False,
    facts: Callable[..., str] | None = None,
    fix_applied_last: bool = False,
    preview: bool = False,
    security_severity: str | None = None,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a rule; used as a decorator on its check function."""
    if fix not in ("safe", "unsafe", "none"):
        raise ValueError(f"{code}: fix must be safe, unsafe or none, not {fix!r}")

    def register(check: CheckFunction) -> CheckFunction:
        origin = f"{check.__module__}.{check.__qualname__}"
        # The same function again is its module imported again after an import that
        # was interrupted (the per-file timer, Ctrl-C) between two of its rules.
        if code in _RULES and _ORIGINS[code] != origin:
            raise ValueError(f"rule {code} registered twice")
        _ORIGINS[code] = origin
        _RULES[code] = Rule(
            code=code,
            name=name,
            severity=severity,
            summary=summary,
            why=textwrap.dedent(why).strip(),
            bad=textwrap.dedent(bad).strip() + "\n",
            good=textwrap.dedent(good).strip() + "\n",
            fix=fix,
            fix_safety=textwrap.dedent(fix_safety).strip(),
            check=None if engine_rule else check,
            default_enabled=default_enabled,
            known_problems=textwrap.dedent(known_problems).strip(),
            options=options,
            references=references,
            engine_rule=engine_rule,
            facts=facts,
            fix_applied_last=fix_applied_last,
            preview=preview,
            security_severity=security_severity,
        )
        return check

    return register


_loaded = False


def load_rules() -> None:
    """Import every rule module (once).  The engine calls it before a file's time limit
    starts, so that the timer never fires inside an import."""
    _load()


def _load() -> None:
    # A flag, not "no rule registered yet": importing one rule module directly (a test
    # calling a rule's helper) must not hide the other modules' rules.
    global _loaded
    if not _loaded:
        for module in RULE_MODULES:
            importlib.import_module(module)
        _loaded = True


def all_rules() -> list[Rule]:
    _load()
    return sorted(_RULES.values(), key=lambda r: r.code)


def get_rule(code: str) -> Rule | None:
    _load()
    return _RULES.get(code.upper())


_table: dict[str, Rule] | None = None


def rule_table() -> dict[str, Rule]:
    """Every rule by code, from the generated table: the registered metadata without
    the check functions and the catalog facts (``check`` and ``facts`` are None)."""
    global _table
    if _table is None:
        _table = {}
        for code, row in RULES.items():
            fields = {name: value for name, value in row.items() if name != "catalog_facts"}
            fields["severity"] = Severity(row["severity"])
            _table[code] = Rule(code=code, check=None, facts=None, **fields)
    return _table


def documented_rule(code: str) -> Rule | None:
    """The rule as its documentation page shows it: from the table, unless the page
    lists catalog facts (a function of the rule's module)."""
    row = RULES.get(code.upper())
    if row is None:
        return None
    return get_rule(code) if row["catalog_facts"] else rule_table()[code.upper()]


def iter_checks(enabled: frozenset[str]) -> Iterator[Rule]:
    for item in all_rules():
        if item.check is not None and item.code in enabled:
            yield item
