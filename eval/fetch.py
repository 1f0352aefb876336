"""Fetch the evaluation corpus: the pinned releases of eval/packages.toml.

    python eval/fetch.py [--cache-dir DIR] [--only NAME ...] [--jobs N]

Each release is downloaded with ``pip download --no-deps`` (the sdist where
packages.toml says ``kind = "sdist"``, falling back to the wheel; otherwise the wheel)
into ``DIR/downloads/`` and its Python sources (``.py``, ``.pyi``, ``.ipynb``) are unpacked
into ``DIR/corpus/<name>/<version>/``.  DIR defaults to ``$BEDROCK_LINT_EVAL_CACHE`` or
``~/.cache/bedrock-lint-eval``, outside the repository.  A release already unpacked is
skipped, so a second run only fetches what was added.  At the end it prints, per package
and in total, the files that pass the tool's prefilter and mention "bedrock".
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bedrock_lint.engine.prefilter import may_use_bedrock  # noqa: E402

SUFFIXES = (".py", ".pyi", ".ipynb")
DONE_MARKER = ".fetched"


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    kind: str = "wheel"

    @property
    def key(self) -> str:
        return f"{self.name}/{self.version}"


def default_cache_dir() -> Path:
    env = os.environ.get("BEDROCK_LINT_EVAL_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "bedrock-lint-eval"


def load_packages(path: Path = HERE / "packages.toml") -> list[Package]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [Package(p["name"], p["version"], p.get("kind", "wheel")) for p in data["packages"]]


def corpus_dir(cache: Path) -> Path:
    return cache / "corpus"


def _normal(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def _downloaded(downloads: Path, pkg: Package, kind: str) -> Path | None:
    want = _normal(pkg.name)
    for f in sorted(downloads.iterdir()) if downloads.is_dir() else ():
        stem = f.name
        is_wheel = stem.endswith(".whl")
        if (kind == "wheel") != is_wheel:
            continue
        dist, _, rest = stem.partition("-" + pkg.version)
        if _normal(dist) == want and rest and rest[0] in ".-":
            return f
    return None


def _pip_download(pkg: Package, kind: str, dest: Path) -> Path | None:
    found = _downloaded(dest, pkg, kind)
    if found:
        return found
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
           "-q", "-d", str(dest), f"{pkg.name}=={pkg.version}"]
    # --no-binary for this package only: its build backend may come as a wheel.
    cmd += ["--no-binary", pkg.name] if kind == "sdist" else ["--only-binary", ":all:"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"  {pkg.key}: pip download ({kind}) failed: "
              f"{(proc.stderr.strip().splitlines() or ['?'])[-1]}", file=sys.stderr)
    return _downloaded(dest, pkg, kind)


def _unpack(archive: Path, target: Path) -> int:
    """Unpack the Python sources of an archive; returns the number of files written."""
    count = 0
    tmp = target.with_name(target.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    if archive.name.endswith(".whl") or archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                name = info.filename
                if info.is_dir() or not name.endswith(SUFFIXES) or ".." in name.split("/"):
                    continue
                if archive.suffix == ".zip":  # sdist zip: drop the top directory
                    name = name.partition("/")[2]
                out = tmp / name
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(zf.read(info))
                count += 1
    else:
        with tarfile.open(archive) as tf:
            for member in tf.getmembers():
                if not member.isfile() or not member.name.endswith(SUFFIXES):
                    continue
                name = member.name.partition("/")[2]  # drop "<name>-<version>/"
                if not name or ".." in name.split("/"):
                    continue
                out = tmp / name
                out.parent.mkdir(parents=True, exist_ok=True)
                src = tf.extractfile(member)
                if src is not None:
                    out.write_bytes(src.read())
                    count += 1
    (tmp / DONE_MARKER).write_text(archive.name + "\n", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    return count


def fetch_one(pkg: Package, cache: Path) -> str:
    target = corpus_dir(cache) / pkg.name / pkg.version
    if (target / DONE_MARKER).exists():
        return f"{pkg.key}: present"
    downloads = cache / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    archive = None
    if pkg.kind == "sdist":
        archive = _pip_download(pkg, "sdist", downloads)
    if archive is None:
        archive = _pip_download(pkg, "wheel", downloads)
    if archive is None and pkg.kind != "sdist":
        archive = _pip_download(pkg, "sdist", downloads)
    if archive is None:
        return f"{pkg.key}: NOT FETCHED"
    n = _unpack(archive, target)
    return f"{pkg.key}: {archive.name} ({n} source files)"


def bedrock_files(root: Path) -> list[Path]:
    """Files of a corpus tree that pass the prefilter and mention "bedrock"."""
    out = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or not path.name.endswith(SUFFIXES):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if may_use_bedrock(text) and "bedrock" in text.lower():
            out.append(path)
    return out


def count_corpus(cache: Path, packages: list[Package]) -> tuple[int, int, dict[str, int]]:
    per_package: dict[str, int] = {}
    for pkg in packages:
        root = corpus_dir(cache) / pkg.name / pkg.version
        if (root / DONE_MARKER).exists():
            per_package[pkg.key] = len(bedrock_files(root))
    with_bedrock = sum(1 for n in per_package.values() if n)
    return len(per_package), with_bedrock, per_package


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache-dir", type=Path, default=default_cache_dir())
    ap.add_argument("--only", nargs="*", help="fetch only these package names")
    ap.add_argument("--jobs", type=int, default=4)
    args = ap.parse_args(argv)
    packages = load_packages()
    todo = [p for p in packages if not args.only or p.name in args.only]
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for line in pool.map(lambda p: fetch_one(p, args.cache_dir), todo):
            print(line)
    fetched, with_bedrock, per_package = count_corpus(args.cache_dir, packages)
    for key, n in per_package.items():
        print(f"  {n:5d}  {key}")
    total = sum(per_package.values())
    print(f"packages fetched: {fetched} of {len(packages)}; packages with Bedrock files: "
          f"{with_bedrock}; files that pass the prefilter and mention bedrock: {total}")
    print(f"corpus: {corpus_dir(args.cache_dir)}")
    return 0 if fetched == len(packages) else 1


if __name__ == "__main__":
    sys.exit(main())
