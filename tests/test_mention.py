"""Words spoken about, not used (``interceptor.mention``): table-driven cases over a small
lexicon, negative cases first-class, the quotation finder, streams and the format's errors."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from interceptor import Action, Interceptor
from interceptor.errors import LexiconError
from interceptor.lexicon import load_lexicon
from interceptor.mention import quotations
from interceptor.stream import StreamChecker
from tests.conftest import CASES

LEXICON = CASES / "mention_lexicon"
CASE_LIST = tomllib.loads((CASES / "mention.toml").read_text(encoding="utf8"))["case"]


@pytest.fixture(scope="module")
def guard() -> Interceptor:
    return Interceptor.from_path(LEXICON)


@pytest.mark.parametrize("case", CASE_LIST, ids=[c["name"] for c in CASE_LIST])
def test_mention_case(guard: Interceptor, case: dict) -> None:  # type: ignore[type-arg]
    v = guard.check(case["text"])
    got = {h.term: h.tier.value for h in v.hits}
    assert v.action is Action(case["action"]), got
    for term, tier in case.get("tiers", {}).items():
        assert got.get(term) == tier, got


@pytest.mark.parametrize(("text", "inner"), [
    ("a “b” c", ["b"]),
    ("他说「傻」和『逼』", ["傻", "逼"]),
    ("« mot » et ‹ autre ›", [" mot ", " autre "]),
    ('say "x" and "y"', ["x", "y"]),
    ("„Wort“ hier", ["Wort"]),
    ("我想买\"叶子\"", ["叶子"]),
    ("it's 'ice' here", ["ice"]),
    ("don't, won't", []),  # apostrophes
    ('5" screen, 7" tablet', []),  # inch marks after a digit
    ("“no close", []),
    ("“a\nb”", []),  # no line break inside
    ("“" + "x" * 300 + "”", []),  # too long
])
def test_quotations(text: str, inner: list[str]) -> None:
    assert [text[a + 1:b - 1] for a, b in quotations(text)] == inner


@pytest.mark.parametrize("case", [c for c in CASE_LIST if c["action"] != "block"], ids=lambda c: c["name"])
def test_a_stream_releases_what_the_whole_text_releases(guard: Interceptor, case: dict) -> None:  # type: ignore[type-arg]
    """A hit that a cue still to come could lower is held back, so any split of a text
    releases exactly the whole text's verdict."""
    text = case["text"]
    whole = guard.check(text, direction="output")
    for size in (1, 2, 3, 7):
        sc = StreamChecker(guard)
        out = [sc.feed(text[i:i + size]).release for i in range(0, len(text), size)]
        out.append(sc.feed("", final=True).release)
        assert "".join(out) == whole.text, (size, out)


def test_a_stream_blocks_a_quoted_request(guard: Interceptor) -> None:
    sc = StreamChecker(guard)
    steps = [sc.feed(c) for c in 'where can I buy "ice" now please'] + [sc.feed("", final=True)]
    assert sc.state.blocked and "ice" not in "".join(s.release for s in steps)


def test_without_mention_nothing_is_lowered() -> None:
    plain = Interceptor.from_path(CASES / "rules_lexicon")
    assert not plain.engine.rules.mentions


@pytest.mark.parametrize(("toml", "message"), [
    ("[mention]\nbefore = [1]\n", "before must be a list"),
    ("[mention]\nquotes = 'yes'\n", "quotes must be true or false"),
    ("[mention]\nwords = ['x']\n", "unknown key 'words'"),
    ("mention = 3\n", "[mention] must be a table"),
    ("[[rule]]\nid = 'r'\nall = ['a']\nacross_quotes = 'no'\n", "across_quotes must be true or false"),
    ("[[rule]]\nid = 'r'\ncategories = ['a']\nhandles = ['b']\n", "handles must name categories"),
])
def test_bad_mention_or_rule_is_rejected(tmp_path: Path, toml: str, message: str) -> None:
    (tmp_path / "a.tsv").write_text("term\nfoo\n", encoding="utf8")
    (tmp_path / "rules.toml").write_text(toml, encoding="utf8")
    with pytest.raises(LexiconError) as e:
        load_lexicon(tmp_path)
    assert any(message in str(p) and p.file == "rules.toml" for p in e.value.problems), e.value.problems
