"""The layout view: a text as a reader sees it, with a map back to the submitted characters.

What a browser, a markdown renderer or a bidi-aware display shows is not always the code
points submitted. Each of these writes a term so that the views of ``views.py`` (which read
code points) no longer hold it, while a reader still does:

* HTML tags inside a word (``су<b>ка</b>``, ``f<span>u</span>ck``, ``冰</b><i>毒``): an inline
  tag is removed; a block-level tag (``<p>``, ``<td>``, ``<br>``…) ends one piece of text
  and starts another, and no term is read across it;
* HTML character references (``f&#117;ck``, ``&eacute;``) and percent-encoding
  (``f%75ck``, ``%E5%86%B0%E6%AF%92``), decoded;
* a word hyphenated across a line break (``fu-\\nck``, a soft hyphen before the break),
  joined — a line break alone between two Latin letters is a word boundary and stays one;
* a run after a right-to-left override (U+202E, up to U+202C or the line's end) written in
  reverse so that it displays as the term (``\\u202ekcuf``), read in display order; a
  left-to-right override (U+202D) over right-to-left letters likewise;
* markdown emphasis markers inside a word (``f**u**ck``, ``f_u_ck``, ``f~~u~~ck``), and emoji
  (a keycap ``1️⃣`` included) inside a word, removed.

``layout`` returns None for a text that holds none of them — a few ``in`` tests for their
characters, so clean text pays almost nothing; else a ``Layout``: the pieces of the text
(between block-level tags) that hold such a writing, each as the reader sees it, joined by
``SEPARATOR``, and a map from its positions to the original characters. The decoding is one
``re.split`` over the text (``markup_tokens``) and work per piece of markup, never per
character.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

import numpy as np

from interceptor.normalize.markup_tokens import (
    BETWEEN,
    COPY,
    DECODED,
    KEEP,
    PERCENT,
    REVERSED,
    VISIBLE,
    Token,
    in_identifier,
    kinds,
    spaced,
    token,
    token_pattern,
)

SEPARATOR = "\n\U00010000\n"
"""Between two pieces of a layout: a letter (Linear B) no term holds, alone between line
breaks, so that no match of any channel reaches across it."""


class Segment(NamedTuple):
    """A run of the layout's text and the original characters it stands for."""

    at: int  # where it starts in the layout's text
    start: int  # where its original characters start
    length: int  # how many original characters
    size: int  # how many characters of the layout's text
    kind: int  # COPY (one to one), DECODED (each stands for all), PERCENT, REVERSED, BETWEEN


class Layout:
    """The pieces of a text that hold markup or layout, as a reader sees them."""

    __slots__ = ("_at", "_decoded", "_widths", "segments", "seams", "text")

    def __init__(self, text: str, segments: list[Segment], decoded: dict[int, str], seams: set[tuple[int, int]]):
        self.text = text
        self.segments = segments
        self.seams = seams
        """(end, start) of the original characters either side of markup removed inside a
        word of a spaced script: what ends at ``end`` or starts at ``start`` is a fragment."""
        self._at = [s.at for s in segments]
        self._decoded = decoded  # segment index -> the decoded text of a PERCENT segment
        self._widths: dict[int, list[int]] = {}

    def original(self, s: int, e: int) -> tuple[int, int] | None:
        """The original span of ``self.text[s:e]``; None if it reaches into a separator."""
        segs = self.segments
        i = bisect_right(self._at, s) - 1
        lo, hi = -1, -1
        while i < len(segs) and segs[i].at < e:
            seg = segs[i]
            a, b = max(s, seg.at) - seg.at, min(e, seg.at + seg.size) - seg.at
            if seg.kind == COPY:
                o1, o2 = seg.start + a, seg.start + b
            elif seg.kind == DECODED:
                o1, o2 = seg.start, seg.start + seg.length
            elif seg.kind == REVERSED:
                o1, o2 = seg.start + seg.size - b, seg.start + seg.size - a
            elif seg.kind == PERCENT:
                cum = self._byte_offsets(i)
                o1, o2 = seg.start + 3 * cum[a], seg.start + 3 * cum[b]
            else:
                return None
            lo = o1 if lo < 0 else min(lo, o1)
            hi = max(hi, o2)
            i += 1
        return (lo, hi) if lo >= 0 else None

    def _byte_offsets(self, i: int) -> list[int]:
        """UTF-8 bytes before each character of a PERCENT segment (each byte is ``%XX``)."""
        got = self._widths.get(i)
        if got is None:
            cps = np.frombuffer(self._decoded[i].encode("utf-32-le"), dtype=np.uint32)
            widths = 1 + (cps >= 0x80) + (cps >= 0x800) + (cps >= 0x10000)
            got = [0, *np.cumsum(widths).tolist()]
            self._widths[i] = got
        return got


