"""bedrock-lint's benchmark: bedrock-lint and its peers side by side on the same files.

    python bench/run.py                 # the full benchmark (downloads pinned wheels once)
    python bench/run.py --quick         # a tiny corpus from fixtures/, no network
    python bench/run.py --repeat 5 --output DIR

Corpora are ``.py`` files unpacked from pinned PyPI wheels (``pip download --no-deps``)
into the cache directory (``--cache-dir``, ``$BEDROCK_LINT_BENCH_CACHE``, default
``~/.cache/bedrock-lint-bench``), outside the repository.  The peers (bench/requirements.txt)
and bedrock-lint from this checkout are installed into a virtualenv there, so every tool
runs from the same interpreter.  Each repetition runs every tool of a corpus once, one
after the other (round robin), so load on the machine spreads over all of them; the
report gives medians.  Output: ``results.md`` and ``results.json`` in ``--output``
(default: the cache directory's ``results/``); the markdown table is also printed.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

BENCH = Path(__file__).resolve().parent
REPOSITORY = BENCH.parent
sys.path.insert(0, str(REPOSITORY))

from bedrock_lint.engine.gate import may_hold_findings  # noqa: E402
from bedrock_lint.engine.prefilter import may_use_bedrock  # noqa: E402

# --- corpora -------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """The .py files of one wheel that go into a corpus."""

    requirement: str  # name==version
    under: tuple[str, ...] = ()  # only files under these paths (all when empty)
    mentions_bedrock: bool = False  # only files whose text mentions "bedrock"


MIXED = (
    Part("django==5.2.8"),
    Part("sympy==1.14.0"),
    Part("langchain-aws==1.9.1"),
    Part("anthropic==2.12.0"),
)
BEDROCK_HEAVY = (
    Part("langchain-aws==1.9.1"),
    Part("litellm==1.109.1", under=("litellm/llms/bedrock/",)),
    Part("strands-agents==1.62.0", mentions_bedrock=True),
)
SINGLE_FILE_LINES = 300
QUICK_RULES = ("BDR001", "BDR101", "BDR201", "BDR301")
BEDROCK_WORD = re.compile(rb"(?i)bedrock")


def _cache_dir(option: str | None) -> Path:
    value = option or os.environ.get("BEDROCK_LINT_BENCH_CACHE") or "~/.cache/bedrock-lint-bench"
    return Path(value).expanduser().resolve()


def _wheel(cache: Path, requirement: str) -> Path:
    name, version = requirement.split("==")
    wheels = cache / "wheels"
    stem = f"{name.replace('-', '_').lower()}-{version}-"
    found = sorted(p for p in wheels.glob("*.whl") if p.name.lower().startswith(stem))
    if not found:
        wheels.mkdir(parents=True, exist_ok=True)
        _call([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "-d", str(wheels), requirement])
        found = sorted(p for p in wheels.glob("*.whl") if p.name.lower().startswith(stem))
    if not found:
        raise SystemExit(f"bench: pip download {requirement} gave no wheel in {wheels}")
    return found[0]


def _prepare_corpus(cache: Path, name: str, parts: tuple[Part, ...]) -> Path:
    """Unpack the parts' .py files into cache/corpora/NAME/<distribution>/ (once)."""
    target = cache / "corpora" / name
    stamp = target / ".bench-corpus"
    spec = repr(parts)
    if stamp.is_file() and stamp.read_text() == spec:
        return target
    if target.exists():
        shutil.rmtree(target)
    for part in parts:
        root = target / part.requirement.split("==")[0]
        with zipfile.ZipFile(_wheel(cache, part.requirement)) as wheel:
            for member in wheel.infolist():
                if not member.filename.endswith(".py") or ".dist-info/" in member.filename:
                    continue
                if part.under and not member.filename.startswith(part.under):
                    continue
                data = wheel.read(member)
                if part.mentions_bedrock and not BEDROCK_WORD.search(data):
                    continue
                destination = root / member.filename
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(data)
    stamp.write_text(spec)
    return target


def _copy_tree(source: Path, target: Path) -> Path:
    if not target.exists():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(".bench-corpus", "__pycache__"))
    return target


