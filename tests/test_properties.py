"""Properties of verdicts that hold for any text."""
from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from interceptor import Action, Interceptor

NOISE = st.text(alphabet=st.sampled_from(list("*-_.~|★^、·…/ ") + ["\u200b", "\u200c", "\u2060", "\ufeff", "😀"]),
                min_size=1, max_size=3)
CLEAN_ZH = st.text(alphabet=st.sampled_from(list("今天天气很好我们去公园散步吧。，")), max_size=12)
ANY = st.text(max_size=60)


@settings(max_examples=300)
@given(ANY)
def test_offsets_and_masking_hold_for_any_text(cases_guard: Interceptor, text: str) -> None:
    v = cases_guard.check(text)
    for h in v.hits:
        assert 0 <= h.start < h.end <= len(text)
        assert text[h.start:h.end] == h.matched
    if v.action is Action.BLOCK:
        assert v.text is None
    else:
        assert v.text is not None and len(v.text) == len(text)


@settings(max_examples=200)
@given(st.sampled_from(["微信", "枪支", "银行卡", "学习资料", "未成年"]), st.data())
def test_noise_between_characters_is_caught(cases_guard: Interceptor, term: str, data: st.DataObject) -> None:
    gaps = [data.draw(NOISE) for _ in term[1:]]
    written = term[0] + "".join(g + c for g, c in zip(gaps, term[1:], strict=True))
    hits = [h for h in cases_guard.check(written).hits if h.term == term]
    assert hits and hits[0].start == 0 and hits[0].end == len(written)


# Characters matching removes: default-ignorable, format, combining marks (tables.CharClass).
INVISIBLE = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\ufe0f", "\ufe00",
                             "\U000e0041", "\U000e007f", "\U000e0100", "\u202e", "\u202d", "\u202c", "\u2066",
                             "\u2069", "\u200e", "\u061c", "\u180e", "\u034f", "\u3164", "\u0301", "\u0e31",
                             "\u20dd", "\u0488", "\u064b", "\u05b0", "\u0900"])


@settings(max_examples=200)
@given(st.sampled_from(["微信", "枪支", "银行卡", "学习资料", "未成年", "fuck", "kill yourself"]), st.data())
def test_any_number_of_invisible_characters_is_no_gap(cases_guard: Interceptor, term: str,
                                                      data: st.DataObject) -> None:
    gaps = [data.draw(st.lists(INVISIBLE, max_size=40).map("".join)) for _ in term[1:]]
    written = "请" + term[0] + "".join(g + c for g, c in zip(gaps, term[1:], strict=True)) + "。"
    hits = [h for h in cases_guard.check(written).hits if h.term == term]
    assert hits and (hits[0].start, hits[0].end) == (1, len(written) - 1), written


@settings(max_examples=100)
@given(st.sampled_from(["微信", "枪支", "银行卡", "学习资料", "未成年"]), st.data())
def test_a_run_of_one_noise_character_is_one_run(cases_guard: Interceptor, term: str, data: st.DataObject) -> None:
    noise = data.draw(st.sampled_from(list("*-_~|★^/ ") + ["\u3000", "😀"]))
    gaps = [noise * data.draw(st.integers(1, 200)) for _ in term[1:]]
    written = term[0] + "".join(g + c for g, c in zip(gaps, term[1:], strict=True))
    hits = [h for h in cases_guard.check(written).hits if h.term == term]
    assert hits and (hits[0].start, hits[0].end) == (0, len(written))


@settings(max_examples=200)
@given(st.sampled_from(["微信", "枪支", "银行卡", "未成年"]), CLEAN_ZH, CLEAN_ZH)
def test_clean_text_around_a_term_never_moves_it(cases_guard: Interceptor, term: str, pre: str, post: str) -> None:
    text = pre + term + post
    spans = {(h.start, h.end) for h in cases_guard.check(text).hits if h.term == term}
    assert (len(pre), len(pre) + len(term)) in spans


@settings(max_examples=200)
@given(st.sampled_from(["fuck", "cunt", "kill yourself"]), st.text(alphabet="abc xyz,.", max_size=10),
       st.text(alphabet="abc xyz,.", max_size=10))
def test_latin_term_between_words_keeps_offsets(cases_guard: Interceptor, term: str, pre: str, post: str) -> None:
    text = f"{pre} {term} {post}"
    spans = {(h.start, h.end) for h in cases_guard.check(text).hits if h.term == term}
    assert (len(pre) + 1, len(pre) + 1 + len(term)) in spans


@settings(max_examples=200)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6),
       st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=6))
def test_latin_terms_never_hit_inside_words(cases_guard: Interceptor, pre: str, post: str) -> None:
    text = f"{pre}fuck{post}"
    assume(len(text) < 14)
    assert not [h for h in cases_guard.check(text).hits if h.term == "fuck" and h.variant != "repeat"]
