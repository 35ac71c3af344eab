"""Contextual rules (``rules.toml``): a rule fires when all of its terms or categories occur
within its scope — a window of characters, the message, or the conversation.

Rules are evaluated from the hits the engine already found: a rule's terms are compiled
into the same automatons as the lexicon's (with the same variant detection) as *hidden*
terms that never appear as hits themselves, so there is no second pass over the text. The
earlier messages of a conversation are scanned once per request, and only when a rule
needs them. A rule is looked at only when one of its conditions was hit.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field, replace

from interceptor.lexicon.model import Lexicon, Mention, Rule, Term
from interceptor.mention import Mentions, quotations
from interceptor.types import Hit, Tier

HIDDEN = "\x00rule-term"
"""The category of a term that exists only for rules: found, used, never reported."""


def with_rule_terms(lexicon: Lexicon) -> Lexicon:
    """The lexicon plus a hidden term for every rule (and mention) term it does not list itself."""
    m = lexicon.mention
    if not lexicon.rules and not (m.before or m.after):
        return lexicon
    listed = {t.text for t in lexicon.terms}
    extra: dict[str, Term] = {}
    wanted = [(text, rule.variants, rule.source) for rule in lexicon.rules for text in (*rule.all_terms,
                                                                                        *rule.none_terms)]
    wanted += [(text, m.variants, m.source) for text in (*m.before, *m.after)]
    for text, variants, source in wanted:
        if text not in listed and text not in extra:
            extra[text] = Term(text=text, category=HIDDEN, tier=Tier.MONITOR, variants=variants, lang="",
                               source=source)
    return replace(lexicon, terms=(*lexicon.terms, *extra.values())) if extra else lexicon


@dataclass(frozen=True)
class _Found:
    """What a text holds for the rules: where each term and category hit."""

    terms: dict[str, list[Hit]] = field(default_factory=dict)
    categories: dict[str, list[Hit]] = field(default_factory=dict)

    def merged(self, other: _Found) -> _Found:
        terms: dict[str, list[Hit]] = defaultdict(list, {k: list(v) for k, v in self.terms.items()})
        cats: dict[str, list[Hit]] = defaultdict(list, {k: list(v) for k, v in self.categories.items()})
        for k, v in other.terms.items():
            terms[k].extend(v)
        for k, v in other.categories.items():
            cats[k].extend(v)
        return _Found(terms, cats)


_NOTHING = _Found()

HOLD_WINDOWS = 16
"""A stream holds a window rule's term back while no more than its window of text (as a
``Gauge`` measures it) and this many windows of characters came after it: padding that a
gauge reads as short still ends the hold there; the rule still fires, but on text before
the hold."""

Seen = MutableMapping[str, list[int | str]]
"""What a stream has met of the rules' conditions so far: per key (``t:`` a term, ``c:`` a
category), the earliest settled hit as ``[start, end, term]``. Plain JSON, so that it travels
in a stream's carry."""


@dataclass(frozen=True)
class StreamRules:
    """What the rules say about a stream so far (``RuleSet.stream``)."""

    fired: list[Hit]  # rule hits that stand: no later text can stop them
    hold: int | None  # the earliest position a rule could still use or stop at, if any


def _index(hits: Sequence[Hit], also: Mapping[str, tuple[str, ...]]) -> _Found:
    terms: dict[str, list[Hit]] = defaultdict(list)
    cats: dict[str, list[Hit]] = defaultdict(list)
    for h in hits:
        terms[h.term].append(h)
        if h.category != HIDDEN:
            cats[h.category].append(h)
        for c in also.get(h.term, ()):
            cats[c].append(h)
    return _Found(terms, cats)


