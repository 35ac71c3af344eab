"""One behavioural suite for every audit store (SQLite here; PostgreSQL when reachable)."""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from interceptor.audit.records import NewRecord, iso, parse_time
from interceptor.audit.store import AuditStore, Conflict, NotFound, Query
from interceptor.audit.writer import AuditWriter
from tests.stores import STORE_KINDS, make_store, tamper


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AuditStore]:
    s = make_store(request.param, tmp_path)
    yield s
    s.close()


def verdict(text: str, ts: str | None = None, conversation: str | None = None, action: str = "mask") -> NewRecord:
    kw = {"ts": ts} if ts else {}
    return NewRecord(kind="verdict", body={"text": text, "hits": []}, action=action, conversation_id=conversation, **kw)


def test_append_get_query_and_chain(store: AuditStore) -> None:
    recs = [verdict(f"t{i}", action="block" if i % 2 else "mask") for i in range(5)]
    store.append(recs, [])
    got = store.get(recs[2].id)
    assert got is not None and got.to_dict()["text"] == "t2" and got.seq == 3
    assert [r.id for r in store.query(Query(action="block"))] == [recs[1].id, recs[3].id]
    page1 = store.query(Query(limit=2))
    page2 = store.query(Query(limit=2, after_seq=page1[-1].seq))
    assert [r.id for r in page1 + page2] == [r.id for r in recs[:4]]
    assert [r.id for r in store.export(Query())] == [r.id for r in recs]
    assert store.verify().ok and store.verify().checked == 5


def test_verify_names_the_altered_record(store: AuditStore, tmp_path: Path) -> None:
    recs = [verdict(f"t{i}") for i in range(6)]
    store.append(recs, [])
    tamper(store, "update", 4)
    result = store.verify()
    assert not result.ok and result.first_bad_seq == 4 and "altered" in (result.problem or "")


def test_verify_names_the_removed_record(store: AuditStore) -> None:
    store.append([verdict(f"t{i}") for i in range(6)], [])
    tamper(store, "delete", 3)
    result = store.verify()
    assert not result.ok and result.first_bad_seq == 3 and "missing" in (result.problem or "")


def test_purge_keeps_holds_and_is_not_tampering(store: AuditStore) -> None:
    old = "2025-01-01T00:00:00.000000Z"
    store.append([verdict("old", old, "c1"), verdict("old held", old, "held"), verdict("old2", old, "c2")], [])
    store.append([verdict("new", conversation="c1")], [])
    store.set_hold("held", "litigation", "legal", NewRecord(kind="hold", body={"hold": "set"}, conversation_id="held"))
    result = store.purge(iso(parse_time("2025-06-01T00:00:00Z")), NewRecord(kind="purge", body={}))
    assert result.purged == 2 and result.held == 1
    texts = [r.to_dict().get("text") for r in store.query(Query(kind=None))]
    assert "old" not in texts and "old held" in texts and "new" in texts
    check = store.verify()
    assert check.ok, check
    assert check.purged == 2
    assert store.purge(iso(parse_time("2025-06-01T00:00:00Z")), NewRecord(kind="purge", body={})).purged == 0


def test_tampering_with_a_tombstone_is_caught(store: AuditStore) -> None:
    old = "2025-01-01T00:00:00.000000Z"
    store.append([verdict("a", old), verdict("b", old), verdict("c")], [])
    store.purge("2025-06-01T00:00:00.000000Z", NewRecord(kind="purge", body={}))
    tamper(store, "tombstone", 1)
    assert not store.verify().ok


def test_reviews_decided_once(store: AuditStore) -> None:
    rec = verdict("x")
    store.append([rec], [("r1", rec.id)])
    pending = store.reviews("pending", None, 10)
    assert [p["id"] for p in pending] == ["r1"] and pending[0]["text"] == "x"
    decided = store.decide("r1", "confirm", "alice", "ok", NewRecord(kind="review", body={"review_id": "r1"}))
    assert decided["status"] == "confirm" and decided["reviewer"] == "alice"
    with pytest.raises(Conflict):
        store.decide("r1", "dismiss", "bob", None, NewRecord(kind="review", body={}))
    with pytest.raises(NotFound):
        store.decide("nope", "dismiss", "bob", None, NewRecord(kind="review", body={}))
    assert store.reviews("pending", None, 10) == []
    assert store.verify().ok


