"""What only the PostgreSQL store does: monthly partitions, retention by dropping whole
partitions with (signed) tombstones, and the migration of an unpartitioned trail."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from interceptor.audit.records import GENESIS, NewRecord, canonical_body, record_hash
from interceptor.audit.store import Query
from tests.stores import PG_URL, _in_ci, _pg_available

pytestmark = pytest.mark.skipif(not _pg_available() and not _in_ci(), reason="PostgreSQL not reachable")

CUTOFF = "2025-06-01T00:00:00.000000Z"


def verdict(text: str, ts: str, conversation: str = "c") -> NewRecord:
    return NewRecord(kind="verdict", body={"text": text, "hits": []}, action="mask", conversation_id=conversation,
                     ts=ts)


@pytest.fixture
def schema(request: pytest.FixtureRequest) -> Iterator[str]:
    import psycopg

    name = f"pgpart_{abs(hash(request.node.name)) % 10**8}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
    yield name
    while _opened:  # a pool left to the garbage collector may be collected in its own worker thread
        _opened.pop().close()
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


_opened: list[Any] = []


def store(schema: str, key: bytes | None = None) -> Any:
    """A store on the test's schema, closed with the schema at the test's end."""
    from interceptor.audit.postgres import PostgresStore

    s = PostgresStore(PG_URL, schema=schema, audit_key=key)
    _opened.append(s)
    return s


def sql(schema: str, query: str, *args: object) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True, options=f"-c search_path={schema}") as conn:
        cur = conn.execute(query, args or None)
        return cur.fetchall() if cur.description else []


def partitions(schema: str) -> list[str]:
    rows = sql(schema, "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                       "JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace "
                       "WHERE p.relname = 'records' AND n.nspname = %s ORDER BY 1", schema)
    return [r[0] for r in rows]


def fill(s: Any) -> None:
    """January: 3 records; February: 2, one of them under hold; and one record now."""
    s.append([verdict(f"jan{i}", f"2025-01-0{i + 1}T00:00:00.000000Z") for i in range(3)], [])
    s.append([verdict("feb", "2025-02-01T00:00:00.000000Z"),
              verdict("feb held", "2025-02-02T00:00:00.000000Z", "held")], [])
    s.append([verdict("now", "2026-11-20T00:00:00.000000Z")], [])
    s.set_hold("held", "litigation", "legal", NewRecord(kind="hold", body={"hold": "set"}, conversation_id="held"))


def test_records_are_partitioned_by_month_and_old_months_dropped_whole(schema: str) -> None:
    s = store(schema)
    fill(s)
    assert {"records_2025_01", "records_2025_02", "records_2026_11"} <= set(partitions(schema))
    result = s.purge(CUTOFF, NewRecord(kind="purge", body={}))
    assert result.purged == 4 and result.held == 1  # January dropped whole, February's unheld record by row
    assert "records_2025_01" not in partitions(schema) and "records_2025_02" in partitions(schema)
    (dropped,) = result.details["partitions"]
    assert dropped["partition"] == "2025-01" and (dropped["first_seq"], dropped["last_seq"]) == (1, 3)
    texts = [r.to_dict().get("text") for r in s.query(Query(kind=None))]
    assert texts[:2] == ["feb held", "now"]
    check = s.verify()
    assert check.ok and check.purged == 4, check
    assert s.purge(CUTOFF, NewRecord(kind="purge", body={})).purged == 0
    s.append([verdict("after", "2026-11-21T00:00:00.000000Z")], [])
    assert s.verify().ok


def test_recent_records_are_never_touched(schema: str) -> None:
    s = store(schema)
    s.append([verdict("old", "2025-03-01T00:00:00.000000Z"), verdict("recent", "2025-03-31T00:00:00.000000Z")], [])
    s.append([verdict("now", "2026-11-20T00:00:00.000000Z")], [])
    result = s.purge("2025-03-15T00:00:00.000000Z", NewRecord(kind="purge", body={}))
    assert result.purged == 1 and "records_2025_03" in partitions(schema)  # the month straddles the cutoff
    assert [r.to_dict()["text"] for r in s.query(Query())] == ["recent", "now"]
    assert s.verify().ok


def test_signed_tombstones(schema: str) -> None:
    s = store(schema, key=b"audit-key")
    fill(s)
    s.purge(CUTOFF, NewRecord(kind="purge", body={}))
    assert s.verify().ok
    assert store(schema, key=b"audit-key").verify().ok
    other = store(schema, key=b"another-key").verify()
    assert not other.ok and "not signed" in (other.problem or "")
    sql(schema, "UPDATE dropped_partitions SET signature = "
                "(CASE WHEN signature LIKE 'ff%' THEN '00' ELSE 'ff' END) || substr(signature, 3)")
    assert not s.verify().ok


@pytest.mark.parametrize("attack", ["delete tombstone", "drop partition", "forge tombstone"])
def test_a_dropped_partition_without_a_true_tombstone_is_tampering(schema: str, attack: str) -> None:
    s = store(schema)
    fill(s)
    if attack == "delete tombstone":
        s.purge(CUTOFF, NewRecord(kind="purge", body={}))
        sql(schema, "DELETE FROM dropped_partitions")
    elif attack == "drop partition":
        sql(schema, "DROP TABLE records_2025_01")
    else:  # a tombstone made up to cover a drop the store never did
        rows = sql(schema, "SELECT seq, hash FROM records_2025_01 ORDER BY seq")
        from interceptor.audit.records import tombstone_digest

        sql(schema, "DROP TABLE records_2025_01")
        sql(schema, "INSERT INTO dropped_partitions VALUES ('2025-01', 1, 3, %s, 3, %s, 'x', 99, NULL)",
            rows[-1][1], tombstone_digest(rows))
    result = s.verify()
    assert not result.ok and result.first_bad_seq == 1, result


def test_an_unpartitioned_trail_is_migrated(schema: str) -> None:
    """A store made by schema version 1 (one records table) keeps its chain through the
    migration to monthly partitions."""
    import psycopg

    from interceptor.audit.postgres import MIGRATIONS

    v1 = MIGRATIONS[0]
    assert isinstance(v1, str)
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(f"SET search_path TO {schema}")
        for stmt in v1.split(";"):
            if stmt.strip():
                conn.execute(stmt)
        conn.execute("CREATE TABLE schema_version (version INT NOT NULL)")
        conn.execute("INSERT INTO schema_version VALUES (1)")
        prev, seq = GENESIS, 0
        # the last record's time goes back a little: its partition must still follow the one before
        for text, ts in (("a", "2025-01-05T00:00:00.000000Z"), ("b", "2025-02-01T00:00:00.000000Z"),
                         ("c", "2025-01-31T23:59:59.999999Z"), ("d", "2025-03-01T00:00:00.000000Z")):
            seq += 1
            rec = verdict(text, ts)
            body = canonical_body(rec.body)
            digest = record_hash(seq, rec, body, prev)
            conn.execute("INSERT INTO records VALUES "
                         "(%s, %s, %s, %s, NULL, %s, NULL, NULL, NULL, %s, NULL, %s, %s, %s)",
                         (seq, rec.id, rec.ts, rec.kind, rec.conversation_id, rec.action, body, prev, digest))
            prev = digest
        conn.execute("UPDATE chain_head SET seq = %s, hash = %s", (seq, prev))
    s = store(schema)
    assert s.verify().ok and s.verify().checked == 4
    assert [r[0] for r in sql(schema, "SELECT part FROM records ORDER BY seq")] == \
        ["2025-01", "2025-02", "2025-02", "2025-03"]
    assert sql(schema, "SELECT max(version) FROM schema_version") == [(len(MIGRATIONS),)]
    s.append([verdict("e", "2026-11-20T00:00:00.000000Z")], [])
    assert s.purge(CUTOFF, NewRecord(kind="purge", body={})).purged == 4
    assert s.verify().ok
