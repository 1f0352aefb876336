"""The progress line of long runs (``check`` and ``migrate``)."""

from __future__ import annotations

import os
import sys
import time

PROGRESS_AFTER_SECONDS = 2.0


class Progress:
    """A progress line on stderr for long runs on a terminal; never on pipes or in CI."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.started = time.monotonic()
        self.enabled = sys.stderr.isatty() and not os.environ.get("CI") and total > 1
        self.shown = False

    def __call__(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        if not self.shown and time.monotonic() - self.started < PROGRESS_AFTER_SECONDS:
            return
        self.shown = True
        width = 30
        filled = int(width * self.done / self.total)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} files")
        sys.stderr.flush()

    def finish(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()
