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


UPGRADES = """\
import boto3
client = boto3.client("bedrock-runtime", region_name="us-east-1")
client.converse(modelId="anthropic.claude-3-sonnet-20240229-v1:0", messages=[{"role": "user", "content": [{"text": "hi"}]}], inferenceConfig={"maxTokens": 512, "temperature": 0.2, "topP": 0.9})
client.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0", messages=[{"role": "user", "content": [{"text": "hi"}]}], inferenceConfig={"maxTokens": 512})
client.converse(modelId="anthropic.claude-3-5-sonnet-20240620-v1:0", messages=[{"role": "user", "content": [{"text": "hi"}]}, {"role": "assistant", "content": [{"text": "{"}]}], inferenceConfig={"maxTokens": 512})
"""


def _findings(tmp_path: Path, source: str, select: str) -> dict[int, dict]:
    (tmp_path / "app.py").write_text(source, encoding="utf-8")
    found = run("check", "--no-cache", "--format", "json", "--select", select, ".", cwd=tmp_path)
    return {f["line"]: f for f in json.loads(found.stdout)}


def _migrated(tmp_path: Path) -> str:
    """app.py after `migrate --write`, checked: the migration left no BDR5xx finding."""
    run("migrate", "--write", ".", cwd=tmp_path)
    compatibility = run("check", "--no-cache", "--format", "json", "--select", "BDR5", ".", cwd=tmp_path)
    assert json.loads(compatibility.stdout) == []
    return (tmp_path / "app.py").read_text(encoding="utf-8")


def test_an_upgrade_carries_the_request_edits_or_says_why_it_cannot(tmp_path):
    """A model-id fix moves the request to another model: it comes with the edits that
    model needs (here: topP dropped, which Sonnet 4.6 rejects with temperature), or,
    where an edit is not mechanical (a prefill), it is withheld and the finding says
    why, so migrate never leaves a 400 behind (BDR5xx finds nothing it created)."""
    by_line = _findings(tmp_path, UPGRADES, "BDR103")
    pair = by_line[3]
    assert pair["fix"] is not None and pair["fix"]["applicability"] == "unsafe"
    assert "drop topP" in pair["fix"]["message"] and "rejects temperature with top_p" in pair["fix"]["message"]
    assert "drop topP" in pair["message"]
    assert len(pair["fix"]["edits"]) == 2  # the id and the inferenceConfig dict
    assert by_line[5]["fix"] is None and "no fix" in by_line[5]["message"]
    assert "prefill at line 5" in by_line[5]["message"]
    assert by_line[4]["fix"] is not None and "drop" not in by_line[4]["fix"]["message"]  # nothing to change
    migrated = _migrated(tmp_path)
    assert "us.anthropic.claude-haiku-4-5-20251001-v1:0" in migrated
    assert '"maxTokens": 512, "temperature": 0.2}' in migrated and "topP" not in migrated
    assert "anthropic.claude-3-5-sonnet-20240620-v1:0" in migrated  # the prefill keeps its model


def test_an_upgrade_lowers_max_tokens_to_the_successor_cap(tmp_path):
    source = (
        'import boto3\nclient = boto3.client("bedrock-runtime", region_name="us-east-1")\n'
        'client.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0", messages=[], inferenceConfig={"maxTokens": 200000})\n'
    )
    finding = _findings(tmp_path, source, "BDR103")[3]
    assert "lower maxTokens to 64000" in finding["fix"]["message"]
    migrated = _migrated(tmp_path)
    assert '"maxTokens": 64000' in migrated and "claude-haiku-4-5" in migrated


def test_an_upgrade_lowers_max_tokens_to_the_certain_bound_of_an_uncertain_cap(tmp_path):
    """Sonnet 4.6's output cap is 128,000 in later sources and 64,000 in earlier ones: the
    fix lowers to 64,000, which passes either, rather than rest on the uncertain 128,000."""
    source = (
        'import boto3\nclient = boto3.client("bedrock-runtime", region_name="us-east-1")\n'
        'client.converse(modelId="anthropic.claude-3-sonnet-20240229-v1:0", messages=[], inferenceConfig={"maxTokens": 200000})\n'
    )
    finding = _findings(tmp_path, source, "BDR103")[3]
    assert "lower maxTokens to 64000" in finding["fix"]["message"] and "uncertain" in finding["fix"]["message"]
    assert '"maxTokens": 64000' in _migrated(tmp_path)


