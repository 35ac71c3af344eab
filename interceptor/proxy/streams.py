"""Streamed answers: each choice, and each text field of each choice, through its own
stream checker.

An SSE stream interleaves choices (``n > 1``) and, within a choice, fields: ``content``,
``reasoning_content``, ``refusal``, each tool call's ``name`` and ``arguments`` (a tool
call known by its ``index``, not its place in the list). Each of these is one text, so each
has its own ``StreamChecker``: a term is found however the model's chunks cut it, and
never made up from two texts that merely arrive side by side. Only what a checker released
is sent on.

* A block ends that choice: a chunk with the refusal and ``finish_reason: "content_filter"``;
  the other choices go on. Once every choice asked for is blocked the stream ends.
* At a ``finish_reason`` the choice's held-back text is checked whole and released in a
  chunk *before* the one that carries the ``finish_reason``.
* Log probabilities are dropped from streamed chunks: they carry tokens before the checker
  has released them.
* The last event before ``[DONE]`` says what the proxy did to the answer:
  ``{"choices": [], "interceptor": {"output": "pass|mask|warn|block"}}``.
* A stream that is cut, malformed, or reports an upstream error ends with an error event
  (``data: {"error": ...}``), never a ``[DONE]`` that would pass a part off as the whole.
"""
from __future__ import annotations

import copy
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import anyio
import httpx
import orjson

from interceptor.proxy.answer_texts import NOT_TEXT
from interceptor.proxy.checks import Checks, Exchange
from interceptor.proxy.errors import ProxyError, upstream
from interceptor.proxy.paths import Kind
from interceptor.proxy.places import Place, put, show, strings
from interceptor.proxy.upstream import failure
from interceptor.service.checks import feed, feed_cost
from interceptor.stream import Step, StreamChecker
from interceptor.types import ACTION_SEVERITY, Action

log = logging.getLogger("interceptor.proxy")
DONE = b"data: [DONE]\n\n"
META = ("id", "object", "created", "model", "system_fingerprint", "service_tier")


class SSEEvent(NamedTuple):
    name: str
    data: str


async def sse(lines: AsyncIterator[str]) -> AsyncIterator[SSEEvent]:
    """Server-sent events from lines: ``data:`` lines joined, an event per blank line. An
    event the stream ends inside is incomplete and dropped (a bare ``data: [DONE]`` aside)."""
    name, data = "", list[str]()
    async for line in lines:
        if not line:
            if data:
                yield SSEEvent(name or "message", "\n".join(data))
            name, data = "", []
            continue
        if line.startswith(":"):
            continue
        key, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if key == "data":
            data.append(value)
        elif key == "event":
            name = value
    if data == ["[DONE]"]:
        yield SSEEvent(name or "message", "[DONE]")


class Indexed(NamedTuple):
    """A list item known by its ``index`` field (a tool call), not by its place in the list."""

    number: int


Field = tuple[str | int | Indexed, ...]


def identity(choice: Any, place: Place) -> Field:
    """The field a string of a chunk belongs to, the same in every chunk of the stream."""
    out: list[str | int | Indexed] = []
    node = choice
    for step in place:
        node = node[step]
        index = node.get("index") if isinstance(step, int) and isinstance(node, dict) else None
        out.append(Indexed(index) if isinstance(index, int) and not isinstance(index, bool) else step)
    return tuple(out)


def place_text(choice: dict[str, Any], where: Field, text: str) -> None:
    """Add ``text`` to the field ``where`` of an outgoing chunk's choice, making what is missing."""
    node: Any = choice
    for n, step in enumerate(where):
        last = n == len(where) - 1
        nxt = None if last else where[n + 1]
        empty: Any = "" if last else [] if isinstance(nxt, int | Indexed) else {}
        if isinstance(step, Indexed):
            item = next((x for x in node if isinstance(x, dict) and x.get("index") == step.number), None)
            if item is None:
                item = {"index": step.number}
                node.append(item)
            node = item
            continue
        if isinstance(step, int):
            while len(node) <= step:
                node.append(copy.copy(empty))
            if last:
                node[step] = (node[step] if isinstance(node[step], str) else "") + text
            node = node[step]
            continue
        if last:
            prev = node.get(step)
            node[step] = (prev if isinstance(prev, str) else "") + text
            return
        if not isinstance(node.get(step), dict | list):
            node[step] = empty
        node = node[step]


