"""Prompt text: what a system prompt or tool list says, as far as one module can tell.

:func:`resolve_text` turns an expression into :class:`PromptText` — literal pieces that
are the same on every request, and holes (``None``) for what changes per request.  It
understands what value resolution does (literals, constants, concatenation, f-strings,
environment fallbacks) plus the ways prompts are usually written: ``textwrap.dedent``
and ``inspect.cleandoc``, ``"sep".join([...])``, ``"…{x}…".format(...)`` (the template's
literal parts), ``.strip()``, and files read next to the module
(``(Path(__file__).parent / "prompt.txt").read_text()``, ``open("prompts/x.md").read()``,
``with open(...) as f: f.read()``) — read statically, relative to the checked file,
at most :data:`MAX_PROMPT_FILE_BYTES`.

:func:`estimate_tokens` is the documented, deterministic token estimate the caching
rules use.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import string
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import libcst as cst

from bedrock_lint.analysis.values import CallResult, DictValue, EnvironmentValue, ListValue, Literal, PartialString

if TYPE_CHECKING:
    from bedrock_lint.analysis.sites import ModuleIndex
    from bedrock_lint.analysis.scopes import Scope

MAX_PROMPT_FILE_BYTES = 1_000_000
MAX_DEPTH = 12


@dataclass(frozen=True)
class PromptText:
    """Known text pieces in order; ``None`` marks a part that changes per request."""

    parts: tuple[str | None, ...]
    # Where the text came from, for messages ("prompts/system.md", "app/prompts.py").
    origin: str = ""
    # (path, line) of the definition in another module of the project the text comes
    # from (analysis/project.py), for the finding's related location.
    defined_in: tuple[str, int] | None = None

    @property
    def is_static(self) -> bool:
        return all(part is not None for part in self.parts)

    @property
    def static_text(self) -> str:
        """All literal pieces (the holes left out)."""
        return "".join(part for part in self.parts if part is not None)


DYNAMIC = PromptText((None,))


def _merge(parts: list[str | None]) -> tuple[str | None, ...]:
    merged: list[str | None] = []
    for part in parts:
        if part is not None and merged and merged[-1] is not None:
            merged[-1] = merged[-1] + part  # type: ignore[operator]
        elif part is None and merged and merged[-1] is None:
            continue
        else:
            merged.append(part)
    return tuple(merged)


def resolve_text(index: "ModuleIndex", expr: cst.BaseExpression | None, scope: "Scope", depth: int = 0) -> PromptText:
    """The prompt text ``expr`` evaluates to; :data:`DYNAMIC` when nothing is known."""
    if expr is None or depth > MAX_DEPTH:
        return DYNAMIC
    if isinstance(expr, cst.FormattedString):
        # Each hole is resolved as prompt text, so a constant built from a file or a
        # repetition counts; what stays unknown is a part that changes per request.
        parts: list[str | None] = []
        for part in expr.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(part.value.replace("{{", "{").replace("}}", "}"))
            elif part.conversion is None and part.format_spec is None:
                parts.extend(resolve_text(index, part.expression, scope, depth + 1).parts)
            else:
                parts.append(None)
        return PromptText(_merge(parts))
    value = index.resolve(expr, scope)
    if isinstance(value, Literal) and isinstance(value.value, str):
        if value.origin is not None:  # a constant of another module of the project
            return PromptText((value.value,), _project_name(index, value.origin[0]), value.origin)
        return PromptText((value.value,))
    if isinstance(value, PartialString):
        return PromptText(value.parts)
    if isinstance(value, EnvironmentValue):
        return DYNAMIC
    if isinstance(value, CallResult):
        return _call_text(index, value, depth)
    if isinstance(expr, cst.Call):  # calls value resolution leaves unknown (textwrap.dedent …)
        return _call_text(index, CallResult(expr, index.resolver.qualified_name(expr.func, scope), scope), depth)
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
        left = resolve_text(index, expr.left, scope, depth + 1)
        right = resolve_text(index, expr.right, scope, depth + 1)
        return PromptText(_merge([*left.parts, *right.parts]), left.origin or right.origin, left.defined_in or right.defined_in)
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Multiply):
        # "rule. " * 40: repeated text, folded like other constants.
        left, right = resolve_text(index, expr.left, scope, depth + 1), index.resolve(expr.right, scope)
        if left.is_static and isinstance(right, Literal) and isinstance(right.value, int) and 0 <= right.value <= 10_000:
            return PromptText((left.static_text * right.value,), left.origin, left.defined_in)
        return DYNAMIC
    if isinstance(expr, (cst.Name, cst.Attribute)):  # a constant or self.attr bound to one
        definition = index.resolver.definition_of(expr, scope)
        if definition is not None and definition[0] is not expr:
            return resolve_text(index, definition[0], definition[1], depth + 1)
    return DYNAMIC


def _project_name(index: "ModuleIndex", path: str) -> str:
    """The module at ``path`` named from its project's root (``app/prompts.py``)."""
    root = getattr(index.resolver.project, "root", None)
    if root is None or not path.startswith(root.rstrip("/\\") + os.sep):
        return os.path.basename(path)
    return os.path.relpath(path, root).replace(os.sep, "/")


