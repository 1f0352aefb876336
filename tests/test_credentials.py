"""BDR007: what counts as a credential, the call + parameters input, and that no output
of bedrock-lint ever repeats a credential beyond its first four characters."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest

from bedrock_lint.analysis.credentials import CredentialCall, CredentialParameters
from bedrock_lint.analysis.index import build_index
from bedrock_lint.analysis.secrets import (
    ACCESS_KEY_ID,
    BEDROCK_API_KEY,
    ROLES,
    SECRET_ACCESS_KEY,
    SESSION_TOKEN,
    looks_like_credential,
    redact,
    role_of_keyword,
)
from bedrock_lint.output import FORMATS
from bedrock_lint.rules.credentials import check_credential_call
from tests.cli_runner import run
from tests.fixture_support import RULE_FIXTURES, expected_findings

FIXTURES = RULE_FIXTURES / "BDR007"
REPORTED = sorted(FIXTURES.glob("reported*.py"))

# Random values of the right shapes (made for these tests; never issued by AWS).
KEY_ID = "AKIAWU4SBTL5L5Z6DOJG"
SECRET = "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"
TOKEN = (
    "IQoJb3JpZ2luX2VjEIdgqXYaN0sInGDLKesWRLgka1TQTDOmwxlt/h/pyqt6JMBKs8q0wL+q0GfYVOxy259elwk+vR7UGqPn2dAwmLxFXRH6"
    "krRkWRYr9bythv/tVfoQTNUej+s69YXi8OaKEW7ZrK9wwutO70vn2Obqq"
)
API_KEY = "ABSKQmVkcm9ja0FQSUtleS2+ZlLhxHXjsHm1c6wvEPQ0VVfCNtQS1ijVjBWMQDOLBBzGBeFqgNNrvqpm9XKYoZyK"


@pytest.mark.parametrize(
    ("value", "role"),
    [
        (KEY_ID, ACCESS_KEY_ID),
        ("ASIAX2GKE7FQTSE2KNUA", ACCESS_KEY_ID),
        (SECRET, SECRET_ACCESS_KEY),
        (TOKEN, SESSION_TOKEN),
        (API_KEY, BEDROCK_API_KEY),
        ("bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29tLz9BY3Rpb249Q2FsbFdpdGhCZWFyZXJUb2tlbiZYLUFtei1B", BEDROCK_API_KEY),
    ],
)
def test_real_looking_credentials(value, role):
    assert looks_like_credential(value, role)


@pytest.mark.parametrize(
    "value",
    [
        "AKIAIOSFODNN7EXAMPLE",  # AWS's documented example key id
        "ASIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",  # and secret
        "AKIAXXXXXXXXXXXXXXXX",
        "X" * 40,
        "AKIA1234567890ABCDEF",
        "<your access key id>",
        "<your-secret-access-key-goes-here-12345>",
        "YOUR_SECRET_ACCESS_KEY",
        "your_access_key_id",
        "test",
        "testing",
        "dummy",
        "fake",
        "changeme",
        "...",
        "AKIA...",
        "",
        "da39a3ee5e6b4b0d3255bfef95601890afd80709",  # a SHA-1: one letter case
        "AjWnyxxxxx45xxxxZxxxX7ZQxxxxYxxx1xYxxxxx",  # the masked key of AWS's detector page
        "ThisIsNotARealKeyJustSomeTestValue1234567",
        SECRET[:39],  # one character short
        KEY_ID.lower(),
    ],
)
def test_placeholders_are_not_credentials(value):
    assert not any(looks_like_credential(value, role) for role in ROLES)


# AWS's documented example session token (IAM User Guide, temporary credentials).
DOCUMENTED_TOKEN = (
    "AQoEXAMPLEH4aoAH0gNCAPyJxz4BlCFFxWNE1OPTgk5TthT+FvwqnKwRcOIfrRh3c/LTo6UDdyJwOOvEVPvLXCrrrUtdnniCEXAMPLE/IvU1dYUg2"
    "RVAJBanLiHb4IgRmpRV3zrkuWJOgQs8IZZaIv2BXIa2R4OlgkBN9bkUDNCJiBeb/AXlzBBko7b15fjrBs2+cTQtpZ3CYWFXG8C5zqx37wnOE49mRl/+OtkIKGO7fAE"
)
BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _generated_session_tokens(count: int) -> list[str]:
    """Random tokens of the real formats: STS's two headers (``\\x17\\n\\x06er/aws``,
    ``!\\n\\torigin_ec`` in base64) and the lengths seen in practice."""
    import random

    generator = random.Random(22)
    tokens = []
    for _ in range(count):
        prefix, low, high = generator.choice([("FwoGZXIvYXdzE", 300, 420), ("IQoJb3JpZ2luX2Vj", 356, 1200)])
        length = generator.randint(low, high)
        tokens.append(prefix + "".join(generator.choice(BASE64) for _ in range(length - len(prefix))))
    return tokens


def test_real_format_session_tokens_are_never_placeholders():
    """Issue 22 (minor): about 0.4 % of them held "test", "xxxx", "your", four equal or
    five ascending characters somewhere in their hundreds of random characters, and were
    neither reported nor masked."""
    tokens = _generated_session_tokens(2000)
    rejected = [token for token in tokens if not looks_like_credential(token, SESSION_TOKEN)]
    assert rejected == []
    line = f'token = "{tokens[0]}"'
    assert tokens[0][8:16] not in redact(line)


@pytest.mark.parametrize(
    "value",
    [
        "<your-session-token>",
        "YOUR_SESSION_TOKEN",
        "xxxxxxxx",
        "x" * 300,
        "...",
        "IQoJb3JpZ2luX2Vj...",
        DOCUMENTED_TOKEN,
        "IQoJb3JpZ2luX2Vj" + "EXAMPLE" * 20,
        "FwoGZXIvYXdzE" + "a" * 300,
        "FwoGZXIvYXdzE" + "ThisIsMyTestSessionTokenReplaceMe" * 4,
    ],
)
def test_session_token_placeholders(value):
    assert not looks_like_credential(value, SESSION_TOKEN)


def test_roles_from_parameter_names():
    assert role_of_keyword("aws_access_key_id") == ACCESS_KEY_ID
    assert role_of_keyword("aws_access_key") == ACCESS_KEY_ID  # AnthropicBedrock
    assert role_of_keyword("access_key") == ACCESS_KEY_ID  # botocore set_credentials
    assert role_of_keyword("aws_secret_access_key") == SECRET_ACCESS_KEY
    assert role_of_keyword("aws_secret_key") == SECRET_ACCESS_KEY
    assert role_of_keyword("secret_key") == SECRET_ACCESS_KEY
    assert role_of_keyword("aws_session_token") == SESSION_TOKEN
    assert role_of_keyword("token") == SESSION_TOKEN
    assert role_of_keyword("bedrock_api_key") == BEDROCK_API_KEY
    assert role_of_keyword("api_key") == BEDROCK_API_KEY
    assert role_of_keyword("region_name") is None


def test_redact_masks_credentials_and_keeps_columns():
    line = f'    session = Session(aws_access_key_id="{KEY_ID}", aws_secret_access_key="{SECRET}")  # noqa'
    masked = redact(line)
    assert len(masked) == len(line)
    assert KEY_ID not in masked and SECRET not in masked
    assert f'"{KEY_ID[:4]}{"*" * 16}"' in masked and f'"{SECRET[:4]}{"*" * 36}"' in masked
    untouched = 'client = boto3.client("bedrock-runtime", region_name="us-east-1")  # sha da39a3ee5e6b4b0d3255bfef95601890afd80709'
    assert redact(untouched) == untouched
    assert redact('KEY = "AKIAIOSFODNN7EXAMPLE"') == 'KEY = "AKIAIOSFODNN7EXAMPLE"'


def test_a_library_entry_point_is_a_call_plus_its_credential_parameters():
    """What the library table provides: a call and the names of the parameters that carry
    credentials.  An invented entry point with invented parameter names is enough."""
    code = (
        "import mylib\n"
        f'KEY = "{KEY_ID}"\n'
        "model = mylib.BedrockChat(\n"
        "    model='anthropic.claude-x',\n"
        "    access_key=KEY,\n"
        f'    secret_key="{SECRET}",\n'
        '    other="AKIAYUPJKAKM7CS37LLI",\n'
        ")\n"
    )
    index = build_index(cst.parse_module(code), code)
    site = next(s for s in index.calls if s.qualified_name == "mylib.BedrockChat")
    parameters = CredentialParameters(("access_key", "secret_key"))  # kinds read from the names
    call = CredentialCall(site.call, site.scope, "mylib.BedrockChat", parameters, bedrock=True)
    reports = list(check_credential_call(index, call))
    assert [r.node.keyword.value for r in reports] == ["access_key", "secret_key"]  # not `other`
    assert "mylib.BedrockChat" in reports[0].message and "from `KEY`" in reports[0].message
    assert all(KEY_ID not in r.message and SECRET[:5] not in r.message for r in reports)


def test_a_client_carrying_a_table_row_is_checked_with_the_rows_credentials():
    """After the library table is merged, clients made from a row carry it
    (``ClientSite.entry``) with a ``credentials`` column of (keyword, kind) pairs; the
    rule reads it.  Simulated here with an invented row and invented keyword names."""
    from types import SimpleNamespace

    from bedrock_lint.analysis.sites import ClientSite
    from bedrock_lint.rules.credentials import hardcoded_credentials
    from bedrock_lint.settings import Settings

    code = (
        "import mylib\n"
        "model = mylib.Chat(\n"
        "    model='bedrock/anthropic.claude-x',\n"
        f'    key="{KEY_ID}",\n'
        f'    password="{SECRET}",\n'
        f'    unrelated="{SECRET}",\n'
        ")\n"
    )
    index = build_index(cst.parse_module(code), code)
    assert not list(hardcoded_credentials(index, Settings()))  # no row: not a Bedrock call
    site = next(s for s in index.calls if s.qualified_name == "mylib.Chat")
    client = ClientSite(site.call, "mylib", "mylib.Chat", site.scope, site.context)
    client.entry = SimpleNamespace(credentials=(("key", "access_key_id"), ("password", "secret_access_key")))
    index.clients.append(client)
    reports = list(hardcoded_credentials(index, Settings()))
    assert [r.node.keyword.value for r in reports] == ["key", "password"]
    assert "AWS secret access key" in reports[1].message and "mylib.Chat" in reports[1].message


def test_noqa_suppresses(tmp_path):
    (tmp_path / "app.py").write_text(
        "import boto3\n"
        "client = boto3.client(\n"
        '    "bedrock-runtime",\n'
        f'    aws_access_key_id="{KEY_ID}",  # noqa: BDR007\n'
        f'    aws_secret_access_key="{SECRET}",\n'
        ")\n",
        encoding="utf-8",
    )
    result = run("check", "--no-cache", "--select", "BDR007", "--format", "json", cwd=tmp_path)
    assert [finding["line"] for finding in json.loads(result.stdout)] == [5]


# --------------------------------------------------------------- no output leaks
def _credentials_in(path: Path) -> set[str]:
    """Every string literal of a fixture that could be a key (found without the rule's
    own detector: base64-alphabet strings of 20 characters or more)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) >= 20:
            if all(c.isalnum() or c in "/+=" for c in node.value):
                found.add(node.value)
    return found


