"""normalize/tables.py: what the generated tables say about words of other scripts."""
from __future__ import annotations

import numpy as np
import pytest

from interceptor.normalize.markup_tokens import LETTERS_LIKE
from interceptor.normalize.tables import _BLOCK, _ONE, _RAW, _SAME, NOISE, _pack, _unpack, load


@pytest.mark.parametrize(("word", "one"), [
    ("сор", True), ("Ёлка", True), ("αλφα", True),  # Russian, Greek
    ("агѕсһ", False), ("соⲣ", False), ("αггѕе", False),  # no one language writes them together
])
def test_in_one_alphabet(word: str, one: bool) -> None:
    assert load().in_one_alphabet(word) is one


_N = 4 * _BLOCK
_MIXED = np.arange(_N, dtype=np.uint32)
_MIXED[_BLOCK: 2 * _BLOCK] = 0  # one value
_MIXED[2 * _BLOCK + 5] = 7  # one code point changed: the block kept


@pytest.mark.parametrize(("array", "kinds"), [
    (np.arange(_N, dtype=np.uint32), [_SAME] * 4),
    (np.zeros(_N, dtype=np.uint8), [_ONE] * 4),
    (np.ones(_N, dtype=bool), [_ONE] * 4),  # a bool array is never read as code points
    (_MIXED, [_SAME, _ONE, _RAW, _SAME]),
    (np.arange(_BLOCK + 3, dtype=np.uint32), []),  # not whole blocks: kept as it is
    (np.zeros(0, dtype=np.uint32), []),
    (np.arange(_BLOCK, dtype=np.int64)[::-1].copy(), [_RAW]),
])
def test_a_code_point_array_packs_by_blocks_and_back(array: np.ndarray, kinds: list[int]) -> None:
    packed = _pack(array)
    assert packed.kinds.tolist() == kinds
    back = _unpack(packed)
    assert back.dtype == array.dtype and np.array_equal(back, array) and back.flags.writeable


LETTERLIKE = [("\u212e", "e"), ("\u00a2", "c"), ("\u00ae", "r"), ("\u00a9", "c"), ("\u2118", "p"), ("\u20ac", "e"),
              ("\u00a3", "l"), ("\u2202", "d"), ("\u222a", "u")]


@pytest.mark.parametrize(("symbol", "letter"), LETTERLIKE)
def test_a_symbol_drawn_as_a_letter_reads_as_it(symbol: str, letter: str) -> None:
    assert LETTERS_LIKE[symbol] == letter


@pytest.mark.parametrize("char", ["a", "\u0430", "\u25cb", "\u3007", "\u2764", "+", "\u00b0", "\u2191"])
def test_letters_and_symbols_like_no_letter_are_not_in_the_table(char: str) -> None:
    assert char not in LETTERS_LIKE


def test_every_symbol_of_the_table_is_noise_to_the_plain_views() -> None:
    tables = load()
    assert all(tables.char_class(ord(c)) == NOISE for c in LETTERS_LIKE)