def _call_text(index: "ModuleIndex", value: CallResult, depth: int) -> PromptText:
    call, scope, name = value.call, value.scope, value.qualified_name or ""
    func = call.func
    positional = [a.value for a in call.args if a.keyword is None and not a.star]
    if name in ("textwrap.dedent", "inspect.cleandoc") and len(positional) == 1:
        inner = resolve_text(index, positional[0], scope, depth + 1)
        if inner.is_static:
            transform = textwrap.dedent if name == "textwrap.dedent" else inspect.cleandoc
            return PromptText((transform(inner.static_text),), inner.origin, inner.defined_in)
        return inner
    if not isinstance(func, cst.Attribute):
        return DYNAMIC
    method = func.attr.value
    if method in ("strip", "lstrip", "rstrip") and not call.args:
        inner = resolve_text(index, func.value, scope, depth + 1)
        return PromptText((getattr(inner.static_text, method)(),), inner.origin, inner.defined_in) if inner.is_static else inner
    if method == "join" and len(positional) == 1:
        separator = index.resolve(func.value, scope)
        items = index.resolve(positional[0], scope)
        if isinstance(separator, Literal) and isinstance(separator.value, str) and isinstance(items, ListValue) and items.complete:
            parts: list[str | None] = []
            for number, (item, item_scope) in enumerate(items.items):
                if number:
                    parts.append(separator.value)
                parts.extend(resolve_text(index, item, item_scope, depth + 1).parts)
            return PromptText(_merge(parts))
        return DYNAMIC
    if method == "format":
        template = resolve_text(index, func.value, scope, depth + 1)
        if template.is_static:
            return PromptText(_merge(_template_parts(template.static_text)), template.origin, template.defined_in)
        return DYNAMIC
    if method in ("read", "read_text"):
        path = _read_path(index, func.value, scope, depth)
        if path is not None:
            return _file_text(index, path)
    return DYNAMIC


def _template_parts(template: str) -> list[str | None]:
    """``"Hello {name}!"`` -> ["Hello ", None, "!"] (``{{`` and ``}}`` are literal)."""
    parts: list[str | None] = []
    try:
        for literal_text, field_name, _spec, _conversion in string.Formatter().parse(template):
            if literal_text:
                parts.append(literal_text)
            if field_name is not None:
                parts.append(None)
    except ValueError:
        return [None]
    return parts


def _read_path(index: "ModuleIndex", receiver: cst.BaseExpression, scope: "Scope", depth: int) -> str | None:
    """The literal path a ``.read()``/``.read_text()`` receiver reads, relative to the
    module's directory (``""`` stands for the directory itself)."""
    definition = index.resolver.definition_of(receiver, scope)
    if definition is None:
        return None
    expr, expr_scope = definition
    if isinstance(expr, cst.Call):
        name = index.resolver.qualified_name(expr.func, expr_scope) or ""
        positional = [a.value for a in expr.args if a.keyword is None and not a.star]
        if name in ("open", "io.open", "codecs.open") and positional:
            return _path_of(index, positional[0], expr_scope, depth)
        if name in ("pathlib.Path", "Path") and len(positional) == 1:
            return _path_of(index, positional[0], expr_scope, depth)
        return None
    return _path_of(index, expr, expr_scope, depth)


def _path_of(index: "ModuleIndex", expr: cst.BaseExpression, scope: "Scope", depth: int) -> str | None:
    if depth > MAX_DEPTH:
        return None
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Divide):
        base = _path_of(index, expr.left, scope, depth + 1)
        tail = index.resolver.resolve_string(expr.right, scope)
        if base is None or tail is None:
            return None
        return f"{base}/{tail}" if base else tail
    if isinstance(expr, cst.Name):
        definition = index.resolver.definition_of(expr, scope)
        if definition is not None and definition[0] is not expr:
            return _path_of(index, definition[0], definition[1], depth + 1)
        return None
    if isinstance(expr, cst.Attribute) and expr.attr.value == "parent" and _is_module_file(index, expr.value, scope):
        return ""
    if isinstance(expr, cst.Call):
        name = index.resolver.qualified_name(expr.func, scope) or ""
        positional = [a.value for a in expr.args if a.keyword is None and not a.star]
        if name in ("pathlib.Path", "Path") and len(positional) == 1:
            return _path_of(index, positional[0], scope, depth + 1)
        if name == "os.path.dirname" and len(positional) == 1 and _is_module_file(index, positional[0], scope):
            return ""
        if name == "os.path.join" and positional:
            pieces = [_path_of(index, positional[0], scope, depth + 1)]
            pieces += [index.resolver.resolve_string(p, scope) for p in positional[1:]]
            if any(piece is None for piece in pieces):
                return None
            return "/".join(piece for piece in pieces if piece)  # type: ignore[misc]
        if isinstance(expr.func, cst.Attribute) and expr.func.attr.value in ("resolve", "absolute") and not expr.args:
            return _path_of(index, expr.func.value, scope, depth + 1)
        return None
    text = index.resolver.resolve_string(expr, scope)
    if text is not None and not text.startswith("/") and ".." not in Path(text).parts:
        return text
    return None


