"""The channels' screens over a whole list of matches at once, in C (``_check.c``).

On text full of ordinary words an automaton pass yields dozens of candidates per KB, and
most of them are dropped by a screen that reads a few characters of a view
(``precision.sound_may_hit``, ``look_may_hit``, a word boundary). Called from Python, one call
chain per candidate cost several times the automaton pass that found it; the extension
screens a channel's whole list in one call, hands back the matches that are the term
written exactly as hit spans, and leaves only the rest to the full check.

The extension is optional (``setup.py``): without it ``make_screens`` answers None and the
channels screen each match in Python, which stays the definition; a test compares the
hits of both on the same texts.
"""
from __future__ import annotations

import re
from array import array
from dataclasses import MISSING, fields, replace
from typing import Any

import numpy as np

from interceptor.engine.gaps import COMBINING_REACH, MAX_GAP, NATURAL_PUNCTUATION
from interceptor.engine.patterns import Compiled, Form, RefTable
from interceptor.normalize.lookalike import neighbours
from interceptor.normalize.tables import IGNORE, MARK, UNICODE, Tables
from interceptor.types import Hit

# every character ``tables.is_han`` calls Han
_HAN_ONLY = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U000323af]+")

try:
    from interceptor.engine._check import Hits, Screens
except ImportError:  # built without a C compiler: the channels screen in Python
    Hits = Screens = None

Entries = tuple[array, array, tuple[str, ...], tuple[str, ...]]  # type: ignore[type-arg]
"""What a screen knows of one automaton's patterns (``_check.c``): per pattern id an int64 —
the index of the one term the screen applies to (an all-Han term, for the sound channel),
``-2 - index`` for such a term with combining marks (never exact without the full check),
-1 for a pattern left to Python as it came, ``-3 - offset`` for a pattern several terms
share (``multi[offset]`` of them follow, each coded alike, -1 for one checked unscreened) —
and per term its folded form and its units. One machine integer per pattern: a large
lexicon has a million of them."""


def make_screens(tables: Tables) -> Any:
    """The extension's screens over ``tables``, or None where it was not built."""
    if Screens is None:
        return None
    flags = np.zeros(UNICODE, dtype=np.uint8)
    for bit, chars in ((COMMON, tables.common_zh), (NATURAL, NATURAL_PUNCTUATION), (TERMINAL, tables.terminals)):
        flags[[ord(c) for c in chars if ord(c) < UNICODE]] |= bit
    return Screens(tables.spaced.view(np.uint8), tables.cls_bytes, flags, tables.pairs_zh, tables.words2_zh,
                   tables.words_zh, neighbours(), tables.fold, int(IGNORE), int(MARK), MAX_GAP, COMBINING_REACH)


COMMON, NATURAL, TERMINAL = 1, 2, 4  # the bits of the extension's flags by code point


def term_strings(compiled: Compiled) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every term's folded form and units, for ``Entries`` (shared by the screens)."""
    return tuple(ct.folded for ct in compiled.terms), tuple(ct.units for ct in compiled.terms)


def sound_entries(compiled: Compiled, strings: tuple[tuple[str, ...], tuple[str, ...]]) -> Entries:
    """The sound patterns' terms: all-Han terms are screened by ``precision.sound_may_hit``."""
    terms = compiled.terms
    han = np.array([_HAN_ONLY.fullmatch(ct.units) is not None for ct in terms] or [False])
    # the exact and gapped shortcuts read neither combining marks nor word breaks
    marked = np.array([bool(ct.marks or ct.word_breaks) for ct in terms] or [False])

    def code(term: Any, form: Any) -> Any:
        t = np.maximum(term, 0)
        return np.where((form == Form.SOUND) & (term >= 0) & han[t], np.where(marked[t], -2 - term, term), -1)

    return _entries(compiled.sound_refs, code, strings)


