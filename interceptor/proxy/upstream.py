"""The model API behind the proxy: one HTTP client, and every way it can fail named.

A failure is an answer the client can read — 502 when the upstream refused the connection,
closed it, or answered something that is not what was asked for; 504 when it did not answer
within ``[proxy] upstream_timeout_s`` — and one log line saying which, never a traceback.
The timeout bounds a plain answer as a whole and a stream between two of its reads (a long
generation may stream for longer than any one wait).
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

import httpx

from interceptor.proxy.errors import ProxyError, upstream

log = logging.getLogger("interceptor.proxy")

# headers of one hop, and those the proxy sets itself on the bodies it re-serialises
HOP_HEADERS = frozenset({"host", "content-length", "connection", "keep-alive", "transfer-encoding", "te", "trailer",
                         "upgrade", "proxy-authorization", "proxy-authenticate", "accept-encoding",
                         "content-encoding"})


def failure(exc: BaseException, what: str, timeout: float) -> ProxyError:
    """The error for an upstream failure, logged once."""
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        err = upstream(504, "upstream_timeout", f"the model API did not answer within {timeout:g} s")
    elif isinstance(exc, httpx.ConnectError):
        err = upstream(502, "upstream_unreachable", f"the model API cannot be reached: {exc or type(exc).__name__}")
    else:
        err = upstream(502, "upstream_error", f"the model API failed: {exc or type(exc).__name__}")
    log.warning("%s: %s (%s)", err.code, what, err.message)
    return err


def bad_answer(what: str, why: str) -> ProxyError:
    err = upstream(502, "upstream_bad_answer", f"the model API answered something unreadable: {why}")
    log.warning("%s: %s (%s)", err.code, what, why)
    return err


class Upstream:
    def __init__(self, base: str, timeout: float):
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.client = httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)))

    async def close(self) -> None:
        await self.client.aclose()

    def _request(self, method: str, path: str, headers: Mapping[str, str], params: str,
                 content: bytes | None) -> httpx.Request:
        sent = {k: v for k, v in headers.items() if k.lower() not in HOP_HEADERS}
        if content is not None:
            sent["content-type"] = "application/json"
        url = self.base + path + (f"?{params}" if params else "")
        return self.client.build_request(method, url, headers=sent, content=content)

    async def call(self, method: str, path: str, headers: Mapping[str, str], params: str = "",
                   content: bytes | None = None) -> httpx.Response:
        """One whole answer, read within the timeout."""
        request = self._request(method, path, headers, params, content)
        try:
            async with asyncio.timeout(self.timeout):
                return await self.client.send(request)
        except (httpx.HTTPError, TimeoutError) as e:
            raise failure(e, f"{method} {path}", self.timeout) from None

    async def open_stream(self, path: str, headers: Mapping[str, str], params: str,
                          content: bytes) -> httpx.Response:
        """A streamed answer, its status and headers read; the caller reads the body and closes it."""
        request = self._request("POST", path, headers, params, content)
        try:
            async with asyncio.timeout(self.timeout):
                return await self.client.send(request, stream=True)
        except (httpx.HTTPError, TimeoutError) as e:
            raise failure(e, f"POST {path}", self.timeout) from None


def answer_headers(headers: httpx.Headers, drop: frozenset[str] = frozenset()) -> dict[str, str]:
    """The upstream's answer headers that the proxy passes on."""
    return {k: v for k, v in headers.items() if k.lower() not in HOP_HEADERS and k.lower() not in drop}
