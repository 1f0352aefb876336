"""Carry review verdicts over to a finding's new key when only its message's wording changed.

    python eval/rekey.py [--corpus pypi|field] [--previous FINDINGS] [--dry-run]

A finding's key (eval/run.py ``finding_key``) holds a digest of its message, so
rewording a rule's message orphans every verdict recorded for it.  This script carries
a verdict over, by appending a line to the review file, only when the finding is the
same finding:

1. The verdict's key matches no current finding (eval/findings.json, from
   ``python eval/run.py``), no review line already carries it over
   (``"rekeyed_from"``), and its latest line does not say what fixed or replaced the
   finding (``"fixed"``, added by the reviewer once a gone verdict is accounted for).
2. Same place: exactly one current finding has the verdict's package, version, file,
   cell, line and code; and exactly one such unmatched verdict points there (two old
   findings on one line and code, now one, are ambiguous).
3. That current finding has no verdict of its own.
4. The claim is unchanged in substance: every fact the new message states was stated
   by the old one.  Facts are the dotted or colon-joined names (model ids, profile
   prefixes, versions such as ``3.x``), the numbers (``4,096`` and ``4096`` alike) and
   the quoted values.  Rewording may drop facts (the old messages carried the why and
   library source paths, which moved to the rule documentation) but may not add or
   change one: a new token count, model id or caveat is a new claim.

A carried-over line copies the verdict, reason and the ``test`` / ``actionable`` flags,
takes the new key and message, and records ``"rekeyed_from": <old key>``; nothing is
rewritten.  Everything else is listed and left alone: "gone" (no current finding in
that place: fixed, or moved to another line or cell) and "manual" (several candidates,
a changed claim, or a finding already judged), for the reviewer to judge afresh when
the finding is in the review set (``python eval/run.py --pending``).

The same test (steps 2 and 4, against the previous findings file instead of the
verdicts: ``--previous``, by default the committed ``findings.json`` of the corpus,
``git show HEAD:<path>``) writes ``keymap.json`` beside the findings: every current
finding that is the same finding as a previous one, mapped to the key it was first seen
under (chained through the previous keymap).  eval/run.py ranks the review sample by
that key, so a reworded message keeps its finding in (or out of) the sample instead of
drawing a new one.  Run it after ``python eval/run.py`` and before reviewing.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import CORPORA, load_origins, load_review  # noqa: E402

NAME = re.compile(r"[A-Za-z0-9_-]+(?:[.:][A-Za-z0-9_-]+)+")
NUMBER = re.compile(r"\d(?:[\d,]*\d)?")
QUOTED = re.compile(r'"([^"]*)"')
COPIED = ("verdict", "reason", "test", "actionable")


def facts(message: str) -> set[str]:
    """The names, numbers and quoted values a message states."""
    found = {f"name:{m}" for m in NAME.findall(message)}
    found |= {f"number:{int(m.replace(',', ''))}" for m in NUMBER.findall(message)}
    found |= {f"quoted:{m}" for m in QUOTED.findall(message)}
    return found


def new_facts(old: str, new: str) -> set[str]:
    """Facts the new message states that the old one did not (empty: same claim, reworded)."""
    return facts(new) - facts(old)


def place(entry: dict) -> tuple:
    return (entry["package"], entry["version"], entry["file"], entry.get("cell"), entry["line"], entry["code"])


def rekey(findings: list[dict], verdicts: dict[str, dict]) -> tuple[list[dict], list[tuple[dict, str]], list[dict]]:
    """(lines to append, [(verdict, why it needs a reviewer)], verdicts whose finding is gone)."""
    current = {f["key"]: f for f in findings}
    carried = {v["rekeyed_from"] for v in verdicts.values() if v.get("rekeyed_from")}
    # A verdict whose line says what fixed or replaced its finding ("fixed") is accounted for.
    orphans = [v for k, v in verdicts.items() if k not in current and k not in carried and not v.get("fixed")]
    at: dict[tuple, list[dict]] = defaultdict(list)
    for f in findings:
        at[place(f)].append(f)
    orphans_at: dict[tuple, list[dict]] = defaultdict(list)
    for v in orphans:
        orphans_at[place(v)].append(v)
    out, manual, gone = [], [], []
    for v in orphans:
        candidates = at.get(place(v), [])
        if not candidates:
            gone.append(v)
            continue
        if len(candidates) > 1:
            manual.append((v, f"{len(candidates)} current findings at this line and code"))
            continue
        if len(orphans_at[place(v)]) > 1:
            manual.append((v, f"{len(orphans_at[place(v)])} earlier verdicts at this line and code"))
            continue
        f = candidates[0]
        if f["key"] in verdicts:
            manual.append((v, f"the current finding {f['key']} has a verdict already"))
            continue
        added = new_facts(v["message"], f["message"])
        if added:
            manual.append((v, f"claim changed: the new message adds {', '.join(sorted(added))}: {f['message']}"))
            continue
        entry = {k: f[k] for k in ("package", "version", "file", "line", "code")}
        if f.get("cell") is not None:
            entry["cell"] = f["cell"]
        entry.update({k: v[k] for k in COPIED if k in v})
        entry.update(key=f["key"], message=f["message"], rekeyed_from=v["key"])
        out.append(entry)
    return out, manual, gone


def origins(findings: list[dict], previous: list[dict], previous_origins: dict[str, str]) -> dict[str, str]:
    """current key -> first key, for each current finding that is the only one at its place,
    with exactly one previous finding there whose message states every fact the new one does."""
    before: dict[tuple, list[dict]] = defaultdict(list)
    for f in previous:
        before[place(f)].append(f)
    now: dict[tuple, list[dict]] = defaultdict(list)
    for f in findings:
        now[place(f)].append(f)
    mapped = {}
    for where, fs in now.items():
        old = before.get(where, [])
        if len(fs) == 1 and len(old) == 1 and not new_facts(old[0]["message"], fs[0]["message"]):
            first = previous_origins.get(old[0]["key"], old[0]["key"])
            if first != fs[0]["key"]:
                mapped[fs[0]["key"]] = first
    return mapped


def previous_findings(corpus, path: Path | None) -> list[dict]:
    if path is not None:
        return json.loads(path.read_text(encoding="utf-8"))
    relative = corpus.findings.relative_to(HERE.parent).as_posix()
    shown = subprocess.run(["git", "show", f"HEAD:{relative}"], cwd=HERE.parent, capture_output=True, text=True)
    if shown.returncode != 0:
        raise SystemExit(f"no committed {relative}: pass --previous FINDINGS")
    return json.loads(shown.stdout)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", choices=sorted(CORPORA), default="pypi")
    ap.add_argument("--previous", type=Path, help="the findings file the verdicts were recorded against "
                    "(default: the committed findings.json)")
    ap.add_argument("--dry-run", action="store_true", help="list, append and write nothing")
    args = ap.parse_args(argv)
    corpus = CORPORA[args.corpus]
    findings = json.loads(corpus.findings.read_text(encoding="utf-8"))
    previous = previous_findings(corpus, args.previous)
    keymap = origins(findings, previous, load_origins(corpus.keymap))
    if not args.dry_run:
        corpus.keymap.write_text(json.dumps(keymap, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(keymap)} of {len(findings)} current findings keep the sample rank of their first key "
          f"({len(previous)} previous findings)")
    verdicts = load_review(corpus.review)
    out, manual, gone = rekey(findings, verdicts)
    for v, why in manual:
        print(f"manual {v['key']} ({v['verdict']}): {why}")
    for v in gone:
        print(f"gone   {v['key']} ({v['verdict']})")
    if out and not args.dry_run:
        with corpus.review.open("a", encoding="utf-8") as handle:
            handle.write("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in out))
    print(f"{'would carry' if args.dry_run else 'carried'} {len(out)} verdicts over; "
          f"{len(manual)} for manual review; {len(gone)} gone (no current finding at that line and code)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
