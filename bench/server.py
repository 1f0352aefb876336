"""The language server's latency and memory: ``bedrock-lint server`` driven over stdio
by a minimal LSP client (standard library only), on a generated 1,000-line Bedrock module.

Measured, wall clock on this side of the pipe:
- *first check*: didOpen → diagnostics in a fresh server (imports the parser and rules);
- *edit → diagnostics*: didChange → diagnostics of that version, in a warm server; it
  includes the pause the server waits for typing to stop (``DEBOUNCE_SECONDS``);
- *warm check after an edit*: didChange then didSave → diagnostics; a save is checked at
  once, so this is the check of the edited text itself (the issue's ≤ 0.3 s target);
  its CPU time is read from ``/proc/PID/stat`` too (10 ms ticks), which a loaded machine
  does not inflate as it does the wall time;
- *code action*: a quick-fix request on a finding's line;
- *reference*: ``libcst.parse_module`` of the same text in this process (CPU time), the
  parser's floor, to read the figures against when the machine's speed varies; and the
  parse the server does after such an edit (``engine.incremental_parse``: the statements
  around the edit only), in this process too;
- *idle RSS*: the server's resident set (``/proc/PID/status`` VmRSS, or psutil) a second
  after initialisation, and again a second after the edits, with the file open.

Usage: python bench/server.py [--lines 1000] [--edits 10] [--python PYTHON] [--output FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HEADER = '''"""Document tools on Claude through Amazon Bedrock (generated for bench/server.py)."""

import boto3

MODEL_ID = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
client = boto3.client("bedrock-runtime", region_name="us-east-1")
'''

FUNCTION = '''

def summarise_{number}(text: str) -> str:
    """Summarise one document (variant {number})."""
    response = client.converse(
        modelId=MODEL_ID,
        messages=[{{"role": "user", "content": [{{"text": f"Summarise ({number}): {{text}}"}}]}}],
        inferenceConfig={{"maxTokens": 512, "temperature": 0.2}},
    )
    if response["stopReason"] == "max_tokens":
        raise RuntimeError("the summary was cut off")
    parts = response["output"]["message"]["content"]
    return "".join(part.get("text", "") for part in parts)
'''


def bedrock_module(lines: int) -> str:
    """A module of exactly ``lines`` lines: a client and functions that call Claude."""
    text = HEADER
    number = 0
    while text.count("\n") + FUNCTION.count("\n") <= lines:
        text += FUNCTION.format(number=number)
        number += 1
    return text + "\n" * (lines - text.count("\n"))


class Client:
    """Just enough of an LSP client: framed JSON-RPC over the server's pipes."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        self.process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.messages: queue.Queue = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert length is not None
            self.messages.put((time.perf_counter(), json.loads(stream.read(length))))

    def send(self, message: dict) -> float:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        sent = time.perf_counter()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return sent

    def notify(self, method: str, params: dict) -> float:
        return self.send({"method": method, "params": params})

    def request(self, method: str, params: dict | None) -> tuple[float, float, dict]:
        self.next_id += 1
        sent = self.send({"id": self.next_id, "method": method, "params": params})
        arrived, message = self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)
        return sent, arrived, message

    def wait(self, wanted, timeout: float = 120.0) -> tuple[float, dict]:
        deadline = time.monotonic() + timeout
        while True:
            arrived, message = self.messages.get(timeout=max(0.1, deadline - time.monotonic()))
            if "method" in message and "id" in message:
                self.send({"id": message["id"], "result": None})  # a request of the server's
                continue
            if wanted(message):
                return arrived, message

    def diagnostics(self, uri: str, version: int) -> tuple[float, list]:
        arrived, message = self.wait(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"].get("version") == version
        )
        return arrived, message["params"]["diagnostics"]


def resident_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import psutil  # elsewhere than Linux

    return psutil.Process(pid).memory_info().rss / 1048576


