"""Limits that keep one file from stopping a run: a per-file time limit, a size limit,
and a guard in front of libcst's parser for code nested too deeply to parse safely.

libcst's native parser recurses on nesting: 5,000 nested parentheses overflow its stack
(a segmentation fault, which no ``except`` can catch), and long chains (``a[0][0]...``,
``"a" + "b" + ...`` with thousands of terms) take minutes inside native code, where no
signal is delivered.  So before libcst sees a text, CPython's own compiler (C code, a
few per cent of libcst's parse time) checks it with a reduced recursion budget:

- a nesting limit of Python itself (more than 200 nested brackets, 100 indentation
  levels) is a ``BDR000`` with CPython's message; libcst never sees the file;
- a tree deeper than the budget (about 750 levels) is a per-file error, "too deeply
  nested to analyse";
- any other syntax error goes on to libcst (it may be newer syntax that libcst knows),
  after a bracket-depth check.

The per-file time limit (setting ``file-timeout``, default 10 s) counts the CPU time of
the process that analyses the file, not wall time: on a loaded CI machine or with every
CPU busy with ``--jobs`` a big file must not fail because others ran.  It is a
``SIGPROF`` interval timer (``ITIMER_PROF``) in that process (the main thread of the CLI
or of a pool worker): two system calls per analysed file.  Where there is no such timer,
another one is already running (a profiler), or off the main thread, the engine checks a
CPU-time deadline between its steps instead (after parsing, between rules, between fix
rounds).
"""

from __future__ import annotations

import re
import signal
import sys
import threading
import time
import warnings
from contextlib import contextmanager
from typing import Iterator

# Files that pass the prefilter and are larger than this are not parsed: libcst needs
# minutes and gigabytes for them.  (Files that do not mention Bedrock are only scanned.)
MAX_ANALYSED_BYTES = 8 * 1024 * 1024
# libcst's parse of one file cannot be interrupted, and its cost follows the number of
# syntax nodes: 9 to 26 µs of CPU and about 2 KB of memory per node of the ``ast`` tree
# on this project's bench corpora and a generated 3 MB file (issue 22, H3; 2026-12-02:
# sympy's bench_solvers.py, 200k nodes, 3.6 s; a 3 MB file of client calls, 960k nodes,
# 17 s and 2 GB).  A file whose estimate at the slowest rate exceeds its time limit is
# not given to libcst.
PARSE_SECONDS_PER_NODE = 30e-6
# Below this size no file can come near the default limit: its nodes are not counted.
COUNT_NODES_ABOVE_BYTES = 100 * 1024
# What a CPU timer can be set to everywhere (a platform's time_t): about 3 years.
MAX_TIMER_SECONDS = 10**8
DEFAULT_FILE_TIMEOUT = 10.0
# Python frames of recursion budget for the compile() check: CPython 3.11's compiler
# allows about three tree levels per frame, so about 750 levels of syntax tree.
COMPILE_RECURSION_BUDGET = 250
# CPython's tokenizer limit on nested brackets (MAXLEVEL).
MAX_BRACKET_DEPTH = 200
PYTHON_NESTING_LIMITS = ("too many nested parentheses", "too many levels of indentation", "too many statically nested blocks")
ALLOW_TOP_LEVEL_AWAIT = 0x2000  # ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, without importing ast


