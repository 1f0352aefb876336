"""Rule documentation generated from the registry: ``bedrock-lint rule CODE``,
``bedrock-lint rules`` and ``docs/rules.md`` (a test keeps the file in sync)."""

from __future__ import annotations

import re

from bedrock_lint.rules.registry import Rule, all_rules, rule_table
from bedrock_lint.settings import RULE_OPTIONS

FIX_WORDS = {"safe": "safe fix", "unsafe": "unsafe fix (applied with --unsafe-fixes or by migrate)", "none": "no fix"}


# A citation of the facts document: "docs/facts.md §1.1, §1.5" (one or more sections).
FACTS_CITATION = re.compile(r"docs/facts\.md((?:,?\s§\d+(?:\.\d+)?)+)")
FACTS_SECTION = re.compile(r"§(\d+(?:\.\d+)?)")


def facts_anchor(section: str) -> str:
    """The anchor of a section of docs/facts.md: §1.1 is ``s1-1``."""
    return "s" + section.replace(".", "-")


def link_facts(text: str, target: str | None) -> str:
    """Citations of docs/facts.md as markdown links to ``target`` (the document's
    address, relative or absolute); with no target the text stays as written."""
    if target is None:
        return text

    def link(match: re.Match) -> str:
        sections = FACTS_SECTION.findall(match.group(1))
        first, *rest = sections
        links = [f"[docs/facts.md §{first}]({target}#{facts_anchor(first)})"]
        links += [f"[§{section}]({target}#{facts_anchor(section)})" for section in rest]
        return ", ".join(links)

    return FACTS_CITATION.sub(link, text)


def rule_markdown(rule: Rule, *, heading_level: int = 1, catalog=None, day=None, facts_target: str | None = None) -> str:
    """The rule's documentation.  With a ``catalog``, rules that use catalog facts list
    them; with a ``day`` too, lifecycle statuses are computed for that day.  With a
    ``facts_target``, citations of docs/facts.md become links to it."""
    hashes = "#" * heading_level
    sub = "#" * (heading_level + 1)
    lines = [
        f"{hashes} {rule.code} {rule.name}",
        "",
        f"Severity: **{rule.severity.value}** · Fix: {FIX_WORDS[rule.fix]} · {default_words(rule)}",
        "",
        f"{sub} What it does",
        "",
        rule.summary + ".",
        "",
        f"{sub} Why is this bad?",
        "",
        link_facts(rule.why, facts_target),
        "",
    ]
    if rule.known_problems:
        lines += [f"{sub} Known problems", "", link_facts(rule.known_problems, facts_target), ""]
    lines += [f"{sub} Example", "", "```python", rule.bad.rstrip(), "```", "", f"{sub} Use instead", "", "```python", rule.good.rstrip(), "```", ""]
    if rule.options:
        lines += [f"{sub} Options", ""]
        for option in rule.options:
            default = RULE_OPTIONS[option][2]
            lines.append(f"- `{option}` (default `{default}`), in `[tool.bedrock-lint]`")
        lines.append("")
    if rule.fix != "none":
        lines += [f"{sub} Fix safety", "", link_facts(rule.fix_safety, facts_target) or FIX_WORDS[rule.fix], ""]
    if rule.facts is not None and catalog is not None:
        origin = "the packaged catalog" if catalog.origin == "(packaged)" else f"the catalog {catalog.origin}"
        when = f", statuses as of {day}" if day is not None else ""
        lines += [
            f"{sub} Catalog facts",
            "",
            f"From {origin} (verified {catalog.verified}{when}; `bedrock-lint models` lists it all).",
            "",
            link_facts(rule.facts(catalog, day), facts_target),
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def rules_table() -> str:
    """``bedrock-lint rules``, from the generated table (no rule module is imported)."""
    rows = [("Code", "Name", "Severity", "Fix", "Default")]
    for rule in sorted(rule_table().values(), key=lambda r: r.code):
        rows.append((rule.code, rule.name, rule.severity.value, rule.fix, default_column(rule)))
    return aligned_table(rows)


def default_words(rule: Rule) -> str:
    default = "On by default" if rule.default_enabled else "Off by default (select it to enable)"
    if rule.preview:
        return f"Preview rule: off unless `--preview` or `preview = true`, then {default[0].lower()}{default[1:]}"
    return default


def default_column(rule: Rule) -> str:
    """``on``, ``off``, or ``preview`` (on by default once preview is on)."""
    if rule.preview:
        return "preview" if rule.default_enabled else "preview, off"
    return "on" if rule.default_enabled else "off"


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
            f"{default_column(rule)} | {rule.summary} |"
        )
    lines.append("")
    for rule in rules:
        lines.append(rule_markdown(rule, heading_level=2, catalog=catalog, facts_target="facts.md"))
    return "\n".join(lines).rstrip() + "\n"


