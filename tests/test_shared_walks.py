"""The walks and lookups the analysis shares instead of repeating (issue 24's server
target): each gives what the direct computation it replaces gives."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import libcst as cst
import pytest

from bedrock_lint.analysis.index import build_index
from bedrock_lint.analysis.positions import NodeOffsets
from bedrock_lint.analysis.walk import _child_fields, iter_children, tree_links, with_parents
from bedrock_lint.catalog.models import catalog_held, load_catalog, packaged_catalog_text
from bedrock_lint.fixes.builders import scope_at
from bedrock_lint.fixes.wrapping import LineFitter

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _fixture_modules() -> list[tuple[str, cst.Module]]:
    modules = []
    for path in sorted(FIXTURES.rglob("*.py")):
        try:
            modules.append((str(path.relative_to(FIXTURES)), cst.parse_module(path.read_text(encoding="utf-8"))))
        except (cst.ParserSyntaxError, UnicodeDecodeError):
            continue
    return modules


MODULES = _fixture_modules()


def _children_by_isinstance(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The children ``iter_children`` gave before its type sets: each walked field's
    value, or item of a list or tuple, that ``isinstance`` says is a node."""
    found = []
    for name in _child_fields(type(node)):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            found.append(value)
        elif type(value) in (list, tuple):
            found.extend(item for item in value if isinstance(item, cst.CSTNode))
    return found


def test_there_are_fixture_modules_to_walk():
    assert len(MODULES) > 100


@pytest.mark.parametrize(("name", "module"), MODULES, ids=[name for name, _ in MODULES])
def test_the_parent_map_and_the_nodes_by_type_are_those_of_a_walk(name, module):
    walked = list(with_parents(module))
    parents, by_type = tree_links(module)
    assert parents == {id(node): parent for node, parent in walked if parent is not None}
    expected: dict[type, set[int]] = {}
    for node, parent in walked:
        if parent is not None:
            expected.setdefault(type(node), set()).add(id(node))
    assert {kind: {id(node) for node in nodes} for kind, nodes in by_type.items()} == expected
    assert sum(len(nodes) for nodes in by_type.values()) == len(walked) - 1


def test_iter_children_gives_what_isinstance_gave():
    for _, module in MODULES:
        for node, _ in with_parents(module):
            assert [id(child) for child in iter_children(node)] == [id(child) for child in _children_by_isinstance(node)]


SCOPES = textwrap.dedent(
    '''
    import os

    def outer(a=os.getcwd()):
        first = 1

        @decorate(os.sep)
        def inner(b):
            return lambda c: os.path.join(b, c)

        class Holder:
            value = os.name

            def method(self):
                return os.environ

        return inner

    top = os.getpid()
    '''
)


def module_nodes(module: cst.Module):
    return [node for node, _ in with_parents(module)]


@pytest.mark.parametrize(
    ("describe", "expected"),
    [
        (lambda n: isinstance(n, cst.Attribute) and n.attr.value == "getcwd", None),  # a default: outside the body
        (lambda n: isinstance(n, cst.Attribute) and n.attr.value == "sep", "outer"),  # a decorator of inner
        (lambda n: isinstance(n, cst.Attribute) and n.attr.value == "join", "inner"),  # in a lambda of inner
        (lambda n: isinstance(n, cst.Attribute) and n.attr.value == "name", "Holder"),
        (lambda n: isinstance(n, cst.Attribute) and n.attr.value == "environ", "method"),
        (lambda n: isinstance(n, cst.Attribute) and n.attr.value == "getpid", None),
        (lambda n: isinstance(n, cst.Name) and n.value == "first", "outer"),
    ],
)
def test_scope_at_is_the_innermost_function_or_class_whose_body_holds_the_node(describe, expected):
    module = cst.parse_module(SCOPES)
    index = build_index(module, SCOPES)
    node = next(node for node in module_nodes(module) if describe(node))
    scope = scope_at(index, node)
    assert (None if scope is index.module_scope else scope.name) == expected


def test_scope_at_a_node_outside_the_module_is_the_module_scope():
    module = cst.parse_module(SCOPES)
    index = build_index(module, SCOPES)
    assert scope_at(index, cst.parse_expression("os.sep")) is index.module_scope


@pytest.mark.parametrize("text", [
    'import boto3\nc = boto3.client("s3", config=dict(a=[1, {"b": (2, f(3))}]))\n',
    "def f():\n    if x:\n        return g([1, 2], {'a': h(b)})\n",
    "x = 1\n\f\ny = f([1, 2])\n",  # a form feed libcst drops: offsets into the text still
])
def test_the_offsets_pass_records_every_call_dict_and_list_a_fix_may_rewrap(text):
    module = cst.parse_module(text)
    offsets = NodeOffsets(module, [], text, kinds=LineFitter.TARGET_KINDS)
    found = [node for node in module_nodes(module) if type(node) in LineFitter.TARGET_KINDS]
    assert found
    for node in found:
        start, end = offsets.full(node)
        assert text[start:end] == module.code_for_node(node)


def test_the_offsets_pass_records_nothing_but_what_was_asked_without_kinds():
    text = "x = f([1, 2])\n"
    module = cst.parse_module(text)
    call = module.body[0].body[0].value
    offsets = NodeOffsets(module, [call], text)
    assert offsets.full(call) == (4, 13)
    with pytest.raises(KeyError):
        offsets.full(call.args[0].value)


def _catalog_text(version: str) -> str:
    data = json.loads(packaged_catalog_text())
    data["version"] = version
    return json.dumps(data)


def test_within_catalog_held_the_catalog_file_is_read_once(tmp_path):
    path = tmp_path / "catalog.json"
    path.write_text(_catalog_text("first"), encoding="utf-8")
    with catalog_held():
        first = load_catalog(str(path))
        path.write_text(_catalog_text("second version"), encoding="utf-8")
        os.utime(path, ns=(1, 1))
        assert load_catalog(str(path)) is first
    # Outside a block (and in the next one) the file is looked at again.
    assert load_catalog(str(path)) is not first
    with catalog_held():
        assert load_catalog(str(path)) is not first


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # Only the uses in the scope that owns the client's name count: another
        # function's ``client`` (a parameter) is another value.
        (
            """
            import boto3

            def check():
                client = boto3.client("bedrock-runtime")
                return client.exceptions.ThrottlingException

            def other(client):
                print(client.meta)
                return client.meta
            """,
            True,
        ),
        (
            """
            import boto3

            def check():
                client = boto3.client("bedrock-runtime")
                client.converse(modelId="m", messages=[])
                return client.exceptions.ThrottlingException
            """,
            False,
        ),
        # ``self.bedrock`` of this class only; another class's attribute of that name is another value.
        (
            """
            import boto3

            class Checker:
                def __init__(self):
                    self.bedrock = boto3.client("bedrock-runtime")

                def models(self):
                    return self.bedrock.list_foundation_models()

            class Other:
                def run(self):
                    return self.bedrock.converse(modelId="m", messages=[])
            """,
            True,
        ),
    ],
)
def test_a_client_read_only_for_other_attributes_is_judged_in_its_own_region(source, expected):
    from bedrock_lint.analysis.bedrock import reads_only_other_attributes

    text = textwrap.dedent(source)
    index = build_index(cst.parse_module(text), text)
    (client,) = [c for c in index.clients if c.constructor == "boto3.client"]
    assert reads_only_other_attributes(index, client) is expected
