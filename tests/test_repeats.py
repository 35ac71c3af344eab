"""Repeated stretches are found alike in C and Python, and cutting them changes no verdict."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interceptor import Interceptor
from interceptor.engine import repeats as repeats_module
from interceptor.engine.repeats import MAX_PERIOD, MIN_LENGTH, Cuts, find_stretches

UNIT_PARTS = st.sampled_from([*"ab 1.★冰毒微信枪支", "\u200b", "\u0301", "😀", "fuck", "kill yourself ", "银行卡"])
UNITS = st.lists(UNIT_PARTS, min_size=1, max_size=6).map("".join).filter(lambda u: len(u) <= MAX_PERIOD)
FILLER = st.text(alphabet="今天天气很好我们去公园散步吧。，the cat sat on a mat", max_size=80)


@st.composite
def repetitive(draw: st.DrawFn) -> str:
    """Texts made of filler and long runs of one unit."""
    out = []
    for _ in range(draw(st.integers(1, 3))):
        out.append(draw(FILLER))
        unit = draw(UNITS)
        out.append(unit * draw(st.integers(1, 3 * MIN_LENGTH // len(unit))))
    out.append(draw(FILLER))
    return "".join(out)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(repetitive() | st.text(max_size=700))
def test_stretches_are_found_alike_in_c_and_python(text: str) -> None:
    if repeats_module._c_stretches is None:
        pytest.skip("the C extension was not built here")
    assert find_stretches(text) == find_stretches(text, fast=False)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(repetitive())
def test_stretches_repeat_and_do_not_overlap(text: str) -> None:
    found = find_stretches(text, fast=False)
    end = 0
    for st_ in found:
        assert st_.start >= end and st_.end - st_.start >= MIN_LENGTH and 1 <= st_.period <= MAX_PERIOD
        assert text[st_.start:st_.end - st_.period] == text[st_.start + st_.period:st_.end]
        end = st_.end
    cuts = Cuts(text, found)
    assert len(cuts.text) == len(text) - sum(c.removed for c in cuts.cuts)


def _covered(hits: list, term: str) -> set[int]:  # type: ignore[type-arg]
    return {i for h in hits if h.term == term for i in range(h.start, h.end)}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(repetitive())
def test_cutting_repeated_stretches_keeps_every_hit(cases_guard: Interceptor, text: str) -> None:
    engine = cases_guard.engine
    whole = engine.scan_uncut(text)
    cut = engine.scan(text)
    assert {(h.term, h.tier) for h in cut} == {(h.term, h.tier) for h in whole}
    for term in {h.term for h in whole}:
        every, merged = _covered(whole, term), _covered(cut, term)
        assert every <= merged  # every character a copy covers is still covered
        # and what the merged hits add lies between copies of the same term
        assert all(min(every) <= i < max(every) + 1 for i in merged - every)
    for h in cut:
        assert text[h.start:h.end] == h.matched


def test_a_flood_of_one_term_is_one_hit(cases_guard: Interceptor) -> None:
    text = "请加" + "微信" * 50_000 + "谢谢"
    v = cases_guard.check(text)
    assert [(h.term, h.start, h.end) for h in v.hits] == [("微信", 2, 100_002)]
    assert v.text == "请加" + "*" * 100_000 + "谢谢"


def test_a_run_inside_a_match_keeps_its_span(cases_guard: Interceptor) -> None:
    text = "哪里能买到枪" + " " * 50_000 + "支"
    hits = [h for h in cases_guard.check(text).hits if h.term == "枪支"]
    assert [(h.start, h.end) for h in hits] == [(5, 50_007)]
