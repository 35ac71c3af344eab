"""The checks a request needs, as plain functions of the guard.

The same functions run inline for a small text and in a check worker (``checkpool``) for a
big one, so both paths give the same verdicts; each is picklable by reference, and so are
its arguments and results.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from interceptor.engine import Interceptor
from interceptor.stream import Step, StreamChecker, StreamState
from interceptor.types import Verdict


class Item(NamedTuple):
    """One text to check, with the conversation's earlier messages (for contextual rules)."""

    text: str
    direction: str
    messages: Sequence[str] | None = None

    @property
    def cost(self) -> int:
        """What the check costs, in characters scanned: the text and every earlier message."""
        return len(self.text) + sum(len(m) for m in self.messages or ())


class Fed(NamedTuple):
    """A stream step and the state it leaves."""

    step: Step
    state: StreamState


def check_one(guard: Interceptor, item: Item) -> Verdict:
    return guard.check(item.text, direction=item.direction, messages=item.messages)


def check_many(guard: Interceptor, items: Sequence[Item]) -> list[Verdict]:
    return [guard.check(i.text, direction=i.direction, messages=i.messages) for i in items]


def feed(guard: Interceptor, state: StreamState, chunk: str, final: bool) -> Fed:
    step = StreamChecker(guard, state).feed(chunk, final=final)
    return Fed(step, state)


def feed_cost(state: StreamState, chunk: str, final: bool) -> int:
    """Characters a stream step scans: the whole text on the final step, else what is held
    back and the new chunk (the tail re-read before them is bounded by the lexicon)."""
    if final:
        return len(state.text) + len(chunk)
    return len(state.text) - state.released + len(chunk)