def word_entries(compiled: Compiled, strings: tuple[tuple[str, ...], tuple[str, ...]]) -> Entries:
    """The word patterns of one whole-word term without combining marks (the exact shortcut)."""
    marked = np.array([bool(ct.marks) for ct in compiled.terms] or [False])
    term, form = compiled.word_refs.single()
    ids = np.where((form == Form.WORD) & (term >= 0) & ~marked[np.maximum(term, 0)], term, -1)
    return (array("q", ids.astype(np.int64).tobytes()), array("q"), *strings)


def look_entries(compiled: Compiled, strings: tuple[tuple[str, ...], tuple[str, ...]]) -> Entries:
    """The look-alike patterns' terms, screened by ``precision.look_may_hit`` (the gapped
    rule, which reads neither combining marks nor word breaks, only for terms without them)."""
    marked = np.array([bool(ct.marks or ct.word_breaks) for ct in compiled.terms] or [False])

    def code(term: Any, form: Any) -> Any:
        t = np.maximum(term, 0)
        return np.where((form == Form.LOOK) & (term >= 0), np.where(marked[t], -2 - term, term), -1)

    return _entries(compiled.look_refs, code, strings)


def _entries(refs: RefTable, code: Any, strings: tuple[tuple[str, ...], tuple[str, ...]]) -> Entries:
    term, form = refs.single()
    ids = code(term, form)
    multi: list[int] = []
    for pid in np.flatnonzero(term < 0).tolist():  # the patterns several terms share
        shared = refs[pid]
        ids[pid] = -3 - len(multi)
        multi.append(len(shared))
        multi.extend(code(np.array([r.term for r in shared]), np.array([int(r.form) for r in shared])).tolist())
    return (array("q", ids.astype(np.int64).tobytes()), array("q", multi), *strings)


def _maker() -> Any:
    """The extension's hit maker for ``Hit`` as it is declared, or None (then Python makes them)."""
    own = {"term", "category", "tier", "lang", "start", "end", "matched", "variant"}
    defaults = {f.name: f.default for f in fields(Hit) if f.name not in own}
    if Hits is None or MISSING in defaults.values():
        return None
    try:
        return Hits(Hit, defaults)
    except (TypeError, ValueError):  # Hit is no longer a dataclass of slots the maker can set
        return None


_MAKER = _maker()


def moved(items: list[tuple[Hit, int, int]], text: str) -> list[Hit]:
    """Each ``(hit, start, end)`` as the hit over ``text[start:end]`` (``dataclasses.replace``,
    in C where the extension was built: merging the copies of a repeated term makes many)."""
    if _MAKER is not None:
        return _MAKER.moved(items, text)  # type: ignore[no-any-return]
    return [replace(h, start=a, end=b, matched=text[a:b]) for h, a, b in items]


class ExactHits:
    """Makes the hits of spans written exactly (``Found.exact``): in C where the extension
    was built (``_check.Hits``, the dataclass's fields set through its slots without the
    Python call), else by calling ``Hit``."""

    __slots__ = ("_maker", "_terms", "_texts")

    def __init__(self, compiled: Compiled):
        self._terms = tuple(ct.term for ct in compiled.terms)
        self._texts = tuple(ct.term.text for ct in compiled.terms)
        self._maker = _maker()

    def order(self, key: tuple[int, int, int]) -> tuple[int, int, str, int]:
        """The sort key of the hit of ``key`` (term index, start, end): ``Found.hits``'s order."""
        return key[1], key[2], self._texts[key[0]], key[0]

    def make(self, keys: list[tuple[int, int, int]], text: str) -> list[Hit]:
        if self._maker is not None:
            return self._maker.make(keys, self._terms, text)  # type: ignore[no-any-return]
        terms = self._terms
        return [Hit(term=(t := terms[i]).text, category=t.category, tier=t.tier, start=a, end=b, matched=text[a:b],
                    variant="exact", lang=t.lang) for i, a, b in keys]
