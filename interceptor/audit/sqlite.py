"""The SQLite audit store: one file, WAL journal, every commit fsynced.

Writes go through one ``BEGIN IMMEDIATE`` transaction per batch (the group-commit writer
hands over many records at once), which reads the chain head and appends after it: two
processes writing the same file (``--workers 2``) are serialised by SQLite's lock, so the
chain stays one chain. Reads use a connection per thread.
"""
from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from interceptor.audit.chain import COLUMNS, as_record, walk
from interceptor.audit.records import (
    NewRecord,
    Record,
    canonical_body,
    new_id,
    now_iso,
    record_hash,
    tombstone_digest,
)
from interceptor.audit.store import Conflict, NotFound, PurgeResult, Query, StoreUnavailable, VerifyResult

MIGRATIONS: list[str] = [
    """
    CREATE TABLE records (
        seq INTEGER PRIMARY KEY,
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
    CREATE TABLE chain_head (one INTEGER PRIMARY KEY CHECK (one = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
    INSERT INTO chain_head VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
    CREATE TABLE tombstones (seq INTEGER PRIMARY KEY, hash TEXT NOT NULL, purge_id TEXT NOT NULL);
    CREATE TABLE reviews (
        id TEXT PRIMARY KEY, log_id TEXT NOT NULL, status TEXT NOT NULL, created TEXT NOT NULL,
        decided TEXT, reviewer TEXT, note TEXT
    );
    CREATE INDEX reviews_status ON reviews (status, id);
    CREATE TABLE acks (token_id TEXT PRIMARY KEY, record_id TEXT NOT NULL, at TEXT NOT NULL);
    CREATE TABLE holds (conversation_id TEXT PRIMARY KEY, reason TEXT, by TEXT, since TEXT NOT NULL);
    """,
]