class RuleSet:
    """The rules of one lexicon, indexed by the terms and categories that can trigger them.

    ``hidden`` are the lexicon's rule-only categories (``hidden_categories`` in its manifest):
    the words a rule combines with others — "buy", "how to make" — which say nothing alone.
    Their hits meet the rules' ``categories`` conditions like any other and are then dropped,
    as the hidden rule terms are (``visible``).
    """

    def __init__(self, rules: Sequence[Rule], hidden: frozenset[str] = frozenset(),
                 also: Mapping[str, tuple[str, ...]] | None = None, mention: Mention | None = None):
        self.rules = tuple(rules)
        self.hidden = frozenset({HIDDEN, *hidden})
        self.also: Mapping[str, tuple[str, ...]] = also or {}  # term -> rule-only categories it is also in
        self.mentions = Mentions(mention or Mention(), self.also)
        """Lowers the hits of words spoken about, not used (``interceptor.mention``)."""
        self.by_term: dict[str, list[Rule]] = defaultdict(list)
        self.by_category: dict[str, list[Rule]] = defaultdict(list)
        for r in self.rules:
            for t in r.all_terms:
                self.by_term[t].append(r)
            for c in r.categories:
                self.by_category[c].append(r)
        self.needs_conversation = any(r.scope == "conversation" for r in self.rules)
        self.window = max((r.window for r in self.rules if r.scope == "window"), default=0)
        """The widest window of a rule: how far back a stream must look for a rule's terms."""
        self._terms = frozenset(t for r in self.rules for t in (*r.all_terms, *r.none_terms))
        self._categories = frozenset(c for r in self.rules for c in (*r.categories, *r.none_categories))
        self._needs = {r.id: (frozenset(r.all_terms), frozenset(r.categories)) for r in self.rules}
        """Each rule's conditions as sets: a rule of one message one of whose conditions the
        message lacks is passed over with two set comparisons, not evaluated."""

    def __bool__(self) -> bool:
        return bool(self.rules)

    def visible(self, hits: Sequence[Hit]) -> list[Hit]:
        """``hits`` without those of rule-only terms and categories."""
        hidden = self.hidden
        return [h for h in hits if h.category not in hidden]

    def candidates(self, hits: Sequence[Hit]) -> list[Rule]:
        """Rules with at least one condition hit: the only ones worth evaluating."""
        terms = {h.term for h in hits}  # each term and category once, however often it was hit
        categories = {h.category for h in hits}
        for t in terms:
            categories.update(self.also.get(t, ()))
        seen: dict[str, Rule] = {}
        for t in terms:
            for r in self.by_term.get(t, ()):
                seen[r.id] = r
        for c in categories:
            for r in self.by_category.get(c, ()):
                seen[r.id] = r
        return list(seen.values())

    def apply(self, text: str, hits: Sequence[Hit], earlier: Sequence[Sequence[Hit]] = ()) -> list[Hit]:
        """The rules that fire for ``text`` (with ``earlier`` messages' hits for the
        conversation scope), as hits with ``variant="rule"``."""
        rules = self.candidates([*hits, *(h for msg in earlier for h in msg)])
        if not rules:
            return []
        here = _index(hits, self.also)
        before = _index([h for msg in earlier for h in msg], self.also)
        fired: list[Hit] = []
        gauge = Gauge(text)  # one pass over the text for every rule, and only if a span needs it
        parts: list[_Found] | None = None  # ``here`` split by quotation, once for every rule
        needs = self._needs
        for rule in sorted(rules, key=lambda r: r.id):
            if rule.scope != "conversation":
                terms, categories = needs[rule.id]
                if not (terms <= here.terms.keys() and categories <= here.categories.keys()):
                    continue
            hit = self._evaluate(rule, text, here, before, gauge=gauge)
            if not rule.across_quotes and (hit is not None or rule.none_terms or rule.none_categories):
                # A part's hits are some of the message's: a rule without a negation that does
                # not fire on the whole message fires on no part of it, so only a rule that fires
                # (or one a negation in another part could stop) is evaluated part by part.
                parts = _apart(here, quotations(text)) if parts is None else parts
                hit = next((got for part in parts
                            if (got := self._evaluate(rule, text, part, before, gauge=gauge)) is not None), None)
            if hit is not None:
                fired.append(hit)
        return fired

    def remember(self, seen: Seen, hits: Sequence[Hit]) -> None:
        """Add to ``seen`` the earliest hit of each rule condition among ``hits``."""
        for h in hits:
            keys = [f"t:{h.term}"] if h.term in self._terms else []
            keys += [f"c:{c}" for c in (h.category, *self.also.get(h.term, ())) if c in self._categories]
            for k in keys:
                got = seen.get(k)
                if got is None or h.start < int(got[0]):
                    seen[k] = [h.start, h.end, h.term]

    def stream(self, text: str, near: Sequence[Hit], seen: Seen, settled: int, grace: int) -> StreamRules:
        """The rules over a stream's text so far.

        ``near`` are the settled hits of the stream's recent text (none of them can change any
        more; they reach back at least the widest window before ``settled``), ``seen`` the
        earliest hit of each condition in the whole text so far (``remember``), ``settled``
        where the text could still change.

        A rule that fires stands at once, unless it has ``none`` conditions: a negation later
        in the message would stop it, so it stands only once its window (``grace`` for a rule
        without one) has passed beyond its hit without a negation; until then the text from
        the hit's start is held. A window rule one of whose terms was met within its window
        before ``settled`` could still be completed by text to come: the text from that term
        on is held. So a stream holds back at most a window beyond what the terms hold, and
        releases nothing of a rule that a completed text would fire.
        """
        prior = _Found()
        for key, (start, end, term) in seen.items():
            kind, _, name = key.partition(":")
            h = Hit(term=str(term), category=name if kind == "c" else "", tier=Tier.MONITOR, start=int(start),
                    end=int(end), matched="", variant="exact")
            (prior.categories if kind == "c" else prior.terms).setdefault(name, []).append(h)
        nearby = _index(near, self.also)
        here = nearby.merged(prior)
        gauge = Gauge(text, min((h.start for h in near), default=len(text)))
        rules = self.candidates([*near, *(h for hs in prior.terms.values() for h in hs),
                                 *(h for hs in prior.categories.values() for h in hs)])
        fired: list[Hit] = []
        hold: int | None = None
        quotes: list[tuple[int, int]] | None = None
        for rule in sorted(rules, key=lambda r: r.id):
            if _negated(rule, here, _NOTHING):
                continue
            if rule.across_quotes:
                hit = self._evaluate(rule, text, here, _NOTHING, nearby, gauge)
            else:  # the earlier text's hits count as outside any quotation of the recent text
                quotes = quotations(text, gauge.base) if quotes is None else quotes
                hit = next((got for part, near_part in zip(_apart(here, quotes), _apart(nearby, quotes), strict=True)
                            if (got := self._evaluate(rule, text, part, _NOTHING, near_part, gauge)) is not None),
                           None)
            wait = rule.window if rule.scope == "window" else grace
            if hit is not None and (not (rule.none_terms or rule.none_categories) or settled >= hit.end + wait):
                fired.append(hit)
                continue
            if hit is not None:
                starts = [hit.start]
            elif rule.handles and (pending := _handle_pending(rule, text, nearby)):
                # a contact word whose handle is still being written: the window is already met
                starts = pending
            elif rule.scope == "window":
                starts = [h.start for key, table, _ in _conditions(rule, nearby, _NOTHING)
                          for h in table.get(key, ()) if settled - h.start <= HOLD_WINDOWS * rule.window
                          and gauge.length(h.start, settled) < rule.window]
            else:
                continue  # a message's rule may complete at any time: it blocks when it does
            if starts:
                hold = min(starts) if hold is None else min(hold, *starts)
        return StreamRules(fired, hold)

    @staticmethod
    def _evaluate(rule: Rule, text: str, here: _Found, before: _Found, near: _Found | None = None,
                  gauge: Gauge | None = None) -> Hit | None:
        """The rule's hit, if it fires. ``near`` are the hits a window may span (by default
        those of ``here``, the whole message's), ``gauge`` measures a span for the window."""
        groups: list[list[Hit]] = []  # each condition's hits in this text
        elsewhere = False  # a condition met only in an earlier message
        windowed = rule.scope == "window"
        conversation = rule.scope == "conversation"
        scoped = near if windowed and near is not None else here
        for key, table, prior in _conditions(rule, scoped, before):
            got = table.get(key, [])
            if got and key in rule.handles and table is scoped.categories:
                got = [h for h in got if _HANDLE.match(text, h.end)]
            if got:
                groups.append(got)
            elif conversation and prior.get(key):
                elsewhere = True
            else:
                return None
        if _negated(rule, here, before):  # after the conditions: most rules lack one, which is cheaper to see
            return None
        if windowed:
            span = _tightest(groups, rule.window, gauge or Gauge(text))
            if span is None:
                return None
            start, end, used = span
        elif elsewhere and not groups:
            start, end, used = 0, len(text), []
        else:
            used = [min(g, key=lambda h: h.start) for g in groups]
            start, end = min(h.start for h in used), max(h.end for h in used)
            if elsewhere:
                start, end = 0, len(text)
        if end <= start:  # an empty text: nothing to point at
            start, end = 0, len(text)
        names = tuple(dict.fromkeys([*(h.term for h in used), *(t for t in rule.all_terms
                                                                  if t not in {h.term for h in used})]))
        return Hit(term=rule.id, category=rule.category, tier=rule.tier, start=start, end=end,
                   matched=text[start:end], variant="rule", rule_terms=names)


