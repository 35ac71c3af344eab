"""Calling an Interceptor sidecar from an AI service: ``check`` and ``guard_stream``.

    from interceptor.client import Client, Blocked

    guard = Client("http://127.0.0.1:8080")
    guard.check("some prompt")["action"]
    for text in guard.guard_stream(delta for delta in model_output):   # an OpenAI stream's deltas, say
        send_to_user(text)                                              # only released text

``guard_stream`` raises ``Blocked`` (with the refusal) when the output hits a block term;
with ``raise_on_block=False`` it just stops. ``AsyncClient`` is the same for asyncio.
"""
from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Any

import httpx


class Blocked(Exception):
    """The text or the stream hit a block term; ``refusal`` is what to show the user."""

    def __init__(self, refusal: str, answer: dict[str, Any]):
        super().__init__(refusal)
        self.refusal = refusal
        self.answer = answer


def _headers(token: str | None) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"} if token else {}


class Client:
    def __init__(self, base_url: str = "http://127.0.0.1:8080", token: str | None = None, timeout: float = 10.0,
                 client: httpx.Client | None = None):
        self._http = client or httpx.Client(base_url=base_url, timeout=timeout, headers=_headers(token))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def check(self, text: str, direction: str = "input", **fields: Any) -> dict[str, Any]:
        r = self._http.post("/v1/moderate", json={"text": text, "direction": direction, **fields})
        r.raise_for_status()
        return r.json()  # type: ignore[no-any-return]

    def guard_stream(self, chunks: Iterable[str], raise_on_block: bool = True, **fields: Any) -> Iterator[str]:
        """Yield only the released text of a streamed output, chunk by chunk."""
        carry: str | None = None
        for chunk in chunks:
            answer = self._step(chunk, carry, False, fields)
            carry = answer["carry"]
            if answer["release"]:
                yield answer["release"]
            if answer["action"] == "block":
                return self._blocked(answer, raise_on_block)
        answer = self._step("", carry, True, fields)
        if answer["release"]:
            yield answer["release"]
        if answer["action"] == "block":
            self._blocked(answer, raise_on_block)

    def _step(self, text: str, carry: str | None, final: bool, fields: dict[str, Any]) -> dict[str, Any]:
        r = self._http.post("/v1/moderate/stream", json={"text": text, "carry": carry, "final": final, **fields})
        r.raise_for_status()
        return r.json()  # type: ignore[no-any-return]

    @staticmethod
    def _blocked(answer: dict[str, Any], raise_on_block: bool) -> None:
        if raise_on_block:
            raise Blocked(answer.get("refusal", "blocked"), answer)


class AsyncClient:
    def __init__(self, base_url: str = "http://127.0.0.1:8080", token: str | None = None, timeout: float = 10.0,
                 client: httpx.AsyncClient | None = None):
        self._http = client or httpx.AsyncClient(base_url=base_url, timeout=timeout, headers=_headers(token))

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    async def check(self, text: str, direction: str = "input", **fields: Any) -> dict[str, Any]:
        r = await self._http.post("/v1/moderate", json={"text": text, "direction": direction, **fields})
        r.raise_for_status()
        return r.json()  # type: ignore[no-any-return]

    async def guard_stream(self, chunks: AsyncIterable[str] | Iterable[str], raise_on_block: bool = True,
                           **fields: Any) -> AsyncIterator[str]:
        carry: str | None = None

        async def each() -> AsyncIterator[str]:
            if isinstance(chunks, AsyncIterable):
                async for c in chunks:
                    yield c
            else:
                for c in chunks:
                    yield c

        async for chunk in each():
            answer = await self._step(chunk, carry, False, fields)
            carry = answer["carry"]
            if answer["release"]:
                yield answer["release"]
            if answer["action"] == "block":
                Client._blocked(answer, raise_on_block)
                return
        answer = await self._step("", carry, True, fields)
        if answer["release"]:
            yield answer["release"]
        if answer["action"] == "block":
            Client._blocked(answer, raise_on_block)

    async def _step(self, text: str, carry: str | None, final: bool, fields: dict[str, Any]) -> dict[str, Any]:
        r = await self._http.post("/v1/moderate/stream", json={"text": text, "carry": carry, "final": final, **fields})
        r.raise_for_status()
        return r.json()  # type: ignore[no-any-return]
