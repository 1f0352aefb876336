"""Reading input files into the text we analyse, and writing fixed text back.

The engine reads every input through this module; the checked code is never imported
or executed.

Python files (``.py``, ``.pyi`` and anything else that is not a notebook) are decoded
the way Python itself decodes source: UTF-8 unless a UTF-8 byte order mark or a PEP 263
coding cookie says otherwise.  Line endings are *not* translated, so a character offset
into ``SourceFile.text`` maps straight back to the file and a fixed file keeps its
``\\r\\n`` endings.

Jupyter notebooks (``.ipynb``) are analysed as one Python text made of their code
cells.  Each code cell's source is followed by exactly one ``"\\n"`` that belongs to no
cell, so a cell's text is ``text[span.start_offset:span.end_offset]``.  IPython syntax
(``%magic``, ``!shell``, ``x = !ls``, ``%%bash`` cells, ``obj?``) is neutralised *in
place*, one character for one character, so every offset in ``text`` is also an offset
into the original cell source.  Writing back (:func:`encode_source`) therefore applies
the same edits to the original cell sources and never writes the neutralised characters.
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
import stat
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

UTF8_BOM = codecs.BOM_UTF8

# PEP 263, as in the tokenize module; matched on bytes because the file's encoding is
# not known yet (the cookie itself is always ASCII).
CODING_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
# A line that may come before a cookie on line 2: blank or a comment.
BLANK_OR_COMMENT_LINE = re.compile(rb"^[ \t\f]*(?:[#\r\n]|$)")

# Line breaks as the analysis (analysis.positions.LineTable) counts them.
LINE_BREAK = re.compile(r"\r\n|\r|\n")
LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")
# One line with its line ending; the last line may have none.
LINE_WITH_ENDING = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def split_lines(text: str, *, keepends: bool = False) -> list[str]:
    """The lines of ``text`` as positions count them (Python, libcst and ``LineTable``
    break lines at ``\\n``, ``\\r\\n`` and ``\\r`` only).  Not ``str.splitlines``, which
    also breaks at a form feed, U+001C-U+001E, U+0085, U+2028 and U+2029: every line
    shown after one would be the wrong line (issue 22)."""
    lines = LINE_WITH_ENDING.findall(text)
    return lines if keepends else [line.rstrip("\r\n") for line in lines]


class SourceError(ValueError):
    """A per-file problem: unreadable, binary, undecodable, or a broken notebook.

    ``str(error)`` is a one-line message without the file name (the engine adds it).
    """


@dataclass
class CellSpan:
    """Where one notebook code cell is in ``SourceFile.text``."""

    cell: int  # 1-based, counting all cells (markdown too), as Jupyter shows "cell N"
    cell_index: int  # 0-based index into notebook["cells"]
    start_line: int  # 1-based line of text where the cell starts
    line_count: int  # lines the cell occupies in text (an empty cell still has one)
    start_offset: int  # offset in text where the cell starts
    end_offset: int  # offset where the cell's text ends (exclusive, before the separator "\n")
    writes_module: bool = False  # a "%%writefile x.py" cell: its body is another module


@dataclass
class SourceFile:
    display_name: str  # name to print (as given or found, or --stdin-filename)
    path: Path | None  # None for stdin
    raw: bytes  # exactly the bytes read
    text: str  # the Python text to analyse
    encoding: str  # codec name, e.g. "utf-8" or "iso-8859-1" (from a coding cookie)
    bom: bool  # the file started with a UTF-8 byte order mark (not part of text)
    newline: str  # dominant line ending of text: "\n", "\r\n" or "\r" ("\n" if none)
    kind: str  # "python", "stub" (.pyi) or "notebook"
    cells: list[CellSpan] | None = None  # notebooks only: the analysed code cells
    notebook: dict | None = None  # notebooks only: the parsed notebook JSON
    # Notebooks only: cells that do not parse, as (offset in text, CPython's message).
    # Jupyter runs each cell alone, so such a cell is analysed as absent (its text is
    # commented out, character for character) and reported on its own.
    cell_errors: list[tuple[int, str]] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Reading


def read_source(path: Path, display_name: str) -> SourceFile:
    """Read and decode one file.  Raises SourceError for any per-file problem."""
    try:
        raw = _read_regular_file(path)
    except OSError as error:
        if path.is_symlink() and not path.exists():
            raise SourceError(f"cannot read file: broken symbolic link (to {_link_target(path)!r})") from None
        raise SourceError(f"cannot read file: {error.strerror or error}") from None
    return source_from_bytes(raw, display_name, path)


def _read_regular_file(path: Path) -> bytes:
    """The file's bytes; a named pipe, socket or device is refused without reading
    from it (a read would block forever or never end)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        if not stat.S_ISREG(mode):
            kind = "a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
            raise SourceError(f"cannot read file: not a regular file ({kind})")
    except BaseException:
        os.close(descriptor)
        raise
    with os.fdopen(descriptor, "rb") as handle:
        return handle.read()


