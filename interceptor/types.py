"""Value types shared by the engine, the service and the command line.

Everything here is immutable: a verdict can be handed to another thread or serialised
without copying.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Tier(str, Enum):
    """What a term does when it hits (CONTRACT §1)."""

    BLOCK = "block"
    WARN = "warn"
    MASK = "mask"
    MONITOR = "monitor"


class Action(str, Enum):
    """What happens to a text as a whole (CONTRACT §2)."""

    PASS = "pass"
    MASK = "mask"
    WARN = "warn"
    BLOCK = "block"


# Tier precedence, chosen here and only here: block > warn > mask. A warn outranks a mask
# because the user must acknowledge it before the (masked) text is shown; monitor never acts.
SEVERITY: dict[Tier, int] = {Tier.MONITOR: 0, Tier.MASK: 1, Tier.WARN: 2, Tier.BLOCK: 3}
ACTION_OF_TIER: dict[Tier, Action] = {Tier.MASK: Action.MASK, Tier.WARN: Action.WARN, Tier.BLOCK: Action.BLOCK}
# The same order over actions, read off the table above (pass is a monitor hit's action).
ACTION_SEVERITY: dict[Action, int] = {Action.PASS: SEVERITY[Tier.MONITOR],
                                      **{a: SEVERITY[t] for t, a in ACTION_OF_TIER.items()}}



def action_of(tiers: Iterable[Tier]) -> Action:
    """The action of a text whose hits have ``tiers``: the most severe one's (``SEVERITY``)."""
    worst = max(tiers, key=SEVERITY.__getitem__, default=Tier.MONITOR)
    return ACTION_OF_TIER.get(worst, Action.PASS)


DIRECTIONS = ("input", "output")


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a term (or a contextual rule) in a text.

    ``start``/``end`` are half-open code-point offsets into the text exactly as submitted;
    ``matched == text[start:end]`` always holds, whatever normalisation found the hit.
    """

    term: str
    category: str
    tier: Tier
    start: int
    end: int
    matched: str
    variant: str
    lang: str = ""
    rule_terms: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "term": self.term,
            "category": self.category,
            "tier": self.tier.value,
            "start": self.start,
            "end": self.end,
            "matched": self.matched,
            "variant": self.variant,
        }
        if self.rule_terms:
            d["terms"] = list(self.rule_terms)
        return d


@dataclass(frozen=True, slots=True)
class Verdict:
    """The decision for one text (CONTRACT §2)."""

    action: Action
    text: str | None
    hits: tuple[Hit, ...]
    lexicon_version: str
    direction: str = "input"
    categories: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action.value,
            "text": self.text,
            "hits": [h.to_dict() for h in self.hits],
            "lexicon_version": self.lexicon_version,
        }
