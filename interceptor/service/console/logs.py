"""The audit log: ``/console/logs`` (filters, records, the hash-chain check, export) and
``/console/holds`` (legal holds, admin).

The filters are the ``/v1/logs`` query parameters — read by the same ``log_query`` — plus
``category`` and ``direction``, applied here while reading the store page by page: a page
of results reads at most ``SCAN_MOST`` records and offers to go on from where it stopped.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any, NamedTuple
from urllib.parse import urlencode

import orjson
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse

from interceptor.audit.records import Record
from interceptor.service.console import render
from interceptor.service.console.access import needs, posts, runtime
from interceptor.service.console.session import Session
from interceptor.service.errors import ApiError
from interceptor.service.operations import _store, lift_hold, log_pages, place_hold
from interceptor.service.queries import ACTIONS, log_query, next_cursor

SHOWN = 50         # records on one page
SCAN_MOST = 5000   # records read for one page when category or direction filters them
FILTERS = ("action", "since", "until", "conversation_id", "category", "direction", "kind")
DIRECTIONS = ("input", "output")


class Found(NamedTuple):
    records: list[dict[str, Any]]
    next_cursor: str | None
    scanned: int
    exhausted: bool  # stopped at SCAN_MOST before the page filled


def _keep(request: Request) -> tuple[str | None, str | None]:
    p = request.query_params
    direction = p.get("direction") or None
    if direction is not None and direction not in DIRECTIONS:
        raise ApiError(422, "invalid_query", "direction must be input or output")
    category = p.get("category") or None
    if category is not None and len(category) > 256:
        raise ApiError(422, "invalid_query", "category is at most 256 characters")
    return category, direction


def _select(page: list[Record], category: str | None, direction: str | None) -> list[dict[str, Any]]:
    """The records of a page that pass the filters, as dicts (in a worker thread: bodies can
    be long)."""
    out = []
    for record in page:
        if direction is not None and record.direction != direction:
            continue
        data = record.to_dict()
        if category is None or any(h.get("category") == category for h in data.get("hits", ())):
            out.append(data)
    return out


def _lines(page: list[Record], category: str | None, direction: str | None) -> bytes:
    return b"".join(orjson.dumps(d) + b"\n" for d in _select(page, category, direction))


async def _find(request: Request) -> Found:
    category, direction = _keep(request)
    q = log_query(request, SHOWN)
    if category is None and direction is None:
        records: list[Record] = await _store(runtime(request).store.query, q)
        shown = await asyncio.to_thread(_select, records, None, None)
        return Found(shown, next_cursor(records[-1].seq) if len(records) == SHOWN else None, len(records), False)
    shown = []
    scanned = 0
    async for page in log_pages(runtime(request), q):
        scanned += len(page)
        shown += await asyncio.to_thread(_select, page, category, direction)
        if len(shown) >= SHOWN or scanned >= SCAN_MOST:
            last = page[-1].seq if len(shown) <= SHOWN else _seq(shown[SHOWN - 1])
            return Found(shown[:SHOWN], next_cursor(last), scanned, len(shown) < SHOWN)
    return Found(shown, None, scanned, False)


def _seq(record: dict[str, Any]) -> int:
    return int(record["seq"])


def _without_blanks(request: Request) -> Response | None:
    """A filter form sends every field, empty ones too: the same URL without them."""
    if any(v == "" for v in request.query_params.values()):
        kept = [(k, v) for k, v in request.query_params.multi_items() if v != ""]
        return RedirectResponse(f"{request.url.path}?{urlencode(kept)}" if kept else request.url.path,
                                status_code=303)
    return None


@needs("auditor")
async def logs(request: Request, session: Session) -> Response:
    """The log, filtered; the newest filters in the URL, so a view can be shared."""
    if (clean := _without_blanks(request)) is not None:
        return clean
    filters = {k: request.query_params.get(k, "") for k in FILTERS}
    try:
        found = await _find(request)
        error = None
    except ApiError as e:
        if e.status != 422:
            raise
        found, error = Found([], None, 0, False), e.message
    query = {k: v for k, v in filters.items() if v}
    return await render.page(request, "logs.html", session, filters=filters, found=found, error=error,
                       actions=ACTIONS, directions=DIRECTIONS, export=urlencode(query),
                       next_page=urlencode({**query, "cursor": found.next_cursor}) if found.next_cursor else None,
                       status=400 if error else 200)


@needs("auditor")
async def export(request: Request, session: Session) -> Response:
    """The filtered set as NDJSON, every page of it, streamed."""
    q = log_query(request, 500)

    category, direction = _keep(request)  # a bad filter is a 422 before the download starts

    async def lines() -> AsyncIterator[bytes]:
        async for page in log_pages(runtime(request), q):
            yield await asyncio.to_thread(_lines, page, category, direction)

    return StreamingResponse(lines(), media_type="application/x-ndjson",
                             headers={"content-disposition": 'attachment; filename="interceptor-logs.ndjson"'})


@needs("auditor")
async def record(request: Request, session: Session) -> Response:
    """One record: the complete chat on a block, its hits, its place in the chain."""
    log_id = str(request.path_params["log_id"])
    rt = runtime(request)
    found: Record | None = await _store(rt.store.get, log_id)
    if found is None:
        raise ApiError(404, "not_found", f"no log record {log_id}")
    data = found.to_dict()
    held = False
    if session.allows("admin") and found.conversation_id:
        holds: list[dict[str, Any]] = await _store(rt.store.holds)
        held = any(h["conversation_id"] == found.conversation_id for h in holds)
    return await render.page(request, "record.html", session, record=data, held=held)


@posts("auditor")
async def verify(request: Request, session: Session, form: dict[str, str]) -> Response:
    """Walk the hash chain (a form, not a link: it reads the whole log)."""
    result = await _store(runtime(request).store.verify)
    return await render.page(request, "verify.html", session, result=result.to_dict())


@needs("admin")
async def holds(request: Request, session: Session) -> Response:
    items = await _store(runtime(request).store.holds)
    return await render.page(request, "holds.html", session, holds=items, done=request.query_params.get("done"))


@posts("admin")
async def hold(request: Request, session: Session, form: dict[str, str]) -> Response:
    """Place a hold (``action=set``) or release one (``action=release``)."""
    cid = form.get("conversation_id", "").strip()
    if not 1 <= len(cid) <= 256:
        raise ApiError(422, "invalid_form", "conversation_id must be 1 to 256 characters")
    if form.get("action") == "release":
        await lift_hold(runtime(request), cid)
        done = "released"
    else:
        await place_hold(runtime(request), cid, form.get("reason", "").strip()[:10_000], session.name)
        done = "held"
    base = request.scope.get("root_path", "")
    return RedirectResponse(f"{base}/holds?{urlencode({'done': done})}", status_code=303)