def test_two_reviewers_race_one_wins(store: AuditStore, tmp_path: Path) -> None:
    rec = verdict("x")
    store.append([rec], [("race", rec.id)])
    outcomes: list[str] = []

    def decide(name: str) -> None:
        try:
            store.decide("race", "confirm", name, None, NewRecord(kind="review", body={}))
            outcomes.append("won")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=decide, args=(f"r{i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["won"]


def test_acknowledgements_are_idempotent(store: AuditStore) -> None:
    assert store.acknowledge("tok1", NewRecord(kind="ack", body={})) is True
    assert store.acknowledge("tok1", NewRecord(kind="ack", body={})) is False
    assert len(store.query(Query(kind="ack"))) == 1


def test_release_hold(store: AuditStore) -> None:
    store.set_hold("c", "r", "me", NewRecord(kind="hold", body={}))
    assert [h["conversation_id"] for h in store.holds()] == ["c"]
    store.release_hold("c", NewRecord(kind="hold", body={}))
    assert store.holds() == []
    with pytest.raises(NotFound):
        store.release_hold("c", NewRecord(kind="hold", body={}))


def test_group_commit_writes_many_records_in_few_transactions(store: AuditStore) -> None:
    calls: list[int] = []
    writer = AuditWriter(store, on_write=lambda n, _s: calls.append(n))
    futures = [writer.submit([verdict(f"b{i}")], durable=True) for i in range(300)]
    for f in futures:
        assert f is not None
        f.result(timeout=30)
    writer.close()
    assert sum(calls) == 300 and len(calls) < 300
    assert store.verify().ok


def test_group_window_lets_a_record_that_comes_soon_after_share_the_commit(store: AuditStore) -> None:
    import time

    calls: list[int] = []
    writer = AuditWriter(store, group_window=0.5, on_write=lambda n, _s: calls.append(n))
    first = writer.submit([verdict("first")], durable=True)
    time.sleep(0.05)  # well inside the window: the writer still holds "first" uncommitted
    assert first is not None and not first.done()
    second = writer.submit([verdict("second")], durable=True)
    assert second is not None
    first.result(timeout=10)
    second.result(timeout=10)
    writer.close()
    assert calls == [2]
    assert store.verify().ok


def test_writer_keeps_background_records_while_the_store_is_down(tmp_path: Path) -> None:
    from interceptor.audit.sqlite import SqliteStore
    from interceptor.audit.store import StoreUnavailable

    class Flaky(SqliteStore):
        down = True

        def append(self, records: list[NewRecord], reviews: list[tuple[str, str]]) -> None:
            if self.down:
                raise StoreUnavailable("disk full")
            super().append(records, reviews)

    store = Flaky(tmp_path / "f.db")
    writer = AuditWriter(store)
    durable = writer.submit([verdict("block")], durable=True)
    assert durable is not None
    with pytest.raises(StoreUnavailable):
        durable.result(timeout=10)
    writer.submit([verdict("later")])
    import time

    deadline = time.time() + 5
    while writer.depth == 0 and time.time() < deadline:
        time.sleep(0.05)
    assert not writer.healthy
    store.down = False
    writer.submit([])  # wake it up
    writer.close()
    assert [r.to_dict()["text"] for r in store.query(Query())] == ["later"]
    store.close()


def test_sqlite_schema_is_versioned(tmp_path: Path) -> None:
    from interceptor.audit.sqlite import MIGRATIONS, SqliteStore

    SqliteStore(tmp_path / "v.db").close()
    SqliteStore(tmp_path / "v.db").close()  # applying twice is a no-op
    conn = sqlite3.connect(tmp_path / "v.db")
    assert conn.execute("SELECT max(version), count(*) FROM schema_version").fetchone() == (len(MIGRATIONS), 1)
