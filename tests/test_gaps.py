"""engine/gaps.py: what lies between two characters of a match, counted as a reader sees it."""
from __future__ import annotations

import pytest

from interceptor.engine.gaps import _SHORT, gap
from interceptor.normalize.tables import load

# the gap -> its runs of visible noise
RUNS = [
    ("", 0),
    ("★★★★★★", 1),  # one character repeated
    (" ", 1),
    (" ★ ", 3),
    ("🇨🇳", 1),  # a flag: two regional indicators, one symbol
    (" 🇨🇳 ", 3),
    ("🇨🇳🇺🇸", 2),  # two flags
    (" 🇨🇳🇨🇳 ", 4),  # the same flag twice: two symbols
    ("🇨🇳🇺", 2),  # a flag and an indicator alone
    ("👍🏽", 1),  # an emoji and its skin tone
    ("👨\u200d👩\u200d👧", 1),  # emoji joined by zero-width joiners
    ("★ ★ ★", 5),
    ("\u200b\u200b", 0),  # removed: no run
    ("🇨", 1),  # an indicator alone is a symbol too
]


@pytest.mark.parametrize(("between", "runs"), RUNS, ids=[repr(g) for g, _ in RUNS])
def test_runs(between: str, runs: int) -> None:
    text = "冰" + between + "毒"
    assert gap(text, 1, 1 + len(between), load()).runs == runs


@pytest.mark.parametrize(("between", "runs"), [r for r in RUNS if r[0]], ids=[repr(g) for g, _ in RUNS if g])
def test_a_long_gap_counts_as_a_short_one(between: str, runs: int) -> None:
    """Past ``_SHORT`` characters the gap is read with NumPy: the same runs, the same rule."""
    pad = "\u200b" * (_SHORT + 1)
    text = "冰" + pad + between + "毒"
    assert gap(text, 1, 1 + len(pad) + len(between), load()).runs == runs
