"""The project index (analysis/project.py): module names, exports, and each resolution form."""

from __future__ import annotations

import pickle
import textwrap
from pathlib import Path

import pytest

from bedrock_lint.analysis.project import (
    Constant,
    Environment,
    Found,
    ModuleReference,
    PlainDict,
    PlainList,
    ProjectIndex,
    RuntimeClient,
    absolute_module,
    exports_of,
)


def project(tmp_path: Path, files: dict[str, str]) -> ProjectIndex:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    paths = []
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
        paths.append(str(path))
    return ProjectIndex(paths)


def lookup(index: ProjectIndex, tmp_path: Path, importer: str, dotted: str):
    view = index.module_of(str(tmp_path / importer))
    assert view is not None
    return view.lookup(dotted)


FILES = {
    "app/__init__.py": "from .bedrock import client\nfrom app.config import MODEL_ID as DEFAULT_MODEL\n",
    "app/bedrock.py": "import boto3\nclient = boto3.client('bedrock-runtime', region_name='us-east-1')\n",
    "app/config.py": """\
        import os
        MODEL_ID = "anthropic.claude-3-sonnet-20240229-v1:0"
        FAST = MODEL_ID
        REGION = os.environ.get("AWS_REGION", "us-west-2")
        INFERENCE = {"maxTokens": 512, "temperature": 0.5}
        STOP = ["\\n\\nHuman:"]
        PREFIX = "us"
        PROFILE = f"{PREFIX}.anthropic.claude-3-5-haiku-20241022-v1:0"
        JOINED = ("anthropic.claude-"
                  "3-haiku-20240307-v1:0")
        TWICE = "a"
        TWICE = "b"
        if os.environ.get("X"):
            BRANCH = "anthropic.claude-3-haiku-20240307-v1:0"
        """,
    "app/api/__init__.py": "",
    "app/api/chat.py": "from ..config import MODEL_ID\n",
    "app/prompts.py": "SYSTEM_PROMPT = 'You are a helpful assistant.'\n",
}


def test_module_names_come_from_the_nearest_project_root(tmp_path):
    index = project(tmp_path, {**FILES, "src/lib/util.py": "X = 1\n"})
    assert index.names[str(tmp_path / "app/api/chat.py")][1] == "app.api.chat"
    assert index.names[str(tmp_path / "app/__init__.py")][1] == "app"
    assert index.names[str(tmp_path / "src/lib/util.py")][1] == "lib.util"  # src/ is an import root


def test_absolute_import_of_a_constant(tmp_path):
    index = project(tmp_path, FILES)
    found = lookup(index, tmp_path, "app/api/chat.py", "app.config.MODEL_ID")
    assert isinstance(found, Found) and found.export == Constant("anthropic.claude-3-sonnet-20240229-v1:0", 2)
    assert found.path == str(tmp_path / "app/config.py")


def test_relative_import(tmp_path):
    index = project(tmp_path, FILES)
    view = index.module_of(str(tmp_path / "app/api/chat.py"))
    assert absolute_module("config", 2, view.package) == "app.config"
    assert absolute_module(None, 1, view.package) == "app.api"
    assert absolute_module("x", 4, view.package) is None  # above the top package
    assert absolute_module("x", 1, "") is None


def test_init_re_export_and_alias(tmp_path):
    index = project(tmp_path, FILES)
    client = lookup(index, tmp_path, "app/api/chat.py", "app.client")
    assert isinstance(client, Found) and client.export == RuntimeClient(2) and client.module == "app.bedrock"
    aliased = lookup(index, tmp_path, "app/api/chat.py", "app.DEFAULT_MODEL")
    assert isinstance(aliased, Found) and aliased.module == "app.config"
    same = lookup(index, tmp_path, "app/api/chat.py", "app.config.FAST")  # FAST = MODEL_ID
    assert isinstance(same, Found) and same.export.value == "anthropic.claude-3-sonnet-20240229-v1:0"


def test_modules_are_references(tmp_path):
    index = project(tmp_path, FILES)
    assert lookup(index, tmp_path, "app/api/chat.py", "app.api") == ModuleReference("app.api")


