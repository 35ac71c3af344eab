"""The views of one text and the maps from view positions back to the original text.

* The **view**: one character per kept original character (``tables.py``): letters and
  digits folded, each Han character written as the code of its syllable, noise as a space,
  the leet symbols kept, ignorable characters and stripped diacritics gone.
* The **dense view**: the view without spaces and leet symbols, so that noise between the
  characters of a term vanishes; its **literal** twin holds the folded characters instead of
  syllable codes, so a candidate can be checked without going back to the text.

For a text that is not pure ASCII the views are built with NumPy: the text's code points
(``encode("utf-32-le")``) index a table array, boolean masks drop characters, and the
positions of the kept characters — the offset maps — come from ``flatnonzero``. All of it
is a handful of C calls, whatever the text's length. A pure-ASCII text takes
``str.translate``'s ASCII fast path and never deletes a character.
"""
from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from typing import Any

import numpy as np

from interceptor.normalize.tables import LEET_SYMBOLS, SYMBOL_MARK, Tables

DENSE_DROPPED = " " + LEET_SYMBOLS + SYMBOL_MARK
_DENSE_DROP = re.compile("[" + re.escape(DENSE_DROPPED) + "]+")
UNICODE = 0x110000


class _Identity:
    """The map of a view that deleted nothing."""

    __slots__ = ()

    def __getitem__(self, i: int) -> int:
        return i


IDENTITY = _Identity()
PositionMap = Sequence[int] | _Identity
_LATIN = re.compile("[a-z]")


class ArrayTables:
    """The list tables of ``tables.py`` as NumPy arrays over every code point."""

    def __init__(self, t: Tables):
        def full(table: list[int | None]) -> np.ndarray:  # type: ignore[type-arg]
            arr = np.arange(UNICODE, dtype=np.uint32)
            arr[: len(table)] = [0 if v is None else v for v in table]
            for cp, c in t.high_cls.items():  # ignorable or noise above the list tables
                arr[cp] = 32 if c == 1 else 0
            return arr

        self.view = full(t.view_table)
        self.literal = full(t.word_table)
        self.symbol_views = [full(table) for table in t.view_symbol_tables]
        keep = np.ones(UNICODE, dtype=bool)
        keep[0] = False
        for ch in DENSE_DROPPED:
            keep[ord(ch)] = False
        self.dense_keep = keep  # indexed by a view value: does the dense view keep it?


_ARRAYS: dict[int, ArrayTables] = {}


def array_tables(t: Tables) -> ArrayTables:
    """The arrays for ``t``, built once per process (about 0.1 s, 30 MB)."""
    arrays = _ARRAYS.get(id(t))
    if arrays is None:
        arrays = _ARRAYS[id(t)] = ArrayTables(t)
    return arrays


def _decode(codes: np.ndarray) -> str:  # type: ignore[type-arg]
    return codes.tobytes().decode("utf-32-le")  # type: ignore[no-any-return]


def dense(view: str) -> str:
    """The view without spaces, leet symbols and symbol marks: noise between characters vanishes."""
    d = view.replace(" ", "")
    for ch in DENSE_DROPPED[1:]:
        if ch in d:
            d = d.replace(ch, "")
    return d


class TextViews:
    """The views of one text, built eagerly; their maps and extra views built on demand."""

    __slots__ = ("text", "tables", "view", "dense", "_arrays", "_codes", "_values", "_keep",
                 "_keep_dense", "_view_map", "_dense_map", "_literal", "_symbols")

    def __init__(self, text: str, tables: Tables):
        self.text = text
        self.tables = tables
        self._view_map: PositionMap | None = None
        self._dense_map: PositionMap | None = None
        self._literal: str | None = None
        self._symbols: dict[int, tuple[str, PositionMap]] = {}
        if text.isascii():
            self._arrays = None
            self.view = text.translate(tables.view_table)
            self._view_map = IDENTITY
            self.dense = dense(self.view)
            return
        arrays = self._arrays = array_tables(tables)
        codes = self._codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        values = self._values = arrays.view.take(codes)
        keep = self._keep = values != 0
        keep_dense = self._keep_dense = arrays.dense_keep.take(values)
        if keep.all():
            self.view = _decode(values)
            self._view_map = IDENTITY
        else:
            self.view = _decode(values[keep])
        self.dense = _decode(values[keep_dense])

    def view_map(self) -> PositionMap:
        """View position -> original position."""
        if self._view_map is None:
            self._view_map = _positions_of(self._keep)
        return self._view_map

    def dense_map(self) -> PositionMap:
        """Dense-view position -> original position."""
        if self._dense_map is None:
            if self._arrays is None:
                runs = [m.span() for m in _DENSE_DROP.finditer(self.view)]
                self._dense_map = _positions(len(self.view), runs)
            else:
                self._dense_map = _positions_of(self._keep_dense)
        return self._dense_map

    def dense_literal(self) -> str:
        """The dense view with folded characters in place of syllable codes."""
        if self._literal is None:
            if self._arrays is None:
                self._literal = self.dense
            else:
                self._literal = _decode(self._arrays.literal.take(self._codes)[self._keep_dense])
        return self._literal

    def has_latin(self) -> bool:
        """Does the view hold a Latin letter (else the Latin channels have nothing to do)?"""
        return self._arrays is None or _LATIN.search(self.view) is not None

    def has_symbols(self) -> bool:
        """Does the text hold a symbol that reads as a syllable (❤, 🐮)?"""
        return SYMBOL_MARK in self.view

    def symbol_dense(self, k: int) -> tuple[str, PositionMap]:
        """The dense view with symbols read as their k-th reading, and its map."""
        got = self._symbols.get(k)
        if got is None:
            assert self._arrays is not None
            values = self._arrays.symbol_views[k].take(self._codes)
            keep = self._arrays.dense_keep.take(values)
            got = (_decode(values[keep]), _positions_of(keep))
            self._symbols[k] = got
        return got


def _positions_of(mask: np.ndarray) -> array[int]:  # type: ignore[type-arg]
    """Indices of the true entries, as an ``array`` (fast to index from Python)."""
    return array("q", np.flatnonzero(mask).astype(np.int64, copy=False).tobytes())


def _positions(n: int, runs: list[tuple[int, int]]) -> list[int]:
    """Positions of a string of length ``n`` outside the deleted ``runs``."""
    out: list[int] = []
    pos = 0
    for a, b in runs:
        out.extend(range(pos, a))
        pos = b
    out.extend(range(pos, n))
    return out


def translate(text: str, table: Any, tables: Tables) -> str:
    """``text`` through a view table (for tests and tools; the engine uses TextViews)."""
    if text.isascii():
        return text.translate(table)
    arr = array_tables(tables)
    full = {id(tables.view_table): arr.view, id(tables.word_table): arr.literal}
    for t_list, t_arr in zip(tables.view_symbol_tables, arr.symbol_views, strict=True):
        full[id(t_list)] = t_arr
    values = full[id(table)][np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)]
    return _decode(values[values != 0])
