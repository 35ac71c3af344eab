"""Query and path parameters of the log and review routes, validated before any store sees
them.

A value a store cannot take is the client's mistake, not an outage: a time outside what
``datetime`` can hold after its offset is applied, a cursor past a 64-bit sequence number,
a NUL character (PostgreSQL text cannot hold one) all answer 422 with a message here, the
same on SQLite and PostgreSQL, instead of a 500, a reset connection or a
``503 audit_unavailable``.
"""
from __future__ import annotations

import base64
import binascii
from datetime import UTC
from typing import Any

from fastapi import Request

from interceptor.audit.records import parse_time
from interceptor.audit.store import Query
from interceptor.service.errors import ApiError

ACTIONS = ("pass", "mask", "warn", "block")
KINDS = ("verdict", "review", "ack", "hold", "purge", "all")
MAX_SEQ = (1 << 63) - 1  # sequence numbers are 64-bit signed integers in both stores
MAX_ID = 256  # ids and conversation ids, as in request bodies
LOG_FILTERS = ("action", "kind", "since", "until", "conversation_id", "cursor")


def _param(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


_ID = {"type": "string", "maxLength": MAX_ID}
_PARAMS = {p["name"]: p for p in (
    _param("action", {"type": "string", "enum": list(ACTIONS)}, "Only records with this action."),
    _param("kind", {"type": "string", "enum": list(KINDS), "default": "verdict"}, "Only records of this kind."),
    _param("since", {"type": "string", "format": "date-time"}, "Records at or after this time (ISO 8601)."),
    _param("until", {"type": "string", "format": "date-time"}, "Records before this time (ISO 8601)."),
    _param("conversation_id", _ID, "Only records of this conversation."),
    _param("cursor", {"type": "string", "maxLength": MAX_ID}, "The next_cursor of the previous page."),
    _param("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}, "Items per page."),
    _param("status", {"type": "string", "enum": ["pending", "confirm", "dismiss", "all"], "default": "pending"},
           "Only review items with this status."),
)}
EXPORT_LIMIT = _param("limit", {"type": "integer", "minimum": 1, "maximum": MAX_SEQ},
                      "At most this many records (default: all).")


def documented(*names: str, extra: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
    """``openapi_extra`` naming the query parameters a route reads from the request itself."""
    return {"parameters": [_PARAMS[n] for n in names] + list(extra)}


def invalid(message: str) -> ApiError:
    return ApiError(422, "invalid_query", message)


def ident(name: str, raw: str) -> str:
    """An id, conversation id or review cursor: no NUL, at most 256 characters."""
    if "\x00" in raw:
        raise invalid(f"{name} must not contain NUL characters")
    if len(raw) > MAX_ID:
        raise invalid(f"{name} is longer than {MAX_ID} characters")
    return raw


def limit(request: Request, default: int = 100, most: int = 1000) -> int:
    raw = request.query_params.get("limit")
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= most:
        raise invalid(f"limit must be an integer from 1 to {most}")
    return int(raw)


def time(request: Request, name: str) -> str | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        moment = parse_time(raw).astimezone(UTC)
    except ValueError:
        raise invalid(f"{name} must be an ISO 8601 time") from None
    except OverflowError:  # 0001-01-01T00:00:00+01:00 is before the year 1 in UTC
        raise invalid(f"{name} must lie between the years 1 and 9999 in UTC") from None
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def cursor(raw: str | None) -> int:
    """A log cursor: exactly the encoding ``next_cursor`` gives, of a 64-bit sequence number."""
    if not raw:
        return 0
    try:
        text = base64.urlsafe_b64decode(raw.encode("ascii") + b"=" * (-len(raw) % 4)).decode("ascii")
        seq = int(text) if text.isdigit() else -1
    except (ValueError, UnicodeError, binascii.Error):
        seq = -1
    if not 0 <= seq <= MAX_SEQ or next_cursor(seq) != raw:
        raise invalid("cursor is not one this service issued")
    return seq


def next_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(str(seq).encode()).decode().rstrip("=")


def log_query(request: Request, page: int) -> Query:
    p = request.query_params
    action = p.get("action")
    if action is not None and action not in ACTIONS:
        raise invalid(f"action must be one of {', '.join(ACTIONS)}")
    kind = p.get("kind", "verdict")
    if kind not in KINDS:
        raise invalid("kind must be verdict, review, ack, hold, purge or all")
    conversation = p.get("conversation_id")
    return Query(kind=None if kind == "all" else kind, action=action, since=time(request, "since"),
                 until=time(request, "until"),
                 conversation_id=ident("conversation_id", conversation) if conversation is not None else None,
                 after_seq=cursor(p.get("cursor")), limit=page)
