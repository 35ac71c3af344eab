"""From hits to a verdict (CONTRACT §2): tier precedence and masking.

Precedence is block > warn > mask (``types.SEVERITY``); ``monitor`` hits are reported and
logged but never change the action. Masking replaces every original code point of every
``mask`` hit with ``*`` — the noise characters inside the hit included — so the masked
text always has the length of the submitted one.
"""
from __future__ import annotations

from collections.abc import Sequence

from interceptor.types import Action, Hit, Tier, Verdict, action_of


def decide(hits: Sequence[Hit]) -> Action:
    return action_of(h.tier for h in hits)


def mask(text: str, hits: Sequence[Hit]) -> str:
    """``text`` with the characters of every mask-tier hit replaced by ``*``."""
    spans = sorted((h.start, h.end) for h in hits if h.tier is Tier.MASK)
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for a, b in spans:
        if b <= pos:
            continue
        a = max(a, pos)
        out.append(text[pos:a])
        out.append("*" * (b - a))
        pos = b
    out.append(text[pos:])
    return "".join(out)


def verdict(text: str, hits: Sequence[Hit], lexicon_version: str, direction: str = "input") -> Verdict:
    action = decide(hits)
    return Verdict(
        action=action,
        text=None if action is Action.BLOCK else mask(text, hits),
        hits=tuple(hits),
        lexicon_version=lexicon_version,
        direction=direction,
    )
