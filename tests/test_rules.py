"""Contextual rules: table-driven cases, hit shape, cost, and a property."""
from __future__ import annotations

import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interceptor import Interceptor, Tier
from tests.conftest import CASES

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