def layout(text: str, symbols: bool = True, letterlike: bool = True) -> Layout | None:
    """The layout view of ``text``, or None when nothing in it reads otherwise than written
    (``symbols``, ``letterlike``: may it hold such symbols, ``markup_tokens.kinds``)."""
    may = kinds(text, symbols, letterlike)
    if not may:
        return None
    parts = token_pattern(may).split(text)
    if len(parts) == 1:
        return None
    return _build(text, parts)


def _build(text: str, parts: list[str]) -> Layout | None:
    """The layout from ``re.split``'s parts: kept text and tokens, alternating."""
    n_tokens = len(parts) // 2
    tokens: list[Token | None] = []
    offsets = [0]  # original start of each part
    for p in parts:
        offsets.append(offsets[-1] + len(p))
    for k in range(n_tokens):
        tok = parts[2 * k + 1]
        if tok[0] == "_" and in_identifier(text, offsets[2 * k + 1], offsets[2 * k + 2]):
            tokens.append(KEEP)  # one link of an identifier's chain (``but_in_fact_it_was``)
            continue
        tokens.append(token(tok, parts[2 * k][-1:], parts[2 * k + 2][:1]))
    # pieces: runs of tokens between cuts; only those holding a relevant token are read
    pieces: list[tuple[int, int]] = []  # (first token, last token + 1) of each piece
    first = 0
    relevant = False
    for k, tk in enumerate(tokens):
        if tk is None:
            if relevant:
                pieces.append((first, k))
            first, relevant = k + 1, False
        elif tk.relevant:
            relevant = True
    if relevant:
        pieces.append((first, n_tokens))
    if not pieces:
        return None
    out: list[str] = []
    segments: list[Segment] = []
    decoded: dict[int, str] = {}
    seams: set[tuple[int, int]] = set()
    at = 0
    for n, (k0, k1) in enumerate(pieces):
        if n:
            segments.append(Segment(at, offsets[2 * k0], 0, len(SEPARATOR), BETWEEN))
            out.append(SEPARATOR)
            at += len(SEPARATOR)
        # the kept text before the piece's first token and after its last belongs to it
        for j in range(2 * k0, 2 * k1 + 1):
            part = parts[j]
            tk = tokens[j // 2] if j % 2 else KEEP
            if tk is KEEP:  # kept text, or a token that reads as written
                if part:
                    segments.append(Segment(at, offsets[j], len(part), len(part), COPY))
                    out.append(part)
                    at += len(part)
                continue
            assert tk is not None  # a piece holds no cut
            if tk.kind == COPY and tk.relevant and tk is not VISIBLE:
                _seams(text, offsets[j], offsets[j + 1], tk, seams)
            rep = tk.replacement
            if not rep:
                continue  # removed
            if tk.kind == PERCENT:
                decoded[len(segments)] = rep
            length = len(part) if tk.kind in (DECODED, PERCENT) else len(rep)
            segments.append(Segment(at, offsets[j] + tk.skip, length, len(rep), tk.kind))
            out.append(rep)
            at += len(rep)
    return Layout("".join(out), segments, decoded, seams)


def _seams(text: str, a: int, b: int, tk: Token, seams: set[tuple[int, int]]) -> None:
    """The seams a token removed from ``text[a:b]`` leaves inside a spaced-script word."""
    inner = (a + tk.skip, a + tk.skip + len(tk.replacement)) if tk.replacement else (b, a)
    for end, start in ((a, inner[0]), (inner[1], b)) if tk.replacement else ((a, b),):
        if end > 0 and start < len(text) and spaced(text[end - 1]) and spaced(text[start]):
            seams.add((end, start))

