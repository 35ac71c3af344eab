"""An OpenAI-compatible filtering proxy: an AI service adopts Interceptor by changing its
base URL to ``interceptor proxy --upstream https://api.example.com``.

``POST /v1/chat/completions`` and ``POST /v1/completions``:

* the prompt (each message, or ``prompt``) is checked: ``block`` answers with an
  OpenAI-style error carrying the refusal and nothing goes upstream; ``mask`` sends the
  masked prompt upstream; ``warn`` passes, the warning in the ``X-Interceptor-Warning``
  header and an ``interceptor`` field;
* the answer is checked on its way back: whole for a plain response; for ``stream: true``
  the SSE deltas go through the incremental checker (``stream.py``) and only released text is
  sent on — masked text arrives masked, a block ends the stream with a final chunk that
  carries the refusal and ``finish_reason: "content_filter"``.

Every other path is forwarded as it is. Headers (API keys included) pass through untouched
and are never logged; verdicts are logged in the audit store as by the service.
"""
from __future__ import annotations

import argparse
import asyncio
import copy
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from interceptor.audit.store import StoreUnavailable
from interceptor.service.runtime import Runtime
from interceptor.service.settings import Settings, load_settings
from interceptor.service.verdicts import Subject, record_verdict
from interceptor.stream import StreamChecker
from interceptor.types import Action, Verdict

log = logging.getLogger("interceptor.proxy")
HOP_HEADERS = {"host", "content-length", "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
               "proxy-authorization", "proxy-authenticate", "accept-encoding"}
_SEVERITY = {Action.PASS: 0, Action.MASK: 1, Action.WARN: 2, Action.BLOCK: 3}


def _error(status: int, message: str, code: str, kind: str = "invalid_request_error") -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": kind, "param": None, "code": code}}, status_code=status)


