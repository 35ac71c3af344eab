"""The review queue: ``/console/queue``.

Pending items oldest first, each with its original text (hits marked with term, category,
tier and variant), the masked text and the conversation's other logged turns; confirm or
dismiss with a note. Deciding goes through the same ``decide`` as ``POST /v1/reviews/{id}``:
an item decided elsewhere in the meantime comes back as a conflict, never a second decision.
"""
from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any, NamedTuple
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from interceptor.audit.records import Record, parse_time
from interceptor.audit.store import AuditStore, Query
from interceptor.service.console import render
from interceptor.service.console.access import needs, posts, runtime
from interceptor.service.console.session import Session
from interceptor.service.errors import ApiError
from interceptor.service.operations import _store, decide
from interceptor.service.responses import JSONResponse

PAGE = 10          # items on one page of the queue
COUNT_MOST = 500   # pending items read for the counts by category and age (the oldest)
CONTEXT = 4        # the conversation's logged turns shown before and after an item
AGES = ((3600, "age_hour"), (86400, "age_day"), (7 * 86400, "age_week"), (None, "age_older"))


class Item(NamedTuple):
    review: dict[str, Any]
    record: dict[str, Any] | None
    context: list[dict[str, Any]]


class Counts(NamedTuple):
    total: int
    capped: bool
    by_category: list[tuple[str, int]]
    by_age: list[tuple[str, int]]


def _context(store: AuditStore, record: Record, cache: dict[str, list[Record]]) -> list[dict[str, Any]]:
    cid = record.conversation_id
    if not cid:
        return []
    if cid not in cache:
        cache[cid] = store.query(Query(kind="verdict", conversation_id=cid, limit=200))
    turns = cache[cid]
    here = next((i for i, r in enumerate(turns) if r.seq == record.seq), None)
    if here is None:
        return []
    near = turns[max(0, here - CONTEXT):here] + turns[here + 1:here + 1 + CONTEXT]
    return [dict(r.to_dict(), before=r.seq < record.seq) for r in near]


def load_page(store: AuditStore, after: str | None) -> list[Item]:
    """One page of pending items with their records and context (one worker thread)."""
    cache: dict[str, list[Record]] = {}
    items = []
    for review in store.reviews("pending", after, PAGE):
        record = store.get(review["log_id"])
        items.append(Item(review, record.to_dict() if record else None,
                          _context(store, record, cache) if record else []))
    return items


def count_pending(store: AuditStore, now: datetime) -> Counts:
    """Counts by category and age over the first ``COUNT_MOST`` pending items."""
    reviews = store.reviews("pending", None, COUNT_MOST)
    categories: Counter[str] = Counter()
    ages: Counter[str] = Counter()
    for r in reviews:
        categories.update({h.get("category", "?") for h in r.get("hits", []) if h.get("tier") == "mask"})
        try:
            age = (now - parse_time(r["created"])).total_seconds()
        except (KeyError, TypeError, ValueError):
            continue
        ages[next(label for limit, label in AGES if limit is None or age < limit)] += 1
    return Counts(len(reviews), len(reviews) >= COUNT_MOST, categories.most_common(),
                  [(label, ages[label]) for _, label in AGES])


@needs("reviewer")
async def queue(request: Request, session: Session) -> Response:
    """Pending items, oldest first."""
    rt = runtime(request)
    after = request.query_params.get("after") or None
    items: list[Item] = await _store(load_page, rt.store, after)
    counts: Counts = await _store(count_pending, rt.store, datetime.now(UTC))
    at = request.query_params.get("at", "0")
    conflict = request.query_params.get("conflict")
    return await render.page(
        request, "queue.html", session, items=items, counts=counts, after=after,
        at=int(at) if at.isdigit() else 0, conflict=conflict,
        was=request.query_params.get("was") if request.query_params.get("was") in ("confirm", "dismiss") else None,
        decided=request.query_params.get("decided"),
        more=items[-1].review["id"] if len(items) == PAGE else None)


@posts("reviewer")
async def decide_item(request: Request, session: Session, form: dict[str, str]) -> Response:
    """Confirm or dismiss one item; back to the queue at the same place (or, asked by the
    page's script, the outcome as JSON)."""
    review_id = str(request.path_params["review_id"])
    decision = form.get("decision", "")
    if decision not in ("confirm", "dismiss"):
        raise ApiError(422, "invalid_form", "decision must be confirm or dismiss")
    note = form.get("note", "").strip()[:10_000] or None
    back: dict[str, str] = {"at": form.get("at", "0") if form.get("at", "0").isdigit() else "0"}
    if form.get("after"):
        back["after"] = form["after"]
    try:
        await decide(runtime(request), review_id, decision, session.name, note)
        back["decided"] = review_id
    except ApiError as e:
        if e.status != 409:
            raise
        back["conflict"] = review_id
        back["was"] = "dismiss" if "(dismiss)" in e.message else "confirm"
    if request.headers.get("x-console") == "fetch":  # the page's script: it updates the list itself
        return JSONResponse({k: v for k, v in back.items() if k in ("decided", "conflict", "was")})
    base = request.scope.get("root_path", "")
    return RedirectResponse(f"{base}/queue?{urlencode(back)}", status_code=303)
