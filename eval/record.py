"""Append verdicts to eval/review.jsonl: one line per finding on standard input,

    KEY<TAB>tp|fp<TAB>reason[<TAB>flag ...]

where KEY is a finding's key from eval/findings.json (eval/run.py --pending prints them).
Flags: "test" marks a finding in test code; "act=yes" / "act=no" records the second
question of a review, whether the finding is worth acting on (a right claim about code
nobody runs, or a fix that changes nothing that matters, is "act=no").

    python eval/record.py [--corpus field] < verdicts.tsv
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import CORPORA  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", choices=sorted(CORPORA), default="pypi")
    corpus = CORPORA[ap.parse_args(argv).corpus]
    findings = {f["key"]: f for f in json.loads(corpus.findings.read_text(encoding="utf-8"))}
    out = []
    for number, line in enumerate(sys.stdin.read().splitlines(), 1):
        if not line.strip():
            continue
        key, verdict, reason, *rest = line.split("\t")
        if key not in findings:
            raise SystemExit(f"line {number}: no finding {key}")
        if verdict not in ("tp", "fp"):
            raise SystemExit(f"line {number}: verdict must be tp or fp")
        f = findings[key]
        entry = {k: f[k] for k in ("package", "version", "file", "line", "code")}
        if f.get("cell") is not None:
            entry["cell"] = f["cell"]
        entry.update(verdict=verdict, reason=reason.strip(), key=key, message=f["message"])
        for flag in (r.strip() for r in rest):
            if flag == "test":
                entry["test"] = True
            elif flag in ("act=yes", "act=no"):
                entry["actionable"] = flag == "act=yes"
            elif flag:
                raise SystemExit(f"line {number}: unknown flag {flag!r}")
        out.append(json.dumps(entry, ensure_ascii=False))
    with corpus.review.open("a", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in out))
    print(f"recorded {len(out)} verdicts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
