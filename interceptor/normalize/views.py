"""The views of one text and the maps from view positions back to the original text.

* The **view** (the word view): one character per kept original character (``tables.py``):
  letters and digits folded, noise as a space, the leet symbols kept, ignorable characters
  and stripped diacritics gone; a run of Han characters is one syllable code, its first —
  no pattern of the word automaton holds Han, and one code keeps the run a word boundary,
  so Chinese text costs that automaton almost nothing.
* The **dense view**: the view without spaces and leet symbols, so that noise between the
  characters of a term vanishes; its **literal** twin holds the folded characters instead of
  syllable codes, so a candidate can be checked without going back to the text, and its
  **shape** twin writes each look-alike character as its shape class (``lookalike``).

For a text that is not pure ASCII the views are built in one pass by the C extension
``_views`` (``_views.c``), which reads each code point once and looks it up in the same
tables. Where the extension was not compiled, they are built with NumPy: the text's code
points (``encode("utf-32-le")``) index a table array, boolean masks drop characters, and
the offset maps come from ``flatnonzero`` — a dozen C calls of about a microsecond each,
whatever the text's length. The NumPy path is the definition; a test holds the extension
to it. Without the extension, a pure-ASCII text takes ``str.translate``'s ASCII fast path
and never deletes a character.
"""
from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from typing import Any

import numpy as np

from interceptor.normalize.tables import (
    DENSE_DROPPED,
    LEET_SYMBOLS,
    LIMIT,
    PINYIN_RUN,
    RESPELL_LETTERS,
    SCRIPT_CODE,
    SCRIPT_LATIN,
    SYMBOL_MARK,
    Tables,
)

_DENSE_DROP = re.compile("[" + re.escape(DENSE_DROPPED) + "]+")

try:
    from interceptor.normalize._views import Builder
    from interceptor.normalize._views import latin_tokens as _c_latin_tokens
except ImportError:  # no compiler where it was installed: the NumPy path
    Builder = None
    _c_latin_tokens = None

# Latin and Cyrillic tokens of the view (letters, digits, leet symbols) that a respelling may hide a word
# in: a leet mark (a letter next to a digit or leet symbol) or a letter written three times.
# The lazy prefix stops at the token's first mark and the greedy tail runs to its end, so
# the search is linear: a start inside a token fails the look-behind at once.
_L = RESPELL_LETTERS
_TOK = _L + "0-9" + re.escape(LEET_SYMBOLS)
_LEET = "0-9" + re.escape(LEET_SYMBOLS)
_SUSPECT_TOKEN = re.compile(rf"(?<![{_TOK}])[{_TOK}]*?(?:[{_L}][{_LEET}]|[{_LEET}][{_L}]|([{_L}])\1\1)[{_TOK}]*")
_GAPS = " " + SYMBOL_MARK
# Three one-character tokens in a row with gaps between them (``f u c``), as few as
# ``engine.respelling.SEPARATED`` matches: only there may it match (one-letter words side by
# side, و هو, I a, are common).
_MAY_BE_SEPARATED = re.compile(rf"(?<![{_TOK}])[{_TOK}](?:[{_GAPS}]+[{_TOK}]){{2}}(?![{_TOK}])")


def latin_tokens(view: str, fast: bool = True) -> tuple[list[int], bool]:
    """The view's suspect Latin tokens as a flat list ``[start, end, ...]``, and whether
    single letters split by gaps may occur: one pass in C (``_views.latin_tokens``), or the
    regexes above, which define it."""
    if fast and _c_latin_tokens is not None:
        return _c_latin_tokens(view)  # type: ignore[no-any-return]
    spans = [x for m in _SUSPECT_TOKEN.finditer(view) for x in m.span()]
    return spans, _MAY_BE_SEPARATED.search(view) is not None


class _Identity:
    """The map of a view that deleted nothing."""

    __slots__ = ()

    def __getitem__(self, i: int) -> int:
        return i


IDENTITY = _Identity()
PositionMap = Sequence[int] | _Identity
_LATIN = re.compile("[a-z]")
_LETTER = re.compile(f"[{RESPELL_LETTERS}]")
_CODE_LETTER = bytes([SCRIPT_CODE, SCRIPT_LATIN])
_LETTER_CODE = bytes([SCRIPT_LATIN, SCRIPT_CODE])