# Claude 3.7 Sonnet answers up to 128,000 tokens with the output-128k beta; on its
# successor Sonnet 4.6 that beta does nothing and 100,000 is within only the uncertain cap.
SONNET_37_LONG_OUTPUT = """\
import json
import boto3
client = boto3.client("bedrock-runtime", region_name="us-east-1")
client.invoke_model(
    modelId="us.anthropic.claude-3-7-sonnet-20250219-v1:0",
    body=json.dumps({
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 100000,
        "anthropic_beta": [BETAS],
        "messages": [{"role": "user", "content": "Write the report."}],
    }),
)
"""


def test_an_upgrade_does_not_keep_a_value_only_an_uncertain_cap_allows(tmp_path):
    source = SONNET_37_LONG_OUTPUT.replace("BETAS", '"output-128k-2025-02-19", "interleaved-thinking-2025-05-14"')
    finding = _findings(tmp_path, source, "BDR103")[5]
    assert "lower max_tokens to 64000" in finding["fix"]["message"]
    migrated = _migrated(tmp_path)
    assert "us.anthropic.claude-sonnet-4-6" in migrated and '"max_tokens": 64000' in migrated
    # The beta that raised 3.7's cap has no use on Sonnet 4.6 and goes; the other stays.
    assert '"anthropic_beta": ["interleaved-thinking-2025-05-14"],' in migrated


def test_an_upgrade_removes_betas_the_successor_has_built_in(tmp_path):
    """token-efficient-tools is built into Claude 4 ("Remove (no effect)"): with no beta
    left, the request loses its anthropic_beta."""
    source = SONNET_37_LONG_OUTPUT.replace("BETAS", '"output-128k-2025-02-19", "token-efficient-tools-2025-02-19"')
    finding = _findings(tmp_path, source, "BDR103")[5]
    assert "drop the beta 'token-efficient-tools-2025-02-19'" in finding["fix"]["message"]
    migrated = _migrated(tmp_path)
    assert "anthropic_beta" not in migrated and "us.anthropic.claude-sonnet-4-6" in migrated


def test_an_upgrade_keeps_no_beta_only_the_old_model_accepts(tmp_path):
    """The 1M-context beta belongs to Sonnet 4 and 4.5; on the move to Sonnet 4.6 it would be
    left behind silently, so the move is not offered and the finding says why."""
    source = (
        'import boto3\nclient = boto3.client("bedrock-runtime", region_name="us-east-1")\n'
        'client.converse(modelId="us.anthropic.claude-sonnet-4-20250514-v1:0", messages=[], '
        'additionalModelRequestFields={"anthropic_beta": ["context-1m-2025-08-07"]})\n'
    )
    finding = _findings(tmp_path, source, "BDR103")[3]
    assert finding["fix"] is None and "no fix" in finding["message"] and "context-1m-2025-08-07" in finding["message"]


def test_an_upgrade_to_an_adaptive_only_model_turns_budget_thinking_adaptive(tmp_path):
    """Opus 4.1 (Legacy) moves to Opus 4.8, which accepts only adaptive thinking."""
    source = (
        "import json\nimport boto3\n"
        'client = boto3.client("bedrock-runtime", region_name="us-east-1")\n'
        "client.invoke_model(\n"
        '    modelId="us.anthropic.claude-opus-4-1-20250805-v1:0",\n'
        '    body=json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 16000,\n'
        '                     "thinking": {"type": "enabled", "budget_tokens": 8000},\n'
        '                     "messages": [{"role": "user", "content": "Plan the week."}]}),\n'
        ")\n"
    )
    finding = _findings(tmp_path, source, "BDR102")[5]
    assert "adaptive" in finding["fix"]["message"]
    migrated = _migrated(tmp_path)
    assert '"thinking": {"type": "adaptive"}' in migrated and "us.anthropic.claude-opus-4-8" in migrated
    assert json.loads(run("check", "--no-cache", "--format", "json", "--select", "BDR201", ".", cwd=tmp_path).stdout) == []


