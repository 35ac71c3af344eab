"""Pinyin written among Han characters (``微xin``, ``wei信``, ``原地保cun``).

Rather than adding a pattern per term and per character written in Latin letters, the
text is rewritten where it mixes scripts: a run of Latin letters that touches a Han
character in the dense view and spells one to four pinyin syllables is replaced by those
syllables' codes, and only that stretch of the dense view is scanned again. Texts that do
not mix Latin letters into Chinese — nearly all — pay a few array operations.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from interceptor.normalize.tables import PINYIN_RUN, SCRIPT_CODE, Tables

MAX_SYLLABLES = 4
MAX_RUN = PINYIN_RUN  # letters: four long syllables
REACH = 8  # Han characters on either side scanned with the rewritten run


@dataclass(frozen=True, slots=True)
class Rewrite:
    """A stretch of the dense view with its Latin run written as syllable codes."""

    text: str  # the rewritten stretch
    sources: tuple[tuple[int, int], ...]  # dense-view span of each character of ``text``
    pinyin: frozenset[int]  # indices of ``text`` that came from Latin letters


def parse(run: str, syllables: frozenset[str]) -> list[str] | None:
    """Split ``run`` into the fewest pinyin syllables (at most MAX_SYLLABLES), or None."""
    n = len(run)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        if best[i] is None or len(best[i]) >= MAX_SYLLABLES:  # type: ignore[arg-type]
            continue
        for j in range(i + 1, min(n, i + 6) + 1):
            if run[i:j] in syllables:
                cand = [*best[i], run[i:j]]  # type: ignore[misc]
                if best[j] is None or len(cand) < len(best[j]):  # type: ignore[arg-type]
                    best[j] = cand
    return best[n]


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def run_from(s: str, i: int) -> tuple[int, int] | None:
    """The run of Latin letters from ``s[i]`` on, at most ``MAX_RUN + 1`` long (None if
    ``s[i]`` is no letter): one strip of a short slice, not a regex."""
    w = s[i:i + MAX_RUN + 1]
    n = len(w) - len(w.lstrip(_LETTERS))
    return (i, i + n) if n else None


def run_to(s: str, i: int) -> tuple[int, int] | None:
    """The run of Latin letters that ends with ``s[i]``, at most ``MAX_RUN + 1`` long."""
    lo = max(0, i - MAX_RUN)
    w = s[lo:i + 1]
    k = len(w.rstrip(_LETTERS))
    return (lo + k, i + 1) if k < len(w) else None


def rewrites(dense: str, joins: tuple[list[int], list[int]], tables: Tables,
             syllables: frozenset[str]) -> Iterator[Rewrite]:
    """Every Latin run of the dense view that touches Han and spells pinyin, rewritten.

    ``joins`` are the dense-view positions of Latin letters right after and right before a
    Han character (``TextViews.script_joins``)."""
    runs: set[tuple[int, int]] = set()
    for i in joins[0]:  # the run starts here
        if (span := run_from(dense, i)) is not None:
            runs.add(span)
    for i in joins[1]:  # the run ends here
        if (span := run_to(dense, i)) is not None:
            runs.add(span)
    for a, b in sorted(runs):
        if b - a > MAX_RUN:
            continue  # English glued in the dense view, not a few syllables of pinyin
        parts = parse(dense[a:b], syllables)
        if not parts:
            continue
        lo, hi = max(0, a - REACH), min(len(dense), b + REACH)
        chars: list[str] = list(dense[lo:a])
        sources: list[tuple[int, int]] = [(k, k + 1) for k in range(lo, a)]
        pinyin: set[int] = set()
        pos = a
        for syl in parts:
            pinyin.add(len(chars))
            chars.append(tables.syllable_code[syl])
            sources.append((pos, pos + len(syl)))
            pos += len(syl)
        chars.extend(dense[b:hi])
        sources.extend((k, k + 1) for k in range(b, hi))
        yield Rewrite("".join(chars), tuple(sources), frozenset(pinyin))


_DIGIT = re.compile("[1-5](?![0-9])")  # a tone digit when after a letter (tested apart: faster)


def toned_rewrites(dense: str, joins: tuple[list[int], list[int]], tables: Tables,
                   syllables: frozenset[str]) -> Iterator[Rewrite]:
    """The rewrites of the dense view read with its tone digits after pinyin letters taken
    out (``冰du2``, ``bing1毒``, ``摇tou2丸``): the digit parts a syllable from the Han
    character beside it, so the plain rewrite never meets the term. Each pinyin unit's source
    takes in its digit, so that the tone it writes is checked (``syllable_agrees``) and the
    hit covers it. Positions are mapped by bisection over the digits, not per character."""
    cuts = [i for m in _DIGIT.finditer(dense) if (i := m.start()) and "a" <= dense[i - 1] <= "z"]
    if not cuts:
        return
    parts = [dense[:cuts[0]]] + [dense[a + 1:b] for a, b in pairwise(cuts)] + [dense[cuts[-1] + 1:]]
    bare = "".join(parts)
    at = [c - k for k, c in enumerate(cuts)]  # where each digit was, in ``bare``

    def ahead(i: int) -> int:  # a dense position (no digit) in ``bare``
        return i - bisect_left(cuts, i)

    def toned(a: int, b: int) -> bool:  # does the run bare[a:b] hold a digit's place?
        k = bisect_right(at, a)
        return k < len(at) and at[k] <= b

    script = tables.script
    starts = []
    for i in joins[0]:
        k = ahead(i)
        span = run_from(bare, k)
        if span is not None and toned(k, span[1]):
            starts.append(k)
    ends = {k - 1 for k in at if 0 < k < len(bare) and script[ord(bare[k])] == SCRIPT_CODE}
    for i in joins[1]:  # a run that ends at Han and holds a digit (hao3ma吗)
        k = ahead(i)
        span = run_to(bare, k)
        if span is not None and toned(span[0], k):
            ends.add(k)
    if not (starts or ends):
        return
    cut = frozenset(cuts)
    for rw in rewrites(bare, (sorted(starts), sorted(ends)), tables, syllables):
        sources = []
        took = False
        n = bisect_right(at, rw.sources[0][0])  # digits before the position: the shift back
        for k, (a, b) in enumerate(rw.sources):
            while n < len(at) and at[n] <= a:
                n += 1
            lo = a + n
            while n < len(at) and at[n] <= b - 1:
                n += 1
            hi = b + n
            if k in rw.pinyin and hi in cut:
                hi += 1
                took = True
            sources.append((lo, hi))
        if took:  # else the plain rewrite has it
            yield Rewrite(rw.text, tuple(sources), rw.pinyin)
