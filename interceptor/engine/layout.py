"""Hits in the layout view: terms a reader sees that the submitted code points hide.

A text holding markup or layout writing inside a word (``normalize.markup``: tags, character
references, percent-encoding, hyphenated line breaks, overrides, emphasis and emoji inside
a word) is scanned a second time as its reader sees it — only the pieces that hold such a
writing, and only when the text holds one at all. Each hit found there is mapped back to
the characters it was read from, so that its span and mask cover them and the markup
inside, and is kept only when:

* the characters it covers read otherwise than written (a hit whose original characters
  are what the layout view holds is the plain scan's to find or not — its precision rules
  decided, with the same text around);
* the plain scan did not already report the term there;
* its term allows ``noise``: markup inside a word is noise written in (a term with
  ``variants = none`` is matched only as written); a symbol read as the letter it looks
  like between two letters (``fu¢k``) is a ``homoglyph`` instead.

A hit of the plain scan on a fragment of a word that markup splits is dropped: the reader
sees one word there, and spaced-script terms match whole words only.

A word that a bare line break or a symbol splits (``fu\\nck``, ``fu<br>ck``, ``fu•ck``) is read
joined in the break view (``normalize.breaks``: only the words around such breaks, where the
halves are not both ordinary words) and its hits are kept by the same rules.

A word with Cyrillic letters drawn in ASCII strokes (``|<`` for к, ``}|{`` for ж) is read with
its drawings as letters in the drawings view (``normalize.drawings``), and its hits are kept by
the same rules, the technique ``leet`` (a term whose variants leave it out is not read there).

A Russian word with Latin letters written for italic Cyrillic ones (``героuн``, ``nuздец``) is
read in Cyrillic in the italic view (``normalize.italic``), its hits kept by the same rules,
the technique ``homoglyph``.

The technique it names is the one it took in the layout view, ``noise`` when that was none.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from interceptor.engine.check import variant_name
from interceptor.normalize.breaks import breaks_view
from interceptor.normalize.drawings import drawings_view
from interceptor.normalize.italic import italic_view
from interceptor.normalize.markup import Layout, layout
from interceptor.normalize.markup_tokens import LETTERS_LIKE, with_tags
from interceptor.types import Hit

_LIKE_CHARS = re.compile("[" + re.escape("".join(LETTERS_LIKE)) + "]")
_AS_LETTERS = str.maketrans(LETTERS_LIKE)


def with_layout(text: str, hits: list[Hit], symbols: bool, letterlike: bool, scan: Callable[[str], list[Hit]],
                without_noise: frozenset[tuple[str, str]], ordinary: Callable[[str], bool],
                in_phrase: Callable[[str], bool], without_homoglyph: frozenset[tuple[str, str]],
                without_leet: frozenset[tuple[str, str]] = frozenset(), drawn_letters: bool = False,
                inside: bool = False, italic: bool = False) -> list[Hit]:
    """``hits`` (the plain scan's) with those only the layout view or the break view of
    ``text`` holds.

    ``symbols``: does the text hold a symbol that reads as a syllable (``TextViews.has_symbols``);
    ``letterlike``: one drawn as a letter (``Kind.LETTERLIKE``);
    ``scan`` scans a text with every channel; ``without_noise`` holds (term, category) of the
    terms whose variants leave out ``noise``; ``ordinary``: is a word an ordinary word of its
    language (``breaks``: a line break between two of them stays a word boundary);
    ``in_phrase``: is a word one word of a term of several (``breaks``: read with its context);
    ``without_homoglyph``: the terms whose variants leave out ``homoglyph`` (a symbol read as
    the letter it looks like, ``sh℮et``, is one); ``without_leet``: those whose variants
    leave out ``leet``; ``drawn_letters``: does the text hold a Cyrillic letter and a character
    a drawing of one begins or ends with (``Kind.CYRILLIC`` and ``Kind.DRAWING``)? ``inside``:
    may the text hold a symbol written inside a word (``Kind.INSIDE``: ``fu•ck``, read joined
    by the break view)? ``italic``: does it hold a Cyrillic letter and a Latin letter read as
    an italic Cyrillic one (``Kind.CYRILLIC`` and ``Kind.ITALIC``: ``героuн``)?
    """
    view = layout(text, symbols, letterlike)
    broken = breaks_view(text, ordinary, in_phrase, inside)
    drawn = drawings_view(text) if drawn_letters else None
    slanted = italic_view(text) if italic else None
    if view is None and broken is None and drawn is None and slanted is None:
        return hits
    if view is not None and view.seams:
        hits = _whole_words(hits, view.seams)
    plain: dict[str, list[tuple[int, int]]] = {}
    for o in hits:
        plain.setdefault(o.term, []).append((o.start, o.end))
    found: list[Hit] = []
    for v in (view, broken):
        if v is not None:
            found += _read(text, v, scan, without_noise, plain, without_homoglyph)
    if drawn is not None:
        found += _read(text, drawn, scan, without_leet, plain, without_homoglyph, "leet")
    if slanted is not None:
        found += _read(text, slanted, scan, without_homoglyph, plain, without_homoglyph, "homoglyph")
    if not found:
        return hits
    return sorted([*hits, *found], key=lambda h: (h.start, h.end, h.term))


def _read(text: str, view: Layout, scan: Callable[[str], list[Hit]], without_noise: frozenset[tuple[str, str]],
          plain: dict[str, list[tuple[int, int]]], without_homoglyph: frozenset[tuple[str, str]],
          technique: str = "noise") -> list[Hit]:
    """The hits of ``view`` that read otherwise than ``text`` is written and that no hit in
    ``plain`` (term -> spans; grown by those found here) reports already; ``technique`` is
    what reading otherwise is (``without_noise``: the terms that leave it out)."""
    found: list[Hit] = []
    for h in scan(view.text):
        span = view.original(h.start, h.end)
        if span is None:
            continue
        start, end = with_tags(text, *span)
        written = text[start:end]
        if written == view.text[h.start:h.end]:
            continue
        techniques = {h.variant} if h.variant != "exact" else set()
        if _LIKE_CHARS.search(written) is not None:  # a symbol read as a letter: a look-alike
            techniques.add("homoglyph")
            if (h.term, h.category) in without_homoglyph:
                continue
            written = written.translate(_AS_LETTERS)
        if written != view.text[h.start:h.end]:
            techniques.add(technique)
            if (h.term, h.category) in without_noise:
                continue
        if any(a < end and start < b for a, b in plain.get(h.term, ())):
            continue  # the plain scan (or the other view) reported the term there
        variant = variant_name(techniques)
        found.append(replace(h, start=start, end=end, matched=text[start:end], variant=variant))
        plain.setdefault(h.term, []).append((start, end))
    return found


def _whole_words(hits: list[Hit], seams: set[tuple[int, int]]) -> list[Hit]:
    """``hits`` without those on a fragment of a word that markup splits (``cl<b>ass</b>``
    is the word *class* to its reader, not *ass*; ``com-\npute`` is *compute*)."""
    ends = {e for e, _ in seams}
    starts = {s for _, s in seams}
    return [h for h in hits if h.end not in ends and h.start not in starts]
