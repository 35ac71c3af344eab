"""The matching engine: automatons over the views of a text, hits in original coordinates.

``Engine.scan`` does, for every text:

1. the text's views and their maps in one pass (``normalize.views``: the C extension
   ``_views``, or NumPy where it was not built; ``str.translate`` for ASCII);
2. one automaton pass over the word view (whole words, pinyin), one over the dense view
   (Han terms by sound, multi-word terms), one over its shape twin (look-alike characters),
   and the Latin writings that change a word's length (``respelling``), pinyin among Han
   (``pinyin_in_han``) and symbols read as syllables, only where the views say they may
   occur;
3. only if something was found: screens on the dense literal view that drop ordinary words
   which merely sound or look like a term (``check.sound_may_hit``/``look_may_hit``),
   then for the rest the offset maps back to the original text and the full check against
   the term (``check``): word boundaries, which techniques it took, whether the term
   allows them, and the precision rules for homophones, look-alikes and pinyin.

The engine is immutable; ``Interceptor`` swaps engines on reload.
"""
from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from dataclasses import replace
from itertools import accumulate

from interceptor.engine.automaton import DEFAULT_BACKEND, build_matcher
from interceptor.engine.check import Found, ScanContext, sound_may_hit
from interceptor.engine.patterns import (
    CompiledTerm,
    Form,
    Ref,
    compile_lexicon,
    compile_looks,
)
from interceptor.engine.pinyin_in_han import rewrites
from interceptor.engine.prefixes import Prefixes, build_prefixes
from interceptor.engine.repeats import Cuts, find_stretches
from interceptor.engine.respelling import collapse_repeats, may_join_neighbours, suspects, with_neighbours
from interceptor.lexicon.model import Lexicon
from interceptor.normalize.lookalike import neighbours
from interceptor.normalize.tables import Tables, is_han, load
from interceptor.normalize.views import TextViews, latin_tokens, views_builder
from interceptor.rules import RuleSet, with_rule_terms
from interceptor.types import Hit


