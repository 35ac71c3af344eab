"""Zhuyin runs: split into the fewest syllables and written as syllable codes."""
from __future__ import annotations

from interceptor.engine.zhuyin import parse, rewrites, syllables
from interceptor.normalize.tables import load
from interceptor.normalize.views import TextViews

T = load()


def test_a_run_is_split_into_the_fewest_syllables() -> None:
    table = syllables()
    assert [s for _, _, s in parse("ㄅㄧㄥㄉㄨ", table)] == ["bing", "du"]
    assert [s for _, _, s in parse("ㄨㄟㄒㄧㄣ", table)] == ["wei", "xin"]
    assert parse("ㄅㄧㄥ", table) == [(0, 3, "bing")]


def test_a_letter_that_starts_no_syllable_is_kept() -> None:
    assert parse("ㄪㄅㄚ", syllables()) == [(0, 1, ""), (1, 3, "ba")]  # ㄪ: a dialect letter


def test_the_dense_view_is_rewritten_around_each_run() -> None:
    views = TextViews("麻醉ㄑㄧㄤˊ", T)
    (rw,) = list(rewrites(views.dense, T))
    assert "".join(T.code_syllable.get(c, c) for c in rw.text) == "mazuiqiang"
    assert rw.pinyin == frozenset({2}) and rw.sources[2] == (2, 5)


def test_text_without_zhuyin_has_no_rewrite() -> None:
    assert list(rewrites(TextViews("只有中文", T).dense, T)) == []


def test_a_break_in_the_text_ends_a_syllable() -> None:
    table = syllables()
    assert [s for _, _, s in parse("ㄗㄨㄟ", table)] == ["zui"]
    assert [s for _, _, s in parse("ㄗㄨㄟ", table, frozenset({1}))] == ["zi", "wei"]  # ㄗˋ ㄨㄟˋ
    views = TextViews("ㄗˋ ㄨㄟˋ", T)
    (rw,) = list(rewrites(views.dense, T, views.dense_map()))
    assert "".join(T.code_syllable[c] for c in rw.text) == "ziwei"
