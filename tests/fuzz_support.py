"""Fuzzing bedrock-lint: generated programs and mutated Bedrock fixtures go through the
engine's real per-file path (``process_file``: prefilter, parse guard, index, every
rule, fixes round by round, the time limit) with every rule selected and unsafe fixes
on.  For each input: no internal error, no per-file error, the fixed text parses (and
compiles if the input compiled), and fixing the fixed text changes nothing.

Used by ``tests/test_fuzz.py`` (a few hundred inputs, fixed seed) and ``bench/fuzz.py``
(thousands)."""

from __future__ import annotations

import random
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from bedrock_lint.engine.run import FileJob, RunOptions, process_file
from bedrock_lint.engine.source import SourceError, source_from_bytes
from bedrock_lint.rules.selection import enabled_codes
from bedrock_lint.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
ALL_CODES = enabled_codes(("ALL",), (), ())
SETTINGS = Settings()
FIX_OPTIONS = RunOptions(fix=True, unsafe_fixes=True, use_cache=False)

# Generated programs are wrapped in Bedrock code, so the prefilter lets them through and
# the rules and their fixes have something to do around the generated statements.
HEADER = 'import boto3\nclient = boto3.client("bedrock-runtime")\n'
TRAILER = (
    '\nresponse = client.converse(modelId="anthropic.claude-3-sonnet-20240229-v1:0", '
    'messages=[{"role": "user", "content": [{"text": "hi"}]}])\n'
    'print(response["output"]["message"]["content"][0]["text"])\n'
)

SEED_FILES = sorted(
    path
    for path in (ROOT / "fixtures").rglob("*.py")
    if "expected" not in path.relative_to(ROOT / "fixtures").parts and not path.name.endswith(".fixed.py")
)


@dataclass
class FuzzStats:
    inputs: int = 0
    analysed: int = 0
    syntax_errors: int = 0  # inputs that got a BDR000
    # Of those, inputs CPython compiles (libcst rejects a few valid forms, such as an
    # annotated parenthesised name; see tests/test_flake8_plugin.py).
    syntax_errors_cpython_accepts: int = 0
    fixed: int = 0  # inputs a fix changed
    problems: list[str] = field(default_factory=list)


def compiles(text: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(text, "<fuzz>", "exec", dont_inherit=True)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
    return True


def check_input(raw: bytes, name: str, stats: FuzzStats, label: str) -> None:
    """Run one input through the engine and record any broken property."""
    stats.inputs += 1
    job = FileJob(name, None, SETTINGS, ALL_CODES, raw)
    result = process_file(job, FIX_OPTIONS)
    problems = [f"{label}: internal error: {message}" for message in result.internal_errors]
    if result.error:
        problems.append(f"{label}: error: {result.error}")
    stats.analysed += result.analysed
    if any(f.code == "BDR000" for f in result.findings):
        stats.syntax_errors += 1
        stats.syntax_errors_cpython_accepts += compiles(source_from_bytes(raw, name).text)
    if result.fixed_output is not None and not problems:
        stats.fixed += 1
        try:
            original = source_from_bytes(raw, name).text
            fixed = source_from_bytes(result.fixed_output, name).text
            cst.parse_module(fixed)
        except (SourceError, cst.ParserSyntaxError, RecursionError) as error:
            problems.append(f"{label}: the fixed text does not parse: {error}")
        else:
            if compiles(original) and not compiles(fixed):
                problems.append(f"{label}: the fixed text no longer compiles")
            again = process_file(FileJob(name, None, SETTINGS, ALL_CODES, result.fixed_output), FIX_OPTIONS)
            if again.fixed_output is not None and again.fixed_output != result.fixed_output:
                problems.append(f"{label}: fixing the fixed text changed it again (not idempotent)")
            problems += [f"{label}: internal error on the fixed text: {m}" for m in again.internal_errors]
    stats.problems += problems


def wrap_generated(program: str) -> bytes:
    return (HEADER + program + ("" if program.endswith("\n") else "\n") + TRAILER).encode("utf-8", "surrogatepass")


# --------------------------------------------------------------------------- mutations


class _Mutator(cst.CSTTransformer):
    """Renames identifiers, reorders arguments, swaps argument values between calls and
    deletes statements, each where ``chooser`` says so.  Meaning is not kept: the
    point is code the rules have not seen."""

    def __init__(self, chooser: random.Random, values: list[cst.BaseExpression]) -> None:
        self.chooser = chooser
        self.values = values
        self.renames: dict[str, str] = {}

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        if self.chooser.random() < 0.15:
            new = self.renames.setdefault(updated.value, f"{updated.value}_{self.chooser.randrange(100)}")
            return updated.with_changes(value=new)
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        arguments = list(updated.args)
        if len(arguments) >= 2 and self.chooser.random() < 0.3:
            # Reorder: keyword arguments among themselves, positional ones among themselves
            # (a positional argument after a keyword one would not parse).
            for keep_keyword in (False, True):
                slots = [i for i, a in enumerate(arguments) if (a.keyword is not None) == keep_keyword and not a.star]
                moved = [arguments[i] for i in slots]
                self.chooser.shuffle(moved)
                for slot, argument in zip(slots, moved):
                    arguments[slot] = argument.with_changes(comma=arguments[slot].comma)
        if arguments and self.values and self.chooser.random() < 0.3:
            position = self.chooser.randrange(len(arguments))
            arguments[position] = arguments[position].with_changes(value=self.chooser.choice(self.values))
        return updated.with_changes(args=arguments)

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        body = [s for s in updated.body if self.chooser.random() >= 0.15]
        return updated.with_changes(body=body or [cst.SimpleStatementLine([cst.Pass()])])

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return updated.with_changes(body=[s for s in updated.body if self.chooser.random() >= 0.1])


def _argument_values(module: cst.Module) -> list[cst.BaseExpression]:
    values: list[cst.BaseExpression] = []

    class Collector(cst.CSTVisitor):
        def visit_Arg(self, node: cst.Arg) -> None:
            values.append(node.value)

    module.visit(Collector())
    return values


def mutate(raw: bytes, name: str, chooser: random.Random) -> bytes:
    """A mutated version of a fixture: tree mutations, and now and then a deleted line
    (which may leave code that does not parse: the syntax-error path)."""
    source = source_from_bytes(raw, name)
    try:
        module = cst.parse_module(source.text)
    except cst.ParserSyntaxError:
        return raw
    text = module.visit(_Mutator(chooser, _argument_values(module))).code
    if chooser.random() < 0.2:
        lines = text.splitlines(keepends=True)
        if lines:
            del lines[chooser.randrange(len(lines))]
            text = "".join(lines)
    return text.encode(source.encoding, "surrogateescape")
