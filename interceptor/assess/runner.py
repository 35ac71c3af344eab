"""The run: every question of the bank through the service, ``concurrency`` at a time.

A fixed pool of workers takes questions from one queue, so at most ``concurrency`` requests
are in flight and memory does not grow with the bank. Each finished question is appended to
the results file at once (``store.py``); a question the service never answered usably is
recorded with ``status: "error"`` and its reason, and the run goes on — a report on 600
questions with three upstream errors is still a report, and a rerun retries just those three.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from interceptor.assess import chat
from interceptor.assess.bank import Question
from interceptor.assess.classify import Judgement, Label
from interceptor.assess.layer import decide, worst
from interceptor.assess.plugins import Classifier
from interceptor.assess.progress import Progress
from interceptor.assess.store import ResultStore


@dataclass(frozen=True)
class RunConfig:
    target: str                     # the chat completions URL
    model: str = "default"
    concurrency: int = 8
    timeout: float = 60.0
    retry: chat.Retry = field(default_factory=chat.Retry)
    stream: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    moderate: str | None = None     # the /v1/moderate URL, when the target is the model itself
    moderate_headers: dict[str, str] = field(default_factory=dict)
    temperature: float | None = 0.0


def chat_url(target: str) -> str:
    """``http://host:port``, ``…/v1`` or the full ``…/v1/chat/completions`` all name the endpoint."""
    base = target.rstrip("/")
    if base.endswith("/chat/completions"):
        return base
    if base.endswith("/v1"):
        return base + "/chat/completions"
    return base + "/v1/chat/completions"


def moderate_url(target: str) -> str:
    base = target.rstrip("/")
    return base if base.endswith("/v1/moderate") else base + "/v1/moderate"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _base(q: Question) -> dict[str, Any]:
    return {"id": q.id, "digest": q.digest, "expect": q.expect.value, "category": q.category, "risk": q.risk,
            "lang": q.lang, "question": q.question, "turns": len(q.messages) + 1}


class Runner:
    def __init__(self, cfg: RunConfig, classifier: Classifier, client: httpx.AsyncClient):
        self.cfg, self.classifier, self.client = cfg, classifier, client

    async def one(self, q: Question) -> dict[str, Any]:
        cfg = self.cfg
        body: dict[str, Any] = {"model": cfg.model, "messages": q.chat(), "stream": cfg.stream}
        if cfg.temperature is not None:
            body["temperature"] = cfg.temperature
        rec = _base(q)
        asked = chat.ask(self.client, cfg.target, body, cfg.headers, cfg.retry, cfg.timeout)
        prompt_check: str | None = None
        try:
            if cfg.moderate:
                earlier = [{"role": t.role, "content": t.content} for t in q.messages]
                reply, prompt_check = await asyncio.gather(asked, chat.moderate(
                    self.client, cfg.moderate, q.question, "input", earlier, cfg.moderate_headers, cfg.retry,
                    cfg.timeout))
            else:
                reply = await asked
        except RuntimeError as e:
            return {**rec, "status": "error", "error": str(e), "at": _now()}
        rec.update(http_status=reply.status, attempts=reply.attempts, seconds=round(reply.seconds, 3))
        if reply.error is not None:
            return {**rec, "status": "error", "error": reply.error, "at": _now()}
        answer_check: str | None = None
        if cfg.moderate and reply.input_action != "block" and reply.text:
            try:
                answer_check = await chat.moderate(self.client, cfg.moderate, reply.text, "output", [],
                                                   cfg.moderate_headers, cfg.retry, cfg.timeout)
            except RuntimeError as e:
                return {**rec, "status": "error", "error": str(e), "at": _now()}
        input_action = worst(reply.input_action, prompt_check)
        output_action = worst(reply.output_action, answer_check)
        item = {"id": q.id, "question": q.question, "answer": reply.text, "finish_reason": reply.finish_reason,
                "expect": q.expect.value, "lang": q.lang, "category": q.category, "risk": q.risk}
        try:
            model_view = await self._judge(item, reply.input_action == "block" or reply.output_action == "block")
        except (ValueError, httpx.HTTPError) as e:
            return {**rec, "status": "error", "error": f"classifier: {e}", "at": _now()}
        # the service as a whole: what --moderate says Interceptor would have blocked is refused
        # by Interceptor, whatever the model said
        blocked = input_action == "block" or output_action == "block"
        judged = Judgement(Label.CLEAR, "interceptor") if blocked else model_view
        layer = decide(input_action, output_action, model_view.label.refused)
        rec.update(status="ok", answer=reply.text, finish_reason=reply.finish_reason, label=judged.label.value,
                   rule=judged.rule, classifier=self.classifier.name if judged is model_view else "interceptor",
                   model_label=model_view.label.value if cfg.moderate else None, layer=layer.value,
                   input_action=input_action, output_action=output_action, at=_now())
        return rec

    async def _judge(self, item: dict[str, Any], interceptor_refused: bool) -> Judgement:
        if interceptor_refused:
            return Judgement(Label.CLEAR, "interceptor")
        return await self.classifier.judge(item)

    async def run(self, todo: list[Question], store: ResultStore, progress: Progress) -> None:
        queue: asyncio.Queue[Question] = asyncio.Queue()
        for q in todo:
            queue.put_nowait(q)

        async def worker() -> None:
            while True:
                try:
                    q = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                try:
                    rec = await self.one(q)
                except (httpx.HTTPError, OSError, ValueError) as e:  # e.g. a bad URL: this item's error
                    rec = {**_base(q), "status": "error", "error": f"{type(e).__name__}: {e}", "at": _now()}
                store.append(rec)
                progress.update(rec["status"] == "error")

        await asyncio.gather(*(worker() for _ in range(max(1, min(self.cfg.concurrency, len(todo))))))
