"""The drawings view: Cyrillic words with letters drawn in ASCII strokes, read as letters.

A Russian word is hidden by drawing some of its letters with ASCII characters of the same
outline (``cу|<а``, ``}|{опа``, ``мbIло``, ``JIох``, ``|-|ет``; ``tables/drawings_ru.tsv``,
written by ``scripts/drawings.py``). A drawing is several characters for one letter, so the
per-character views cannot read it; this view reads, for each word that holds one, the word
with every drawing written as its letter, and nothing else of the text, with a map back to
the original characters (``markup.Layout``: a drawn letter stands for all the characters of
its drawing, so a hit's span and mask cover them).

Which drawings are read is a precision rule, decided here before any scan: only in a word that
holds a Cyrillic letter, the drawings and the letters side by side with no space between
(``|<`` in ``:-|< ok`` or in ``if a |< b`` is an emoticon or code), and not beside a Latin
letter that is no Cyrillic look-alike or a digit (``Jl`` in ``Jlord``, ``0`` in ``10км``: a Latin
word or a number).

A text without both a Cyrillic letter and a drawing's first or last character pays one bit
test of its ``tables.Kind`` bits (the engine's); one with both, a class search and a few
comparisons at each such character (``may_hold``).
"""
from __future__ import annotations

import re
from functools import cache
from importlib import resources

from interceptor.normalize.markup import SEPARATOR, Layout, Segment
from interceptor.normalize.markup_tokens import BETWEEN, COPY, DECODED
from interceptor.normalize.tables import CYRILLIC, CYRILLIC_BLOCK, LATIN_OR_DIGIT, drawing_ends

# Latin letters a Cyrillic word is written with for their look (cу|<а with a Latin c): part of
# the word, which must still hold a Cyrillic letter of its own.
LOOKALIKES = "aceopxyABCEHKMOPTX"


@cache
def drawings() -> dict[str, str]:
    """Each drawing and the Cyrillic letter it draws (``tables/drawings_ru.tsv``)."""
    text = resources.files("interceptor.normalize").joinpath("tables", "drawings_ru.tsv").read_text(encoding="utf8")
    rows = (ln.split("\t") for ln in text.splitlines() if ln and ln[0] != "#")
    return {d: c for d, c in rows}


def _class(chars: set[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The characters a drawing begins or ends with (``tables.drawing_ends``), and a run of
    drawings, Cyrillic letters and look-alikes (the longest drawing first at each position)."""
    table = drawings()
    ends = re.compile("[" + "".join(re.escape(c) for c in sorted(drawing_ends())) + "]")
    items = "|".join(re.escape(d) for d in sorted(table, key=len, reverse=True))
    run = re.compile(f"(?:{items}|[{CYRILLIC_BLOCK}{LOOKALIKES}])+")
    return ends, run


_SPACE = re.compile(r"\s")
NEAR = 2  # a drawing's end character with a Cyrillic letter this near (cy|<a: a look-alike between)


@cache
def _hint() -> re.Pattern[str]:
    """A drawing's first or last character with a Cyrillic letter within ``NEAR`` characters
    before or after it, each alternative begun by a character class and taking one character
    (one pass of the C matcher). A Cyrillic letter before the nearest such character after it
    reports that one only: another within reach is in the same word, and ``drawn_words`` reads
    whole words."""
    ends, _ = _patterns()
    end, cyr = ends.pattern, CYRILLIC.pattern
    gap = f".{{0,{NEAR - 1}}}?"
    return re.compile(f"(?s){cyr}(?={gap}(?P<after>{end}))|{end}(?={gap}{cyr})")


def _hints(text: str) -> list[int]:
    """Where a drawing's first or last character has a Cyrillic letter within ``NEAR``
    characters (``_hint``): a start for ``drawn_words`` in each word that has one."""
    return sorted({m.start("after") if m.group("after") is not None else m.start() for m in _hint().finditer(text)})


def drawn_words(text: str) -> list[tuple[int, int, list[tuple[int, int, str]]]]:
    """(word start, word end, [(drawing start, drawing end, letter), ...]) of each word of
    ``text`` that holds a drawing beside a Cyrillic letter (the rule in the module's doc)."""
    if text.isascii():
        return []
    _, run = _patterns()
    table = drawings()
    out: list[tuple[int, int, list[tuple[int, int, str]]]] = []
    pos = 0
    for at in _hints(text):
        if at < pos:
            continue
        lo = at
        while lo > 0 and not text[lo - 1].isspace():
            lo -= 1
        m = _SPACE.search(text, at)
        hi = m.start() if m is not None else len(text)
        pos = hi
        found: list[tuple[int, int, str]] = []
        for r in run.finditer(text, lo, hi):
            a, b = r.start(), r.end()
            if (a > lo and LATIN_OR_DIGIT.match(text, a - 1)) or (b < hi and LATIN_OR_DIGIT.match(text, b)):
                continue  # inside a Latin word or a number
            drawn = _drawn(text, a, b, table)
            if drawn and _has_letter(text, a, b, drawn):
                found += drawn
        if found:
            out.append((lo, hi, found))
    return out


def _drawn(text: str, a: int, b: int, table: dict[str, str]) -> list[tuple[int, int, str]]:
    """The drawings of the run ``text[a:b]``, read left to right, the longest first."""
    longest = max(map(len, table))
    out = []
    i = a
    while i < b:
        for n in range(min(longest, b - i), 0, -1):
            letter = table.get(text[i:i + n])
            if letter is not None:
                out.append((i, i + n, letter))
                i += n
                break
        else:
            i += 1
    return out


def _has_letter(text: str, a: int, b: int, drawn: list[tuple[int, int, str]]) -> bool:
    """Does the run hold a Cyrillic letter outside its drawings (``ЬI`` alone is a drawing)?"""
    inside = {k for s, e, _ in drawn for k in range(s, e)}
    return any("\u0400" <= text[k] <= "\u04ff" and k not in inside for k in range(a, b))


def drawings_view(text: str) -> Layout | None:
    """The words of ``text`` with drawn letters, each read with its drawings as letters, in
    one ``Layout`` (``SEPARATOR`` between them); None when no word holds one."""
    words = drawn_words(text)
    if not words:
        return None
    out: list[str] = []
    segments: list[Segment] = []
    at = 0
    for n, (lo, hi, drawn) in enumerate(words):
        if n:
            segments.append(Segment(at, lo, 0, len(SEPARATOR), BETWEEN))
            out.append(SEPARATOR)
            at += len(SEPARATOR)
        pos = lo
        for s, e, letter in drawn:
            if s > pos:
                segments.append(Segment(at, pos, s - pos, s - pos, COPY))
                out.append(text[pos:s])
                at += s - pos
            segments.append(Segment(at, s, e - s, 1, DECODED))
            out.append(letter)
            at += 1
            pos = e
        if hi > pos:
            segments.append(Segment(at, pos, hi - pos, hi - pos, COPY))
            out.append(text[pos:hi])
            at += hi - pos
    return Layout("".join(out), segments, {}, set())
