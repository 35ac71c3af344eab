"""``interceptor logs purge|verify|export --db URL``."""
from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime, timedelta

import orjson

from interceptor.errors import ConfigError

KEY_HELP = "HMAC key of partition tombstones (default: INTERCEPTOR_AUDIT_KEY)"


def _key(args: argparse.Namespace) -> str:
    return args.audit_key if args.audit_key is not None else os.environ.get("INTERCEPTOR_AUDIT_KEY", "")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    lg = sub.add_parser("logs", help="audit log: retention purge, hash-chain verification, export")
    lsub = lg.add_subparsers(dest="logs_command", required=True)
    p = lsub.add_parser("purge", help="remove records older than the retention (legal holds kept)")
    p.add_argument("--db", required=True)
    p.add_argument("--now", help="ISO 8601 time to purge as of (default: now)")
    p.add_argument("--retention-days", type=int, default=None)
    p.add_argument("--audit-key", default=None, help=KEY_HELP)
    p.set_defaults(func=purge)
    v = lsub.add_parser("verify", help="verify the hash chain; exit 1 naming the first bad record")
    v.add_argument("--db", required=True)
    v.add_argument("--audit-key", default=None, help=KEY_HELP)
    v.set_defaults(func=verify)
    e = lsub.add_parser("export", help="write records as NDJSON to stdout")
    e.add_argument("--db", required=True)
    e.add_argument("--since")
    e.add_argument("--until")
    e.add_argument("--action", choices=("pass", "mask", "warn", "block"))
    e.add_argument("--conversation-id")
    e.add_argument("--kind", default="verdict", choices=("verdict", "review", "ack", "hold", "purge", "all"))
    e.set_defaults(func=export)


def purge(args: argparse.Namespace) -> int:
    from interceptor.audit.opening import open_store
    from interceptor.audit.records import NewRecord, iso, parse_time
    from interceptor.service.settings import MIN_RETENTION_DAYS, load_settings

    days = args.retention_days if args.retention_days is not None else load_settings().retention_days
    if days < MIN_RETENTION_DAYS:
        raise ConfigError(f"retention of {days} days refused: records must be kept at least {MIN_RETENTION_DAYS} days")
    try:
        now = parse_time(args.now) if args.now else datetime.now(UTC)
        cutoff, as_of = iso(now - timedelta(days=days)), iso(now)
    except (ValueError, OverflowError):
        raise ConfigError(f"--now {args.now!r} is not an ISO 8601 time between the years 1 and 9999 UTC") from None
    store = open_store(args.db, _key(args))
    try:
        result = store.purge(cutoff, NewRecord(kind="purge", body={"retention_days": days, "as_of": as_of}))
    finally:
        store.close()
    print(orjson.dumps({"purged": result.purged, "held": result.held, "cutoff": result.cutoff,
                        "marker": result.marker_id}).decode())
    return 0


def verify(args: argparse.Namespace) -> int:
    from interceptor.audit.opening import open_store

    store = open_store(args.db, _key(args))
    try:
        result = store.verify()
    finally:
        store.close()
    print(orjson.dumps(result.to_dict()).decode())
    if not result.ok:
        print(f"chain broken at record {result.first_bad_seq}"
              f"{' (' + result.first_bad_id + ')' if result.first_bad_id else ''}: {result.problem}", file=sys.stderr)
        return 1
    return 0


def export(args: argparse.Namespace) -> int:
    from interceptor.audit.opening import open_store
    from interceptor.audit.records import iso, parse_time
    from interceptor.audit.store import Query

    def when(flag: str, value: str | None) -> str | None:
        if not value:
            return None
        try:
            return iso(parse_time(value))
        except (ValueError, OverflowError):  # OverflowError: past the years 1 to 9999 in UTC
            raise ConfigError(f"--{flag} {value!r} is not an ISO 8601 time between the years 1 and 9999 UTC") from None

    q = Query(kind=None if args.kind == "all" else args.kind, action=args.action, since=when("since", args.since),
              until=when("until", args.until), conversation_id=args.conversation_id)
    store = open_store(args.db)
    out = sys.stdout.buffer
    try:
        for rec in store.export(q):
            out.write(orjson.dumps(rec.to_dict()) + b"\n")
    finally:
        store.close()
    out.flush()
    return 0
