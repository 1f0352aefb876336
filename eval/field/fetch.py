"""Materialise the field corpus: the pinned commits of eval/field/repos.toml.

    python eval/field/fetch.py [--cache-dir DIR] [--mirror-dir M] [--only OWNER/NAME ...]

Each repository is read from a bare git mirror, ``M/<owner>+<name>/repo`` (M defaults to
``/work/.mirror``, where the session's ``fetch`` tool puts GitHub snapshots; a mirror that
lacks the pinned commit is an error: re-fetch it, or ``git fetch`` that commit into it).
The ``.py`` and ``.ipynb`` files of the pinned tree (and its ``pyproject.toml``/``setup.cfg``
files, with an empty ``.git`` directory at the top, so project roots are where a clone
has them) (``git ls-tree`` + ``git cat-file``) go to
``DIR/field/corpus/<owner>+<name>/<commit[:12]>/``, so eval/run.py reads the corpus with
the same ``package/version/file`` layout as the PyPI corpus.  DIR is eval/fetch.py's cache
(``$BEDROCK_LINT_EVAL_CACHE`` or ``~/.cache/bedrock-lint-eval``), outside the repository.
A pin already materialised is skipped.

At the end it prints, per repository and in total, the notebooks and ``.py`` files that
call Bedrock (:data:`CALLS_BEDROCK`), and the total without byte-identical duplicates, and
writes them to eval/field/corpus.json for the report.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from fetch import DONE_MARKER, default_cache_dir  # noqa: E402

SUFFIXES = (".py", ".ipynb")
# Project files kept beside the sources: they mark project roots (bedrock-lint's project
# index, issue 23), as in a checkout.  The root gets an empty ``.git`` directory for the
# same reason: users run bedrock-lint in a clone.
PROJECT_FILES = ("pyproject.toml", "setup.cfg")
MAX_BYTES = 5_000_000  # notebooks with embedded images above this are left out

# A file "calls Bedrock" when it names the runtime service, one of its operations, or a
# wrapper that calls it (LangChain, LlamaIndex, Strands, the Anthropic SDK's client).  The
# control-plane client ("bedrock") alone does not count: it lists and customises models.
CALLS_BEDROCK = re.compile(
    r"""bedrock-runtime|bedrock_runtime|\.invoke_model|\.converse(_stream)?\("""
    r"""|ChatBedrock|BedrockChat|AnthropicBedrock|BedrockModel\(|BedrockConverse|BedrockLLM"""
    r"""|langchain_aws|langchain_community\.(llms|chat_models)\.bedrock|bedrock/anthropic"""
)


@dataclass(frozen=True)
class Repo:
    name: str
    commit: str

    @property
    def key(self) -> str:
        return f"{self.name.replace('/', '+')}/{self.commit[:12]}"


def load_repos(path: Path = HERE / "repos.toml") -> list[Repo]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [Repo(r["name"], r["commit"]) for r in data["repos"]]


def corpus_dir(cache: Path) -> Path:
    return cache / "field" / "corpus"


def materialise(repo: Repo, cache: Path, mirrors: Path) -> str:
    target = corpus_dir(cache) / repo.key
    if (target / DONE_MARKER).exists() and (target / ".git").is_dir():
        return f"{repo.name}@{repo.commit[:12]}: present"
    git_dir = mirrors / repo.name.replace("/", "+") / "repo"
    if not git_dir.is_dir():
        return f"{repo.name}: NO MIRROR at {git_dir}"
    listing = subprocess.run(["git", "--git-dir", str(git_dir), "ls-tree", "-r", "-l", "-z", repo.commit],
                             capture_output=True)
    if listing.returncode != 0:
        return f"{repo.name}: git ls-tree {repo.commit[:12]} failed: {listing.stderr.decode(errors='replace').strip()}"
    wanted: list[tuple[str, str]] = []  # (blob, path)
    for entry in listing.stdout.decode("utf-8", errors="surrogateescape").split("\0"):
        if not entry:
            continue
        meta, path = entry.split("\t", 1)
        _mode, kind, blob, size = meta.split()
        # Blobs too large for the mirror are absent (size "-"/"BAD"); only sources are wanted.
        wanted_name = path.endswith(SUFFIXES) or path.rpartition("/")[2] in PROJECT_FILES
        if kind != "blob" or not wanted_name or ".." in path.split("/"):
            continue
        if not size.isdigit() or int(size) > MAX_BYTES:
            continue
        wanted.append((blob, path))
    tmp = target.with_name(target.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    # One `git cat-file --batch` for all blobs (the pinned tree is read, not the work tree).
    batch = subprocess.run(["git", "--git-dir", str(git_dir), "cat-file", "--batch"],
                           input="".join(blob + "\n" for blob, _ in wanted).encode(), capture_output=True)
    data, pos, count = batch.stdout, 0, 0
    for blob, path in wanted:
        header_end = data.index(b"\n", pos)
        header = data[pos:header_end].split()
        pos = header_end + 1
        if len(header) < 3 or header[1] != b"blob":  # "<sha> missing"
            continue
        size = int(header[2])
        out = tmp / path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data[pos:pos + size])
        pos += size + 1
        count += 1
    (tmp / ".git").mkdir()
    (tmp / DONE_MARKER).write_text(f"{repo.name} {repo.commit}\n", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    return f"{repo.name}@{repo.commit[:12]}: {count} files"


def calling_files(root: Path) -> list[Path]:
    """The .py and .ipynb files under ``root`` that call Bedrock."""
    return [p for p in sorted(root.rglob("*"))
            if p.is_file() and p.name.endswith(SUFFIXES)
            and CALLS_BEDROCK.search(p.read_text(encoding="utf-8", errors="replace"))]


def count(cache: Path, repos: list[Repo]) -> dict[str, tuple[int, int]]:
    rows: dict[str, tuple[int, int]] = {}
    seen: dict[str, set[str]] = {".ipynb": set(), ".py": set()}
    for repo in repos:
        root = corpus_dir(cache) / repo.key
        if not (root / DONE_MARKER).exists():
            continue
        files = calling_files(root)
        for f in files:
            seen[f.suffix].add(hashlib.sha256(f.read_bytes()).hexdigest())
        rows[repo.name] = (sum(f.suffix == ".ipynb" for f in files), sum(f.suffix == ".py" for f in files))
    rows["(unique content)"] = (len(seen[".ipynb"]), len(seen[".py"]))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache-dir", type=Path, default=default_cache_dir())
    ap.add_argument("--mirror-dir", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--only", nargs="*", help="materialise only these owner/name")
    args = ap.parse_args(argv)
    repos = load_repos()
    root = corpus_dir(args.cache_dir)
    keep = {r.key for r in repos}
    for stale in sorted(root.glob("*/*")) if root.is_dir() else ():
        if stale.is_dir() and f"{stale.parent.name}/{stale.name}" not in keep:
            shutil.rmtree(stale)  # a pin removed from repos.toml (or moved to another commit)
            print(f"removed {stale.parent.name}/{stale.name}: not in repos.toml")
            if not any(stale.parent.iterdir()):
                stale.parent.rmdir()
    failed = 0
    for repo in repos:
        if args.only and repo.name not in args.only:
            continue
        line = materialise(repo, args.cache_dir, args.mirror_dir)
        failed += "NO MIRROR" in line or "failed" in line
        print(line)
    rows = count(args.cache_dir, repos)
    unique = rows.pop("(unique content)")
    print(f"{'notebooks':>9} {'.py':>5}  repository (files that call Bedrock)")
    for name, (nb, py) in rows.items():
        print(f"{nb:9d} {py:5d}  {name}")
    print(f"repositories: {len(rows)} of {len(repos)}; notebooks that call Bedrock: "
          f"{sum(r[0] for r in rows.values())} ({unique[0]} unique); .py files that call Bedrock: "
          f"{sum(r[1] for r in rows.values())} ({unique[1]} unique)")
    print(f"corpus: {corpus_dir(args.cache_dir)}")
    commits = {r.name: r.commit for r in repos}
    summary = {
        "repos": [{"name": n, "commit": commits[n], "notebooks": nb, "py": py} for n, (nb, py) in rows.items()],
        "total": {"notebooks": sum(r[0] for r in rows.values()), "py": sum(r[1] for r in rows.values()),
                  "unique_notebooks": unique[0], "unique_py": unique[1]},
    }
    (HERE / "corpus.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
