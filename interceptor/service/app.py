"""The FastAPI application: routes, JSON errors, the body limit, the OpenAPI schema.

``create_app(settings)`` builds an app for one process; ``app_from_env`` is the factory
uvicorn's workers import (``--workers N``), reading the settings the command line put in
the environment.
"""
from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import orjson
from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from interceptor import __version__
from interceptor.service import console, metrics, models
from interceptor.service.errors import ApiError, error_response
from interceptor.service.moderation import router as moderation_router
from interceptor.service.operations import router as operations_router
from interceptor.service.responses import JSONResponse
from interceptor.service.runtime import Runtime
from interceptor.service.settings import Settings

log = logging.getLogger("interceptor.service")
SETTINGS_ENV = "INTERCEPTOR_SETTINGS_JSON"


class BodyLimit:
    """413 for a body over the limit — from Content-Length before reading anything, or as
    soon as a chunked body grows past it — so no oversized body is ever buffered whole."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = False
                if too_big:
                    await self._reject(send)
                    return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return msg

        tracking = _Tracking(send)
        try:
            await self.app(scope, limited, tracking)
        except _TooLarge:
            if not tracking.started:
                await self._reject(send)

    async def _reject(self, send: Send) -> None:
        body = orjson.dumps({"error": {"code": "payload_too_large",
                                       "message": f"the body is larger than {self.limit} bytes"}})
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class _Tracking:
    """A send that remembers whether the response has started (after that, no error answer)."""

    __slots__ = ("send", "started")

    def __init__(self, send: Send):
        self.send = send
        self.started = False

    async def __call__(self, msg: Message) -> None:
        if msg["type"] == "http.response.start":
            self.started = True
        await self.send(msg)


class InFlightLimit:
    """503 ``overloaded`` with Retry-After once ``limit`` requests are in progress: under a
    flood, callers are told to come back instead of piling up in memory. Probes and metrics
    are never turned away."""

    EXEMPT = frozenset({"/healthz", "/readyz", "/metrics"})

    def __init__(self, app: ASGIApp, limit: int, count: InFlight | None = None):
        self.app = app
        self.limit = limit
        self.count = count or InFlight()  # shared by the hot routes' front and the app's stack

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in self.EXEMPT:
            await self.app(scope, receive, send)
            return
        count = self.count
        if count.active >= self.limit:
            metrics.OVERLOADED.inc()
            body = orjson.dumps({"error": {"code": "overloaded",
                                           "message": f"more than {self.limit} requests in progress; retry shortly"}})
            await send({"type": "http.response.start", "status": 503,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(body)).encode()), (b"retry-after", b"1")]})
            await send({"type": "http.response.body", "body": body})
            return
        count.active += 1
        try:
            await self.app(scope, receive, send)
        finally:
            count.active -= 1


class InFlight:
    """Requests in progress, counted once however many fronts they come through."""

    __slots__ = ("active",)

    def __init__(self) -> None:
        self.active = 0


class ServiceApp(FastAPI):
    """The FastAPI app, whose hot routes skip FastAPI's and Starlette's outer layers.

    A POST to a hot route goes through the in-flight limit, the body limit and ``HotRoutes``
    alone (``front``); every other request takes the whole stack, where the same limits run
    (one in-flight count for both). The layers skipped — Starlette's error middleware, FastAPI's
    telemetry and body-limit wrappers — cost about a sixth of the service's own time per
    request; an unexpected error on a hot route is still logged and answered 500.
    """

    front: HotRoutes | None = None
    front_stack: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        front = self.front
        if front is not None and scope["type"] == "http" and scope["method"] == "POST" \
                and front.handler(scope) is not None and self.front_stack is not None:
            scope["app"] = self
            await self.front_stack(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def create_app(settings: Settings, runtime: Runtime | None = None) -> ServiceApp:
    settings = settings.with_secret()
    if not os.environ.get("INTERCEPTOR_SECRET") and runtime is None:
        log.warning("no INTERCEPTOR_SECRET set: acknowledgement tokens verify only in this process")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        rt = runtime or Runtime(settings)
        app.state.runtime = rt
        await rt.start()
        try:
            yield
        finally:
            await rt.stop()

    app = ServiceApp(title="Interceptor", version=__version__, default_response_class=JSONResponse,
                  lifespan=lifespan, description="Keyword interception for AI chat services.",
                  docs_url=None, redoc_url=None)  # /docs is the console's, offline
    if runtime is not None:
        app.state.runtime = runtime
    app.include_router(moderation_router)
    app.include_router(operations_router)
    console.mount(app)

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return exc.response()

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid_request", str(exc.errors()[:3]))

    @app.exception_handler(Exception)
    async def internal_error(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return error_response(500, "internal", "internal error")

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for model in (models.ModerateRequest, models.BatchRequest, models.StreamRequest, models.AcknowledgeRequest,
                          models.DecisionRequest, models.HoldRequest):
                js = model.model_json_schema(ref_template="#/components/schemas/{model}")
                components.update(js.pop("$defs", {}))
                components[model.__name__] = js
            components["Error"] = ERROR_SCHEMA
            for operation in (op for ops in schema.get("paths", {}).values() for op in ops.values()):
                operation.setdefault("responses", {})["default"] = {  # every 4xx and 503 has this shape
                    "description": "An error: 4xx for the client's mistakes, 503 with Retry-After to retry",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    openapi()  # documented from the FastAPI routes
    count = InFlight()
    app.add_middleware(HotRoutes, router=moderation_router, paths=HOT_ROUTES)  # innermost: after the limits
    app.add_middleware(BodyLimit, limit=settings.body_limit)  # images: room for them
    app.add_middleware(InFlightLimit, limit=settings.max_in_flight, count=count)  # outermost: checked first
    app.front = HotRoutes(_unreachable, router=moderation_router, paths=HOT_ROUTES)
    app.front_stack = InFlightLimit(BodyLimit(_Guarded(app.front), limit=settings.body_limit),
                                    limit=settings.max_in_flight, count=count)
    return app


async def _unreachable(scope: Scope, receive: Receive, send: Send) -> None:
    raise RuntimeError(f"no hot route for {scope.get('path')!r}")  # ServiceApp sends only what it holds


class _Guarded:
    """What Starlette's error middleware does for the rest of the app: an unexpected error is
    logged and answered 500 (if nothing was sent yet), then raised again for the server."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        tracking = _Tracking(send)
        try:
            await self.app(scope, receive, tracking)
        except _TooLarge:
            raise  # the body limit's own answer
        except Exception:
            log.exception("unhandled error")
            if not tracking.started:
                await error_response(500, "internal", "internal error")(scope, receive, send)
            raise


