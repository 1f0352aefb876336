"""Run one command and print its wall time and peak memory as JSON (used by run.py).

Wall time: from starting the command to its exit, interpreter start-up included.
Peak RSS, two ways:
- ``tree_rss``: the largest sum of the resident set sizes of the command's whole process
  tree (the command and every descendant alive at the time), sampled every 20 ms with
  psutil; ``null`` when psutil is not installed.
- ``max_process_rss``: the largest resident set of any single process of the tree, from
  ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of this (fresh) process, exact.

Usage: python measure.py CWD -- COMMAND...
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import threading
import time


def _sample_tree(pid: int, done: threading.Event, peak: list[int]) -> None:
    try:
        import psutil
    except ImportError:
        peak.append(-1)
        return
    try:
        root = psutil.Process(pid)
    except psutil.Error:
        return
    best = 0
    while not done.is_set():
        total = 0
        try:
            processes = [root, *root.children(recursive=True)]
        except psutil.Error:
            break
        for process in processes:
            try:
                total += process.memory_info().rss
            except psutil.Error:
                pass
        best = max(best, total)
        done.wait(0.02)
    peak.append(best)


def main() -> int:
    cwd, separator, *command = sys.argv[1:]
    assert separator == "--", "usage: measure.py CWD -- COMMAND..."
    done = threading.Event()
    peak: list[int] = []
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = threading.Thread(target=_sample_tree, args=(child.pid, done, peak), daemon=True)
    sampler.start()
    _, stderr = child.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    tree = peak[0] if peak and peak[0] >= 0 else None
    max_process = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # KiB on Linux
    json.dump(
        {
            "wall": wall,
            "returncode": child.returncode,
            "tree_rss": tree,
            "max_process_rss": max_process,
            "stderr_tail": stderr.decode("utf-8", "replace")[-2000:],
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
