"""One question to an OpenAI-compatible chat endpoint, with retries, a deadline and streams.

Transient failures are retried with exponential backoff and jitter: connection errors,
timeouts, ``5xx`` and ``429`` (its ``Retry-After`` honoured, up to ``max_wait``). Anything else
the service answers is final: a ``200`` answer, Interceptor's ``400 content_blocked`` refusal, or
another ``4xx`` (an error for that item — retrying a bad request gives the same answer).
Each attempt has its own deadline over the whole exchange, a stream's body included, so one
slow answer cannot hold a worker forever.
"""
from __future__ import annotations

import asyncio
import email.utils
import random
import time
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from interceptor.assess.layer import worst

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Retry:
    retries: int = 4          # attempts after the first
    base: float = 0.5         # seconds before the first retry; doubled each time
    cap: float = 20.0         # no backoff sleeps longer
    max_wait: float = 60.0    # a Retry-After above this is cut to it

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_wait)
        d = min(self.cap, self.base * 2.0 ** attempt)
        return d / 2 + random.uniform(0, d / 2)


@dataclass(frozen=True)
class Reply:
    """What the service answered (``error`` set when it never answered usably)."""

    status: int | None
    text: str
    finish_reason: str | None
    input_action: str | None
    output_action: str | None
    attempts: int
    seconds: float
    error: str | None = None


class Transient(Exception):
    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


def retry_after(value: str | None) -> float | None:
    """``Retry-After`` as seconds: a number, or an HTTP date."""
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _header_action(resp: httpx.Response, name: str) -> str | None:
    value = resp.headers.get(name, "").strip().lower()
    return value or None


def _excerpt(data: bytes) -> str:
    return data[:200].decode("utf-8", "replace").strip()


def _blocked(status: int, data: bytes) -> str | None:
    """Interceptor's refusal of the prompt: its message, or None if this is another error."""
    if status != 400:
        return None
    try:
        err = orjson.loads(data).get("error") or {}
    except (orjson.JSONDecodeError, AttributeError):
        return None
    return str(err.get("message") or "") if isinstance(err, dict) and err.get("code") == "content_blocked" else None


def _marker(info: Any) -> str | None:
    """The action an ``interceptor`` field names: ``{"action": …}`` on a blocked choice,
    ``{"output": …}`` in a stream's last event, or ``{"warning": …}``."""
    if not isinstance(info, dict):
        return None
    named = worst(*(info.get(k) for k in ("action", "output") if isinstance(info.get(k), str)))
    return worst(named, "warn" if info.get("warning") else None)


async def _answer(client: httpx.AsyncClient, url: str, body: dict[str, Any], headers: dict[str, str]) -> Reply:
    """One attempt (attempts and seconds are filled in by ``ask``)."""
    data = b""
    async with client.stream("POST", url, content=orjson.dumps(body), headers=headers) as resp:
        status = resp.status_code
        streamed = "text/event-stream" in resp.headers.get("content-type", "")
        if status != 200 or not streamed:
            data = await resp.aread()
        if status in RETRY_STATUS:
            raise Transient(f"HTTP {status}: {_excerpt(data)}", retry_after(resp.headers.get("retry-after")))
        proxy_in = _header_action(resp, "x-interceptor-input")
        warned = "warn" if resp.headers.get("x-interceptor-warning") else None
        refusal = _blocked(status, data) if status != 200 else None
        if refusal is not None:
            return Reply(status, refusal, "content_filter", "block", None, 0, 0.0)
        if status != 200:
            return Reply(status, "", None, None, None, 0, 0.0, error=f"HTTP {status}: {_excerpt(data)}")
        input_action = worst(proxy_in, warned)
        if streamed:
            text, finish, marked = await _read_stream(resp)
            output_action = marked
        else:
            try:
                answer = orjson.loads(data)
                choice = answer["choices"][0]
                text = choice.get("message", {}).get("content") or ""
                finish = choice.get("finish_reason")
            except (orjson.JSONDecodeError, KeyError, IndexError, TypeError, AttributeError):
                raise Transient(f"not an OpenAI chat answer: {_excerpt(data)}") from None
            input_action = worst(input_action, _marker(answer.get("interceptor")))
            output_action = worst(_header_action(resp, "x-interceptor-output"), _marker(choice.get("interceptor")))
        if finish == "content_filter" and (input_action is not None or output_action is not None):
            output_action = "block"  # the proxy ended the answer (older proxies mark it only so)
        return Reply(status, text if isinstance(text, str) else "", finish, input_action, output_action, 0, 0.0)


