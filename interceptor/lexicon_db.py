"""Lexicon versions in PostgreSQL: one lexicon for a fleet of sidecars.

``interceptor lexicon publish DIR --db URL`` validates a lexicon directory, stores its files
(byte for byte, so every sidecar computes the same content version) and publishes it with
``NOTIFY``. Sidecars started with ``--lexicon-from-db`` ``LISTEN``, fetch the published
version, write it to a local cache directory and swap to it like any other reload. The
cache is what keeps a sidecar serving when the database is away — it also lets one restart
with the last version it had.

A publication is a row in ``lexicon_publications``; the newest row is the current lexicon.
Publishing an older directory again (a rollback) adds a row naming a stored version.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from interceptor.lexicon import load_lexicon
from interceptor.lexicon.version import lexicon_files

CHANNEL = "interceptor_lexicon"
SCHEMA_LOCK = 0x1E7E_C708
_SCHEMA = [
    "CREATE TABLE IF NOT EXISTS lexicon_versions (version TEXT PRIMARY KEY, terms INT NOT NULL, "
    "created TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS lexicon_files (version TEXT NOT NULL REFERENCES lexicon_versions, "
    "name TEXT NOT NULL, data BYTEA NOT NULL, PRIMARY KEY (version, name))",
    "CREATE TABLE IF NOT EXISTS lexicon_publications (seq BIGSERIAL PRIMARY KEY, version TEXT NOT NULL "
    "REFERENCES lexicon_versions, published_at TEXT NOT NULL, published_by TEXT)",
]
_CURRENT = "SELECT version, published_at FROM lexicon_publications ORDER BY seq DESC LIMIT 1"


class LexiconDbError(Exception):
    """The database holding published lexicons cannot be reached or holds none."""


@dataclass(frozen=True)
class Publication:
    version: str
    published_at: str
    terms: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "published_at": self.published_at, "terms": self.terms}


def split_url(url: str) -> tuple[str, str]:
    """``postgresql://…?schema=name`` -> (connection URL, schema); the audit store's convention."""
    if not url.startswith(("postgresql://", "postgres://")):
        raise LexiconDbError(f"lexicons are published to PostgreSQL; {url!r} is not a postgresql:// URL")
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query))
    schema = params.pop("schema", "interceptor")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", schema):
        raise LexiconDbError(f"bad schema name {schema!r}")
    return urlunsplit(parts._replace(query=urlencode(params))), schema


def _connect(url: str, timeout: float = 5.0) -> Any:
    import psycopg

    conninfo, schema = split_url(url)
    try:
        conn = psycopg.connect(conninfo, connect_timeout=max(1, int(timeout)))
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        conn.execute(f"SET search_path TO {schema}")
        conn.commit()
    except psycopg.Error as e:
        raise LexiconDbError(f"cannot reach {conninfo}: {e}") from e
    return conn


def _ensure_schema(cur: Any) -> None:
    cur.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
    for ddl in _SCHEMA:
        cur.execute(ddl)


def publish(directory: str | Path, url: str, by: str | None = None) -> Publication:
    """Validate ``directory`` (every problem raised as LexiconError), store it, make it current
    and notify the listening sidecars — all in one transaction, so a sidecar never sees a
    publication whose files are not there yet."""
    import psycopg

    from interceptor.engine import Engine

    root = Path(directory)
    lexicon = load_lexicon(root)
    Engine(lexicon)  # compile once: a lexicon that cannot be served is not published
    files = [(p.name, p.read_bytes()) for p in lexicon_files(root)]
    now = datetime.now(UTC).isoformat(timespec="milliseconds")
    conn = _connect(url)
    try:
        with conn.transaction(), conn.cursor() as cur:
            _ensure_schema(cur)
            cur.execute("INSERT INTO lexicon_versions VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                        (lexicon.version, len(lexicon.terms), now))
            if cur.rowcount:
                cur.executemany("INSERT INTO lexicon_files VALUES (%s, %s, %s)",
                                [(lexicon.version, name, data) for name, data in files])
            cur.execute("INSERT INTO lexicon_publications (version, published_at, published_by) "
                        "VALUES (%s, %s, %s)", (lexicon.version, now, by))
            cur.execute("SELECT pg_notify(%s, %s)", (CHANNEL, lexicon.version))
    except psycopg.Error as e:
        raise LexiconDbError(f"publishing failed: {e}") from e
    finally:
        conn.close()
    return Publication(lexicon.version, now, len(lexicon.terms))


def history(url: str, limit: int = 20) -> list[dict[str, Any]]:
    """The latest publications, newest first."""
    import psycopg

    conn = _connect(url)
    try:
        with conn.transaction(), conn.cursor() as cur:
            _ensure_schema(cur)
            cur.execute("SELECT p.seq, p.version, p.published_at, p.published_by, v.terms FROM lexicon_publications p "
                        "JOIN lexicon_versions v USING (version) ORDER BY p.seq DESC LIMIT %s", (limit,))
            rows = cur.fetchall()
    except psycopg.Error as e:
        raise LexiconDbError(str(e)) from e
    finally:
        conn.close()
    return [{"seq": r[0], "version": r[1], "published_at": r[2], "published_by": r[3], "terms": r[4]} for r in rows]


# ---------------------------------------------------------------------- the sidecar's side
class LexiconCache:
    """Published versions written out as lexicon directories: ``<root>/<version>/``.

    Each version is written to a temporary directory and renamed into place, so workers of
    one sidecar sharing the cache never read half a directory. ``current`` names the version
    last served, for a restart while the database is away.
    """

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, version: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{8,64}", version):
            raise LexiconDbError(f"bad lexicon version {version!r}")
        return self.root / version

    def has(self, version: str) -> bool:
        return self.path(version).is_dir()

    def write(self, version: str, files: list[tuple[str, bytes]]) -> Path:
        target = self.path(version)
        if target.is_dir():
            return target
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=self.root))
        for name, data in files:
            if "/" in name or name.startswith("."):
                raise LexiconDbError(f"bad lexicon file name {name!r}")
            (tmp / name).write_bytes(data)
        try:
            tmp.rename(target)
        except OSError:  # another worker got there first: its copy is the same bytes
            shutil.rmtree(tmp, ignore_errors=True)
        return target

    def mark_current(self, version: str) -> None:
        tmp = self.root / f".current-{os.getpid()}"
        tmp.write_text(version, encoding="ascii")
        tmp.replace(self.root / "current")

    def current(self) -> Path | None:
        with contextlib.suppress(OSError, LexiconDbError):
            version = (self.root / "current").read_text(encoding="ascii").strip()
            if self.has(version):
                return self.path(version)
        return None