def _decode(codes: np.ndarray) -> str:
    return codes.tobytes().decode("utf-32-le")


def dense(view: str) -> str:
    """The view without spaces, leet symbols and symbol marks: noise between characters vanishes."""
    d = view.replace(" ", "")
    for ch in DENSE_DROPPED[1:]:
        if ch in d:
            d = d.replace(ch, "")
    return d


class TextViews:
    """The views of one text, built eagerly; their maps and extra views built on demand.

    ``kinds``: the ``tables.Kind`` bits of the text (the union of its characters'), built
    with the views.

    ``builder`` is the C extension's (``views_builder``), kept by the engine that owns the
    tables; without one the views are built with NumPy.
    """

    __slots__ = (
        "_arrays",
        "_codes",
        "_joins",
        "_latin",
        "_symbol",
        "_dense_values",
        "_shape",
        "_dense_map",
        "_keep",
        "_keep_dense",
        "_literal",
        "_symbols",
        "_values",
        "_view_map",
        "ascii",
        "dense",
        "kinds",
        "tables",
        "text",
        "view",
    )

    def __init__(self, text: str, tables: Tables, builder: Any = None):
        self.text = text
        self.tables = tables
        self._view_map: PositionMap | None = None
        self._dense_map: PositionMap | None = None
        self._literal: str | None = None
        self._shape: str | None = None
        self._joins: tuple[list[int], list[int]] | None = None
        self._latin: bool | None = None
        self._symbol: bool | None = None
        self._symbols: dict[int, tuple[str, PositionMap, list[int]]] = {}
        self._codes: np.ndarray | None = None
        self.ascii = text.isascii()
        # ASCII takes the builder too when there is one: as fast as ``str.translate``, and
        # its dense map comes with it (built in Python it cost ten times the views)
        if self.ascii and builder is None:
            self._arrays = None
            self.view = text.translate(tables.ascii_view)
            self._view_map = IDENTITY
            self.dense = dense(self.view)
            self.kinds = int(np.bitwise_or.reduce(tables.kinds.take(np.frombuffer(text.encode(), dtype=np.uint8))))
            return
        self._arrays = tables
        if builder is not None:
            (self.view, self.dense, self._literal, self._shape, vmap, dmap, after, before,
             self._latin, self._symbol, self.kinds) = builder.build(text)
            self._view_map = IDENTITY if vmap is None else memoryview(vmap).cast("q")
            self._dense_map = memoryview(dmap).cast("q")
            self._joins = (after, before)
            return
        codes = self._codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        self.kinds = int(np.bitwise_or.reduce(tables.kinds.take(codes)))
        values = self._values = tables.view.take(codes)
        keep = self._keep = values != 0
        kept = np.flatnonzero(keep)
        code = tables.script.take(values[kept]) == SCRIPT_CODE
        keep[kept[1:][code[1:] & code[:-1]]] = False  # a run of syllable codes keeps its first
        keep_dense = self._keep_dense = tables.dense_keep.take(values)
        if keep.all():
            self.view = _decode(values)
            self._view_map = IDENTITY
        else:
            self.view = _decode(values[keep])
        self._dense_values = values[keep_dense]
        self.dense = _decode(self._dense_values)

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
            if self._arrays is None or self._codes is None:
                self._literal = self.dense
            else:
                self._literal = _decode(self._arrays.literal.take(self._codes)[self._keep_dense])
        return self._literal

    def dense_shape(self) -> str:
        """The dense literal view with each look-alike written as its shape class."""
        if self._shape is None:
            if self._arrays is None or self._codes is None:
                self._shape = self.dense
            else:
                self._shape = _decode(self._arrays.shape.take(self._codes)[self._keep_dense])
        return self._shape

    def script_joins(self) -> tuple[list[int], list[int]]:
        """Where Latin letters meet Han syllable codes in the dense view (``微xin``, ``wei信``):
        positions of a letter right after a code, and of a letter right before one — only
        where the run of letters is at most ``PINYIN_RUN`` long (longer runs are English)."""
        if self._joins is not None:
            return self._joins
        if self._arrays is None:
            return [], []
        # one byte per dense character (code, letter or other), searched with bytes.find
        kinds = self._arrays.script.take(self._dense_values).tobytes()
        if _CODE_LETTER not in kinds and _LETTER_CODE not in kinds:
            self._joins = [], []
        else:
            self._joins = (
                [i for i in _all(kinds, _CODE_LETTER, 1) if _run_length(kinds, i, 1) <= PINYIN_RUN],
                [i for i in _all(kinds, _LETTER_CODE, 0) if _run_length(kinds, i, -1) <= PINYIN_RUN],
            )
        return self._joins

    def has_latin(self) -> bool:
        """Does the view hold a Latin letter (else the Latin channels have nothing to do)?"""
        if self._latin is None:
            self._latin = _LATIN.search(self.view) is not None  # the extension says the same
        return self._latin

    def has_letters(self) -> bool:
        """Does the view hold a letter a respelling reads (``RESPELL_LETTERS``: Latin, Greek,
        Cyrillic, Hebrew, Arabic)? Else the respellings have nothing to do."""
        return self.has_latin() or _LETTER.search(self.view) is not None

    def has_symbols(self) -> bool:
        """Does the text hold a symbol that reads as a syllable (❤, 🐮)?"""
        if self._symbol is None:
            self._symbol = SYMBOL_MARK in self.view
        return self._symbol

    def symbol_dense(self, k: int) -> tuple[str, PositionMap, list[int]]:
        """The dense view with symbols read as their k-th reading, its map, and where in it
        the symbols are (a match elsewhere is one the plain dense view has already)."""
        got = self._symbols.get(k)
        if got is None:
            assert self._arrays is not None
            if self._codes is None:  # built by the extension: the arrays are needed now
                self._codes = np.frombuffer(self.text.encode("utf-32-le"), dtype=np.uint32)
                self._values = self._arrays.view.take(self._codes)
            sym = self._arrays.symbol_codes[k].take(np.minimum(self._codes, LIMIT - 1))
            values = np.where(sym != 0, sym, self._values)
            keep = self._arrays.dense_keep.take(values)
            at = np.flatnonzero((sym != 0)[keep]).tolist()
            got = (_decode(values[keep]), _positions_of(keep), at)
            self._symbols[k] = got
        return got


