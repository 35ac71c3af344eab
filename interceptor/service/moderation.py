"""The three tiers over HTTP: ``/v1/moderate``, ``/v1/moderate/batch``, ``/v1/acknowledge``.

* ``block`` — a refusal and no text; the record, with the complete chat, is committed
  (group commit, fsync) before the answer is sent, or the answer is 503
  ``audit_unavailable`` — never a pass, never an unlogged block.
* ``mask`` — the masked text and a review item.
* ``warn`` — a warning with an acknowledgement token (signed, expiring, bound to the
  request, the conversation and the log record).
* ``monitor`` hits — logged only.

A request with images (``images``, or image parts in ``messages``) has them read and checked
with its text as one message (``image_checks``): a block refuses it, a mask removes the
images it was found in (``removed_images``), a warning warns.
"""
from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Request

from interceptor.audit.records import NewRecord, new_id
from interceptor.audit.store import StoreUnavailable
from interceptor.audit.writer import Overloaded
from interceptor.images.decode import Picture
from interceptor.images.errors import TooManyImages
from interceptor.images.request import ImageRef
from interceptor.images.screen import ImageVerdict, screen
from interceptor.service import metrics
from interceptor.service.auth import require
from interceptor.service.checkpool import BudgetExceeded, PoolUnavailable
from interceptor.service.checks import Item, check_many, check_one, feed, feed_cost
from interceptor.service.errors import ApiError
from interceptor.service.image_checks import image_answer, image_refs, image_subject, read_images, refused
from interceptor.service.models import (
    AcknowledgeRequest,
    BatchRequest,
    ModerateRequest,
    StreamRequest,
    body_schema,
    read_model,
)
from interceptor.service.responses import JSONResponse
from interceptor.service.runtime import Runtime
from interceptor.service.tokens import TokenError, seal, token_id, unseal, verify
from interceptor.service.verdicts import Subject, chat, record_verdict
from interceptor.stream import StreamState
from interceptor.types import Action, Verdict

router = APIRouter()
T = TypeVar("T")


def _runtime(request: Request) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


def _check_limits(rt: Runtime, req: ModerateRequest) -> None:
    s = rt.settings
    if len(req.text) > s.max_text_chars:
        raise ApiError(413, "text_too_long", f"text has {len(req.text)} characters; the limit is {s.max_text_chars}")
    if req.messages is not None and len(req.messages) > s.max_messages:
        raise ApiError(413, "too_many_messages", f"at most {s.max_messages} messages per request")


def _item(req: ModerateRequest) -> Item:
    return Item(req.text, req.direction, [m.text for m in req.messages] if req.messages else None)


async def _checked(rt: Runtime, cost: int, fn: Callable[..., T], *args: Any) -> T:
    """A check through ``Runtime.checked``: a big one that cannot finish within the budget
    answers 503 with Retry-After — never a pass."""
    t0 = time.perf_counter()
    try:
        result = await rt.checked(cost, fn, *args)
    except (BudgetExceeded, PoolUnavailable) as e:
        metrics.CHECK_TIMEOUTS.inc()
        retry = str(max(1, math.ceil(rt.settings.check_budget_s)))
        raise ApiError(503, "check_timeout", f"the text could not be checked in time ({e}); retry later",
                       headers={"Retry-After": retry}) from None
    metrics.CHECK_SECONDS.observe(time.perf_counter() - t0)
    return result


def moderate(rt: Runtime, req: ModerateRequest, verdict: Verdict,
             route: str) -> tuple[dict[str, Any], asyncio.Future[None] | None]:
    """Count one checked text, queue its audit record; return the answer and, for a block,
    the future of its durable commit."""
    metrics.requests(route, verdict.action.value).inc()
    return record_verdict(rt, Subject.of(req), verdict, route)


async def _screened(rt: Runtime, req: ModerateRequest, refs: list[ImageRef]) -> tuple[ImageVerdict, list[Picture]]:
    """The request's text and images checked together (the images read first, off the loop)."""
    item = _item(req)
    pictures, images = await read_images(rt, refs)
    cost = item.cost + sum(len(im.text) for im in images)
    result = await _checked(rt, cost, screen, item.text, images, item.direction, item.messages)
    return result, pictures


