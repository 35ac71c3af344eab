"""Store factories for the shared store suite, and a way to tamper with each behind its back."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from interceptor.audit.store import AuditStore

PG_URL = os.environ.get("INTERCEPTOR_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=3):
            return True
    except Exception:
        return False


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _postgres_store_exists() -> bool:
    try:
        import interceptor.audit.postgres  # noqa: F401
    except ModuleNotFoundError:
        return False
    return True


STORE_KINDS = ["sqlite"] + (["postgres"] if _postgres_store_exists() else [])


def make_store(kind: str, tmp_path: Path) -> AuditStore:
    if kind == "sqlite":
        from interceptor.audit.sqlite import SqliteStore

        return SqliteStore(tmp_path / "audit.db")
    if not _pg_available():
        if _in_ci():
            pytest.fail(f"PostgreSQL is not reachable at {PG_URL} and CI=true: the PostgreSQL store must be tested")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}")
    from interceptor.audit.postgres import PostgresStore

    schema = f"t_{os.getpid()}_{abs(hash(str(tmp_path))) % 10**8}"
    return PostgresStore(PG_URL, schema=schema, fresh=True)  # type: ignore[call-arg]


def tamper(store: AuditStore, how: str, seq: int) -> None:
    """Change the stored data directly, as an attacker with database access would."""
    if type(store).__name__ == "SqliteStore":
        conn = sqlite3.connect(store.path)  # type: ignore[attr-defined]
        if how == "update":
            conn.execute("UPDATE records SET body = replace(body, 'text', 'texT') WHERE seq = ?", (seq,))
        elif how == "delete":
            conn.execute("DELETE FROM records WHERE seq = ?", (seq,))
        elif how == "tombstone":
            # the first two hex digits changed, whatever they were (a fixed 'ff' is no change 1 time in 256)
            conn.execute("UPDATE tombstones SET hash = (CASE WHEN hash LIKE 'ff%' THEN '00' ELSE 'ff' END)"
                         " || substr(hash, 3) WHERE seq = ?", (seq,))
        conn.commit()
        conn.close()
        return
    store.tamper(how, seq)  # type: ignore[attr-defined]
