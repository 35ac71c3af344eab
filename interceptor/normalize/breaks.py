"""The break view: words that a bare line break or a symbol splits, read joined, with a map back.

A line break is normally a word boundary: a text wrapped at its spaces (``the quick\\nbrown``)
has one between two words, and the plain views read it so. A writer who breaks a word to hide
it (``fu\\nck``, ``су\\r\\nка``, ``fu\\u2028ck``, ``fu<br>ck``, ``fenta\\n\\nnyl``) puts one
*inside* a word: no space or tab on either side, a letter on both. So with a symbol written
inside a word (``Hurensoh•n``, ``Juden·sau``, ``ге◆ро•ин``, ``f•ent☆any→l``): the views read
punctuation and symbols as a gap between words, and one gap inside a word of a spaced script
parts it in two. The break view reads, for each such break, the run of word characters around
it joined, and nothing else of the text — one short string to scan, so that a long wrapped
text costs a scan of its line ends, not a second scan of itself.

Which breaks are read joined is a precision rule, decided here before any scan:

* a letter on both sides and nothing between the letters but the break (``\\n``, ``\\r\\n``,
  ``\\r``, U+2028, U+2029, two of them with a blank line's spaces between, or an HTML
  ``<br>``); a hyphen before the break is the markup view's (``markup``), which joins it
  whatever the halves are;
* or up to three symbols (``tables.in_word_symbols``: • · ‧ ∙ ⋅ → ★ ◆…) between two letters of
  the Latin, Greek or Cyrillic script, with no space around them; a middle dot between two
  ``l`` is the Catalan letter pair (``col·legi``), never a break;
* not when both halves are ordinary words (``words_en``): ``pen\\nis`` wrapped at a space that
  a writer left out is two words, even where they spell a term together, and ``apples•pears``
  is a list;
* between Han characters only ``<br>`` (the plain views read a line break between two Han
  characters as noise already; ``<br>`` is a block-level tag that the markup view cuts at).

A term found there is kept only when it reaches across a break (``engine.layout``): the rest
of the string is the plain scan's, with the same text around.
"""
from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterator
from functools import cache

from interceptor.normalize.markup import SEPARATOR, Layout, Segment
from interceptor.normalize.markup_tokens import BETWEEN, COPY
from interceptor.normalize.tables import in_word_symbols, is_han

# A break inside a word, and the right half after it. Each branch starts with the break's first
# character and looks behind it for a letter only then (a regex that began with a look-behind
# would be tried at every position of the text).
_L = r"[^\W\d_]"
_ALPHABETIC = "A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u052f"  # Latin, Greek, Cyrillic letters
_LINE = r"(?:\r\n|[\r\n\u2028\u2029])"
_BLANK = rf"(?:[ \t]*{_LINE})?"  # a second break, a blank line between the halves
_BREAKS = (rf"\r\n(?<={_L}\r\n){_BLANK}|\r(?<={_L}\r)(?!\n){_BLANK}|[\n\u2028\u2029](?<={_L}[\n\u2028\u2029]){_BLANK}"
           rf"|<(?<={_L}<)[Bb][Rr]\s*/?>")
_RIGHT = rf"(?={_L})([^\W_]{{1,32}})"
_BREAK = re.compile(f"(?:{_BREAKS}){_RIGHT}")
_BLANK_LINE = re.compile(r"[ \t]*\n")  # the rest of a blank line after a line feed
_RUN = re.compile(r"[^\W_]{1,32}")  # a run of word characters: the half of a word by a break
_CHARS = ("\n", "\r", "\u2028", "\u2029")
CONTEXT = 48
"""Characters read on either side of a joined word that is a word of a term of several, to
the nearest space within them, so that the term is read whole (``elderly p<br>eople``)."""