def moderate_images(rt: Runtime, req: ModerateRequest, result: ImageVerdict, pictures: list[Picture],
                    route: str) -> tuple[dict[str, Any], asyncio.Future[None] | None]:
    """``moderate`` for a request with images: the record keeps what was read from them."""
    metrics.requests(route, result.action.value).inc()
    out, fut = record_verdict(rt, image_subject(rt, req, result, pictures), result.verdict, route)
    out.update(image_answer(result))
    return out, fut


async def _committed(futures: list[asyncio.Future[None]]) -> None:
    if len(futures) == 1:
        await futures[0]
    elif futures:
        await asyncio.gather(*futures)


def _unavailable(e: Exception) -> ApiError:
    metrics.AUDIT_ERRORS.inc()
    if isinstance(e, Overloaded):
        return ApiError(503, "overloaded", f"too many audit records waiting; retry shortly ({e})",
                        headers={"Retry-After": "1"})
    return ApiError(503, "audit_unavailable", f"the audit log cannot record this block right now: {e}",
                    headers={"Retry-After": "1"})


@router.post("/v1/moderate", openapi_extra=body_schema(ModerateRequest), tags=["service"],
             summary="Check one text and apply its tier")
async def moderate_one(request: Request) -> JSONResponse:
    rt = _runtime(request)
    require(rt.settings, request, "service")
    req = await read_model(request, ModerateRequest)
    _check_limits(rt, req)
    refs = image_refs(req) if req.images or req.messages else []
    if refs:
        result, pictures = await _screened(rt, req, refs)
    else:
        item = _item(req)
        verdict = await _checked(rt, item.cost, check_one, item)
    try:
        if refs:
            out, fut = moderate_images(rt, req, result, pictures, "moderate")
        else:
            out, fut = moderate(rt, req, verdict, "moderate")
        await _committed([fut] if fut is not None else [])
    except StoreUnavailable as e:
        raise _unavailable(e) from None
    return JSONResponse(out)


@router.post("/v1/moderate/batch", openapi_extra=body_schema(BatchRequest), tags=["service"],
             summary="Check several texts; results in order")
async def moderate_batch(request: Request) -> JSONResponse:
    rt = _runtime(request)
    require(rt.settings, request, "service")
    req = await read_model(request, BatchRequest)
    if len(req.items) > rt.settings.max_batch_items:
        raise ApiError(413, "batch_too_large", f"at most {rt.settings.max_batch_items} items per batch")
    for one in req.items:
        _check_limits(rt, one)
    refs = [image_refs(one) if one.images or one.messages else [] for one in req.items]
    if rt.images is not None and sum(map(len, refs)) > rt.images.settings.max_images:  # the limit is per request
        raise refused(TooManyImages(f"{sum(map(len, refs))} images in the batch; at most "
                                    f"{rt.images.settings.max_images} per request"))
    plain = [_item(one) for one, r in zip(req.items, refs, strict=True) if not r]
    verdicts = iter(await _checked(rt, sum(i.cost for i in plain), check_many, plain))  # the texts are one check
    screened = iter(await asyncio.gather(*(_screened(rt, one, r) for one, r in zip(req.items, refs, strict=True)
                                           if r)))
    results, futures = [], []
    try:
        for one, r in zip(req.items, refs, strict=True):
            if r:
                out, fut = moderate_images(rt, one, *next(screened), "batch")
            else:
                out, fut = moderate(rt, one, next(verdicts), "batch")
            results.append(out)
            if fut is not None:
                futures.append(fut)
        await _committed(futures)  # every block of the batch shares the commits
    except StoreUnavailable as e:
        raise _unavailable(e) from None
    return JSONResponse({"results": results})


@router.post("/v1/moderate/stream", openapi_extra=body_schema(StreamRequest), tags=["service"],
             summary="Check one chunk of a streamed model output")