def _carries(value: Any, key: str | None = None) -> bool:
    """Whether an outgoing choice says anything: some text, a role, a tool call's id..."""
    if key == "index":
        return False
    if isinstance(value, dict):
        return any(_carries(v, k) for k, v in value.items())
    if isinstance(value, list):
        return any(_carries(v) for v in value)
    return value not in ("", None)


class BadStream(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass
class ChoiceStream:
    """One choice of a stream: a checker per text field."""

    fields: dict[Field, StreamChecker] = field(default_factory=dict)
    done: bool = False  # finished or blocked: nothing more of it is sent


class Relay:
    """Pass one SSE stream on, every text of every choice through its own checker."""

    def __init__(self, kind: Kind, checks: Checks, exchange: Exchange, expected: int):
        self.kind = kind
        self.checks = checks
        self.exchange = exchange
        self.expected = expected  # the choices asked for (``n``): once all are blocked, the stream ends
        self.streams: dict[int, ChoiceStream] = {}
        self.blocked = 0
        self.worst = Action.PASS  # the answer's action so far, over every choice and field
        self.meta: dict[str, Any] = {}

    async def run(self, resp: httpx.Response) -> AsyncIterator[bytes]:
        what = f"stream {resp.request.url.path}"
        try:
            async for ev in sse(resp.aiter_lines()):
                if ev.data == "[DONE]":
                    for chunk in await self._end():
                        yield chunk
                    yield self._said()
                    yield DONE
                    return
                try:
                    event = orjson.loads(ev.data)
                except orjson.JSONDecodeError:
                    raise BadStream("upstream_bad_stream", "an event of the stream is not JSON") from None
                if ev.name == "error" or (isinstance(event, dict) and "error" in event):
                    raise BadStream("upstream_error", "the model API reported an error: " + _message(event))
                if not isinstance(event, dict):
                    raise BadStream("upstream_bad_stream", "an event of the stream is not a JSON object")
                for chunk in await self._event(event):
                    yield chunk
                if self.blocked >= self.expected:
                    yield self._said()
                    yield DONE
                    return
            if self.streams and all(s.done for s in self.streams.values()):
                yield self._said()
                yield DONE  # every choice finished; the upstream only left out the [DONE]
                return
            raise BadStream("upstream_cut", "the stream ended before the answer was complete")
        except BadStream as e:
            log.warning("%s: %s (%s)", e.code, what, e)
            yield upstream(502, e.code, str(e)).event()
        except (httpx.HTTPError, TimeoutError) as e:
            yield failure(e, what, self.checks.rt.settings.proxy_upstream_timeout_s).event()
        except ProxyError as e:
            log.warning("%s: %s (%s)", e.code, what, e.message)
            yield e.event()
        finally:
            with anyio.CancelScope(shield=True):  # a client that went away cancels this generator
                await resp.aclose()

    # ------------------------------------------------------------------ one event
    async def _event(self, event: dict[str, Any]) -> list[bytes]:
        self.meta = {k: event[k] for k in META if k in event}
        choices = event.get("choices")
        if choices is None:
            return [_data(event)]
        if not isinstance(choices, list):
            raise BadStream("upstream_bad_stream", "choices is not a list")
        texts: list[dict[str, Any]] = []
        refusals: list[dict[str, Any]] = []
        finishes: list[dict[str, Any]] = []
        for c in choices:
            index = c.get("index") if isinstance(c, dict) else None
            if not isinstance(index, int) or isinstance(index, bool):
                raise BadStream("upstream_bad_stream", "a choice without an integer index")
            stream = self.streams.setdefault(index, ChoiceStream())
            if stream.done:
                continue
            out = {k: copy.deepcopy(v) for k, v in c.items() if k not in ("finish_reason", "logprobs")}
            refused = await self._feed(index, stream, out)
            if refused is None and c.get("finish_reason"):
                refused = await self._flush(index, stream, out)
                if refused is None:
                    finishes.append(self._finish(index, c["finish_reason"]))
            if refused is not None:
                refusals.append(refused)
            elif _carries(out):
                texts.append(out)
        chunks = [_data({**self.meta, "choices": group}) for group in (texts, refusals, finishes) if group]
        if not chunks and any(k not in META and k != "choices" for k in event):  # usage and the like
            chunks.append(_data({**event, "choices": []}))
        return chunks

    async def _feed(self, index: int, stream: ChoiceStream, out: dict[str, Any]) -> dict[str, Any] | None:
        """Each text of a chunk's choice through its field's checker; ``out`` gets what they
        release. A refusal chunk when one of them blocks."""
        for slot, text in list(strings(out, keys=False, skip=NOT_TEXT)):
            where = identity(out, slot.place)
            checker = stream.fields.setdefault(where, StreamChecker(self.checks.rt.guard))
            step = await self._step(checker, text, False)
            if step.action is Action.BLOCK:
                return await self._block(index, stream, where, checker, None)
            put(out, slot, step.release)
        return None

    async def _flush(self, index: int, stream: ChoiceStream, out: dict[str, Any]) -> dict[str, Any] | None:
        """The end of a choice: each field's held text checked whole and added to ``out``."""
        stream.done = True
        for where, checker in stream.fields.items():
            step = await self._step(checker, "", True)
            if step.action is Action.BLOCK:
                return await self._block(index, stream, where, checker, step)
            if step.release:
                place_text(out, where, step.release)
            if step.verdict is not None and step.verdict.hits:
                self.worst = max(self.worst, step.verdict.action, key=ACTION_SEVERITY.__getitem__)
                self.checks.record(self.exchange, checker.state.text, "output", step.verdict, self._where(index, where))
        return None

    async def _step(self, checker: StreamChecker, chunk: str, final: bool) -> Step:
        """One step of a field's checker: inline, or for a big one (a huge chunk, the final
        check of a long answer) in a check worker within the budget."""
        cost = feed_cost(checker.state, chunk, final)
        fed = await self.checks.within_budget(cost, feed, checker.state, chunk, final)
        checker.state = fed.state  # (a check worker returns a copy)
        return fed.step

    async def _end(self) -> list[bytes]:
        """``[DONE]``: what choices without a ``finish_reason`` still hold, checked and released."""
        texts, refusals = [], []
        for index, stream in self.streams.items():
            if stream.done:
                continue
            out: dict[str, Any] = {"index": index, "delta": {}} if self.kind is Kind.CHAT else {"index": index}
            refused = await self._flush(index, stream, out)
            if refused is not None:
                refusals.append(refused)
            elif _carries(out):
                texts.append(out)
        return [_data({**self.meta, "choices": group}) for group in (texts, refusals) if group]

    async def _block(self, index: int, stream: ChoiceStream, where: Field, checker: StreamChecker,
                     step: Step | None) -> dict[str, Any]:
        """End a choice with the refusal, its record committed first."""
        stream.done = True
        self.blocked += 1
        self.worst = Action.BLOCK
        text = checker.state.text
        verdict = step.verdict if step is not None and step.verdict is not None else \
            self.checks.rt.guard.check(text, direction="output")
        outcome = self.checks.record(self.exchange, text, "output", verdict, self._where(index, where))
        if outcome.committed is not None:
            await self.checks.committed([outcome.committed])
        refusal = outcome.answer.get("refusal") or self.checks.rt.settings.refusal("default")
        said = {"action": "block", "log_id": outcome.answer.get("log_id")}
        if self.kind is Kind.CHAT:
            return {"index": index, "delta": {"content": refusal}, "finish_reason": "content_filter",
                    "interceptor": said}
        return {"index": index, "text": refusal, "finish_reason": "content_filter", "interceptor": said}

    def _said(self) -> bytes:
        """The last event before ``[DONE]``: what the proxy did to the answer."""
        return _data({**self.meta, "choices": [], "interceptor": {"output": self.worst.value}})

    def _finish(self, index: int, reason: Any) -> dict[str, Any]:
        if self.kind is Kind.CHAT:
            return {"index": index, "delta": {}, "finish_reason": reason}
        return {"index": index, "text": "", "finish_reason": reason}

    @staticmethod
    def _where(index: int, where: Field) -> str:
        return show(("choices", index, *(s.number if isinstance(s, Indexed) else s for s in where)))


def _data(event: dict[str, Any]) -> bytes:
    return b"data: " + orjson.dumps(event) + b"\n\n"


def _message(event: Any) -> str:
    err = event.get("error") if isinstance(event, dict) else None
    if isinstance(err, dict) and isinstance(err.get("message"), str):
        return str(err["message"])[:500]
    if isinstance(err, str):
        return err[:500]
    return "no message"
