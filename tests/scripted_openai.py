"""An OpenAI-compatible chat service that answers from a script, for the assessment tests.

    python tests/scripted_openai.py PORT SCRIPT.json

The script maps the user's last message to what the service does::

    {"default": {"text": "ok"},
     "replies": {"question": {"text": "…", "finish_reason": "stop", "delay": 0.5,
                              "fail": [503, 429], "retry_after": "0", "status": 500, "hang": true}}}

``text``/``finish_reason`` are the answer (streamed in 4-character deltas when the request
asks ``stream: true``); ``delay`` waits before answering; ``fail`` answers those statuses to the
first attempts, then the answer; ``status`` always answers that error; ``hang`` never answers.
``GET /_stats`` gives the number of requests and of answers given per question, so a test can
tell a resumed run from a repeated one. ``POST /classify`` is a classifier endpoint for
``--classifier-url``: it labels an answer by its first word (``clear:``, ``vague:``, or else
``answered``). ``Scripted`` runs the server as a process for a test.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

SCRIPT: dict[str, Any] = {"default": {"text": "ok"}, "replies": {}}
REQUESTS: Counter[str] = Counter()
ANSWERED: Counter[str] = Counter()


def _spec(question: str) -> dict[str, Any]:
    return dict(SCRIPT.get("replies", {}).get(question) or SCRIPT.get("default") or {"text": "ok"})


async def chat(request: Request) -> Response:
    body = await request.json()
    question = body["messages"][-1]["content"]
    REQUESTS[question] += 1
    spec = _spec(question)
    if spec.get("hang"):
        await asyncio.sleep(3600)
    fails = spec.get("fail") or []
    attempt = REQUESTS[question]
    status = spec.get("status") or (fails[attempt - 1] if attempt <= len(fails) else None)
    if status:
        headers = {"retry-after": str(spec["retry_after"])} if "retry_after" in spec else {}
        return JSONResponse({"error": {"message": f"scripted {status}", "type": "server_error", "code": None}},
                            status_code=int(status), headers=headers)
    if spec.get("delay"):
        await asyncio.sleep(float(spec["delay"]))
    text, finish = str(spec.get("text", "")), spec.get("finish_reason", "stop")
    base = {"id": "chatcmpl-s", "created": 1, "model": body.get("model", "m")}
    ANSWERED[question] += 1
    if not body.get("stream"):
        return JSONResponse({**base, "object": "chat.completion", "choices": [
            {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish}]})

    async def events():  # type: ignore[no-untyped-def]
        chunk = {**base, "object": "chat.completion.chunk"}
        yield f"data: {json.dumps({**chunk, 'choices': [{'index': 0, 'delta': {'role': 'assistant'}}]})}\n\n"
        for i in range(0, len(text), 4):
            delta = {"index": 0, "delta": {"content": text[i:i + 4]}, "finish_reason": None}
            yield f"data: {json.dumps({**chunk, 'choices': [delta]}, ensure_ascii=False)}\n\n"
            await asyncio.sleep(0)
        yield f"data: {json.dumps({**chunk, 'choices': [{'index': 0, 'delta': {}, 'finish_reason': finish}]})}\n\n"
        yield "data: [DONE]\n\n"

    return StreamingResponse(events(), media_type="text/event-stream")


async def stats(_: Request) -> JSONResponse:
    return JSONResponse({"requests": dict(REQUESTS), "answered": dict(ANSWERED), "total": sum(REQUESTS.values())})


async def models(_: Request) -> JSONResponse:
    return JSONResponse({"object": "list", "data": [{"id": "m", "object": "model"}]})


async def classify(request: Request) -> JSONResponse:
    item = await request.json()
    first = str(item.get("answer", "")).split(":", 1)[0]
    return JSONResponse({"label": first if first in ("clear", "vague") else "answered", "rule": "by first word"})


app = Starlette(routes=[Route("/v1/chat/completions", chat, methods=["POST"]), Route("/_stats", stats),
                        Route("/v1/models", models), Route("/classify", classify, methods=["POST"])])


def up(url: str, timeout: float = 30) -> None:
    """Wait until ``url`` answers at all (any status): a server process has started."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(url, timeout=1)
            return
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


class Scripted:
    """The server as a child process on a free port, answering from ``script``."""

    def __init__(self, script: dict[str, Any], folder: Path):
        from tests.server import free_port

        self.port = free_port()
        self.path = folder / f"script-{self.port}.json"
        self.path.write_text(json.dumps(script, ensure_ascii=False), encoding="utf-8")
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stats(self) -> dict[str, Any]:
        return dict(httpx.get(self.url + "/_stats", timeout=10).json())

    def __enter__(self) -> Scripted:
        self.proc = subprocess.Popen([sys.executable, __file__, str(self.port), str(self.path)])
        up(self.url + "/v1/models")
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.proc is not None
        self.proc.terminate()
        self.proc.wait(timeout=10)

if __name__ == "__main__":
    with open(sys.argv[2], encoding="utf-8") as f:
        SCRIPT.update(json.load(f))
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False,
                timeout_graceful_shutdown=1)
