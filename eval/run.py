"""Run every rule over the evaluation corpus and say what is left to review.

    python eval/run.py [--cache-dir DIR] [--skip-check] [--pending [CODE]] [--context N]

1. ``bedrock-lint check --format json --no-cache --select ALL --exit-zero`` over
   ``DIR/corpus`` (see eval/fetch.py), from the corpus root, so every path is
   ``package/version/file``.
2. Writes ``eval/findings.json``: one object per finding (package, version, file, line,
   column, code, message, key).  ``key`` identifies a finding for the review file:
   package, version, file, line, code and a digest of the message.
3. Picks what to review (:func:`review_set`): every finding of a rule with at most
   ``SAMPLE_SIZE`` findings, else a seeded sample of ``SAMPLE_SIZE``.  The sample ranks
   findings by a seeded hash of their key, so adding findings (a new rule, a new package)
   keeps most of an earlier sample; a finding whose message was reworded ranks by the key
   it was first seen under (``keymap.json``, written by eval/rekey.py), so rewording keeps it too.
4. Prints and writes (``eval/summary.json``) per rule: findings, in the review set,
   reviewed, true and false positives, and prints "N findings not yet reviewed".

``--pending`` prints each finding of the review set that ``eval/review.jsonl`` has no
verdict for, with the code around it, for the reviewer.  ``--skip-check`` reuses
findings.json.  After a rule's message is reworded, ``python eval/rekey.py`` carries
the verdicts of unchanged findings over to their new keys.

``--corpus field`` does the same for the field corpus of eval/field/fetch.py (pinned
GitHub repositories, ``DIR/field/corpus/<owner+name>/<commit12>/file``, so a finding's
"package" is the repository and its "version" the commit): findings, review and summary
files are those of ``eval/field/``, and the review set samples ``FIELD_SAMPLE_SIZE`` per rule.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fetch import corpus_dir, default_cache_dir  # noqa: E402

SAMPLE_SIZE = 60
FIELD_SAMPLE_SIZE = 20
SEED = "bedrock-lint-eval-2026"
FINDINGS = HERE / "findings.json"
REVIEW = HERE / "review.jsonl"
SUMMARY = HERE / "summary.json"


@dataclass(frozen=True)
class Corpus:
    """Where one evaluation corpus lives and how much of it is reviewed."""

    name: str
    directory: Path  # findings.json, review.jsonl, summary.json, fp_patterns.md, REPORT.md
    sample_size: int

    @property
    def findings(self) -> Path:
        return self.directory / "findings.json"

    @property
    def review(self) -> Path:
        return self.directory / "review.jsonl"

    @property
    def summary(self) -> Path:
        return self.directory / "summary.json"

    @property
    def keymap(self) -> Path:
        return self.directory / "keymap.json"

    def root(self, cache: Path) -> Path:
        return corpus_dir(cache) if self.name == "pypi" else cache / "field" / "corpus"


CORPORA = {
    "pypi": Corpus("pypi", HERE, SAMPLE_SIZE),
    "field": Corpus("field", HERE / "field", FIELD_SAMPLE_SIZE),
}


def finding_key(package: str, version: str, file: str, line: int, code: str, message: str,
                cell: int | None = None) -> str:
    """A finding's identity; in a notebook the cell is part of it (``file[cell]:line``),
    since the line is counted from the start of the cell."""
    digest = hashlib.sha256(message.encode("utf-8")).hexdigest()[:10]
    where = file if cell is None else f"{file}[{cell}]"
    return f"{package}/{version}/{where}:{line}:{code}:{digest}"


def run_check(root: Path) -> list[dict]:
    """The raw JSON findings of one ``check`` over ``root`` (paths relative to it)."""
    out = root.parent / "check.json"
    cmd = [sys.executable, "-m", "bedrock_lint", "check", "--format", "json", "--no-cache",
           "--select", "ALL", "--exit-zero", "--output-file", str(out), "."]
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"bedrock-lint check failed with exit code {proc.returncode}")
    errors = [line for line in proc.stderr.splitlines() if line.strip()]
    if errors:
        print(f"{len(errors)} per-file errors from check (first: {errors[0]})", file=sys.stderr)
    return json.loads(out.read_text(encoding="utf-8"))


def normalise(raw: list[dict]) -> list[dict]:
    findings = []
    for item in raw:
        parts = item["filename"].replace(os.sep, "/").removeprefix("./").split("/", 2)
        package, version, file = parts
        findings.append({
            "package": package,
            "version": version,
            "file": file,
            "line": item["line"],
            "column": item["column"],
            "cell": item["cell"],
            "code": item["code"],
            "message": item["message"],
            "key": finding_key(package, version, file, item["line"], item["code"], item["message"], item["cell"]),
        })
    findings.sort(key=lambda f: (f["code"], f["package"], f["file"], f["line"], f["column"]))
    return findings


def review_set(findings: list[dict], size: int = SAMPLE_SIZE, seed: str = SEED,
               origins: dict[str, str] | None = None) -> list[dict]:
    """All findings of a rule with at most ``size``, else a seeded sample of ``size``.

    A finding ranks by the key it was first seen under (``origins``, the corpus's
    keymap.json written by eval/rekey.py), so rewording a message keeps the sample."""
    origins = origins or {}
    by_code: dict[str, list[dict]] = defaultdict(list)
    for f in findings:
        by_code[f["code"]].append(f)
    chosen = []
    for code in sorted(by_code):
        items = by_code[code]
        if len(items) > size:
            items = sorted(items, key=lambda f: hashlib.sha256(
                f"{seed}:{origins.get(f['key'], f['key'])}".encode()).hexdigest())[:size]
        chosen.extend(items)
    return chosen


def load_review(path: Path = REVIEW) -> dict[str, dict]:
    """Verdicts by key; a later line for the same key replaces an earlier one."""
    verdicts: dict[str, dict] = {}
    if path.exists():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            entry = json.loads(line)
            if entry.get("verdict") not in ("tp", "fp"):
                raise SystemExit(f"{path}:{number}: verdict must be 'tp' or 'fp'")
            key = entry.get("key") or finding_key(entry["package"], entry["version"], entry["file"],
                                                  entry["line"], entry["code"], entry["message"], entry.get("cell"))
            verdicts[key] = entry
    return verdicts


def load_origins(path: Path) -> dict[str, str]:
    """current key -> the key the finding was first seen under (eval/rekey.py)."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def summarise(findings: list[dict], verdicts: dict[str, dict], size: int = SAMPLE_SIZE,
              origins: dict[str, str] | None = None) -> dict[str, dict]:
    chosen = {f["key"] for f in review_set(findings, size, origins=origins)}
    rows: dict[str, dict] = {}
    total = Counter(f["code"] for f in findings)
    for code in sorted(total):
        keys = [f["key"] for f in findings if f["code"] == code]
        reviewed = [verdicts[k] for k in keys if k in verdicts and k in chosen]
        rows[code] = {
            "findings": total[code],
            "review_set": sum(1 for k in keys if k in chosen),
            "reviewed": len(reviewed),
            "tp": sum(1 for v in reviewed if v["verdict"] == "tp"),
            "fp": sum(1 for v in reviewed if v["verdict"] == "fp"),
        }
    return rows