def _leaks(output: str, credentials: set[str]) -> list[str]:
    """Credentials of which more than the first four characters appear in ``output``:
    any five consecutive characters of a credential count (a window that starts at the
    shown prefix and reaches one character further, or one anywhere inside it), so a
    key cut in pieces, shifted or printed partly is caught too."""
    leaked = []
    for credential in credentials:
        windows = {credential[i : i + 5] for i in range(len(credential) - 4)}
        hits = sorted(w for w in windows if w in output)
        if hits:
            leaked.append(f"{credential[:4]}… ({hits[:3]})")
    return leaked


@pytest.fixture(scope="module")
def leak_project(tmp_path_factory):
    project = tmp_path_factory.mktemp("credentials")
    for path in REPORTED:
        shutil.copy(path, project / path.name)
    credentials = set().union(*(_credentials_in(path) for path in REPORTED))
    # (file, line) of every expected BDR007 finding (a line may hold more than one).
    expected = {(path.name, line) for path in REPORTED for line, _ in expected_findings(path.read_text(encoding="utf-8"))}
    return project, credentials, expected


def test_the_leak_check_can_fail(leak_project):
    project, credentials, _ = leak_project
    assert len(credentials) >= 30
    source = "".join(path.read_text(encoding="utf-8") for path in project.glob("*.py"))
    assert not _leaks("nothing to see", credentials)
    assert len(_leaks(source, credentials)) == len(credentials)  # every one is in its fixture


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_output_format_prints_a_credential(leak_project, fmt):
    project, credentials, expected = leak_project
    # Every rule runs (other rules' fixes rebuild the same client calls), with fixes shown.
    result = run("check", "--no-cache", "--format", fmt, "--show-fixes", "--unsafe-fixes", ".", cwd=project)
    assert result.exit_code == 1
    assert result.stdout.count("BDR007") >= (len(expected) if fmt in ("concise", "github", "text") else 1)
    assert not _leaks(result.stdout + result.stderr, credentials)
    if fmt == "text":  # the source context is shown, with the keys masked
        assert f'aws_access_key_id="AKIA{"*" * 16}"' in result.stdout