def _link_target(path: Path) -> str:
    try:
        return str(path.readlink())
    except OSError:
        return "?"


def source_from_bytes(raw: bytes, display_name: str, path: Path | None = None) -> SourceFile:
    """Decode file content (used for stdin and tests).

    The kind comes from ``display_name``'s suffix: ``.ipynb`` is a notebook, ``.pyi``
    a stub, anything else Python.
    """
    if b"\x00" in raw:
        raise SourceError("binary file (contains NUL bytes); not checked")
    suffix = Path(display_name).suffix.lower()
    if suffix == ".ipynb":
        return _notebook_source(raw, display_name, path)
    kind = "stub" if suffix == ".pyi" else "python"
    bom = raw.startswith(UTF8_BOM)
    body = raw[len(UTF8_BOM):] if bom else raw
    encoding, cookie_line = _declared_encoding(body, bom)
    text = _decode_python(body, encoding, cookie_line, len(raw) - len(body))
    return SourceFile(
        display_name=display_name,
        path=path,
        raw=raw,
        text=text,
        encoding=encoding,
        bom=bom,
        newline=_dominant_newline(text),
        kind=kind,
    )


def source_from_text(text: str, display_name: str) -> SourceFile:
    """A Python source that another tool has already read and decoded (the flake8
    plugin gets the file's lines from flake8).  Nothing is ever written back to it."""
    return SourceFile(
        display_name=display_name,
        path=None,
        raw=text.encode("utf-8", "surrogatepass"),
        text=text,
        encoding="utf-8",
        bom=False,
        newline=_dominant_newline(text),
        kind="stub" if Path(display_name).suffix.lower() == ".pyi" else "python",
    )


def _declared_encoding(body: bytes, bom: bool) -> tuple[str, int | None]:
    """The source encoding and the line of its coding cookie (None without a cookie).

    Follows ``tokenize.detect_encoding``: a cookie counts on line 1, or on line 2 when
    line 1 is blank or a comment.  We do not call detect_encoding itself because it
    refuses a first line that is not UTF-8 with a vague message, and we want to say
    where the undecodable byte is.  Lines end at ``\\n``, ``\\r\\n`` or ``\\r``, as for Python:
    in a ``\\r``-only file (old Mac endings) a cookie further down does not count.
    """
    first_two_lines = LINE_BREAK_BYTES.split(body, 2)[:2]
    for number, line in enumerate(first_two_lines, start=1):
        match = CODING_COOKIE.match(line)
        if match:
            return _cookie_encoding(match.group(1).decode("ascii", "replace"), number, bom), number
        if not BLANK_OR_COMMENT_LINE.match(line):
            break
    return "utf-8", None


def _cookie_encoding(name: str, line: int, bom: bool) -> str:
    encoding = _normal_encoding_name(name)
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise SourceError(f"unknown encoding {name!r} in coding cookie on line {line}") from None
    if not getattr(codec, "_is_text_encoding", True):  # e.g. "rot13", "hex": not for source
        raise SourceError(f"unknown encoding {name!r} in coding cookie on line {line}")
    if bom and codec.name != "utf-8":
        raise SourceError(f"coding cookie {name!r} on line {line} disagrees with the UTF-8 byte order mark")
    return encoding


def _normal_encoding_name(name: str) -> str:
    """Python's own spelling of the common names (as tokenize._get_normal_name), so
    Emacs-style names like "utf-8-unix" or "latin-1-dos" work as they do in Python."""
    short = name[:12].lower().replace("_", "-")
    if short == "utf-8" or short.startswith("utf-8-"):
        return "utf-8"
    latin_1_names = ("latin-1", "iso-8859-1", "iso-latin-1")
    if short in latin_1_names or short.startswith(tuple(name + "-" for name in latin_1_names)):
        return "iso-8859-1"
    return name


def _decode_python(body: bytes, encoding: str, cookie_line: int | None, bom_length: int) -> str:
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as error:
        offset = bom_length + error.start
        line = len(LINE_BREAK_BYTES.findall(body[: error.start])) + 1
        if cookie_line is None:
            advice = "add a PEP 263 coding cookie or re-encode the file"
        else:
            advice = f"fix the coding cookie on line {cookie_line} or re-encode the file"
        raise SourceError(
            f"cannot decode as {encoding} at byte {offset} (line {line}, byte 0x{body[error.start]:02x}); {advice}"
        ) from None


def _dominant_newline(text: str) -> str:
    if "\r" not in text:
        return "\n"  # one scan instead of three counts (most files)
    crlf = text.count("\r\n")
    lone_cr = text.count("\r") - crlf
    lone_lf = text.count("\n") - crlf
    # On a tie the earlier one in this list wins.
    counts = [(lone_lf, "\n"), (crlf, "\r\n"), (lone_cr, "\r")]
    best_count, best = max(counts, key=lambda pair: pair[0])
    return best if best_count else "\n"


