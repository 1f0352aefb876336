"""bedrock-lint reads code and never runs it: checked files whose import would write a
file, open a socket or start a process are checked and fixed (in one process and in the
worker pool) and nothing happens; and the only data files it reads are its own
package's, whatever lies in the checked project.

The run is watched from inside with an audit hook (PEP 578): every file opened, every
socket connection, every process started and every code object executed is logged by
the bedrock-lint processes themselves (forked workers inherit the hook)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import bedrock_lint

PACKAGE = Path(bedrock_lint.__file__).resolve().parent

LAUNCHER = textwrap.dedent(
    """\
    import os, sys
    log = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    WATCHED = {"open", "socket.connect", "socket.bind", "socket.sendto", "socket.getaddrinfo",
               "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "exec"}
    def hook(event, args):
        if event not in WATCHED:
            return
        if event == "exec":
            detail = getattr(args[0], "co_filename", "?")
        elif event == "open":
            detail = args[0] if isinstance(args[0], str) else os.fsdecode(args[0]) if isinstance(args[0], bytes) else "fd"
            detail = detail + "\\t" + str(args[1])
        else:
            detail = repr(args)[:300]
        os.write(log, (event + "\\t" + detail.replace("\\n", " ") + "\\n").encode("utf-8", "replace"))
    sys.addaudithook(hook)
    from bedrock_lint.cli import main
    sys.argv = ["bedrock-lint", *sys.argv[2:]]
    main()
    """
)


def side_effects(marker: Path, port: int) -> str:
    return (
        "import boto3, pathlib, socket, subprocess\n"
        f"pathlib.Path({str(marker)!r}).write_text('ran')\n"
        f"socket.create_connection(('127.0.0.1', {port}), timeout=1).sendall(b'ran')\n"
        f"subprocess.run(['touch', {str(marker) + '.process'!r}])\n"
        "client = boto3.client('bedrock-runtime')\n"
        "client.converse(modelId='anthropic.claude-3-sonnet-20240229-v1:0', messages=[])\n"
    )


def test_checked_code_never_runs_and_only_packaged_data_is_read(tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    marker = tmp_path / "ran.txt"
    project = tmp_path / "project"
    project.mkdir()
    code = side_effects(marker, port)
    # Names Python itself or tools would import or run.
    for name in ("evil.py", "conftest.py", "setup.py", "__init__.py", "sitecustomize.py", "__main__.py", "noxfile.py"):
        (project / name).write_text(code, encoding="utf-8")
    for number in range(16):  # enough files for the worker pool
        (project / f"module{number:02}.py").write_text(code, encoding="utf-8")
    notebook = {"cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": code}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (project / "notebook.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    # Decoy data where a careless lookup might find it.
    (project / "claude_models.json").write_text("{}", encoding="utf-8")
    (project / "catalog").mkdir()
    (project / "catalog" / "claude_models.json").write_text("{}", encoding="utf-8")
    (project / "bedrock-facts.md").write_text("# decoy\n", encoding="utf-8")

    log = tmp_path / "audit.log"
    runs = [
        ["check", "--no-cache", "--jobs", "1", "--format", "json", "."],
        ["check", "--jobs", "2", "--format", "json", "."],
        ["check", "--no-cache", "--jobs", "2", "--fix", "--unsafe-fixes", "."],
        ["migrate", "--write", "--jobs", "1", "."],
    ]
    outputs = []
    for arguments in runs:
        completed = subprocess.run(
            [sys.executable, "-I", "-c", LAUNCHER, str(log), *arguments],
            cwd=project, capture_output=True, text=True, timeout=600,
        )
        assert completed.returncode in (0, 1), completed.stderr
        assert "internal error" not in completed.stderr and "Traceback" not in completed.stderr
        outputs.append(completed.stdout)
    findings = json.loads(outputs[0])
    assert {f["filename"] for f in findings} >= {"evil.py", "conftest.py", "setup.py", "notebook.ipynb", "module15.py"}
    assert json.loads(outputs[1]) == findings
    assert "read_timeout=300" in (project / "evil.py").read_text()  # the fixes were written

    # Nothing the checked code would do happened.
    assert not marker.exists() and not Path(str(marker) + ".process").exists()
    try:
        connection, _ = listener.accept()
    except BlockingIOError:
        connection = None
    listener.close()
    assert connection is None, "the checked code opened a socket"

    events = [line.split("\t") for line in log.read_text(encoding="utf-8").splitlines()]
    assert events, "the audit hook saw nothing"
    watched_kinds = {event[0] for event in events}
    assert not watched_kinds & {"socket.connect", "socket.bind", "socket.sendto", "socket.getaddrinfo", "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn"}, watched_kinds
    executed = {event[1] for event in events if event[0] == "exec"}
    project_text = str(project)
    assert not {name for name in executed if name.startswith(("<checked>", "<fixed>")) or project_text in name}, executed
    opened = [event[1] for event in events if event[0] == "open"]
    data_files = {path for path in opened if path.endswith((".json", ".md", ".toml", ".txt")) and not path.endswith(".dist-info/METADATA")}
    for path in data_files:
        real = os.path.realpath(path) if os.path.isabs(path) else os.path.realpath(project / path)
        inside_package = real.startswith(str(PACKAGE) + os.sep)
        inside_cache = (os.sep + ".bedrock_lint_cache" + os.sep) in real
        python_own = "site-packages" in real or real.startswith(sys.base_prefix)
        assert inside_package or inside_cache or python_own, f"read {path} (not packaged data)"
        assert "claude_models.json" not in real or inside_package, path
        assert "bedrock-facts" not in real and "/shared/reference" not in real, path
    assert any(path.endswith(os.path.join("catalog", "claude_models.json")) and path.startswith(str(PACKAGE)) for path in data_files), data_files


# --------------------------------------------------------------------------- python -m (issue 22, minor)

_HOSTILE_MODULE = "import pathlib\npathlib.Path('ran-{name}').write_text('')\nraise SystemExit('the checked repository ran')\n"


def _repository_with_hostile_modules(directory: Path) -> None:
    """A repository root holding modules named like bedrock-lint's dependencies."""
    for name in ("click", "libcst", "platformdirs", "pathspec"):
        (directory / f"{name}.py").write_text(_HOSTILE_MODULE.format(name=name), encoding="utf-8")
    (directory / "app.py").write_text("import boto3\nclient = boto3.client('bedrock-runtime')\n", encoding="utf-8")


def test_python_m_in_a_repository_root_does_not_import_its_modules(tmp_path):
    """``python -m`` puts the current directory first on sys.path: a repository's own
    ``click.py`` was imported in place of click (and run).  ``__main__`` drops that entry
    when bedrock-lint itself is installed elsewhere."""
    _repository_with_hostile_modules(tmp_path)
    environment = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONSAFEPATH")}
    for arguments in (["--version"], ["check", "--no-cache", "--jobs", "2", "--select", "BDR001", "."]):
        completed = subprocess.run(
            [sys.executable, "-m", "bedrock_lint", *arguments], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=600
        )
        assert "the checked repository ran" not in completed.stderr
        assert not list(tmp_path.glob("ran-*"))
        assert completed.returncode in (0, 1), completed.stderr
    assert "app.py:2:10: BDR001" in completed.stdout
