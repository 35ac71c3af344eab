"""A small upstream that answers like the OpenAI API, streaming SSE, for the proxy tests.

The assistant repeats what follows ``say:`` in the last user message (or reverses what
follows ``reverse:``), so a test can get a term back without sending it upstream. Every
request it receives, on any path, is recorded (``GET /_received``, ``POST /_reset``); the
last one is also at ``/_last``.

``POST /_script`` sets the answer to the next model request, so a test can have the
upstream say exactly what it needs, tool calls, several choices, broken streams included,
without that text passing through the proxy's request checks first::

    {"json": {...}}                       the answer, as it is
    {"raw": "text", "status": 200}        a body that is not JSON
    {"sse": [event, "raw line", ...],     events (objects are sent as ``data: {json}``),
     "done": true, "fail": false}         then ``data: [DONE]``; ``fail`` breaks the connection
    {"hang": 30}                          wait that many seconds before answering
"""
from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import AsyncIterator
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

LAST: dict[str, object] = {}
RECEIVED: list[dict[str, Any]] = []
SCRIPTS: list[dict[str, Any]] = []
CHUNK_DELAY = 0.05


class Broken(Exception):
    """Raised inside a streaming answer: the server drops the connection mid-body."""


def _prompt(body: Any) -> str:
    """What the caller asked for, whatever shape the body has (the fuzz tests send many)."""
    if not isinstance(body, dict):
        return ""
    messages = body.get("messages")
    if isinstance(messages, list) and messages and isinstance(messages[-1], dict):
        content = messages[-1].get("content")
        return content if isinstance(content, str) else ""
    prompt = body.get("prompt")
    return prompt if isinstance(prompt, str) else ""


async def _record(request: Request) -> Any:
    raw = await request.body()
    try:
        body: Any = json.loads(raw) if raw else None
    except ValueError:
        body = raw.decode("utf8", "replace")
    entry = {"method": request.method, "path": request.url.path, "headers": dict(request.headers), "body": body}
    RECEIVED.append(entry)
    LAST.clear()
    LAST.update(entry)
    return body


async def _scripted(script: dict[str, Any]) -> Response:
    if "hang" in script:
        await asyncio.sleep(float(script["hang"]))
    if "json" in script:
        return JSONResponse(script["json"], status_code=int(script.get("status", 200)))
    if "raw" in script:
        return Response(script["raw"], status_code=int(script.get("status", 200)),
                        media_type=script.get("media_type", "text/plain"))

    async def events() -> AsyncIterator[str]:
        for event in script.get("sse", []):
            await asyncio.sleep(0.01)
            yield event if isinstance(event, str) else f"data: {json.dumps(event, ensure_ascii=False)}\n\n"
        if script.get("fail"):
            raise Broken("the connection is dropped on purpose")
        if script.get("done", True):
            yield "data: [DONE]\n\n"

    return StreamingResponse(events(), media_type="text/event-stream")


async def model(request: Request) -> Response:
    body = await _record(request)
    if SCRIPTS:
        return await _scripted(SCRIPTS.pop(0))
    prompt = _prompt(body)
    if "reverse:" in prompt:
        reply = prompt.split("reverse:", 1)[1].strip()[::-1]
    else:
        reply = prompt.split("say:", 1)[1].strip() if "say:" in prompt else "ok"
    chat = request.url.path.endswith("chat/completions")
    kind = "chat.completion" if chat else "text_completion"
    base = {"id": "chatcmpl-1", "object": kind + (".chunk" if chat else ""), "created": 1,
            "model": body.get("model", "m") if isinstance(body, dict) else "m"}
    if not (isinstance(body, dict) and body.get("stream") is True):
        choice = {"index": 0, "message": {"role": "assistant", "content": reply}} if chat else {"index": 0,
                                                                                              "text": reply}
        return JSONResponse({**base, "object": kind, "choices": [{**choice, "finish_reason": "stop"}]})

    def piece(text: str | None, finish: str | None = None) -> str:
        if chat:
            choice: dict[str, Any] = {"index": 0, "delta": {"content": text} if text is not None else {}}
        else:
            choice = {"index": 0, "text": text or ""}
        return f"data: {json.dumps({**base, 'choices': [{**choice, 'finish_reason': finish}]}, ensure_ascii=False)}\n\n"

    async def events() -> AsyncIterator[str]:
        if chat:
            yield f"data: {json.dumps({**base, 'choices': [{'index': 0, 'delta': {'role': 'assistant'}}]})}\n\n"
        for i in range(0, len(reply), 3):
            await asyncio.sleep(CHUNK_DELAY)
            yield piece(reply[i:i + 3])
        yield piece(None, "stop")
        yield "data: [DONE]\n\n"

    return StreamingResponse(events(), media_type="text/event-stream")


async def script(request: Request) -> JSONResponse:
    SCRIPTS.append(await request.json())
    return JSONResponse({"queued": len(SCRIPTS)})


async def received(_: Request) -> JSONResponse:
    return JSONResponse(RECEIVED)


async def reset(_: Request) -> JSONResponse:
    RECEIVED.clear()
    SCRIPTS.clear()
    LAST.clear()
    return JSONResponse({"reset": True})


async def last(_: Request) -> JSONResponse:
    return JSONResponse(LAST)


async def models(request: Request) -> JSONResponse:
    await _record(request)
    return JSONResponse({"object": "list", "data": [{"id": "m", "object": "model"}]})


async def anything(request: Request) -> JSONResponse:
    await _record(request)
    return JSONResponse({"error": {"message": "no such route", "type": "invalid_request_error"}}, status_code=404)


app = Starlette(routes=[
    Route("/v1/chat/completions", model, methods=["POST"]), Route("/v1/completions", model, methods=["POST"]),
    Route("/_script", script, methods=["POST"]), Route("/_received", received), Route("/_last", last),
    Route("/_reset", reset, methods=["POST"]), Route("/v1/models", models),
    Route("/{path:path}", anything, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
])



class _QuietBreaks(logging.Filter):
    """The connections this server drops on purpose are not errors worth a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], Broken))


if __name__ == "__main__":
    logging.getLogger("uvicorn.error").addFilter(_QuietBreaks())
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
