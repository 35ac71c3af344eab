"""Bearer tokens with scopes: ``service``, ``reviewer``, ``auditor``, ``admin`` (every scope).

The service routes are open while no service token is set (a sidecar on loopback); the
reviewer, auditor and admin routes are closed — 403 with how to open them — while neither
their token nor the admin token is set. Tokens are compared in constant time and never
logged.
"""
from __future__ import annotations

import hmac

from fastapi import Request

from interceptor.service.errors import ApiError
from interceptor.service.settings import Settings

SCOPES = ("service", "reviewer", "auditor", "admin")


def _presented(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def require(settings: Settings, request: Request, scope: str) -> None:
    own = getattr(settings, f"{scope}_token")
    if scope == "service" and not own:
        return  # open until a service token is set: a sidecar on loopback
    accepted = [t for t in (own, settings.admin_token) if t]
    if not accepted:
        also = "" if scope == "admin" else " (or INTERCEPTOR_ADMIN_TOKEN)"
        raise ApiError(403, "forbidden", f"{scope} routes are closed: set INTERCEPTOR_{scope.upper()}_TOKEN{also} "
                                         "to open them")
    presented = _presented(request)
    if presented is None:
        raise ApiError(401, "unauthorized", f"a bearer token with the {scope} scope is required")
    ok = False
    for token in accepted:  # compare with every accepted token, in constant time
        ok |= hmac.compare_digest(presented.encode(), token.encode())
    if not ok:
        raise ApiError(401, "unauthorized", "the bearer token is not valid for this route")