# ---------------------------------------------------------------------------
# Notebooks


def _notebook_source(raw: bytes, display_name: str, path: Path | None) -> SourceFile:
    bom = raw.startswith(UTF8_BOM)
    body = raw[len(UTF8_BOM):] if bom else raw
    try:
        json_text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        line = len(LINE_BREAK_BYTES.findall(body[: error.start])) + 1
        raise SourceError(
            f"cannot decode notebook as utf-8 at byte {len(raw) - len(body) + error.start} (line {line})"
        ) from None
    notebook = _parse_notebook(json_text)
    text, cells, cell_errors = _notebook_text(notebook)
    return SourceFile(
        display_name=display_name,
        path=path,
        raw=raw,
        text=text,
        encoding="utf-8",
        bom=bom,
        newline=_dominant_newline(text),
        kind="notebook",
        cells=cells,
        notebook=notebook,
        cell_errors=cell_errors,
    )


def _parse_notebook(json_text: str) -> dict:
    try:
        notebook = json.loads(json_text)
    except json.JSONDecodeError as error:
        raise SourceError(f"invalid notebook JSON: {error.msg} at line {error.lineno} column {error.colno}") from None
    except RecursionError:
        raise SourceError("invalid notebook JSON: nested too deeply") from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        message = "not a Jupyter notebook: no 'cells' list"
        if isinstance(notebook, dict) and "worksheets" in notebook:
            message += " (nbformat 3 notebooks are not supported; save it again with a current Jupyter)"
        raise SourceError(message)
    for number, cell in enumerate(notebook["cells"], start=1):
        if not isinstance(cell, dict):
            raise SourceError(f"not a valid Jupyter notebook: cell {number} is not a JSON object")
        if cell.get("cell_type") == "code" and _cell_source(cell) is None:
            raise SourceError(f"not a valid Jupyter notebook: cell {number} has no 'source' string or list of strings")
    return notebook


def cell_source_as_written(source: SourceFile, span: CellSpan) -> str:
    """A code cell's source as the notebook holds it (IPython lines not neutralised)."""
    assert source.notebook is not None
    return _cell_source(source.notebook["cells"][span.cell_index]) or ""


def _cell_source(cell: dict) -> str | None:
    """A cell's source as one string, or None when it is malformed."""
    source = cell.get("source")
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    return None


def _is_python_notebook(notebook: dict) -> bool:
    """False only when the metadata names another language (R, Julia...)."""
    metadata = notebook.get("metadata")
    if not isinstance(metadata, dict):
        return True
    names = []
    language_info = metadata.get("language_info")
    if isinstance(language_info, dict) and isinstance(language_info.get("name"), str):
        names.append(language_info["name"])
    kernelspec = metadata.get("kernelspec")
    if isinstance(kernelspec, dict) and isinstance(kernelspec.get("language"), str):
        names.append(kernelspec["language"])
    return all(name.strip().lower() in ("python", "python2", "python3", "ipython", "ipython3") for name in names)


def _notebook_text(notebook: dict) -> tuple[str, list[CellSpan], list[tuple[int, str]]]:
    """The analysed text of a notebook, where each code cell is in it, and the cells
    that do not parse (see ``SourceFile.cell_errors``)."""
    if not _is_python_notebook(notebook):
        return "", [], []
    code_cells = [
        (cell_index, neutralise_ipython(_cell_source(cell) or ""))
        for cell_index, cell in enumerate(notebook["cells"])
        if cell.get("cell_type") == "code"
    ]
    headers = [_indent_header(cell_text) for _, cell_text in code_cells]
    errors: dict[int, SyntaxError] = {}
    # Jupyter runs each cell alone, so each cell is parsed alone: the joined text parsing
    # proves nothing (a bracket one cell opens can close in the next).
    for number, (cell_index, cell_text) in enumerate(code_cells):
        try:
            _parse(headers[number] + cell_text)
        except SyntaxError as error:
            errors[number] = error
            code_cells[number] = (cell_index, "".join(_commented(line) for line in LINE_WITH_ENDING.findall(cell_text)))
            headers[number] = ""
    text, placed = _joined(code_cells, headers)

    line_starts = _line_starts(text)
    cells = []
    for cell_index, start_offset, end_offset in placed:
        start_line = bisect_right(line_starts, start_offset)
        end_line = bisect_right(line_starts, end_offset)
        cells.append(
            CellSpan(
                cell=cell_index + 1,
                cell_index=cell_index,
                start_line=start_line,
                line_count=end_line - start_line + 1,
                start_offset=start_offset,
                end_offset=end_offset,
                writes_module=_writes_python_module(text[start_offset:end_offset]),
            )
        )
    cell_errors = []
    for number, error in errors.items():
        span = cells[number]
        cell_lines = _line_starts(text[span.start_offset:span.end_offset])
        line = min(max(error.lineno or 1, 1), len(cell_lines)) - 1
        offset = min(span.start_offset + cell_lines[line] + max((error.offset or 1) - 1, 0), span.end_offset)
        cell_errors.append((offset, error.msg))
    return text, cells, cell_errors


