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
from typing import Any

import numpy as np

from interceptor.engine.patterns import Compiled, Form
from interceptor.normalize.lookalike import neighbours
from interceptor.normalize.tables import MARK, UNICODE, Tables

# every character ``tables.is_han`` calls Han
_HAN_ONLY = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U000323af]+")

try:
    from interceptor.engine._check import Screens
except ImportError:  # built without a C compiler: the channels screen in Python
    Screens = None

Entries = tuple[array, tuple[str, ...], tuple[str, ...]]  # type: ignore[type-arg]
"""What a screen knows of one automaton's patterns: per pattern id an int64 — the index of
the one term the screen applies to (an all-Han term, for the sound channel), ``-2 - index``
for such a term with combining marks (never exact without the full check), -1 for a pattern
left to Python as it came — and per term its folded form and its units. One machine
integer per pattern: a large lexicon has a million of them."""


def make_screens(tables: Tables) -> Any:
    """The extension's screens over ``tables``, or None where it was not built."""
    if Screens is None:
        return None
    common = np.zeros(UNICODE, dtype=np.uint8)
    common[[ord(c) for c in tables.common_zh if ord(c) < UNICODE]] = 1
    return Screens(tables.spaced.view(np.uint8), tables.cls_bytes, common, tables.pairs_zh, tables.words2_zh,
                   tables.words_zh, neighbours(), int(MARK))


def term_strings(compiled: Compiled) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every term's folded form and units, for ``Entries`` (shared by the screens)."""
    return tuple(ct.folded for ct in compiled.terms), tuple(ct.units for ct in compiled.terms)


def sound_entries(compiled: Compiled, strings: tuple[tuple[str, ...], tuple[str, ...]]) -> Entries:
    """The sound patterns of one all-Han term (``precision.sound_may_hit`` screens them)."""
    terms = compiled.terms
    han = np.array([_HAN_ONLY.fullmatch(ct.units) is not None for ct in terms] or [False])
    marked = np.array([bool(ct.marks) for ct in terms] or [False])
    term, form = compiled.sound_refs.single()
    ok = (form == Form.SOUND) & han[np.maximum(term, 0)]
    ids = np.where(ok, np.where(marked[np.maximum(term, 0)], -2 - term, term), -1)
    return array("q", ids.astype(np.int64).tobytes()), *strings


def look_entries(compiled: Compiled, strings: tuple[tuple[str, ...], tuple[str, ...]]) -> Entries:
    """The look-alike patterns of one term (``precision.look_may_hit`` screens them)."""
    term, form = compiled.look_refs.single()
    ids = np.where(form == Form.LOOK, term, -1)
    return array("q", ids.astype(np.int64).tobytes()), *strings