async def moderate_stream(request: Request) -> JSONResponse:
    """Stateless: the text held back and the stream's state travel in ``carry``, sealed with
    the service secret, so any replica takes the next chunk and no client can edit it."""
    rt = _runtime(request)
    require(rt.settings, request, "service")
    req = await read_model(request, StreamRequest)
    state, meta = _carried(rt, req)
    if len(state.text) + len(req.text) > rt.settings.max_text_chars:
        raise ApiError(413, "text_too_long", f"a stream may hold at most {rt.settings.max_text_chars} characters")
    already_blocked = state.blocked
    step, state = await _checked(rt, feed_cost(state, req.text, req.final), feed, state, req.text, req.final)
    meta["seq"] += 1
    meta["exp"] = int(time.time()) + rt.settings.carry_ttl_s
    out: dict[str, Any] = {"release": step.release, "action": step.action.value, "final": req.final,
                           "stream_id": meta["id"], "seq": meta["seq"], "lexicon_version": rt.guard.version}
    hits = step.verdict.hits if step.verdict is not None else ()
    out["hits"] = [h.to_dict() for h in hits] if hits else state.hits
    metrics.requests("stream", step.action.value).inc()
    ends = (step.action is Action.BLOCK and not already_blocked) or (req.final and not already_blocked)
    if ends and meta.get("logged") is None:  # one record per stream, with the complete output on block
        verdict = step.verdict
        if verdict is None:
            verdict = await _checked(rt, len(state.text), check_one, Item(state.text, "output"))
        whole = Subject(state.text, "output", meta["conversation_id"], meta["user_id"], meta["service_id"],
                        chat(req.messages))
        try:
            logged, fut = record_verdict(rt, whole, verdict, "stream", once=meta["id"])
            await _committed([fut] if fut is not None else [])
        except StoreUnavailable as e:
            raise _unavailable(e) from None
        out.update({k: v for k, v in logged.items() if k in ("log_id", "review_id", "warning", "refusal")})
        meta["logged"] = logged.get("log_id", "")
    meta["ended"] = meta.get("ended") or req.final
    out["carry"] = seal(rt.settings.secret, {"state": state.to_dict(), "meta": meta})
    return JSONResponse(out)


def _carried(rt: Runtime, req: StreamRequest) -> tuple[StreamState, dict[str, Any]]:
    """The stream's state and metadata: new, or from a carry this service sealed.

    A carry names its stream, counts its steps (``seq``) and expires ``carry_ttl_s`` after it
    was issued. It holds the whole text so far, so a replayed carry releases only what a
    fresh stream of the same text would, and the stream's end is recorded once (its record
    id is the stream id). A carry issued by a final step ends the stream; ids given with a
    chunk must be the stream's own.
    """
    if req.carry is None:
        return StreamState(), {"id": new_id(), "seq": 0, "conversation_id": req.conversation_id,
                               "user_id": req.user_id, "service_id": req.service_id, "logged": None}
    try:
        sealed = unseal(rt.settings.secret, req.carry)
        state, meta = StreamState.from_dict(sealed["state"]), sealed["meta"]
        expires, seq = int(meta["exp"]), int(meta["seq"])
    except (TokenError, KeyError, TypeError, ValueError):
        raise ApiError(400, "invalid_carry", "the carry is not one this service issued, or was altered") from None
    if time.time() > expires:
        raise ApiError(410, "carry_expired", f"the carry expired (step {seq} of stream {meta['id']})")
    if meta.get("ended"):
        raise ApiError(409, "stream_ended", f"stream {meta['id']} has ended; start a new one")
    for key in ("conversation_id", "user_id", "service_id"):
        given = getattr(req, key)
        if given is not None and given != meta[key]:
            raise ApiError(422, "carry_mismatch", f"{key} differs from the stream's own ({meta[key]!r})")
    return state, meta


@router.post("/v1/acknowledge", openapi_extra=body_schema(AcknowledgeRequest), tags=["service"],
             summary="Record that the user acknowledged a warning")
async def acknowledge(request: Request) -> JSONResponse:
    rt = _runtime(request)
    require(rt.settings, request, "service")
    req = await read_model(request, AcknowledgeRequest)
    try:
        payload = verify(rt.settings.secret, req.ack_token, "ack")
    except TokenError as e:
        if e.expired:
            raise ApiError(410, "expired", "the acknowledgement token has expired") from None
        raise ApiError(401, "invalid_token", "the acknowledgement token is not valid") from None
    if req.conversation_id is not None and req.conversation_id != payload.get("cid"):
        raise ApiError(401, "invalid_token", "the token belongs to another conversation")
    record = NewRecord(kind="ack", body={"log_id": payload.get("lid")}, request_id=payload.get("rid"),
                       conversation_id=payload.get("cid"))
    try:
        first = await asyncio.to_thread(rt.store.acknowledge, token_id(req.ack_token), record)
    except StoreUnavailable as e:
        raise _unavailable(e) from None
    return JSONResponse({"acknowledged": True, "log_id": payload.get("lid"), "request_id": payload.get("rid"),
                           "repeated": not first})