class FileTimeout(BaseException):
    """The per-file time limit ran out.  A BaseException, so that a rule's
    ``except Exception`` does not swallow it."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds

    def __str__(self) -> str:
        return f"took more than the per-file time limit of {self.seconds:g} s of CPU time (setting file-timeout); not checked"


def parse_budget_problem(text: str, seconds: float, tree: object = None) -> str | None:
    """Why ``text`` is not given to libcst within ``seconds`` of CPU time, or None.
    ``tree``: its ``ast`` module when the caller has it (the gate's)."""
    if len(text) <= COUNT_NODES_ABOVE_BYTES or seconds <= 0:
        return None
    if tree is None:
        tree = ast_of(text)
        if tree is None:
            return None  # the parse guard and libcst decide
    import ast

    nodes = 0
    stack = [tree]
    while stack:
        node = stack.pop()
        nodes += 1
        stack.extend(ast.iter_child_nodes(node))
    estimate = nodes * PARSE_SECONDS_PER_NODE
    if estimate <= seconds:
        return None
    return (
        f"too large to analyse within the per-file time limit of {seconds:g} s (setting file-timeout): "
        f"{nodes:,} syntax nodes, up to {estimate:.0f} s and {nodes * 2 / 1024:,.0f} MB to parse; not checked"
    )


def ast_of(text: str) -> object | None:
    """The ``ast`` module of ``text`` (CPython's C parser), or None when it does not parse."""
    import _ast

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return compile(text, "<budget>", "exec", _ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None


# For code whose syntax tree is deep but valid (a long implicitly concatenated prompt,
# hundreds of ``elif``s): libcst's code generation recurses once per level.
DEEP_STACK_BYTES = 512 * 1024 * 1024
DEEP_RECURSION_LIMIT = 200_000


def run_deep(function, *args):
    """``function(*args)`` in a thread with a large stack and recursion limit (libcst
    recurses once per nesting level: about 480 levels end the default limit).  The
    calling thread waits; the per-file time limit still fires in it."""
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = function(*args)
        except BaseException as error:  # noqa: BLE001 - re-raised in the caller
            outcome["error"] = error

    old_stack = threading.stack_size()
    old_limit = sys.getrecursionlimit()
    try:
        threading.stack_size(DEEP_STACK_BYTES)
        thread = threading.Thread(target=target, name="bedrock-lint-deep", daemon=True)
        sys.setrecursionlimit(max(old_limit, DEEP_RECURSION_LIMIT))
        thread.start()
    finally:
        threading.stack_size(old_stack)
    try:
        while thread.is_alive():
            thread.join(0.05)  # short waits: a signal handler (the time limit) can run
    finally:
        sys.setrecursionlimit(old_limit)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


class TooComplex(Exception):
    """The text is nested too deeply for libcst's parser to be safe on it."""


class NestingSyntaxError(Exception):
    """CPython rejects the text for nesting beyond Python's own limits."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


# --------------------------------------------------------------------------- time limit

_local = threading.local()


def _on_alarm(signum, frame) -> None:  # noqa: ARG001
    raise FileTimeout(getattr(_local, "seconds", 0.0))


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`FileTimeout` in the body once ``seconds`` have passed."""
    if not seconds or seconds <= 0:
        yield
        return
    seconds = min(seconds, MAX_TIMER_SECONDS)  # file-timeout = 1e300 is "no limit" in practice
    _local.seconds = seconds
    use_signal = (
        hasattr(signal, "ITIMER_PROF")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_PROF)[0] == 0  # nobody else's timer (a profiler)
    )
    if not use_signal:
        _local.deadline = time.process_time() + seconds
        try:
            yield
        finally:
            _local.deadline = None
        return
    previous = signal.signal(signal.SIGPROF, _on_alarm)
    try:
        signal.setitimer(signal.ITIMER_PROF, seconds)
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def check_time() -> None:
    """The deadline check for where no timer signal interrupts (see :func:`time_limit`)."""
    deadline = getattr(_local, "deadline", None)
    if deadline is not None and time.process_time() > deadline:
        _local.deadline = None
        raise FileTimeout(getattr(_local, "seconds", 0.0))


# --------------------------------------------------------------------------- parse guard

_BRACKET = re.compile(r"[()\[\]{}]")


def check_parsable(text: str, *, notebook: bool = False) -> tuple[str, int, int] | None:
    """Raise :class:`NestingSyntaxError` or :class:`TooComplex` for a text libcst must
    not be given; for anything else return CPython's verdict on an ordinary syntax error
    (message, line, column: libcst may still parse newer syntax), or None."""
    depth_now = _frame_depth()
    old_limit = sys.getrecursionlimit()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarning/DeprecationWarning of the checked code
        try:
            sys.setrecursionlimit(depth_now + COMPILE_RECURSION_BUDGET)
            try:
                compile(text, "<checked>", "exec", ALLOW_TOP_LEVEL_AWAIT if notebook else 0, dont_inherit=True)
            finally:
                sys.setrecursionlimit(old_limit)
        except (RecursionError, MemoryError):
            raise TooComplex("the file is nested too deeply to analyse (more than about 750 levels of syntax)") from None
        except SyntaxError as error:
            message = error.msg or "invalid syntax"
            line, column = error.lineno or 1, error.offset or 1
            if any(limit in message for limit in PYTHON_NESTING_LIMITS):
                raise NestingSyntaxError(message, line, column) from None
            if _naive_bracket_depth(text) > MAX_BRACKET_DEPTH:
                raise NestingSyntaxError(f"{message} (and more than {MAX_BRACKET_DEPTH} nested brackets)", line, column) from None
            return message, line, column
        except ValueError:  # NUL bytes: the source layer rejects those first
            pass
    return None


def _frame_depth() -> int:
    depth = 0
    frame = sys._getframe()
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


def _naive_bracket_depth(text: str) -> int:
    """The deepest bracket nesting, counting brackets in strings and comments too (an
    over-estimate, only asked about text CPython already rejects)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(text):
        if match.group() in "([{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif depth:
            depth -= 1
    return deepest
