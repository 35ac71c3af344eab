"""Errors in the shape OpenAI clients read: ``{"error": {"message", "type", "param", "code"}}``.

A client of the proxy is an OpenAI SDK, so every refusal and failure is one it can show:
a JSON error answer before the stream starts, an SSE ``data: {"error": ...}`` event once it
has (the SDKs raise on it, where a bare ``[DONE]`` would pass a cut answer off as whole).
"""
from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from interceptor.service.responses import JSONResponse


class ProxyError(Exception):
    """A request the proxy will not or cannot carry out, and why."""

    def __init__(self, status: int, code: str, message: str, kind: str = "invalid_request_error",
                 headers: dict[str, str] | None = None, extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.kind = kind
        self.headers = headers
        self.extra = extra

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"message": self.message, "type": self.kind, "param": None, "code": self.code}
        out: dict[str, Any] = {"error": error}
        if self.extra:
            out["interceptor"] = self.extra
        return out

    def response(self) -> Response:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers)

    def event(self) -> bytes:
        """The error as the last event of a stream."""
        return b"data: " + orjson.dumps(self.body()) + b"\n\n"


def invalid(code: str, message: str) -> ProxyError:
    """400: something in the request the proxy cannot check or will not forward."""
    return ProxyError(400, code, message)


def upstream(status: int, code: str, message: str) -> ProxyError:
    """502/504: the model API failed; the proxy says how, never passes on a part as a whole."""
    return ProxyError(status, code, message, kind="upstream_error")
