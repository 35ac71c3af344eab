"""Contextual rules: table-driven cases, hit shape, cost, and a property."""
from __future__ import annotations

import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interceptor import Action, Interceptor, Tier
from interceptor.rules import Gauge
from tests.conftest import CASES, ROOT

CASE_LIST = tomllib.loads((CASES / "rules.toml").read_text(encoding="utf8"))["case"]


@pytest.fixture(scope="module")
def guard() -> Interceptor:
    return Interceptor.from_path(CASES / "rules_lexicon")


@pytest.mark.parametrize("case", CASE_LIST, ids=[c["name"] for c in CASE_LIST])
def test_rule_case(guard: Interceptor, case: dict) -> None:  # type: ignore[type-arg]
    v = guard.check(case["text"], messages=case.get("messages"))
    assert sorted(h.term for h in v.hits if h.variant == "rule") == sorted(case["fires"])


def test_rule_hit_shape_and_tier(guard: Interceptor) -> None:
    text = "今天股价下跌了，有人在群里荐股"
    v = guard.check(text)
    (hit,) = [h for h in v.hits if h.variant == "rule"]
    assert hit.category == "market-manipulation" and hit.tier is Tier.BLOCK and v.action.value == "block"
    assert text[hit.start:hit.end] == hit.matched
    assert hit.matched.startswith("股价下跌") and hit.matched.endswith("荐股")
    assert set(hit.rule_terms) == {"股价下跌", "荐股"}
    assert hit.to_dict()["terms"] == list(hit.rule_terms)
    assert not [h for h in v.hits if h.term in ("股价下跌", "荐股")]  # rule-only terms are hidden


def test_cross_message_hit_spans_the_whole_text(guard: Interceptor) -> None:
    text = "把收到的验证码告诉我"
    v = guard.check(text, messages=["您好，我是客服", "请先转账到安全账户"])
    (hit,) = [h for h in v.hits if h.variant == "rule"]
    assert (hit.start, hit.end) == (0, len(text)) and v.action.value == "warn"


UNRELATED = st.text(alphabet=st.sampled_from(list("今天天气很好我们去公园散步吧abc ")), max_size=20)


@settings(max_examples=200)
@given(st.sampled_from(CASE_LIST), UNRELATED, st.integers(0, 3))
def test_an_unrelated_message_never_removes_a_hit(guard: Interceptor, case: dict, extra: str, at: int) -> None:  # type: ignore[type-arg]
    messages = list(case.get("messages", []))
    before = {(h.term, h.start, h.end) for h in guard.check(case["text"], messages=messages).hits}
    messages.insert(min(at, len(messages)), extra)
    after = {(h.term, h.start, h.end) for h in guard.check(case["text"], messages=messages).hits}
    assert before <= after


def test_hidden_categories_meet_rules_but_are_never_reported(guard: Interceptor) -> None:
    v = guard.check("哪里可以买到枪支")
    assert v.action.value == "block"
    assert "ask-trade" not in {h.category for h in v.hits}
    assert {h.term for h in v.hits} == {"枪支", "weapon-request"}
    alone = guard.check("求购二手自行车")
    assert alone.action.value == "pass" and not alone.hits


def test_a_term_may_also_be_a_rule_word(guard: Interceptor) -> None:
    lex = guard.lexicon
    (arms,) = [t for t in lex.terms if t.text == "军火"]  # listed as a weapon and as a trade word
    assert arms.category == "weapons" and lex.rule_categories["军火"] == ("ask-trade",)
    v = guard.check("走私军火")  # one word meets both conditions of the request rule
    assert {h.term for h in v.hits} == {"军火", "weapon-request"} and v.action.value == "block"


NOISE = ["\u200b", "\u0301", "\u00ad", "\ufe0f", "\U000e0041", "\u202e", " ", "★", "。", "-"]


@pytest.fixture(scope="module")
def bundled() -> Interceptor:
    return Interceptor.from_path(ROOT / "lexicons" / "default")


@pytest.mark.parametrize("n", [4, 40, 200, 5000])
@pytest.mark.parametrize("noise", NOISE, ids=[f"U+{ord(c):04X}" for c in NOISE])
def test_padding_does_not_stretch_a_rule_window(bundled: Interceptor, noise: str, n: int) -> None:
    """Matching reads through a run of invisible or noise characters; the window does too,
    inside the object word or between the words (between two Latin words, a run that
    stands between spaces: invisible characters join ``buy`` and ``meth`` into one word)."""
    texts = ["哪里能买到冰" + noise * n + "毒", "哪里能买到" + noise * n + "冰毒"]
    if noise in " ★。-":
        texts.append("where can i buy " + noise * n + " meth")
    for text in texts:
        assert bundled.check(text).action is Action.BLOCK, (text[:20], n)


def test_words_far_apart_stay_apart(bundled: Interceptor) -> None:
    for gap in ("水" * 45, "今天 天气 很好 " * 6, "apples, pears, plums and more. " * 3):
        assert bundled.check("哪里能买到" + gap + "冰毒").action is not Action.BLOCK, gap


def test_gauge_counts_a_run_as_one() -> None:
    text = "ab  cd\u200b\u200b\u200bef, gh"
    g = Gauge(text)
    assert g.length(0, len(text)) == len(text) - 1 - 2 - 1
    assert g.length(0, 2) == 2 and g.length(1, 4) == 2 and g.length(3, 5) == 2
    assert g.length(2, 3) == 1 and Gauge(text, 6).length(6, len(text)) == len(text) - 6 - 2 - 1


def test_a_long_padded_text_costs_linear_time(bundled: Interceptor) -> None:
    import time

    def cost(k: int) -> float:
        text = ("哪里" + "\u200b" * 30 + "。" + "水" * 50 + "冰" + "★" * 20 + "毒。" + "的" * 50) * k
        best = float("inf")
        for _ in range(3):
            t = time.process_time()
            bundled.check(text)
            best = min(best, time.process_time() - t)
        return best

    small, big = cost(50), cost(400)
    assert big <= 8 * 2 * small, (small, big)