HOT_ROUTES = ("/v1/moderate", "/v1/moderate/batch", "/v1/moderate/stream")
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"}, "detail": {}}}}}


class HotRoutes:
    """POST to the routes every request of an AI service takes goes straight to its handler.

    Their handlers read and validate the body themselves (``models.read_model``) and raise
    ``ApiError`` for every client error, so FastAPI's exception, exit-stack and routing
    layers and its parameter solving add nothing but time on the hottest path (about half
    the service's own cost per request). The body and in-flight limits still run before
    this, and an unexpected error still reaches the app's 500 handler; other methods and
    paths go on to the router as before. The FastAPI routes stay for the OpenAPI schema.
    """

    def __init__(self, app: ASGIApp, router: APIRouter, paths: tuple[str, ...]):
        from fastapi.routing import APIRoute

        self.app = app
        self.handlers: dict[str, Handler] = {
            route.path: route.endpoint for route in router.routes
            if isinstance(route, APIRoute) and route.path in paths and "POST" in (route.methods or ())}

    def handler(self, scope: Scope) -> Handler | None:
        path, root = scope["path"], scope.get("root_path", "")
        return self.handlers.get(path[len(root):] if root and path.startswith(root) else path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            handler = self.handler(scope)
            if handler is not None:
                try:
                    response = await handler(Request(scope, receive, send))
                except ApiError as exc:
                    response = exc.response()
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def app_from_env() -> ServiceApp:
    """The factory uvicorn workers import: settings come from the environment."""
    raw = os.environ.get(SETTINGS_ENV)
    settings = Settings(**orjson.loads(raw)) if raw else Settings()
    return create_app(settings)


Handler = Callable[[Request], Awaitable[Any]]