def _fetch_files(cur: Any, version: str) -> list[tuple[str, bytes]]:
    cur.execute("SELECT name, data FROM lexicon_files WHERE version = %s ORDER BY name", (version,))
    return [(name, bytes(data)) for name, data in cur.fetchall()]


def fetch_current(url: str, cache: LexiconCache, timeout: float = 5.0) -> tuple[Publication, Path]:
    """The current publication, written to the cache (files fetched only when not cached)."""
    import psycopg

    conn = _connect(url, timeout)
    try:
        with conn.transaction(), conn.cursor() as cur:
            _ensure_schema(cur)
            cur.execute(_CURRENT)
            row = cur.fetchone()
            if row is None:
                raise LexiconDbError("no lexicon has been published to this database yet")
            pub = Publication(row[0], row[1])
            files = [] if cache.has(pub.version) else _fetch_files(cur, pub.version)
    except psycopg.Error as e:
        raise LexiconDbError(str(e)) from e
    finally:
        conn.close()
    return pub, cache.write(pub.version, files)


class Follower:
    """Keeps one connection that ``LISTEN``s; on every notification, on every (re)connection
    and every ``poll_s`` seconds it reads the current publication and hands new versions to
    ``on_version(publication, path)``. A lost connection is retried every second; the last
    good version keeps serving meanwhile."""

    def __init__(self, url: str, cache: LexiconCache, poll_s: float = 10.0):
        self.url, self.cache, self.poll_s = url, cache, poll_s
        self.connected = False
        self.last_error: str | None = None
        self.publication: Publication | None = None

    async def _current(self, conn: Any) -> tuple[Publication, Path] | None:
        import asyncio

        async with conn.cursor() as cur:
            await cur.execute(_CURRENT)
            row = await cur.fetchone()
            if row is None:
                return None
            pub = Publication(row[0], row[1])
            if self.cache.has(pub.version):
                return pub, self.cache.path(pub.version)
            await cur.execute("SELECT name, data FROM lexicon_files WHERE version = %s ORDER BY name",
                              (pub.version,))
            files = [(name, bytes(data)) for name, data in await cur.fetchall()]
        return pub, await asyncio.to_thread(self.cache.write, pub.version, files)

    async def run(self, on_version: Any) -> None:
        import asyncio

        import psycopg

        conninfo, schema = split_url(self.url)
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True,
                                                                 connect_timeout=3) as conn:
                    async with conn.transaction(), conn.cursor() as cur:
                        await cur.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                        await cur.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
                        await cur.execute(f"SET search_path TO {schema}")
                        for ddl in _SCHEMA:
                            await cur.execute(ddl)
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self.connected, self.last_error = True, None
                    while True:
                        # a link that died without a word would hang a query: bound it
                        found = await asyncio.wait_for(self._current(conn), timeout=10)
                        if found is not None:
                            self.publication = found[0]
                            await on_version(*found)
                        # wake on the first notification, or after poll_s to check the link
                        async for _n in conn.notifies(timeout=self.poll_s, stop_after=1):
                            pass
            except asyncio.CancelledError:
                raise
            except Exception as e:  # the database went away, or a table is missing: retry
                self.connected, self.last_error = False, str(e).strip() or type(e).__name__
                await asyncio.sleep(1.0)
