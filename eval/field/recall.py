"""Recall of bedrock-lint on hand-counted files of the field corpus.

    python eval/field/recall.py pick [--count N]     # the seeded sample of files to count
    python eval/field/recall.py show FILE            # a file with the numbers findings use
    python eval/field/recall.py score                # run the tool on them, write recall.json

The files to count are picked before the tool is run on them: every ``.py``/``.ipynb``
of the corpus that calls Bedrock (eval/field/fetch.py ``CALLS_BEDROCK``), one per distinct
content, ranked by ``sha256(SEED + ":" + path)``, the first ``N`` (30).  A reviewer reads
each and writes every defect a rule's documented claim covers into
``eval/field/handcount.jsonl`` (one line per defect: ``file`` as ``owner+name/commit12/path``,
``code``, ``line``, ``cell`` for notebooks, ``reason``; a file with no defect gets one line
with ``"code": null`` so it still counts as read).  A counted defect later found not to be
one by the rule's documented claim keeps its line with a ``withdrawn`` reason: it is left
out of the count and listed under ``withdrawn`` in recall.json.

The 30 files counted on 2026-12-02 (``recall_files.txt``) were picked this way from the
first 45 repositories of repos.toml, with the ``CALLS_BEDROCK`` of that day, which also
counted any file naming a quoted "bedrock" (the control-plane client, or a tag string);
``pick`` on today's corpus may list other files.

``score`` runs ``bedrock-lint check --select ALL`` on the counted files only and matches
each counted defect to a finding of the same file, rule and cell within ``LINE_SLACK``
lines, else anywhere in that file and cell (one finding per defect).  It writes ``eval/field/recall.json``: per rule family
(BDR0xx … BDR4xx) and per rule, counted and found, the misses, and the findings on those
files that match no counted defect (to be judged in the precision review, not here).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from fetch import default_cache_dir  # noqa: E402  (eval/fetch.py)

import importlib.util  # noqa: E402

_spec = importlib.util.spec_from_file_location("field_fetch", HERE / "fetch.py")
field_fetch = importlib.util.module_from_spec(_spec)
sys.modules["field_fetch"] = field_fetch
_spec.loader.exec_module(field_fetch)

SEED = "bedrock-lint-field-recall-2026"
COUNT = 30
LINE_SLACK = 3
HANDCOUNT = HERE / "handcount.jsonl"
RECALL = HERE / "recall.json"


def pick(root: Path, count: int = COUNT, seed: str = SEED) -> list[str]:
    by_content: dict[str, str] = {}
    for path in field_fetch.calling_files(root):
        rel = path.relative_to(root).as_posix()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        by_content.setdefault(digest, rel)  # calling_files is sorted: the first path wins
    ranked = sorted(by_content.values(), key=lambda rel: hashlib.sha256(f"{seed}:{rel}".encode()).hexdigest())
    return ranked[:count]


def show(path: Path) -> None:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for number, cell in enumerate(cells, 1):
            if cell.get("cell_type") != "code":
                continue
            src = cell.get("source", "")
            text = "".join(src) if isinstance(src, list) else src
            print(f"--- cell {number}")
            for i, line in enumerate(text.splitlines(), 1):
                print(f"{i:4d} {line}")
    else:
        for i, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            print(f"{i:4d} {line}")


def load_handcount(path: Path = HANDCOUNT) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run_on(root: Path, files: list[str]) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "check.json"
        cmd = [sys.executable, "-m", "bedrock_lint", "check", "--format", "json", "--no-cache",
               "--select", "ALL", "--exit-zero", "--output-file", str(out), *files]
        proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            raise SystemExit(f"bedrock-lint check failed with exit code {proc.returncode}")
        raw = json.loads(out.read_text(encoding="utf-8"))
    for item in raw:
        item["filename"] = item["filename"].removeprefix("./")
    return raw


def score(counted: list[dict], findings: list[dict]) -> dict:
    pool: dict[tuple, list[dict]] = defaultdict(list)
    for f in findings:
        pool[(f["filename"], f["code"], f["cell"])].append(f)
    rows: dict[str, dict] = defaultdict(lambda: {"counted": 0, "found": 0})
    defects = [d for d in counted if d.get("code") and not d.get("withdrawn")]
    hits: dict[int, dict] = {}
    used: set[int] = set()
    # Two passes: a finding within LINE_SLACK lines first, then any other finding of the
    # same rule in the same file and cell (a rule may report the constant, not its use).
    for near in (True, False):
        for i, d in enumerate(defects):
            if i in hits:
                continue
            candidates = [f for f in pool[(d["file"], d["code"], d.get("cell"))]
                          if id(f) not in used and (not near or abs(f["line"] - d["line"]) <= LINE_SLACK)]
            hit = min(candidates, key=lambda f: abs(f["line"] - d["line"]), default=None)
            if hit is not None:
                hits[i] = hit
                used.add(id(hit))
    misses = []
    for i, d in enumerate(defects):
        for key in (d["code"], d["code"][:4] + "xx"):
            rows[key]["counted"] += 1
            rows[key]["found"] += i in hits
        if i not in hits:
            misses.append(d)
    extra = [{"file": f["filename"], "code": f["code"], "line": f["line"], "cell": f["cell"], "message": f["message"]}
             for f in findings if id(f) not in used]
    total = {"counted": sum(r["counted"] for k, r in rows.items() if k.endswith("xx")),
             "found": sum(r["found"] for k, r in rows.items() if k.endswith("xx"))}
    return {"files": sorted({d["file"] for d in counted}), "total": total,
            "by_rule": dict(sorted(rows.items())), "misses": misses, "unmatched_findings": extra,
            "withdrawn": [d for d in counted if d.get("withdrawn")]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=("pick", "show", "score"))
    ap.add_argument("file", nargs="?")
    ap.add_argument("--count", type=int, default=COUNT)
    ap.add_argument("--cache-dir", type=Path, default=default_cache_dir())
    args = ap.parse_args(argv)
    root = field_fetch.corpus_dir(args.cache_dir)
    if args.command == "pick":
        for rel in pick(root, args.count):
            print(rel)
    elif args.command == "show":
        show(root / args.file)
    else:
        counted = load_handcount()
        files = sorted({d["file"] for d in counted})
        result = score(counted, run_on(root, files))
        RECALL.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        t = result["total"]
        print(f"{len(files)} files; {t['found']} of {t['counted']} counted defects found "
              f"(recall {t['found'] / t['counted']:.2f})" if t["counted"] else "nothing counted")
        for code, r in result["by_rule"].items():
            print(f"  {code:7} {r['found']:3d}/{r['counted']:<3d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
