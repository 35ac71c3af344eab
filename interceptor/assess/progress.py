"""A one-line progress bar on stderr: done/total, errors, rate and time left.

Shown on a terminal (or with ``--progress``), never in a pipe or a log unless asked, where
carriage returns make noise; redrawn at most ten times a second, so a fast run pays nothing
for it. Written here rather than pulled in as a dependency: it is twenty lines.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 28


class Progress:
    def __init__(self, total: int, enabled: bool, done: int = 0, stream: TextIO | None = None):
        self.total, self.done, self.errors = total, done, 0
        self.enabled = enabled and total > 0
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.fresh = 0
        self.last = 0.0

    def update(self, error: bool) -> None:
        self.done += 1
        self.fresh += 1
        self.errors += error
        now = time.monotonic()
        if self.enabled and (now - self.last >= 0.1 or self.done == self.total):
            self.last = now
            self.draw(now)

    def draw(self, now: float) -> None:
        frac = self.done / self.total
        rate = self.fresh / max(now - self.start, 1e-6)
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        bar = "#" * int(frac * WIDTH)
        self.stream.write(f"\r[{bar:<{WIDTH}}] {self.done}/{self.total} {frac:4.0%}  errors {self.errors}  "
                          f"{rate:5.1f}/s  {left:4.0f}s left ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