def test_constant_forms(tmp_path):
    index = project(tmp_path, FILES)

    def value(name):
        found = lookup(index, tmp_path, "app/api/chat.py", f"app.config.{name}")
        return found.export if isinstance(found, Found) else None

    assert value("REGION") == Environment("AWS_REGION", Constant("us-west-2", 4), 4)
    assert value("INFERENCE") == Constant(PlainDict((("maxTokens", 512), ("temperature", 0.5))), 5)
    assert value("STOP") == Constant(PlainList(("\n\nHuman:",)), 6)
    assert value("PROFILE").value == "us.anthropic.claude-3-5-haiku-20241022-v1:0"
    assert value("JOINED").value == "anthropic.claude-3-haiku-20240307-v1:0"


def test_a_name_bound_twice_or_in_a_branch_is_unknown(tmp_path):
    index = project(tmp_path, FILES)
    assert lookup(index, tmp_path, "app/api/chat.py", "app.config.TWICE") is None
    assert lookup(index, tmp_path, "app/api/chat.py", "app.config.BRANCH") is None


def test_a_name_a_function_declares_global_is_unknown():
    exports = exports_of("MODEL = 'a'\ndef set_model(m):\n    global MODEL\n    MODEL = m\n", "m")
    assert "MODEL" not in exports.names and "MODEL" in exports.unknown


def test_a_module_outside_the_project_is_unknown(tmp_path):
    index = project(tmp_path, {**FILES, "app/third.py": "from boto3 import client\nfrom requests import Session\n"})
    assert lookup(index, tmp_path, "app/api/chat.py", "boto3.client") is None
    assert lookup(index, tmp_path, "app/api/chat.py", "app.third.client") is None  # re-exports boto3's
    assert lookup(index, tmp_path, "app/api/chat.py", "app.missing.X") is None


def test_import_cycles_end(tmp_path):
    index = project(tmp_path, {"a.py": "from b import X\n", "b.py": "from a import X\n"})
    assert lookup(index, tmp_path, "a.py", "b.X") is None


def test_session_clients_and_other_services():
    exports = exports_of(
        "import boto3\n"
        "session = boto3.Session(profile_name='p')\n"
        "runtime = session.client('bedrock-runtime')\n"
        "direct = boto3.Session().client(service_name='bedrock-runtime')\n"
        "control = boto3.client('bedrock')\n"
        "s3 = boto3.client('s3')\n",
        "m",
    )
    assert exports.names["runtime"] == RuntimeClient(3)
    assert exports.names["direct"] == RuntimeClient(4)
    assert "control" not in exports.names and "s3" not in exports.names


def test_lookups_record_the_modules_they_read(tmp_path):
    index = project(tmp_path, FILES)
    view = index.module_of(str(tmp_path / "app/api/chat.py"))
    view.lookup("app.client")
    assert set(view.dependencies) >= {"app", "app.bedrock"}
    assert all(digest is None or len(digest) == 32 for digest in view.dependencies.values())


def test_the_index_pickles_without_its_exports(tmp_path):
    index = project(tmp_path, FILES)
    lookup(index, tmp_path, "app/api/chat.py", "app.config.MODEL_ID")
    copy = pickle.loads(pickle.dumps(index))
    assert copy.modules == index.modules and copy._exports == {}
    assert isinstance(lookup(copy, tmp_path, "app/api/chat.py", "app.config.MODEL_ID"), Found)


def _index_of(index: ProjectIndex, tmp_path: Path, name: str):
    import libcst as cst

    from bedrock_lint.analysis.index import build_index

    text = (tmp_path / name).read_text()
    return build_index(cst.parse_module(text), text, name, project=index.module_of(str(tmp_path / name)))


@pytest.mark.parametrize(
    "importer",
    [
        "import app.config\nVALUE = app.config.MODEL_ID\n",
        "import app.config as settings\nVALUE = settings.MODEL_ID\n",
        "from app import config\nVALUE = config.MODEL_ID\n",
        "from app.config import MODEL_ID as VALUE\n",
        "from ..config import MODEL_ID\nVALUE = MODEL_ID\n",
        "from app import DEFAULT_MODEL as VALUE\n",
    ],
)
def test_every_import_form_resolves_to_the_constant(tmp_path, importer):
    from bedrock_lint.analysis.values import Literal

    index = project(tmp_path, {**FILES, "app/api/chat.py": importer + "USE = VALUE\n"})
    module = _index_of(index, tmp_path, "app/api/chat.py")
    use = module.module_scope.bindings["USE"][0].value
    value = module.resolve(use, module.module_scope)
    assert isinstance(value, Literal) and value.value == "anthropic.claude-3-sonnet-20240229-v1:0"
    assert value.origin == (str(tmp_path / "app/config.py"), 2)
    assert id(value.node) in module.resolver.imported  # a node of this module: where it is used