class Proxy:
    def __init__(self, settings: Settings, upstream: str):
        self.settings = settings.with_secret()
        self.upstream = upstream.rstrip("/")
        self.rt: Runtime | None = None
        self.http: httpx.AsyncClient | None = None

    # ------------------------------------------------------------------ checks
    def _check(self, text: str, direction: str, earlier: list[str], conversation: str | None) -> tuple[
            Verdict, dict[str, Any], Any]:
        assert self.rt is not None
        verdict = self.rt.guard.check(text, direction=direction, messages=earlier)
        subject = Subject(text, direction, conversation, messages=[{"role": "user", "content": m} for m in earlier])
        out, fut = record_verdict(self.rt, subject, verdict, "proxy")
        return verdict, out, fut

    async def _check_prompt(self, body: dict[str, Any]) -> tuple[Response | None, dict[str, Any], dict[str, Any]]:
        """(an error to answer with, the body to send upstream, what the proxy says about it)."""
        body = copy.deepcopy(body)
        worst, said, futures = Action.PASS, {}, []
        conversation = body.get("user") if isinstance(body.get("user"), str) else None
        texts: list[tuple[str, Any, Any]] = []  # (text, container, key) to rewrite when masked
        if isinstance(body.get("messages"), list):
            for m in body["messages"]:
                if isinstance(m, dict) and isinstance(m.get("content"), str):
                    texts.append((m["content"], m, "content"))
        elif isinstance(body.get("prompt"), str):
            texts.append((body["prompt"], body, "prompt"))
        earlier: list[str] = []
        for text, holder, key in texts:
            verdict, out, fut = self._check(text, "input", list(earlier), conversation)
            earlier.append(text)
            if fut is not None:
                futures.append(fut)
            if _SEVERITY[verdict.action] > _SEVERITY[worst]:
                worst, said = verdict.action, out
            if verdict.action in (Action.MASK, Action.WARN) and verdict.text != text:
                holder[key] = verdict.text
        try:
            if futures:
                await asyncio.gather(*(asyncio.wrap_future(f) for f in futures))
        except StoreUnavailable:
            return _error(503, "the audit log cannot record this request right now", "audit_unavailable",
                          "server_error"), body, said
        if worst is Action.BLOCK:
            return _error(400, said.get("refusal", "blocked"), "content_blocked"), body, said
        return None, body, said

    # ------------------------------------------------------------------ routes
    async def completions(self, request: Request) -> Response:
        raw = await request.body()
        try:
            body = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return _error(400, "the body is not valid JSON", "invalid_json")
        if not isinstance(body, dict):
            return _error(400, "the body must be a JSON object", "invalid_body")
        refused, body, said = await self._check_prompt(body)
        if refused is not None:
            return refused
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
        extra = {"x-interceptor-warning": said["warning"]["message"]} if "warning" in said else {}
        url = self.upstream + request.url.path
        assert self.http is not None
        if body.get("stream"):
            upstream = self.http.build_request("POST", url, content=orjson.dumps(body), headers=headers,
                                               params=request.query_params)
            resp = await self.http.send(upstream, stream=True)
            if resp.status_code != 200 or "text/event-stream" not in resp.headers.get("content-type", ""):
                data = await resp.aread()
                await resp.aclose()
                return Response(data, status_code=resp.status_code, headers=self._back(resp.headers))
            return StreamingResponse(self._relay(resp, body, request.url.path), status_code=200,
                                     headers={**self._back(resp.headers), **extra}, media_type="text/event-stream")
        resp = await self.http.post(url, content=orjson.dumps(body), headers=headers, params=request.query_params)
        if resp.status_code != 200:
            return Response(resp.content, status_code=resp.status_code, headers=self._back(resp.headers))
        answer = resp.json()
        answer = await self._check_answer(answer, request.url.path)
        if "warning" in said:
            answer["interceptor"] = {"warning": said["warning"]}
        return JSONResponse(answer, headers={**self._back(resp.headers, json=True), **extra})

    async def _check_answer(self, answer: dict[str, Any], path: str) -> dict[str, Any]:
        for choice in answer.get("choices", []) or []:
            holder, key = (choice.get("message") or {}, "content") if path.endswith("chat/completions") else \
                (choice, "text")
            text = holder.get(key)
            if not isinstance(text, str):
                continue
            verdict, out, fut = self._check(text, "output", [], None)
            if fut is not None:
                await asyncio.wrap_future(fut)
            if verdict.action is Action.BLOCK:
                holder[key] = out.get("refusal", "")
                choice["finish_reason"] = "content_filter"
            elif verdict.text is not None:
                holder[key] = verdict.text
            if verdict.action is Action.WARN:
                choice["interceptor"] = {"warning": out.get("warning")}
        return answer

    async def _relay(self, resp: httpx.Response, body: dict[str, Any], path: str) -> AsyncIterator[bytes]:
        """Pass the SSE stream on, its text deltas through the incremental checker."""
        assert self.rt is not None
        chat = path.endswith("chat/completions")
        checker = StreamChecker(self.rt.guard)
        last: dict[str, Any] | None = None
        try:
            async for line in resp.aiter_lines():
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    break
                try:
                    event = orjson.loads(data)
                except orjson.JSONDecodeError:
                    continue
                last = event
                text = _delta_text(event, chat)
                if text is None:  # role announcements, tool calls, usage: as they are
                    yield b"data: " + orjson.dumps(event) + b"\n\n"
                    continue
                step = checker.feed(text)
                if step.action is Action.BLOCK:
                    async for chunk in self._end_blocked(checker, event, chat):
                        yield chunk
                    return
                if step.release or _finish(event):
                    yield b"data: " + orjson.dumps(_with_text(event, step.release, chat)) + b"\n\n"
            final = checker.feed("", final=True)
            if final.action is Action.BLOCK:
                async for chunk in self._end_blocked(checker, last or {}, chat):
                    yield chunk
                return
            if final.release:
                yield b"data: " + orjson.dumps(_with_text(last or {}, final.release, chat, finish=None)) + b"\n\n"
            if checker.state.hits or (final.verdict is not None and final.verdict.hits):
                verdict = final.verdict or self.rt.guard.check(checker.state.text, direction="output")
                _, fut = self._log_output(checker.state.text, verdict)
                if fut is not None:
                    await asyncio.wrap_future(fut)
            yield b"data: [DONE]\n\n"
        finally:
            await resp.aclose()

    async def _end_blocked(self, checker: StreamChecker, event: dict[str, Any], chat: bool) -> AsyncIterator[bytes]:
        assert self.rt is not None
        verdict = self.rt.guard.check(checker.state.text, direction="output")
        out, fut = self._log_output(checker.state.text, verdict)
        if fut is not None:
            try:
                await asyncio.wrap_future(fut)
            except StoreUnavailable:
                log.error("a blocked stream could not be logged")
        refusal = out.get("refusal") or self.settings.refusal("default")
        yield b"data: " + orjson.dumps(_with_text(event, refusal, chat, finish="content_filter")) + b"\n\n"
        yield b"data: [DONE]\n\n"

    def _log_output(self, text: str, verdict: Verdict) -> tuple[dict[str, Any], Any]:
        assert self.rt is not None
        return record_verdict(self.rt, Subject(text, "output"), verdict, "proxy")

    async def passthrough(self, request: Request) -> Response:
        assert self.http is not None
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
        resp = await self.http.request(request.method, self.upstream + request.url.path, content=await request.body(),
                                       headers=headers, params=request.query_params)
        return Response(resp.content, status_code=resp.status_code, headers=self._back(resp.headers))

    @staticmethod
    def _back(headers: httpx.Headers, json: bool = False) -> dict[str, str]:
        drop = HOP_HEADERS | {"content-encoding"} | ({"content-type"} if json else set())
        return {k: v for k, v in headers.items() if k.lower() not in drop}

    def app(self) -> Starlette:
        @asynccontextmanager
        async def lifespan(_: Starlette) -> AsyncIterator[None]:
            self.rt = Runtime(self.settings)
            self.http = httpx.AsyncClient(timeout=httpx.Timeout(300.0, connect=10.0))
            await self.rt.start()
            try:
                yield
            finally:
                await self.http.aclose()
                await self.rt.stop()

        return Starlette(routes=[
            Route("/v1/chat/completions", self.completions, methods=["POST"]),
            Route("/v1/completions", self.completions, methods=["POST"]),
            Route("/{path:path}", self.passthrough, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        ], lifespan=lifespan)


def _delta_text(event: dict[str, Any], chat: bool) -> str | None:
    choices = event.get("choices") or []
    if not choices:
        return None
    c = choices[0]
    value = (c.get("delta") or {}).get("content") if chat else c.get("text")
    return value if isinstance(value, str) else None


def _finish(event: dict[str, Any]) -> bool:
    choices = event.get("choices") or []
    return bool(choices and choices[0].get("finish_reason"))


def _with_text(event: dict[str, Any], text: str, chat: bool, finish: str | bool | None = False) -> dict[str, Any]:
    e: dict[str, Any] = copy.deepcopy(event) if event else {
        "object": "chat.completion.chunk" if chat else "text_completion", "choices": [{"index": 0}]}
    choice: dict[str, Any] = (e.get("choices") or [{"index": 0}])[0]
    e["choices"] = [choice]
    if chat:
        choice["delta"] = {**(choice.get("delta") or {}), "content": text}
    else:
        choice["text"] = text
    if finish is not False:
        choice["finish_reason"] = finish
    return e


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("proxy", help="an OpenAI-compatible filtering proxy in front of a model API")
    p.add_argument("--upstream", required=True, help="the model API's base URL, e.g. https://api.openai.com")
    p.add_argument("--listen", default="127.0.0.1:8081", help="host:port to listen on")
    p.add_argument("--lexicon")
    p.add_argument("--db")
    p.add_argument("--config")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    import uvicorn

    host, _, port = args.listen.rpartition(":")
    settings = load_settings(args.config, {"lexicon": args.lexicon, "db": args.db})
    uvicorn.run(Proxy(settings, args.upstream).app(), host=host or "127.0.0.1", port=int(port), access_log=False,
                log_level=settings.log_level)
    return 0
