"""The view, the dense view and their offset maps: every position maps back to its source."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from interceptor.normalize.tables import load
from interceptor.normalize.views import TextViews, dense, translate

T = load()


def test_view_keeps_one_char_per_char_and_folds() -> None:
    text = "Ｈｅｌｌｏ, Café usаgе!"
    view = translate(text, T.view_table, T)
    assert view == "hello  cafe usage!"
    assert len(view) == len(text)


def test_han_becomes_one_code_per_syllable() -> None:
    view = translate("微信 薇信 威信 銀行", T.view_table, T)
    assert len(view) == 11
    assert view[0:2] == view[3:5] == view[6:8]
    assert [T.code_syllable[c] for c in view[9:11]] == ["yin", "xing"]


def test_dense_view_drops_noise() -> None:
    view = translate("微 * 信 f.u @ck", T.view_table, T)
    assert dense(view) == view[0] + view[4] + "fuck"


def test_symbol_views_read_symbols() -> None:
    views = TextViews("薇❤", T)
    assert views.has_symbols() and len(views.dense) == 1
    d, m = views.symbol_dense(0)
    assert len(d) == 2 and T.code_syllable[d[1]] == "xin" and m[1] == 1


def test_astral_ignorables_are_deleted() -> None:
    view = translate("a\U000e0041b𠀀c", T.view_table, T)
    assert view[0:2] == "ab" and len(view) == 4


@given(st.text(alphabet=st.sampled_from("ab微信 ,.@!\u200b\u0301❤😀ｆ\U000e0041"), max_size=30))
def test_maps_point_to_the_source_character(text: str) -> None:
    views = TextViews(text, T)
    assert views.view == translate(text, T.view_table, T)
    assert views.dense == dense(views.view)
    vm = views.view_map()
    for j, ch in enumerate(views.view):
        assert translate(text[vm[j]], T.view_table, T) == ch
    dm, literal = views.dense_map(), views.dense_literal()
    assert len(literal) == len(views.dense)
    for j, ch in enumerate(views.dense):
        assert translate(text[dm[j]], T.view_table, T) == ch
        assert translate(text[dm[j]], T.word_table, T) == literal[j]
    if views.has_symbols():
        sd, sm = views.symbol_dense(0)
        for j, ch in enumerate(sd):
            assert translate(text[sm[j]], T.view_symbol_tables[0], T) == ch
