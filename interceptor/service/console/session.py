"""Console sessions: a signed, expiring cookie made at sign-in with one of the scoped tokens.

The cookie is ``tokens.sign`` (HMAC-SHA256 with ``INTERCEPTOR_SECRET``) of the scope, the
name the person gave, a CSRF nonce, an expiry and a fingerprint of the token used: a
session ends when it expires, when the secret changes, or when that scope's token is
rotated. It is HttpOnly, ``SameSite=Strict`` and, over TLS (or ``X-Forwarded-Proto: https``
from a proxy uvicorn trusts), ``Secure``. The token itself is never stored or logged.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import deque
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from interceptor.service.settings import Settings
from interceptor.service.tokens import TokenError, sign, verify

COOKIE = "interceptor_console"
TTL_S = 8 * 3600  # one working day
PURPOSE = "console-session"
SCOPES = ("reviewer", "auditor", "admin")  # the scopes that may sign in; admin holds the other two


@dataclass(frozen=True)
class Session:
    scope: str
    name: str
    csrf: str
    expires: int

    def allows(self, scope: str) -> bool:
        return self.scope in ("admin", scope)


def _fingerprint(token: str) -> str:
    return hashlib.sha256(b"console\0" + token.encode()).hexdigest()[:16]


def scope_of(settings: Settings, presented: str) -> str | None:
    """The broadest console scope whose token this is; every configured token is compared,
    in constant time, whichever matches."""
    found = None
    for scope in SCOPES:  # in order of breadth: the last match wins
        token: str = getattr(settings, f"{scope}_token")
        if token and hmac.compare_digest(presented.encode(), token.encode()):
            found = scope
    return found


def issue(settings: Settings, scope: str, name: str, now: float | None = None) -> tuple[Session, str]:
    """A new session and its cookie value."""
    session = Session(scope, name, secrets.token_urlsafe(24), int((now or time.time()) + TTL_S))
    value = sign(settings.secret, {"s": scope, "n": name, "c": session.csrf, "exp": session.expires,
                                   "t": _fingerprint(getattr(settings, f"{scope}_token"))}, PURPOSE)
    return session, value


def read(settings: Settings, request: Request, now: float | None = None) -> Session | None:
    """The request's session, or None if it has none, a forged, expired or revoked one."""
    value = request.cookies.get(COOKIE)
    if not value:
        return None
    try:
        p = verify(settings.secret, value, PURPOSE, now)
    except TokenError:
        return None
    scope, name, csrf, exp, fp = p.get("s"), p.get("n"), p.get("c"), p.get("exp"), p.get("t")
    if scope not in SCOPES or not isinstance(name, str) or not isinstance(csrf, str) or not isinstance(exp, int):
        return None
    token: str = getattr(settings, f"{scope}_token")
    if not token or not isinstance(fp, str) or not hmac.compare_digest(fp, _fingerprint(token)):
        return None  # the scope's token was rotated or removed: the session ends with it
    return Session(scope, name, csrf, exp)


def secure(request: Request) -> bool:
    """Over TLS: uvicorn rewrites the scheme from X-Forwarded-Proto for the proxies it trusts."""
    return request.url.scheme == "https"


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path=request.scope.get("root_path") or "/",
                        secure=secure(request), httponly=True, samesite="strict")


def clear_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, path=request.scope.get("root_path") or "/", secure=secure(request),
                           httponly=True, samesite="strict")


class SignInLimiter:
    """Failed sign-ins over a sliding window, per client address and in all.

    A client past ``per_client`` failures, or everyone once ``overall`` failures came in the
    window, waits until the oldest of them leaves it. Only failures that were let through
    are counted, so at most ``overall`` entries are ever kept.
    """

    def __init__(self, per_client: int = 5, overall: int = 100, window_s: float = 60.0):
        self.per_client, self.overall, self.window_s = per_client, overall, window_s
        self._all: deque[float] = deque()
        self._by_client: dict[str, deque[float]] = {}

    def _prune(self, now: float) -> None:
        cutoff = now - self.window_s
        while self._all and self._all[0] <= cutoff:
            self._all.popleft()
        for client in list(self._by_client):
            times = self._by_client[client]
            while times and times[0] <= cutoff:
                times.popleft()
            if not times:
                del self._by_client[client]

    def wait(self, client: str, now: float | None = None) -> float:
        """Seconds this client must wait before trying again; 0 when it may try now."""
        now = time.monotonic() if now is None else now
        self._prune(now)
        mine = self._by_client.get(client)
        waits = [0.0]
        if mine is not None and len(mine) >= self.per_client:
            waits.append(mine[0] + self.window_s - now)
        if len(self._all) >= self.overall:
            waits.append(self._all[0] + self.window_s - now)
        return max(waits)

    def failed(self, client: str, now: float | None = None) -> int:
        """Count a failure; the client's failures in the window."""
        now = time.monotonic() if now is None else now
        self._all.append(now)
        mine = self._by_client.setdefault(client, deque())
        mine.append(now)
        return len(mine)
