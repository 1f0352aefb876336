"""Fixes that fit the file (issue 21, item 5): the project's line length, calls split to
it, imports placed as ruff's isort places them."""

from __future__ import annotations

import pytest

from bedrock_lint.code_style import LineLengths
from bedrock_lint.config import SettingsResolver
from bedrock_lint.engine.source import source_from_text
from bedrock_lint.engine.analyse import analyse_text
from bedrock_lint.fixes.applier import apply_edits
from bedrock_lint.settings import Settings

CLIENT_LINE = 'runtime = boto3.client("bedrock-runtime", region_name="us-east-1")\n'
SOURCE = "import boto3\n\n" + CLIENT_LINE + "runtime.converse(modelId=MODEL, messages=[])\n"


def fixed(text: str, codes: set[str], line_length: int = 88) -> str:
    source = source_from_text(text, "app.py")
    analysis = analyse_text(source, Settings(line_length=line_length), frozenset(codes))
    [finding] = [f for f in analysis.findings if f.fix is not None]
    return apply_edits(text, list(finding.fix.edits))


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({}, 88),
        ({"pyproject.toml": "[tool.ruff]\nline-length = 79\n"}, 79),
        ({"pyproject.toml": "[tool.black]\nline-length = 100\n"}, 100),
        ({"ruff.toml": "line-length = 120\n"}, 120),
        ({"setup.cfg": "[flake8]\nmax-line-length = 99\n"}, 99),
        ({".flake8": "[flake8]\nmax_line_length = 110\n"}, 110),
        # Several tools configured: the fixed code must pass each, so the smallest wins.
        ({"pyproject.toml": "[tool.black]\nline-length = 100\n", "tox.ini": "[flake8]\nmax-line-length = 80\n"}, 80),
        # A pyproject.toml that configures no length does not stop the search upward.
        ({"pyproject.toml": "[tool.ruff.lint]\nselect = ['E']\n"}, 88),
    ],
)
def test_the_line_length_comes_from_the_project_configuration(tmp_path, files, expected):
    project = tmp_path / "project"
    (project / "pkg").mkdir(parents=True)
    for name, text in files.items():
        (project / name).write_text(text, encoding="utf-8")
    assert LineLengths().for_directory(str(project / "pkg")) == expected
    assert SettingsResolver(cwd=project).settings_for(project / "pkg" / "app.py").line_length == expected


def test_a_call_a_fix_makes_too_long_is_split_one_argument_a_line():
    result = fixed(SOURCE, {"BDR003"})
    assert (
        'runtime = boto3.client(\n    "bedrock-runtime",\n    region_name=os.environ.get("AWS_REGION", "us-east-1"),\n)\n'
        in result
    )
    # With room enough the call stays on one line.
    assert 'runtime = boto3.client("bedrock-runtime", region_name=os.environ.get("AWS_REGION", "us-east-1"))\n' in fixed(
        SOURCE, {"BDR003"}, line_length=120
    )


def test_an_item_still_too_long_is_split_too_indented_like_the_file():
    text = "import boto3\n\n\ndef make():\n\tclient = boto3.client('bedrock-runtime', region_name=REGION)\n\treturn client\n\n\nmake().converse(modelId=MODEL, messages=[])\n"
    result = fixed(text, {"BDR001"}, line_length=50)
    assert (
        "\tclient = boto3.client(\n\t\t'bedrock-runtime',\n\t\tregion_name=REGION,\n"
        "\t\tconfig=Config(\n\t\t\tread_timeout=300,\n\t\t\tconnect_timeout=10,\n\t\t),\n\t)\n"
    ) in result


def test_a_line_written_long_keeps_its_layout_when_a_fix_only_changes_a_value():
    long_line = 'runtime.converse(modelId="anthropic.claude-3-5-sonnet-20240620-v1:0", messages=[{"role": "user", "content": []}])\n'
    text = "import boto3\n\nruntime = boto3.client('bedrock-runtime', region_name='us-east-1')\n" + long_line
    result = fixed(text, {"BDR103"})
    assert "runtime.converse(modelId=" in result and "\n    messages=" not in result


def test_an_import_joins_the_from_import_of_its_module_in_isort_order():
    text = "import boto3\nfrom botocore.config import Retries\n\nruntime = boto3.client('bedrock-runtime')\nruntime.converse(modelId=MODEL, messages=[])\n"
    assert fixed(text, {"BDR001"}).startswith("import boto3\nfrom botocore.config import Config, Retries\n\n")


def test_an_import_starts_its_section_after_the_standard_library():
    source = "import json\nimport boto3\n\nruntime = boto3.client('bedrock-runtime')\nruntime.converse(modelId=MODEL, messages=[])\n"
    assert fixed(source, {"BDR001"}).startswith("import json\nimport boto3\nfrom botocore.config import Config\n\n")
    stdlib_only = "import json\n\nfrom boto3 import client\n\nruntime = client('bedrock-runtime')\nruntime.converse(modelId=MODEL, messages=[])\n"
    assert fixed(stdlib_only, {"BDR001"}).startswith(
        "import json\n\nfrom boto3 import client\nfrom botocore.config import Config\n\n"
    )


def test_an_import_block_is_made_when_the_module_has_none():
    text = '"""Doc."""\n\n\ndef make(boto3):\n    return boto3.client("bedrock-runtime")\n\n\nmake(__import__("boto3")).converse(modelId=MODEL, messages=[])\n'
    source = source_from_text(text, "app.py")
    findings = [f for f in analyse_text(source, Settings(), frozenset({"BDR001"})).findings if f.fix is not None]
    for finding in findings:
        result = apply_edits(text, list(finding.fix.edits))
        assert result.startswith('"""Doc."""\n\n\nfrom botocore.config import Config\n\n\ndef make(boto3):\n')


def test_the_project_root_decides_which_imports_are_first_party(tmp_path):
    (tmp_path / "botocore_helpers").mkdir()
    text = "import boto3\n\nfrom botocore_helpers import tags\n\nruntime = boto3.client('bedrock-runtime')\nruntime.converse(modelId=MODEL, messages=[])\n"
    source = source_from_text(text, "app.py")
    settings = Settings(project_root=str(tmp_path))
    [finding] = [f for f in analyse_text(source, settings, frozenset({"BDR001"})).findings if f.fix is not None]
    assert apply_edits(text, list(finding.fix.edits)).startswith(
        "import boto3\nfrom botocore.config import Config\n\nfrom botocore_helpers import tags\n"
    )