def test_statistics_and_output_file_do_not_print_credentials(leak_project, tmp_path):
    project, credentials, _ = leak_project
    result = run("check", "--no-cache", "--statistics", ".", cwd=project)
    assert "BDR007" in result.stdout and not _leaks(result.stdout, credentials)
    report = tmp_path / "report.sarif"
    run("check", "--no-cache", "--format", "sarif", "--output-file", str(report), ".", cwd=project)
    assert "BDR007" in report.read_text(encoding="utf-8")
    assert not _leaks(report.read_text(encoding="utf-8"), credentials)


def test_the_cache_does_not_store_credentials(leak_project):
    project, credentials, expected = leak_project
    first = run("check", "--format", "json", ".", cwd=project)
    second = run("check", "--format", "json", ".", cwd=project)  # served from the cache
    assert first.stdout == second.stdout
    found = {(Path(f["filename"]).name, f["line"]) for f in json.loads(second.stdout) if f["code"] == "BDR007"}
    assert found == expected
    entries = [p for p in (project / ".bedrock_lint_cache").rglob("*.json")]
    assert entries
    assert not _leaks("".join(p.read_text(encoding="utf-8") for p in entries), credentials)
    shutil.rmtree(project / ".bedrock_lint_cache")


def test_flake8_plugin_output_does_not_print_credentials(leak_project):
    project, credentials, expected = leak_project
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "BDR", "."],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    found = {(Path(m.group(1)).name, int(m.group(2))) for m in re.finditer(r"^(.+?):(\d+):\d+: BDR007 ", result.stdout, re.M)}
    assert found == expected
    assert not _leaks(result.stdout + result.stderr, credentials)
