"""Reviewer, auditor, admin and ops routes: the review queue, the logs, the lexicon, legal
holds, health, readiness and metrics."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from interceptor.audit.records import NewRecord, Record
from interceptor.audit.store import Conflict, NotFound, Query, StoreUnavailable
from interceptor.lexicon_tools import counts
from interceptor.service import metrics
from interceptor.service.auth import require
from interceptor.service.errors import ApiError
from interceptor.service.image_checks import listed
from interceptor.service.models import DecisionRequest, HoldRequest, body_schema, read_model
from interceptor.service.queries import (
    EXPORT_LIMIT,
    LOG_FILTERS,
    MAX_SEQ,
    documented,
    ident,
    limit,
    log_query,
    next_cursor,
)
from interceptor.service.responses import JSONResponse
from interceptor.service.runtime import Runtime

router = APIRouter()


def _runtime(request: Request) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


async def _store(fn: Any, *args: Any) -> Any:
    try:
        return await asyncio.to_thread(fn, *args)
    except StoreUnavailable as e:
        raise ApiError(503, "audit_unavailable", f"the audit store is unavailable: {e}",
                       headers={"Retry-After": "1"}) from None


# ---------------------------------------------------------------------- reviews
@router.get("/v1/reviews", tags=["reviewer"], summary="List the review queue",
            openapi_extra=documented("status", "cursor", "limit"))
async def list_reviews(request: Request) -> JSONResponse:
    rt = _runtime(request)
    require(rt.settings, request, "reviewer")
    status = request.query_params.get("status", "pending")
    if status not in ("pending", "confirm", "dismiss", "all"):
        raise ApiError(422, "invalid_query", "status must be pending, confirm, dismiss or all")
    page = limit(request)
    after = request.query_params.get("cursor")
    items = await _store(rt.store.reviews, None if status == "all" else status,
                         ident("cursor", after) if after is not None else None, page)
    return JSONResponse({"items": items, "next_cursor": items[-1]["id"] if len(items) == page else None})


@router.post("/v1/reviews/{review_id}", openapi_extra=body_schema(DecisionRequest), tags=["reviewer"],
             summary="Decide a review item")
async def decide_review(review_id: str, request: Request) -> JSONResponse:
    rt = _runtime(request)
    require(rt.settings, request, "reviewer")
    ident("review id", review_id)
    req = await read_model(request, DecisionRequest)
    return JSONResponse(await decide(rt, review_id, req.decision, req.reviewer, req.note))


async def decide(rt: Runtime, review_id: str, decision: str, reviewer: str, note: str | None) -> dict[str, Any]:
    """Decide a pending review and chain the decision: 404 unknown, 409 decided already
    (elsewhere, in the meantime) — one decision per item, whoever asks."""
    ident("review id", review_id)
    record = NewRecord(kind="review", body={"review_id": review_id, "decision": decision,
                                            "reviewer": reviewer, "note": note})
    try:
        return await _store(rt.store.decide, review_id, decision, reviewer, note, record)  # type: ignore[no-any-return]
    except NotFound:
        raise ApiError(404, "not_found", f"no review {review_id}") from None
    except Conflict as e:
        raise ApiError(409, "conflict", str(e)) from None


# ---------------------------------------------------------------------- logs
@router.get("/v1/logs", tags=["auditor"], summary="Query the audit log",
            openapi_extra=documented(*LOG_FILTERS, "limit"))
async def list_logs(request: Request) -> JSONResponse:
    rt = _runtime(request)
    require(rt.settings, request, "auditor")
    page = limit(request)
    records = await _store(rt.store.query, log_query(request, page))
    return JSONResponse({"items": [listed(r.to_dict()) for r in records],
                           "next_cursor": next_cursor(records[-1].seq) if len(records) == page else None})


@router.get("/v1/logs/export", tags=["auditor"], summary="Export the audit log as NDJSON",
            openapi_extra=documented(*LOG_FILTERS, extra=(EXPORT_LIMIT,)))
async def export_logs(request: Request) -> StreamingResponse:
    rt = _runtime(request)
    require(rt.settings, request, "auditor")
    q = log_query(request, 500)
    most = limit(request, default=MAX_SEQ, most=MAX_SEQ)  # at most this many records

    async def lines() -> AsyncIterator[bytes]:
        left = most
        async for page in log_pages(rt, q, min(500, most)):
            yield b"".join(orjson.dumps(r.to_dict()) + b"\n" for r in page[:left])
            left -= len(page)
            if left <= 0:
                return

    return StreamingResponse(lines(), media_type="application/x-ndjson")


async def log_pages(rt: Runtime, q: Query, size: int = 500) -> AsyncIterator[list[Record]]:
    """Every record matching ``q`` from its cursor on, page by page: the log is never in
    memory whole."""
    after = q.after_seq
    while True:
        page: list[Record] = await _store(rt.store.query, Query(q.kind, q.action, q.since, q.until,
                                                                q.conversation_id, after, size))
        if page:
            yield page
        if len(page) < size:
            return
        after = page[-1].seq


@router.get("/v1/logs/verify", tags=["auditor"], summary="Verify the hash chain")
async def verify_logs(request: Request) -> JSONResponse:
    rt = _runtime(request)
    require(rt.settings, request, "auditor")
    result = await _store(rt.store.verify)
    return JSONResponse(result.to_dict())


@router.get("/v1/logs/{log_id}", tags=["auditor"], summary="One audit record, with the complete chat on block")
async def get_log(log_id: str, request: Request) -> JSONResponse:
    rt = _runtime(request)
    require(rt.settings, request, "auditor")
    record = await _store(rt.store.get, ident("log id", log_id))
    if record is None:
        raise ApiError(404, "not_found", f"no log record {log_id}")
    return JSONResponse(record.to_dict())


# ---------------------------------------------------------------------- lexicon and holds
@router.get("/v1/lexicon", tags=["admin"], summary="The lexicon being served")
async def lexicon_info(request: Request) -> JSONResponse:
    rt = _runtime(request)
    require(rt.settings, request, "admin")
    return JSONResponse(serving_lexicon(rt))


def serving_lexicon(rt: Runtime) -> dict[str, Any]:
    """What is serving: version, counts, load time, where it came from, the last reload's errors."""
    info = counts(rt.guard.lexicon)
    info.update(loaded_at=datetime.fromtimestamp(rt.guard.loaded_at, UTC).isoformat(), path=rt.lexicon_path,
                matcher=rt.guard.matcher, last_reload_error=rt.last_reload_error or None,
                source="database" if rt.follower is not None else "files")
    if rt.follower is not None:
        pub = rt.follower.publication
        info["database"] = {"connected": rt.follower.connected, "last_error": rt.follower.last_error,
                            "published": pub.to_dict() if pub else None}
    return info


