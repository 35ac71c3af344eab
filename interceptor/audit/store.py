"""The audit store interface. Two implementations: ``sqlite`` (one machine, no set-up) and
``postgres`` (a fleet of sidecars sharing one trail). Both pass one behavioural suite."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from interceptor.audit.records import NewRecord, Record


class StoreUnavailable(Exception):
    """The store cannot be reached or cannot write (down, locked, full)."""


class Conflict(Exception):
    """The operation lost a race or repeats a decision (a review already decided)."""


class NotFound(Exception):
    pass


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    purged: int
    first_bad_seq: int | None = None
    first_bad_id: str | None = None
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checked": self.checked, "purged": self.purged, "first_bad_seq": self.first_bad_seq,
                "first_bad_id": self.first_bad_id, "problem": self.problem}


@dataclass(frozen=True)
class Query:
    kind: str | None = "verdict"
    action: str | None = None
    since: str | None = None
    until: str | None = None
    conversation_id: str | None = None
    after_seq: int = 0
    limit: int = 100


@dataclass(frozen=True)
class PurgeResult:
    purged: int
    held: int
    cutoff: str
    marker_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


class AuditStore(Protocol):
    """What the service needs from a store. Every write is one durable transaction."""

    def append(self, records: list[NewRecord], reviews: list[tuple[str, str]]) -> None:
        """Append records to the chain and open review items ``(review_id, log_id)``, atomically."""
        ...

    def get(self, record_id: str) -> Record | None: ...

    def query(self, q: Query) -> list[Record]: ...

    def export(self, q: Query) -> Iterator[Record]:
        """All matching records, read in pages: never the whole log in memory."""
        ...

    def verify(self) -> VerifyResult: ...

    def purge(self, cutoff: str, marker: NewRecord) -> PurgeResult: ...

    def set_hold(self, conversation_id: str, reason: str, by: str, record: NewRecord) -> None: ...

    def release_hold(self, conversation_id: str, record: NewRecord) -> None: ...

    def holds(self) -> list[dict[str, Any]]: ...

    def reviews(self, status: str | None, after: str | None, limit: int) -> list[dict[str, Any]]: ...

    def decide(self, review_id: str, decision: str, reviewer: str, note: str | None,
               record: NewRecord) -> dict[str, Any]:
        """Decide a pending review; Conflict if it was already decided, NotFound if unknown."""
        ...

    def acknowledge(self, token_id: str, record: NewRecord) -> bool:
        """Record an acknowledgement once; False if this token was acknowledged before."""
        ...

    def ping(self, write: bool = False) -> None:
        """Raise StoreUnavailable unless the store answers; with ``write``, unless a commit
        reaches it too (a full disk still answers reads)."""
        ...

    def close(self) -> None: ...
