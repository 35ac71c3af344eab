"""The hash chain's rows and its walk, shared by both stores.

Each store reads its rows its own way (SQLite in one read transaction, PostgreSQL through a
server-side cursor in a repeatable-read snapshot) and hands them to ``walk``, which names
the first record that was altered or removed. A store's own checks of purge markers come in
through ``check_marker``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import orjson

from interceptor.audit.records import GENESIS, Record, record_hash, tombstone_digest
from interceptor.audit.store import VerifyResult

COLUMNS = ("seq, id, ts, kind, request_id, conversation_id, user_id, service_id, direction, action, "
           "lexicon_version, body, prev_hash, hash")


def as_record(r: tuple[Any, ...]) -> Record:
    """A record from a row of ``COLUMNS``."""
    return Record(*r)


def walk(rows: Iterator[tuple[Any, ...]], tombs: dict[int, str], by_purge: dict[str, list[tuple[int, str]]],
         head_seq: int, head_hash: str, dropped: dict[int, tuple[int, str]] | None = None,
         check_marker: Callable[[int, dict[str, Any]], str | None] | None = None) -> VerifyResult:
    """Walk the chain in order; name the first record that was altered or removed.

    A gap must be covered by tombstones: one per purged record, or ``dropped`` — first
    sequence number -> (last, last hash) of a dropped partition. ``check_marker`` adds a
    store's own checks of a purge marker's body.
    """
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    dropped = dropped or {}

    def bad(seq: int, rid: str | None, problem: str) -> VerifyResult:
        return VerifyResult(False, checked, len(tombs), seq, rid, problem)

    def skip(seq: int) -> tuple[int, str] | None:
        """Past a purged record or a dropped partition: the next sequence number and hash."""
        if seq in tombs:
            return seq + 1, tombs[seq]
        if seq in dropped:
            last, last_hash = dropped[seq]
            return last + 1, last_hash
        return None

    for r in rows:
        rec = as_record(r)
        while expected_seq < rec.seq:  # gaps must be tombstones of a purge
            step = skip(expected_seq)
            if step is None:
                return bad(expected_seq, None, f"record {expected_seq} is missing")
            expected_seq, expected_prev = step
        if rec.seq != expected_seq:
            return bad(rec.seq, rec.id, f"record {rec.seq} is out of order")
        if rec.prev_hash != expected_prev:
            return bad(rec.seq, rec.id, f"record {rec.seq} does not follow the record before it")
        if record_hash(rec.seq, rec, rec.body, rec.prev_hash) != rec.hash:
            return bad(rec.seq, rec.id, f"record {rec.seq} was altered")
        if rec.kind == "purge":
            body = orjson.loads(rec.body)
            got = tombstone_digest(by_purge.get(body.get("purge_id", ""), []))
            if got != body.get("digest"):
                return bad(rec.seq, rec.id, f"purge marker {rec.seq} does not match the records it removed")
            problem = check_marker(rec.seq, body) if check_marker is not None else None
            if problem:
                return bad(rec.seq, rec.id, problem)
        expected_prev, expected_seq = rec.hash, rec.seq + 1
        checked += 1
    while expected_seq <= head_seq:
        step = skip(expected_seq)
        if step is None:
            return bad(expected_seq, None, f"record {expected_seq} is missing")
        expected_seq, expected_prev = step
    if expected_prev != head_hash:
        return bad(head_seq, None, "the chain's head does not match its last record")
    return VerifyResult(True, checked, len(tombs))
