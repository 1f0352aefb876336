"""`bedrock-lint check --fix --unsafe-fixes` over the model-id fixtures leaves only model
ids that are valid in the catalog (except on lines whose fixture says no fix exists)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import libcst as cst
from click.testing import CliRunner

from bedrock_lint.analysis.index import build_index
from bedrock_lint.analysis.model_ids import model_ids_of
from bedrock_lint.catalog.models import load_catalog, split_profile
from bedrock_lint.cli import main
from tests.cli_runner import run
from tests.fixture_support import FIXTURE_DAY, RULE_FIXTURES, frozen_today

MODEL_ID_FOLDERS = sorted(p for p in RULE_FIXTURES.iterdir() if p.name.startswith("BDR1"))


def _problems(path: Path) -> list[str]:
    """Model ids in ``path`` that the catalog does not accept on the fixture day."""
    catalog = load_catalog()
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    module = cst.parse_module(text)
    index = build_index(module, text, str(path))
    problems = []
    for record in model_ids_of(index):
        identifier = record.model_text if record.kind != "first-party" else record.text
        if identifier is None:
            continue
        where = _line_of(text, record.node, module)
        if "no fix" in lines[where - 1]:
            continue
        name = split_profile(identifier)
        if not name.base.startswith("anthropic."):
            continue  # other providers' models are not judged
        model = catalog.lookup(identifier)
        if model is None:
            problems.append(f"{path.name}:{where}: {identifier} is not in the catalog")
        elif name.prefix is not None and name.prefix not in model.profiles:
            problems.append(f"{path.name}:{where}: {identifier} uses a profile the model does not have")
        elif model.status(FIXTURE_DAY) in ("Legacy", "EOL"):
            problems.append(f"{path.name}:{where}: {identifier} is {model.status(FIXTURE_DAY)}")
    return problems


def _line_of(text: str, node: cst.CSTNode, module: cst.Module) -> int:
    from bedrock_lint.analysis.positions import LineTable, NodeOffsets

    start, _ = NodeOffsets(module, [node]).syntactic(node)
    return LineTable(text).position(start)[0]


def test_fixing_the_model_id_fixtures_leaves_valid_ids(tmp_path):
    targets = []
    for folder in MODEL_ID_FOLDERS:
        for path in sorted(folder.glob("reported*.py")):
            if path.name.endswith(".fixed.py"):
                continue
            copy = tmp_path / folder.name / path.name
            copy.parent.mkdir(exist_ok=True)
            shutil.copy(path, copy)
            targets.append(copy)
    before = sum(len(_problems(path)) for path in targets)
    assert before > 50, "the fixtures should start with many invalid ids"

    with frozen_today(FIXTURE_DAY):
        result = CliRunner().invoke(
            main,
            ["check", "--select", "BDR1", "--fix", "--unsafe-fixes", "--no-cache", "--jobs", "1", "--exit-zero", str(tmp_path)],
        )
    assert result.exit_code == 0, result.output

    problems = [problem for path in targets for problem in _problems(path)]
    assert not problems, "\n".join(problems)
    for path in targets:  # the fixed files still parse
        cst.parse_module(path.read_text(encoding="utf-8"))


UPGRADES = '''\
import boto3
client = boto3.client("bedrock-runtime", region_name="us-east-1")
client.converse(modelId="anthropic.claude-3-sonnet-20240229-v1:0", messages=[{"role": "user", "content": [{"text": "hi"}]}], inferenceConfig={"maxTokens": 512, "temperature": 0.2, "topP": 0.9})
client.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0", messages=[{"role": "user", "content": [{"text": "hi"}]}], inferenceConfig={"maxTokens": 512})
client.converse(modelId="anthropic.claude-3-5-sonnet-20240620-v1:0", messages=[{"role": "user", "content": [{"text": "hi"}]}, {"role": "assistant", "content": [{"text": "{"}]}], inferenceConfig={"maxTokens": 512})
'''


def test_an_upgrade_the_successor_would_reject_is_not_offered(tmp_path):
    """A model-id fix moves the request to another model: where that model rejects the
    request (temperature with top_p, a prefill …), the fix is withheld and the finding
    says why, so migrate never leaves a 400 behind (BDR5xx finds nothing it created)."""
    path = tmp_path / "app.py"
    path.write_text(UPGRADES, encoding="utf-8")
    found = run("check", "--no-cache", "--format", "json", "--select", "BDR103", ".", cwd=tmp_path)
    by_line = {f["line"]: f for f in json.loads(found.stdout)}
    assert by_line[3]["fix"] is None and "no fix" in by_line[3]["message"] and "temperature" in by_line[3]["message"]
    assert by_line[5]["fix"] is None and "prefill" in by_line[5]["message"]
    assert by_line[4]["fix"] is not None  # nothing Haiku 4.5 rejects: the upgrade is offered
    run("migrate", "--write", ".", cwd=tmp_path)
    migrated = path.read_text(encoding="utf-8")
    assert "us.anthropic.claude-haiku-4-5-20251001-v1:0" in migrated
    compatibility = run("check", "--no-cache", "--format", "json", "--select", "BDR5", ".", cwd=tmp_path)
    assert json.loads(compatibility.stdout) == []
