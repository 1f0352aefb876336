"""The syntactic gate (engine.gate) never turns away a file that has findings.

Where the gate says no, the semantic index has nothing any rule starts from (no client,
no Config, no operation call, no model-id string) and the full analysis, with every
rule enabled, reports nothing.  Checked on every fixture file, every rule's bad and
good example, and hand-written edge cases.
"""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from bedrock_lint.analysis import bedrock
from bedrock_lint.analysis.index import build_index
from bedrock_lint.analysis.model_ids import model_ids_of
from bedrock_lint.engine import gate
from bedrock_lint.engine.analyse import analyse_text
from bedrock_lint.engine.gate import may_hold_findings
from bedrock_lint.engine.prefilter import may_use_bedrock
from bedrock_lint.engine.source import SourceError, read_source, source_from_bytes
from bedrock_lint.rules.registry import RULE_CODES, all_rules
from bedrock_lint.settings import Settings
from tests.fixture_support import fixture_day, frozen_today

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_FILES = sorted(p for p in (ROOT / "fixtures").rglob("*") if p.suffix in (".py", ".ipynb"))
ALL_CODES = frozenset(RULE_CODES)


def test_the_gate_knows_the_distinctive_operations():
    assert gate.DISTINCTIVE_OPERATIONS == bedrock.DISTINCTIVE_OPERATIONS


def test_the_gate_knows_every_module_a_client_or_entry_point_comes_from():
    from bedrock_lint.analysis import entry_points

    names = [*bedrock.SESSION_FACTORIES, *bedrock.BOTOCORE_SESSION_FACTORIES, *bedrock.DIRECT_CLIENT_FACTORIES, *bedrock.CONFIG_CLASSES]
    for row in (*entry_points.ENTRY_POINTS, *getattr(entry_points, "SESSION_ENTRY_POINTS", ())):
        names.extend(row.qualified_names)
    assert {name.partition(".")[0] for name in names} == gate.CLIENT_MODULES


def index_is_empty(text: str) -> bool:
    """Nothing a rule starts from: no client, Config or operation, no model identifier."""
    index = build_index(cst.parse_module(text), text, "app.py")
    return not (index.clients or index.operations or index.configs or model_ids_of(index))


def assert_gate_is_safe(source) -> bool:
    """The gate's answer; when it is no, the analysis must agree that there is nothing."""
    answer = may_hold_findings(source.text)
    if not answer:
        assert index_is_empty(source.text), source.display_name
        with frozen_today(fixture_day(source.text)):
            analysis = analyse_text(source, Settings(), ALL_CODES)
        assert analysis.findings == [] and analysis.internal_errors == [], source.display_name
    return answer


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_fixture_files_keep_their_findings(path):
    try:
        source = read_source(path, str(path))
    except SourceError:
        pytest.skip("not a source file")
    answer = assert_gate_is_safe(source)
    if "# expect:" in source.text:
        assert answer, "a file with expected findings must be analysed"


def test_some_fixture_files_are_turned_away():
    """Not vacuous: the fixtures include files that mention Bedrock and have nothing to report."""
    turned_away = []
    for path in FIXTURE_FILES:
        try:
            source = read_source(path, str(path))
        except SourceError:
            continue
        if may_use_bedrock(source.text) and not may_hold_findings(source.text):
            turned_away.append(path)
    assert turned_away


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_rule_examples_keep_their_findings(rule):
    for example in (rule.bad, rule.good):
        if example:
            assert_gate_is_safe(source_from_bytes(example.encode(), "app.py"))
    if rule.bad and rule.code != "BDR000":
        assert may_hold_findings(rule.bad)


ANALYSED = {
    "boto3 import": "import boto3\n",
    "dotted import": "import botocore.config as c\n",
    "from import": "from langchain_aws import ChatBedrock\n",
    "anthropic from import": "from anthropic.lib.bedrock import AnthropicBedrock\n",
    "unbound module name": "client = boto3.client('bedrock-runtime')\n",
    "distinctive operation": "def f(runtime):\n    return runtime.converse(modelId=x)\n",
    "operation attribute only": "call = self._runtime.invoke_model_with_response_stream\n",
    "model id": "MODEL = 'us.anthropic.claude-sonnet-4-6'\n",
    "model id in an f-string": "MODEL = f'{region}.anthropic.claude-sonnet-4-6'\n",
    "model arn in an f-string": "ARN = f'arn:aws:bedrock:{region}::foundation-model/anthropic.claude-v2'\n",
    "arn": "ARN = 'arn:aws:bedrock:us-east-1::foundation-model/x'\n",
    "concatenated model id": "MODEL = ('anthropic.claude-v2' ' and more')\n",
    "string in a call in a docstring f-string": "f'''{g('anthropic.claude-v2')}'''\n",
    "syntax error": "# Bedrock\ndef f(:\n",
}
TURNED_AWAY = {
    "docstring and comment": '"""Uses Bedrock, see claude-3 docs."""\n# boto3 bedrock-runtime\nx = 1\n',
    "relative import": "from ._bedrock import client\nfrom .anthropic import x\nclient.create(model=m)\n",
    "bound attribute of another name": "x = settings.boto3_session\nconverse = 1\n",
    "no bedrock at all": "def f(a):\n    return a + 1\n",
    "f-string docstring": "f'''Bedrock anthropic.claude-v2 notes {x}'''\n",
    "model id in bytes": "MODEL = b'anthropic.claude-v2'\n",
    "documentation links": "URL = 'https://platform.claude.com/docs'\nNAME = 'claude-code'\n",
    "bell escape": "ARN = '\\arn:aws:bedrock:us-east-1::foundation-model/x'\n",
}


@pytest.mark.parametrize("name", sorted(ANALYSED))
def test_what_the_gate_lets_through(name):
    assert may_hold_findings(ANALYSED[name])


@pytest.mark.parametrize("name", sorted(TURNED_AWAY))
def test_what_the_gate_turns_away(name):
    text = TURNED_AWAY[name]
    assert not may_hold_findings(text)
    assert_gate_is_safe(source_from_bytes(text.encode(), "app.py"))


def test_a_file_turned_away_is_not_parsed(tmp_path, monkeypatch):
    """The engine does not run libcst on a file the gate turns away (and finds nothing)."""
    from bedrock_lint.engine import analyse
    from bedrock_lint.engine.run import FileJob, RunOptions, process_file

    called = []
    real = analyse.analyse_text

    def counting(*args, **kwargs):
        called.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(analyse, "analyse_text", counting)
    path = tmp_path / "notes.py"
    path.write_text(TURNED_AWAY["docstring and comment"], encoding="utf-8")
    result = process_file(FileJob("notes.py", str(path), Settings(), ALL_CODES), RunOptions(use_cache=False))
    assert result.findings == [] and not result.analysed and called == []
    path.write_text(ANALYSED["model id"], encoding="utf-8")
    process_file(FileJob("notes.py", str(path), Settings(), ALL_CODES), RunOptions(use_cache=False))
    assert len(called) == 1