_Table = dict[str, list[Hit]]

# The digits as words in the languages of the bundled lexicon's rules, to read a phone number
# spelled out so that no digit shows (five five five, one two three …; cinco cinco …).
_DIGIT_WORDS = ("zero|oh|one|two|three|four|five|six|seven|eight|nine|cero|uno|dos|tres|cuatro|cinco|seis|siete|"
                "ocho|nueve|null|eins|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zéro|un|deux|trois|quatre|cinq|"
                "sept|huit|neuf|um|dois|três|sete|oito|nove|due|tre|quattro|cinque|sei|sette|otto|ноль|один|два|"
                "три|четыре|пять|шесть|семь|восемь|девять")
_HAN_DIGITS = "零〇一二三四五六七八九幺两"
_HANDLE = re.compile(r"[ \t:：=＝\-(（]{0,3}(?:@[A-Za-z0-9_.]{3,32}|\+?\d[\d \-]{4,18}\d"
                     r"|(?=[A-Za-z0-9_.\-]*\d)[A-Za-z0-9_][A-Za-z0-9_.\-]{3,31}"
                     rf"|[{_HAN_DIGITS}\d][{_HAN_DIGITS}\d \-]{{5,18}}[{_HAN_DIGITS}\d]"
                     rf"|(?i:(?:{_DIGIT_WORDS})(?:[ ,.\-]+(?:{_DIGIT_WORDS})){{5,}}\b))")