def _doubled(cache: Path, source: Path) -> Path:
    """Two copies of a corpus side by side."""
    target = cache / "corpora" / f"{source.name}-x2"
    stamp = target / ".bench-corpus"
    spec = (source / ".bench-corpus").read_text() if (source / ".bench-corpus").exists() else str(source)
    if not (stamp.is_file() and stamp.read_text() == spec):
        shutil.rmtree(target, ignore_errors=True)
        for copy in ("copy1", "copy2"):
            _copy_tree(source, target / copy)
        stamp.write_text(spec)
    return target


def _python_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*.py") if p.is_file())


def _physical_lines(files: list[Path]) -> int:
    total = 0
    for path in files:
        data = path.read_bytes()
        total += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    return total


def _line_count(path: Path) -> int:
    return _physical_lines([path])


def _closest_to(files: list[Path], lines: int, accept) -> Path:
    candidates = [(abs(_line_count(p) - lines), str(p), p) for p in files if accept(p)]
    if not candidates:
        raise SystemExit("bench: no file fits the single-file benchmark")
    return min(candidates)[2]


def _uses_bedrock(path: Path) -> bool:
    """A file the hook really analyses: it mentions Bedrock, and the prefilter and the
    gate both let it through to libcst (a file that mentions Bedrock only in docstrings
    is answered without libcst and would flatter the single-file row)."""
    data = path.read_bytes()
    if not BEDROCK_WORD.search(data):
        return False
    text = data.decode("utf-8", "replace")
    return may_use_bedrock(text) and may_hold_findings(text)


def _no_bedrock(path: Path) -> bool:
    return not may_use_bedrock(path.read_bytes().decode("utf-8", "replace"))


# --- tools ---------------------------------------------------------------------------


@dataclass
class Environment:
    python: str
    bin: Path

    def script(self, name: str) -> str | None:
        candidate = self.bin / name
        return str(candidate) if candidate.exists() else None

    def has_module(self, module: str) -> bool:
        probe = subprocess.run([self.python, "-c", f"import {module}"], capture_output=True)
        return probe.returncode == 0