async def _read_stream(resp: httpx.Response) -> tuple[str, str | None, str | None]:
    parts: list[str] = []
    finish: str | None = None
    marked: str | None = None
    done = False
    async for line in resp.aiter_lines():
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            done = True
            break
        try:
            event = orjson.loads(data)
        except orjson.JSONDecodeError:
            raise Transient(f"a stream event is not JSON: {data[:120]}") from None
        marked = worst(marked, _marker(event.get("interceptor")))
        for choice in event.get("choices") or []:
            if choice.get("index", 0) != 0:
                continue
            piece = (choice.get("delta") or {}).get("content")
            if isinstance(piece, str):
                parts.append(piece)
            finish = choice.get("finish_reason") or finish
            marked = worst(marked, _marker(choice.get("interceptor")))
    if not done and finish is None:
        raise Transient("the stream ended before its last event")
    return "".join(parts), finish, marked


async def ask(client: httpx.AsyncClient, url: str, body: dict[str, Any], headers: dict[str, str], retry: Retry,
              timeout: float) -> Reply:
    """The service's answer to one request, or a Reply with ``error`` once retries are spent."""
    t0 = time.perf_counter()
    reason = ""
    for attempt in range(retry.retries + 1):
        wait: float | None = None
        try:
            async with asyncio.timeout(timeout):
                reply = await _answer(client, url, body, headers)
            return Reply(reply.status, reply.text, reply.finish_reason, reply.input_action, reply.output_action,
                         attempt + 1, time.perf_counter() - t0, reply.error)
        except Transient as e:
            reason, wait = str(e), e.retry_after
        except TimeoutError:
            reason = f"no complete answer within {timeout:g} s"
        except httpx.TransportError as e:
            reason = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
        if attempt < retry.retries:
            await asyncio.sleep(retry.delay(attempt, wait))
    return Reply(None, "", None, None, None, retry.retries + 1, time.perf_counter() - t0,
                 error=f"{reason} (after {retry.retries + 1} attempts)")


async def moderate(client: httpx.AsyncClient, url: str, text: str, direction: str, earlier: list[dict[str, str]],
                   headers: dict[str, str], retry: Retry, timeout: float) -> str:
    """What Interceptor's ``/v1/moderate`` decides for one text: its action, or raises
    ``RuntimeError`` once retries are spent (the item is then an error, not a guess)."""
    body: dict[str, Any] = {"text": text, "direction": direction}
    if earlier:
        body["messages"] = earlier
    reason = ""
    for attempt in range(retry.retries + 1):
        wait: float | None = None
        try:
            async with asyncio.timeout(timeout):
                resp = await client.post(url, content=orjson.dumps(body),
                                         headers={**headers, "content-type": "application/json"})
            if resp.status_code == 200:
                action = orjson.loads(resp.content).get("action")
                if action in ("pass", "mask", "warn", "block"):
                    return str(action)
                reason = f"/v1/moderate answered no action: {_excerpt(resp.content)}"
            elif resp.status_code in RETRY_STATUS:
                reason, wait = f"/v1/moderate HTTP {resp.status_code}", retry_after(resp.headers.get("retry-after"))
            else:
                raise RuntimeError(f"/v1/moderate HTTP {resp.status_code}: {_excerpt(resp.content)}")
        except TimeoutError:
            reason = f"/v1/moderate gave no answer within {timeout:g} s"
        except httpx.TransportError as e:
            reason = f"/v1/moderate {type(e).__name__}"
        except orjson.JSONDecodeError:
            reason = "/v1/moderate answered with something that is not JSON"
        if attempt < retry.retries:
            await asyncio.sleep(retry.delay(attempt, wait))
    raise RuntimeError(f"{reason} (after {retry.retries + 1} attempts)")
