"""The PostgreSQL audit store: one trail for a fleet of sidecars.

The behaviour is the SQLite store's, record for record (one behavioural test suite runs on
both). Several writers — workers, sidecars — append to one chain: each append transaction
locks the chain head row (``SELECT … FOR UPDATE``), so appends are serialised in the
database and the chain stays one chain. Review decisions are a conditional ``UPDATE`` (two
reviewers never both decide one item); acknowledgements an ``INSERT … ON CONFLICT DO
NOTHING``. Migrations are versioned and applied at start under an advisory lock, so many
sidecars starting at once apply them once. Connections come from a psycopg 3 pool.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import orjson

from interceptor.audit.records import GENESIS, NewRecord, Record, canonical_body, record_hash, tombstone_digest
from interceptor.audit.sqlite import _COLUMNS, _walk
from interceptor.audit.store import Conflict, NotFound, PurgeResult, Query, StoreUnavailable, VerifyResult

T = TypeVar("T")
MIGRATION_LOCK = 0x1E7E_C707

MIGRATIONS: list[str] = [
    f"""
    CREATE TABLE records (
        seq BIGINT PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        ts TEXT NOT NULL,
        kind TEXT NOT NULL,
        request_id TEXT, conversation_id TEXT, user_id TEXT, service_id TEXT,
        direction TEXT, action TEXT, lexicon_version TEXT,
        body TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE INDEX records_ts ON records (ts);
    CREATE INDEX records_conversation ON records (conversation_id);
    CREATE TABLE chain_head (one INT PRIMARY KEY CHECK (one = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL);
    INSERT INTO chain_head VALUES (1, 0, '{GENESIS}');
    CREATE TABLE tombstones (seq BIGINT PRIMARY KEY, hash TEXT NOT NULL, purge_id TEXT NOT NULL);
    CREATE TABLE reviews (
        id TEXT PRIMARY KEY, log_id TEXT NOT NULL, status TEXT NOT NULL, created TEXT NOT NULL,
        decided TEXT, reviewer TEXT, note TEXT
    );
    CREATE INDEX reviews_status ON reviews (status, id);
    CREATE TABLE acks (token_id TEXT PRIMARY KEY, record_id TEXT NOT NULL, at TEXT NOT NULL);
    CREATE TABLE holds (conversation_id TEXT PRIMARY KEY, reason TEXT, by TEXT, since TEXT NOT NULL);
    """,
]


class PostgresStore:
    def __init__(self, url: str, schema: str = "interceptor", fresh: bool = False, pool_size: int = 8):
        import psycopg
        from psycopg_pool import ConnectionPool

        if not re.fullmatch(r"[a-z_][a-z0-9_]*", schema):
            raise ValueError(f"bad schema name {schema!r}")
        self.url, self.schema = url, schema
        self._psycopg = psycopg
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
                if fresh:
                    conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            self.pool = ConnectionPool(url, min_size=1, max_size=pool_size, open=True, timeout=10,
                                       kwargs={"options": f"-c search_path={schema}", "autocommit": False})
            self._migrate()
        except psycopg.Error as e:
            raise StoreUnavailable(f"cannot open {url}: {e}") from e

    # ------------------------------------------------------------------ plumbing
    def _tx(self, fn: Callable[[Any], T]) -> T:
        """Run ``fn(cursor)`` in one transaction; database failures become StoreUnavailable."""
        psycopg = self._psycopg
        try:
            with self.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
                return fn(cur)
        except (Conflict, NotFound):
            raise
        except (psycopg.Error, TimeoutError) as e:
            raise StoreUnavailable(str(e)) from e
        except Exception as e:  # pool timeouts come as PoolTimeout
            if type(e).__name__ in ("PoolTimeout", "PoolClosed"):
                raise StoreUnavailable(str(e)) from e
            raise

    def _migrate(self) -> None:
        def do(cur: Any) -> None:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL)")
            cur.execute("SELECT max(version) FROM schema_version")
            current = cur.fetchone()[0] or 0
            for version, ddl in enumerate(MIGRATIONS, 1):
                if version > current:
                    for stmt in ddl.split(";"):
                        if stmt.strip():
                            cur.execute(stmt)
                    cur.execute("INSERT INTO schema_version VALUES (%s)", (version,))

        self._tx(do)

    @staticmethod
    def _append_locked(cur: Any, records: list[NewRecord]) -> None:
        cur.execute("SELECT seq, hash FROM chain_head FOR UPDATE")
        seq, prev = cur.fetchone()
        rows = []
        for rec in records:
            seq += 1
            body = canonical_body(rec.body)
            digest = record_hash(seq, rec, body, prev)
            rows.append((seq, rec.id, rec.ts, rec.kind, rec.request_id, rec.conversation_id, rec.user_id,
                         rec.service_id, rec.direction, rec.action, rec.lexicon_version, body, prev, digest))
            prev = digest
        cur.executemany(f"INSERT INTO records ({_COLUMNS}) VALUES ({','.join(['%s'] * 14)})", rows)
        cur.execute("UPDATE chain_head SET seq = %s, hash = %s", (seq, prev))

    # ------------------------------------------------------------------ writes
    def append(self, records: list[NewRecord], reviews: list[tuple[str, str]]) -> None:
        def do(cur: Any) -> None:
            if records:
                self._append_locked(cur, records)
            if reviews:
                now = records[0].ts if records else ""
                cur.executemany("INSERT INTO reviews (id, log_id, status, created) VALUES (%s, %s, 'pending', %s)",
                                [(rid, lid, now) for rid, lid in reviews])

        if records or reviews:
            self._tx(do)

    def decide(self, review_id: str, decision: str, reviewer: str, note: str | None,
               record: NewRecord) -> dict[str, Any]:
        def do(cur: Any) -> dict[str, Any]:
            cur.execute("UPDATE reviews SET status = %s, decided = %s, reviewer = %s, note = %s "
                        "WHERE id = %s AND status = 'pending'", (decision, record.ts, reviewer, note, review_id))
            if cur.rowcount == 0:
                cur.execute("SELECT status FROM reviews WHERE id = %s", (review_id,))
                row = cur.fetchone()
                if row is None:
                    raise NotFound(review_id)
                raise Conflict(f"review {review_id} was already decided ({row[0]})")
            self._append_locked(cur, [record])
            return self._review(cur, review_id)

        return self._tx(do)

    def acknowledge(self, token_id: str, record: NewRecord) -> bool:
        def do(cur: Any) -> bool:
            cur.execute("INSERT INTO acks (token_id, record_id, at) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                        (token_id, record.id, record.ts))
            if cur.rowcount == 0:
                return False
            self._append_locked(cur, [record])
            return True

        return self._tx(do)

    def set_hold(self, conversation_id: str, reason: str, by: str, record: NewRecord) -> None:
        def do(cur: Any) -> None:
            cur.execute("INSERT INTO holds (conversation_id, reason, by, since) VALUES (%s, %s, %s, %s) "
                        "ON CONFLICT (conversation_id) DO UPDATE SET reason = EXCLUDED.reason, by = EXCLUDED.by",
                        (conversation_id, reason, by, record.ts))
            self._append_locked(cur, [record])

        self._tx(do)

    def release_hold(self, conversation_id: str, record: NewRecord) -> None:
        def do(cur: Any) -> None:
            cur.execute("DELETE FROM holds WHERE conversation_id = %s", (conversation_id,))
            if cur.rowcount == 0:
                raise NotFound(conversation_id)
            self._append_locked(cur, [record])

        self._tx(do)

    def purge(self, cutoff: str, marker: NewRecord) -> PurgeResult:
        def do(cur: Any) -> PurgeResult:
            cur.execute("SELECT seq FROM chain_head FOR UPDATE")  # one purge or append at a time
            held_clause = "conversation_id IN (SELECT conversation_id FROM holds)"
            cur.execute(f"SELECT count(*) FROM records WHERE ts < %s AND kind != 'purge' AND {held_clause}", (cutoff,))
            held = cur.fetchone()[0]
            cur.execute(f"SELECT seq, hash, id FROM records WHERE ts < %s AND kind != 'purge' "
                        f"AND (conversation_id IS NULL OR NOT {held_clause}) ORDER BY seq", (cutoff,))
            doomed = cur.fetchall()
            if not doomed:
                return PurgeResult(0, held, cutoff)
            purge_id = marker.id
            cur.executemany("INSERT INTO tombstones (seq, hash, purge_id) VALUES (%s, %s, %s)",
                            [(s, h, purge_id) for s, h, _ in doomed])
            ids = [i for _, _, i in doomed]
            cur.execute("DELETE FROM reviews WHERE log_id = ANY(%s)", (ids,))
            cur.execute("DELETE FROM records WHERE seq = ANY(%s)", ([s for s, _, _ in doomed],))
            cur.execute("DELETE FROM acks WHERE at < %s", (cutoff,))
            body = dict(marker.body, purge_id=purge_id, cutoff=cutoff, count=len(doomed), held=held,
                        first_seq=doomed[0][0], last_seq=doomed[-1][0],
                        digest=tombstone_digest([(s, h) for s, h, _ in doomed]))
            self._append_locked(cur, [NewRecord(kind="purge", body=body, id=purge_id, ts=marker.ts)])
            return PurgeResult(len(doomed), held, cutoff, purge_id, body)

        return self._tx(do)

    # ------------------------------------------------------------------ reads
    def get(self, record_id: str) -> Record | None:
        def do(cur: Any) -> Record | None:
            cur.execute(f"SELECT {_COLUMNS} FROM records WHERE id = %s", (record_id,))
            row = cur.fetchone()
            return Record(*row) if row else None

        return self._tx(do)

    def query(self, q: Query) -> list[Record]:
        where: list[str] = ["seq > %s"]
        args: list[object] = [q.after_seq]
        for col, op, val in (("kind", "=", q.kind), ("action", "=", q.action), ("ts", ">=", q.since),
                             ("ts", "<", q.until), ("conversation_id", "=", q.conversation_id)):
            if val is not None:
                where.append(f"{col} {op} %s")
                args.append(val)
        sql = f"SELECT {_COLUMNS} FROM records WHERE {' AND '.join(where)} ORDER BY seq LIMIT %s"

        def do(cur: Any) -> list[Record]:
            cur.execute(sql, (*args, q.limit))
            return [Record(*r) for r in cur.fetchall()]

        return self._tx(do)

    def export(self, q: Query) -> Iterator[Record]:
        after = q.after_seq
        while True:
            page = self.query(Query(q.kind, q.action, q.since, q.until, q.conversation_id, after, 500))
            yield from page
            if len(page) < 500:
                return
            after = page[-1].seq

    def verify(self) -> VerifyResult:
        psycopg = self._psycopg
        try:
            with self.pool.connection() as conn, conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")  # one snapshot for the walk
                head_seq, head_hash = conn.execute("SELECT seq, hash FROM chain_head").fetchone()  # type: ignore[misc]
                rows = conn.execute("SELECT seq, hash, purge_id FROM tombstones").fetchall()
                tombs = {s: h for s, h, _ in rows}
                by_purge: dict[str, list[tuple[int, str]]] = {}
                for s, h, pid in rows:
                    by_purge.setdefault(pid, []).append((s, h))
                with conn.cursor(name="verify_walk") as cur:  # a server-side cursor: streamed
                    cur.execute(f"SELECT {_COLUMNS} FROM records ORDER BY seq")
                    return _walk(iter(cur), tombs, by_purge, head_seq, head_hash)
        except psycopg.Error as e:
            raise StoreUnavailable(str(e)) from e

    def holds(self) -> list[dict[str, Any]]:
        def do(cur: Any) -> list[dict[str, Any]]:
            cur.execute("SELECT conversation_id, reason, by, since FROM holds ORDER BY since")
            return [{"conversation_id": c, "reason": r, "by": b, "since": s} for c, r, b, s in cur.fetchall()]

        return self._tx(do)

    def reviews(self, status: str | None, after: str | None, limit: int) -> list[dict[str, Any]]:
        where: list[str] = []
        args: list[object] = []
        if status:
            where.append("status = %s")
            args.append(status)
        if after:
            where.append("id > %s")
            args.append(after)
        sql = "SELECT id FROM reviews" + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY id LIMIT %s"

        def do(cur: Any) -> list[dict[str, Any]]:
            cur.execute(sql, (*args, limit))
            return [self._review(cur, rid) for (rid,) in cur.fetchall()]

        return self._tx(do)

    @staticmethod
    def _review(cur: Any, review_id: str) -> dict[str, Any]:
        cur.execute("SELECT id, log_id, status, created, decided, reviewer, note FROM reviews WHERE id = %s",
                    (review_id,))
        rid, log_id, status, created, decided, reviewer, note = cur.fetchone()
        out: dict[str, Any] = {"id": rid, "log_id": log_id, "status": status, "created": created,
                               "decided": decided, "reviewer": reviewer, "note": note}
        cur.execute("SELECT conversation_id, direction, action, body FROM records WHERE id = %s", (log_id,))
        row = cur.fetchone()
        if row:
            body = orjson.loads(row[3])
            out.update(conversation_id=row[0], direction=row[1], action=row[2], text=body.get("text"),
                       hits=body.get("hits", []))
        return out

    def ping(self, write: bool = False) -> None:
        self._tx(lambda cur: cur.execute("UPDATE chain_head SET seq = seq" if write else "SELECT 1"))

    def close(self) -> None:
        self.pool.close()

    # ------------------------------------------------------------------ tests
    def tamper(self, how: str, seq: int) -> None:
        """Change stored data behind the store's back (for tests of verification)."""
        with self._psycopg.connect(self.url, autocommit=True, options=f"-c search_path={self.schema}") as conn:
            if how == "update":
                conn.execute("UPDATE records SET body = replace(body, 'text', 'texT') WHERE seq = %s", (seq,))
            elif how == "delete":
                conn.execute("DELETE FROM records WHERE seq = %s", (seq,))
            elif how == "tombstone":
                conn.execute("UPDATE tombstones SET hash = 'ff' || substr(hash, 3) WHERE seq = %s", (seq,))
