"""The matching engine: automatons over the views of a text, hits in original coordinates.

``Engine.scan`` does, for every text:

1. one ``str.translate`` into the view (``normalize.tables``) and ``str.replace`` into the
   dense view, both in C;
2. one automaton pass over the view (whole words, pinyin, triple letters), one over the
   dense view (Han terms by sound, multi-word terms), one over the original text
   (look-alike characters), and two hint regexes for the Latin writings that change a
   word's length (``latin``);
3. only if something was found: offset maps back to the original text, and a check of each
   candidate against its term (``candidates``): word boundaries, which techniques it took,
   whether the term allows them, and the precision rules for homophones and pinyin.

The engine is immutable; ``Interceptor`` swaps engines on reload.
"""
from __future__ import annotations

from interceptor.candidates import Found, ScanContext
from interceptor.compile import MARK, SOUND, WORD_FORM, Compiled, Ref, collapse_repeats, compile_lexicon
from interceptor.latin import suspects, with_neighbours
from interceptor.lexicon.model import Lexicon
from interceptor.matcher import DEFAULT_BACKEND, build_matcher
from interceptor.normalize.tables import Tables, is_han, load
from interceptor.normalize.views import PositionMap, TextViews
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
        self._look = build_matcher(c.look_patterns, backend) if c.look_patterns else None
        self._raw = build_matcher(c.raw_patterns, backend) if c.raw_patterns else None
        self._allow = build_matcher(c.allow_patterns, backend) if c.allow_patterns else None
        # patterns that mark Latin walk-arounds: pid -> (kind, offset of the marked character)
        self._marks = {i: (refs[0][3], max(refs[0][2], 0)) for i, refs in enumerate(c.word_refs)
                       if refs[0][1] == MARK}
        # Sound patterns of two-character Han terms: the bulk of the dense view's candidates,
        # most of them everyday words that sound alike, screened before the full check.
        self._pairs: dict[int, str] = {}
        for pid, refs in enumerate(c.sound_refs):
            if len(refs) == 1 and refs[0][1] == SOUND:
                ct = c.terms[refs[0][0]]
                if len(ct.units) == 2 and is_han(ct.units[0]) and is_han(ct.units[1]):
                    self._pairs[pid] = ct.folded

    @property
    def version(self) -> str:
        return self.lexicon.version

    def scan(self, text: str) -> list[Hit]:
        """Every hit of every term in ``text`` (monitor tier included), allow-list applied."""
        t = self.tables
        views = TextViews(text, t)
        view = views.view
        word_found = self._word.find(view)
        marks = self._marks
        repeats: list[int] = []
        leets: list[int] = []
        if any(f[2] in marks for f in word_found):
            for s, _, pid in word_found:
                mark = marks.get(pid)
                if mark is not None:
                    (repeats if mark[0] == "repeat" else leets).append(s + mark[1])
            word_found = [f for f in word_found if f[2] not in marks]
        dense_found = self._sound.find(views.dense)
        look_found = self._look.find(views.dense_literal()) if self._look is not None else []
        raw_found = self._raw.find(text) if self._raw is not None else []
        sus = list(suspects(view, repeats, leets)) if repeats or leets or views.has_latin() else []
        symbol_found: list[tuple[int, list[tuple[int, int, int]]]] = []
        if views.has_symbols():
            for k in range(len(t.view_symbol_tables)):
                found_k = self._sound.find(views.symbol_dense(k)[0])
                if found_k:
                    symbol_found.append((k, found_k))
        if not (word_found or dense_found or look_found or raw_found or sus or symbol_found):
            return []

        ctx = ScanContext(text, views, self.compiled, t)
        found = Found()
        for s, e, pid in word_found:
            ctx.word_candidate(s, e, pid, found)
        if dense_found or look_found:
            dmap = views.dense_map()
            literal = views.dense_literal()
            pairs = self._pairs
            common, words, in_pair = t.common_zh, t.words_zh, t.in_word_pair
            for s, e, pid in dense_found:
                term = pairs.get(pid)
                if term is not None:
                    # A two-character homophone: the precision rules of ``candidates``,
                    # on the dense literal view alone; what may pass gets the full check.
                    written = literal[s:e]
                    if written != term:
                        first, second = written[0] != term[0], written[1] != term[1]
                        if first and second:
                            continue  # every character changed: another phrase that sounds alike
                        if dmap[s + 1] == dmap[s] + 1:  # no noise between them
                            if (written[0] if first else written[1]) in common or written in words:
                                continue
                            if in_pair(written[0], written[1]):
                                continue
                ctx.sound_candidate(s, e, pid, dmap, found, symbols=False)
            for s, e, pid in look_found:
                ctx.look_candidate(s, e, pid, dmap, found)
        for k, found_k in symbol_found:
            kmap = views.symbol_dense(k)[1]
            for s, e, pid in found_k:
                ctx.sound_candidate(s, e, pid, kmap, found, symbols=True)
        for sp in sus:
            refs: list[Ref] = []
            for spelling in sp.spellings:
                refs.extend(self.compiled.latin_words.get(spelling, ()))
                if "repeat" in sp.techniques:
                    refs.extend(self.compiled.latin_collapsed.get(collapse_repeats(spelling), ()))
            for ref in dict.fromkeys(refs):
                ctx.latin_suspect(sp.start, sp.end, sp.techniques, ref, found)
            if self.compiled.latin_max_words > 1:
                for start, end, spellings in with_neighbours(view, sp, self.compiled.latin_max_words):
                    for spelling in spellings:
                        for ref in self.compiled.latin_words.get(spelling, ()):
                            if ref[1] != WORD_FORM:
                                ctx.latin_suspect(start, end, sp.techniques, ref, found)
        for s, e, pid in raw_found:
            for ref in self.compiled.raw_refs[pid]:
                ctx.add_exact(ref[0], s, e, found)
        hits = found.hits()
        if hits and self._allow is not None:
            hits = self._drop_allowed(hits, views)
        return hits

    def _drop_allowed(self, hits: list[Hit], views: TextViews) -> list[Hit]:
        """Drop hits lying entirely inside an occurrence of an allowed phrase."""
        assert self._allow is not None
        dmap = views.dense_map()
        text, fold = views.text, self.tables.fold_char
        spans = []
        for s, e, pid in self._allow.find(views.dense):
            positions = [dmap[i] for i in range(s, e)]
            # the dense view matches by sound; an allowed phrase must be written as listed
            if "".join(fold(text[p]) for p in positions) == self.compiled.allow_units[pid]:
                spans.append((positions[0], positions[-1] + 1))
        if not spans:
            return hits
        return [h for h in hits if not any(a <= h.start and h.end <= b for a, b in spans)]
