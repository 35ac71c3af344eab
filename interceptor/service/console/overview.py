"""The overview: ``/console/overview`` (admin) — traffic, actions, categories, terms,
check latency and the audit queue over the last hour and day."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response

from interceptor.audit.records import iso
from interceptor.service import metrics
from interceptor.service.console import render, stats
from interceptor.service.console.access import needs, runtime
from interceptor.service.console.session import Session
from interceptor.service.operations import _store

WINDOWS = ((3600, "hour"), (86400, "day"))


def sampler(request: Request) -> stats.Sampler:
    return request.app.state.sampler  # type: ignore[no-any-return]


@needs("admin")
async def overview(request: Request, session: Session) -> Response:
    rt = runtime(request)
    now = stats.read(metrics.registry())
    windows = [(label, sampler(request).window(seconds, now)) for seconds, label in WINDOWS]
    at = datetime.now(UTC)
    terms = [(label, await _store(stats.top_terms, rt.store, iso(at - timedelta(seconds=seconds))))
             for seconds, label in WINDOWS]
    return await render.page(request, "overview.html", session, windows=windows, terms=dict(terms), recent=stats.RECENT,
                       queue_depth=rt.writer.depth, store_ok=rt.writer.healthy, version=rt.guard.version,
                       started=rt.started)
