"""A small upstream that answers like the OpenAI API, streaming SSE, for the proxy tests.

The assistant repeats what follows ``say:`` in the last user message (or reverses what
follows ``reverse:``); the last request's
headers and body are kept for the tests to inspect at ``/_last``.
"""
from __future__ import annotations

import asyncio
import json
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

LAST: dict[str, object] = {}
CHUNK_DELAY = 0.05


async def chat(request: Request) -> object:
    body = await request.json()
    LAST.clear()
    LAST.update(headers=dict(request.headers), body=body)
    prompt = body["messages"][-1]["content"]
    if "reverse:" in prompt:  # lets a test get a term back without sending it upstream
        reply = prompt.split("reverse:", 1)[1].strip()[::-1]
    else:
        reply = prompt.split("say:", 1)[1].strip() if "say:" in prompt else "ok"
    base = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": body.get("model", "m")}
    if not body.get("stream"):
        return JSONResponse({**base, "object": "chat.completion", "choices": [
            {"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}]})

    async def events():  # type: ignore[no-untyped-def]
        yield f"data: {json.dumps({**base, 'choices': [{'index': 0, 'delta': {'role': 'assistant'}}]})}\n\n"
        for i in range(0, len(reply), 3):
            await asyncio.sleep(CHUNK_DELAY)
            chunk = {**base, "choices": [{"index": 0, "delta": {"content": reply[i:i + 3]}, "finish_reason": None}]}
            yield f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"
        yield f"data: {json.dumps({**base, 'choices': [{'index': 0, 'delta': {}, 'finish_reason': 'stop'}]})}\n\n"
        yield "data: [DONE]\n\n"

    return StreamingResponse(events(), media_type="text/event-stream")


async def last(_: Request) -> JSONResponse:
    return JSONResponse(LAST)


async def models(_: Request) -> JSONResponse:
    return JSONResponse({"object": "list", "data": [{"id": "m", "object": "model"}]})


app = Starlette(routes=[Route("/v1/chat/completions", chat, methods=["POST"]), Route("/_last", last),
                        Route("/v1/models", models)])

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
