"""Words spoken about, not used: ``what does nmsl mean``, ``“白粉”这个词``, ``the word "X"``.

A text that asks what a word means, or names it as a word, mentions the word: it does not
insult anyone, sell anything or ask for it. ``rules.toml``'s ``[mention]`` names the cue
words — ``before`` the word spoken about (*the word*, *meaning of*, 什么叫) and ``after`` it
(*mean*, *stands for*, 是什么意思, 这个词) — as terms or rule-only categories, found by the
same automatons as every term. The choices, each made here:

* **Framed: monitor.** A hit with a cue right beside it — nothing but spaces and
  punctuation (quotation marks included) between them, at most ``GAP`` characters — or
  lying in a short quotation (``SHORT``) that has a cue right beside it, is logged only
  (``monitor``).
* **Quoted alone: at most warn** (with ``quotes = true``). A word or short phrase alone in
  quotation marks (up to ``SHORT`` characters) may be a mention or scare quotes (``you are a
  "genius"``): it passes, with the warning, instead of being starred or refused.
* **Rules are requests.** A contextual rule's hit is lowered only when its whole span lies in
  a framed quotation (``what does "buy ice" mean``). A request word outside the quotation
  and an object word inside it (``where can I buy "ice"``) is a request: its span crosses the
  quotation, and it keeps its tier. So does a whole request in quotation marks, framed by no
  cue: quoting a request does not walk around it.
* A rule with ``across_quotes = false`` (the contempt rules) does not combine a word inside a
  quotation with one outside it (``RuleSet``): ``people who call them "vermin"`` quotes the
  contempt word it speaks against.

Quotation marks are paired by kind (“” ‘’ «» ‹› 「」 『』 《》 〈〉 „“ 〝〞, and ``"`` or
``'`` where one opens a word — not after a Latin letter or digit, so ``don't`` opens
nothing — and one closes it); a quotation holds no line break and at most ``LONGEST``
characters. Everything is read from the hits and one regular-expression pass over the
text, only when a severe hit is there to lower.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import replace

from interceptor.lexicon.model import Mention
from interceptor.types import Hit, Tier

GAP = 4
"""Characters (spaces and punctuation only) a cue may stand from the word it frames."""
SHORT = 32
"""The longest quotation read as a quoted word or phrase (longer is quoted speech)."""
LONGEST = 200
"""The longest quotation looked for at all (for ``across_quotes``)."""

_PAIRS = (("“", "”"), ("‘", "’"), ("«", "»"), ("‹", "›"), ("「", "」"), ("『", "』"), ("《", "》"), ("〈", "〉"),
          ("〝", "〞"), ("＂", "＂"))
_OPEN_CLOSE = "|".join(
    f"{re.escape(a)}(?P<q{i}>[^{re.escape(a + b)}\n]{{1,{LONGEST}}}){re.escape(b)}" for i, (a, b) in enumerate(_PAIRS))
_QUOTED = re.compile(
    _OPEN_CLOSE
    + f"|„(?P<low>[^„“”\n]{{1,{LONGEST}}})[“”]"
    # straight quotes: the opening one not after a Latin letter or digit and before a
    # non-space, the closing one after a non-space and not before a Latin letter or digit
    + f'|(?<![A-Za-z0-9])"(?P<dq>[^"\\s][^"\n]{{0,{LONGEST - 1}}}(?<=\\S))"(?![A-Za-z0-9])'
    + f"|(?<![A-Za-z0-9])'(?P<sq>[^'\\s][^'\n]{{0,{LONGEST - 1}}}(?<=\\S))'(?![A-Za-z0-9])")
_MARKS = re.compile("[" + re.escape("".join(a + b for a, b in _PAIRS) + "„\"'") + "]")
_GAP = re.compile(rf"[\W_]{{0,{GAP}}}")


def quotations(text: str, base: int = 0) -> list[tuple[int, int]]:
    """The quotations of ``text[base:]``: ``(start, end)`` of each, its marks included,
    left to right and never overlapping."""
    if not _MARKS.search(text, base):
        return []
    return [m.span() for m in _QUOTED.finditer(text, base)]


def _inside(quotes: Sequence[tuple[int, int]], starts: Sequence[int], a: int, b: int) -> tuple[int, int] | None:
    """The quotation whose inside holds ``[a, b)``, if any."""
    k = bisect_right(starts, a) - 1
    if k >= 0 and quotes[k][0] < a and b < quotes[k][1]:
        return quotes[k]
    return None


class Mentions:
    """The ``[mention]`` of one lexicon, ready to lower the hits of words spoken about."""

    def __init__(self, mention: Mention, also: Mapping[str, tuple[str, ...]]):
        self.quotes = mention.quotes
        self._before, self._after = frozenset(mention.before), frozenset(mention.after)
        self._before_cats, self._after_cats = frozenset(mention.before_categories), frozenset(mention.after_categories)
        self._also = also
        self._on = bool(mention)
        longest = max((len(t) for t in (*mention.before, *mention.after)), default=0)
        self.reach = GAP + max(longest, 12) * 2
        """How far from a hit a cue or a quotation's closing mark may still change it."""
        self.lookback = self.reach + SHORT + 2 if self._on else 0
        """How far before a hit its cue or its quotation's opening mark may stand."""

    def __bool__(self) -> bool:
        return self._on

    def _kind(self, h: Hit) -> tuple[bool, bool]:
        cats = (h.category, *self._also.get(h.term, ()))
        return (h.term in self._before or any(c in self._before_cats for c in cats),
                h.term in self._after or any(c in self._after_cats for c in cats))

    def lower(self, text: str, found: Sequence[Hit], hits: Sequence[Hit], base: int = 0) -> list[Hit]:
        """``hits`` with the hits of words spoken about lowered; ``found`` are every hit of
        the text (rule-only ones included: the cues), ``base`` where quotations are looked for
        from (a stream's recent text)."""
        if not self._on or all(h.tier is Tier.MONITOR for h in hits):
            return list(hits)
        ends: list[int] = []  # where a cue before a word ends
        starts: list[int] = []  # where a cue after a word starts
        for h in found:
            before, after = self._kind(h)
            if before:
                ends.append(h.end)
            if after:
                starts.append(h.start)
        quotes = quotations(text, base) if self.quotes or ends or starts else []
        if not (ends or starts or quotes):
            return list(hits)
        q_starts = [q[0] for q in quotes]

        def framed(a: int, b: int) -> bool:
            return any(e <= a and _GAP.fullmatch(text, e, a) for e in ends) or \
                any(s >= b and _GAP.fullmatch(text, b, s) for s in starts)

        out = []
        for h in hits:
            q = _inside(quotes, q_starts, h.start, h.end)
            short = q is not None and q[1] - q[0] - 2 <= SHORT  # a word or phrase, not quoted speech
            spoken_of = q is not None and short and framed(q[0], q[1])
            tier = h.tier
            if spoken_of or (h.variant != "rule" and framed(h.start, h.end)):
                tier = Tier.MONITOR
            elif short and self.quotes and h.variant != "rule" and tier in (Tier.MASK, Tier.BLOCK):
                tier = Tier.WARN  # shown with a warning: neither starred nor refused
            out.append(h if tier is h.tier else replace(h, tier=tier))
        return out

    def pending(self, text: str, hit: Hit, settled: int) -> bool:
        """Whether text after ``settled`` could still lower ``hit``: a cue or the closing mark
        of a quotation it lies in may yet come (a stream holds such a hit back)."""
        if not self._on or hit.tier is Tier.MONITOR:
            return False
        if settled < hit.end + self.reach:
            return True
        return bool(_MARKS.search(text, max(0, hit.start - SHORT - 1), hit.start)) and \
            settled < hit.start + SHORT + 2 + self.reach
