"""The second, syntactic test a file passes before libcst is imported and run on it.

The prefilter (``engine.prefilter``) lets through every file whose text mentions
Bedrock, boto3, botocore, langchain-aws or a Claude id — including files that only
mention Bedrock in a docstring or a comment, or packages that reach it through relative
imports of their own.  Every finding of every rule starts from one of four things the
semantic index (``analysis.index``) records, and this module tells, from the standard
library's ``ast`` (a C parser, several times faster than libcst and cheap to import),
whether a file can hold any of them:

- **a Bedrock client or a botocore ``Config``**: the index recognises one only by a
  qualified name that starts with ``boto3``, ``aioboto3``, ``botocore``,
  ``aiobotocore``, ``anthropic`` or ``langchain_aws``; the value resolver derives
  qualified names only from an absolute ``import``/``from … import`` of a module or from
  an unbound global name, so the file must import one of these modules or name one of
  them (the library entry points of ``analysis.entry_points`` add ``litellm``,
  ``llama_index``, ``pydantic_ai`` and ``strands``);
- **an operation call without a resolved client**: only the distinctive operation names
  (``converse``, ``converse_stream``, ``invoke_model``,
  ``invoke_model_with_response_stream``) count without a client, so one of them must
  appear as an attribute;
- **a model identifier** (``analysis.model_ids``): without a client or an operation
  there is no model slot, so only a literal shaped like an identifier by itself counts:
  a string whose value is a ``[geo.]anthropic.claude-…`` id or starts with ``arn:`` and
  names a model resource (``…/``), or an f-string whose last literal part ends with such
  an id.  Each of these values contains ``anthropic.claude-``, or ``arn:`` and ``/``;
  implicitly concatenated literals, which ``ast`` joins into one constant, keep each
  piece as a substring, so the test on the joined value misses none.  Docstrings (bare
  expression statements) are never identifiers; bytes never are;
- **a syntax error** (BDR000): a file that ``ast`` cannot parse goes to libcst, which
  reports it.

A file with none of these has no findings, whatever the settings; it is not parsed with
libcst.  ``tests/test_gate.py`` checks the claim on every fixture: where the gate says
no, the index is empty and there are no findings.
"""

from __future__ import annotations

import warnings

# ast.PyCF_ONLY_AST, without importing ast.
_ONLY_AST = 0x400

# The top-level modules of every client factory, Config class and library entry point
# (analysis.bedrock, analysis.entry_points; kept equal by a test).
CLIENT_MODULES = frozenset(
    {"boto3", "aioboto3", "botocore", "aiobotocore", "anthropic", "langchain_aws", "litellm", "llama_index", "pydantic_ai", "strands"}
)
# bedrock_lint.analysis.bedrock.DISTINCTIVE_OPERATIONS (kept equal by a test).
DISTINCTIVE_OPERATIONS = frozenset({"converse", "converse_stream", "invoke_model", "invoke_model_with_response_stream"})
MODEL_ID_HINT = "anthropic.claude-"


def may_hold_findings(text: str, tree: object = None) -> bool:
    """False only when the index of ``text`` is certainly empty (see the module docstring).

    ``tree``: the ``ast`` module of ``text`` if the caller has it (flake8 does)."""
    if tree is None:
        try:
            with warnings.catch_warnings():
                # Invalid escape sequences and the like: libcst does not warn either.
                warnings.simplefilter("ignore")
                tree = compile(text, "<gate>", "exec", _ONLY_AST, dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
            return True  # libcst decides (and reports BDR000)
    import _ast  # built in: the node classes without the ``ast`` module's Python code

    AST, Constant, JoinedStr, Expr = _ast.AST, _ast.Constant, _ast.JoinedStr, _ast.Expr
    Name, Attribute, Import, ImportFrom = _ast.Name, _ast.Attribute, _ast.Import, _ast.ImportFrom
    docstrings: set[int] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is Constant:
            value = node.value
            if id(node) in docstrings:
                pass
            elif type(value) is str and (MODEL_ID_HINT in value or ("arn:" in value and "/" in value)):
                return True
            continue
        if kind is Name:
            if node.id in CLIENT_MODULES:
                return True
            continue
        if kind is Attribute:
            if node.attr in DISTINCTIVE_OPERATIONS:
                return True
        elif kind is Import:
            if any(alias.name.partition(".")[0] in CLIENT_MODULES for alias in node.names):
                return True
            continue
        elif kind is ImportFrom:
            if not node.level and node.module and node.module.partition(".")[0] in CLIENT_MODULES:
                return True
            continue
        elif kind is Expr:
            value = node.value
            if type(value) is Constant:
                docstrings.add(id(value))
            elif type(value) is JoinedStr:
                docstrings.update(id(part) for part in value.values if type(part) is Constant)
        for field in node._fields:
            child = getattr(node, field, None)
            if type(child) is list:
                stack.extend(item for item in child if isinstance(item, AST))
            elif isinstance(child, AST):
                stack.append(child)
    return False
