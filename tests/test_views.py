"""Views and offset maps: every view position maps back to the character it came from."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from interceptor.normalize.tables import load
from interceptor.normalize.views import OffsetMap, ViewMaps, translate

T = load()


def test_word_view_keeps_one_char_per_char() -> None:
    text = "Ｈｅｌｌｏ, Café 銀行 usаgе!"
    view = translate(text, T.word_table, T, delete_noise=False)
    assert view == "hello  cafe 银行 usage!"
    assert len(view) == len(text)


def test_sound_view_reads_han_as_syllables() -> None:
    sound = translate("微信 薇信 威信", T.sound_table, T, delete_noise=True)
    assert len(sound) == 6
    assert sound[0:2] == sound[2:4] == sound[4:6]


def test_symbol_tables_read_symbols() -> None:
    plain = translate("薇❤", T.sound_table, T, delete_noise=True)
    read = translate("薇❤", T.sound_symbol_tables[0], T, delete_noise=True)
    assert len(plain) == 1 and len(read) == 2
    assert T.code_syllable[read[1]] == "xin"


def test_astral_ignorables_are_deleted() -> None:
    text = "a\U000e0041b𠀀c"
    assert translate(text, T.word_table, T, delete_noise=False) == "ab𠀀c"


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(1, 4)), max_size=8), st.integers(0, 40))
def test_offset_map_matches_naive(runs_spec: list[tuple[int, int]], extra: int) -> None:
    runs, pos = [], 0
    for gap, length in runs_spec:
        pos += gap
        runs.append((pos, pos + length))
        pos += length
    n = pos + extra
    deleted = {i for a, b in runs for i in range(a, b)}
    kept = [i for i in range(n) if i not in deleted]
    m = OffsetMap(runs)
    assert [m(j) for j in range(len(kept))] == kept


@given(st.text(alphabet=st.sampled_from("ab微信 ,.\u200b\u0301❤😀ｆ"), max_size=30))
def test_view_maps_point_to_the_source_character(text: str) -> None:
    word = translate(text, T.word_table, T, delete_noise=False)
    maps = ViewMaps(text, word, T)
    wm = maps.word()
    for j, ch in enumerate(word):
        src = text[wm(j)]
        assert T.word_table[ord(src)] == ord(ch)
    sound = translate(text, T.sound_table, T, delete_noise=True)
    sm = maps.sound()
    for j, ch in enumerate(sound):
        assert T.sound_table[ord(text[sm(j)])] == ord(ch)
    dense, dm = maps.dense()
    for j, ch in enumerate(dense):
        assert T.word_table[ord(text[dm(j)])] == ord(ch)
