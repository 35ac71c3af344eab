"""The view, the dense view and their maps: every position maps back to its source."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from interceptor.normalize.tables import load
from interceptor.normalize.views import TextViews, dense, translate

T = load()


def test_view_keeps_one_char_per_char_and_folds() -> None:
    text = "Ｈｅｌｌｏ, Café usаgе!"
    view = translate(text, "view", T)
    assert view == "hello  cafe usage!"
    assert len(view) == len(text)
    assert TextViews(text, T).view == view
    assert TextViews("Hello, World!", T).view == "hello  world!"


def test_han_becomes_one_code_per_syllable() -> None:
    view = translate("微信 薇信 威信 銀行", "view", T)
    assert len(view) == 11
    assert view[0:2] == view[3:5] == view[6:8]
    assert [T.code_syllable[c] for c in view[9:11]] == ["yin", "xing"]


def test_dense_view_drops_noise() -> None:
    view = translate("微 * 信 f.u @ck", "view", T)
    assert dense(view) == view[0] + view[4] + "fuck"


def test_symbol_views_read_symbols() -> None:
    views = TextViews("薇❤", T)
    assert views.has_symbols() and len(views.dense) == 1
    d, m, at = views.symbol_dense(0)
    assert at == [1]
    assert len(d) == 2 and T.code_syllable[d[1]] == "xin" and m[1] == 1


def test_astral_ignorables_are_deleted() -> None:
    view = translate("a\U000e0041b𠀀c", "view", T)
    assert view[0:2] == "ab" and len(view) == 4


def test_shape_view_writes_look_alikes_as_their_class() -> None:
    views = TextViews("刁近平 习近平", T)
    shape = views.dense_shape()
    assert shape[:3] == shape[3:] and shape != views.dense_literal()


@given(st.text(alphabet=st.sampled_from("ab微信 ,.@!\u200b\u0301❤😀ｆ\U000e0041刁"), max_size=30))
def test_maps_point_to_the_source_character(text: str) -> None:
    views = TextViews(text, T)
    assert views.view == translate(text, "view", T)
    assert views.dense == dense(views.view)
    vm = views.view_map()
    for j, ch in enumerate(views.view):
        assert translate(text[vm[j]], "view", T) == ch
    dm, literal, shape = views.dense_map(), views.dense_literal(), views.dense_shape()
    assert len(literal) == len(shape) == len(views.dense)
    for j, ch in enumerate(views.dense):
        src = text[dm[j]]
        assert translate(src, "view", T) == ch
        assert translate(src, "literal", T) == literal[j]
        assert translate(src, "shape", T) == shape[j]
    if views.has_symbols():
        sd, sm, _ = views.symbol_dense(0)
        for j, ch in enumerate(sd):
            assert translate(text[sm[j]], "view", T, symbol_reading=0) == ch


def test_script_joins_find_letters_touching_han() -> None:
    views = TextViews("加我wei信, ab 微xin号 and hello", T)
    d = views.dense
    after, before = views.script_joins()
    # the dense view glues "加我wei信ab微xin号andhello": a letter right after a syllable
    # code, and a letter right before one
    assert [d[i] for i in after] == ["w", "a", "x", "a"]
    assert [d[i] for i in before] == ["i", "b", "n"]
    assert all(ord(d[i - 1]) >= 0xE000 for i in after) and all(ord(d[i + 1]) >= 0xE000 for i in before)
    assert TextViews("只有中文，没有字母", T).script_joins() == ([], [])
    assert TextViews("only latin, café", T).script_joins() == ([], [])
    assert TextViews("中文 then english", T).script_joins() == ([2], [])
