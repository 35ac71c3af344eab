"""The two Aho-Corasick backends agree, on bare patterns and through the whole engine."""
from __future__ import annotations

import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interceptor import Interceptor
from interceptor.engine.automaton import build_matcher
from tests.conftest import CASES, EVAL

PATTERNS = ["he", "she", "his", "hers", "微信", "信", "微信号", "😀x", "a"]


@given(st.text(alphabet=st.sampled_from("hesirx微信号😀a "), max_size=40))
def test_backends_report_the_same_spans(text: str) -> None:
    a = sorted(build_matcher(PATTERNS, "daachorse").find(text))
    b = sorted(build_matcher(PATTERNS, "pyahocorasick").find(text))
    assert a == b
    for s, e, pid in a:
        assert text[s:e] == PATTERNS[pid]


def test_spans_are_half_open_code_points() -> None:
    m = build_matcher(["信号", "😀"], "pyahocorasick")
    assert sorted(m.find("微信号😀")) == [(1, 3, 0), (3, 4, 1)]


def test_unknown_backend() -> None:
    with pytest.raises(ValueError, match="unknown matcher"):
        build_matcher(["a"], "regex")


@pytest.fixture(scope="module")
def both() -> tuple[Interceptor, Interceptor]:
    return (Interceptor.from_path(CASES / "lexicon", matcher="daachorse"),
            Interceptor.from_path(CASES / "lexicon", matcher="pyahocorasick"))


def test_engine_cases_identical_on_both_backends(both: tuple[Interceptor, Interceptor]) -> None:
    for case in tomllib.loads((CASES / "engine.toml").read_text(encoding="utf8"))["case"]:
        assert both[0].check(case["text"]).hits == both[1].check(case["text"]).hits, case["name"]


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from(list("微信薇❤枪支只白粉 fuck@$1.-ｆКх卡拉OKok习刁近平") + ["\u200b"]),
               max_size=40))
def test_engine_identical_on_random_texts(both: tuple[Interceptor, Interceptor], text: str) -> None:
    assert both[0].check(text).hits == both[1].check(text).hits


@pytest.mark.skipif(not (EVAL / "cases.jsonl").exists(), reason="public evaluation set not present")
def test_public_set_identical_on_both_backends() -> None:
    import json

    a = Interceptor.from_path(EVAL / "lexicon", matcher="daachorse")
    b = Interceptor.from_path(EVAL / "lexicon", matcher="pyahocorasick")
    lines = (EVAL / "cases.jsonl").read_text(encoding="utf8").splitlines()
    for line in lines[::5]:
        text = json.loads(line)["text"]
        assert a.check(text).hits == b.check(text).hits, text