def cpu_seconds(pid: int) -> float:
    """The server's CPU time so far (user + system): on a loaded machine, what a check
    costs without the time it waited for a CPU."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        import psutil  # elsewhere than Linux

        times = psutil.Process(pid).cpu_times()
        return times.user + times.system


def parse_cpu(text: str, times: int = 5) -> list[float]:
    """CPU time of ``libcst.parse_module`` on ``text`` in this process: the parser's floor,
    measured at the same time as the server, to read the server's figures against on a
    machine whose speed varies with its load."""
    import libcst

    found = []
    for _ in range(times):
        started = time.process_time()
        libcst.parse_module(text)
        found.append(time.process_time() - started)
    return found


def incremental_parse_cpu(text: str, edited: str, times: int = 5) -> list[float]:
    """CPU time of the server's parse of ``edited`` after ``text`` (and back), in this
    process: ``engine.incremental_parse`` re-parses the statements around the edit."""
    from bedrock_lint.engine.incremental_parse import IncrementalParser

    parser = IncrementalParser()
    parser(text)
    parser(edited)  # the first edit also lays out the chunks of the whole module
    found = []
    for turn in range(times):
        started = time.process_time()
        parser(text if turn % 2 == 0 else edited)
        found.append(time.process_time() - started)
    return found


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def measure(lines: int, edits: int, python: str) -> dict:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        path = root / "documents.py"
        text = bedrock_module(lines)
        path.write_text(text, encoding="utf-8")
        uri = path.as_uri()
        client = Client([python, "-m", "bedrock_lint", "server"], root)
        try:
            started = time.perf_counter()
            client.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {}})
            client.notify("initialized", {})
            initialised = time.perf_counter() - started
            time.sleep(1.0)
            rss_started = resident_mb(client.process.pid)

            sent = client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
            arrived, diagnostics = client.diagnostics(uri, 1)
            first_check = arrived - sent
            findings = len(diagnostics)

            after_edit, after_save, code_action, check_cpu = [], [], [], []
            version = 1
            for edit in range(edits):
                # Each edit changes a prompt in a function further down the file.
                text = text.replace(f'f"Summarise ({edit}): ', f'f"Summarise briefly ({edit}): ', 1)
                version += 1
                sent = client.notify("textDocument/didChange", {
                    "textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}],
                })
                arrived, _ = client.diagnostics(uri, version)
                after_edit.append(arrived - sent)

                text = text.replace(f'f"Summarise briefly ({edit}): ', f'f"Summarise ({edit}): ', 1)
                version += 1
                cpu_before = cpu_seconds(client.process.pid)
                client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]})
                sent = client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
                arrived, diagnostics = client.diagnostics(uri, version)
                after_save.append(arrived - sent)
                check_cpu.append(cpu_seconds(client.process.pid) - cpu_before)

                line = diagnostics[0]["range"]["start"]["line"]
                sent, arrived, _ = client.request("textDocument/codeAction", {
                    "textDocument": {"uri": uri},
                    "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
                    "context": {"diagnostics": [], "only": ["quickfix"]},
                })
                code_action.append(arrived - sent)
            time.sleep(1.0)
            rss_idle = resident_mb(client.process.pid)
            parse = parse_cpu(text)
            incremental = incremental_parse_cpu(text, text.replace('f"Summarise (0): ', 'f"Summarise briefly (0): ', 1))
            client.request("shutdown", None)
            client.notify("exit", None)
            client.process.wait(timeout=60)
        finally:
            if client.process.poll() is None:
                client.process.kill()
    return {
        "lines": lines,
        "findings": findings,
        "initialise_s": initialised,
        "first_check_s": first_check,
        "edit_to_diagnostics_s": summary(after_edit),
        "warm_check_after_edit_s": summary(after_save),
        "warm_check_cpu_s": summary(check_cpu),
        "code_action_s": summary(code_action),
        "libcst_parse_cpu_s": summary(parse),
        "incremental_parse_cpu_s": summary(incremental),
        "idle_rss_mb_after_initialise": rss_started,
        "idle_rss_mb_with_file_open": rss_idle,
        "exit_code": client.process.returncode,
    }


def markdown(result: dict) -> str:
    def row(name: str, value: dict) -> str:
        return f"| {name} | {value['median']:.3f} | {value['min']:.3f}–{value['max']:.3f} | {value['n']} |"

    return "\n".join([
        f"bedrock-lint server on a {result['lines']}-line Bedrock module ({result['findings']} findings)",
        "",
        "| measure | median (s) | min–max (s) | n |",
        "|---|--:|--:|--:|",
        f"| first check (didOpen → diagnostics, fresh server) | {result['first_check_s']:.3f} | | 1 |",
        row("edit → diagnostics (incl. the 0.3 s typing pause)", result["edit_to_diagnostics_s"]),
        row("warm check after an edit (didSave → diagnostics)", result["warm_check_after_edit_s"]),
        row("the same, server CPU time (user + system)", result["warm_check_cpu_s"]),
        row("quick-fix code action", result["code_action_s"]),
        row("reference: libcst.parse_module of the same text, CPU (this process)", result["libcst_parse_cpu_s"]),
        row("the server's parse after a one-function edit (incremental), CPU (this process)", result["incremental_parse_cpu_s"]),
        "",
        f"Idle RSS: {result['idle_rss_mb_after_initialise']:.0f} MB after initialisation, "
        f"{result['idle_rss_mb_with_file_open']:.0f} MB with the file open and checked.",
    ]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--python", default=sys.executable, help="the interpreter with bedrock-lint[server] installed")
    parser.add_argument("--output", help="also write the figures as JSON to this file")
    options = parser.parse_args(argv)
    result = measure(options.lines, options.edits, options.python)
    if options.output:
        Path(options.output).write_text(json.dumps(result, indent=2) + "\n")
    print(markdown(result))
    return 0 if result["exit_code"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
