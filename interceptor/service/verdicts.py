"""A verdict becomes an answer and an audit record — in one place for every route that checks
text: ``/v1/moderate`` and its batch, ``/v1/moderate/stream`` and the OpenAI-compatible proxy.

What the answer says for each tier and what the record keeps are the service's promises
(CONTRACT §2, §6), so no route builds either on its own: a block answer carries the refusal
and its record the complete chat, committed before the answer leaves; a warning carries an
acknowledgement token bound to the request, the conversation and the record; a mask queues
a review item.
"""
from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from interceptor.audit.records import NewRecord, new_id
from interceptor.audit.store import StoreUnavailable
from interceptor.service import metrics
from interceptor.service.models import Message, ModerateRequest
from interceptor.service.runtime import Runtime
from interceptor.service.tokens import ack_token
from interceptor.types import Action, Tier, Verdict


class Subject(NamedTuple):
    """What a verdict is about: the checked text and where it came from."""

    text: str
    direction: str = "input"
    conversation_id: str | None = None
    user_id: str | None = None
    service_id: str | None = None
    messages: Sequence[Mapping[str, Any]] = ()  # the complete chat, with its real roles: kept on block
    prompt: Any = None  # a completion request's prompt (a string or a list of them): kept on block
    where: str | None = None  # the place of ``text`` in a request or an answer, e.g. ``messages[2].content``
    images: Sequence[Mapping[str, Any]] = ()  # the images read with ``text`` (``images.record.audit_images``)

    @classmethod
    def of(cls, req: ModerateRequest) -> Subject:
        return cls(req.text, req.direction, req.conversation_id, req.user_id, req.service_id, chat(req.messages))


def chat(messages: Sequence[Message] | None, first_image: int = 0) -> tuple[dict[str, Any], ...]:
    """Validated messages as the plain objects a record keeps. An image part keeps its number
    (``<image N>``, counted from ``first_image``) instead of its bytes: the record's
    ``images`` holds what was read from it, and the image itself only where it is kept."""
    out = []
    n = first_image
    for m in messages or ():
        d = m.model_dump(exclude_none=True)
        if not isinstance(m.content, str):
            parts = []
            for part, dumped in zip(m.content, d["content"], strict=True):
                if part.is_image:
                    dumped = {"type": part.type, "image_url": {"url": f"<image {n}>"}}
                    n += 1
                parts.append(dumped)
            d["content"] = parts
        out.append(d)
    return tuple(out)


class Outcome(NamedTuple):
    """The answer for a verdict and, for a block, the future of its record's durable commit."""

    answer: dict[str, Any]
    committed: asyncio.Future[None] | None


def derived_id(base: str, purpose: str) -> str:
    """An id that follows from another one, with its time prefix (ids sort by time)."""
    return base[:12] + hashlib.sha256(f"{purpose}:{base}".encode()).hexdigest()[:20]


def record_verdict(rt: Runtime, subject: Subject, verdict: Verdict, route: str, once: str | None = None) -> Outcome:
    """The answer for ``verdict``, and its audit record queued (durably for a block).

    Raises StoreUnavailable, before queuing anything, when a block cannot be logged: the
    caller answers 503, never a pass and never an unlogged block. With ``once`` (a stream's
    id) the record takes that id and is written only if no record has it yet: a stream ends
    with one record however often its end is replayed.
    """
    request_id = new_id()
    out: dict[str, Any] = verdict.to_dict()
    out["request_id"] = request_id
    if not verdict.hits:
        return Outcome(out, None)
    for h in verdict.hits:
        metrics.hits(h.tier.value, h.category).inc()
    log_id = once or new_id()
    body: dict[str, Any] = {"hits": out["hits"], "text": subject.text}
    if subject.where is not None:
        body["where"] = subject.where
    if subject.images:
        body["images"] = list(subject.images)
    if verdict.action is Action.BLOCK:
        body["messages"] = list(subject.messages)
        if subject.prompt is not None:
            body["prompt"] = subject.prompt
    elif verdict.action is not Action.PASS and verdict.text is not None:
        body["masked_text"] = verdict.text
    reviews: list[tuple[str, str]] = []
    if any(h.tier is Tier.MASK for h in verdict.hits) and verdict.action is not Action.BLOCK:
        review_id = derived_id(once, "review") if once else new_id()
        reviews.append((review_id, log_id))
        out["review_id"] = review_id
    if verdict.action is Action.WARN:
        category = next(h.category for h in verdict.hits if h.tier is Tier.WARN)
        token, exp = ack_token(rt.settings.secret, request_id, subject.conversation_id, log_id, rt.settings.ack_ttl_s)
        out["warning"] = {"message": rt.settings.warning(category), "ack_token": token,
                          "expires_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(exp))}
        body["warning"] = out["warning"]["message"]
    if verdict.action is Action.BLOCK:
        category = next(h.category for h in verdict.hits if h.tier is Tier.BLOCK)
        out["refusal"] = rt.settings.refusal(category)
    record = NewRecord(
        kind="verdict", body=body, id=log_id, request_id=request_id, conversation_id=subject.conversation_id,
        user_id=subject.user_id, service_id=subject.service_id, direction=subject.direction,
        action=verdict.action.value, lexicon_version=verdict.lexicon_version, once=once is not None,
    )
    out["log_id"] = log_id
    if verdict.action is not Action.BLOCK:
        rt.writer.submit([record], reviews)
        return Outcome(out, None)
    if not rt.writer.healthy:
        raise StoreUnavailable(rt.writer.last_error or "audit store unavailable")
    return Outcome(out, rt.writer.submit_waiting([record], reviews))