def print_summary(rows: dict[str, dict]) -> int:
    print(f"{'rule':8} {'findings':>8} {'to review':>9} {'reviewed':>8} {'tp':>4} {'fp':>4}")
    for code, r in rows.items():
        print(f"{code:8} {r['findings']:8d} {r['review_set']:9d} {r['reviewed']:8d} {r['tp']:4d} {r['fp']:4d}")
    pending = sum(r["review_set"] - r["reviewed"] for r in rows.values())
    print(f"{sum(r['findings'] for r in rows.values())} findings; {pending} findings not yet reviewed")
    return pending


def show_pending(findings: list[dict], verdicts: dict[str, dict], root: Path, code: str | None, context: int,
                 size: int = SAMPLE_SIZE, origins: dict[str, str] | None = None) -> None:
    for f in review_set(findings, size, origins=origins):
        if f["key"] in verdicts or (code and not f["code"].startswith(code)):
            continue
        print(f"=== {f['key']}\n    {f['code']} {f['message']}")
        path = root / f["package"] / f["version"] / f["file"]
        lines = []
        if f["cell"] is None and path.suffix == ".py":
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        elif f["cell"] is not None and path.suffix == ".ipynb":
            print(f"    (cell {f['cell']})")
            source = json.loads(path.read_text(encoding="utf-8"))["cells"][f["cell"] - 1].get("source", "")
            lines = ("".join(source) if isinstance(source, list) else source).splitlines()
        if lines:
            lo, hi = max(0, f["line"] - 1 - context), min(len(lines), f["line"] + context)
            for i in range(lo, hi):
                mark = ">>" if i == f["line"] - 1 else "  "
                print(f"{mark}{i + 1:5d} {lines[i]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache-dir", type=Path, default=default_cache_dir())
    ap.add_argument("--skip-check", action="store_true", help="reuse eval/findings.json")
    ap.add_argument("--pending", nargs="?", const="", default=None, metavar="CODE",
                    help="print unreviewed findings of the review set (optionally of one rule prefix)")
    ap.add_argument("--context", type=int, default=6)
    ap.add_argument("--corpus", choices=sorted(CORPORA), default="pypi")
    args = ap.parse_args(argv)
    corpus = CORPORA[args.corpus]
    root = corpus.root(args.cache_dir)
    if args.skip_check:
        findings = json.loads(corpus.findings.read_text(encoding="utf-8"))
    else:
        if not root.is_dir():
            raise SystemExit(f"no corpus at {root}: run eval/fetch.py (or eval/field/fetch.py) first")
        findings = normalise(run_check(root))
        corpus.findings.write_text(json.dumps(findings, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    verdicts = load_review(corpus.review)
    origins = load_origins(corpus.keymap)
    if args.pending is not None:
        show_pending(findings, verdicts, root, args.pending or None, args.context, corpus.sample_size, origins)
        return 0
    rows = summarise(findings, verdicts, corpus.sample_size, origins)
    corpus.summary.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    print_summary(rows)
    carried = {v["rekeyed_from"] for v in verdicts.values() if v.get("rekeyed_from")}
    stale = set(verdicts) - {f["key"] for f in findings} - carried
    if stale:
        print(f"{len(stale)} review lines match no current finding (fixed or moved; eval/rekey.py carries "
              "over those whose message was only reworded)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
