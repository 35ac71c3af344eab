"""The proxy's routes: a plain ASGI application that routes on the normalised path.

* ``POST /v1/chat/completions``, ``POST /v1/completions``: every text of the request checked
  (``request_texts``), each message with its images when they are read (``image_parts``) — a
  block answers 400 ``content_blocked`` and nothing goes upstream, a mask goes upstream masked
  (a removed image as a short text part, numbered in ``X-Interceptor-Removed-Images``), a
  warning passes with ``X-Interceptor-Warning``; then every text of the answer
  (``answer_texts``, or ``streams`` for ``stream: true``).
* ``GET /v1/models``, ``GET /v1/models/{id}``: forwarded (no text either way).
* Anything else is refused with 404 ``unknown_route``: a route the proxy does not know is a
  route whose texts it cannot find (the Responses API's ``input``, assistants' threads, file
  uploads of batch requests...). With ``[proxy] unknown_routes = "forward"`` an unknown route
  is forwarded as it is — but only when its body is empty or JSON with none of the keys that
  carry a prompt (``PROMPT_KEYS``, at any depth); otherwise it is refused all the same.

What the proxy did is said in ``X-Interceptor-Input`` (the prompt's action) and, for a plain
answer, ``X-Interceptor-Output``; a stream's answer action comes in its last event before
``[DONE]`` (``{"choices": [], "interceptor": {"output": action}}``), since headers leave first.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import quote

import httpx
import orjson
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from interceptor.images.record import audit_images
from interceptor.images.screen import ImageVerdict, screen
from interceptor.proxy import paths
from interceptor.proxy.answer_texts import answer_texts, refused_choice
from interceptor.proxy.answer_texts import apply_masks as mask_answer
from interceptor.proxy.checks import Checks, Exchange, Job
from interceptor.proxy.errors import ProxyError, invalid
from interceptor.proxy.image_parts import ReadParts, image_parts, read_parts, remove
from interceptor.proxy.paths import Kind, Target
from interceptor.proxy.places import show, strings
from interceptor.proxy.request_texts import PromptText, apply_masks, extract
from interceptor.proxy.streams import Relay
from interceptor.proxy.upstream import Upstream, answer_headers, bad_answer, failure
from interceptor.service.responses import JSONResponse
from interceptor.service.runtime import Runtime
from interceptor.service.settings import Settings
from interceptor.types import ACTION_SEVERITY, Action, Verdict

log = logging.getLogger("interceptor.proxy")
PROMPT_KEYS = frozenset({"messages", "prompt", "input", "content", "instructions", "system", "text"})


class Proxy:
    """``interceptor proxy``: an ASGI application in front of one model API."""

    def __init__(self, settings: Settings, upstream: str):
        self.settings = settings.with_secret()
        self.upstream_url = upstream
        self._checks: Checks | None = None
        self._upstream: Upstream | None = None

    @property
    def checks(self) -> Checks:
        assert self._checks is not None, "the proxy has not started"
        return self._checks

    @property
    def upstream(self) -> Upstream:
        assert self._upstream is not None, "the proxy has not started"
        return self._upstream

    # ------------------------------------------------------------------ ASGI
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":  # websockets (a realtime API) carry text the proxy cannot check
            await send({"type": "websocket.close", "code": 1008})
            return
        request = Request(scope, receive)
        try:
            response = await self.handle(request)
        except ProxyError as e:
            response = e.response()
        except Exception:
            log.exception("internal error on %s %s", request.method, request.url.path)
            response = ProxyError(500, "internal", "internal error", kind="server_error").response()
        await response(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    rt = Runtime(self.settings)
                    await rt.start()
                    self._checks = Checks(rt)
                    self._upstream = Upstream(self.upstream_url, self.settings.proxy_upstream_timeout_s)
                except Exception as e:
                    await send({"type": "lifespan.startup.failed", "message": str(e)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._upstream is not None:
                    await self._upstream.close()
                if self._checks is not None:
                    await self._checks.rt.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    # ------------------------------------------------------------------ routing
    async def handle(self, request: Request) -> Response:
        raw_path: bytes = request.scope.get("raw_path") or request.scope["path"].encode()
        target = paths.route(raw_path)
        if target is None:
            return await self.unknown(request, raw_path)
        if request.method not in target.methods:
            raise ProxyError(405, "method_not_allowed", f"{target.path} takes {', '.join(sorted(target.methods))}")
        if target.kind is Kind.MODELS:
            resp = await self.upstream.call("GET", target.path, request.headers, request.url.query)
            return Response(resp.content, resp.status_code, headers=answer_headers(resp.headers))
        return await self.model(request, target)

    async def unknown(self, request: Request, raw_path: bytes) -> Response:
        refused = ProxyError(404, "unknown_route", f"{paths.normalise(raw_path) or 'this path'} is not a route "
                             "this proxy checks, so nothing is forwarded on it")
        path = paths.canonical(raw_path)
        if self.settings.proxy_unknown_routes != "forward" or path is None:
            raise refused
        raw = await self._body(request)
        if raw.strip():
            try:
                body = orjson.loads(raw)
            except orjson.JSONDecodeError:
                raise refused from None
            if any(slot.is_key and text in PROMPT_KEYS for slot, text in strings(body)):
                raise refused
        resp = await self.upstream.call(request.method, path, request.headers, request.url.query, raw or None)
        return Response(resp.content, resp.status_code, headers=answer_headers(resp.headers))

    async def _body(self, request: Request) -> bytes:
        limit = self.settings.proxy_max_body_bytes
        too_big = ProxyError(413, "payload_too_large", f"the body is larger than {limit} bytes")
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            raise too_big
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise too_big
            chunks.append(chunk)
        return b"".join(chunks)

    # ------------------------------------------------------------------ the model routes
    async def model(self, request: Request, target: Target) -> Response:
        raw = await self._body(request)
        try:
            body = orjson.loads(raw)
        except orjson.JSONDecodeError as e:
            raise invalid("invalid_json", f"the body is not valid JSON: {e}") from None
        if not isinstance(body, dict):
            raise invalid("invalid_body", "the body must be a JSON object")
        user = body.get("user")
        exchange = Exchange(raw, target.kind, user if isinstance(user, str) else None)
        action, said = await self._check_prompt(body, exchange)
        warning = said.get("warning")
        extra = {"x-interceptor-input": action.value}
        if warning:
            extra["x-interceptor-warning"] = _header(warning["message"])
        if said.get("removed_images"):
            extra["x-interceptor-removed-images"] = ",".join(map(str, said["removed_images"]))
        content = orjson.dumps(body)
        if body.get("stream") is True:
            resp = await self.upstream.open_stream(target.path, request.headers, request.url.query, content)
            if resp.status_code == 200 and "text/event-stream" in resp.headers.get("content-type", ""):
                n = body.get("n")
                relay = Relay(target.kind, self.checks, exchange, n if isinstance(n, int) and n > 1 else 1)
                return StreamingResponse(relay.run(resp), headers={**answer_headers(resp.headers), **extra},
                                         media_type="text/event-stream")
            try:
                data = await resp.aread()
            except (httpx.HTTPError, TimeoutError) as e:
                raise failure(e, f"POST {target.path}", self.upstream.timeout) from None
            finally:
                await resp.aclose()
            status, headers = resp.status_code, resp.headers
        else:
            resp = await self.upstream.call("POST", target.path, request.headers, request.url.query, content)
            data, status, headers = resp.content, resp.status_code, resp.headers
        if status != 200:
            return Response(data, status, headers=answer_headers(headers))
        answer, output = await self._check_answer(data, target, exchange)
        if warning:
            answer["interceptor"] = {"warning": warning}
        extra["x-interceptor-output"] = output.value
        return JSONResponse(answer, headers={**answer_headers(headers, frozenset({"content-type"})), **extra})

    async def _check_prompt(self, body: dict[str, Any], exchange: Exchange) -> tuple[Action, dict[str, Any]]:
        """Check every text of the request, each message with its images; raise the refusal
        on a block, mask the body in place otherwise (a removed image becomes a short text
        part). Returns the worst action and what its verdict's answer said."""
        extraction = extract(exchange.kind, body)
        limit = self.settings.max_text_chars
        pool = self.checks.rt.images
        parts = image_parts(extraction.media) if pool is not None else []
        read = await read_parts(pool, parts) if pool is not None and parts else None
        with_images = set(read.messages) if read is not None else set()
        plain: list[PromptText] = []
        jobs: list[Job] = []
        screens: list[tuple[PromptText, tuple[str, ...]]] = []  # a message and its images, with the ones before
        earlier: list[str] = []
        for t in extraction.texts:
            if len(t.text) > limit:
                raise ProxyError(413, "text_too_long", f"{t.where} has {len(t.text)} characters; the limit is {limit}")
            if t.message is not None and t.message in with_images:
                screens.append((t, tuple(earlier)))
                with_images.discard(t.message)
            else:
                plain.append(t)
                jobs.append(Job(t.text, "input", None if t.message is None else tuple(earlier)))
            if t.message is not None:
                earlier.append(t.text)
        for m in sorted(with_images):  # messages of images alone, no text
            first = next(p for p in parts if p.message == m)
            screens.append((PromptText("", (), show(first.place[:3]), m),
                            tuple(t.text for t in extraction.texts if t.message is not None and t.message < m)))
        verdicts = await self.checks.verdicts(jobs)
        results: list[ImageVerdict] = []
        if read is not None:
            results = list(await asyncio.gather(*(self._screen(t, before, read) for t, before in screens)))
        checked: list[tuple[PromptText, Verdict, ImageVerdict | None]] = [
            *((t, v, None) for t, v in zip(plain, verdicts, strict=True)),
            *((t, r.verdict, r) for (t, _), r in zip(screens, results, strict=True))]
        worst, said, futures, masked = Action.PASS, {}, [], []
        removed: list[int] = []
        for t, v, images in checked:
            if v.hits:
                kept = self._image_record(images, read) if images is not None and read is not None else ()
                outcome = self.checks.record(exchange, t.text, "input", v, t.where, kept)
                if outcome.committed is not None:
                    futures.append(outcome.committed)
                if ACTION_SEVERITY[v.action] > ACTION_SEVERITY[worst]:
                    worst, said = v.action, outcome.answer
            if v.text is not None and v.text != t.text:
                masked.append((t, v.text))
            if images is not None:
                removed.extend(images.removed)
        await self.checks.committed(futures)
        Checks.count(worst)
        if worst is Action.BLOCK:
            raise ProxyError(400, "content_blocked", said.get("refusal") or self.settings.refusal("default"),
                             extra={"action": "block", "log_id": said.get("log_id"),
                                    "request_id": said.get("request_id")})
        apply_masks(body, masked)
        if removed:
            remove(body, parts, removed)
            said = {**said, "removed_images": sorted(removed)}
        return worst, said

    async def _screen(self, t: PromptText, before: tuple[str, ...], read: ReadParts) -> ImageVerdict:
        """A message's text and its images checked together, within the check budget."""
        images = read.of_message(t.message if t.message is not None else -1)
        cost = len(t.text) + sum(map(len, before)) + sum(len(im.text) for im in images)
        return await self.checks.within_budget(cost, screen, t.text, images, "input", before)

    def _image_record(self, result: ImageVerdict, read: ReadParts) -> tuple[dict[str, Any], ...]:
        """What a record keeps of a message's images (the bytes on a block, unless
        ``[audit] keep_images = false``)."""
        keep = result.action is Action.BLOCK and self.settings.audit_keep_images
        return tuple(audit_images(result, [read.pictures[im.index] for im in result.images], keep))

    async def _check_answer(self, data: bytes, target: Target, exchange: Exchange) -> tuple[dict[str, Any], Action]:
        """The answer with every choice checked, and the worst action taken on it."""
        what = f"POST {target.path}"
        try:
            answer = orjson.loads(data)
        except orjson.JSONDecodeError:
            raise bad_answer(what, "the answer is not JSON") from None
        if not isinstance(answer, dict):
            raise bad_answer(what, "the answer is not a JSON object")
        choices = answer.get("choices")
        if not isinstance(choices, list) or not all(isinstance(c, dict) for c in choices):
            raise bad_answer(what, "the answer has no list of choice objects")
        texts = answer_texts(answer)
        verdicts: list[Verdict] = await self.checks.verdicts([Job(t.text, "output") for t in texts])
        refused: dict[int, dict[str, Any]] = {}
        futures, masked, worst = [], [], Action.PASS
        for t, v in zip(texts, verdicts, strict=True):
            if not v.hits:
                continue
            worst = max(worst, v.action, key=ACTION_SEVERITY.__getitem__)
            outcome = self.checks.record(exchange, t.text, "output", v, show(t.slot.place))
            if v.action is Action.BLOCK:
                if outcome.committed is not None:
                    futures.append(outcome.committed)
                if t.choice not in refused:
                    refused[t.choice] = {**refused_choice(target.kind, choices[t.choice].get("index", t.choice),
                                                          outcome.answer["refusal"]),
                                         "interceptor": {"action": "block", "log_id": outcome.answer.get("log_id")}}
            else:
                if v.text is not None and v.text != t.text:
                    masked.append((t, v.text))
                if v.action is Action.WARN:
                    choices[t.choice]["interceptor"] = {"warning": outcome.answer.get("warning")}
        await self.checks.committed(futures)
        mask_answer(answer, [(t, new) for t, new in masked if t.choice not in refused])
        for i, choice in refused.items():
            choices[i] = choice
        return answer, worst


def _header(text: str) -> str:
    """A header value is Latin-1: a warning in another script goes percent-encoded."""
    return text if text.isascii() else quote(text, safe=" ,.;:!?'()-")