class Engine:
    """Automatons for one lexicon. Build once, share between threads, never mutate."""

    def __init__(self, lexicon: Lexicon, backend: str = DEFAULT_BACKEND, tables: Tables | None = None):
        self.lexicon = lexicon
        self.backend = backend
        self.tables = tables or load()
        self.rules = RuleSet(lexicon.rules, lexicon.hidden)
        # rule terms the lexicon does not list are compiled too, as hidden terms (``rules``)
        self.compiled, patterns = compile_lexicon(with_rule_terms(lexicon), self.tables, looks=False)
        c = self.compiled
        # one automaton at a time, each list released once built, the look-alike patterns
        # made only after the others are built: a large lexicon's patterns and its
        # automatons never all sit in memory together
        counts = {"word": len(patterns.word), "sound": len(patterns.sound)}
        self._word = build_matcher(patterns.word, backend)
        patterns.word = []
        self._sound = build_matcher(patterns.sound, backend)
        patterns.sound = []
        look_refs, look_patterns = compile_looks(c, self.tables)
        self.compiled = c = replace(c, look_refs=look_refs)
        self.pattern_counts = {**counts, "look": len(look_patterns)}
        self._look = build_matcher(look_patterns, backend) if look_patterns else None
        del look_patterns
        self._raw = build_matcher(patterns.raw, backend) if patterns.raw else None
        self._allow = build_matcher(patterns.allow, backend) if patterns.allow else None
        # Sound patterns of Han terms: the bulk of the dense view's candidates, most of them
        # ordinary words that sound alike, screened on the dense literal view before the
        # full check (``candidates.sound_may_hit``).
        # A pattern shared by several terms that sound alike (以及 reads like two of them)
        # has each of its terms screened.
        self._sound_terms: dict[int, str] = {}
        self._sound_shared: dict[int, tuple[tuple[Ref, str | None], ...]] = {}
        for pid in range(len(c.sound_refs)):
            refs = c.sound_refs[pid]
            screens = tuple((ref, _screenable(c.terms[ref.term]) if ref.form == Form.SOUND else None) for ref in refs)
            if len(screens) == 1:
                if screens[0][1] is not None:
                    self._sound_terms[pid] = screens[0][1]
            elif any(folded is not None for _, folded in screens):
                self._sound_shared[pid] = screens
        neighbours()  # the look-alike pairs the check consults, loaded now, not by a request
        self._builder = views_builder(self.tables)  # the C extension's, over this engine's tables
        self._syllables = frozenset(self.tables.syllable_code)  # what pinyin among Han may spell
        self._prefixes: Prefixes | None = None
        self._prefixes_lock = threading.Lock()

    @property
    def version(self) -> str:
        return self.lexicon.version

    @property
    def prefixes(self) -> Prefixes:
        """Every proper prefix of this engine's patterns (streams only: built on first use)."""
        if self._prefixes is None:
            with self._prefixes_lock:
                if self._prefixes is None:
                    self._prefixes = build_prefixes(self.lexicon, self.tables)
        return self._prefixes

    def views(self, text: str) -> TextViews:
        """The views of ``text`` over this engine's tables."""
        return TextViews(text, self.tables, self._builder)

    def scan(self, text: str) -> list[Hit]:
        """Every hit of every term in ``text`` (monitor tier included), allow-list applied.

        A text that repeats one short unit at length is scanned with the middle of each such
        stretch cut out (``repeats``), so that no text costs more than the lexicon bounds.
        """
        stretches = find_stretches(text)
        if not stretches:
            return self.scan_uncut(text)
        cuts = Cuts(text, stretches)
        hits = self.scan_uncut(cuts.text)
        return cuts.merge([cuts.hit(h, text) for h in hits], text)

    def scan_uncut(self, text: str) -> list[Hit]:
        """``scan`` with no stretch cut: each copy of a repeated unit checked on its own
        (for tests and tools; still linear in the text, with a larger constant)."""
        t = self.tables
        views = TextViews(text, t, self._builder)
        view = views.view
        word_found = self._word.find(view)
        dense_found = self._sound.find(views.dense)
        look_found = self._look.find(views.dense_shape()) if self._look is not None else []
        raw_found = self._raw.find(text) if self._raw is not None else []
        if views.has_latin():
            tokens, separated = latin_tokens(view)
            sus = list(suspects(view, tokens, self.compiled.latin, separated)) if tokens or separated else []
        else:
            sus = []
        symbol_found: list[tuple[int, list[tuple[int, int, int]]]] = []
        if views.has_symbols():
            # Symbols read as syllables (❤ xin): scan the dense view with each reading, only
            # around the symbols, since elsewhere it equals the plain dense view.
            for k in range(len(t.symbol_codes)):
                sym_dense, _, at = views.symbol_dense(k)
                found_k: list[tuple[int, int, int]] = []
                for lo, hi in _windows(at, len(sym_dense)):
                    found_k += [(s + lo, e + lo, pid) for s, e, pid in self._sound.find(sym_dense[lo:hi])]
                if found_k:
                    symbol_found.append((k, found_k))
        joins = views.script_joins()
        mixed = [(rw, found_r) for rw in rewrites(views.dense, joins, t, self._syllables)
                 if (found_r := self._sound.find(rw.text))] if joins[0] or joins[1] else []
        if not (word_found or dense_found or look_found or raw_found or sus or symbol_found or mixed):
            return []

        ctx = ScanContext(text, views, self.compiled, t)
        found = Found()
        for s, e, pid in word_found:
            ctx.word_candidate(s, e, pid, found)
        if dense_found or look_found:
            dmap = views.dense_map()
            literal = views.dense_literal()
            screened, shared = self._sound_terms, self._sound_shared
            for s, e, pid in dense_found:
                term = screened.get(pid)
                if term is not None:
                    # most matches of a two-character term change both characters: another
                    # phrase that sounds alike (sound_may_hit's first rule, inlined)
                    if e - s == 2 and literal[s] != term[0] and literal[s + 1] != term[1]:
                        continue
                    if sound_may_hit(literal, s, e, term, dmap, t):
                        ctx.sound_candidate(s, e, pid, dmap, found, symbols=False)
                elif pid in shared:
                    for ref, folded in shared[pid]:
                        if folded is None or sound_may_hit(literal, s, e, folded, dmap, t):
                            ctx.sound_ref(ref, s, e, dmap, found, symbols=False)
                else:
                    ctx.sound_candidate(s, e, pid, dmap, found, symbols=False)
            for s, e, pid in look_found:
                ctx.look_candidate(s, e, pid, dmap, found, literal)
        if mixed:
            dmap = views.dense_map()
            for rw, found_r in mixed:
                for s, e, pid in found_r:
                    pinyin = frozenset(k - s for k in rw.pinyin if s <= k < e)
                    if not pinyin:
                        continue  # found without the rewrite: the dense view has it
                    spans = [(dmap[rw.sources[k][0]], dmap[rw.sources[k][1] - 1] + 1) for k in range(s, e)]
                    for ref in self.compiled.sound_refs[pid]:
                        if ref.form == Form.SOUND:
                            ctx.check_units(ref, spans, found, pinyin=pinyin)
        for k, found_k in symbol_found:
            _, kmap, at = views.symbol_dense(k)
            for s, e, pid in found_k:
                i = bisect_left(at, s)
                if i < len(at) and at[i] < e:  # the match reads a symbol
                    ctx.sound_candidate(s, e, pid, kmap, found, symbols=True)
        for sp in sus:
            refs: list[Ref] = []
            for spelling in sp.spellings:
                refs.extend(self.compiled.latin_words.get(spelling, ()))
                if "repeat" in sp.techniques:
                    refs.extend(self.compiled.latin_collapsed.get(collapse_repeats(spelling), ()))
            for ref in dict.fromkeys(refs):
                ctx.latin_suspect(sp.start, sp.end, sp.techniques, ref, found)
            if may_join_neighbours(sp, self.compiled.latin):
                repeated = "repeat" in sp.techniques
                for start, end, spellings in with_neighbours(view, sp, self.compiled.latin_max_words):
                    for spelling in spellings:
                        near = self.compiled.latin_words.get(spelling, ())
                        if repeated:  # kiiill yourself: the glued words with every run collapsed
                            near += self.compiled.latin_collapsed.get(collapse_repeats(spelling), ())
                        for ref in dict.fromkeys(near):
                            if ref.form == Form.GLUED:
                                ctx.latin_suspect(start, end, sp.techniques, ref, found)
        for s, e, pid in raw_found:
            for ref in self.compiled.raw_refs[pid]:
                ctx.add_exact(ref.term, s, e, found)
        hits = found.hits()
        if hits and self._allow is not None:
            hits = self._drop_allowed(hits, views)
        return hits

    def _drop_allowed(self, hits: list[Hit], views: TextViews) -> list[Hit]:
        """Drop hits lying entirely inside an occurrence of an allowed phrase."""
        assert self._allow is not None
        dmap = views.dense_map()
        text, fold = views.text, self.tables.fold_char
        spans: list[tuple[int, int]] = []
        for s, e, pid in self._allow.find(views.dense):
            positions = [dmap[i] for i in range(s, e)]
            # the dense view matches by sound; an allowed phrase must be written as listed
            if "".join(fold(text[p]) for p in positions) == self.compiled.allow_units[pid]:
                spans.append((positions[0], positions[-1] + 1))
        if not spans:
            return hits
        spans.sort()
        starts = [a for a, _ in spans]
        reach = list(accumulate((b for _, b in spans), max))  # the furthest end of the spans so far
        # a hit is inside an allowed span iff the furthest-reaching span that starts at or
        # before it reaches its end: one bisection per hit
        return [h for h in hits if not ((i := bisect_right(starts, h.start)) and reach[i - 1] >= h.end)]


def _screenable(ct: CompiledTerm) -> str | None:
    """The folded form of a term whose sound matches ``sound_may_hit`` may screen: all Han."""
    return ct.folded if all(map(is_han, ct.units)) else None


SYMBOL_REACH = 12  # characters either side of a symbol that a term through it can span


def _windows(points: list[int], n: int) -> list[tuple[int, int]]:
    """Merged spans of SYMBOL_REACH characters around each point."""
    out: list[tuple[int, int]] = []
    for p in points:
        lo, hi = max(0, p - SYMBOL_REACH), min(n, p + SYMBOL_REACH + 1)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out
