"""The results file: one JSON line per assessed question, appended as each one finishes.

A run can be stopped at any moment (Ctrl-C, a kill, a crash) and run again with the same
``--out``: what is done is kept and skipped. Each record is one ``write`` of one whole line on
a file opened for appending, so a kill loses at most the questions in flight; a line cut short
(the disk filled, the machine lost power) is dropped when the file is next opened. On opening,
the file is rewritten — atomically, through a temporary file and a rename — with exactly one
record per question: the last good one, minus those to do again (errors, and questions whose
text changed in the bank). So a results file never holds a question twice.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson

RESULTS = "results.jsonl"


def read(path: Path) -> dict[str, dict[str, Any]]:
    """The last complete record of each question id, in the order first seen."""
    records: dict[str, dict[str, Any]] = {}
    if not path.exists():
        return records
    for line in path.read_bytes().split(b"\n"):
        if not line.strip():
            continue
        try:
            rec = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue  # a line cut short by a crash
        if isinstance(rec, dict) and isinstance(rec.get("id"), str):
            records[rec["id"]] = rec
    return records


class ResultStore:
    def __init__(self, out: Path):
        self.path = out / RESULTS
        self.fd: int | None = None

    def open(self, current: dict[str, str]) -> dict[str, dict[str, Any]]:
        """Keep the finished records of the questions in ``current`` (id -> digest), rewrite the
        file with exactly those, and open it for appending. Returns what is done."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        old = read(self.path)
        done = {i: r for i, r in old.items()
                if r.get("status") == "ok" and (i not in current or r.get("digest") == current[i])}
        tmp = self.path.with_suffix(".jsonl.tmp")
        with open(tmp, "wb") as f:
            for rec in done.values():
                f.write(orjson.dumps(rec) + b"\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
        self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        return done

    def append(self, record: dict[str, Any]) -> None:
        assert self.fd is not None, "open() first"
        line = orjson.dumps(record) + b"\n"
        written = os.write(self.fd, line)
        while written < len(line):  # a regular file takes it whole unless the disk is full
            written += os.write(self.fd, line[written:])

    def close(self) -> None:
        if self.fd is not None:
            os.fsync(self.fd)
            os.close(self.fd)
            self.fd = None