"""An account handle right after a contact word: ``@name``, a number (``2837465``, ``+1 555
0199``), the same number in Chinese numerals (``一三八零零一二三四五六``) or in words
(``five five five, one two three, four five six seven``: at least six digit words), or a name
with a digit in it (``lk8866``). A rule's ``handles`` categories count only where one
follows: ``QQ 2837465`` offers a contact, ``微信上看到一篇文章`` names an app."""


_HANDLE_BEGUN = re.compile(r"[ \t:：=＝\-(（]{0,3}(?:[@A-Za-z0-9_.+\- ]*"
                          rf"|[{_HAN_DIGITS}\d \-]*|(?i:(?:(?:{_DIGIT_WORDS})[ ,.\-]+)*[^\W\d_]*))")
"""What may still become a handle: the text after a contact word up to the stream's end."""
_HANDLE_REACH = 120  # characters after a contact word in which a handle may still be written


def _handle_pending(rule: Rule, text: str, found: _Found) -> list[int]:
    """The starts of ``rule``'s hits when its only missing condition is a handle that the text
    so far may still be writing (a stream ends ``telegram five five f``): the stream holds them,
    as a block that is about to complete must not be released."""
    missing = False
    starts: list[int] = []
    for key, table, _ in _conditions(rule, found, _NOTHING):
        got = table.get(key, [])
        if not got:
            return []
        starts += [h.start for h in got]
        if key in rule.handles and table is found.categories and not any(_HANDLE.match(text, h.end) for h in got):
            missing = missing or any(len(text) - h.end <= _HANDLE_REACH and _HANDLE_BEGUN.fullmatch(text, h.end)
                                     for h in got)
            if not missing:
                return []
    return starts if missing else []


