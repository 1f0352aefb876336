"""The project index beyond constants (issue 23): factories, Config objects, settings
classes and dataclasses, and prompt files read at import, each through every import
form, resolved by the one resolver of the importing module."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import libcst as cst
import pytest

from bedrock_lint.analysis.project import (
    OPAQUE,
    ClassExport,
    ConfigObject,
    Constant,
    Environment,
    Factory,
    Found,
    PlainDict,
    ProjectIndex,
    RuntimeClient,
    exports_of,
)
from bedrock_lint.analysis.values import EnvironmentValue, Literal
from tests.cli_runner import run
from tests.fixture_support import FIXTURE_DAY, frozen_today
from tests.test_project import project as project_of

PROMPT = "You are the ledger assistant.\nAnswer in one word.\n"
FILES = {
    "app/__init__.py": "from .aws import get_client as client_factory\n",
    "app/aws.py": """\
        from functools import lru_cache

        import boto3
        from botocore.config import Config

        from app import settings

        TIMEOUT = 30
        CONFIG = Config(read_timeout=TIMEOUT, retries={"max_attempts": 3}, user_agent_extra=settings.AGENT)


        @lru_cache(maxsize=1)
        def get_client():
            \"\"\"The one client.\"\"\"
            return boto3.client("bedrock-runtime", config=CONFIG)


        def model_id():
            return settings.MODEL_ID
        """,
    "app/settings.py": """\
        import functools
        from dataclasses import dataclass

        from pydantic import Field
        from pydantic_settings import BaseSettings, SettingsConfigDict

        MODEL_ID = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"


        class Settings(BaseSettings):
            model_config = SettingsConfigDict(env_prefix="APP_")

            model_id: str = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
            fast_model_id: str = Field(default="us.anthropic.claude-3-5-haiku-20241022-v1:0", alias="FAST")
            max_tokens: int = 512


        @dataclass(frozen=True)
        class Defaults:
            model_id: str = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
            temperature: float = 0.2


        @functools.cache
        def get_settings():
            return Settings()


        settings = Settings()
        """,
    "app/texts.py": """\
        import os
        from pathlib import Path

        HERE = Path(__file__).parent
        WITH_NAME = Path(__file__).with_name("system.txt").read_text()
        DIVIDED = (Path(__file__).parent / "prompts" / "system.txt").read_text(encoding="utf-8").strip()
        JOINED = open(os.path.join(os.path.dirname(__file__), "prompts/system.txt")).read()
        CONSTANT_DIR = (HERE / "prompts").joinpath("system.txt").read_text()
        """,
    "app/api/__init__.py": "",
}


def project(tmp_path: Path, files: dict[str, str]) -> ProjectIndex:
    """The project of ``files`` (tests/test_project.py), with its prompt files."""
    for name in ("app/system.txt", "app/prompts/system.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(PROMPT)
    return project_of(tmp_path, files)


def resolved(tmp_path: Path, importer: str):
    """The value of ``USE`` in app/api/chat.py (``importer`` then ``USE = …``)."""
    from bedrock_lint.analysis.index import build_index

    index = project(tmp_path, {**FILES, "app/api/chat.py": importer})
    text = (tmp_path / "app/api/chat.py").read_text()
    module = build_index(cst.parse_module(text), text, "app/api/chat.py", project=index.module_of(str(tmp_path / "app/api/chat.py")))
    bindings = module.module_scope.bindings["USE"]
    return module, module.resolve(bindings[-1].value, module.module_scope)


SONNET = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0"


# ----------------------------------------------------------- resolution forms
@pytest.mark.parametrize(
    "importer",
    [
        "from app.aws import model_id\nUSE = model_id()\n",  # absolute
        "from ..aws import model_id\nUSE = model_id()\n",  # relative
        "import app.aws as aws\nUSE = aws.model_id()\n",  # alias
        "from app.aws import model_id as pick\nfound = pick()\nUSE = found\n",  # alias, bound first
    ],
)
def test_a_factory_function_returns_the_model_id(tmp_path, importer):
    module, value = resolved(tmp_path, importer)
    assert isinstance(value, Literal) and value.value == SONNET
    assert value.origin == (str(tmp_path / "app/settings.py"), 7)
    assert id(value.node) in module.resolver.imported


@pytest.mark.parametrize(
    "importer",
    [
        "from app.settings import Settings\nsettings = Settings()\nUSE = settings.model_id\n",  # absolute
        "from ..settings import get_settings\nUSE = get_settings().model_id\n",  # relative, cached factory
        "import app.settings as conf\nUSE = conf.settings.model_id\n",  # alias, module-level instance
        "from app.settings import Settings\nUSE = Settings().model_id\n",
    ],
)
def test_a_settings_class_attribute_is_an_environment_value_with_its_default(tmp_path, importer):
    _module, value = resolved(tmp_path, importer)
    assert isinstance(value, EnvironmentValue) and value.variable == "APP_MODEL_ID"
    assert isinstance(value.fallback, Literal) and value.fallback.value == HAIKU


def test_a_field_with_an_alias_reads_another_variable(tmp_path):
    _module, value = resolved(tmp_path, "from app.settings import settings\nUSE = settings.fast_model_id\n")
    assert isinstance(value, EnvironmentValue) and value.variable is None
    assert value.fallback.value == "us.anthropic.claude-3-5-haiku-20241022-v1:0"


@pytest.mark.parametrize(
    "importer", ["from app.settings import Defaults\nUSE = Defaults().temperature\n", "from app import settings\nUSE = settings.Defaults.temperature\n"]
)
def test_a_dataclass_default(tmp_path, importer):
    _module, value = resolved(tmp_path, importer)
    assert isinstance(value, Literal) and value.value == 0.2


@pytest.mark.parametrize("name", ["WITH_NAME", "JOINED", "CONSTANT_DIR"])
def test_a_prompt_file_read_at_import(tmp_path, name):
    _module, value = resolved(tmp_path, f"from app.texts import {name}\nUSE = {name}\n")
    assert isinstance(value, Literal) and value.value == PROMPT
    assert value.origin[0] == str(tmp_path / "app/texts.py")


def test_a_stripped_prompt_file(tmp_path):
    _module, value = resolved(tmp_path, "from app import texts\nUSE = texts.DIVIDED\n")
    assert isinstance(value, Literal) and value.value == PROMPT.strip()


@pytest.mark.parametrize(
    "importer",
    [
        "from app.aws import get_client\nclient = get_client()\nUSE = client\n",  # absolute, bound first
        "from ..aws import get_client\nUSE = get_client()\n",  # relative
        "from app import client_factory\nUSE = client_factory()\n",  # __init__ re-export with alias
    ],
)
def test_a_factory_function_returns_the_client_where_it_is_built(tmp_path, importer):
    module, _value = resolved(tmp_path, importer)
    use = module.module_scope.bindings["USE"][0].value
    assert module.resolver.imported_client(use, module.module_scope) == (str(tmp_path / "app/aws.py"), 15)


def test_an_imported_config_resolves_its_arguments_and_is_fixed_nowhere_here(tmp_path):
    from bedrock_lint.analysis.bedrock import config_of

    module, _value = resolved(tmp_path, "from app.aws import CONFIG\nUSE = CONFIG\n")
    use = module.module_scope.bindings["USE"][0].value
    config = config_of(module, use, module.module_scope)
    assert config is not None and config.qualified_name == "botocore.config.Config"
    timeout = config.option("read_timeout")
    assert module.resolve(timeout.value, config.scope).value == 30  # TIMEOUT, a constant of aws.py
    retries = module.resolve(config.option("retries").value, config.scope)
    assert set(retries.entries) == {"max_attempts"}
    assert module.resolve(config.option("user_agent_extra").value, config.scope).__class__.__name__ == "_Unknown"
    # Every node standing for the Config is shown at this module's use, never edited here.
    assert all(module.resolver.imported[id(node)][1] is use for node in (config.call, timeout))


def test_lookups_record_the_prompt_files_they_read(tmp_path):
    index = project(tmp_path, FILES)
    view = index.module_of(str(tmp_path / "app/aws.py"))
    assert isinstance(view.lookup("app.texts.WITH_NAME"), Found)
    assert {"file:app/system.txt", "file:app/prompts/system.txt"} <= set(view.dependencies)
    assert index.dependencies_hold(str(tmp_path / "app/aws.py"), view.dependencies)
    (tmp_path / "app/prompts/system.txt").write_text(PROMPT + "More.\n")
    assert not ProjectIndex(list(index.names)).dependencies_hold(str(tmp_path / "app/aws.py"), view.dependencies)


# -------------------------------------------------------------- what exports
def test_factory_forms():
    exports = exports_of(
        textwrap.dedent(
            """\
            import functools
            from functools import cache, lru_cache
            import boto3

            @lru_cache
            def a():
                return boto3.client("bedrock-runtime")

            @functools.lru_cache(maxsize=None)
            def b():
                return "us.anthropic.claude-sonnet-4-5-20250929-v1:0"

            @cache
            def c():
                return {"maxTokens": 512}

            def with_parameter(region):
                return boto3.client("bedrock-runtime", region_name=region)

            def two_paths():
                if boto3:
                    return "x"
                return "y"

            def local_first():
                name = "x"
                return name

            @other
            def decorated():
                return "x"

            async def coroutine():
                return "x"

            def other_service():
                return boto3.client("s3")
            """
        ),
        "m",
    )
    assert exports.names["a"] == Factory(RuntimeClient(7), 6)
    assert exports.names["b"].returns == Constant("us.anthropic.claude-sonnet-4-5-20250929-v1:0", 11)
    assert exports.names["c"].returns == Constant(PlainDict((("maxTokens", 512),)), 15)
    for name in ("with_parameter", "two_paths", "local_first", "decorated", "coroutine", "other_service"):
        assert name not in exports.names and name in exports.unknown


def test_class_forms():
    exports = exports_of(
        textwrap.dedent(
            """\
            from dataclasses import dataclass, field
            from pydantic import Field, field_validator
            from pydantic_settings import BaseSettings

            class Plain(BaseSettings):
                model_id: str = "a"
                timeout: int = Field(30)
                required: str
                factory: list = Field(default_factory=list)
                secret: SecretStr = "s"

            class Prefixed(BaseSettings):
                class Config:
                    env_prefix = "X_"
                model_id: str = "a"

            class CaseSensitive(BaseSettings):
                model_config = {"case_sensitive": True}
                model_id: str = "a"

            class Validated(BaseSettings):
                model_id: str = "a"
                @field_validator("model_id")
                def check(cls, value):
                    return value

            @dataclass
            class Data:
                model_id: str = "a"
                retries: int = field(default=3)
                written: str = "w"
                def rename(self):
                    self.written = "v"

            @dataclass
            class PostInit:
                model_id: str = "a"
                def __post_init__(self):
                    pass

            class Constants:
                MODEL_ID = "a"
                OTHER = MODEL_ID

            class Subclass(Plain):
                model_id: str = "b"
            """
        ),
        "m",
    )
    plain = exports.names["Plain"]
    assert plain == ClassExport(
        "settings", {"model_id": Environment("MODEL_ID", Constant("a", 6), 6), "timeout": Environment("TIMEOUT", Constant(30, 7), 7)}, 5
    )
    assert exports.names["Prefixed"].fields["model_id"].variable == "X_MODEL_ID"
    assert exports.names["CaseSensitive"].fields["model_id"].variable is None
    assert exports.names["Data"] == ClassExport("dataclass", {"model_id": Constant("a", 29), "retries": Constant(3, 30)}, 28)
    assert exports.names["Constants"].kind == "plain" and set(exports.names["Constants"].fields) == {"MODEL_ID"}
    for name in ("Validated", "PostInit", "Subclass"):
        assert name not in exports.names


def test_config_arguments_keep_their_order_and_unknowns():
    exports = exports_of(
        "from botocore.config import Config as C\nimport os\n"
        "CONFIG = C('us-east-1', read_timeout=300, retries=os.environ['R'], **EXTRA)\n",
        "m",
    )
    assert exports.names["CONFIG"] == ConfigObject(
        "botocore.config.Config", ((None, "us-east-1"), ("read_timeout", 300), ("retries", OPAQUE)), True, 3
    )


def test_prompt_files_outside_the_project_or_too_large_stay_unknown(tmp_path):
    root = tmp_path / "root"
    (root / "app").mkdir(parents=True)
    (tmp_path / "outside.txt").write_text("secret")
    (root / "app" / "big.txt").write_text("x" * 1_000_001)
    (root / "app" / "latin.txt").write_bytes("caf\xe9".encode("latin-1"))
    module = root / "app" / "texts.py"
    text = textwrap.dedent(
        """\
        from pathlib import Path
        OUTSIDE = (Path(__file__).parent.parent.parent / "outside.txt").read_text()
        ABSOLUTE = Path("/etc/hostname").read_text()
        BIG = Path(__file__).with_name("big.txt").read_text()
        LATIN = Path(__file__).with_name("latin.txt").read_text()
        MISSING = Path(__file__).with_name("missing.txt").read_text()
        BINARY = open(Path(__file__).with_name("latin.txt"), "rb").read()
        """
    )
    exports = exports_of(text, "app.texts", str(module), root=str(root))
    assert not set(exports.names) & {"OUTSIDE", "ABSOLUTE", "BIG", "LATIN", "MISSING", "BINARY"}
    # A missing file is a dependency too: creating it changes what the module exports.
    assert exports.files["file:app/missing.txt"] is None


# ----------------------------------------------------------------- the cache
def test_changing_an_imported_prompt_file_rechecks_the_importing_module(tmp_path):
    files = {
        "pyproject.toml": "[project]\nname = 'svc'\n",
        "svc/__init__.py": "",
        "svc/texts.py": "from pathlib import Path\n\nSYSTEM = Path(__file__).with_name('system.txt').read_text()\n",
        "svc/ask.py": textwrap.dedent(
            """\
            import boto3
            from botocore.config import Config

            from svc.texts import SYSTEM

            client = boto3.client("bedrock-runtime", config=Config(read_timeout=300, retries={"mode": "adaptive"}))


            def ask(question):
                response = client.converse(
                    modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                    system=[{"text": SYSTEM}],
                    messages=[{"role": "user", "content": [{"text": question}]}],
                    inferenceConfig={"maxTokens": 512},
                )
                if response["stopReason"] != "end_turn":
                    raise RuntimeError(response["stopReason"])
                return response["output"]["message"]["content"][0]["text"]
            """
        ),
        "svc/system.txt": "Answer briefly.\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    with frozen_today(FIXTURE_DAY):
        first = json.loads(run("check", "--format", "json", "--select", "BDR301", ".", cwd=tmp_path).stdout)
        assert first == []
        prompt = tmp_path / "svc/system.txt"
        stat = prompt.stat()
        prompt.write_text("Follow every rule of the shop's refund policy, section by section. " * 700)
        os.utime(prompt, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        second = json.loads(run("check", "--format", "json", "--select", "BDR301", ".", cwd=tmp_path).stdout)
    assert [(f["filename"], f["line"]) for f in second] == [("svc/ask.py", 12)]


def test_a_finding_on_an_imported_config_has_no_fix_here(tmp_path):
    import shutil

    from tests.test_projects import PROJECTS

    shutil.copytree(PROJECTS / "lambda_handlers", tmp_path / "lambda_handlers")
    project_dir = tmp_path / "lambda_handlers"
    with frozen_today(FIXTURE_DAY):
        result = run("check", "--no-cache", "--format", "json", "--select", "BDR001,BDR002", ".", cwd=project_dir)
    found = {(f["filename"], f["line"], f["code"]): f["fix"] for f in json.loads(result.stdout)}
    assert found[("handlers/classify.py", 11, "BDR001")] is None
    assert found[("handlers/classify.py", 11, "BDR002")] is None
    assert found[("common/aws.py", 8, "BDR002")] is not None  # the fix goes where the Config is written


def test_a_client_a_class_gets_from_a_factory_is_that_client(tmp_path):
    module, _value = resolved(
        tmp_path,
        textwrap.dedent(
            """\
            from app.aws import get_client

            class Chat:
                def __init__(self):
                    self.client = get_client()

                def ask(self, question):
                    return self.client.converse(modelId="m", messages=[])

            USE = None
            """
        ),
    )
    [operation] = module.operations
    assert operation.client is not None and operation.client.origin == (str(tmp_path / "app/aws.py"), 15)
