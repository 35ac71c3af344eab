"""The proxy's checks and records: the service's engine and audit log, for texts found in
requests and answers.

Checks go through ``Runtime.checked`` as the service's do: a request whose texts are big is
checked in a check worker within ``[limits] check_budget_s``, so one big request never holds
the event loop every other stream is relayed on, and one that cannot be checked in time
answers ``503 check_timeout`` with Retry-After — never a pass. Records go through the same
module as the service's (``interceptor.service.verdicts``): a block is committed before the
refusal is sent, with the complete chat as the client sent it.
"""
from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple, TypeVar

import orjson

from interceptor.audit.store import StoreUnavailable
from interceptor.audit.writer import Overloaded
from interceptor.proxy.errors import ProxyError
from interceptor.proxy.paths import Kind
from interceptor.proxy.request_texts import recorded_chat
from interceptor.service import metrics
from interceptor.service.checkpool import BudgetExceeded, PoolUnavailable
from interceptor.service.checks import Item, check_many
from interceptor.service.runtime import Runtime
from interceptor.service.verdicts import Outcome, Subject, record_verdict
from interceptor.types import Action, Verdict

T = TypeVar("T")


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

    def subject(self, text: str, direction: str, verdict: Verdict, where: str,
                images: Sequence[dict[str, Any]] = ()) -> Subject:
        """A block record holds the complete chat (or the completion's prompt) as sent; a
        record of a message with images, what was read from them (``images.record``)."""
        if verdict.action is not Action.BLOCK:
            return Subject(text, direction, self.conversation_id, where=where, images=images)
        prompt = self.original.get("prompt") if self.kind is Kind.COMPLETIONS else None
        return Subject(text, direction, self.conversation_id, messages=recorded_chat(self.original), prompt=prompt,
                       where=where, images=images)


class Checks:
    def __init__(self, rt: Runtime):
        self.rt = rt

    async def verdicts(self, jobs: Sequence[Job]) -> list[Verdict]:
        """The verdict of every job, all within one budget; each distinct job checked once
        (keys and labels repeat: "type", "text", "user"...)."""
        distinct: dict[Job, int] = {}
        for job in jobs:
            distinct.setdefault(job, len(distinct))
        items = [Item(j.text, j.direction, j.earlier) for j in distinct]
        got = await self.within_budget(sum(i.cost for i in items), check_many, items)
        return [got[distinct[j]] for j in jobs]

    async def within_budget(self, cost: int, fn: Callable[..., T], *args: Any) -> T:
        """``Runtime.checked``; past the budget, a 503 that says so."""
        try:
            return await self.rt.checked(cost, fn, *args)
        except (BudgetExceeded, PoolUnavailable) as e:
            metrics.CHECK_TIMEOUTS.inc()
            retry = str(max(1, math.ceil(self.rt.settings.check_budget_s)))
            raise ProxyError(503, "check_timeout", f"the texts could not be checked in time ({e}); retry later",
                             kind="server_error", headers={"Retry-After": retry}) from None

    def record(self, exchange: Exchange, text: str, direction: str, verdict: Verdict, where: str,
               images: Sequence[dict[str, Any]] = ()) -> Outcome:
        try:
            return record_verdict(self.rt, exchange.subject(text, direction, verdict, where, images), verdict,
                                  "proxy")
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
