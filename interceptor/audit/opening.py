"""Opening an audit store by URL: the one place that knows both implementations.

``store`` holds the interface and imports neither; each implementation imports ``store``
and ``chain``; only this module imports the implementations, so nothing imports in a circle.
"""
from __future__ import annotations

from interceptor.audit.store import AuditStore


def open_store(url: str, audit_key: str = "") -> AuditStore:
    """``sqlite:///path/to/file.db`` (or a bare path) or ``postgresql://…``; a PostgreSQL URL
    may name the schema to use with ``?schema=name`` (default ``interceptor``). ``audit_key``
    signs (and verifies) the tombstones of dropped PostgreSQL partitions."""
    if url.startswith(("postgresql://", "postgres://")):
        from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

        from interceptor.audit.postgres import PostgresStore

        parts = urlsplit(url)
        params = dict(parse_qsl(parts.query))
        schema = params.pop("schema", "interceptor")
        return PostgresStore(urlunsplit(parts._replace(query=urlencode(params))), schema=schema,
                             audit_key=audit_key.encode() or None)
    from interceptor.audit.sqlite import SqliteStore

    path = url.removeprefix("sqlite:///").removeprefix("sqlite://")
    return SqliteStore(path)