def _source_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(REPOSITORY.glob("bedrock_lint/**/*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(REPOSITORY)).encode() + b"\0" + path.read_bytes())
    digest.update((REPOSITORY / "pyproject.toml").read_bytes())
    return digest.hexdigest()


def _bench_environment(cache: Path) -> Environment:
    """cache/venv: the peers and bedrock-lint (a regular install of this checkout,
    reinstalled whenever its source changes)."""
    venv = cache / "venv"
    python = venv / "bin" / "python"
    if not python.exists():
        _call([sys.executable, "-m", "venv", str(venv)])
    requirements = (BENCH / "requirements.txt").read_text()
    stamp = venv / ".bench-installed"
    wanted = hashlib.sha256(requirements.encode() + _source_digest().encode()).hexdigest()
    if not (stamp.is_file() and stamp.read_text() == wanted):
        _call([str(python), "-m", "pip", "install", "--quiet", "-r", str(BENCH / "requirements.txt")])
        # Not editable: as pre-commit and users install it.
        build = cache / "build"
        shutil.rmtree(build, ignore_errors=True)
        shutil.copytree(REPOSITORY, build, ignore=shutil.ignore_patterns(".git", ".venv", "*.egg-info", "build", "__pycache__", ".bedrock_lint_cache"))
        _call([str(python), "-m", "pip", "install", "--quiet", "--force-reinstall", "--no-deps", str(build)])
        _call([str(python), "-m", "pip", "install", "--quiet", str(build)])  # its dependencies
        stamp.write_text(wanted)
    return Environment(str(python), venv / "bin")


def _current_environment() -> Environment:
    return Environment(sys.executable, Path(sys.executable).parent)


@dataclass
class Tool:
    key: str
    label: str
    command: list[str] | None  # None: skipped (``skip`` says why)
    skip: str | None = None
    cwd: str | None = None  # default: the work directory


def _tools(env: Environment) -> dict[str, Callable[..., Tool]]:
    """Tool factories: key -> (target path -> Tool)."""
    bedrock_lint = env.script("bedrock-lint")
    ruff = env.script("ruff")
    fixit = env.script("fixit")
    has_flake8 = env.has_module("flake8")
    has_plugin = has_flake8 and env.has_module("bedrock_lint.integrations.flake8_plugin")
    has_libcst = env.has_module("libcst")

    def make(key, label, builder, available, why):
        def factory(target: Path, **extra) -> Tool:
            if not available:
                return Tool(key, label, None, skip=why)
            return Tool(key, label, builder(str(target)), **extra)

        return factory

    launcher = [env.python, str(BENCH / "flake8_launcher.py")]
    return {
        "bedrock-lint-cold": make("bedrock-lint-cold", "bedrock-lint check --no-cache", lambda t: [bedrock_lint, "check", "--no-cache", t], bedrock_lint, "bedrock-lint not installed"),
        "bedrock-lint-cold-j1": make("bedrock-lint-cold-j1", "bedrock-lint check --no-cache --jobs 1", lambda t: [bedrock_lint, "check", "--no-cache", "--jobs", "1", t], bedrock_lint, "bedrock-lint not installed"),
        "bedrock-lint-warm": make("bedrock-lint-warm", "bedrock-lint check (warm cache)", lambda t: [bedrock_lint, "check", t], bedrock_lint, "bedrock-lint not installed"),
        "bedrock-lint-hook": make("bedrock-lint-hook", "bedrock-lint check --force-exclude --no-cache FILE (pre-commit hook, cold)", lambda t: [bedrock_lint, "check", "--force-exclude", "--no-cache", t], bedrock_lint, "bedrock-lint not installed"),
        "ruff": make("ruff", "ruff check --no-cache --isolated (default rules)", lambda t: [ruff, "check", "--no-cache", "--isolated", t], ruff, "ruff not installed"),
        "flake8": make("flake8", "flake8 --isolated (without the plugin)", lambda t: [*launcher, "--without-plugin", "--isolated", t], has_flake8, "flake8 not installed"),
        "flake8-plugin": make("flake8-plugin", "flake8 --isolated with the BDR plugin", lambda t: [*launcher, "--isolated", t], has_plugin, "flake8 or the bedrock-lint plugin not installed"),
        "fixit": make("fixit", "fixit lint (default rules)", lambda t: [fixit, "lint", t], fixit, "fixit not installed"),
        "libcst-parse": make("libcst-parse", "bare libcst.parse_module loop, one process", lambda t: [env.python, str(BENCH / "parse_loop.py"), t], has_libcst, "libcst not installed"),
    }


# --- measuring -----------------------------------------------------------------------


def _call(command: list[str], **kwargs) -> None:
    print("bench: $", " ".join(command), file=sys.stderr)
    subprocess.run(command, check=True, **kwargs)


def _measure(env: Environment, tool: Tool, cwd: Path) -> dict:
    output = subprocess.run(
        [env.python, str(BENCH / "measure.py"), str(tool.cwd or cwd), "--", *tool.command],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(output.stdout)


@dataclass
class Row:
    key: str  # corpus/tool
    corpus: str
    tool: Tool
    target: Path
    files: int
    lines: int
    runs: list[dict] = field(default_factory=list)
    prime: bool = False  # one untimed run first (the warm cache)

    def summary(self) -> dict:
        base = {"id": self.key, "corpus": self.corpus, "tool": self.tool.key, "label": self.tool.label,
                "files": self.files, "lines": self.lines}
        if self.tool.command is None:
            return {**base, "skipped": self.tool.skip}
        walls = [r["wall"] for r in self.runs]
        median = statistics.median(walls)
        trees = [r["tree_rss"] for r in self.runs if r["tree_rss"] is not None]
        singles = [r["max_process_rss"] for r in self.runs]
        return {
            **base,
            "command": self.tool.command,
            "runs": len(walls),
            "walls": walls,
            "median_wall": median,
            "min_wall": min(walls),
            "max_wall": max(walls),
            "lines_per_second": self.lines / median if median else None,
            "peak_tree_rss_mb": max(trees) / 2**20 if trees else None,
            "peak_process_rss_mb": max(singles) / 2**20,
            "returncodes": sorted({r["returncode"] for r in self.runs}),
            "stderr_tail": self.runs[-1]["stderr_tail"][-300:] if self.runs else "",
        }


def _run_rows(env: Environment, rows: list[Row], repeat: int, work: Path) -> None:
    live = [row for row in rows if row.tool.command is not None]
    for row in live:
        # Untimed: puts the files in the page cache for everyone, fills the warm cache.
        if row.prime:
            shutil.rmtree(Path(row.tool.cwd) / ".bedrock_lint_cache", ignore_errors=True)
            _measure(env, row.tool, work)
    for target in {row.target for row in live}:
        for path in _python_files(target):
            path.read_bytes()
    for repetition in range(repeat):
        for row in live:
            result = _measure(env, row.tool, work)
            row.runs.append(result)
            print(f"bench: [{repetition + 1}/{repeat}] {row.key}: {result['wall']:.3f} s (exit {result['returncode']})", file=sys.stderr)


# --- targets -------------------------------------------------------------------------


def _targets(summaries: dict[str, dict]) -> list[dict]:
    def wall(key):
        row = summaries.get(key)
        return None if row is None or "median_wall" not in row else row["median_wall"]

    def ratio(a, b):
        x, y = wall(a), wall(b)
        return None if x is None or y is None or y == 0 else x / y

    mixed_rss = summaries.get("mixed/bedrock-lint-cold", {})
    rss = mixed_rss.get("peak_tree_rss_mb") or mixed_rss.get("peak_process_rss_mb")
    targets = [
        ("mixed corpus, cold: time / ruff check --no-cache", ratio("mixed/bedrock-lint-cold", "mixed/ruff"), "≤", 1.0, "×"),
        ("mixed corpus, warm cache: time / our cold time", ratio("mixed/bedrock-lint-warm", "mixed/bedrock-lint-cold"), "≤", 0.10, "×"),
        ("bedrock-heavy, cold, one process: throughput / bare libcst parse loop",
         None if ratio("bedrock-heavy/bedrock-lint-cold-j1", "bedrock-heavy/libcst-parse") is None
         else 1 / ratio("bedrock-heavy/bedrock-lint-cold-j1", "bedrock-heavy/libcst-parse"), "≥", 0.50, "×"),
        ("bedrock-heavy, cold, one process: fixit lint time / our time", ratio("bedrock-heavy/fixit", "bedrock-heavy/bedrock-lint-cold-j1"), "≥", 10.0, "×"),
        # fixit lint runs its own process pool on every CPU: the like-for-like comparison
        # is with bedrock-lint's default --jobs too.
        ("bedrock-heavy, cold, both with their default process pools: fixit lint time / our time",
         ratio("bedrock-heavy/fixit", "bedrock-heavy/bedrock-lint-cold"), "≥", 10.0, "×"),
        ("mixed corpus: flake8 with the plugin / flake8 alone", ratio("mixed/flake8-plugin", "mixed/flake8"), "≤", 1.10, "×"),
        ("single file with Bedrock usage (pre-commit), wall incl. start-up", wall("single-file/bedrock-lint-hook"), "≤", 0.30, "s"),
        ("single file without Bedrock usage (pre-commit), wall incl. start-up", wall("single-file-no-bedrock/bedrock-lint-hook"), "≤", 0.15, "s"),
        ("mixed corpus, --jobs default: peak RSS", rss, "≤", 250.0, "MB"),
        ("bedrock-heavy x2 / bedrock-heavy, cold, one process", ratio("bedrock-heavy-x2/bedrock-lint-cold-j1", "bedrock-heavy/bedrock-lint-cold-j1"), "≤", 2.1, "×"),
    ]
    result = []
    for name, measured, op, limit, unit in targets:
        met = None if measured is None else (measured <= limit if op == "≤" else measured >= limit)
        result.append({"target": name, "measured": measured, "op": op, "limit": limit, "unit": unit, "met": met})
    return result


# --- report --------------------------------------------------------------------------


def _fmt(value, digits=3):
    return "—" if value is None else f"{value:.{digits}f}"


def _markdown(report: dict) -> str:
    lines = [
        f"Date: {report['date']} · machine: {report['machine']['description']} · "
        f"load average before/after: {report['load_before']} / {report['load_after']} · "
        f"{report['repeat']} repetitions, medians · mode: {report['mode']}",
        "",
        "Versions: " + ", ".join(f"{name} {version}" for name, version in report["versions"].items() if version),
        "",
        "| corpus | tool | files | lines | median wall (s) | min–max (s) | lines/s | peak RSS (MB) |",
        "|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    for row in report["rows"]:
        if "skipped" in row:
            lines.append(f"| {row['corpus']} | {row['label']} | {row['files']} | {row['lines']} | skipped: {row['skipped']} | | | |")
            continue
        rss = row["peak_tree_rss_mb"] if row["peak_tree_rss_mb"] is not None else row["peak_process_rss_mb"]
        lines.append(
            f"| {row['corpus']} | {row['label']} | {row['files']} | {row['lines']} | {row['median_wall']:.3f} | "
            f"{row['min_wall']:.3f}–{row['max_wall']:.3f} | {row['lines_per_second']:,.0f} | {rss:.0f} |"
        )
    lines += ["", "| target | measured | limit | met |", "|---|--:|--:|---|"]
    for target in report["targets"]:
        met = "n/a" if target["met"] is None else ("yes" if target["met"] else "**no**")
        digits = 0 if target["unit"] == "MB" else 3
        lines.append(f"| {target['target']} | {_fmt(target['measured'], digits)} {target['unit']} | {target['op']} {target['limit']} {target['unit']} | {met} |")
    lines += ["", f"Peak RSS: {report['rss_method']}", ""]
    return "\n".join(lines)


def _versions(env: Environment) -> dict:
    code = (
        "import importlib.metadata as m, json\n"
        "out = {}\n"
        "for name in ('bedrock-lint', 'libcst', 'ruff', 'flake8', 'pyflakes', 'pycodestyle', 'fixit', 'psutil'):\n"
        "    try: out[name] = m.version(name)\n"
        "    except m.PackageNotFoundError: out[name] = None\n"
        "print(json.dumps(out))\n"
    )
    return json.loads(subprocess.run([env.python, "-c", code], capture_output=True, text=True, check=True).stdout)


def _machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB RAM"
    except OSError:
        pass
    description = f"{cpu}, {os.cpu_count()} CPUs, {memory or 'RAM unknown'}, {platform.system()} {platform.release()}, Python {platform.python_version()}"
    return {"description": description, "cpus": os.cpu_count()}


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny corpus from fixtures/, no downloads, installed peers only")
    parser.add_argument("--repeat", type=int, help="repetitions (default: 3, --quick: 1)")
    parser.add_argument("--cache-dir", help="wheels, corpora, the benchmark virtualenv (default: $BEDROCK_LINT_BENCH_CACHE or ~/.cache/bedrock-lint-bench)")
    parser.add_argument("--output", help="directory for results.json and results.md (default: CACHE/results)")
    parser.add_argument(
        "--groups", help="comma-separated groups to run (mixed, bedrock-heavy, single-file; default: all)"
    )
    options = parser.parse_args(argv)
    repeat = options.repeat or (1 if options.quick else 3)
    cache = _cache_dir(options.cache_dir)
    output = Path(options.output).resolve() if options.output else cache / "results"
    work = cache / ("work-quick" if options.quick else "work")
    work.mkdir(parents=True, exist_ok=True)

    if options.quick:
        env = _current_environment()
        # A few of the rule fixtures (Bedrock code) and, for "mixed", the standard
        # library's json package (no Bedrock).
        heavy = work / "corpus-bedrock-heavy"
        for rule in QUICK_RULES:
            _copy_tree(REPOSITORY / "fixtures" / "rules" / rule, heavy / rule)
        mixed = work / "corpus-mixed"
        _copy_tree(heavy, mixed / "fixtures")
        _copy_tree(Path(json.__file__).parent, mixed / "json")
        doubled = work / "corpus-bedrock-heavy-x2"
        for copy in ("copy1", "copy2"):
            _copy_tree(heavy, doubled / copy)
        no_bedrock_pool = _python_files(mixed / "json")
    else:
        env = _bench_environment(cache)
        mixed = _prepare_corpus(cache, "mixed", MIXED)
        heavy = _prepare_corpus(cache, "bedrock-heavy", BEDROCK_HEAVY)
        doubled = _doubled(cache, heavy)
        no_bedrock_pool = _python_files(mixed)
    single = _closest_to(_python_files(heavy), SINGLE_FILE_LINES, _uses_bedrock)
    single_plain = _closest_to(no_bedrock_pool, SINGLE_FILE_LINES, _no_bedrock)

    tools = _tools(env)
    warm_cwd = work / "warm"
    warm_cwd.mkdir(exist_ok=True)
    plan = {
        "mixed": (mixed, ["bedrock-lint-cold", "bedrock-lint-warm", "ruff", "flake8", "flake8-plugin"]),
        "bedrock-heavy": (heavy, ["bedrock-lint-cold-j1", "bedrock-lint-cold", "libcst-parse", "fixit", "ruff"]),
        "bedrock-heavy-x2": (doubled, ["bedrock-lint-cold-j1"]),
        "single-file": (single, ["bedrock-lint-hook", "ruff", "flake8"]),
        "single-file-no-bedrock": (single_plain, ["bedrock-lint-hook"]),
    }
    # Corpora whose rows are compared with each other take turns in one round robin.
    groups = (("mixed",), ("bedrock-heavy", "bedrock-heavy-x2"), ("single-file", "single-file-no-bedrock"))
    if options.groups:
        wanted = set(options.groups.split(","))
        groups = tuple(group for group in groups if group[0] in wanted)
    load_before = _load()
    rows: list[Row] = []
    for group in groups:
        group_rows = []
        for corpus in group:
            target, keys = plan[corpus]
            files = _python_files(target)
            lines = _physical_lines(files)
            for key in keys:
                warm = key == "bedrock-lint-warm"
                tool = tools[key](target, **({"cwd": str(warm_cwd)} if warm else {}))
                group_rows.append(Row(f"{corpus}/{key}", corpus, tool, target, len(files), lines, prime=warm))
            print(f"bench: {corpus}: {len(files)} files, {lines} lines ({target})", file=sys.stderr)
        _run_rows(env, group_rows, repeat, work)
        rows.extend(group_rows)

    summaries = [row.summary() for row in rows]
    by_id = {s["id"]: s for s in summaries}
    report = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "mode": "quick" if options.quick else "full",
        "repeat": repeat,
        "machine": _machine(),
        "load_before": load_before,
        "load_after": _load(),
        "versions": _versions(env),
        "python": env.python,
        "corpora": {
            "mixed": [p.requirement for p in MIXED] if not options.quick else "fixtures/",
            "bedrock-heavy": [repr(p) for p in BEDROCK_HEAVY] if not options.quick else "fixtures/rules/",
            "bedrock-heavy-x2": "two copies of bedrock-heavy",
            "single-file": str(single),
            "single-file-no-bedrock": str(single_plain),
        },
        "lines": "physical lines of the corpus's .py files",
        "rss_method": (
            "the largest sum of the RSS of the command's whole process tree, sampled every 20 ms "
            "with psutil (bench/measure.py); where psutil is missing, the largest single process "
            "(getrusage RUSAGE_CHILDREN ru_maxrss)"
        ),
        "rows": summaries,
        "targets": _targets(by_id),
    }
    output.mkdir(parents=True, exist_ok=True)
    (output / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    markdown = _markdown(report)
    (output / "results.md").write_text(markdown)
    print(markdown)
    unexpected = [s["id"] for s in summaries if "returncodes" in s and any(code not in (0, 1) for code in s["returncodes"])]
    if unexpected:
        print(f"bench: warning: unexpected exit codes in {', '.join(unexpected)} (see stderr_tail in results.json)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
