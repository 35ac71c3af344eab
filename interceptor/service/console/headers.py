"""Security headers on every console response — pages, redirects, errors, static files.

The Content-Security-Policy allows scripts, styles, images and requests from this origin
only, with no inline script or style and no ``eval``: an injected ``<script>``, ``onerror=``
attribute or ``style=`` would not run even if it got past the escaping. Pages may not be
framed (``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``) and send no referrer.
"""
from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONSOLE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
               "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
# Swagger UI sets style attributes at run time and shows data: images; still no inline
# script, and every file comes from this origin.
DOCS_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


class SecurityHeaders:
    def __init__(self, app: ASGIApp, csp: str = CONSOLE_CSP):
        self.app = app
        self.csp = csp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["content-security-policy"] = self.csp
                headers["x-frame-options"] = "DENY"
                headers["referrer-policy"] = "no-referrer"
                headers["x-content-type-options"] = "nosniff"
                headers["cross-origin-opener-policy"] = "same-origin"
                if "cache-control" not in headers:
                    headers["cache-control"] = "no-store"  # pages show audit data: never cached
            await send(message)

        await self.app(scope, receive, with_headers)
