"""Prompt text resolution, the token estimate, and the validity of fixed cache layouts."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import libcst as cst
import pytest

from bedrock_lint.analysis.index import build_index
from bedrock_lint.analysis.prompts import estimate_tokens, resolve_text
from bedrock_lint.analysis.requests import requests_of
from bedrock_lint.analysis.values import DictValue, ListValue, Literal
from tests.fixture_support import RULE_FIXTURES

SAMPLES = Path(__file__).resolve().parent / "data" / "token_samples"

# Reference counts: the Claude tokenizer published with the Anthropic Python SDK
# (anthropic 0.37.1, file anthropic/tokenizer.json, read with the `tokenizers` package:
# len(Tokenizer.from_file(...).encode(text).ids)), counted on 2026-11-23 for the sample
# texts in tests/data/token_samples/ (written for this test).  Newer Claude models
# tokenize differently (up to ~35 % more for Opus 4.7 is said; that figure is not among
# the sourced facts of docs/facts.md).
REFERENCE_COUNTS = {
    "english.txt": 158,
    "code_python.txt": 255,
    "tools_json.txt": 236,
    "markdown.txt": 188,
    "mixed.txt": 180,
}


@pytest.mark.parametrize(("name", "reference"), sorted(REFERENCE_COUNTS.items()))
def test_token_estimate_is_within_15_percent_of_the_reference(name, reference):
    estimate = estimate_tokens((SAMPLES / name).read_text(encoding="utf-8"))
    assert abs(estimate - reference) / reference <= 0.15, (name, estimate, reference)


def test_token_estimate_is_deterministic_and_grows_with_text():
    text = (SAMPLES / "english.txt").read_text(encoding="utf-8")
    assert estimate_tokens(text) == estimate_tokens(text)
    assert estimate_tokens(text * 2) > estimate_tokens(text)
    assert estimate_tokens("") == 0


def text_of(code: str, expression: str, path: Path | None = None):
    index = build_index(cst.parse_module(code), code, "check.py", path=path)
    return resolve_text(index, cst.parse_expression(expression), index.module_scope)


@pytest.mark.parametrize(
    ("code", "expression", "static", "known"),
    [
        ('P = "Be brief."\n', "P", True, "Be brief."),
        ('P = ("Be " "brief.")\n', "P", True, "Be brief."),
        ('A = "Be "\nP = A + "brief."\n', "P", True, "Be brief."),
        ('P = "ab" * 3\n', "P", True, "ababab"),
        ('import textwrap\nP = textwrap.dedent("""\n    Be brief.\n    """)\n', "P", True, "\nBe brief.\n"),
        ('P = "\\n".join(["a", "b"])\n', "P", True, "a\nb"),
        ('P = "Hi {name}!".format(name=x)\n', "P", False, "Hi !"),
        ('P = "  a  ".strip()\n', "P", True, "a"),
        ('def f(user):\n    return 1\nP = f"Hi {user}."\n', "P", False, "Hi ."),
        ('R = "rules"\nP = f"Use {R}."\n', "P", True, "Use rules."),
        ('import os\nP = os.environ.get("P", "x")\n', "P", False, ""),
        ("P = load()\n", "P", False, ""),
    ],
)
def test_prompt_text_forms(code, expression, static, known):
    text = text_of(code, expression)
    assert text.is_static is static
    assert text.static_text == known


def test_prompt_files_next_to_the_module_are_read(tmp_path):
    (tmp_path / "prompts").mkdir()
    (tmp_path / "prompts" / "system.md").write_text("You are terse.", encoding="utf-8")
    module = tmp_path / "app.py"
    code = (
        "import os\nfrom pathlib import Path\n"
        'A = (Path(__file__).parent / "prompts" / "system.md").read_text(encoding="utf-8")\n'
        'B = open(os.path.join(os.path.dirname(__file__), "prompts", "system.md")).read()\n'
        'with open("prompts/system.md") as handle:\n    C = handle.read()\n'
        'D = (Path(__file__).parent / ".." / "secrets.txt").read_text()\n'
        'E = Path("/etc/passwd").read_text()\n'
    )
    module.write_text(code, encoding="utf-8")
    for name in ("A", "B", "C"):
        text = text_of(code, name, module)
        assert text.static_text == "You are terse." and text.origin.endswith("system.md"), name
    for name in ("D", "E"):  # never above the module's directory, never absolute
        assert not text_of(code, name, module).is_static, name
    assert not text_of(code, "A", None).is_static  # stdin: nothing next to it


# ------------------------------------------------- fixed layouts are valid requests
def _python_value(index, expr, scope):
    """The plain Python value of a literal structure (prompt strings resolved as text)."""
    value = index.resolve(expr, scope)
    if isinstance(value, DictValue):
        return {key: _python_value(index, entry.value, entry.scope) for key, entry in value.entries.items()}
    if isinstance(value, ListValue):
        return [_python_value(index, item, item_scope) for item, item_scope in value.items]
    if isinstance(value, Literal):
        return value.value
    return resolve_text(index, expr, scope).static_text or "text"


@pytest.mark.skipif(importlib.util.find_spec("botocore") is None, reason="botocore not installed")
@pytest.mark.parametrize("code", ["BDR302", "BDR305"])
def test_fixed_converse_system_lists_match_the_service_model(code):
    import botocore.session
    from botocore.validate import ParamValidator

    model = botocore.session.get_session().get_service_model("bedrock-runtime")
    shape = model.operation_model("Converse").input_shape
    checked = 0
    for path in sorted((RULE_FIXTURES / code).glob("*.fixed.py")):
        text = path.read_text(encoding="utf-8")
        index = build_index(cst.parse_module(text), text, path.name, path=path)
        for request in requests_of(index):
            if request.api != "converse" or "system" not in request.fields:
                continue
            found = request.fields["system"]
            system = _python_value(index, found.value_node, found.scope)
            report = ParamValidator().validate({"modelId": "m", "messages": [], "system": system}, shape)
            assert not report.has_errors(), f"{path.name}: {report.generate_report()}"
            checked += 1
    assert checked >= 3