# IPython's leading_indent: a cell whose first line is indented has that indentation
# removed from every line.  Offsets must stay offsets into the cell, so instead the cell
# is put under this header, which lies between cells and belongs to none of them.
INDENT_HEADER = "if True:\n"


def _indent_header(cell_text: str) -> str:
    first = next((line for line in LINE_WITH_ENDING.findall(cell_text) if line.strip(BLANK_CHARACTERS + "\r\n")), "")
    if not first[:1] or first[0] not in BLANK_CHARACTERS:
        return ""
    return INDENT_HEADER if _parses(INDENT_HEADER + cell_text) else ""


def _joined(code_cells: list[tuple[int, str]], headers: list[str]) -> tuple[str, list[tuple[int, int, int]]]:
    """The cells joined into one text: each after its header, each followed by one "\n"
    that belongs to no cell; and (cell_index, start_offset, end_offset) of each."""
    pieces: list[str] = []
    placed: list[tuple[int, int, int]] = []
    offset = 0
    for (cell_index, cell_text), header in zip(code_cells, headers):
        pieces.append(header)
        offset += len(header)
        placed.append((cell_index, offset, offset + len(cell_text)))
        pieces.append(cell_text)
        pieces.append("\n")  # the separator: part of no cell
        offset += len(cell_text) + 1
    return "".join(pieces), placed