COMPUTER_USE = """\
import json
import boto3
client = boto3.client("bedrock-runtime", region_name="us-east-1")
client.invoke_model(
    modelId="anthropic.claude-3-5-sonnet-20241022-v2:0",
    body=json.dumps({
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 1024,
        "anthropic_beta": ["computer-use-2024-10-22"],
        "tools": [
            {"type": "computer_20241022", "name": "computer", "display_width_px": 1024, "display_height_px": 768},
            {"type": "text_editor_20241022", "name": "str_replace_editor"},
            {"type": "bash_20241022", "name": "bash"},
        ],
        "messages": [{"role": "user", "content": "Open the settings."}],
    }),
)
"""


def test_an_upgrade_moves_tools_and_betas_to_the_successor_versions(tmp_path):
    finding = _findings(tmp_path, COMPUTER_USE, "BDR103")[5]
    assert finding["fix"] is not None and "computer_20251124" in finding["fix"]["message"]
    migrated = _migrated(tmp_path)
    for new in ("computer-use-2025-11-24", "computer_20251124", "text_editor_20250728", "str_replace_based_edit_tool", "bash_20250124"):
        assert new in migrated
    assert "20241022" not in migrated and "2024-10-22" not in migrated


def test_library_entry_points_carry_the_edits_at_the_call(tmp_path):
    """LiteLLM and langchain-aws take the sampling keywords at the call that names the model."""
    source = (
        "import litellm\nfrom langchain_aws import ChatBedrockConverse\n"
        'litellm.completion("bedrock/anthropic.claude-3-haiku-20240307-v1:0", [{"role": "user", "content": "hi"}], temperature=0.2, top_p=0.9, aws_region_name="us-east-1")\n'
        'llm = ChatBedrockConverse(model="anthropic.claude-3-haiku-20240307-v1:0", region_name="us-east-1", temperature=0.2, top_p=0.9)\n'
    )
    by_line = _findings(tmp_path, source, "BDR103")
    assert all("drop top_p" in by_line[line]["fix"]["message"] for line in (3, 4))
    migrated = _migrated(tmp_path)
    assert "top_p" not in migrated and migrated.count("temperature=0.2") == 2
    assert "anthropic.claude-3-haiku" not in migrated and migrated.count("us.anthropic.claude-haiku-4-5-20251001-v1:0") == 2


def test_an_edit_in_a_dict_shared_through_a_variable_is_not_mechanical(tmp_path):
    """The sampling dict is kept in a variable (other calls may use it): the id fix
    cannot carry the edit, so it is withheld and the finding says what the successor rejects."""
    source = (
        'import boto3\nclient = boto3.client("bedrock-runtime", region_name="us-east-1")\n'
        'SAMPLING = {"maxTokens": 512, "temperature": 0.2, "topP": 0.9}\n'
        'client.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0", messages=[], inferenceConfig=SAMPLING)\n'
    )
    finding = _findings(tmp_path, source, "BDR103")[4]
    assert finding["fix"] is None and "no fix" in finding["message"] and "rejects temperature with top_p" in finding["message"]


def test_an_upgrade_of_one_of_several_models_carries_the_request_edits(tmp_path):
    """The id is one branch of a conditional: its move still sends the call to the new
    model, so the fix drops topP, which Sonnet 4.6 rejects with temperature."""
    source = (
        'import os\nimport boto3\nclient = boto3.client("bedrock-runtime", region_name="us-east-1")\n'
        'model = "us.anthropic.claude-3-5-haiku-20241022-v1:0" if os.environ.get("FAST") else "us.anthropic.claude-3-7-sonnet-20250219-v1:0"\n'
        'client.converse(modelId=model, messages=[], inferenceConfig={"maxTokens": 512, "temperature": 0.2, "topP": 0.9})\n'
    )
    finding = _findings(tmp_path, source, "BDR103")[4]
    assert "drop topP" in finding["fix"]["message"]
    migrated = _migrated(tmp_path)
    assert "us.anthropic.claude-sonnet-4-6" in migrated and "topP" not in migrated