def views_builder(tables: Tables) -> Any:
    """The extension's builder over ``tables``, or None where it was not built (then
    ``TextViews`` takes the NumPy path). An engine makes one and keeps it."""
    if Builder is None:
        return None
    return Builder(tables.view, tables.literal, tables.shape, tables.dense_keep, tables.script, tables.kinds,
                   SCRIPT_CODE, SCRIPT_LATIN, PINYIN_RUN)


def _run_length(kinds: bytes, i: int, step: int) -> int:
    """Letters in the run from ``i`` on in direction ``step``, counted up to PINYIN_RUN + 1."""
    n = 0
    while 0 <= i < len(kinds) and kinds[i] == SCRIPT_LATIN and n <= PINYIN_RUN:
        n += 1
        i += step
    return n


def _all(data: bytes, pair: bytes, shift: int) -> list[int]:
    """Positions of every occurrence of a two-byte ``pair`` of distinct bytes, plus ``shift``."""
    out = []
    i = data.find(pair)
    while i >= 0:
        out.append(i + shift)
        i = data.find(pair, i + 2)
    return out


def _positions_of(mask: np.ndarray) -> array[int]:
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


def translate(text: str, kind: str, tables: Tables, symbol_reading: int = -1) -> str:
    """``text`` through one array of ``tables`` ("view", "literal", "shape"), deleted
    characters dropped; with ``symbol_reading`` k, symbols read as their k-th reading.
    For tests and tools: the engine uses TextViews."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    values = getattr(tables, kind).take(codes)
    if symbol_reading >= 0:
        extra = tables.symbol_codes[symbol_reading].take(np.minimum(codes, LIMIT - 1))
        values = np.where(extra != 0, extra, values)
    return _decode(values[values != 0])
