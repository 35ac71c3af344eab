"""From hits to a verdict: tier precedence and masking."""
from __future__ import annotations

from interceptor.policy import decide, mask, verdict
from interceptor.types import ACTION_SEVERITY, SEVERITY, Action, Hit, Tier


def _hit(tier: Tier, start: int, end: int, text: str = "abcdefghij") -> Hit:
    return Hit(term="t", category="c", tier=tier, start=start, end=end, matched=text[start:end], variant="exact")


def test_the_most_severe_tier_decides() -> None:
    assert decide([]) is Action.PASS
    assert decide([_hit(Tier.MONITOR, 0, 1)]) is Action.PASS
    assert decide([_hit(Tier.MASK, 0, 1), _hit(Tier.WARN, 2, 3)]) is Action.WARN
    assert decide([_hit(Tier.WARN, 0, 1), _hit(Tier.BLOCK, 2, 3), _hit(Tier.MASK, 4, 5)]) is Action.BLOCK
    assert [a for a, _ in sorted(ACTION_SEVERITY.items(), key=lambda kv: kv[1])] == \
        [Action.PASS, Action.MASK, Action.WARN, Action.BLOCK]
    assert SEVERITY[Tier.MONITOR] == ACTION_SEVERITY[Action.PASS]


def test_masking_stars_every_code_point_of_mask_hits_only() -> None:
    text = "abcdefghij"
    assert mask(text, [_hit(Tier.MASK, 1, 3), _hit(Tier.WARN, 5, 7), _hit(Tier.MASK, 2, 4)]) == "a***efghij"
    assert mask(text, [_hit(Tier.MASK, 8, 10), _hit(Tier.MASK, 0, 1)]) == "*bcdefgh**"
    assert mask(text, []) == text


def test_a_block_verdict_has_no_text() -> None:
    v = verdict("abcdefghij", [_hit(Tier.BLOCK, 0, 2), _hit(Tier.MASK, 3, 4)], "v1", "output")
    assert v.action is Action.BLOCK and v.text is None and v.direction == "output" and len(v.hits) == 2
    w = verdict("abcdefghij", [_hit(Tier.MASK, 3, 4)], "v1")
    assert w.action is Action.MASK and w.text == "abc*efghij"
