"""Rule documentation cites only what a user has: files in this repository and sections
of docs/facts.md that exist (issue 19, item 3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bedrock_lint.docs import rule_markdown, rules_document
from bedrock_lint.output.sarif import rule_documentation
from bedrock_lint.rules.registry import FACTS_URL, all_rules

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FACTS = DOCS / "facts.md"

# A file path: "something.md", "path/to/x.py", "../x.json".
FILE_PATH = re.compile(r"(?<![\w/.:-])((?:\.\.?/)*[\w-][\w.-]*(?:/[\w.-]+)*\.(?:md|py|json|toml|ya?ml|txt|cfg|ini|gz))(?![\w/])")
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
SECTION = re.compile(r"§(\d+(?:\.\d+)?)")


def facts_anchors() -> set[str]:
    return set(re.findall(r'<a id="([^"]+)"></a>', FACTS.read_text(encoding="utf-8")))


def citation_problems(text: str, *, base: Path = ROOT) -> list[str]:
    """What in ``text`` points at nothing a user of the repository has: a path outside
    it, a file it does not contain, or a section of docs/facts.md that does not exist.
    Relative paths are read from the repository root or from ``base``."""
    anchors = facts_anchors()
    problems = []
    if "../" in text:
        problems.append("a path leaving the repository (../)")
    for target in MARKDOWN_LINK.findall(text):
        if target.startswith(FACTS_URL + "#"):
            anchor = target.split("#", 1)[1]
            if anchor not in anchors:
                problems.append(f"link to a missing section of docs/facts.md: {target}")
            continue
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue  # a web address or an anchor in the same document
        path, _, anchor = target.partition("#")
        where = [(ROOT / path), (base / path)]
        if not any(candidate.exists() for candidate in where):
            problems.append(f"link to a file not in the repository: {target}")
        elif anchor and any(candidate.resolve() == FACTS for candidate in where) and anchor not in anchors:
            problems.append(f"link to a missing section of docs/facts.md: {target}")
    for path in FILE_PATH.findall(text):
        if not ((ROOT / path).exists() or (base / path).exists()):
            problems.append(f"cites a file not in the repository: {path}")
    for section in SECTION.findall(text):
        if "s" + section.replace(".", "-") not in anchors:
            problems.append(f"cites §{section}, which docs/facts.md does not have")
    return problems


def documentation_texts(rule) -> dict[str, str]:
    texts = {
        "summary": rule.summary,
        "why": rule.why,
        "known_problems": rule.known_problems,
        "fix_safety": rule.fix_safety,
        "references": "\n".join(rule.references),
        "page": rule_markdown(rule),
    }
    texts["sarif help.text"], texts["sarif help.markdown"] = rule_documentation(rule)
    return texts


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.code)
def test_rule_documentation_cites_only_the_repository(rule):
    problems = {field: citation_problems(text) for field, text in documentation_texts(rule).items()}
    assert not {field: found for field, found in problems.items() if found}


def test_rules_md_cites_only_the_repository():
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    assert text == rules_document(), "run: python scripts/generate_docs.py"
    assert citation_problems(text, base=DOCS) == []
    # The facts are linked from the rules, relatively, as the document is read in place.
    assert "](facts.md#s1-1)" in text


def test_facts_document_keeps_its_section_numbers():
    """Every numbered heading of docs/facts.md carries the anchor the rules link to."""
    lines = FACTS.read_text(encoding="utf-8").splitlines()
    headings = [(i, m.group(1)) for i, line in enumerate(lines) if (m := re.match(r"#{2,3} (\d+(?:\.\d+)?)\.? ", line))]
    assert len(headings) >= 30
    for i, number in headings:
        assert lines[i - 2] == f'<a id="s{number.replace(".", "-")}"></a>', (number, lines[i - 2])


@pytest.mark.parametrize(
    "text",
    [
        "Source: bedrock-facts.md §1.1.",
        "Source: ../shared/reference/bedrock-facts.md §1.1.",
        "Source: docs/facts.md §99.1.",
        "Source: docs/facts.md §1.1, §8.",
        "read from `analysis/entry_points.py`",
        "see [the facts](facts.md#s42)",
        f"see [the facts]({FACTS_URL}#nowhere)",
        "see [the notes](notes/missing.md)",
    ],
)
def test_a_bad_citation_is_found(text):
    assert citation_problems(text, base=DOCS)


@pytest.mark.parametrize(
    "text",
    [
        "Source: docs/facts.md §1.1, §1.5; the model catalog.",
        "see [facts.md §4.3](facts.md#s4-3) and docs/libraries.md",
        f"see [facts.md §2.4]({FACTS_URL}#s2-4), <https://docs.aws.amazon.com/bedrock/latest/userguide/quotas.html>",
        "count from `bedrock_lint/analysis/prompts.py`",
    ],
)
def test_a_good_citation_passes(text):
    assert citation_problems(text, base=DOCS) == []