class SqliteStore:
    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._write_lock = threading.Lock()
        try:
            self._migrate()
        except sqlite3.Error as e:
            raise StoreUnavailable(f"cannot open {self.path}: {e}") from e

    # ------------------------------------------------------------------ connections
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")  # a commit is on disk before it returns
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    @property
    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    def _migrate(self) -> None:
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
            current = row[0] or 0
            for version, ddl in enumerate(MIGRATIONS, 1):
                if version > current:
                    for stmt in ddl.split(";"):
                        if stmt.strip():
                            conn.execute(stmt)
                    conn.execute("INSERT INTO schema_version VALUES (?)", (version,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _write(self, fn: Any) -> Any:
        """Run ``fn(conn)`` in one immediate transaction; map SQLite failures to StoreUnavailable."""
        with self._write_lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise StoreUnavailable(str(e)) from e
            try:
                result = fn(conn)
                conn.execute("COMMIT")
                return result
            except (Conflict, NotFound):
                conn.execute("ROLLBACK")
                raise
            except sqlite3.Error as e:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise StoreUnavailable(str(e)) from e
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    @staticmethod
    def _append_locked(conn: sqlite3.Connection, records: list[NewRecord]) -> set[str]:
        """Chain the records; return the ids of ``once`` records already there (skipped)."""
        seq, prev = conn.execute("SELECT seq, hash FROM chain_head").fetchone()
        rows: list[tuple[Any, ...]] = []
        skipped: set[str] = set()
        for rec in records:
            if rec.once and (rec.id in skipped or rec.id in {r[1] for r in rows} or conn.execute(
                    "SELECT 1 FROM records WHERE id = ?", (rec.id,)).fetchone()):
                skipped.add(rec.id)
                continue
            seq += 1
            body = canonical_body(rec.body)
            digest = record_hash(seq, rec, body, prev)
            rows.append((seq, rec.id, rec.ts, rec.kind, rec.request_id, rec.conversation_id, rec.user_id,
                         rec.service_id, rec.direction, rec.action, rec.lexicon_version, body, prev, digest))
            prev = digest
        conn.executemany(f"INSERT INTO records ({COLUMNS}) VALUES ({','.join('?' * 14)})", rows)
        conn.execute("UPDATE chain_head SET seq = ?, hash = ?", (seq, prev))
        return skipped

    # ------------------------------------------------------------------ writes
    def append(self, records: list[NewRecord], reviews: list[tuple[str, str]]) -> None:
        def do(conn: sqlite3.Connection) -> None:
            skipped = self._append_locked(conn, records)
            if reviews:
                now = now_iso()
                conn.executemany("INSERT INTO reviews (id, log_id, status, created) VALUES (?, ?, 'pending', ?)",
                                 [(rid, lid, now) for rid, lid in reviews if lid not in skipped])

        self._write(do)

    def decide(self, review_id: str, decision: str, reviewer: str, note: str | None,
               record: NewRecord) -> dict[str, Any]:
        def do(conn: sqlite3.Connection) -> dict[str, Any]:
            cur = conn.execute("UPDATE reviews SET status = ?, decided = ?, reviewer = ?, note = ? "
                               "WHERE id = ? AND status = 'pending'", (decision, record.ts, reviewer, note, review_id))
            if cur.rowcount == 0:
                row = conn.execute("SELECT status FROM reviews WHERE id = ?", (review_id,)).fetchone()
                if row is None:
                    raise NotFound(review_id)
                raise Conflict(f"review {review_id} was already decided ({row[0]})")
            self._append_locked(conn, [record])
            return self._review(conn, review_id)

        return self._write(do)  # type: ignore[no-any-return]

    def acknowledge(self, token_id: str, record: NewRecord) -> bool:
        def do(conn: sqlite3.Connection) -> bool:
            cur = conn.execute("INSERT OR IGNORE INTO acks (token_id, record_id, at) VALUES (?, ?, ?)",
                               (token_id, record.id, record.ts))
            if cur.rowcount == 0:
                return False
            self._append_locked(conn, [record])
            return True

        return self._write(do)  # type: ignore[no-any-return]

    def set_hold(self, conversation_id: str, reason: str, by: str, record: NewRecord) -> None:
        def do(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT OR REPLACE INTO holds (conversation_id, reason, by, since) VALUES (?, ?, ?, ?)",
                         (conversation_id, reason, by, record.ts))
            self._append_locked(conn, [record])

        self._write(do)

    def release_hold(self, conversation_id: str, record: NewRecord) -> None:
        def do(conn: sqlite3.Connection) -> None:
            if conn.execute("DELETE FROM holds WHERE conversation_id = ?", (conversation_id,)).rowcount == 0:
                raise NotFound(conversation_id)
            self._append_locked(conn, [record])

        self._write(do)

    def purge(self, cutoff: str, marker: NewRecord) -> PurgeResult:
        """Remove records older than ``cutoff`` except held ones; chain a marker committing to them."""
        def do(conn: sqlite3.Connection) -> PurgeResult:
            held_clause = "conversation_id IN (SELECT conversation_id FROM holds)"
            held = conn.execute(f"SELECT count(*) FROM records WHERE ts < ? AND kind != 'purge' AND {held_clause}",
                                (cutoff,)).fetchone()[0]
            doomed = conn.execute(
                f"SELECT seq, hash, id FROM records WHERE ts < ? AND kind != 'purge' "
                f"AND (conversation_id IS NULL OR NOT {held_clause}) ORDER BY seq", (cutoff,)).fetchall()
            if not doomed:
                return PurgeResult(0, held, cutoff)
            purge_id = marker.id
            conn.executemany("INSERT INTO tombstones (seq, hash, purge_id) VALUES (?, ?, ?)",
                             [(s, h, purge_id) for s, h, _ in doomed])
            conn.executemany("DELETE FROM reviews WHERE log_id = ?", [(i,) for _, _, i in doomed])
            conn.executemany("DELETE FROM records WHERE seq = ?", [(s,) for s, _, _ in doomed])
            conn.execute("DELETE FROM acks WHERE at < ?", (cutoff,))
            body = dict(marker.body, purge_id=purge_id, cutoff=cutoff, count=len(doomed), held=held,
                        first_seq=doomed[0][0], last_seq=doomed[-1][0],
                        digest=tombstone_digest([(s, h) for s, h, _ in doomed]))
            final = NewRecord(kind="purge", body=body, id=purge_id, ts=marker.ts)
            self._append_locked(conn, [final])
            return PurgeResult(len(doomed), held, cutoff, purge_id, body)

        return self._write(do)  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ reads
    def get(self, record_id: str) -> Record | None:
        found = self._conn.execute(f"SELECT {COLUMNS} FROM records WHERE id = ?", (record_id,)).fetchone()
        return as_record(found) if found else None

    def query(self, q: Query) -> list[Record]:
        where: list[str] = ["seq > ?"]
        args: list[object] = [q.after_seq]
        for col, op, val in (("kind", "=", q.kind), ("action", "=", q.action), ("ts", ">=", q.since),
                             ("ts", "<", q.until), ("conversation_id", "=", q.conversation_id)):
            if val is not None:
                where.append(f"{col} {op} ?")
                args.append(val)
        sql = f"SELECT {COLUMNS} FROM records WHERE {' AND '.join(where)} ORDER BY seq LIMIT ?"
        return [as_record(r) for r in self._conn.execute(sql, (*args, q.limit)).fetchall()]

    def export(self, q: Query) -> Iterator[Record]:
        after = q.after_seq
        while True:
            page = self.query(Query(q.kind, q.action, q.since, q.until, q.conversation_id, after, 500))
            yield from page
            if len(page) < 500:
                return
            after = page[-1].seq

    def verify(self) -> VerifyResult:
        conn = self._connect()  # a private snapshot: one read transaction for the whole walk
        try:
            conn.execute("BEGIN")
            head_seq, head_hash = conn.execute("SELECT seq, hash FROM chain_head").fetchone()
            tombs = dict(conn.execute("SELECT seq, hash FROM tombstones").fetchall())
            by_purge: dict[str, list[tuple[int, str]]] = {}
            for seq, digest, pid in conn.execute("SELECT seq, hash, purge_id FROM tombstones"):
                by_purge.setdefault(pid, []).append((seq, digest))
            cur = conn.execute(f"SELECT {COLUMNS} FROM records ORDER BY seq")
            return walk(cur, tombs, by_purge, head_seq, head_hash)
        finally:
            conn.close()

    def holds(self) -> list[dict[str, Any]]:
        rows = self._conn.execute("SELECT conversation_id, reason, by, since FROM holds ORDER BY since").fetchall()
        return [{"conversation_id": c, "reason": r, "by": b, "since": s} for c, r, b, s in rows]

    def reviews(self, status: str | None, after: str | None, limit: int) -> list[dict[str, Any]]:
        where, args = [], []
        if status:
            where.append("status = ?")
            args.append(status)
        if after:
            where.append("id > ?")
            args.append(after)
        sql = "SELECT id FROM reviews" + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY id LIMIT ?"
        conn = self._conn
        return [self._review(conn, rid) for (rid,) in conn.execute(sql, (*args, limit)).fetchall()]

    def _review(self, conn: sqlite3.Connection, review_id: str) -> dict[str, Any]:
        rid, log_id, status, created, decided, reviewer, note = conn.execute(
            "SELECT id, log_id, status, created, decided, reviewer, note FROM reviews WHERE id = ?",
            (review_id,)).fetchone()
        out: dict[str, Any] = {"id": rid, "log_id": log_id, "status": status, "created": created,
                               "decided": decided, "reviewer": reviewer, "note": note}
        row = conn.execute("SELECT conversation_id, direction, action, body FROM records WHERE id = ?",
                           (log_id,)).fetchone()
        if row:
            body = orjson.loads(row[3])
            out.update(conversation_id=row[0], direction=row[1], action=row[2], text=body.get("text"),
                       hits=body.get("hits", []))
        return out

    def ping(self, write: bool = False) -> None:
        if write:
            self._write(lambda conn: conn.execute("UPDATE chain_head SET seq = seq"))
            return
        try:
            self._conn.execute("SELECT seq FROM chain_head").fetchone()
        except sqlite3.Error as e:
            raise StoreUnavailable(str(e)) from e

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


__all__ = ["SqliteStore", "new_id"]
