"""Sign-in and sign-out: ``GET/POST /console/login``, ``POST /console/logout``.

A failed sign-in is logged with the client's address and never the token presented, and
counted: past five a minute from one address (or a hundred from all) the form answers 429
until the window clears.
"""
from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from interceptor.service.console import csrf, render, session
from interceptor.service.console.access import local_path, runtime
from interceptor.service.console.forms import read_form

log = logging.getLogger("interceptor.service.console")
LIMITER = session.SignInLimiter()
NAME_MAX = 64


async def _form(request: Request, status: int = 200, error: str | None = None, wait: int = 0) -> Response:
    nonce, cookie = csrf.signin_nonce(runtime(request).settings)
    response = await render.page(request, "login.html", None, status=status, nonce=nonce, error=error, wait=wait,
                           next=local_path(request, request.query_params.get("next")))
    session.set_cookie(response, request, csrf.SIGNIN_COOKIE, cookie, csrf.SIGNIN_TTL_S)
    if wait:
        response.headers["retry-after"] = str(wait)
    return response


async def login_page(request: Request) -> Response:
    """The sign-in form; signed in already, the page asked for."""
    if session.read(runtime(request).settings, request) is not None:
        return RedirectResponse(local_path(request, request.query_params.get("next")), status_code=303)
    return await _form(request)


async def login(request: Request) -> Response:
    settings = runtime(request).settings
    client = request.client.host if request.client else "unknown"
    form = await read_form(request)
    if not csrf.signin_ok(settings, request, form):
        return await _form(request, 403, "csrf")
    wait = LIMITER.wait(client)
    if wait > 0:
        log.warning("console sign-in from %s refused: too many failures, retry in %.0f s", client, wait)
        return await _form(request, 429, "too_many", int(wait) + 1)
    scope = session.scope_of(settings, form.get("token", "").strip())
    if scope is None:
        failures = LIMITER.failed(client)
        log.warning("console sign-in from %s failed: the token matches no reviewer, auditor or admin token "
                    "(%d failures from it in the last minute)", client, failures)
        return await _form(request, 401, "bad_token")
    name = " ".join(form.get("name", "").split())[:NAME_MAX] or scope
    _, cookie = session.issue(settings, scope, name)
    log.info("console sign-in from %s as %s (%s)", client, scope, name)
    response = RedirectResponse(local_path(request, form.get("next")), status_code=303)
    session.set_cookie(response, request, session.COOKIE, cookie, session.TTL_S)
    session.clear_cookie(response, request, csrf.SIGNIN_COOKIE)
    return response


async def logout(request: Request) -> Response:
    """Ends the session (a forged sign-out needs the nonce too: it would only annoy)."""
    settings = runtime(request).settings
    current = session.read(settings, request)
    form = await read_form(request)
    base = request.scope.get("root_path", "")
    response = RedirectResponse(f"{base}/login", status_code=303)
    if current is not None and csrf.matches(current.csrf, form):
        session.clear_cookie(response, request, session.COOKIE)
    return response
