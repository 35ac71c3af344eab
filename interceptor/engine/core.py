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
   which merely sound or look like a term (``precision.sound_may_hit``/``look_may_hit``),
   then for the rest the offset maps back to the original text and the full check against
   the term (``check``): word boundaries, which techniques it took, whether the term
   allows them, and the precision rules for homophones, look-alikes and pinyin.

The engine is immutable; ``Interceptor`` swaps engines on reload.
"""
from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate

from interceptor.engine.automaton import DEFAULT_BACKEND
from interceptor.engine.build import Built, build
from interceptor.engine.channels import (
    Channel,
    LookChannel,
    PinyinInHanChannel,
    RawChannel,
    RespellingChannel,
    SoundChannel,
    SymbolChannel,
    WordChannel,
)
from interceptor.engine.channels import run as run_channels
from interceptor.engine.han_channels import DigitChannel, FillerChannel, ToneDigitChannel, ZhuyinChannel, counted
from interceptor.engine.layout import with_layout
from interceptor.engine.prefixes import Prefixes, build_prefixes
from interceptor.engine.repeats import Cuts, find_stretches
from interceptor.engine.screens import ExactHits, make_screens, term_strings
from interceptor.lexicon.model import Lexicon
from interceptor.normalize.lookalike import neighbours
from interceptor.normalize.tables import CYRILLIC_BLOCK, Kind, Tables, load
from interceptor.normalize.translit import russian_stem_writings, russian_writings
from interceptor.normalize.views import TextViews, views_builder
from interceptor.rules import RuleSet
from interceptor.types import Hit

_CYRILLIC_WORD = re.compile(f"[{CYRILLIC_BLOCK}]+")
# ints: a bit test with the enum costs a microsecond
_CJK, _LETTERLIKE, _INSIDE = Kind.CJK.value, Kind.LETTERLIKE.value, Kind.INSIDE.value
_ITALIC = Kind.CYRILLIC.value | Kind.ITALIC.value  # both: a Latin letter for an italic Cyrillic one may be there
_DRAWN = Kind.CYRILLIC.value | Kind.DRAWING.value  # both: a Cyrillic letter drawn in ASCII strokes may be there
# pinyin among Han rewrites only Latin runs that meet a syllable code, which the dense view
# holds only from U+3100 on
_CJK_ONLY = (LookChannel, PinyinInHanChannel, ZhuyinChannel, FillerChannel, DigitChannel)


class Engine:
    """Automatons for one lexicon. Build once, share between threads, never mutate."""

    def __init__(self, lexicon: Lexicon, backend: str = DEFAULT_BACKEND, tables: Tables | None = None,
                 built: Built | None = None):
        """``built``: ``lexicon`` compiled already with ``backend`` and ``tables`` (``cache``)."""
        self.lexicon = lexicon
        self.backend = backend
        self.tables = tables or load()
        self.rules = RuleSet(lexicon.rules, lexicon.hidden, lexicon.rule_categories, lexicon.mention)
        if built is None:
            built = build(lexicon, self.tables, backend)
        self.built = built
        self.compiled = c = built.compiled
        self.pattern_counts = built.pattern_counts
        self._word, self._sound, self._look = built.word, built.sound, built.look
        self._raw, self._allow = built.raw, built.allow
        # the channels, in the order their checks run (the order changes no answer); the
        # screens of the C extension (``screens``) where it was built
        screens = make_screens(self.tables)
        strings = term_strings(c) if screens is not None else None
        channels: list[Channel] = [WordChannel(self._word, screens, c, strings, self.tables),
                                   SoundChannel(self._sound, c, self.tables, screens, strings)]
        if self._look is not None:
            channels.append(LookChannel(self._look, c, screens, strings))
        channels += [PinyinInHanChannel(self._sound, c, self.tables), SymbolChannel(self._sound, self.tables),
                     RespellingChannel(c), ToneDigitChannel(self._word, c, self.tables),
                     ZhuyinChannel(self._sound, c, self.tables), FillerChannel(self._sound, c, self.tables),
                     DigitChannel(self._sound, c, self.tables)]
        if self._raw is not None:
            channels.append(RawChannel(self._raw, c))
        self.channels: tuple[Channel, ...] = tuple(channels)
        # what a text without CJK runs: the channels that read only Han characters, their
        # shapes or zhuyin letters among them find nothing where the dense view holds no
        # character from U+3100 on (``Kind.CJK``, which comes with the views)
        self._channels_without_cjk = tuple(ch for ch in channels if not isinstance(ch, _CJK_ONLY))
        self._exact_hits = ExactHits(c)
        # terms matched in the layout view only if they allow noise (``layout``)
        self._without_noise = frozenset((ct.term.text, ct.term.category) for ct in c.terms
                                        if "noise" not in ct.term.variants)
        # terms written in digits alone (codes: 1488), which a count or a measure is not (１４８８万元)
        self._number_terms = frozenset(ct.term.text for ct in c.terms if ct.units.isdigit())
        self._without_homoglyph = frozenset((ct.term.text, ct.term.category) for ct in c.terms
                                            if "homoglyph" not in ct.term.variants)
        self._without_leet = frozenset((ct.term.text, ct.term.category) for ct in c.terms
                                       if "leet" not in ct.term.variants)
        # the words of terms of several words, lower-cased: a word a line break splits is read
        # with the words around it only if it is one of them (``normalize.breaks``)
        self._phrase_words = frozenset(w for ct in c.terms if " " in ct.term.text for w in ct.term.text.lower().split())
        neighbours()  # the look-alike pairs the check consults, loaded now, not by a request
        if any(_CYRILLIC_WORD.fullmatch(ct.units.lower()) and "translit" in ct.term.variants for ct in c.terms):
            russian_writings()  # what a transliteration's neighbours are checked against, likewise
            russian_stem_writings()
        self._builder = views_builder(self.tables)  # the C extension's, over this engine's tables
        self._prefixes: Prefixes | None = None
        self._prefixes_lock = threading.Lock()
        # where the prefixes come from when first needed: built, or read from the cache (``cache``)
        self.prefix_source: Callable[[Engine], Prefixes] = lambda e: build_prefixes(e.lexicon, e.tables)

    @property
    def version(self) -> str:
        return self.lexicon.version

    @property
    def prefixes(self) -> Prefixes:
        """Every proper prefix of this engine's patterns (streams only: built on first use)."""
        if self._prefixes is None:
            with self._prefixes_lock:
                if self._prefixes is None:
                    self._prefixes = self.prefix_source(self)
        return self._prefixes

    def views(self, text: str) -> TextViews:
        """The views of ``text`` over this engine's tables."""
        return TextViews(text, self.tables, self._builder)

    def scan(self, text: str) -> list[Hit]:
        """Every hit of every term in ``text`` (monitor tier included), allow-list applied.

        A text that repeats one short unit at length is scanned with the middle of each such
        stretch cut out (``repeats``), so that no text costs more than the lexicon bounds.
        """
        return self._scan(text, layout=True)

    def _scan(self, text: str, layout: bool) -> list[Hit]:
        stretches = find_stretches(text)
        if not stretches:
            return self._scan_uncut(text, layout)
        cuts = Cuts(text, stretches)
        hits = self._scan_uncut(cuts.text, layout)
        return cuts.merge(cuts.hits(hits, text), text)

    def scan_uncut(self, text: str) -> list[Hit]:
        """``scan`` with no stretch cut: each copy of a repeated unit checked on its own
        (for tests and tools; still linear in the text, with a larger constant). Every
        channel finds its candidates; if one found any, each checks its own."""
        return self._scan_uncut(text, layout=True)

    def _scan_uncut(self, text: str, layout: bool) -> list[Hit]:
        """The channels over ``text``; with ``layout``, over its layout view too (``layout``)."""
        views = self.views(text)
        channels = self.channels if views.kinds & _CJK else self._channels_without_cjk
        found = run_channels(channels, views, self.compiled, self.tables, self._exact_hits)
        hits = found.hits() if found is not None else []
        if hits and self._number_terms:
            hits = [h for h in hits if h.term not in self._number_terms or not counted(text, h.end)]
        if hits and self._allow is not None:
            hits = self._drop_allowed(hits, views)
        if layout:
            hits = with_layout(text, hits, views.has_symbols(), bool(views.kinds & _LETTERLIKE), self._scan_plain,
                               self._without_noise, self._ordinary, self._phrase_words.__contains__,
                               self._without_homoglyph, self._without_leet, views.kinds & _DRAWN == _DRAWN,
                               bool(views.kinds & _INSIDE), views.kinds & _ITALIC == _ITALIC)
        return hits

    def _ordinary(self, word: str) -> bool:
        """Is ``word`` an ordinary word (a line break between two of them is a boundary)? A
        letter alone is not: the word lists hold every letter, and a writer breaking a word
        letter by letter (``f\\nu\\nck``) writes one."""
        return len(word) > 1 and word.isascii() and word.lower() in self.tables.words_en

    def _scan_plain(self, text: str) -> list[Hit]:
        """``scan`` without the layout view: what the layout view itself is scanned with."""
        return self._scan(text, layout=False)

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
