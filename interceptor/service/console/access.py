"""Who may see what: every console route names the scope it needs.

Signed out, a page sends the browser to the sign-in page (and back afterwards); signed in
without the scope, it answers 403 with a page saying so. Posted forms also need the
session's CSRF nonce.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from interceptor.service.console import csrf, render
from interceptor.service.console.forms import read_form
from interceptor.service.console.session import Session, read
from interceptor.service.runtime import Runtime

Page = Callable[[Request, Session], Awaitable[Response]]
FormPage = Callable[[Request, Session, dict[str, str]], Awaitable[Response]]


def runtime(request: Request) -> Runtime:
    return request.app.state.service.state.runtime  # type: ignore[no-any-return]


def local_path(request: Request, target: str | None) -> str:
    """``target`` if it is a console path on this origin, else the console's landing page:
    a ``next`` parameter must never send anyone elsewhere."""
    base: str = request.scope.get("root_path", "")
    if target and target.startswith(base + "/") and not target.startswith("//") and "\\" not in target \
            and all(c.isprintable() for c in target):
        return target
    return base + "/"


def _signin(request: Request) -> RedirectResponse:
    base = request.scope.get("root_path", "")
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        here = f"{base}/"  # back to a form's page, not to its handler
    return RedirectResponse(f"{base}/login?next={quote(here, safe='')}", status_code=303)


async def _admit(request: Request, scope: str, form: bool) -> tuple[Session, dict[str, str]] | Response:
    """The session and form of a request that may go on, or the answer that stops it:
    to the sign-in page, 403 for a bad CSRF nonce (forms) or a scope the session lacks."""
    session = read(runtime(request).settings, request)
    if session is None:
        return _signin(request)
    fields = await read_form(request) if form else {}
    if form and not csrf.matches(session.csrf, fields):
        return await render.page(request, "error.html", session, status=403, code="csrf", message=None)
    if not session.allows(scope):
        return await render.page(request, "error.html", session, status=403, code="forbidden", message=None)
    return session, fields


def needs(scope: str) -> Callable[[Page], Callable[[Request], Awaitable[Response]]]:
    """A page for sessions with ``scope`` (admin has every scope)."""
    def wrap(view: Page) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            admitted = await _admit(request, scope, form=False)
            return admitted if isinstance(admitted, Response) else await view(request, admitted[0])
        endpoint.__doc__ = view.__doc__
        return endpoint
    return wrap


def posts(scope: str) -> Callable[[FormPage], Callable[[Request], Awaitable[Response]]]:
    """A form handler for sessions with ``scope``, after the CSRF check."""
    def wrap(view: FormPage) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            admitted = await _admit(request, scope, form=True)
            return admitted if isinstance(admitted, Response) else await view(request, *admitted)
        endpoint.__doc__ = view.__doc__
        return endpoint
    return wrap