def _parse(text: str) -> None:
    """Raise SyntaxError where CPython's parser would (only the parser: ``ast``) and
    libcst, which the analysis uses, does not parse either: a cell written for a newer
    Python than the one running (PEP 701 f-strings on 3.11) is no syntax error, as for
    a ``.py`` file."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(text, "<cell>", "exec", 0x400, dont_inherit=True)  # ast.PyCF_ONLY_AST
        except (ValueError, RecursionError, MemoryError, OverflowError):
            pass  # not a syntax error: the engine's limits report these
        except SyntaxError:
            if not _libcst_parses(text):
                raise  # CPython's error: its message and position


def _libcst_parses(text: str) -> bool:
    import libcst

    try:
        libcst.parse_module(text)
    except Exception:  # noqa: BLE001 - libcst's parser errors, and anything it cannot take
        return False
    return True


def _parses(text: str) -> bool:
    try:
        _parse(text)
    except SyntaxError:
        return False
    return True


def _line_starts(text: str) -> list[int]:
    return [0] + [match.end() for match in LINE_BREAK.finditer(text)]


def cell_position(source: SourceFile, line: int, column: int) -> tuple[int | None, int, int]:
    """Map a 1-based line of ``source.text`` to ``(cell, line inside the cell, column)``.

    Outside notebooks: ``(None, line, column)``.  The column is unchanged (cells start
    at column 1 of their first line).  A line after the last cell (the end of the text)
    is counted in the last cell.
    """
    if not source.cells:
        return None, line, column
    for span in source.cells:
        if span.start_line <= line < span.start_line + span.line_count:
            return span.cell, line - span.start_line + 1, column
    span = source.cells[-1]
    return span.cell, line - span.start_line + 1, column


# ---------------------------------------------------------------------------
# IPython syntax
#
# IPython rewrites these forms before Python sees the cell; we turn them into comments
# (or, where a statement is needed, into ``0#...``) without changing any length.

# A cell magic on the cell's first non-blank line: "%%bash", "%%time".
CELL_MAGIC = re.compile(r"^[ \t\f]*%%(\w*)")
# Cell magics whose body is ordinary Python: only their first line is IPython syntax.
PYTHON_BODY_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
# "%%writefile [-a] lambda_function.py": the body is the Python module it writes (often
# the code that goes to production), analysed in its cell.
WRITES_PYTHON_MODULE = re.compile(r"^[ \t\f]*%%writefile(?:[ \t\f]+(?:-a|--append))?[ \t\f]+['\"]?[^\s'\"]+\.pyw?['\"]?[ \t\f]*$")
# "files = !ls", "t = %timeit f()"
MAGIC_ASSIGNMENT = re.compile(r"^[ \t\f]*[\w.]+[ \t\f]*=[ \t\f]*[!%]")
# "obj?", "obj.attr??", "%magic?" (IPython's help-at-the-end form)
HELP_AT_END = re.compile(r"^[ \t\f]*%{0,2}[\w.*\[\]-]+\?{1,2}[ \t\f]*$")
BLANK_CHARACTERS = " \t\f"
# IPython's line magics (IPython 8, with its default storemagic and autoreload
# extensions).  With automagic on, as in Jupyter, a cell of one line that starts with one
# of these names runs it as a magic ("pip install boto3", "store -r MODEL_ID", "cd src"),
# unless the rest starts with "=" or "," (an assignment); only one-line cells get this
# treatment (InteractiveShell.transform_cell).
LINE_MAGICS = frozenset({
    "aimport", "alias", "alias_magic", "autoawait", "autocall", "automagic", "autoreload", "autosave",
    "bookmark", "cat", "cd", "clear", "colors", "conda", "config", "connect_info", "cp", "debug",
    "dhist", "dirs", "doctest_mode", "ed", "edit", "env", "gui", "hist", "history", "killbgscripts",
    "ldir", "less", "lf", "lk", "ll", "load", "load_ext", "loadpy", "logoff", "logon", "logstart",
    "logstate", "logstop", "ls", "lsmagic", "lx", "macro", "magic", "mamba", "man", "matplotlib",
    "micromamba", "mkdir", "more", "mv", "notebook", "page", "pastebin", "pdb", "pdef", "pdoc",
    "pfile", "pinfo", "pinfo2", "pip", "popd", "pprint", "precision", "prun", "psearch", "psource",
    "pushd", "pwd", "pycat", "pylab", "qtconsole", "quickref", "recall", "rehashx", "reload_ext",
    "rep", "rerun", "reset", "reset_selective", "rm", "rmdir", "run", "save", "sc", "set_env",
    "store", "sx", "system", "tb", "time", "timeit", "unalias", "unload_ext", "uv", "who", "who_ls",
    "whos", "xdel", "xmode",
})
AUTOMAGIC_LINE = re.compile(r"^[ \t\f]*([A-Za-z_]\w*)(?:[ \t\f]+(?![=,])\S.*)?[ \t\f]*$")


def neutralise_ipython(cell_source: str) -> str:
    """The cell with IPython-only lines turned into comments, character for character.

    The result has the same length as ``cell_source`` and differs only in the replaced
    characters, so offsets into it are offsets into the original.  IPython forms are
    only recognised where a statement starts (not inside brackets, strings or
    backslash continuations of Python lines), as IPython does.
    """
    lines = LINE_WITH_ENDING.findall(cell_source)
    first_code_line = next((n for n, line in enumerate(lines) if line.strip(BLANK_CHARACTERS + "\r\n")), None)
    if first_code_line is None:
        return cell_source
    if len(lines) - first_code_line == 1:  # one line once the leading empty ones are dropped
        automagic = AUTOMAGIC_LINE.match(lines[first_code_line].rstrip("\r\n"))
        if automagic and automagic.group(1) in LINE_MAGICS and lines[first_code_line].strip() != automagic.group(1):
            lines[first_code_line] = _commented(lines[first_code_line])
            return "".join(lines)
    magic = CELL_MAGIC.match(lines[first_code_line])
    if magic:
        python_body = magic.group(1) in PYTHON_BODY_CELL_MAGICS or WRITES_PYTHON_MODULE.match(lines[first_code_line].rstrip("\r\n"))
        if not python_body:
            # The whole cell is another language (bash, html, sql...).
            return "".join(_commented(line) for line in lines)
        lines[first_code_line] = _commented(lines[first_code_line])

    scanner = _StatementScanner()
    continues_magic = False  # the previous line was IPython syntax ending in a backslash
    result = []
    for line in lines:
        body = line.rstrip("\r\n")
        if continues_magic:
            result.append(_commented(line))
            continues_magic = body.endswith("\\")
        elif scanner.at_statement_start() and _is_ipython_line(body):
            result.append(_as_placeholder_statement(line))
            continues_magic = body.endswith("\\")
        else:
            scanner.scan(body)
            result.append(line)
    return "".join(result)


def _writes_python_module(cell_text: str) -> bool:
    """The (neutralised) cell starts with ``#%writefile x.py``."""
    first = next((line for line in LINE_WITH_ENDING.findall(cell_text) if line.strip(BLANK_CHARACTERS + "\r\n")), "")
    return WRITES_PYTHON_MODULE.match("%" + first.lstrip(BLANK_CHARACTERS)[1:].rstrip("\r\n")) is not None


def _is_ipython_line(body: str) -> bool:
    stripped = body.lstrip(BLANK_CHARACTERS)
    return (
        stripped.startswith(("%", "!", "?"))
        or MAGIC_ASSIGNMENT.match(body) is not None
        or HELP_AT_END.match(body) is not None
    )


def _first_code_column(line: str) -> int | None:
    for index, char in enumerate(line):
        if char in "\r\n":
            return None
        if char not in BLANK_CHARACTERS:
            return index
    return None


def _commented(line: str) -> str:
    """The line with its first non-blank character replaced by "#" (blank lines unchanged)."""
    index = _first_code_column(line)
    if index is None:
        return line
    return line[:index] + "#" + line[index + 1:]


