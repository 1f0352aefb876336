"""Reading sources (encodings, line endings, notebooks) and writing fixed text back."""

from __future__ import annotations

import json
import os
from pathlib import Path

import libcst
import pytest

from bedrock_lint.engine.source import (
    JUPYTER_JSON_STYLE,
    SourceError,
    cell_position,
    detect_json_style,
    dump_notebook,
    encode_source,
    neutralise_ipython,
    read_source,
    source_from_bytes,
)


def apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    """What the engine does with edits (fixes.applier.apply_edits)."""
    for start, end, content in sorted(edits, reverse=True):
        text = text[:start] + content + text[end:]
    return text


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def assert_valid_python(text: str) -> None:
    libcst.parse_module(text)
    compile(text, "x", "exec")


# ---------------------------------------------------------------------------
# Python files


def test_plain_utf8(tmp_path):
    raw = "name = 'café'\nprint(name)\n".encode()
    source = read_source(write(tmp_path, "app.py", raw), "app.py")
    assert source.text == "name = 'café'\nprint(name)\n"
    assert (source.encoding, source.bom, source.newline, source.kind) == ("utf-8", False, "\n", "python")
    assert source.raw == raw
    assert source.path == tmp_path / "app.py"
    assert source.cells is None and source.notebook is None
    assert cell_position(source, 2, 3) == (None, 2, 3)


def test_kind_from_suffix():
    assert source_from_bytes(b"x: int\n", "types.pyi").kind == "stub"
    assert source_from_bytes(b"x = 1\n", "-").kind == "python"
    assert source_from_bytes(b"x = 1\n", "script").kind == "python"


def test_bom_is_kept_through_a_round_trip(tmp_path):
    raw = b"\xef\xbb\xbfx = 1\n"
    source = read_source(write(tmp_path, "bom.py", raw), "bom.py")
    assert source.text == "x = 1\n"
    assert source.bom and source.encoding == "utf-8"
    assert encode_source(source, source.text) == raw
    assert encode_source(source, "x = 2\n", [(4, 5, "2")]) == b"\xef\xbb\xbfx = 2\n"


def test_bom_with_a_utf8_cookie_is_fine():
    source = source_from_bytes(b"\xef\xbb\xbf# coding: utf-8\nx = 1\n", "a.py")
    assert source.bom and source.text.startswith("# coding")


def test_bom_with_a_different_cookie_is_an_error():
    with pytest.raises(SourceError, match="'latin-1'.*byte order mark"):
        source_from_bytes(b"\xef\xbb\xbf# coding: latin-1\nx = 1\n", "a.py")


def test_crlf_is_preserved_byte_for_byte(tmp_path):
    raw = b"import boto3\r\nclient = boto3.client('bedrock-runtime')\r\nx = 1\r\n"
    source = read_source(write(tmp_path, "crlf.py", raw), "crlf.py")
    assert source.newline == "\r\n"
    assert "\r\n" in source.text  # not translated
    start = source.text.index("x = 1")
    edits = [(start, start + 5, "x = 2")]
    new_bytes = encode_source(source, apply(source.text, edits), edits)
    assert new_bytes == raw.replace(b"x = 1", b"x = 2")


def test_dominant_newline():
    assert source_from_bytes(b"a\r\nb\r\nc\n", "a.py").newline == "\r\n"
    assert source_from_bytes(b"a\rb\rc\n", "a.py").newline == "\r"
    assert source_from_bytes(b"a = 1", "a.py").newline == "\n"


def test_latin1_cookie_decodes_and_round_trips(tmp_path):
    raw = "# -*- coding: latin-1 -*-\nname = 'café'\n".encode("latin-1")
    source = read_source(write(tmp_path, "old.py", raw), "old.py")
    assert "café" in source.text
    assert source.encoding == "iso-8859-1"
    assert encode_source(source, source.text) == raw
    start = source.text.index("café")
    edits = [(start, start + 4, "thé")]
    expected = raw.replace("café".encode("latin-1"), "thé".encode("latin-1"))
    assert encode_source(source, apply(source.text, edits), edits) == expected


