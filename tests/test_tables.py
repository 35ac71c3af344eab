"""normalize/tables.py: what the generated tables say about words of other scripts."""
from __future__ import annotations

import numpy as np
import pytest

from interceptor.normalize.tables import _BLOCK, _ONE, _RAW, _SAME, _pack, _unpack, load


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