def rule_table_module() -> str:
    """The whole of ``bedrock_lint/rules/table.py``: every rule's metadata and
    documentation as literals, read where the rule modules (and libcst) are not needed:
    every field of its Rule but the code (the key) and the two functions, of which the
    table records whether the rule has catalog facts."""
    from dataclasses import fields

    names = [field.name for field in fields(Rule) if field.name not in ("code", "check", "facts")]
    lines = [
        '"""Every rule\'s metadata and documentation, as data (``registry.rule_table``).',
        "",
        "Generated from the rule registry by `python scripts/generate_docs.py`; do not edit by hand",
        "(tests/test_registry.py checks it).  Selecting rules and reporting findings the cache",
        "answered read it instead of importing the rule modules, which import libcst.",
        '"""',
        "",
        "RULES = {",
    ]
    for rule in all_rules():
        lines.append(f"    {rule.code!r}: {{")
        for name in names:
            value = getattr(rule, name)
            lines.append(f"        {name!r}: {(value.value if name == 'severity' else value)!r},")
        lines.append(f"        'catalog_facts': {rule.facts is not None!r},")
        lines.append("    },")
    lines.append("}")
    return "\n".join(lines) + "\n"


def libraries_document() -> str:
    """The whole of ``docs/libraries.md``: the library entry points bedrock-lint
    recognises, from the table in ``analysis/entry_points.py``."""
    from bedrock_lint.analysis.entry_points import ENTRY_POINTS, SESSION_ENTRY_POINTS

    def code(items) -> str:
        return ", ".join(f"`{item}`" for item in items) or "–"

    lines = [
        "# Bedrock through libraries",
        "",
        "<!-- Generated from bedrock_lint/analysis/entry_points.py by `python scripts/generate_docs.py`; do not edit by hand. -->",
        "",
        "bedrock-lint recognises these entry points (however imported or aliased) and runs the model-id rules",
        "(BDR101–BDR108) on their model ids, the client rules (BDR001–BDR003) where the library exposes a",
        "timeout, a botocore Config, retries or a region, BDR201 on thinking passed through, and BDR305 on",
        "the library's caching form. A library prefix (`bedrock/`, `bedrock/converse/`, `bedrock:`) is",
        "stripped for the catalog lookup and kept by fixes. Each row was read from the package named in",
        "it; the tool never imports these packages. Adding a library is adding a row to the table.",
        "",
        "| Entry point | Library (source) | Model argument | API | Config / timeout (own default) | Region | Thinking | Caching |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in (*ENTRY_POINTS, *SESSION_ENTRY_POINTS):
        models = []
        for argument in row.model:
            where = argument.keyword or f"argument {argument.position}"
            if argument.path:
                where += "".join("[*]" if key == "*" else f'["{key}"]' for key in argument.path)
            where = f"`{where}`"
            if argument.position is not None and argument.keyword:
                where += f" (or argument {argument.position})"
            if argument.prefixes:
                where += ", spelled " + " / ".join(f"`{p}…`" for p in argument.prefixes)
            models.append(where)
        if row.model_methods:
            models.append(f"`{row.method_model_keyword}` of " + code(row.model_methods))
        if row in SESSION_ENTRY_POINTS:
            models.append("`modelId` of the client's operations")
        config = []
        if row.config_keyword:
            config.append(f"`{row.config_keyword}`")
        if row.timeout is not None:
            default = f"{row.timeout.default:g} s" if row.timeout.default is not None else "botocore's 60 s"
            names = code(row.timeout.keywords) if row.timeout.keywords else "read timeout"
            config.append(f"{names} ({default})")
        if row.retries is not None and row.retries.keyword:
            config.append(f"`{row.retries.keyword}`")
        thinking = [
            (f"`{container}[\"{key}\"]`" if container else f"`{key}=`")
            for container, key in row.fields.get("thinking", ())
        ]
        if row.model_methods or row in SESSION_ENTRY_POINTS:
            thinking.append("in the request (as for boto3)")
        caching = [f"`{option.keyword}`" for option in row.caching]
        if row.routes:
            api = "; ".join(f"`{prefix}…` {name or 'chosen by the library'}" for prefix, name in row.routes)
        elif row.model_methods:
            api = "Messages (InvokeModel)"
        elif row in SESSION_ENTRY_POINTS:
            api = "as called"
        else:
            api = {"converse": "Converse", "invoke": "InvokeModel"}.get((row.api or "").rsplit("-", 1)[-1], "–")
        lines.append(
            f"| `{row.name}` | {row.library} ({row.package}) | {', '.join(models) or '–'} | {api} | "
            f"{'; '.join(config) or '–'} | {code(row.region_keywords)} | {', '.join(thinking) or '–'} | "
            f"{', '.join(caching) or '–'} |"
        )
    lines += [
        "",
        "Not judged yet (no sourced fact, or no request to read): LiteLLM and pydantic-ai retry settings,",
        "pydantic-ai thinking and caching settings (`BedrockModelSettings`), LangChain cache points,",
        "missing cache points (BDR302) on library entry points, and the region given to a pydantic-ai",
        "`BedrockProvider` is not linked to the `BedrockConverseModel` that uses it.",
    ]
    return "\n".join(lines) + "\n"
