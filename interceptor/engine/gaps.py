"""What lies between two characters of a match: removed characters and visible noise.

The views remove every default-ignorable and format character, every combining mark
(``tables.CharClass``), so that no number of them separates two characters: ``冰`` +
100 zero-width spaces + ``毒`` is ``冰毒`` to the automatons. What a candidate's check then
needs to know about the original characters between two of its units is a ``Gap``:

* the removed characters name a technique (``noise``; ``diacritics`` for the diacritics of
  Latin, Greek and Cyrillic letters) and never count towards the gap;
* visible noise counts in *runs* — a character repeated any number of times is one run, and
  so is a symbol a reader sees as one (a flag's two indicators, an emoji with its skin tone
  or joined to the next) — so ``冰★★★★★★毒`` and ``冰      毒`` are one run each,
  ``冰 🇨🇳 毒`` three, while ``冰 ★ ★ ★ 毒`` is seven. A gap
  between two characters of a term may hold at most ``MAX_GAP`` runs, between two words of
  a multi-word term ``MAX_WORD_GAP``: a term of n characters holds at most
  ``MAX_GAP × (n − 1)`` runs of noise, so the bound grows with the term's length;
* combining marks are the term's own when it has them (Thai vowel signs, Arabic shadda): a
  gap must hold the marks the term has at that place (``สัด`` is not ``สด``), and any
  others are noise.

Short gaps are read character by character; long ones (a run of noise thousands long) with
NumPy, so that a gap costs C-level work in proportion to its length.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from interceptor.normalize.tables import COMBINING, IGNORE, MARK, Tables

MAX_GAP = 3
"""Most runs of visible noise between two characters of a term (``p . u`` has 3)."""
MAX_WORD_GAP = 8
"""Most runs of visible noise between two words of a multi-word term."""
# Punctuation that ordinary sentences put between words; any other noise inside a match is
# a sign that someone wrote around a term on purpose.
# Chinese puts no spaces between words, so a space between two characters is deliberate.
NATURAL_PUNCTUATION = frozenset("\n\r，。、；：？！,.;:?!\"'“”‘’「」『』《》〈〉（）()[]【】—…·‧")
_NATURAL = "".join(sorted(NATURAL_PUNCTUATION))
_SHORT = 8  # gaps up to this long are read in Python, longer ones with NumPy
_RI_FIRST, _RI_LAST = "\U0001f1e6", "\U0001f1ff"  # regional indicators: two make a flag
_MODIFIER_FIRST, _MODIFIER_LAST = "\U0001f3fb", "\U0001f3ff"  # emoji skin tones
_ZWJ = "\u200d"
_NOISE = frozenset({"noise"})
_DIACRITICS = frozenset({"diacritics"})
_BOTH = _NOISE | _DIACRITICS
_NONE: frozenset[str] = frozenset()


class Gap(NamedTuple):
    """The original characters between two units of a match."""

    runs: int  # runs of visible characters: one character repeated counts once
    natural: bool  # every visible character is sentence punctuation
    techniques: frozenset[str]  # named by the removed characters
    marks: str  # the combining marks (CharClass.COMBINING) among them, in order

    @property
    def empty(self) -> bool:
        """Nothing visible and nothing removed but marks to be compared with the term's."""
        return not self.runs and not self.techniques


NO_GAP = Gap(0, True, _NONE, "")


def gap(text: str, a: int, b: int, t: Tables) -> Gap:
    """The gap ``text[a:b]``."""
    if b <= a:
        return NO_GAP
    if b - a <= _SHORT:
        return _short(text[a:b], t.cls_bytes)
    return _long(text[a:b], t)


def _extends(c: str, prev: str, joined: bool) -> bool:
    """Is the visible ``c`` part of the symbol before it: the second regional indicator of a
    flag (``🇨🇳``), a skin-tone modifier (``👍🏽``), an emoji after a zero-width joiner
    (``👨‍👩‍👧``)? A reader sees one symbol, so it is one run."""
    if joined:
        return True
    if _RI_FIRST <= c <= _RI_LAST:
        return _RI_FIRST <= prev <= _RI_LAST
    return _MODIFIER_FIRST <= c <= _MODIFIER_LAST


def _short(g: str, cls: bytes) -> Gap:
    runs = 0
    natural = True
    noise = diacritics = False
    marks = ""
    prev = ""
    joined = pair = False
    for c in g:
        k = cls[ord(c)]
        if k == IGNORE:
            noise = True
            joined = joined or (c == _ZWJ and prev != "")
        elif k == MARK:
            diacritics = True
        elif k == COMBINING:
            marks += c
        else:
            extends = not pair and _extends(c, prev, joined)
            # a flag is two indicators: the third starts the next flag (🇨🇳🇺🇸 is two)
            pair = extends and _RI_FIRST <= c <= _RI_LAST
            joined = False
            if c != prev and not extends:
                runs += 1
            prev = c
            if natural and c not in NATURAL_PUNCTUATION:
                natural = False
    techs = (_BOTH if diacritics else _NOISE) if noise else (_DIACRITICS if diacritics else _NONE)
    return Gap(runs, natural, techs, marks)


def _long(g: str, t: Tables) -> Gap:
    codes = np.frombuffer(g.encode("utf-32-le"), dtype=np.uint32)
    kinds = t.cls.take(codes)
    shown = kinds < IGNORE
    visible = codes[shown]
    # a flag's second indicator, a skin tone, an emoji after a joiner: one symbol with what
    # they follow (``_extends``)
    ri = (visible >= ord(_RI_FIRST)) & (visible <= ord(_RI_LAST))
    at = np.arange(len(visible))
    first = ri & ~np.concatenate(([False], ri[:-1]))  # the first indicator of a run of them
    from_first = at - np.maximum.accumulate(np.where(first, at, 0))
    extends = ri & (from_first % 2 == 1)
    extends |= (visible >= ord(_MODIFIER_FIRST)) & (visible <= ord(_MODIFIER_LAST))
    after_joiner = np.concatenate(([False], codes[:-1] == ord(_ZWJ)))
    extends |= after_joiner[shown]
    new = np.ones(len(visible), dtype=bool)
    new[1:] = visible[1:] != visible[:-1]
    runs = int(np.count_nonzero(new & ~extends)) if len(visible) else 0
    natural = not _decode(np.unique(visible)).strip(_NATURAL)
    present = set(np.unique(kinds).tolist())
    noise, diacritics = IGNORE in present, MARK in present
    techs = (_BOTH if diacritics else _NOISE) if noise else (_DIACRITICS if diacritics else _NONE)
    marks = _decode(codes[kinds == COMBINING]) if COMBINING in present else ""
    return Gap(runs, natural, techs, marks)


def _decode(codes: np.ndarray) -> str:
    return codes.astype(np.uint32).tobytes().decode("utf-32-le")


def holds(marks: str, own: str) -> bool:
    """Does ``marks`` hold the term's own marks ``own``, in order (others may be between)?"""
    if not own:
        return True
    it = iter(marks)
    return all(c in it for c in own)


COMBINING_REACH = 16
"""Most removed characters looked through beside a match, for the marks after its last
letter (which its span takes in) and for the character that decides a word boundary."""


def marks_end(text: str, end: int, t: Tables) -> int:
    """``end`` moved past the combining marks that follow it (they belong to the letter
    before, up to COMBINING_REACH): a hit's span, and its mask, covers them."""
    stop = min(len(text), end + COMBINING_REACH)
    cls = t.cls_bytes
    while end < stop and cls[ord(text[end])] >= MARK:
        end += 1
    return end
