"""The parser's floor: read every ``.py`` file under the given paths and parse it with
``libcst.parse_module``, in one process, nothing else.  Prints how many files failed."""

from __future__ import annotations

import os
import sys

import libcst


def main() -> int:
    files = failed = 0
    for root in sys.argv[1:]:
        for directory, directories, names in os.walk(root):
            directories.sort()
            for name in sorted(names):
                if not name.endswith(".py"):
                    continue
                with open(os.path.join(directory, name), "rb") as handle:
                    data = handle.read()
                files += 1
                try:
                    libcst.parse_module(data)
                except Exception:
                    failed += 1
    print(f"parsed {files} files, {failed} failed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
