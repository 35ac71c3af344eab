"""Latin suspects (leet, repeated, separated words): cost linear in the text."""
from __future__ import annotations

import time

from interceptor import Interceptor


def _best(guard: Interceptor, text: str) -> float:
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        guard.check(text)
        times.append(time.perf_counter() - t0)
    return min(times)


def test_a_long_run_of_one_letter_costs_linear_time(sample_guard: Interceptor) -> None:
    """Every triple in "xxxx…" is a repeat mark; each once walked the whole run (quadratic:
    a 100,000-character text took hours). Eight times the text may cost about eight times
    as much — far from the 64 of a quadratic walk."""
    for text in ("x" * 100, "a" + "1" * 100):
        sample_guard.check(text)  # warm
    for unit in ("x", "1"):
        short = _best(sample_guard, "a" + unit * 10_000)
        long = _best(sample_guard, "a" + unit * 80_000)
        assert long < 24 * short, (unit, short, long)
    t0 = time.perf_counter()
    assert sample_guard.check("傻逼" + "x" * 99_998).action.value == "mask"
    assert time.perf_counter() - t0 < 30