def test_cookie_on_line_two_after_a_shebang():
    raw = "#!/usr/bin/env python\n# vim: set fileencoding=latin-1 :\nx = 'é'\n".encode("latin-1")
    assert source_from_bytes(raw, "a.py").text.endswith("x = 'é'\n")


def test_cookie_on_line_two_after_code_does_not_count():
    raw = "x = 1\n# coding: latin-1\ny = 'é'\n".encode("latin-1")
    with pytest.raises(SourceError, match="utf-8"):
        source_from_bytes(raw, "a.py")


def test_character_the_encoding_cannot_represent_is_a_source_error():
    source = source_from_bytes(b"# coding: latin-1\nx = 1\n", "a.py")
    with pytest.raises(SourceError, match="cannot be encoded as iso-8859-1"):
        encode_source(source, "# coding: latin-1\nx = '\u2026'\n")


def test_undecodable_file_without_cookie(tmp_path):
    raw = b"x = 1\ny = 2\nz = 3\nname = 'caf\xe9'\n"
    path = write(tmp_path, "bad.py", raw)
    with pytest.raises(SourceError) as caught:
        read_source(path, "bad.py")
    message = str(caught.value)
    assert "cannot decode as utf-8" in message
    assert f"at byte {raw.index(bytes([0xE9]))} " in message
    assert "line 4" in message
    assert "coding cookie" in message
    assert "bad.py" not in message


def test_undecodable_file_with_cookie_points_at_the_cookie():
    raw = b"# coding: ascii\nname = 'caf\xe9'\n"
    with pytest.raises(SourceError, match="line 2.*fix the coding cookie on line 1"):
        source_from_bytes(raw, "a.py")


def test_binary_file(tmp_path):
    path = write(tmp_path, "blob.py", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(SourceError, match="binary file"):
        read_source(path, "blob.py")


def test_unknown_cookie():
    with pytest.raises(SourceError, match=r"unknown encoding 'klingon' in coding cookie on line 1"):
        source_from_bytes(b"# -*- coding: klingon -*-\nx = 1\n", "a.py")
    with pytest.raises(SourceError, match=r"unknown encoding 'rot13' in coding cookie on line 2"):
        source_from_bytes(b"#!/usr/bin/python\n# coding: rot13\nx = 1\n", "a.py")


def test_empty_file(tmp_path):
    source = read_source(write(tmp_path, "empty.py", b""), "empty.py")
    assert source.text == "" and source.newline == "\n"
    assert encode_source(source, "") == b""


def test_unreadable_file(tmp_path):
    path = write(tmp_path, "secret.py", b"x = 1\n")
    path.chmod(0)
    try:
        try:
            path.read_bytes()
        except PermissionError:
            pass
        else:
            pytest.skip("this user can read files without permission (root)")
        with pytest.raises(SourceError, match="cannot read file: Permission denied"):
            read_source(path, "secret.py")
    finally:
        path.chmod(0o644)


def test_directory(tmp_path):
    with pytest.raises(SourceError, match="cannot read file: Is a directory"):
        read_source(tmp_path, "dir.py")


def test_broken_symlink(tmp_path):
    link = tmp_path / "gone.py"
    link.symlink_to(tmp_path / "missing.py")
    with pytest.raises(SourceError, match="cannot read file: broken symbolic link"):
        read_source(link, "gone.py")


def test_missing_file(tmp_path):
    with pytest.raises(SourceError, match="cannot read file: No such file or directory"):
        read_source(tmp_path / "nope.py", "nope.py")


# ---------------------------------------------------------------------------
# Notebooks


def cell(cell_type: str, source, **extra) -> dict:
    result = {"cell_type": cell_type, "metadata": {}, "source": source}
    if cell_type == "code":
        result = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}
    result.update(extra)
    return result


