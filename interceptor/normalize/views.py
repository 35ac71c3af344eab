"""Views of a text and the maps that take a position in a view back to the original.

A view is the text after ``str.translate`` with one of the list tables of ``tables.py``.
Translation keeps one output character per kept input character and deletes the others,
so a view position maps to an original position by counting the deleted characters before
it. That map is built only when a view has a candidate match (most texts have none), from
the runs of deleted characters found by one compiled regex: the common path does no
per-character Python work at all.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from interceptor.normalize.tables import IGNORE, LIMIT, MARK, NOISE, Tables, char_class_regex

_HIGH = re.compile("[\U00020000-\U0010ffff]")


class HighTable:
    """A translate table for the rare text that holds code points at or above LIMIT."""

    __slots__ = ("delete_noise", "table", "tables")

    def __init__(self, table: Sequence[int | None], tables: Tables, delete_noise: bool):
        self.table = table
        self.tables = tables
        self.delete_noise = delete_noise

    def __getitem__(self, cp: int) -> Any:
        if cp < LIMIT:
            return self.table[cp]
        c = self.tables.high_cls.get(cp)
        if c is None:
            return cp
        if c == NOISE and not self.delete_noise:
            return 32
        return None


def translate(text: str, table: list[int | None], tables: Tables, delete_noise: bool) -> str:
    if _HIGH.search(text) is None:
        return text.translate(table)
    return text.translate(HighTable(table, tables, delete_noise))


class OffsetMap:
    """Maps positions of a view back to the string it was made from.

    ``runs`` are the (start, end) spans of characters the view deleted, in source
    coordinates and in order. With ``then``, the source is itself a view and positions go
    on through ``then`` to its own source.
    """

    __slots__ = ("_shift", "_starts", "_then")

    def __init__(self, runs: list[tuple[int, int]], then: OffsetMap | None = None):
        starts: list[int] = []
        shift: list[int] = [0]
        deleted = 0
        for a, b in runs:
            starts.append(a - deleted)
            deleted += b - a
            shift.append(deleted)
        self._starts = starts
        self._shift = shift
        self._then = then

    def __call__(self, i: int) -> int:
        """Source position of the view character at ``i``."""
        j = i + self._shift[bisect_right(self._starts, i)]
        return j if self._then is None else self._then(j)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Source span covering view characters ``start .. end-1`` (noise at the edges excluded)."""
        return self(start), self(end - 1) + 1


IDENTITY = OffsetMap([])


class ViewMaps:
    """Lazily built offset maps for one text (shared by every candidate of that text)."""

    __slots__ = ("_dense", "_sound", "_sound_symbols", "_word", "tables", "text", "word_view")

    def __init__(self, text: str, word_view: str, tables: Tables):
        self.text = text
        self.word_view = word_view
        self.tables = tables
        self._word: OffsetMap | None = None
        self._sound: OffsetMap | None = None
        self._sound_symbols: OffsetMap | None = None
        self._dense: tuple[str, OffsetMap] | None = None

    def word(self) -> OffsetMap:
        if self._word is None:
            if len(self.word_view) == len(self.text):
                self._word = IDENTITY
            else:
                self._word = OffsetMap([m.span() for m in _deleted_in_word(self.tables).finditer(self.text)])
        return self._word

    def sound(self) -> OffsetMap:
        if self._sound is None:
            self._sound = OffsetMap([m.span() for m in _deleted_in_sound(self.tables).finditer(self.text)])
        return self._sound

    def sound_symbols(self) -> OffsetMap:
        if self._sound_symbols is None:
            rx = _deleted_in_sound_symbols(self.tables)
            self._sound_symbols = OffsetMap([m.span() for m in rx.finditer(self.text)])
        return self._sound_symbols

    def dense(self) -> tuple[str, OffsetMap]:
        """The word view without its spaces, and its map to the original text."""
        if self._dense is None:
            w = self.word_view
            dense_map = OffsetMap([m.span() for m in _SPACES.finditer(w)], then=self.word())
            self._dense = (w.replace(" ", ""), dense_map)
        return self._dense


_SPACES = re.compile(" +")


_cache: dict[str, re.Pattern[str]] = {}


def _deleted_in_word(tables: Tables) -> re.Pattern[str]:
    rx = _cache.get("word")
    if rx is None:
        rx = _cache["word"] = char_class_regex({IGNORE, MARK}, tables)
    return rx


def _deleted_in_sound(tables: Tables) -> re.Pattern[str]:
    rx = _cache.get("sound")
    if rx is None:
        rx = _cache["sound"] = char_class_regex({IGNORE, MARK, NOISE}, tables)
    return rx


def _deleted_in_sound_symbols(tables: Tables) -> re.Pattern[str]:
    rx = _cache.get("sound_symbols")
    if rx is None:
        symbols = "".join(chr(cp) for cp in tables.symbol_readings if cp < LIMIT)
        rx = _cache["sound_symbols"] = char_class_regex({IGNORE, MARK, NOISE}, tables, extra=symbols)
    return rx