def test_without_a_project_imported_names_stay_unknown(tmp_path):
    import libcst as cst

    from bedrock_lint.analysis.index import build_index
    from bedrock_lint.analysis.values import UNKNOWN

    text = "from app.config import MODEL_ID\nVALUE = MODEL_ID\n"
    module = build_index(cst.parse_module(text), text)
    assert module.resolve(module.module_scope.bindings["VALUE"][0].value, module.module_scope) is UNKNOWN


def test_a_directory_no_import_can_name_is_an_import_root(tmp_path):
    # samples/chat-app/ cannot be a package: its files import each other as top-level
    # modules, with the directory on sys.path (a script, a Lambda function's package).
    index = project(tmp_path, {
        "samples/chat-app/app.py": "from clients import client\nfrom lib.ids import MODEL\n",
        "samples/chat-app/clients.py": "import boto3\nclient = boto3.client('bedrock-runtime')\n",
        "samples/chat-app/lib/ids.py": "MODEL = 'anthropic.claude-3-haiku-20240307-v1:0'\n",
        "src/my-fn/handler.py": "X = 1\n",
    })
    root = str(tmp_path / "samples/chat-app")
    assert index.names[str(tmp_path / "samples/chat-app/app.py")] == (root, "app")
    assert index.names[str(tmp_path / "samples/chat-app/lib/ids.py")] == (root, "lib.ids")
    assert index.names[str(tmp_path / "src/my-fn/handler.py")] == (str(tmp_path / "src/my-fn"), "handler")
    client = lookup(index, tmp_path, "samples/chat-app/app.py", "clients.client")
    assert isinstance(client, Found) and client.export == RuntimeClient(2)
    model = lookup(index, tmp_path, "samples/chat-app/app.py", "lib.ids.MODEL")
    assert isinstance(model, Found) and model.export.value == "anthropic.claude-3-haiku-20240307-v1:0"


def test_a_name_no_top_level_module_has_is_looked_for_beside_the_importing_module(tmp_path):
    index = project(tmp_path, {
        "app/main.py": "from settings import MODEL\nfrom helpers import REGION\n",
        "app/settings.py": "MODEL = 'anthropic.claude-3-haiku-20240307-v1:0'\n",
        # A re-export through a sibling: followed from that sibling's directory.
        "app/helpers.py": "from regions import REGION\n",
        "app/regions.py": "REGION = 'eu-west-1'\n",
        # A top-level module of the same name wins over the sibling.
        "tools/run.py": "from config import X\n",
        "tools/config.py": "X = 'beside'\n",
        "config.py": "X = 'top'\n",
    })
    model = lookup(index, tmp_path, "app/main.py", "settings.MODEL")
    assert isinstance(model, Found) and model.module == "app.settings"
    region = lookup(index, tmp_path, "app/main.py", "helpers.REGION")
    assert isinstance(region, Found) and region.export.value == "eu-west-1" and region.module == "app.regions"
    top = lookup(index, tmp_path, "tools/run.py", "config.X")
    assert isinstance(top, Found) and top.export.value == "top"
    assert lookup(index, tmp_path, "app/main.py", "missing.X") is None


def test_files_outside_any_project_import_their_siblings(tmp_path):
    paths = []
    for name, text in {"a.py": "from b import MODEL\n", "b.py": "MODEL = 'anthropic.claude-3-haiku-20240307-v1:0'\n"}.items():
        (tmp_path / name).write_text(text)
        paths.append(str(tmp_path / name))
    index = ProjectIndex(paths)  # no pyproject.toml, setup.cfg or .git above
    found = lookup(index, tmp_path, "a.py", "b.MODEL")
    assert isinstance(found, Found) and found.export.value == "anthropic.claude-3-haiku-20240307-v1:0"