def notebook(*cells: dict, metadata: dict | None = None) -> dict:
    return {
        "cells": list(cells),
        "metadata": metadata if metadata is not None else {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python", "version": "3.11.7"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def jupyter_bytes(nb: dict) -> bytes:
    """A notebook file exactly as Jupyter/nbformat writes it."""
    return (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode()


MAGIC_NOTEBOOK = notebook(
    cell("markdown", ["# Calling Claude on Bedrock\n", "Set up first."]),
    cell("code", ["%matplotlib inline\n", "!pip install boto3\n", "import boto3"]),
    cell("code", ["%%bash\n", "echo 'hello\n", "ls -la | grep \"(\"\n"]),
    cell(
        "code",
        [
            "files = !ls\n",
            "client = boto3.client('bedrock-runtime')\n",
            "response = client.invoke_model(modelId='x', body='{}')",
        ],
        outputs=[{"name": "stdout", "output_type": "stream", "text": ["done\n"]}],
        execution_count=3,
    ),
    cell("markdown", "The end ✓"),
    cell("code", "for i in range(3):\n    %time f(i)\nboto3?\n??boto3.client\nx = %timeit f()"),
)


def test_notebook_with_magics_parses():
    source = source_from_bytes(jupyter_bytes(MAGIC_NOTEBOOK), "nb.ipynb")
    assert source.kind == "notebook" and source.encoding == "utf-8"
    assert source.notebook == MAGIC_NOTEBOOK
    assert_valid_python(source.text)
    assert "#matplotlib inline" in source.text
    assert "#pip install boto3" in source.text
    assert "#%bash" in source.text and "#cho 'hello" in source.text
    assert "#iles = !ls" in source.text
    assert "    0#ime f(i)" in source.text  # a statement: the for block must not be empty
    assert "client = boto3.client('bedrock-runtime')" in source.text
    # Character for character: same length as the cells themselves.
    code_cells = [c for c in MAGIC_NOTEBOOK["cells"] if c["cell_type"] == "code"]
    assert len(source.text) == sum(len("".join(c["source"])) + 1 for c in code_cells)


def test_cell_spans_and_positions():
    source = source_from_bytes(jupyter_bytes(MAGIC_NOTEBOOK), "nb.ipynb")
    assert [span.cell for span in source.cells] == [2, 3, 4, 6]  # markdown cells count
    assert [span.cell_index for span in source.cells] == [1, 2, 3, 5]
    third = source.cells[2]
    assert source.text[third.start_offset:third.end_offset].startswith("#iles = !ls\nclient")
    assert source.text[third.end_offset] == "\n"  # the separator
    # "response = ..." is line 3 of cell 4; find its line in the whole text.
    offset = source.text.index("response =")
    text_line = source.text.count("\n", 0, offset) + 1
    assert cell_position(source, text_line, 5) == (4, 3, 5)
    assert cell_position(source, 1, 1) == (2, 1, 1)
    # Lines follow on: every line of the text belongs to exactly one cell.
    for before, after in zip(source.cells, source.cells[1:]):
        assert after.start_line == before.start_line + before.line_count
    assert source.cells[1].line_count == 4  # "%%bash" cell ends in "\n": an empty last line


def test_cell_source_may_be_a_string():
    nb = notebook(cell("code", "x = 1\ny = 2"))
    source = source_from_bytes(jupyter_bytes(nb), "nb.ipynb")
    assert source.text == "x = 1\ny = 2\n"


def test_magics_are_only_recognised_at_statement_starts():
    code = 'x = (1\n     % 2)\ns = """\n!not a shell line\n"""\ny = 3 \\\n    % 2\nprint("?")\n'
    assert neutralise_ipython(code) == code


def test_magic_continuation_lines_are_commented():
    code = "!pip install \\\n    boto3 \\\n    anthropic\nimport boto3\n"
    result = neutralise_ipython(code)
    assert result == "#pip install \\\n    #oto3 \\\n    #nthropic\nimport boto3\n"
    assert len(result) == len(code)


def test_python_body_cell_magic_keeps_the_body():
    code = "%%time\nresponse = client.invoke_model(modelId='x', body='{}')\n"
    assert neutralise_ipython(code) == "#%time\nresponse = client.invoke_model(modelId='x', body='{}')\n"


def test_notebook_round_trip_with_an_edit():
    original = jupyter_bytes(MAGIC_NOTEBOOK)
    source = source_from_bytes(original, "nb.ipynb")
    start = source.text.index("'bedrock-runtime'")
    edits = [(start, start + len("'bedrock-runtime'"), "'bedrock-runtime', region_name='us-east-1'")]
    new_bytes = encode_source(source, apply(source.text, edits), edits)

    expected = json.loads(original)
    expected["cells"][3]["source"][1] = "client = boto3.client('bedrock-runtime', region_name='us-east-1')\n"
    assert json.loads(new_bytes) == expected  # outputs, metadata, other cells untouched
    assert new_bytes == jupyter_bytes(expected)  # and written as Jupyter writes it
    # The neutralised magics were written back as they were.
    assert b"!pip install boto3" in new_bytes and b"files = !ls" in new_bytes

    again = source_from_bytes(new_bytes, "nb.ipynb")
    assert "region_name='us-east-1'" in again.text


def test_edit_in_a_string_source_cell_keeps_a_string():
    nb = notebook(cell("code", "x = 1\ny = 2"), cell("code", ["z = 3"]))
    source = source_from_bytes(jupyter_bytes(nb), "nb.ipynb")
    edits = [(4, 5, "10"), (source.text.index("3"), source.text.index("3") + 1, "4\nw = 5")]
    new_nb = json.loads(encode_source(source, apply(source.text, edits), edits))
    assert new_nb["cells"][0]["source"] == "x = 10\ny = 2"
    assert new_nb["cells"][1]["source"] == ["z = 4\n", "w = 5"]


def test_edit_with_the_separator_deletes_the_cell_last_line():
    nb = notebook(cell("code", ["import os\n", "import sys"]), cell("code", ["x = 1"]))
    source = source_from_bytes(jupyter_bytes(nb), "nb.ipynb")
    start = source.text.index("import sys")
    edits = [(start, start + len("import sys\n"), "")]
    new_nb = json.loads(encode_source(source, apply(source.text, edits), edits))
    assert new_nb["cells"][0]["source"] == ["import os\n"]
    assert new_nb["cells"][1]["source"] == ["x = 1"]


def test_magic_lines_copied_into_an_edit_are_written_back_as_they_were():
    loop = "for i in range(3):\n    %time f(i)\n    !echo done\n"
    nb = notebook(cell("code", ["%matplotlib inline\n", "x = 1\n"]), cell("code", loop))
    source = source_from_bytes(jupyter_bytes(nb), "nb.ipynb")
    start = source.text.index("for i")
    end = source.text.index("done") + len("done\n")
    old = source.text[start:end]
    assert "0#ime f(i)" in old
    # A fix that wraps the loop in a try block, copying (and re-indenting) its text.
    indented = "".join("    " + line for line in old.splitlines(keepends=True))
    wrapped = "try:\n" + indented + "except Exception:\n    pass\n"
    x_start = source.text.index("x = 1")
    edits = [(start, end, wrapped), (x_start, x_start + 5, "x = 2")]
    new_nb = json.loads(encode_source(source, apply(source.text, edits), edits))
    assert new_nb["cells"][0]["source"] == ["%matplotlib inline\n", "x = 2\n"]
    assert new_nb["cells"][1]["source"] == (
        "try:\n    for i in range(3):\n        %time f(i)\n        !echo done\nexcept Exception:\n    pass\n"
    )


def test_edit_across_cells_is_refused():
    nb = notebook(cell("code", ["a = 1"]), cell("code", ["b = 2"]))
    source = source_from_bytes(jupyter_bytes(nb), "nb.ipynb")
    edits = [(2, 9, "")]
    with pytest.raises(ValueError, match="crosses"):
        encode_source(source, apply(source.text, edits), edits)


def test_notebook_needs_the_edits():
    source = source_from_bytes(jupyter_bytes(notebook(cell("code", "a = 1"))), "nb.ipynb")
    with pytest.raises(ValueError):
        encode_source(source, "a = 2\n")
    with pytest.raises(ValueError, match="not source.text"):
        encode_source(source, "a = 3\n", [(4, 5, "2")])


def test_unchanged_notebook_keeps_its_bytes():
    for raw in (
        jupyter_bytes(MAGIC_NOTEBOOK),
        json.dumps(MAGIC_NOTEBOOK, indent=2).encode(),
        b"\xef\xbb\xbf" + json.dumps(MAGIC_NOTEBOOK).encode(),
    ):
        source = source_from_bytes(raw, "nb.ipynb")
        assert encode_source(source, source.text, []) == raw
        same = source.text.index("import boto3")
        assert encode_source(source, source.text, [(same, same + 6, "import")]) == raw


@pytest.mark.parametrize(
    "dump",
    [
        lambda nb: json.dumps(nb, indent=1, ensure_ascii=False) + "\n",
        lambda nb: json.dumps(nb, indent=2, ensure_ascii=False) + "\n",
        lambda nb: json.dumps(nb, indent=4),
        lambda nb: json.dumps(nb, indent=1, ensure_ascii=True) + "\n",
        lambda nb: (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").replace("\n", "\r\n"),
        lambda nb: json.dumps(nb, indent="\t", ensure_ascii=False),
        lambda nb: json.dumps(nb),
        lambda nb: json.dumps(nb, separators=(",", ": ")),
    ],
)
def test_json_style_is_detected(dump):
    text = dump(MAGIC_NOTEBOOK)
    assert dump_notebook(MAGIC_NOTEBOOK, detect_json_style(text)) == text


def test_jupyter_style_is_the_default():
    text = jupyter_bytes(MAGIC_NOTEBOOK).decode()
    assert detect_json_style(text) == JUPYTER_JSON_STYLE
    assert dump_notebook(MAGIC_NOTEBOOK) == text
    ascii_only = notebook(cell("code", "x = 1"))
    assert detect_json_style(jupyter_bytes(ascii_only).decode()) == JUPYTER_JSON_STYLE


def test_edit_keeps_an_indent_2_crlf_layout():
    nb = notebook(cell("code", ["x = 1"]))
    raw = json.dumps(nb, indent=2).replace("\n", "\r\n").encode()
    source = source_from_bytes(raw, "nb.ipynb")
    edits = [(4, 5, "2")]
    new_bytes = encode_source(source, apply(source.text, edits), edits)
    assert new_bytes == raw.replace(b'"x = 1"', b'"x = 2"')


def test_invalid_notebook_json():
    with pytest.raises(SourceError, match=r"invalid notebook JSON: .* at line 3 column \d+"):
        source_from_bytes(b'{\n "cells": [\n  {,\n ]\n}\n', "nb.ipynb")


@pytest.mark.parametrize("raw", [b"[]", b'{"metadata": {}}', b'{"cells": {}}', b'"cells"'])
def test_not_a_notebook(raw):
    with pytest.raises(SourceError, match=r"not a Jupyter notebook: no 'cells' list"):
        source_from_bytes(raw, "nb.ipynb")


def test_malformed_code_cell():
    raw = json.dumps({"cells": [{"cell_type": "code", "source": 3}]}).encode()
    with pytest.raises(SourceError, match="cell 1"):
        source_from_bytes(raw, "nb.ipynb")


def test_notebook_without_cells():
    source = source_from_bytes(jupyter_bytes(notebook()), "nb.ipynb")
    assert source.text == "" and source.cells == []
    assert encode_source(source, "", []) == source.raw
    bare = source_from_bytes(b'{"cells": []}', "nb.ipynb")  # no metadata at all
    assert bare.text == "" and bare.cells == []


def test_notebook_in_another_language_is_not_analysed():
    nb = notebook(
        cell("code", "library(ggplot2)"),
        metadata={"kernelspec": {"language": "R", "name": "ir"}, "language_info": {"name": "R"}},
    )
    source = source_from_bytes(jupyter_bytes(nb), "analysis.ipynb")
    assert source.kind == "notebook"
    assert source.text == "" and source.cells == []


def test_notebook_read_from_disk(tmp_path):
    path = write(tmp_path, "nb.ipynb", jupyter_bytes(MAGIC_NOTEBOOK))
    source = read_source(path, "nb.ipynb")
    assert source.kind == "notebook" and source.path == path


def test_binary_notebook():
    with pytest.raises(SourceError, match="binary file"):
        source_from_bytes(b'{"cells": []}\x00', "nb.ipynb")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_source_error_has_no_file_name(tmp_path):
    with pytest.raises(SourceError) as caught:
        read_source(tmp_path / "nope.py", "nope.py")
    assert "nope.py" not in str(caught.value)


@pytest.mark.parametrize(
    "raw",
    [
        # The cookie is on line 3: Python ignores it (a \r ends a line, for the cookie too).
        "# hello\rx = 'café'\r# -*- coding: latin-1 -*-\r".encode("utf-8"),
        # Line 2 is code with a comment: no cookie line either.
        "# hello\rimport os  # coding: latin-1\rx = 'café'\r".encode("utf-8"),
        "# hello\r\nx = 'café'\r\n# -*- coding: latin-1 -*-\r\n".encode("utf-8"),
        # Cookies Python honours, on line 1 or 2 of an old Mac (\r only) file.
        "# -*- coding: latin-1 -*-\rx = 'café'\r".encode("latin-1"),
        "#!/usr/bin/env python\r# -*- coding: latin-1 -*-\rx = 'café'\r".encode("latin-1"),
    ],
)
def test_the_coding_cookie_is_looked_for_on_the_lines_python_reads(raw):
    """Issue 22 (minor): a \\r-only file was one line for the cookie search, so a
    "coding:" anywhere in a comment chain of the file decoded it as Python does not."""
    python_sees: dict = {}
    exec(compile(raw, "a.py", "exec"), python_sees)  # CPython's own decoding; the code only assigns
    source = source_from_bytes(raw, "a.py")
    assert "x = 'café'" in source.text and python_sees["x"] == "café"
    assert encode_source(source, source.text) == raw


def test_an_old_mac_file_with_a_cookie_is_fixed_byte_for_byte(tmp_path):
    """``check --fix`` on a \\r-only latin-1 file keeps its encoding, its line endings
    and every byte the fix does not change."""
    from tests.cli_runner import run

    raw = (
        "# -*- coding: latin-1 -*-\rimport boto3\rname = 'café'\r"
        "client = boto3.client('bedrock-runtime')\rask(client)\r"
    ).encode("latin-1")
    write(tmp_path, "mac.py", raw)
    run("check", "--no-cache", "--select", "BDR001", "--fix", "mac.py", cwd=tmp_path)
    assert (tmp_path / "mac.py").read_bytes() == raw.replace(
        b"import boto3\r", b"import boto3\rfrom botocore.config import Config\r"
    ).replace(
        # Split to the line length, with the file's own line ending.
        b"client('bedrock-runtime')",
        b"client(\r    'bedrock-runtime',\r    config=Config(read_timeout=300, connect_timeout=10),\r)",
    )
