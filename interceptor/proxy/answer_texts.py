"""Every text of a model's answer, and what the tiers do to it.

Each choice is checked on its own, every string in it: ``content`` (a string or parts),
``reasoning_content`` and ``reasoning``, ``refusal``, each tool call's name and arguments,
a legacy ``function_call``, a completion's ``text``, and fields no API has yet. A block in
any of them replaces that choice by the refusal with ``finish_reason: "content_filter"``;
masks are written where they were found. Log probabilities carry the answer's tokens, so a
choice that was changed loses them.

The answer's own fields (``id``, ``model``, ``usage``...) are not model text and pass as they are.
"""
from __future__ import annotations

from typing import Any, NamedTuple

from interceptor.proxy.paths import Kind
from interceptor.proxy.places import Slot, put_all, strings

# what stands under these keys in a choice is the API's bookkeeping, not text a model wrote
NOT_TEXT = frozenset({"index", "finish_reason", "logprobs", "role", "type", "id", "tool_call_id"})


class AnswerText(NamedTuple):
    choice: int  # position in ``choices``
    slot: Slot
    text: str


def answer_texts(answer: dict[str, Any]) -> list[AnswerText]:
    """Every model-written string of every choice (the caller has checked the shape)."""
    return [AnswerText(i, Slot(("choices", i, *slot.place)), text)
            for i, choice in enumerate(answer["choices"])
            for slot, text in strings(choice, keys=False, skip=NOT_TEXT)]


def refused_choice(kind: Kind, index: Any, refusal: str) -> dict[str, Any]:
    """A choice whose text was blocked: the refusal in its place, nothing else of it."""
    if kind is Kind.CHAT:
        return {"index": index, "message": {"role": "assistant", "content": refusal}, "logprobs": None,
                "finish_reason": "content_filter"}
    return {"index": index, "text": refusal, "logprobs": None, "finish_reason": "content_filter"}


def apply_masks(answer: dict[str, Any], masked: list[tuple[AnswerText, str]]) -> None:
    put_all(answer, [(t.slot, new) for t, new in masked])
    for t, _ in masked:
        choice = answer["choices"][t.choice]
        if "logprobs" in choice:
            choice["logprobs"] = None
