"""The view, the dense view and their maps: every position maps back to its source."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interceptor.engine.respelling import LatinLimits, suspects
from interceptor.normalize import views as views_module
from interceptor.normalize.tables import SYLLABLE_BASE, Kind, load
from interceptor.normalize.views import TextViews, dense, latin_tokens, translate, views_builder

T = load()
B = views_builder(T)


def test_view_keeps_one_char_per_char_and_folds() -> None:
    text = "Ｈｅｌｌｏ, Café usаgе!"
    view = translate(text, "view", T)
    assert view == "hello  cafe usage!"
    assert len(view) == len(text)
    assert TextViews(text, T, B).view == view
    assert TextViews("Hello, World!", T, B).view == "hello  world!"


def test_han_becomes_one_code_per_syllable() -> None:
    view = translate("微信 薇信 威信 銀行", "view", T)
    assert len(view) == 11
    assert view[0:2] == view[3:5] == view[6:8]
    assert [T.code_syllable[c] for c in view[9:11]] == ["yin", "xing"]


def _runs_collapsed(view: str) -> str:
    """``view`` with each run of syllable codes cut to its first code, as TextViews keeps it."""
    lo, hi = chr(SYLLABLE_BASE), chr(SYLLABLE_BASE + len(T.syllable_code) - 1)
    return re.sub(f"([{lo}-{hi}])[{lo}-{hi}]+", r"\1", view)


def test_the_word_view_keeps_one_code_per_run_of_han() -> None:
    for fast in (True, False):
        views = TextViews("加我微信，微 信 or weixin", T, B if fast else None)
        assert views.view[1:] == " " + views.view[2] + " " + views.view[4] + " or weixin"
        assert [views.view_map()[i] for i in range(5)] == [0, 4, 5, 6, 7]
        assert len(views.dense) == 6 + len("orweixin")  # the dense view keeps every syllable


def test_dense_view_drops_noise() -> None:
    view = translate("微 * 信 f.u @ck", "view", T)
    assert dense(view) == view[0] + view[4] + "fuck"


def test_symbol_views_read_symbols() -> None:
    views = TextViews("薇❤", T, B)
    assert views.has_symbols() and len(views.dense) == 1
    d, m, at = views.symbol_dense(0)
    assert at == [1]
    assert len(d) == 2 and T.code_syllable[d[1]] == "xin" and m[1] == 1


def test_astral_ignorables_are_deleted() -> None:
    view = translate("a\U000e0041b𠀀c", "view", T)
    assert view[0:2] == "ab" and len(view) == 4


def test_shape_view_writes_look_alikes_as_their_class() -> None:
    views = TextViews("刁近平 习近平", T, B)
    shape = views.dense_shape()
    assert shape[:3] == shape[3:] and shape != views.dense_literal()


@given(st.text(alphabet=st.sampled_from("ab微信 ,.@!\u200b\u0301❤😀ｆ\U000e0041刁"), max_size=30))
def test_maps_point_to_the_source_character(text: str) -> None:
    views = TextViews(text, T, B)
    assert views.view == _runs_collapsed(translate(text, "view", T))
    assert views.dense == dense(translate(text, "view", T))
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
    views = TextViews("加我wei信, ab 微xin号 and hello", T, B)
    d = views.dense
    after, before = views.script_joins()
    # the dense view glues "加我wei信ab微xin号andhello": a letter right after a syllable
    # code, and a letter right before one
    assert [d[i] for i in after] == ["w", "a", "x", "a"]
    assert [d[i] for i in before] == ["i", "b", "n"]
    assert all(ord(d[i - 1]) >= 0xE000 for i in after) and all(ord(d[i + 1]) >= 0xE000 for i in before)
    assert TextViews("只有中文，没有字母", T, B).script_joins() == ([], [])
    assert TextViews("only latin, café", T, B).script_joins() == ([], [])
    assert TextViews("中文 then english", T, B).script_joins() == ([2], [])


PIECES = st.sampled_from([*"ab xyz微信薇❤😀刁习末未w e i,.@!$1", *"\u200b\u0301ｆＷé國乾\u202e",
                          "\U000e0041", "𠀀", "\uf8ff", " f u c k ", "f.u.c.k", "xin", "weixin", "english" * 4,
                          *"бдляж0ßأهبلـλγ", " б л я ", "д0лб", "أ ه ب", "ᴫ", "🅕", "ⓤ"])


@settings(max_examples=500)
@given(st.lists(PIECES, max_size=30).map("".join) | st.text(max_size=40))
def test_the_extension_builds_what_numpy_builds(text: str) -> None:
    if views_module.Builder is None:
        pytest.skip("the C extension was not built here")
    fast, slow = TextViews(text, T, B), TextViews(text, T)
    assert (fast.view, fast.dense) == (slow.view, slow.dense)
    assert (fast.dense_literal(), fast.dense_shape()) == (slow.dense_literal(), slow.dense_shape())
    vm, dm = fast.view_map(), fast.dense_map()
    assert [vm[i] for i in range(len(fast.view))] == [slow.view_map()[i] for i in range(len(slow.view))]
    assert list(dm[i] for i in range(len(fast.dense))) == list(slow.dense_map()[i] for i in range(len(slow.dense)))
    assert fast.script_joins() == slow.script_joins()
    # the extension finds the suspect tokens the regexes define, and its hint never hides
    # single letters split by gaps
    tokens, separated = latin_tokens(fast.view)
    assert (tokens, separated) == latin_tokens(fast.view, fast=False)
    limits = LatinLimits(40, 1, frozenset())
    assert list(suspects(fast.view, [], limits, separated)) == list(suspects(fast.view, [], limits))
    assert fast.has_latin() == slow.has_latin() and fast.has_symbols() == slow.has_symbols()
    assert fast.kinds == slow.kinds
    if fast.has_symbols():
        for k in range(len(T.symbol_codes)):
            a, b = fast.symbol_dense(k), slow.symbol_dense(k)
            assert (a[0], list(a[1]), a[2]) == (b[0], list(b[1]), b[2])


KINDS = [  # text, the kinds it holds (a text without the characters of a kind never has it)
    ("", Kind(0)),
    ("plain ascii 2024", Kind.DIGIT | Kind.DRAWING | Kind.ITALIC),  # 0 and 4 draw о and ч, n is italic п
    ("a•c·e", Kind.INSIDE),  # a symbol written inside a word
    ("героuн", Kind.CYRILLIC | Kind.ITALIC),
    ("Stück für Stück", Kind(0)),
    ("привет", Kind.CYRILLIC),
    ("сука!!!", Kind.CYRILLIC),
    ("cу|<а", Kind.CYRILLIC | Kind.DRAWING),
    ("加我微信", Kind.CJK),
    ("カタカナ", Kind(0)),  # kana lie below CJK_FROM: no CJK-only channel reads them
    ("ㄅㄧㄥ", Kind.CJK | Kind.ZHUYIN),
    ("冰丿毒", Kind.CJK | Kind.FILLER),
    ("二〇〇八年", Kind.CJK | Kind.FILLER),
    ("第５名", Kind.CJK | Kind.DIGIT),  # a full-width digit folds to an ASCII one
    ("冰🇨🇳毒", Kind.CJK | Kind.FLAG),
    ("a\u200bc", Kind(0)),  # removed characters give nothing the dense view lacks
]


@pytest.mark.parametrize(("text", "kinds"), KINDS)
def test_kinds_say_what_a_text_holds(text: str, kinds: Kind) -> None:
    for builder in (B, None):
        assert Kind(TextViews(text, T, builder).kinds) == kinds, (text, builder)


def test_the_extension_is_built_where_a_compiler_is(in_ci: bool) -> None:
    # CI machines have a C compiler: there the fast path must be the one that runs
    if in_ci:
        assert views_module.Builder is not None