def test_a_call_of_a_sibling_module_s_factory_is_followed_from_the_calling_module(tmp_path):
    index = project(tmp_path, {
        "app/main.py": "from helpers import MODEL\n",
        "app/helpers.py": "from ids import get_model\nMODEL = get_model()\n",
        "app/ids.py": "def get_model():\n    return 'anthropic.claude-3-haiku-20240307-v1:0'\n",
    })
    found = lookup(index, tmp_path, "app/main.py", "helpers.MODEL")
    assert isinstance(found, Found) and found.export.value == "anthropic.claude-3-haiku-20240307-v1:0"


def test_modules_outside_the_run_are_found_on_disk_in_the_project(tmp_path):
    """One file of the run is enough: what it imports is found under its project root
    (a package before a module of the same name, and under ``src/`` too)."""
    full = project(tmp_path, {**FILES, "src/lib/util.py": "LIMIT = 7\n", "app/extra.py": "X = 1\n", "app/extra/__init__.py": "X = 2\n"})
    alone = ProjectIndex([str(tmp_path / "app/api/chat.py")])
    assert alone and str(tmp_path / "app/config.py") not in alone
    assert alone.tops == full.tops
    found = lookup(alone, tmp_path, "app/api/chat.py", "app.config.MODEL_ID")
    assert isinstance(found, Found) and found.path == str(tmp_path / "app/config.py")
    for index in (alone, full):  # the package, as Python imports it, whatever the run holds
        assert lookup(index, tmp_path, "app/api/chat.py", "app.extra.X").export.value == 2
    assert lookup(alone, tmp_path, "app/api/chat.py", "lib.util.LIMIT").export.value == 7
    assert lookup(alone, tmp_path, "app/api/chat.py", "app.missing.X") is None


def test_a_given_text_replaces_the_file_on_disk(tmp_path):
    project(tmp_path, FILES)
    config = str(tmp_path / "app/config.py")
    index = ProjectIndex([str(tmp_path / "app/api/chat.py")], texts={config: b"MODEL_ID = 'edited'\n"})
    view = index.module_of(str(tmp_path / "app/api/chat.py"))
    assert view.lookup("app.config.MODEL_ID").export.value == "edited"
    assert index.dependencies_hold(str(tmp_path / "app/api/chat.py"), dict(view.dependencies))
    index.replace_text(config, b"MODEL_ID = 'again'\n")
    assert not index.dependencies_hold(str(tmp_path / "app/api/chat.py"), dict(view.dependencies))
    assert index.module_of(str(tmp_path / "app/api/chat.py")).lookup("app.config.MODEL_ID").export.value == "again"


def test_the_flake8_plugin_gives_the_text_it_checked_as_decoded(tmp_path):
    """flake8 passes the file's lines decoded (by its coding cookie); that text stands for
    the module, and is not decoded again."""
    from bedrock_lint.integrations.flake8_plugin import BedrockLintChecker

    project(tmp_path, {"app/__init__.py": "", "app/prompts.py": "X = 1\n"})
    text = "# -*- coding: latin-1 -*-\nGREETING = 'h\u00e9llo'\n"
    (tmp_path / "app/prompts.py").write_bytes(text.encode("latin-1"))
    BedrockLintChecker._project = None
    try:
        view = BedrockLintChecker._project_of(tmp_path / "app/prompts.py", text)
        assert view is not None and view.name == "app.prompts"
        index = BedrockLintChecker._project
        assert index.exports(view.root, "app.prompts").names["GREETING"].value == "h\u00e9llo"
    finally:
        BedrockLintChecker._project = None


def test_a_directory_without_python_files_is_no_top_level_package(tmp_path):
    # build/ (a cache a run writes, say) must not change the layout, and so the cache key,
    # of the next run; a namespace package two levels deep still counts.
    project(tmp_path, {"app.py": "X = 1\n", "ns/inner/mod.py": "Y = 2\n"})
    (tmp_path / "build" / "lint-cache").mkdir(parents=True)
    (tmp_path / "build" / "lint-cache" / "cache.json").write_text("{}")
    (tmp_path / "__pycache__").mkdir()
    index = ProjectIndex([str(tmp_path / "app.py")])
    assert index.tops[str(tmp_path)] == {"app", "ns"}