def _is_module_file(index: "ModuleIndex", expr: cst.BaseExpression, scope: "Scope") -> bool:
    """``__file__``, ``Path(__file__)`` or ``Path(__file__).resolve()``."""
    if isinstance(expr, cst.Name):
        return expr.value == "__file__"
    if isinstance(expr, cst.Call):
        name = index.resolver.qualified_name(expr.func, scope) or ""
        if name in ("pathlib.Path", "Path") and len(expr.args) == 1:
            return _is_module_file(index, expr.args[0].value, scope)
        if isinstance(expr.func, cst.Attribute) and expr.func.attr.value in ("resolve", "absolute"):
            return _is_module_file(index, expr.func.value, scope)
    return False


def _file_text(index: "ModuleIndex", relative: str) -> PromptText:
    if index.path is None or ".." in Path(relative).parts:
        return DYNAMIC  # only files next to the module, never above it
    base = Path(index.path).parent
    path = base / relative
    try:
        if not path.is_file() or path.stat().st_size > MAX_PROMPT_FILE_BYTES:
            return DYNAMIC
        return PromptText((path.read_text(encoding="utf-8"),), origin=relative)
    except (OSError, UnicodeDecodeError):
        return DYNAMIC


def structure_text(index: "ModuleIndex", expr: cst.BaseExpression, scope: "Scope", depth: int = 0) -> PromptText:
    """A tool definition or other structure as the model reads it (its JSON), with holes
    where values are not known; strings inside are resolved like prompt text."""
    if depth > MAX_DEPTH:
        return DYNAMIC
    value = index.resolve(expr, scope)
    if isinstance(value, DictValue):
        parts: list[str | None] = ["{"]
        for number, (key, entry) in enumerate(value.entries.items()):
            parts.append(("," if number else "") + json.dumps(key) + ":")
            parts.extend(structure_text(index, entry.value, entry.scope, depth + 1).parts)
        parts.append("}")
        if not value.complete:
            parts.append(None)
        return PromptText(_merge(parts))
    if isinstance(value, ListValue):
        parts = ["["]
        for number, (item, item_scope) in enumerate(value.items):
            if number:
                parts.append(",")
            parts.extend(structure_text(index, item, item_scope, depth + 1).parts)
        parts.append("]")
        if not value.complete:
            parts.append(None)
        return PromptText(_merge(parts))
    if isinstance(value, Literal) and not isinstance(value.value, str):
        try:
            return PromptText((json.dumps(value.value),))
        except (TypeError, ValueError):
            return DYNAMIC
    text = resolve_text(index, expr, scope, depth + 1)
    return PromptText(_merge(['"', *text.parts, '"']), text.origin, text.defined_in)


# ----------------------------------------------------------------- token estimate
_WORD = re.compile(r"[A-Za-z]+")
_PUNCTUATION = re.compile(r"[^\w\s]")
_NUMBER = re.compile(r"\d+")
_INDENT = re.compile(r"\n[ \t]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def estimate_tokens(text: str) -> int:
    """A deterministic estimate of Claude tokens: one per word plus one per 8 letters
    beyond the first of a long word, 0.75 per punctuation mark, one per number, 0.5 per
    line break, one per indented line and one per non-ASCII character.  Measured against
    the Claude tokenizer published with the Anthropic SDK (``anthropic/tokenizer.json``,
    0.37) on prose, code, JSON tool schemas and markdown it is within 10 %
    (``tests/test_prompts.py``); newer models' tokenizers count up to about a third more
    (unsourced: not among the facts of docs/facts.md)."""
    words = _WORD.findall(text)
    count = len(words) + sum((len(word) - 1) // 8 for word in words)
    count += 0.75 * len(_PUNCTUATION.findall(text))
    count += len(_NUMBER.findall(text))
    count += 0.5 * text.count("\n") + len(_INDENT.findall(text))
    count += len(_NON_ASCII.findall(text))
    return int(round(count))