def _as_placeholder_statement(line: str) -> str:
    """Neutralise the first line of an IPython statement.

    At the top level a comment will do.  Inside a block (``for ...:`` then an indented
    ``%time f()``) a comment could leave the block empty, which would not parse, so the
    line becomes the statement ``0`` followed by a comment: ``    0#ime f()``.
    """
    index = _first_code_column(line)
    if index is None:
        return line
    if index == 0:
        return "#" + line[1:]
    replacement = "0#" if index + 1 < len(line) and line[index + 1] not in "\r\n" else "0"
    return line[:index] + replacement + line[index + len(replacement):]


class _StatementScanner:
    """Tracks, line by line, whether the next line starts a new Python statement.

    Just enough tokenising for that: brackets, strings (a triple-quoted string or a
    backslash-continued one spans lines), comments and backslash continuations.
    """

    def __init__(self) -> None:
        self.open_string: str | None = None  # the closing quote of a string spanning lines
        self.bracket_depth = 0
        self.continued = False  # the last line ended with a backslash continuation

    def at_statement_start(self) -> bool:
        return self.open_string is None and self.bracket_depth == 0 and not self.continued

    def scan(self, body: str) -> None:
        """Advance over one line (without its line ending)."""
        self.continued = False
        index = 0
        while index < len(body):
            if self.open_string is not None:
                end = _string_end(body, index, self.open_string)
                if end is None:
                    if len(self.open_string) == 1 and not body.endswith("\\"):
                        self.open_string = None  # unterminated: a syntax error, do not carry it on
                    return
                self.open_string = None
                index = end
                continue
            char = body[index]
            if char == "#":
                return
            if char in "\"'":
                quote = char * 3 if body.startswith(char * 3, index) else char
                self.open_string = quote
                index += len(quote)
                continue
            if char in "([{":
                self.bracket_depth += 1
            elif char in ")]}":
                self.bracket_depth = max(0, self.bracket_depth - 1)
            index += 1
        self.continued = body.endswith("\\")


def _string_end(body: str, index: int, quote: str) -> int | None:
    """Offset just after the closing ``quote`` at or after ``index``, or None."""
    while index < len(body):
        if body[index] == "\\":
            index += 2  # an escaped character (also in raw strings, for quotes)
        elif body.startswith(quote, index):
            return index + len(quote)
        else:
            index += 1
    return None


# ---------------------------------------------------------------------------
# Writing back


def encode_source(source: SourceFile, new_text: str, edits: list[tuple[int, int, str]] | None = None) -> bytes:
    """The file bytes for a modified ``source.text``.

    ``new_text`` is ``source.text`` with ``edits`` applied; each edit is
    ``(start, end, content)`` in character offsets into the *original* ``source.text``
    (as ``fixes.applier.apply_edits`` applies them), and edits do not overlap.

    Python and stub files: ``new_text`` is encoded with the file's encoding and the
    BOM is put back; line endings are whatever ``new_text`` holds.  ``edits`` is not
    needed (it is accepted so callers can treat all kinds alike).  Raises SourceError
    when the new text has a character the file's encoding cannot represent.

    Notebooks: ``edits`` is required (ValueError without it, or when ``new_text`` is not
    ``source.text`` with the edits applied).  Each edit is applied to the original
    source of the code cell that contains it (so the neutralised IPython lines are
    written back as they were); an edit that crosses from one cell into another raises
    ValueError.  One exception: an edit that ends just after a cell's separator newline
    (deleting or replacing a cell's last line together with its line break) is applied
    to that cell up to its end, dropping one trailing "\\n" from its content.  Only the
    "source" values of the changed cells are written again, into the original JSON text
    and laid out as they were there (a list's indentation, escaped or literal non-ASCII):
    every other byte of the file is kept.  When no cell changes the original bytes are
    returned unchanged.
    """
    if source.kind != "notebook":
        try:
            encoded = new_text.encode(source.encoding)
        except UnicodeEncodeError as error:
            line = len(LINE_BREAK.findall(new_text[: error.start])) + 1
            raise SourceError(
                f"cannot write the fix: {new_text[error.start]!r} (line {line}) cannot be encoded as {source.encoding}"
            ) from None
        return (UTF8_BOM if source.bom else b"") + encoded
    if edits is None:
        raise ValueError("encode_source needs the edits to write back a notebook")
    return _encode_notebook(source, new_text, sorted(edits))


