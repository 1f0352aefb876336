"""Values follow the flow of the code: a name's value at a use is the binding that
reaches it in statement order (cell order in a notebook), at module level and in
function bodies; branches and loops merge what may reach."""

from __future__ import annotations

import json
import textwrap

import libcst as cst

from bedrock_lint.analysis.index import build_index
from bedrock_lint.analysis.values import UNKNOWN, Literal
from bedrock_lint.engine.analyse import analyse_text
from bedrock_lint.engine.source import source_from_bytes
from bedrock_lint.settings import Settings


def values_at_calls(source: str) -> list:
    """What the argument of every ``use(...)`` call resolves to, in source order."""
    text = textwrap.dedent(source)
    index = build_index(cst.parse_module(text), text)
    found = []
    for site in index.calls:
        if isinstance(site.call.func, cst.Name) and site.call.func.value == "use":
            value = index.resolver.resolve(site.call.args[0].value, site.scope)
            found.append(value.value if isinstance(value, Literal) else value)
    return found


def test_a_name_rebound_line_after_line_has_the_value_of_the_last_binding():
    assert values_at_calls("""
        model_id = "a"
        use(model_id)
        model_id = "b"
        use(model_id)
        model_id = model_id + "c"
        use(model_id)
    """) == ["a", "b", "bc"]


def test_the_value_a_binding_reads_is_the_one_before_it():
    assert values_at_calls("""
        x = "first"
        x = x.upper() if False else x
        use(x)
    """) == [UNKNOWN]  # a conditional expression is not evaluated; no guess
    assert values_at_calls("""
        name = "claude"
        name = name + "-3"
        use(name)
    """) == ["claude-3"]


def test_branches_merge_equal_values_and_forget_different_ones():
    assert values_at_calls("""
        if fast:
            model_id = "same"
        else:
            model_id = "same"
        use(model_id)
    """) == ["same"]
    assert values_at_calls("""
        model_id = "default"
        if fast:
            model_id = "fast"
        use(model_id)
    """) == [UNKNOWN]
    assert values_at_calls("""
        model_id = "default"
        if fast:
            model_id = "fast"
            use(model_id)
        use(model_id)
    """) == ["fast", UNKNOWN]


def test_a_binding_in_one_branch_does_not_reach_the_other():
    assert values_at_calls("""
        model_id = "default"
        if fast:
            model_id = "fast"
        else:
            use(model_id)
    """) == ["default"]


def test_loops_carry_later_bindings_to_the_next_iteration():
    assert values_at_calls("""
        model_id = "first"
        for attempt in range(3):
            use(model_id)
            model_id = "fallback"
        use(model_id)
    """) == [UNKNOWN, UNKNOWN]


def test_try_bodies_may_stop_before_a_binding():
    assert values_at_calls("""
        region = "us-east-1"
        try:
            region = lookup()
            region = "eu-west-1"
        except Exception:
            use(region)
        use(region)
    """) == [UNKNOWN, UNKNOWN]


def test_function_bodies_follow_their_own_flow_but_not_the_callers():
    assert values_at_calls("""
        model_id = "module-a"
        def call():
            local = "x"
            local = "y"
            use(local)
            use(model_id)
        model_id = "module-b"
    """) == ["y", UNKNOWN]  # model_id: whichever the module holds when call() runs


def test_a_use_before_every_binding_is_unknown():
    assert values_at_calls("""
        use(model_id)
        model_id = "a"
        model_id = "b"
    """) == [UNKNOWN]


def cell(source: str) -> dict:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": textwrap.dedent(source)}


def notebook_findings(*cells: str, codes=frozenset({"BDR001", "BDR002", "BDR103", "BDR204"})) -> list[tuple[int, int, str]]:
    notebook = {"cells": [cell(c) for c in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    source = source_from_bytes(json.dumps(notebook).encode(), "demo.ipynb")
    return sorted((f.cell, f.start.line, f.code) for f in analyse_text(source, Settings(), codes).findings)


def test_a_notebook_that_rebinds_the_client_judges_each_call_by_its_own_client():
    found = notebook_findings(
        """
        import boto3
        from botocore.config import Config
        client = boto3.client("bedrock-runtime")
        client.invoke_model(modelId="amazon.titan-embed-text-v2:0", body="{}")
        """,
        """
        client = boto3.client("bedrock-runtime", config=Config(read_timeout=900, retries={"mode": "adaptive"}))
        response = client.converse(
            modelId="us.anthropic.claude-sonnet-4-6",
            messages=[{"role": "user", "content": [{"text": "Hi"}]}],
            inferenceConfig={"maxTokens": 512},
        )
        """,
    )
    # The first client only ever serves Titan; the second is configured: nothing to say.
    assert found == []


def test_a_notebook_that_rebinds_the_model_id_judges_each_call_by_its_own_id():
    found = notebook_findings(
        """
        import boto3
        from botocore.config import Config
        client = boto3.client("bedrock-runtime", config=Config(read_timeout=900, retries={"mode": "adaptive"}))
        model_id = "amazon.titan-text-express-v1"
        client.converse(modelId=model_id, messages=[])
        """,
        """
        model_id = "us.anthropic.claude-sonnet-4-6"
        client.converse(modelId=model_id, messages=[])
        """,
    )
    # Only the Claude call is judged: it sets no maxTokens.
    assert found == [(2, 3, "BDR204")]


def findings_in(source: str, codes: frozenset[str]) -> list[tuple[int, str]]:
    code = textwrap.dedent(source)
    result = analyse_text(source_from_bytes(code.encode(), "app.py"), Settings(), codes)
    return sorted((f.start.line, f.code) for f in result.findings)


def test_a_request_passed_as_double_star_params_is_judged():
    found = findings_in(
        """
        import boto3
        client = boto3.client("bedrock-runtime")
        params = {
            "modelId": "us.anthropic.claude-sonnet-4-6",
            "messages": [{"role": "user", "content": [{"text": "hi"}]}],
            "inferenceConfig": {"topK": 5},
        }
        response = client.converse(**params)
        print(response["output"]["message"]["content"][0]["text"])
        """,
        frozenset({"BDR203", "BDR204", "BDR401"}),
    )
    assert found == [(7, "BDR203"), (9, "BDR204"), (10, "BDR401")]


def test_params_built_up_key_by_key_and_an_invoke_body_in_params():
    found = findings_in(
        """
        import boto3, json
        client = boto3.client("bedrock-runtime")
        kwargs = dict(modelId="anthropic.claude-3-haiku-20240307-v1:0")
        kwargs["body"] = json.dumps({"anthropic_version": "bedrock-2023-05-31", "messages": []})
        client.invoke_model(**kwargs)
        """,
        frozenset({"BDR202"}),
    )
    assert found == [(5, "BDR202")]  # no max_tokens in the body


def test_unknown_double_star_params_say_nothing():
    found = findings_in(
        """
        import boto3
        client = boto3.client("bedrock-runtime")
        client.converse(modelId="us.anthropic.claude-sonnet-4-6", messages=[], **load_options())
        """,
        frozenset({"BDR203", "BDR204"}),
    )
    assert found == []  # maxTokens may be among the options
