"""The proxy's checks and records: the service's engine and audit log, for texts found in
requests and answers.

Checks of a large body run in a worker thread, so one big request never holds the event
loop every other stream is relayed on. Records go through the same module as the
service's (``interceptor.service.verdicts``): a block is committed before the refusal is
sent, with the complete chat as the client sent it.
"""
from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

import orjson

from interceptor.audit.store import StoreUnavailable
from interceptor.audit.writer import Overloaded
from interceptor.proxy.errors import ProxyError
from interceptor.proxy.paths import Kind
from interceptor.proxy.request_texts import recorded_chat
from interceptor.service import metrics
from interceptor.service.runtime import Runtime
from interceptor.service.verdicts import Outcome, Subject, record_verdict
from interceptor.types import Action, Verdict

OFFLOAD_CHARS = 20_000  # measured: checking this much text takes about a millisecond or more


class Job(NamedTuple):
    """One text to check."""

    text: str
    direction: str
    earlier: tuple[str, ...] | None = None  # the conversation before it, for contextual rules


@dataclass
class Exchange:
    """One request through the proxy: what its records say about it."""

    raw: bytes  # the body as the client sent it
    kind: Kind
    conversation_id: str | None

    @cached_property
    def original(self) -> dict[str, Any]:
        body: dict[str, Any] = orjson.loads(self.raw)
        return body

    def subject(self, text: str, direction: str, verdict: Verdict, where: str) -> Subject:
        """A block record holds the complete chat (or the completion's prompt) as sent."""
        if verdict.action is not Action.BLOCK:
            return Subject(text, direction, self.conversation_id, where=where)
        prompt = self.original.get("prompt") if self.kind is Kind.COMPLETIONS else None
        return Subject(text, direction, self.conversation_id, messages=recorded_chat(self.original), prompt=prompt,
                       where=where)


class Checks:
    def __init__(self, rt: Runtime):
        self.rt = rt

    async def verdicts(self, jobs: Sequence[Job]) -> list[Verdict]:
        if sum(len(j.text) for j in jobs) > OFFLOAD_CHARS:
            return await asyncio.to_thread(self._run, jobs)
        return self._run(jobs)

    def _run(self, jobs: Sequence[Job]) -> list[Verdict]:
        guard = self.rt.guard
        seen: dict[tuple[str, str], Verdict] = {}  # keys and labels repeat: "type", "text", "user"...
        out = []
        for job in jobs:
            if job.earlier is not None:
                out.append(guard.check(job.text, direction=job.direction, messages=job.earlier))
                continue
            got = seen.get((job.text, job.direction))
            if got is None:
                got = seen[(job.text, job.direction)] = guard.check(job.text, direction=job.direction)
            out.append(got)
        return out

    def record(self, exchange: Exchange, text: str, direction: str, verdict: Verdict, where: str) -> Outcome:
        try:
            return record_verdict(self.rt, exchange.subject(text, direction, verdict, where), verdict, "proxy")
        except (StoreUnavailable, Overloaded) as e:
            raise unavailable(e) from None

    @staticmethod
    async def committed(futures: Sequence[asyncio.Future[None]]) -> None:
        try:
            await asyncio.gather(*futures)
        except (StoreUnavailable, Overloaded) as e:
            raise unavailable(e) from None

    @staticmethod
    def count(action: Action) -> None:
        metrics.REQUESTS.labels("proxy", action.value).inc()


def unavailable(e: Exception) -> ProxyError:
    metrics.AUDIT_ERRORS.inc()
    return ProxyError(503, "audit_unavailable", f"the audit log cannot record this request right now: {e}",
                      kind="server_error", headers={"Retry-After": "1"})
