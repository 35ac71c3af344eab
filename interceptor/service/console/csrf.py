"""CSRF protection for every console form.

Signed-in forms carry the session's nonce in a hidden ``csrf`` field; the sign-in form,
before any session exists, carries a nonce whose signed copy is in a short-lived cookie
(double submit). A cross-site page can neither read the nonce nor, with
``SameSite=Strict``, send the cookies — either check alone would stop it.
"""
from __future__ import annotations

import hmac
import secrets
import time

from starlette.requests import Request

from interceptor.service.settings import Settings
from interceptor.service.tokens import TokenError, sign, verify

FIELD = "csrf"
SIGNIN_COOKIE = "interceptor_console_signin"
SIGNIN_TTL_S = 3600
_PURPOSE = "console-signin"


def matches(expected: str, form: dict[str, str]) -> bool:
    return hmac.compare_digest(expected.encode(), form.get(FIELD, "").encode())


def signin_nonce(settings: Settings) -> tuple[str, str]:
    """A nonce for the sign-in form and the signed cookie value that vouches for it."""
    nonce = secrets.token_urlsafe(24)
    return nonce, sign(settings.secret, {"n": nonce, "exp": int(time.time()) + SIGNIN_TTL_S}, _PURPOSE)


def signin_ok(settings: Settings, request: Request, form: dict[str, str]) -> bool:
    value = request.cookies.get(SIGNIN_COOKIE)
    if not value:
        return False
    try:
        nonce = verify(settings.secret, value, _PURPOSE).get("n")
    except TokenError:
        return False
    return isinstance(nonce, str) and matches(nonce, form)
