"""The matching engine: automatons over the views of a text, hits in original coordinates.

``Engine.scan`` does, for every text:

1. ``text.translate`` into the word view and the sound view (``normalize.tables``), one C
   call each;
2. one automaton pass over each view (``matcher``), plus three regexes over the word view
   for the Latin writings that change a word's length (``latin``);
3. only if something was found: offset maps back to the original text, and a check of each
   candidate against its term (``candidates``): word boundaries, which techniques it took,
   whether the term allows them, and the precision rules for homophones and pinyin.

A text with no candidate costs two translations, two automaton passes and three regex
searches, all in C. The engine is immutable; ``Interceptor`` swaps engines on reload.
"""
from __future__ import annotations

import re

from interceptor.candidates import Found, ScanContext
from interceptor.compile import WORD_FORM, Compiled, Ref, collapse_repeats, compile_lexicon
from interceptor.latin import suspects, with_neighbours
from interceptor.lexicon.model import Lexicon
from interceptor.matcher import DEFAULT_BACKEND, build_matcher
from interceptor.normalize.tables import LIMIT, Tables, load
from interceptor.normalize.views import ViewMaps, translate
from interceptor.types import Hit


class Engine:
    """Automatons for one lexicon. Build once, share between threads, never mutate."""

    def __init__(self, lexicon: Lexicon, backend: str = DEFAULT_BACKEND, tables: Tables | None = None):
        self.lexicon = lexicon
        self.backend = backend
        self.tables = tables or load()
        self.compiled: Compiled = compile_lexicon(lexicon, self.tables)
        c = self.compiled
        self._word = build_matcher(c.word_patterns, backend)
        self._sound = build_matcher(c.sound_patterns, backend)
        self._raw = build_matcher(c.raw_patterns, backend) if c.raw_patterns else None
        self._allow = build_matcher(c.allow_patterns, backend) if c.allow_patterns else None
        symbols = "".join(re.escape(chr(cp)) for cp in sorted(self.tables.symbol_readings) if cp < LIMIT)
        self._symbol_rx = re.compile(f"[{symbols}]") if symbols else None
        self._has_sound = bool(c.sound_patterns)

    @property
    def version(self) -> str:
        return self.lexicon.version

    def scan(self, text: str) -> list[Hit]:
        """Every hit of every term in ``text`` (monitor tier included), allow-list applied."""
        t = self.tables
        word_view = translate(text, t.word_table, t, delete_noise=False)
        word_found = self._word.find(word_view)
        sound_found = self._sound.find(translate(text, t.sound_table, t, delete_noise=True)) if self._has_sound else []
        sus = list(suspects(word_view)) if _maybe_latin(word_view) else []
        symbol_views: list[tuple[int, list[tuple[int, int, int]]]] = []
        if self._has_sound and self._symbol_rx is not None and self._symbol_rx.search(text):
            for k, table in enumerate(t.sound_symbol_tables):
                in_view = self._sound.find(translate(text, table, t, delete_noise=True))
                if in_view:
                    symbol_views.append((k, in_view))
        raw_found = self._raw.find(text) if self._raw is not None else []
        if not (word_found or sound_found or sus or symbol_views or raw_found):
            return []

        ctx = ScanContext(text, ViewMaps(text, word_view, t), self.compiled, t)
        found = Found()
        for s, e, pid in word_found:
            ctx.word_candidate(s, e, pid, found)
        for s, e, pid in sound_found:
            ctx.sound_candidate(s, e, pid, found, symbols=False)
        for _k, view_found in symbol_views:
            for s, e, pid in view_found:
                ctx.sound_candidate(s, e, pid, found, symbols=True)
        for sp in sus:
            refs: list[Ref] = []
            for spelling in sp.spellings:
                refs.extend(self.compiled.latin_words.get(spelling, ()))
                if "repeat" in sp.techniques:
                    refs.extend(self.compiled.latin_collapsed.get(collapse_repeats(spelling), ()))
            for ref in dict.fromkeys(refs):
                ctx.latin_suspect(sp.start, sp.end, sp.techniques, ref, found)
            if self.compiled.latin_max_words > 1:
                for start, end, spellings in with_neighbours(word_view, sp, self.compiled.latin_max_words):
                    for spelling in spellings:
                        for ref in self.compiled.latin_words.get(spelling, ()):
                            if ref[1] != WORD_FORM:
                                ctx.latin_suspect(start, end, sp.techniques, ref, found)
        for s, e, pid in raw_found:
            for ref in self.compiled.raw_refs[pid]:
                ctx.add_exact(ref[0], s, e, found)
        hits = found.hits()
        if hits and self._allow is not None:
            hits = self._drop_allowed(hits, ctx.maps)
        return hits

    def _drop_allowed(self, hits: list[Hit], maps: ViewMaps) -> list[Hit]:
        """Drop hits lying entirely inside an occurrence of an allowed phrase."""
        assert self._allow is not None
        dense, dmap = maps.dense()
        spans = [(dmap(s), dmap(e - 1) + 1) for s, e, _ in self._allow.find(dense)]
        if not spans:
            return hits
        return [h for h in hits if not any(a <= h.start and h.end <= b for a, b in spans)]


_LATIN_HINT = re.compile(r"[a-z]")


def _maybe_latin(view: str) -> bool:
    return _LATIN_HINT.search(view) is not None
