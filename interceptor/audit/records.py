"""Audit records and their hash chain.

Each record's hash covers its canonical content (every field but the two hashes, as JSON
with sorted keys) and the previous record's hash, so changing, removing or reordering any
record breaks the chain from that point on. Retention purges leave a tombstone (sequence
number and hash) per removed record and a chained marker record that commits to them, so a
purge is told apart from tampering.
"""
from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

GENESIS = "0" * 64
KINDS = ("verdict", "review", "ack", "hold", "purge")


def new_id() -> str:
    """A time-ordered unique id: 48 bits of milliseconds, 80 random bits, as 32 hex digits."""
    return f"{int(time.time() * 1000):012x}{os.urandom(10).hex()}"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse_time(value: str) -> datetime:
    """ISO 8601 to an aware UTC datetime (``Z`` or an offset; naive means UTC)."""
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class NewRecord:
    """A record to append; the store gives it its sequence number and hashes."""

    kind: str
    body: dict[str, Any]  # hits, text, messages, decision…: whatever the kind carries
    id: str = field(default_factory=new_id)
    ts: str = field(default_factory=now_iso)
    request_id: str | None = None
    conversation_id: str | None = None
    user_id: str | None = None
    service_id: str | None = None
    direction: str | None = None
    action: str | None = None
    lexicon_version: str | None = None
    # appended only if no record has this id yet: the one record of a stream's end, whichever
    # replica ends it and however often its last carry is replayed
    once: bool = False


@dataclass(frozen=True, slots=True)
class Record:
    seq: int
    id: str
    ts: str
    kind: str
    request_id: str | None
    conversation_id: str | None
    user_id: str | None
    service_id: str | None
    direction: str | None
    action: str | None
    lexicon_version: str | None
    body: str  # canonical JSON
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "id": self.id, "seq": self.seq, "time": self.ts, "kind": self.kind, "request_id": self.request_id,
            "conversation_id": self.conversation_id, "user_id": self.user_id, "service_id": self.service_id,
            "direction": self.direction, "action": self.action, "lexicon_version": self.lexicon_version,
        }
        d.update(orjson.loads(self.body))
        d["prev_hash"] = self.prev_hash
        d["hash"] = self.hash
        return d


def canonical_body(body: dict[str, Any]) -> str:
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS).decode()


def record_hash(seq: int, rec: NewRecord | Record, body: str, prev_hash: str) -> str:
    content = {
        "seq": seq, "id": rec.id, "ts": rec.ts, "kind": rec.kind, "request_id": rec.request_id,
        "conversation_id": rec.conversation_id, "user_id": rec.user_id, "service_id": rec.service_id,
        "direction": rec.direction, "action": rec.action, "lexicon_version": rec.lexicon_version, "body": body,
    }
    h = hashlib.sha256(prev_hash.encode())
    h.update(b"\n")
    h.update(orjson.dumps(content, option=orjson.OPT_SORT_KEYS))
    return h.hexdigest()


def tombstone_digest(tombs: list[tuple[int, str]]) -> str:
    """What a purge marker commits to: every (sequence number, hash) it removed."""
    h = hashlib.sha256()
    for seq, digest in sorted(tombs):
        h.update(f"{seq}:{digest}\n".encode())
    return h.hexdigest()
