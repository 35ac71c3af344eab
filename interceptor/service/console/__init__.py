"""The console: pages for reviewers, auditors and ops, served by the service itself.

``mount(app)`` adds ``/console`` (a Starlette app of its own: server-rendered Jinja2 pages,
a small local script, a stylesheet — nothing from another origin) and an offline ``/docs``.
Signing in takes the same scoped tokens as the API; every page reuses the API's own
functions (``decide``, ``log_pages``, ``serving_lexicon``, holds, ``Runtime.reload``) and
the service's metrics, so the console can do nothing the API could not.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route, request_response
from starlette.staticfiles import StaticFiles

from interceptor.service.console import docs, lexicon, logs, overview, render, reviews, signin, stats
from interceptor.service.console.headers import DOCS_CSP, SecurityHeaders
from interceptor.service.console.session import read
from interceptor.service.errors import ApiError

log = logging.getLogger("interceptor.service.console")
LANDING: dict[str, Callable[[Request], Awaitable[Response]]] = {
    "reviewer": reviews.queue, "auditor": logs.logs, "admin": overview.overview}


async def landing(request: Request) -> Response:
    """``/console/``: the reviewer's queue, the auditor's log, the admin's overview."""
    session = read(request.app.state.service.state.runtime.settings, request)
    view = LANDING[session.scope] if session is not None else reviews.queue  # signed out: to the sign-in page
    return await view(request)


def _session(request: Request) -> Any:
    try:
        return read(request.app.state.service.state.runtime.settings, request)
    except AttributeError:
        return None


async def api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return await render.page(request, "error.html", _session(request), status=exc.status, code=exc.code,
                       message=exc.message)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return await render.page(request, "error.html", _session(request), status=exc.status_code, code=code, message=None)


async def internal_error(request: Request, exc: Exception) -> Response:
    return await render.page(request, "error.html", None, status=500, code="internal", message=None)


async def to_console(request: Request) -> Response:
    return RedirectResponse(f"{request.scope.get('root_path', '')}/console/", status_code=303)


def console_app(service: FastAPI) -> Starlette:
    routes = [
        Route("/", landing),
        Route("/login", signin.login_page, methods=["GET"]),
        Route("/login", signin.login, methods=["POST"]),
        Route("/logout", signin.logout, methods=["POST"]),
        Route("/queue", reviews.queue, methods=["GET"]),
        Route("/queue/{review_id}", reviews.decide_item, methods=["POST"]),
        Route("/logs", logs.logs, methods=["GET"]),
        Route("/logs/export", logs.export, methods=["GET"]),
        Route("/logs/verify", logs.verify, methods=["POST"]),
        Route("/logs/{log_id}", logs.record, methods=["GET"]),
        Route("/holds", logs.holds, methods=["GET"]),
        Route("/holds", logs.hold, methods=["POST"]),
        Route("/lexicon", lexicon.lexicon, methods=["GET"]),
        Route("/lexicon/reload", lexicon.reload, methods=["POST"]),
        Route("/lexicon/try", lexicon.playground, methods=["POST"]),
        Route("/overview", overview.overview, methods=["GET"]),
        Mount("/static", StaticFiles(packages=[("interceptor.service.console", "static")]), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={ApiError: api_error, HTTPException: http_error,
                                                       Exception: internal_error})
    app.state.service = service
    app.state.sampler = stats.Sampler(time.time())
    return app


def mount(app: FastAPI) -> None:
    """Add ``/console`` and ``/docs`` to the service, and the console's minute sampler to its lifespan."""
    console = console_app(app)
    app.router.routes.append(Route("/console", SecurityHeaders(request_response(to_console)), methods=["GET"],
                                   include_in_schema=False))
    app.router.routes.append(Mount("/console", app=SecurityHeaders(console)))
    app.router.routes.append(Route("/docs", SecurityHeaders(request_response(docs.docs), DOCS_CSP), methods=["GET"],
                                   include_in_schema=False))
    app.router.routes.append(Mount("/docs/assets", app=SecurityHeaders(docs.SwaggerAssets(), DOCS_CSP)))
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a: Any) -> AsyncIterator[Any]:
        async with inner(a) as state:
            sampler: stats.Sampler = console.state.sampler
            sampler.started = time.time()
            task = asyncio.create_task(sampler.run(), name="console-sampler")
            try:
                yield state
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    app.router.lifespan_context = lifespan
