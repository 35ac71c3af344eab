"""Which layer acted on a question: Interceptor (on the prompt or on the answer) or the model.

A filing must say what the service as a whole does *and* why: a must-answer question refused
because a keyword fired is Interceptor's over-blocking, one refused by the model is the model's.

Through ``interceptor proxy`` the proxy says what it did:

* a blocked prompt is answered ``400`` with ``error.code = "content_blocked"``;
* the ``X-Interceptor-Input`` header carries the prompt's action (``pass|mask|warn|block``)
  and ``X-Interceptor-Output`` a plain answer's; a stream's answer action arrives in its last
  event before ``[DONE]`` (``{"choices": [], "interceptor": {"output": action}}``), as headers
  leave first; a blocked choice also carries ``interceptor: {"action": "block"}`` and
  ``finish_reason: "content_filter"``.

With the model as target, ``--moderate URL`` asks ``/v1/moderate`` about the prompt and the
answer, which says what Interceptor *would* have done. Without either, only the model's own
refusals can be seen.

One layer per question for the report's table, the first in the pipeline that decided the
outcome: a blocked prompt never reached the model; a blocked answer was the model's answer
stopped; then the model's own refusal; masks and warnings changed text but let it through.
"""
from __future__ import annotations

from enum import StrEnum

ACTIONS = ("pass", "mask", "warn", "block")
SEVERITY = {a: i for i, a in enumerate(ACTIONS)}


class Layer(StrEnum):
    PROMPT_BLOCKED = "prompt_blocked"
    ANSWER_BLOCKED = "answer_blocked"
    MODEL_REFUSED = "model_refused"
    ANSWER_MASKED = "answer_masked"
    PROMPT_MASKED = "prompt_masked"
    WARNED = "warned"
    NONE = "none"

    @property
    def interceptor(self) -> bool:
        return self not in (Layer.MODEL_REFUSED, Layer.NONE)


DESCRIPTION = {
    Layer.PROMPT_BLOCKED: "Interceptor blocked the prompt",
    Layer.ANSWER_BLOCKED: "Interceptor blocked the answer",
    Layer.MODEL_REFUSED: "the model refused by itself",
    Layer.ANSWER_MASKED: "Interceptor masked the answer",
    Layer.PROMPT_MASKED: "Interceptor masked the prompt",
    Layer.WARNED: "Interceptor warned",
    Layer.NONE: "nothing acted",
}


def worst(*actions: str | None) -> str | None:
    """The most severe of the actions known (``None`` when none is known)."""
    known = [a for a in actions if a in SEVERITY]
    return max(known, key=SEVERITY.__getitem__) if known else None


def decide(input_action: str | None, output_action: str | None, refused: bool) -> Layer:
    if input_action == "block":
        return Layer.PROMPT_BLOCKED
    if output_action == "block":
        return Layer.ANSWER_BLOCKED
    if refused:
        return Layer.MODEL_REFUSED
    if output_action == "mask":
        return Layer.ANSWER_MASKED
    if input_action == "mask":
        return Layer.PROMPT_MASKED
    if "warn" in (input_action, output_action):
        return Layer.WARNED
    return Layer.NONE
