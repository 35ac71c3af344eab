"""Checking model output as it streams: release what is safe, hold back only what could still
become part of a hit.

Each chunk is appended to the text so far and the end of it is checked. Text is released up
to the *hold point*: the earliest position from which the text could still grow into a hit
or change one already found —

* the longest tail of the dense view that begins some pattern (a term by sound, by shape,
  an allowed phrase: ``微`` may become ``微信``, ``白粉`` may become ``白粉蝶``);
* the last word, while the text ends inside a word (``ass`` may become ``assassin``) or
  inside a run of separated letters (``f.u.c``);
* the last words, as many as a multi-word term has, when one of them is written with leet
  or repeated letters (``ch1ld`` may become ``ch1ld porn``): such a writing is no prefix of
  any pattern, so the dense view's prefixes cannot tell;
* Latin letters right after Han characters, with the characters before them (``微xi``);
* any hit that reaches into that tail, from its start;
* and the last character, whose right neighbour decides word boundaries.

The held tail is never longer than ``Prefixes.max_hold`` characters (a few times the longest
pattern): a writing longer than that — a letter repeated hundreds of times — is still found,
and still blocks the stream, but what lay before the tail was released. So each chunk costs
time in proportion to the chunk and that bound, never to the text received so far.

Contextual rules are evaluated on every chunk too, over the settled hits of the text so far
(``RuleSet.stream``): a window rule one of whose terms was met within its window is held
from that term on, since text to come could complete it; a rule that fires with nothing left
that could stop it ends the stream like a ``block`` term, before any of its span is
released. A rule with ``none`` conditions waits its window past its hit for a negation
(``这是关于……的新闻``), the text from its start held, then stands. So a stream holds back at
most the widest rule window more than its terms need. A rule whose scope is the message has
no window to hold: it blocks the stream when it completes, and what came before the hold-back
was already released. Each chunk reads back a bounded tail (``Prefixes.reach`` and the widest
window), and the rules' conditions met earlier travel in the state (``seen``), so each chunk
still costs time bound by the chunk and the lexicon, never by the text so far.

Released characters of ``mask`` hits come out as ``*``; a ``block`` hit ends the stream
before any of it is released. The final call checks the whole text at once, so the final
verdict is exactly the verdict of the whole text.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from interceptor.engine import Engine, Interceptor
from interceptor.engine.prefixes import Prefixes
from interceptor.normalize.tables import SYLLABLE_BASE
from interceptor.policy import mask
from interceptor.rules import Seen
from interceptor.types import SEVERITY, Action, Hit, Tier, Verdict, action_of

_CODES = f"{chr(SYLLABLE_BASE)}-{chr(SYLLABLE_BASE + 0x7FF)}"
# Latin letters among Han codes at the end of the dense view: pinyin written into Chinese
_MIXED_END = re.compile(f"[{_CODES}]*[a-z]{{1,24}}[{_CODES}]*$")
_TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789@$!|"
_WORD = re.compile(r"[a-z0-9@$!|]+")
_WRITTEN_AROUND = re.compile(r"[a-z][0-9@$!|]|[0-9@$!|][a-z]|([a-z])\1\1")
# Single letters split by gaps at the end of the view (``f u c``), read backwards from the
# end so that the match is anchored and linear: gaps, an optional letter, then gap-letter
# pairs whose letter stands alone.
# a word that a line break alone ends the window with: the next chunk may go on with it
# (``fu⏎`` + ``ck``: ``normalize.breaks`` reads them joined)
# (letters of spaced scripts: a line break between Han characters is noise the views read through)
_BROKEN_END = re.compile(r"[^\W_\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]{1,32}"
                         r"(?:\r\n|[\n\r\u2028\u2029]|<[Bb][Rr]\s*/?>)\Z")
_SEPARATED_TAIL = re.compile(r"[ \uf8ff]*[a-z0-9@$!|]?(?:[ \uf8ff]+[a-z0-9@$!|](?![a-z0-9@$!|]))+")


@dataclass
class StreamState:
    """What a stream carries from one chunk to the next (``carry`` in the HTTP API)."""

    text: str = ""  # everything received so far
    released: int = 0  # characters of ``text`` already released
    blocked: bool = False
    hits: list[dict[str, Any]] = field(default_factory=list)  # confirmed hits, as dicts
    seen: Seen = field(default_factory=dict)  # the rules' conditions met so far (``RuleSet.remember``)
    worst: Tier = field(default=Tier.MONITOR, compare=False)  # the worst tier of ``hits``, kept as they come

    def __post_init__(self) -> None:
        self.worst = max((Tier(d["tier"]) for d in self.hits), key=SEVERITY.__getitem__, default=self.worst)

    def confirm(self, hits: Sequence[Hit]) -> None:
        """Record hits no later text can change; the action follows them without rereading
        every hit of the stream on each chunk."""
        for h in hits:
            self.hits.append(h.to_dict())
            if SEVERITY[h.tier] > SEVERITY[self.worst]:
                self.worst = h.tier

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "released": self.released, "blocked": self.blocked, "hits": self.hits,
                "seen": dict(self.seen)}

    def action(self) -> Action:
        """The worst tier of the hits confirmed so far, as an action (``types.action_of``)."""
        return action_of((self.worst,))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> StreamState:
        seen: Seen = {str(k): [int(v[0]), int(v[1]), str(v[2])] for k, v in dict(d.get("seen") or {}).items()}
        return cls(str(d["text"]), int(d["released"]), bool(d["blocked"]), list(d.get("hits", [])), seen)


@dataclass(frozen=True)
class Step:
    """The outcome of one chunk."""

    release: str  # text safe to show now (masked characters as *)
    action: Action  # block once a block hit is confirmed, else the worst tier so far
    hits: tuple[Hit, ...]  # hits confirmed by this chunk
    verdict: Verdict | None = None  # the whole text's verdict, on the final chunk


class StreamChecker:
    """Incremental checking of one stream with one ``Interceptor``."""

    def __init__(self, guard: Interceptor, state: StreamState | None = None):
        self.guard = guard
        self.state = state or StreamState()

    @property
    def held(self) -> int:
        """Characters received but not yet released."""
        return len(self.state.text) - self.state.released

    def feed(self, chunk: str, final: bool = False) -> Step:
        st = self.state
        if st.blocked:
            return Step("", Action.BLOCK, ())
        # appended in place: with the state's own reference dropped first, the string has
        # one reference and CPython grows it where it lies instead of copying the text so far
        # for every chunk (which made a long stream quadratic)
        text, st.text = st.text, ""
        text += chunk
        st.text = text
        del text
        if final:
            v = self.guard.check(st.text, direction="output")
            if v.action is Action.BLOCK:
                st.blocked = True
                return Step("", Action.BLOCK, v.hits, v)
            assert v.text is not None
            release = v.text[st.released:]
            st.released = len(st.text)
            return Step(release, v.action, v.hits, v)
        engine = self.guard.engine
        pre, rules = engine.prefixes, engine.rules
        # hits ending after what was released are read in full context; a rule needs its
        # window before that too
        mentions = rules.mentions
        start = max(0, st.released - pre.reach - max(rules.window, mentions.lookback))
        window = st.text[start:]
        found = [_shift(h, start) for h in engine.scan(window)]
        hold = start + self._hold_start(window, engine, pre)
        hold = _before_crossing(found, hold)  # a hit reaching into the held tail may still change
        # no tail is held longer than the bound, so no chunk rescans more than it
        settled = hold = max(hold, st.released, len(st.text) - pre.max_hold)
        hits = rules.visible(found)
        standing: list[Hit] = []
        if rules:
            trusted = start + pre.reach if start else 0  # hits before this may be cut by the window's start
            near = [h for h in found if trusted <= h.end <= settled]
            rules.remember(st.seen, near)
            said = rules.stream(st.text, near, st.seen, settled, pre.max_hold)
            standing = said.fired
            if said.hold is not None and said.hold < hold:
                hold = _before_crossing(hits, max(said.hold, st.released))
                hold = max(hold, st.released)
            hits += standing
        if mentions:
            # a word spoken about is lowered as the whole text's verdict lowers it; a hit that
            # a cue or a quotation's closing mark still to come could lower is held back
            hits = mentions.lower(st.text, found, hits, base=start)
            standing = mentions.lower(st.text, found, standing, base=start)
            waiting = [h for h in hits if mentions.pending(st.text, h, settled)]
            if waiting:
                hold = max(st.released, _before_crossing(hits, min(hold, *(h.start for h in waiting))))
                standing = [h for h in standing if not mentions.pending(st.text, h, settled)]
        confirmed = [h for h in hits if hold >= h.end > st.released]
        blocking = [h for h in (*confirmed, *standing) if h.tier is Tier.BLOCK]
        if blocking:
            st.blocked = True
            ended = tuple(dict.fromkeys((*blocking, *confirmed)))
            st.confirm(ended)  # the hits that ended the stream are its answer's hits, and the carry's
            return Step("", Action.BLOCK, ended)
        segment = st.text[start:hold]
        release = mask(segment, [_shift(h, -start) for h in hits if h.end <= hold])[st.released - start:]
        st.released = hold
        st.confirm(confirmed)
        return Step(release, st.action(), tuple(confirmed))

    @staticmethod
    def _hold_start(window: str, engine: Engine, pre: Prefixes) -> int:
        """Earliest position of ``window`` that must be held back."""
        n = len(window)
        if n == 0:
            return 0
        hold = n - 1  # the last character: its right neighbour decides boundaries
        broken = _BROKEN_END.search(window, max(0, n - 40))
        if broken is not None and broken.group()[0].isalpha():
            hold = broken.start()
        views = engine.views(window)
        dense, view = views.dense, views.view
        if dense:
            dmap = views.dense_map()
            shape = views.dense_shape()
            for k in range(min(pre.longest, len(dense)), 0, -1):
                if dense[-k:] in pre.dense or shape[-k:] in pre.shape:
                    hold = min(hold, dmap[len(dense) - k])
                    break
            m = _MIXED_END.search(dense, max(0, len(dense) - 4 * pre.longest))
            if m and any("a" <= c <= "z" for c in m.group()) and \
                    any(SYLLABLE_BASE <= ord(c) < SYLLABLE_BASE + 0x800 for c in m.group()):
                hold = min(hold, dmap[max(m.start(), len(dense) - 4 * pre.longest)])  # 雷de…: pinyin inside Chinese
            if views.has_symbols():  # a symbol read as a syllable may begin a term: 薇❤, ❤白…
                for k in range(len(engine.tables.symbol_codes)):
                    sym, smap, _ = views.symbol_dense(k)
                    for j in range(min(pre.longest, len(sym)), 0, -1):
                        if sym[-j:] in pre.dense:
                            hold = min(hold, smap[len(sym) - j])
                            break
        if view:
            vmap = views.view_map()
            tail = view[:-(pre.max_hold + 1):-1]  # the end of the view, backwards
            token = len(tail) - len(tail.lstrip(_TOKEN_CHARS))  # the last word, if the view ends in one
            m = _SEPARATED_TAIL.match(tail)
            for k in (token, m.end() if m else 0):
                if k:
                    hold = min(hold, vmap[len(view) - k])
            for k in range(min(pre.longest, len(view)), 0, -1):
                if view[-k:] in pre.word:
                    hold = min(hold, vmap[len(view) - k])
                    break
            max_words = engine.compiled.latin_max_words
            if max_words > 1:
                words = list(_WORD.finditer(view, max(0, len(view) - 4 * pre.longest)))[-max_words:]
                if any(_WRITTEN_AROUND.search(w.group()) for w in words):
                    hold = min(hold, vmap[words[0].start()])
        return hold


def _before_crossing(hits: list[Hit], hold: int) -> int:
    """``hold``, moved back to the start of every hit that reaches across it. Taken by end,
    latest first, one pass settles it: a hit seen earlier ends after the hold and starts at
    or after it, wherever the hold moves."""
    for h in sorted(hits, key=lambda h: -h.end):
        if h.end > hold > h.start:
            hold = h.start
    return hold


def _shift(h: Hit, by: int) -> Hit:
    if by == 0:
        return h
    return Hit(term=h.term, category=h.category, tier=h.tier, start=h.start + by, end=h.end + by, matched=h.matched,
               variant=h.variant, lang=h.lang, rule_terms=h.rule_terms)
