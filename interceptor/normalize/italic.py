"""The italic view: Russian words with Latin letters written for the italic Cyrillic ones.

Russian italic and handwritten letters look like other Latin letters than their upright
forms do: italic и is a ``u``, п an ``n``, т an ``m``, г an ``r``, д a ``g``, б a ``6`` or a
``b``. The Unicode confusables data (UTS #39) pairs upright shapes only (``a`` а, ``c`` с,
``y`` у), so ``героuн``, ``nuздец`` or ``geбuл`` read as no word to the per-character views.
``ITALIC`` is the table of those letters, after the italic (cursive) forms of the Cyrillic
alphabet as typefaces draw them (Unicode Standard, chapter 7.4 *Cyrillic*, the note on italic
forms; the italic column of the Russian alphabet in any Russian typeface), with the Latin
letters of the upright look-alikes too, so that a word written wholly in them is read whole.

Which words are read is a precision rule, decided here before any scan: a run of Cyrillic
letters and ``ITALIC``'s Latin letters and digits that holds a Cyrillic letter and one of
the italic letters (``tables.ITALIC_ONLY``: no upright look-alike), not beside another Latin letter
or a digit (``Googleом`` is a Latin word with a Russian ending). An English word holds no
Cyrillic letter, so no English word turns into a Russian term here.

A text without both a Cyrillic letter and one of ``ITALIC_ONLY`` pays one bit test of its
``tables.Kind`` bits (the engine's); one with both, a class search for those letters.
"""
from __future__ import annotations

import re
from functools import cache

from interceptor.normalize.markup import SEPARATOR, Layout, Segment
from interceptor.normalize.markup_tokens import BETWEEN, COPY
from interceptor.normalize.tables import ITALIC_ONLY, LATIN_OR_DIGIT

ITALIC: dict[str, str] = {
    # italic forms that no upright look-alike has
    "u": "и", "n": "п", "m": "т", "g": "д", "b": "б", "6": "б", "3": "з",
    # the upright look-alikes (r г in UTS #39 too), read the same way inside such a word
    "r": "г", "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "k": "к",
}
_KEYS = "".join(ITALIC)
_HINT = re.compile(f"[{ITALIC_ONLY}]")
_AS_CYRILLIC = str.maketrans(ITALIC)


@cache
def _in_run() -> frozenset[str]:
    return frozenset(_KEYS) | frozenset(chr(c) for c in range(0x0400, 0x0500) if chr(c).isalpha())  # CYRILLIC_BLOCK


@cache
def _seam() -> re.Pattern[str]:
    """A Cyrillic letter beside one of ``ITALIC``'s Latin letters or digits: a run that holds
    both has one, and ordinary text of either script alone has none."""
    inside = _in_run()
    cyr = "".join(sorted(c for c in inside if "\u0400" <= c <= "\u04ff" and c not in ITALIC))
    cls, keys = f"[{re.escape(cyr)}]", f"[{re.escape(_KEYS)}]"
    return re.compile(f"{cls}{keys}|{keys}{cls}")


def italic_words(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of ``text`` read through ``ITALIC`` (the rule in the module's
    doc): found from each seam of a Cyrillic letter and a Latin one (``_seam``), grown over
    the run's characters either side."""
    inside = _in_run()
    out: list[tuple[int, int]] = []
    n = len(text)
    pos = 0
    for m in _seam().finditer(text):
        i = m.start()
        if i < pos:
            continue
        lo, hi = i, i + 2
        while lo > 0 and text[lo - 1] in inside:
            lo -= 1
        while hi < n and text[hi] in inside:
            hi += 1
        pos = hi
        if (lo > 0 and LATIN_OR_DIGIT.match(text, lo - 1)) or (hi < n and LATIN_OR_DIGIT.match(text, hi)):
            continue  # a Latin word or a number goes on
        if _HINT.search(text, lo, hi):
            out.append((lo, hi))
    return out


def italic_view(text: str) -> Layout | None:
    """The runs of ``text`` with italic Latin letters, each read in Cyrillic, in one ``Layout``
    (``SEPARATOR`` between them; one character for one, so each maps to itself); None when
    no run holds one."""
    words = italic_words(text)
    if not words:
        return None
    joined = SEPARATOR.join(text[lo:hi] for lo, hi in words).translate(_AS_CYRILLIC)  # SEPARATOR holds no key
    segments: list[Segment] = []
    at = 0
    for lo, hi in words:
        if at:
            segments.append(Segment(at - len(SEPARATOR), lo, 0, len(SEPARATOR), BETWEEN))
        segments.append(Segment(at, lo, hi - lo, hi - lo, COPY))
        at += hi - lo + len(SEPARATOR)
    return Layout(joined, segments, {}, set())