def _window(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` (a joined word) grown by up to CONTEXT characters on either side, to
    a space (never into a word: its cut end would read as a word boundary)."""
    if start <= CONTEXT:
        lo = 0
    else:
        space = text.find(" ", start - CONTEXT, start)
        lo = space + 1 if space >= 0 else start
    if len(text) - end <= CONTEXT:
        hi = len(text)
    else:
        space = text.rfind(" ", end, end + CONTEXT)
        hi = space if space >= 0 else end
    return lo, hi


@cache
def _symbols() -> re.Pattern[str]:
    """Up to three symbols inside a word, and the right half after them: each match starts
    with a symbol, then looks behind it for a letter (a look-behind of fixed width), so that
    the regex engine skips from one symbol to the next."""
    cps = sorted(in_word_symbols())
    ranges: list[str] = []
    lo = prev = cps[0]
    for cp in [*cps[1:], -1]:
        if cp != prev + 1:
            ranges.append(re.escape(chr(lo)) + ("-" + re.escape(chr(prev)) if prev > lo else ""))
            lo = cp
        prev = cp
    sym = "[" + "".join(ranges) + "]"
    catalan = r"(?!(?<=[Ll]\u00b7)[Ll])"  # l·l: a letter pair
    return re.compile(rf"{sym}(?<=[{_ALPHABETIC}]{sym}){catalan}{sym}{{0,2}}(?=[{_ALPHABETIC}])([^\W_]{{1,32}})")


def may_hold(text: str, symbols: bool = False) -> bool:
    """Could ``text`` hold a break inside a word? A few ``in`` tests; ``symbols``: does it hold
    a symbol of ``in_word_symbols`` (``tables.Kind.INSIDE``: a bit its views have already)."""
    return symbols or any(c in text for c in _CHARS) or (
        "<" in text and ("<br" in text or "<BR" in text or "<Br" in text))


def _inside_words(text: str, symbols: bool) -> Iterator[tuple[int, int, int]]:
    """(break start, break end, right half's end) of each break between two letters, in the
    order of the text: the line breaks (``_line_breaks``) and, with ``symbols``, the symbols."""
    if not symbols:
        yield from _line_breaks(text)
        return
    found = ((m.start(), m.start(1), m.end()) for m in _symbols().finditer(text))
    if not any(c in text for c in _CHARS) and "<" not in text:
        yield from found
        return
    yield from heapq.merge(_line_breaks(text), found)


def _line_breaks(text: str) -> Iterator[tuple[int, int, int]]:
    """The line breaks between two letters: found by ``_BREAK``, or, in a text whose only
    breaks are line feeds (most), by ``str.find`` from one to the next, the letters either
    side tested only there."""
    if "\r" in text or "\u2028" in text or "\u2029" in text or "<" in text:
        for m in _BREAK.finditer(text):
            yield m.start(), m.start(1), m.end()
        return
    last = len(text) - 1
    i = text.find("\n")
    while i >= 0:
        j = i + 1  # past the break: one line feed, or two with a blank line's spaces between
        if j <= last and text[j] in " \t\n":
            blank = _BLANK_LINE.match(text, j)
            j = blank.end() if blank is not None else -1
        if i > 0 and 0 < j <= last and text[j].isalpha() and text[i - 1].isalpha():
            right = _RUN.match(text, j)
            if right is not None:
                yield i, j, right.end()
        i = text.find("\n", max(j, i + 1))


def breaks_view(text: str, ordinary: Callable[[str], bool], in_phrase: Callable[[str], bool],
                symbols: bool = False) -> Layout | None:
    """The words of ``text`` that a bare line break or a symbol splits, each joined, in one
    ``Layout`` (``SEPARATOR`` between them); None when no break is inside a word. ``ordinary``:
    is a half an ordinary word of its language (then a break between two of them stays one)?
    ``in_phrase``: is a joined word one word of a term of several (then the words around it
    are read with it)? ``symbols``: may the text hold a symbol inside a word (``may_hold``)?"""
    if not may_hold(text, symbols):
        return None
    runs: list[list[int]] = []  # [start, end, break start, break end, ...] of each joined run
    for a, b, e in _inside_words(text, symbols):
        right = text[b:e]
        han = is_han(text[a - 1]) and is_han(right[0])
        if han and text[a] != "<":
            continue  # the plain views read it as noise between Han characters
        back = _RUN.match(text[max(0, a - 32):a][::-1])  # the left half, read backwards
        assert back is not None  # a letter is before the break
        left = back.group()[::-1]
        if not han and ordinary(right) and ordinary(left):
            continue
        start, end = a - len(left), e
        if in_phrase(left + right):
            start, end = _window(text, start, end)
        if runs and start <= runs[-1][1]:  # two breaks near each other: one run
            runs[-1][1] = max(end, runs[-1][1])
            runs[-1] += [a, b]
        else:
            runs.append([start, end, a, b])
    if not runs:
        return None
    out: list[str] = []
    segments: list[Segment] = []
    at = 0
    for n, run in enumerate(runs):
        if n:
            segments.append(Segment(at, run[0], 0, len(SEPARATOR), BETWEEN))
            out.append(SEPARATOR)
            at += len(SEPARATOR)
        pos = run[0]
        cuts = [*run[2:], run[1], run[1]]
        for k in range(0, len(cuts), 2):
            piece = text[pos:cuts[k]]
            segments.append(Segment(at, pos, len(piece), len(piece), COPY))
            out.append(piece)
            at += len(piece)
            pos = cuts[k + 1]
    return Layout("".join(out), segments, {}, set())

