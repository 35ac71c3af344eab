"""No text costs more than a few times as much natural text: every channel is linear.

Each adversarial family (``tests/adversarial.py``) is checked at 100,000 characters — the
service's default limit — and must cost at most ``BOUND`` times what checking 100,000
characters of natural mixed Chinese and English text costs, measured in this process as a
ratio of best-of-a-few timings of CPU time, with the bundled lexicon and with the public evaluation
lexicon where it is present. A second test checks the channels themselves, with no stretch
cut (``Engine.scan_uncut``): a text four times as long costs at most about four times as
much (``GROWTH`` leaves room for the machine's noise; a quadratic path costs sixteen).
"""
from __future__ import annotations

import gc
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from interceptor import Interceptor
from tests.adversarial import families, natural
from tests.conftest import ROOT

SIZE = 100_000
BOUND = 3.0
GROWTH = 8.0  # cost(4n) / cost(n): linear is 4, quadratic 16

LEXICONS = {"bundled": ROOT / "lexicons" / "default"}
_EVAL = next((p / "shared" / "eval" / "lexicon" for p in (ROOT, *ROOT.parents)
              if (p / "shared" / "eval" / "lexicon").is_dir()), None)
if _EVAL is not None:
    LEXICONS["public evaluation"] = _EVAL


@cache
def _guard(name: str) -> Interceptor:
    return Interceptor.from_path(LEXICONS[name])


def _cost(f: Callable[[str], object], text: str, repeats: int) -> float:
    """Best of ``repeats`` timings of this thread's CPU time: on a shared machine wall time
    grows with the run's length by the waits for the processor, CPU time does not (the
    collector is off while a timing runs)."""
    best = float("inf")
    for _ in range(repeats):
        gc.disable()
        try:
            t0 = time.thread_time()
            f(text)
            best = min(best, time.thread_time() - t0)
        finally:
            gc.enable()
    return best


@cache
def _natural_cost(name: str) -> float:
    guard = _guard(name)
    text = natural(SIZE)
    guard.check(text)
    return _cost(guard.check, text, 5)


@cache
def _families(name: str) -> dict[str, Callable[[int], str]]:
    return families(_guard(name))


# The family names, known without loading the big lexicons at collection time: the names
# are the same for every lexicon (a term a family repeats is chosen when it runs).
_NAMES = list(families(Interceptor.from_path(ROOT / "tests" / "cases" / "lexicon")))
_CASES = [(lex, fam) for lex in LEXICONS for fam in _NAMES]


@pytest.mark.parametrize(("lexicon", "family"), _CASES, ids=[f"{lex}: {fam}" for lex, fam in _CASES])
def test_an_adversarial_text_costs_at_most_three_times_natural_text(lexicon: str, family: str) -> None:
    guard = _guard(lexicon)
    text = _families(lexicon)[family](SIZE)
    assert len(text) == SIZE
    verdict = guard.check(text)
    for h in verdict.hits:
        assert text[h.start:h.end] == h.matched
    ratio = _cost(guard.check, text, 3) / _natural_cost(lexicon)
    assert ratio <= BOUND, f"{family}: {ratio:.2f} times natural text"


def test_natural_text_is_what_the_ratio_is_taken_against() -> None:
    text = natural(SIZE)
    assert len(text) == SIZE and sum(map(str.isascii, text)) > SIZE // 5  # Chinese and English
    assert Path(ROOT / "tests" / "data" / "natural_mixed.txt").read_text(encoding="utf8").startswith("#")


# the channels themselves, with no stretch cut: linear, at sizes where a quadratic path shows
LINEAR_SIZE = 1_500


@pytest.mark.parametrize("family", _NAMES)
def test_every_channel_is_linear(family: str) -> None:
    guard = _guard("bundled")
    make = _families("bundled")[family]
    scan = guard.engine.scan_uncut
    small, large = make(LINEAR_SIZE), make(4 * LINEAR_SIZE)
    scan(small)
    a, b = _cost(scan, small, 3), _cost(scan, large, 5)
    if b < 10e-3:
        return  # too fast to time reliably: a quadratic path costs far more than this here
    assert b / a <= GROWTH, f"{family}: a text four times as long costs {b / a:.2f} times as much"
