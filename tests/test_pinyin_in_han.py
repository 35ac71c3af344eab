"""Pinyin among Han characters: Latin runs that touch Han and spell syllables are rewritten."""
from __future__ import annotations

import re

from interceptor.engine.pinyin_in_han import MAX_RUN, parse, rewrites, run_from, run_to, toned_rewrites
from interceptor.normalize.tables import load
from interceptor.normalize.views import TextViews

T = load()
SYLLABLES = frozenset(T.syllable_code)


def test_parse_takes_the_fewest_syllables() -> None:
    assert parse("xin", SYLLABLES) == ["xin"]
    assert parse("weixin", SYLLABLES) == ["wei", "xin"]
    assert parse("xyzq", SYLLABLES) is None
    assert parse("a" * 30, SYLLABLES) is None  # more than four syllables


def _rewrites(text: str) -> list[tuple[str, frozenset[int]]]:
    views = TextViews(text, T)
    return [("".join(T.code_syllable.get(c, c) for c in rw.text), rw.pinyin)
            for rw in rewrites(views.dense, views.script_joins(), T, SYLLABLES)]


def test_a_run_touching_han_is_written_as_syllable_codes() -> None:
    (rw,) = _rewrites("加我微xin吧")
    written, pinyin = rw
    assert written == "jiawoweixinba" and pinyin == frozenset({3})


def test_runs_not_touching_han_or_too_long_are_left_alone() -> None:
    assert _rewrites("hello world") == []
    assert _rewrites("微" + "x" * (MAX_RUN + 1) + "信") == []
    assert _rewrites("微qqqq信") == []  # no syllable spelling


def _toned(text: str) -> list[tuple[str, list[str]]]:
    """Each toned rewrite, as syllables, with what each of its pinyin units' sources holds."""
    views = TextViews(text, T)
    dense = views.dense
    out = []
    for rw in toned_rewrites(dense, views.script_joins(), T, SYLLABLES):
        written = "".join(T.code_syllable.get(c, c) for c in rw.text)
        out.append((written, [dense[slice(*rw.sources[k])] for k in sorted(rw.pinyin)]))
    return out


def test_a_tone_digit_between_pinyin_and_han_is_taken_into_its_syllable() -> None:
    assert _toned("买bing1毒") == [("maibingdu", ["bing1"])]
    assert _toned("买冰du2吧") == [("maibingduba", ["du2"])]
    assert _toned("摇tou2丸") == [("yaotouwan", ["tou2"])]


def test_no_toned_rewrite_without_a_tone_digit_beside_pinyin_that_meets_han() -> None:
    assert _toned("加我微xin吧") == []  # no digit: the plain rewrite has it
    assert _toned("买了mp3和书") == []  # a run that is no syllable
    assert _toned("bing1 du2") == []  # no Han character
    assert _toned("买bing12毒") == []  # a number, not a tone


RUN_TEXTS = ["", "abc", "微xin号", "微" * 3, "a" * 30 + "信", "信" + "b" * 30, "ab1cd信", "x", "信x信", "Ab信cd"]


def test_runs_from_and_to_a_position_are_the_regexes_runs() -> None:
    start = re.compile(f"[a-z]{{1,{MAX_RUN + 1}}}")
    end = re.compile(f"[a-z]{{1,{MAX_RUN + 1}}}$")
    for text in RUN_TEXTS:
        for i in range(len(text)):
            m = start.match(text, i)
            assert run_from(text, i) == (m.span() if m else None), (text, i)
            m = end.search(text, max(0, i - MAX_RUN), i + 1)
            assert run_to(text, i) == (m.span() if m else None), (text, i)