@router.post("/v1/lexicon/reload", tags=["admin"], summary="Validate the lexicon again and swap it in")
async def lexicon_reload(request: Request) -> JSONResponse:
    rt = _runtime(request)
    require(rt.settings, request, "admin")
    result = await rt.reload()
    if not result.ok:
        raise ApiError(422, "invalid_lexicon", f"lexicon rejected; {result.version} keeps serving",
                       detail=result.problems)
    return JSONResponse({"version": result.version, "changed": result.changed})


@router.get("/v1/admin/holds", tags=["admin"], summary="Conversations under legal hold")
async def list_holds(request: Request) -> JSONResponse:
    rt = _runtime(request)
    require(rt.settings, request, "admin")
    return JSONResponse({"items": await _store(rt.store.holds)})


@router.post("/v1/admin/holds", openapi_extra=body_schema(HoldRequest), tags=["admin"],
             summary="Put a conversation under legal hold: its records are never purged")
async def set_hold(request: Request) -> JSONResponse:
    rt = _runtime(request)
    require(rt.settings, request, "admin")
    req = await read_model(request, HoldRequest)
    await place_hold(rt, req.conversation_id, req.reason, req.by)
    return JSONResponse({"conversation_id": req.conversation_id, "held": True})


async def place_hold(rt: Runtime, conversation_id: str, reason: str, by: str) -> None:
    record = NewRecord(kind="hold", body={"hold": "set", "reason": reason, "by": by}, conversation_id=conversation_id)
    await _store(rt.store.set_hold, conversation_id, reason, by, record)


@router.delete("/v1/admin/holds/{conversation_id}", tags=["admin"], summary="Release a legal hold")
async def release_hold(conversation_id: str, request: Request) -> JSONResponse:
    rt = _runtime(request)
    require(rt.settings, request, "admin")
    await lift_hold(rt, conversation_id)
    return JSONResponse({"conversation_id": conversation_id, "held": False})


async def lift_hold(rt: Runtime, conversation_id: str) -> None:
    ident("conversation_id", conversation_id)
    record = NewRecord(kind="hold", body={"hold": "released"}, conversation_id=conversation_id)
    try:
        await _store(rt.store.release_hold, conversation_id, record)
    except NotFound:
        raise ApiError(404, "not_found", f"no hold on {conversation_id}") from None


# ---------------------------------------------------------------------- ops
@router.get("/healthz", tags=["ops"], summary="Liveness")
async def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"})


@router.get("/readyz", tags=["ops"], summary="Readiness: lexicon loaded and audit store reachable")
async def readyz(request: Request) -> JSONResponse:
    ok, detail = await asyncio.to_thread(_runtime(request).ready)
    return JSONResponse({"ready": ok, **detail}, status_code=200 if ok else 503)


@router.get("/metrics", tags=["ops"], summary="Prometheus metrics")
async def metrics_route() -> Response:
    data, ctype = metrics.exposition()
    return Response(data, media_type=ctype)