def _apply_edits(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Apply sorted, non-overlapping edits (as fixes.applier.apply_edits does)."""
    pieces = []
    position = 0
    for start, end, content in edits:
        pieces.append(text[position:start])
        pieces.append(content)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _encode_notebook(source: SourceFile, new_text: str, edits: list[tuple[int, int, str]]) -> bytes:
    assert source.notebook is not None and source.cells is not None
    if _apply_edits(source.text, edits) != new_text:
        raise ValueError("new_text is not source.text with the given edits applied")

    new_sources: dict[int, str | list[str]] = {}
    for span, cell_edits in _edits_per_cell(source.cells, edits):
        cell = source.notebook["cells"][span.cell_index]
        old_source = _cell_source(cell) or ""
        analysed = source.text[span.start_offset:span.end_offset]
        cell_edits = [
            (start, end, _restore_ipython_lines(content, old_source, analysed, start, end))
            for start, end, content in cell_edits
        ]
        new_source = _apply_edits(old_source, cell_edits)
        if new_source == old_source:
            continue
        # Keep the form of "source": a list of lines (each keeping its "\n", as
        # nbformat splits them) or one string.
        new_sources[span.cell_index] = new_source.splitlines(keepends=True) if isinstance(cell.get("source"), list) else new_source
    if not new_sources:
        return source.raw

    # Only the changed cells' "source" values are written again, into the file's own
    # text: every other byte stays as it was (numbers as spelled, escapes, layout).
    original_json = source.raw[len(UTF8_BOM):].decode("utf-8") if source.bom else source.raw.decode("utf-8")
    style = detect_json_style(original_json)
    value_spans = _cell_source_spans(original_json)
    pieces = []
    position = 0
    for cell_index, stored in sorted(new_sources.items()):
        start, end = value_spans[cell_index]
        pieces.append(original_json[position:start])
        pieces.append(_json_value_like(stored, original_json, start, end, style))
        position = end
    pieces.append(original_json[position:])
    return (UTF8_BOM if source.bom else b"") + "".join(pieces).encode("utf-8")


_JSON_WHITESPACE = re.compile(r"[ \t\n\r]*")
_scan_json_value = json.JSONDecoder().scan_once


def _json_members(text: str, position: int) -> Iterator[tuple[str, int, int]]:
    """(key, value start, value end) of each member of the JSON object at ``position``."""
    position = _JSON_WHITESPACE.match(text, position + 1).end()
    while text[position] == '"':
        key, position = json.decoder.scanstring(text, position + 1)
        position = _JSON_WHITESPACE.match(text, position).end() + 1  # the ":"
        start = _JSON_WHITESPACE.match(text, position).end()
        end = _scan_json_value(text, start)[1]
        yield key, start, end
        position = _JSON_WHITESPACE.match(text, end).end()
        if text[position] == ",":
            position = _JSON_WHITESPACE.match(text, position + 1).end()


def _json_elements(text: str, position: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each element of the JSON array at ``position``."""
    position = _JSON_WHITESPACE.match(text, position + 1).end()
    while text[position] != "]":
        end = _scan_json_value(text, position)[1]
        yield position, end
        position = _JSON_WHITESPACE.match(text, end).end()
        if text[position] == ",":
            position = _JSON_WHITESPACE.match(text, position + 1).end()


def _cell_source_spans(json_text: str) -> dict[int, tuple[int, int]]:
    """Where each cell's "source" value is in the notebook's JSON text, by cell index
    (for a repeated key, the last one, which is the one ``json.loads`` keeps)."""
    cells_span = None
    for key, start, end in _json_members(json_text, _JSON_WHITESPACE.match(json_text).end()):
        if key == "cells":
            cells_span = (start, end)
    assert cells_span is not None  # a notebook has been parsed from this text
    spans = {}
    for cell_index, (cell_start, _) in enumerate(_json_elements(json_text, cells_span[0])):
        for key, start, end in _json_members(json_text, cell_start):
            if key == "source":
                spans[cell_index] = (start, end)
    return spans


def _json_value_like(value: str | list[str], text: str, start: int, end: int, style: JsonStyle) -> str:
    """``value`` as JSON laid out as the value at ``text[start:end]`` is: a list's items
    on lines of their own with the same indentation, or on one line, as there."""
    def dumped(item: str) -> str:
        return json.dumps(item, ensure_ascii=style.ensure_ascii)

    if isinstance(value, str):
        return dumped(value)
    if not value:
        return "[]"
    elements = list(_json_elements(text, start))
    if elements:
        lead = text[start + 1:elements[0][0]]
        trail = text[elements[-1][1]:end - 1]
        separator = text[elements[0][1]:elements[1][0]] if len(elements) > 1 else "," + (lead or style.separators[0][1:])
    elif style.indent is None:
        lead, separator, trail = "", style.separators[0], ""
    else:
        line_start = max(text.rfind("\n", 0, start) + 1, 0)
        key_indent = text[line_start:_JSON_WHITESPACE.match(text, line_start).end()]
        unit = " " * style.indent if isinstance(style.indent, int) else style.indent
        lead, trail = style.line_ending + key_indent + unit, style.line_ending + key_indent
        separator = "," + lead
    return "[" + lead + separator.join(dumped(item) for item in value) + trail + "]"


def _edits_per_cell(
    cells: list[CellSpan], edits: list[tuple[int, int, str]]
) -> list[tuple[CellSpan, list[tuple[int, int, str]]]]:
    """The edits grouped by code cell, with offsets made relative to the cell."""
    starts = [span.start_offset for span in cells]
    per_cell: dict[int, tuple[CellSpan, list[tuple[int, int, str]]]] = {}
    for start, end, content in edits:
        position = bisect_right(starts, start) - 1
        span = cells[position] if position >= 0 else None
        if span is None or not span.start_offset <= start <= span.end_offset:
            raise ValueError(f"edit at offset {start} is not inside a notebook code cell")
        if end == span.end_offset + 1:
            # The edit takes the separator newline too (a whole last line deleted or
            # replaced): apply it up to the cell's end; the separator stays.
            end = span.end_offset
            if content.endswith("\n"):
                content = content[:-1]
        elif end > span.end_offset:
            raise ValueError(f"edit at offsets {start}-{end} crosses from notebook cell {span.cell} into the next")
        local = (start - span.start_offset, end - span.start_offset, content)
        per_cell.setdefault(span.cell_index, (span, []))[1].append(local)
    return list(per_cell.values())


def _restore_ipython_lines(content: str, original: str, analysed: str, start: int, end: int) -> str:
    """Put back IPython lines that an edit's content carries in their neutralised form.

    A fix that rewrites a whole block (say a ``for`` loop holding ``%time f(i)``)
    copies the analysed text, where that line reads ``0#ime f(i)``.  For each
    neutralised line inside the replaced range, the first occurrence of its
    neutralised form in the content (from its first non-blank character, so a
    re-indented copy is found too) gets its original characters back.
    """
    if original == analysed:
        return content
    line_start = 0
    for analysed_line, original_line in zip(
        LINE_WITH_ENDING.findall(analysed), LINE_WITH_ENDING.findall(original)
    ):
        line_end = line_start + len(analysed_line)
        if analysed_line != original_line and line_start < end and start < line_end:
            column = _first_code_column(original_line) or 0
            content = content.replace(
                analysed_line[column:].rstrip("\r\n"), original_line[column:].rstrip("\r\n"), 1
            )
        line_start = line_end
    return content


@dataclass(frozen=True)
class JsonStyle:
    """How a notebook file's JSON is laid out."""

    indent: int | str | None = 1  # json.dumps indent; None: all on one line
    separators: tuple[str, str] = (",", ": ")  # json.dumps separators
    ensure_ascii: bool = False
    final_newline: bool = True
    line_ending: str = "\n"


JUPYTER_JSON_STYLE = JsonStyle()

# A \uXXXX escape in JSON text; the backslashes before "u" must be odd in number,
# otherwise the "\\" is an escaped backslash followed by a literal "u".
JSON_UNICODE_ESCAPE = re.compile(r"(\\+)u([0-9a-fA-F]{4})")


def detect_json_style(json_text: str) -> JsonStyle:
    """The layout of an existing notebook file, so a rewrite changes only what changed.

    For a file Jupyter wrote this is ``JUPYTER_JSON_STYLE``.
    """
    line_ending = "\r\n" if "\r\n" in json_text else "\n"
    text = json_text.replace("\r\n", "\n")
    final_newline = text.endswith("\n")

    indent: int | str | None = None
    separators = (",", ": ")
    lines = text.strip().split("\n")
    if len(lines) > 1:
        second_line = lines[1]
        whitespace = second_line[: len(second_line) - len(second_line.lstrip(" \t"))]
        indent = len(whitespace) if set(whitespace) <= {" "} else whitespace
    else:
        # All on one line: most separators are structural, whatever the strings hold.
        item_separator = ", " if 2 * text.count(", ") > text.count(",") else ","
        key_separator = ": " if 2 * text.count(": ") > text.count(":") else ":"
        separators = (item_separator, key_separator)

    if not text.isascii():
        ensure_ascii = False
    else:
        # An escaped non-ASCII character means the writer escaped them all; without
        # one we cannot tell, and take Jupyter's choice.
        ensure_ascii = any(
            len(match.group(1)) % 2 == 1 and int(match.group(2), 16) >= 0x7F
            for match in JSON_UNICODE_ESCAPE.finditer(text)
        )
    return JsonStyle(indent, separators, ensure_ascii, final_newline, line_ending)


def dump_notebook(notebook: dict, style: JsonStyle = JUPYTER_JSON_STYLE) -> str:
    """Serialise a notebook; with the default style exactly as Jupyter/nbformat does
    (keys keep their order, which for a Jupyter-written file is already sorted)."""
    text = json.dumps(notebook, indent=style.indent, separators=style.separators, ensure_ascii=style.ensure_ascii)
    if style.final_newline:
        text += "\n"
    if style.line_ending != "\n":
        # Raw line breaks only come from the indentation: in JSON strings they are "\n" escapes.
        text = text.replace("\n", style.line_ending)
    return text
