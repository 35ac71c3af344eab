"""Contextual rules (``rules.toml``): a rule fires when all of its terms or categories occur
within its scope — a window of characters, the message, or the conversation.

Rules are evaluated from the hits the engine already found: a rule's terms are compiled
into the same automatons as the lexicon's (with the same variant detection) as *hidden*
terms that never appear as hits themselves, so there is no second pass over the text. The
earlier messages of a conversation are scanned once per request, and only when a rule
needs them. A rule is looked at only when one of its conditions was hit.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from interceptor.lexicon.model import Lexicon, Rule, Term
from interceptor.types import Hit, Tier

HIDDEN = "\x00rule-term"
"""The category of a term that exists only for rules: found, used, never reported."""


def with_rule_terms(lexicon: Lexicon) -> Lexicon:
    """The lexicon plus a hidden term for every rule term it does not list itself."""
    if not lexicon.rules:
        return lexicon
    listed = {t.text for t in lexicon.terms}
    extra: dict[str, Term] = {}
    for rule in lexicon.rules:
        for text in (*rule.all_terms, *rule.none_terms):
            if text not in listed and text not in extra:
                extra[text] = Term(text=text, category=HIDDEN, tier=Tier.MONITOR, variants=rule.variants,
                                   lang="", source=rule.source)
    return replace(lexicon, terms=(*lexicon.terms, *extra.values())) if extra else lexicon


@dataclass(frozen=True)
class _Found:
    """What a text holds for the rules: where each term and category hit."""

    terms: dict[str, list[Hit]]
    categories: dict[str, list[Hit]]


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
                 also: Mapping[str, tuple[str, ...]] | None = None):
        self.rules = tuple(rules)
        self.hidden = frozenset({HIDDEN, *hidden})
        self.also: Mapping[str, tuple[str, ...]] = also or {}  # term -> rule-only categories it is also in
        self.by_term: dict[str, list[Rule]] = defaultdict(list)
        self.by_category: dict[str, list[Rule]] = defaultdict(list)
        for r in self.rules:
            for t in r.all_terms:
                self.by_term[t].append(r)
            for c in r.categories:
                self.by_category[c].append(r)
        self.needs_conversation = any(r.scope == "conversation" for r in self.rules)

    def __bool__(self) -> bool:
        return bool(self.rules)

    def visible(self, hits: Sequence[Hit]) -> list[Hit]:
        """``hits`` without those of rule-only terms and categories."""
        hidden = self.hidden
        return [h for h in hits if h.category not in hidden]

    def candidates(self, hits: Sequence[Hit]) -> list[Rule]:
        """Rules with at least one condition hit: the only ones worth evaluating."""
        seen: dict[str, Rule] = {}
        for h in hits:
            for r in self.by_term.get(h.term, ()):
                seen[r.id] = r
            for c in (h.category, *self.also.get(h.term, ())):
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
        for rule in sorted(rules, key=lambda r: r.id):
            hit = self._evaluate(rule, text, here, before)
            if hit is not None:
                fired.append(hit)
        return fired

    @staticmethod
    def _evaluate(rule: Rule, text: str, here: _Found, before: _Found) -> Hit | None:
        conversation = rule.scope == "conversation"
        # negations: any occurrence in scope stops the rule
        for t in rule.none_terms:
            if here.terms.get(t) or (conversation and before.terms.get(t)):
                return None
        for c in rule.none_categories:
            if here.categories.get(c) or (conversation and before.categories.get(c)):
                return None
        groups: list[list[Hit]] = []  # each condition's hits in this text
        elsewhere = False  # a condition met only in an earlier message
        for key, table, prior in [*((t, here.terms, before.terms) for t in rule.all_terms),
                                  *((c, here.categories, before.categories) for c in rule.categories)]:
            got = table.get(key, [])
            if got:
                groups.append(got)
            elif conversation and prior.get(key):
                elsewhere = True
            else:
                return None
        if rule.scope == "window":
            span = _tightest(groups, rule.window)
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


def _tightest(groups: list[list[Hit]], window: int) -> tuple[int, int, list[Hit]] | None:
    """The narrowest span holding one hit of every group, if it fits in ``window`` characters."""
    events = sorted(((h.start, h.end, i, h) for i, g in enumerate(groups) for h in g), key=lambda e: e[:3])
    need = len(groups)
    best: tuple[int, int, list[Hit]] | None = None
    # sliding window over hits sorted by start: the last hit of each group seen so far
    latest: dict[int, Hit] = {}
    for _start, _end, i, h in events:
        latest[i] = h
        if len(latest) == need:
            chosen = list(latest.values())
            lo, hi = min(x.start for x in chosen), max(x.end for x in chosen)
            if hi - lo <= window and (best is None or hi - lo < best[1] - best[0]):
                best = (lo, hi, chosen)
    return best
