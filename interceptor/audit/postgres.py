"""The PostgreSQL audit store: one trail for a fleet of sidecars.

The behaviour is the SQLite store's, record for record (one behavioural test suite runs on
both). Several writers — workers, sidecars — append to one chain: each append transaction
locks the chain head row (``SELECT … FOR UPDATE``), so appends are serialised in the
database and the chain stays one chain. Review decisions are a conditional ``UPDATE`` (two
reviewers never both decide one item); acknowledgements an ``INSERT … ON CONFLICT DO
NOTHING``. Migrations are versioned and applied at start under an advisory lock, so many
sidecars starting at once apply them once. Connections come from a psycopg 3 pool.

Records are partitioned by month (``records_YYYY_MM``). A record's partition is the month of
its time, never earlier than the partition of the record before it, so each partition holds
one unbroken stretch of the chain. Retention drops a whole partition once every record in it
is past the cutoff and none is under legal hold: the drop leaves one tombstone naming the
partition's first and last sequence numbers, its last hash and a digest of every record it
held — signed with the audit key (HMAC-SHA256) when one is configured — and a chained purge
marker that repeats it. Verification steps over a dropped partition by its tombstone, so a
drop is told apart from tampering. Older records left in a partition that cannot be dropped
whole (the current month's, or one holding a held record) are purged row by row, as in the
SQLite store.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import orjson

from interceptor.audit.chain import COLUMNS, walk
from interceptor.audit.records import GENESIS, NewRecord, Record, canonical_body, record_hash, tombstone_digest
from interceptor.audit.store import Conflict, NotFound, PurgeResult, Query, StoreUnavailable, VerifyResult

T = TypeVar("T")
MIGRATION_LOCK = 0x1E7E_C707
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


def _next_month(part: str) -> str:
    year, month = int(part[:4]), int(part[5:7])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def _partition_name(part: str) -> str:
    return f"records_{part[:4]}_{part[5:7]}"


def _create_partition(cur: Any, part: str) -> None:
    cur.execute(f"CREATE TABLE IF NOT EXISTS {_partition_name(part)} PARTITION OF records "
                f"FOR VALUES FROM ('{part}') TO ('{_next_month(part)}')")


def _partition_records(cur: Any) -> None:
    """Migration 2: move the records into a table partitioned by month."""
    cur.execute("ALTER TABLE records RENAME TO records_v1")
    for old, new in (("records_pkey", "records_v1_pkey"), ("records_id_key", "records_v1_id_key")):
        cur.execute(f"ALTER TABLE records_v1 RENAME CONSTRAINT {old} TO {new}")
    cur.execute("ALTER INDEX records_ts RENAME TO records_v1_ts")
    cur.execute("ALTER INDEX records_conversation RENAME TO records_v1_conversation")
    cur.execute("""
        CREATE TABLE records (
            seq BIGINT NOT NULL,
            id TEXT NOT NULL,
            ts TEXT NOT NULL,
            kind TEXT NOT NULL,
            request_id TEXT, conversation_id TEXT, user_id TEXT, service_id TEXT,
            direction TEXT, action TEXT, lexicon_version TEXT,
            body TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            part TEXT COLLATE "C" NOT NULL,
            PRIMARY KEY (part, seq)
        ) PARTITION BY RANGE (part)""")
    for ddl in ("CREATE INDEX records_seq ON records (seq)", "CREATE INDEX records_id ON records (id)",
                "CREATE INDEX records_ts ON records (ts)",
                "CREATE INDEX records_conversation ON records (conversation_id)"):
        cur.execute(ddl)
    # a record's partition: its month, never before the one of the record before it
    monotone = "max(substr(ts, 1, 7)) OVER (ORDER BY seq ROWS UNBOUNDED PRECEDING)"
    cur.execute(f"SELECT DISTINCT {monotone} FROM records_v1")
    for (part,) in cur.fetchall():
        _create_partition(cur, part)
    cur.execute(f"INSERT INTO records SELECT r.*, {monotone} FROM records_v1 r")
    cur.execute("DROP TABLE records_v1")
    cur.execute("ALTER TABLE chain_head ADD COLUMN part TEXT COLLATE \"C\" NOT NULL DEFAULT ''")
    cur.execute("UPDATE chain_head SET part = coalesce((SELECT max(part) FROM records), '')")
    cur.execute("""
        CREATE TABLE dropped_partitions (
            part TEXT PRIMARY KEY, first_seq BIGINT NOT NULL, last_seq BIGINT NOT NULL, last_hash TEXT NOT NULL,
            count BIGINT NOT NULL, digest TEXT NOT NULL, purge_id TEXT NOT NULL, marker_seq BIGINT NOT NULL,
            signature TEXT
        )""")


def partition_tombstone(part: str, first_seq: int, last_seq: int, last_hash: str, count: int,
                        digest: str) -> dict[str, Any]:
    return {"partition": part, "first_seq": first_seq, "last_seq": last_seq, "last_hash": last_hash,
            "count": count, "digest": digest}


def sign_tombstone(key: bytes, tomb: dict[str, Any]) -> str:
    return hmac.new(key, orjson.dumps(tomb, option=orjson.OPT_SORT_KEYS), hashlib.sha256).hexdigest()


MIGRATIONS: list[str | Callable[[Any], None]] = [
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
    _partition_records,
]


class PostgresStore:
    def __init__(self, url: str, schema: str = "interceptor", fresh: bool = False, pool_size: int = 8,
                 audit_key: bytes | None = None):
        import psycopg
        from psycopg_pool import ConnectionPool

        if not re.fullmatch(r"[a-z_][a-z0-9_]*", schema):
            raise ValueError(f"bad schema name {schema!r}")
        self.url, self.schema = url, schema
        self.audit_key = audit_key or None
        self._psycopg = psycopg
        self._parts: set[str] = set()  # partitions known to exist
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
                if fresh:
                    conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            self.pool = ConnectionPool(url, min_size=1, max_size=pool_size, open=True, timeout=10,
                                       kwargs={"options": f"-c search_path={schema}", "autocommit": False})
            self._migrate()
        except (psycopg.Error, StoreUnavailable) as e:
            pool = getattr(self, "pool", None)
            if pool is not None:  # its worker threads would outlive the failed store
                pool.close()
            if isinstance(e, StoreUnavailable):
                raise
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
            self._parts.clear()  # a partition created in a rolled-back transaction is not there
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
                    if callable(ddl):
                        ddl(cur)
                    else:
                        for stmt in ddl.split(";"):
                            if stmt.strip():
                                cur.execute(stmt)
                    cur.execute("INSERT INTO schema_version VALUES (%s)", (version,))

        self._tx(do)
        self.prepare_partitions()

    def prepare_partitions(self) -> None:
        """Create this month's and next month's partitions ahead of the first record (at start
        and with each retention run), so appends rarely have to."""
        from datetime import UTC, datetime

        this = datetime.now(UTC).strftime("%Y-%m")

        def do(cur: Any) -> None:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            cur.execute("SET LOCAL lock_timeout = '5s'")
            for part in (this, _next_month(this)):
                _create_partition(cur, part)

        self._tx(do)
        self._parts.update((this, _next_month(this)))

    def _append_locked(self, cur: Any, records: list[NewRecord]) -> set[str]:
        """Chain the records; return the ids of ``once`` records already there (skipped).
        The chain head's row lock makes the check and the append one step for the fleet."""
        cur.execute("SELECT seq, hash, part FROM chain_head FOR UPDATE")
        seq, prev, part = cur.fetchone()
        rows: list[tuple[Any, ...]] = []
        skipped: set[str] = set()
        for rec in records:
            if rec.once:
                cur.execute("SELECT 1 FROM records WHERE id = %s", (rec.id,))
                if cur.fetchone() is not None or rec.id in skipped or rec.id in {r[1] for r in rows}:
                    skipped.add(rec.id)
                    continue
            seq += 1
            month = rec.ts[:7]
            if month > part and _MONTH.fullmatch(month):
                part = month
                if part not in self._parts:
                    cur.execute("SET LOCAL lock_timeout = '5s'")
                    _create_partition(cur, part)  # appends are serialised here: no race
                    self._parts.add(part)
            body = canonical_body(rec.body)
            digest = record_hash(seq, rec, body, prev)
            rows.append((seq, rec.id, rec.ts, rec.kind, rec.request_id, rec.conversation_id, rec.user_id,
                         rec.service_id, rec.direction, rec.action, rec.lexicon_version, body, prev, digest, part))
            prev = digest
        cur.executemany(f"INSERT INTO records ({COLUMNS}, part) VALUES ({','.join(['%s'] * 15)})", rows)
        cur.execute("UPDATE chain_head SET seq = %s, hash = %s, part = %s", (seq, prev, part))
        return skipped

    # ------------------------------------------------------------------ writes
    def append(self, records: list[NewRecord], reviews: list[tuple[str, str]]) -> None:
        def do(cur: Any) -> None:
            skipped = self._append_locked(cur, records) if records else set()
            fresh = [(rid, lid) for rid, lid in reviews if lid not in skipped]
            if fresh:
                now = records[0].ts if records else ""
                cur.executemany("INSERT INTO reviews (id, log_id, status, created) VALUES (%s, %s, 'pending', %s)",
                                [(rid, lid, now) for rid, lid in fresh])

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
            cur.execute("SELECT seq, part FROM chain_head FOR UPDATE")  # one purge or append at a time
            head_seq, head_part = cur.fetchone()
            cur.execute("SET LOCAL lock_timeout = '10s'")
            held_clause = "conversation_id IN (SELECT conversation_id FROM holds)"
            cur.execute(f"SELECT count(*) FROM records WHERE ts < %s AND kind != 'purge' AND {held_clause}", (cutoff,))
            held = cur.fetchone()[0]
            purge_id = marker.id
            partitions = self._drop_partitions(cur, cutoff, head_part, purge_id, head_seq + 1)
            cur.execute(f"SELECT seq, hash, id FROM records WHERE ts < %s AND kind != 'purge' "
                        f"AND (conversation_id IS NULL OR NOT {held_clause}) ORDER BY seq", (cutoff,))
            doomed = cur.fetchall()
            if not doomed and not partitions:
                return PurgeResult(0, held, cutoff)
            if doomed:
                cur.executemany("INSERT INTO tombstones (seq, hash, purge_id) VALUES (%s, %s, %s)",
                                [(s, h, purge_id) for s, h, _ in doomed])
                ids = [i for _, _, i in doomed]
                cur.execute("DELETE FROM reviews WHERE log_id = ANY(%s)", (ids,))
                cur.execute("DELETE FROM records WHERE seq = ANY(%s)", ([s for s, _, _ in doomed],))
            cur.execute("DELETE FROM acks WHERE at < %s", (cutoff,))
            count = len(doomed) + sum(p["count"] for p in partitions)
            body = dict(marker.body, purge_id=purge_id, cutoff=cutoff, count=count, held=held,
                        digest=tombstone_digest([(s, h) for s, h, _ in doomed]))
            if doomed:
                body.update(first_seq=doomed[0][0], last_seq=doomed[-1][0])
            if partitions:
                body["partitions"] = partitions
            self._append_locked(cur, [NewRecord(kind="purge", body=body, id=purge_id, ts=marker.ts)])
            return PurgeResult(count, held, cutoff, purge_id, body)

        return self._tx(do)

    def _drop_partitions(self, cur: Any, cutoff: str, head_part: str, purge_id: str,
                         marker_seq: int) -> list[dict[str, Any]]:
        """Drop every partition before the one being written whose records are all past the
        cutoff and none held; return their (signed) tombstones."""
        cur.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                    "JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace "
                    "WHERE p.relname = 'records' AND n.nspname = current_schema() ORDER BY c.relname")
        out: list[dict[str, Any]] = []
        for (name,) in cur.fetchall():
            part = f"{name[8:12]}-{name[13:15]}"
            if not _MONTH.fullmatch(part) or part >= head_part:
                continue
            cur.execute(f"SELECT max(ts), count(*), min(seq), max(seq), "
                        f"count(*) FILTER (WHERE conversation_id IN (SELECT conversation_id FROM holds)) FROM {name}")
            max_ts, count, first, last, held = cur.fetchone()
            if count and (max_ts >= cutoff or held):
                continue
            if count:
                cur.execute(f"SELECT seq, hash, id FROM {name} ORDER BY seq")
                rows = cur.fetchall()
                tomb = partition_tombstone(part, first, last, rows[-1][1], count,
                                           tombstone_digest([(s, h) for s, h, _ in rows]))
                signature = sign_tombstone(self.audit_key, tomb) if self.audit_key else None
                cur.execute("DELETE FROM reviews WHERE log_id = ANY(%s)", ([i for _, _, i in rows],))
                cur.execute("INSERT INTO dropped_partitions VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                            (part, first, last, tomb["last_hash"], count, tomb["digest"], purge_id, marker_seq,
                             signature))
                out.append(dict(tomb, signature=signature))
            cur.execute(f"DROP TABLE {name}")
            self._parts.discard(part)
        return out

    # ------------------------------------------------------------------ reads
    def get(self, record_id: str) -> Record | None:
        def do(cur: Any) -> Record | None:
            cur.execute(f"SELECT {COLUMNS} FROM records WHERE id = %s", (record_id,))
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
        sql = f"SELECT {COLUMNS} FROM records WHERE {' AND '.join(where)} ORDER BY seq LIMIT %s"

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
                dropped_rows = conn.execute("SELECT part, first_seq, last_seq, last_hash, count, digest, "
                                            "marker_seq, signature FROM dropped_partitions").fetchall()
                dropped = {r[1]: (r[2], r[3]) for r in dropped_rows}
                tombstones = {r[0]: dict(partition_tombstone(*r[:6]), signature=r[7]) for r in dropped_rows}
                seen: set[str] = set()

                def check_marker(seq: int, body: dict[str, Any]) -> str | None:
                    for listed in body.get("partitions") or []:
                        if tombstones.get(listed.get("partition")) != listed:
                            return f"purge marker {seq} does not match the tombstone of the partition it dropped"
                        seen.add(listed["partition"])
                    return None

                with conn.cursor(name="verify_walk") as cur:  # a server-side cursor: streamed
                    cur.execute(f"SELECT {COLUMNS} FROM records ORDER BY seq")
                    result = walk(iter(cur), tombs, by_purge, head_seq, head_hash, dropped, check_marker)
        except psycopg.Error as e:
            raise StoreUnavailable(str(e)) from e
        if not result.ok:
            return result
        for row in dropped_rows:
            part, first, marker_seq, signature = row[0], row[1], row[6], row[7]
            tomb = partition_tombstone(*row[:6])
            if self.audit_key and signature != sign_tombstone(self.audit_key, tomb):
                return VerifyResult(False, result.checked, result.purged, first, None,
                                    f"the tombstone of partition {part} is not signed by the audit key")
            covered = any(a <= marker_seq <= b for a, (b, _) in dropped.items())
            if part not in seen and not covered:
                return VerifyResult(False, result.checked, result.purged, first, None,
                                    f"the tombstone of partition {part} has no purge marker")
        return VerifyResult(True, result.checked, result.purged + sum(r[4] for r in dropped_rows))

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
                # the first two hex digits changed, whatever they were
                cur = conn.execute("UPDATE tombstones SET hash = (CASE WHEN hash LIKE 'ff%%' THEN '00' ELSE 'ff' END)"
                                   " || substr(hash, 3) WHERE seq = %s", (seq,))
                if cur.rowcount == 0:  # the record went with a dropped partition
                    conn.execute("UPDATE dropped_partitions SET last_hash = "
                                 "(CASE WHEN last_hash LIKE 'ff%%' THEN '00' ELSE 'ff' END) || substr(last_hash, 3) "
                                 "WHERE %s BETWEEN first_seq AND last_seq", (seq,))
