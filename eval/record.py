"""Append verdicts to eval/review.jsonl: one line per finding on standard input,

    KEY<TAB>tp|fp<TAB>reason[<TAB>test]

where KEY is a finding's key from eval/findings.json (eval/run.py --pending prints them)
and a fourth field "test" marks a finding in test code.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    findings = {f["key"]: f for f in json.loads((HERE / "findings.json").read_text(encoding="utf-8"))}
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
        entry.update(verdict=verdict, reason=reason.strip(), key=key, message=f["message"])
        if rest and rest[0].strip() == "test":
            entry["test"] = True
        out.append(json.dumps(entry, ensure_ascii=False))
    with (HERE / "review.jsonl").open("a", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in out))
    print(f"recorded {len(out)} verdicts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
