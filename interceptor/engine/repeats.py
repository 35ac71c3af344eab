"""Repeated stretches: a text that repeats one short unit is checked as a few periods.

A flood of one unit — ``冰毒冰毒冰毒…``, ``aaaa…``, a zero-width character 100,000 times,
``f.u.c.k.f.u.c.k.…`` — makes the same candidates at every period; checking each one costs
time in proportion to the text and yields as many hits. Here the middle of every stretch
that repeats a unit of at most ``MAX_PERIOD`` characters for at least ``MIN_LENGTH``
characters is cut out, leaving ``KEEP`` characters (whole periods) on either side of the
cut, which is more than any check looks at around a match. The engine scans that shorter
text; ``Cuts.hit`` maps its hits back:

* a hit before or after a cut keeps its place (shifted by what was cut before it);
* a hit that starts in the period just before a cut, or reaches across it, stands for
  every copy of itself in the part cut out, and covers them all: from its start to its
  last copy's end — a match around a long run (``冰`` + 100,000 spaces + ``毒``) keeps its
  true span the same way;
* inside a stretch, the copies of one term's hit that follow each other (less than a
  period apart) are one hit over them all (``merge``).

So masking covers every character it would cover if each copy were checked, the action is
the same, and the work is bounded by the lexicon, not by the length of the flood.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import NamedTuple

from interceptor.engine.screens import moved
from interceptor.types import Hit

try:
    from interceptor.normalize._views import stretches as _c_stretches
except ImportError:  # no compiler where it was installed
    _c_stretches = None

MAX_PERIOD = 64
"""Longest unit whose repetition is cut (``kill yourself `` has 14 characters)."""
WINDOW = 2 * MAX_PERIOD
"""Characters that must repeat at a sample point before a stretch is grown from it."""
STEP = 128
"""Distance between sample points: a stretch of MIN_LENGTH holds at least three."""
MIN_LENGTH = 512
"""Shortest stretch that is cut: shorter repetition costs little and is checked as it is."""
KEEP = 128
"""Characters kept on either side of a cut, rounded up to whole periods: more than any
check looks at around a match (a match's edges, its English context, a Latin word's
neighbours)."""


class Stretch(NamedTuple):
    """``text[start:end]`` repeats with ``period``: text[i] == text[i + period]."""

    start: int
    end: int
    period: int


class Cut(NamedTuple):
    """``removed`` characters cut out of a stretch, at ``at`` in the shorter text."""

    at: int  # position of the cut in the shorter text
    removed: int  # characters cut out (a whole number of periods)
    period: int
    shift: int  # characters cut out before this cut
    stretch: Stretch  # in the original text


def find_stretches(text: str, fast: bool = True) -> list[Stretch]:
    """The stretches of ``text`` that repeat a unit of at most MAX_PERIOD characters for at
    least MIN_LENGTH, in order and disjoint: in C (``_views.stretches``) or in Python."""
    if len(text) < MIN_LENGTH:
        return []
    if fast and _c_stretches is not None:
        flat = _c_stretches(text, MAX_PERIOD, WINDOW, STEP, MIN_LENGTH)
        return [Stretch(flat[i], flat[i + 1], flat[i + 2]) for i in range(0, len(flat), 3)]
    return _stretches_py(text)


_CHUNK = 256


def _stretches_py(text: str) -> list[Stretch]:
    """The definition of ``find_stretches``, with slices compared where the C loop compares
    characters (so that it stays linear in Python)."""
    n = len(text)
    out: list[Stretch] = []
    lo = x = 0
    while x + WINDOW < n:
        probe = text[x:x + WINDOW]
        p = next((q for q in range(1, MAX_PERIOD + 1)
                  if x + WINDOW + q <= n and text[x + q] == text[x] and text[x + q:x + q + WINDOW] == probe), 0)
        if not p:
            x += STEP
            continue
        a, b = x, x + WINDOW + p
        while a - _CHUNK >= lo and text[a - _CHUNK:a] == text[a - _CHUNK + p:a + p]:
            a -= _CHUNK
        while a > lo and text[a - 1] == text[a - 1 + p]:
            a -= 1
        while b + _CHUNK <= n and text[b:b + _CHUNK] == text[b - p:b - p + _CHUNK]:
            b += _CHUNK
        while b < n and text[b] == text[b - p]:
            b += 1
        if b - a >= MIN_LENGTH:
            out.append(Stretch(a, b, p))
            lo = b
            x = -(-b // STEP) * STEP
        else:
            x += STEP
    return out


class Cuts:
    """A text with the middles of its repeated stretches cut out, and the way back."""

    __slots__ = ("_ats", "cuts", "text")

    def __init__(self, text: str, stretches: Sequence[Stretch]):
        pieces: list[str] = []
        cuts: list[Cut] = []
        pos = shift = 0
        for st in stretches:
            keep = -(-KEEP // st.period) * st.period
            removed = (st.end - st.start - 2 * keep) // st.period * st.period
            if removed <= 0:
                continue
            cut_at = st.start + keep  # original position of the cut
            pieces.append(text[pos:cut_at])
            cuts.append(Cut(cut_at - shift, removed, st.period, shift, st))
            pos = cut_at + removed
            shift += removed
        pieces.append(text[pos:])
        self.text = "".join(pieces)
        self.cuts = tuple(cuts)
        self._ats = [c.at for c in cuts]

    def start(self, c: int) -> int:
        """Original position of the first character a hit starting at ``c`` covers."""
        i = bisect_left(self._ats, c + 1)  # cuts at or before c
        if i == 0:
            return c
        cut = self.cuts[i - 1]
        return c + cut.shift + cut.removed

    def end(self, c: int) -> int:
        """Original end of a hit ending at ``c`` (exclusive) in the shorter text: a hit whose
        last character lies in the period before a cut reaches over the part cut out."""
        last = c - 1
        i = bisect_left(self._ats, last + 1)
        if i < len(self.cuts) and last >= self.cuts[i].at - self.cuts[i].period:
            cut = self.cuts[i]  # in the period just before the cut: every copy cut out
            return c + cut.shift + cut.removed
        if i == 0:
            return c
        cut = self.cuts[i - 1]
        return c + cut.shift + cut.removed

    def hit(self, h: Hit, text: str) -> Hit:
        """``h`` (found in the shorter text) in the original ``text``."""
        return self.hits([h], text)[0]

    def hits(self, hits: list[Hit], text: str) -> list[Hit]:
        """``hits`` (found in the shorter text) in the original ``text``, in their order."""
        out = list(hits)
        spans = [(i, self.start(h.start), self.end(h.end)) for i, h in enumerate(hits)]
        todo = [(i, a, b) for i, a, b in spans if a != hits[i].start or b != hits[i].end]
        for (i, _, _), h in zip(todo, moved([(hits[i], a, b) for i, a, b in todo], text), strict=True):
            out[i] = h
        return out

    def merge(self, hits: list[Hit], text: str) -> list[Hit]:
        """Hits in original coordinates, with the copies of one hit inside a stretch that
        follow each other (less than a period apart) made one hit over them all."""
        if not self.cuts:
            return hits
        out: list[Hit] = []
        ends: list[int] = []  # the end of each hit of out with the copies merged into it so far
        open_: dict[tuple[object, ...], int] = {}  # hit's key -> index in out of its last merged copy
        stretches = [c.stretch for c in self.cuts]
        starts = [st.start for st in stretches]
        for h in sorted(hits, key=lambda h: (h.start, h.end, h.term)):
            i = bisect_left(starts, h.end) - 1  # the last stretch starting before the hit ends
            st = stretches[i] if i >= 0 and h.start < stretches[i].end else None
            if st is None:
                out.append(h)
                ends.append(h.end)
                continue
            key = (st.start, h.term, h.category, h.tier, h.variant, h.lang, h.rule_terms)
            j = open_.get(key)
            if j is not None and h.start - ends[j] < st.period:
                ends[j] = max(ends[j], h.end)
                continue
            open_[key] = len(out)
            out.append(h)
            ends.append(h.end)
        # each merged hit made once, over all its copies (not once per copy)
        grown = [j for j, h in enumerate(out) if ends[j] != h.end]
        for j, h in zip(grown, moved([(out[j], out[j].start, ends[j]) for j in grown], text), strict=True):
            out[j] = h
        return sorted(out, key=lambda h: (h.start, h.end, h.term))
