"""Rule documentation generated from the registry: ``bedrock-lint rule CODE``,
``bedrock-lint rules`` and ``docs/rules.md`` (a test keeps the file in sync)."""

from __future__ import annotations

from bedrock_lint.rules.registry import Rule, all_rules
from bedrock_lint.settings import RULE_OPTIONS

FIX_WORDS = {"safe": "safe fix", "unsafe": "unsafe fix (applied with --unsafe-fixes or by migrate)", "none": "no fix"}


def rule_markdown(rule: Rule, *, heading_level: int = 1, catalog=None, day=None) -> str:
    """The rule's documentation.  With a ``catalog``, rules that use catalog facts list
    them; with a ``day`` too, lifecycle statuses are computed for that day."""
    hashes = "#" * heading_level
    sub = "#" * (heading_level + 1)
    lines = [
        f"{hashes} {rule.code} {rule.name}",
        "",
        f"Severity: **{rule.severity.value}** · Fix: {FIX_WORDS[rule.fix]} · "
        f"{'On by default' if rule.default_enabled else 'Off by default (select it to enable)'}",
        "",
        f"{sub} What it does",
        "",
        rule.summary + ".",
        "",
        f"{sub} Why is this bad?",
        "",
        rule.why,
        "",
    ]
    if rule.known_problems:
        lines += [f"{sub} Known problems", "", rule.known_problems, ""]
    lines += [f"{sub} Example", "", "```python", rule.bad.rstrip(), "```", "", f"{sub} Use instead", "", "```python", rule.good.rstrip(), "```", ""]
    if rule.options:
        lines += [f"{sub} Options", ""]
        for option in rule.options:
            default = RULE_OPTIONS[option][2]
            lines.append(f"- `{option}` (default `{default}`), in `[tool.bedrock-lint]`")
        lines.append("")
    if rule.fix != "none":
        lines += [f"{sub} Fix safety", "", rule.fix_safety or FIX_WORDS[rule.fix], ""]
    if rule.facts is not None and catalog is not None:
        origin = "the packaged catalog" if catalog.origin == "(packaged)" else f"the catalog {catalog.origin}"
        when = f", statuses as of {day}" if day is not None else ""
        lines += [
            f"{sub} Catalog facts",
            "",
            f"From {origin} (verified {catalog.verified}{when}; `bedrock-lint models` lists it all).",
            "",
            rule.facts(catalog, day),
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def rules_table() -> str:
    rows = [("Code", "Name", "Severity", "Fix", "Default")]
    for rule in all_rules():
        rows.append((rule.code, rule.name, rule.severity.value, rule.fix, "on" if rule.default_enabled else "off"))
    return aligned_table(rows)


def aligned_table(rows: list[tuple[str, ...]]) -> str:
    """Plain-text columns for the terminal: the first row is the header, underlined."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def rules_document() -> str:
    """The whole of ``docs/rules.md``."""
    from bedrock_lint.catalog.models import packaged_catalog_text, parse_catalog

    # The packaged catalog and no day: the document must not change with the date.
    catalog = parse_catalog(packaged_catalog_text(), "(packaged)")
    rules = all_rules()
    lines = [
        "# bedrock-lint rules",
        "",
        "<!-- Generated from the rule registry by `python scripts/generate_docs.py`; do not edit by hand. -->",
        "",
        "| Code | Name | Severity | Fix | Default | Summary |",
        "|---|---|---|---|---|---|",
    ]
    for rule in rules:
        anchor = f"{rule.code.lower()}-{rule.name}"
        lines.append(
            f"| [{rule.code}](#{anchor}) | {rule.name} | {rule.severity.value} | {rule.fix} | "
            f"{'on' if rule.default_enabled else 'off'} | {rule.summary} |"
        )
    lines.append("")
    for rule in rules:
        lines.append(rule_markdown(rule, heading_level=2, catalog=catalog))
    return "\n".join(lines).rstrip() + "\n"