def _apart(found: _Found, quotes: Sequence[tuple[int, int]]) -> list[_Found]:
    """``found`` split by quotation: the hits outside every quotation, then those inside
    each one, in order (a hit across a quotation mark counts as outside). A rule that does not reach
    across quotation marks is evaluated on each part alone."""
    if not quotes:
        return [found]
    starts = [q[0] for q in quotes]

    def part(h: Hit) -> int:
        k = bisect_right(starts, h.start) - 1
        return k + 1 if k >= 0 and quotes[k][0] < h.start and h.end < quotes[k][1] else 0

    parts = [_Found(defaultdict(list), defaultdict(list)) for _ in range(len(quotes) + 1)]
    for table, name in ((found.terms, "terms"), (found.categories, "categories")):
        for key, hits in table.items():
            for h in hits:
                getattr(parts[part(h)], name)[key].append(h)
    return parts


def _conditions(rule: Rule, here: _Found, before: _Found) -> list[tuple[str, _Table, _Table]]:
    """Each condition of ``rule``: its key, where it is looked up here and before."""
    return [*((t, here.terms, before.terms) for t in rule.all_terms),
            *((c, here.categories, before.categories) for c in rule.categories)]


def _negated(rule: Rule, here: _Found, before: _Found) -> bool:
    """Whether a ``none`` condition occurs in the rule's scope: the rule cannot fire."""
    conversation = rule.scope == "conversation"
    return any(here.terms.get(t) or (conversation and before.terms.get(t)) for t in rule.none_terms) or \
        any(here.categories.get(c) or (conversation and before.categories.get(c)) for c in rule.none_categories)


def _tightest(groups: list[list[Hit]], window: int, gauge: Gauge) -> tuple[int, int, list[Hit]] | None:
    """The narrowest span holding one hit of every group, if it fits in ``window`` characters
    as ``gauge`` measures them."""
    events = sorted(((h.start, h.end, i, h) for i, g in enumerate(groups) for h in g), key=lambda e: e[:3])
    need = len(groups)
    best: tuple[int, int, list[Hit]] | None = None
    best_size = 0
    # sliding window over hits sorted by start: the last hit of each group seen so far
    latest: dict[int, Hit] = {}
    for _start, _end, i, h in events:
        latest[i] = h
        if len(latest) == need:
            chosen = list(latest.values())
            lo, hi = min(x.start for x in chosen), max(x.end for x in chosen)
            size = hi - lo if hi - lo <= window else gauge.length(lo, hi)
            if size <= window and (best is None or size < best_size):
                best, best_size = (lo, hi, chosen), size
    return best


_RUN = re.compile(r"\W{2,}")
"""Two or more characters in a row that are neither letters, digits nor Han: spaces,
punctuation, symbols, invisible and format characters, combining marks."""


class Gauge:
    """How long a span of ``text`` is for a rule's window: a run of characters that are not
    letters, digits or Han counts as one.

    Matching already reads through any number of invisible characters and a run of one noise
    character (``冰`` + 200 zero-width spaces + ``毒`` is 冰毒); a window that counted them
    would let the same padding, inside a term or between two, walk around every rule. A run
    of separators counts as one, so ordinary text (one space or one punctuation mark between
    words) measures as it is written. The runs are found once, on the first span longer than
    a window, over ``text[base:]`` (a stream's recent text), with one regular-expression
    pass; each span is then two binary searches.
    """

    def __init__(self, text: str, base: int = 0):
        self.text, self.base = text, base
        self._starts: list[int] | None = None
        self._ends: list[int] = []
        self._excess: list[int] = [0]  # runs' characters beyond the first, summed over the runs before

    def length(self, lo: int, hi: int) -> int:
        if self._starts is None:
            self._starts = []
            for m in _RUN.finditer(self.text, self.base):
                self._starts.append(m.start())
                self._ends.append(m.end())
                self._excess.append(self._excess[-1] + m.end() - m.start() - 1)
        starts, ends = self._starts, self._ends
        first, last = bisect_right(ends, lo), bisect_left(starts, hi)  # the runs that overlap [lo, hi)
        if first >= last:
            return hi - lo
        excess = self._excess[last] - self._excess[first]
        for k in {first, last - 1}:  # a run the span cuts counts only its part inside
            a, b = starts[k], ends[k]
            if a < lo or b > hi:
                excess += max(0, min(b, hi) - max(a, lo) - 1) - (b - a - 1)
        return hi - lo - excess
