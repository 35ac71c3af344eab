"""The channels of a scan: each finds its candidates on one view, maps them back to the
text and checks them against their terms.

A channel is built once with the engine (its automaton, its refs, its screens) and used for
every text in two steps: ``find`` runs its automaton or regexes over the views and returns
what it found (nothing, for most texts), and ``check`` — only when something was found —
first takes the maps it needs from the views, then checks each candidate. ``Engine.scan``
runs the finds of every channel, and the checks only if one of them found anything.
New ways of writing a term around (styled letters, zhuyin, split characters, markup)
are new channels of the same shape.
"""
from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from typing import Any, Protocol

from interceptor.engine.automaton import Matcher
from interceptor.engine.check import Found, ScanContext
from interceptor.engine.patterns import Compiled, CompiledTerm, Form, Ref
from interceptor.engine.pinyin_in_han import Rewrite, rewrites, toned_rewrites
from interceptor.engine.precision import sound_may_hit
from interceptor.engine.respelling import Suspect, collapse_repeats, may_join_neighbours, suspects, with_neighbours
from interceptor.engine.screens import ExactHits, look_entries, sound_entries, word_entries
from interceptor.engine.tones import syllable_agrees, with_tone_marks, zhuyin_marked
from interceptor.normalize.tables import Tables, is_han
from interceptor.normalize.views import IDENTITY, TextViews, latin_tokens

_MAPS = (memoryview, array)  # position maps the extension reads (int64 buffers)
_CASE = frozenset({"case"})
Match = tuple[int, int, int]
"""An automaton match: (start, end, pattern id), half-open, on the channel's view."""


class Channel(Protocol):
    """One way a term can be written, found on one view and checked against its terms."""

    def find(self, views: TextViews) -> Any:
        """What the channel found in the views (falsy when nothing)."""
        ...

    def check(self, found: Any, views: TextViews, ctx: ScanContext, hits: Found) -> None:
        """Check what ``find`` found; confirmed hits go into ``hits``."""
        ...


class WordChannel:
    """Whole words of spaced scripts and pinyin, on the word view (with the extension, the
    matches inside a longer word are dropped in one call: most of them are)."""

    __slots__ = ("_automaton", "_entries", "_screens")

    def __init__(self, automaton: Matcher, screens: Any = None, compiled: Compiled | None = None,
                 strings: Any = None, tables: Tables | None = None):
        self._automaton = automaton
        # the extension hands back words written with ASCII capitals as ``case`` hits: only
        # where the tables fold A-Z to a-z and name nothing else
        capitals = tables is not None and all(
            tables.techniques.get(c) == _CASE and tables.fold.get(c) == c + 32 for c in range(ord("A"), ord("Z") + 1))
        self._screens = screens if compiled is not None and capitals else None
        self._entries = word_entries(compiled, strings) if self._screens is not None and compiled else None

    def find(self, views: TextViews) -> list[Match]:
        return self._automaton.find(views.view)

    def check(self, found: list[Match], views: TextViews, ctx: ScanContext, hits: Found) -> None:
        vmap = views.view_map()
        if self._screens is not None and (vmap is IDENTITY or isinstance(vmap, _MAPS)):
            exact, cased, rest = self._screens.words(found, views.view, None if vmap is IDENTITY else vmap,
                                                     views.text, self._entries)
            hits.add_exact(exact)
            for idx, a, b in cased:
                ctx.case_hit(idx, a, b, hits)
            for s, e, pid in rest:
                ctx.whole_word(s, e, pid, hits)
            return
        for s, e, pid in found:
            ctx.word_candidate(s, e, pid, hits)


class SoundChannel:
    """Han terms by sound and multi-word terms glued, on the dense view.

    Most of its matches are ordinary words that sound alike: those of a pattern of one
    all-Han term are screened on the dense literal view first (``precision.sound_may_hit``); a
    pattern shared by several terms that sound alike (以及 reads like two of them) has each
    of its terms screened.
    """

    __slots__ = ("_automaton", "_entries", "_refs", "_screens", "_shared", "_terms", "_tables")

    def __init__(self, automaton: Matcher, compiled: Compiled, tables: Tables, screens: Any = None,
                 strings: Any = None):
        self._automaton = automaton
        self._tables = tables
        self._refs = compiled.sound_refs
        self._screens = screens
        self._entries = sound_entries(compiled, strings) if screens is not None else None
        self._terms: dict[int, str] = {}
        self._shared: dict[int, tuple[tuple[Ref, str | None], ...]] = {}
        c = compiled
        for pid in range(len(c.sound_refs)):
            refs = c.sound_refs[pid]
            screens = tuple((ref, _screenable(c.terms[ref.term]) if ref.form == Form.SOUND else None) for ref in refs)
            if len(screens) == 1:
                if screens[0][1] is not None:
                    self._terms[pid] = screens[0][1]
            elif any(folded is not None for _, folded in screens):
                self._shared[pid] = screens

    def find(self, views: TextViews) -> list[Match]:
        return self._automaton.find(views.dense)

    def check(self, found: list[Match], views: TextViews, ctx: ScanContext, hits: Found) -> None:
        dmap, literal, t = views.dense_map(), views.dense_literal(), self._tables
        if self._screens is not None and isinstance(dmap, _MAPS):
            # the screens in one call: exact writings come back as hits, the rest screened
            exact, passed, shared_passed, found = self._screens.sound(found, literal, dmap, views.text,
                                                                      self._entries)
            hits.add_exact(exact)
            for s, e, pid in passed:
                ctx.sound_candidate(s, e, pid, dmap, hits, symbols=False)
            refs = self._refs
            for s, e, pid, k in shared_passed:
                ctx.sound_ref(refs[pid][k], s, e, dmap, hits, symbols=False)
        screened, shared = self._terms, self._shared
        for s, e, pid in found:
            term = screened.get(pid)
            if term is not None:
                # most matches of a two-character term change both characters: another
                # phrase that sounds alike (sound_may_hit's first rule, inlined)
                if e - s == 2 and literal[s] != term[0] and literal[s + 1] != term[1]:
                    continue
                if sound_may_hit(literal, s, e, term, dmap, t):
                    ctx.sound_candidate(s, e, pid, dmap, hits, symbols=False)
            elif pid in shared:
                for ref, folded in shared[pid]:
                    if folded is None or sound_may_hit(literal, s, e, folded, dmap, t):
                        ctx.sound_ref(ref, s, e, dmap, hits, symbols=False)
            else:
                ctx.sound_candidate(s, e, pid, dmap, hits, symbols=False)


def _screenable(ct: CompiledTerm) -> str | None:
    """The folded form of a term whose sound matches ``sound_may_hit`` may screen: all Han."""
    return ct.folded if all(map(is_han, ct.units)) else None


class LookChannel:
    """Look-alike characters, on the dense shape view (screened by ``precision.look_may_hit``)."""

    __slots__ = ("_automaton", "_entries", "_refs", "_screens")

    def __init__(self, automaton: Matcher, compiled: Compiled | None = None, screens: Any = None,
                 strings: Any = None):
        self._automaton = automaton
        self._refs = compiled.look_refs if compiled is not None else None
        self._screens = screens if compiled is not None else None
        self._entries = look_entries(compiled, strings) if self._screens is not None and compiled else None

    def find(self, views: TextViews) -> list[Match]:
        return self._automaton.find(views.dense_shape())

    def check(self, found: list[Match], views: TextViews, ctx: ScanContext, hits: Found) -> None:
        dmap, literal = views.dense_map(), views.dense_literal()
        if self._screens is not None and isinstance(dmap, _MAPS):
            _, passed, shared, found = self._screens.look(found, literal, dmap, views.text, self._entries)
            refs = self._refs
            assert refs is not None
            for s, e, pid in passed:
                ctx.look_screened(refs[pid][0], s, e, dmap, hits)
            for s, e, pid, k in shared:
                ctx.look_screened(refs[pid][k], s, e, dmap, hits)
        for s, e, pid in found:
            ctx.look_candidate(s, e, pid, dmap, hits, literal)


# a tone digit after a pinyin letter: the digit first, its letter looked behind (a search
# from a letter tries every letter of a text)
_TONE_HINT = re.compile(r"[1-5](?<=[a-z][1-5])(?![0-9])")


class PinyinInHanChannel:
    """Pinyin written among Han characters (``微xin``), on rewritten stretches of the dense
    view (``pinyin_in_han``), matched by the sound automaton."""

    __slots__ = ("_automaton", "_code_syllable", "_compiled", "_syllables", "_tables")

    def __init__(self, automaton: Matcher, compiled: Compiled, tables: Tables):
        self._automaton = automaton
        self._compiled = compiled
        self._tables = tables
        self._syllables = frozenset(tables.syllable_code)
        self._code_syllable = tables.code_syllable

    def find(self, views: TextViews) -> list[tuple[Rewrite, list[Match]]]:
        joins = views.script_joins()
        found = [(rw, found) for rw in rewrites(views.dense, joins, self._tables, self._syllables)
                 if (found := self._automaton.find(rw.text))] if joins[0] or joins[1] else []
        if views.has_latin() and not views.ascii and _TONE_HINT.search(views.dense) is not None:
            for rw in toned_rewrites(views.dense, joins, self._tables, self._syllables):
                # a match of pinyin alone is the tone-digit channel's (bing1 du2)
                f = [m for m in self._automaton.find(rw.text) if any(k not in rw.pinyin for k in range(m[0], m[1]))]
                if f:
                    found.append((rw, f))
        return found

    def check(self, found: list[tuple[Rewrite, list[Match]]], views: TextViews, ctx: ScanContext,
              hits: Found) -> None:
        dmap = views.dense_map()
        for rw, matches in found:
            for s, e, pid in matches:
                pinyin = frozenset(k - s for k in range(s, e) if k in rw.pinyin)  # a zhuyin rewrite may be long
                if not pinyin:
                    continue  # found without the rewrite: the dense view has it
                spans = [(dmap[rw.sources[k][0]], dmap[rw.sources[k][1] - 1] + 1) for k in range(s, e)]
                marked = zhuyin_marked(ctx.text, [spans[k] for k in pinyin])
                for ref in self._compiled.sound_refs[pid]:
                    units = self._compiled.terms[ref.term].units
                    if ref.form == Form.SOUND and all(
                            syllable_agrees(ctx.text, spans[k], units, k,
                                            self._code_syllable[rw.text[s + k]], marked) for k in pinyin):
                        ctx.check_units(ref, with_tone_marks(ctx.text, spans, pinyin), hits, pinyin=pinyin)


SYMBOL_REACH = 12  # characters either side of a symbol that a term through it can span


class SymbolChannel:
    """Symbols read as syllables (❤ xin): the dense view with each reading, scanned only
    around the symbols, since elsewhere it equals the plain dense view."""

    __slots__ = ("_automaton", "_readings")

    def __init__(self, automaton: Matcher, tables: Tables):
        self._automaton = automaton
        self._readings = len(tables.symbol_codes)

    def find(self, views: TextViews) -> list[tuple[int, list[Match]]]:
        if not views.has_symbols():
            return []
        out: list[tuple[int, list[Match]]] = []
        for k in range(self._readings):
            sym_dense, _, at = views.symbol_dense(k)
            found_k: list[Match] = []
            for lo, hi in _windows(at, len(sym_dense)):
                found_k += [(s + lo, e + lo, pid) for s, e, pid in self._automaton.find(sym_dense[lo:hi])]
            if found_k:
                out.append((k, found_k))
        return out

    def check(self, found: list[tuple[int, list[Match]]], views: TextViews, ctx: ScanContext, hits: Found) -> None:
        for k, found_k in found:
            _, kmap, at = views.symbol_dense(k)
            for s, e, pid in found_k:
                i = bisect_left(at, s)
                if i < len(at) and at[i] < e:  # the match reads a symbol
                    ctx.sound_candidate(s, e, pid, kmap, hits, symbols=True)


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


class RespellingChannel:
    """Latin writings that change a word's length (separators, leet, repeats), found from
    the view's suspect tokens (``respelling``) and looked up among the lexicon's words."""

    __slots__ = ("_compiled",)

    def __init__(self, compiled: Compiled):
        self._compiled = compiled

    def find(self, views: TextViews) -> list[Suspect]:
        if not views.has_letters():
            return []
        tokens, separated = latin_tokens(views.view)
        if not (tokens or separated):
            return []
        # only the suspects that spell a word of the lexicon, or may be a piece of a multi-word
        # term: most texts' suspects (a version number, "%1$s") spell none, and a scan that
        # found nothing skips every channel's check
        c = self._compiled
        return [sp for sp in suspects(views.view, tokens, c.latin, separated, self._known)
                if any(w in c.latin_words or ("repeat" in sp.techniques and collapse_repeats(w) in c.latin_collapsed)
                       for w in sp.spellings) or may_join_neighbours(sp, c.latin)]

    def _known(self, spelling: str) -> bool:
        """Does a separated run's spelling pass the filter above (it takes no repeats)?"""
        c = self._compiled
        return spelling in c.latin_words or (c.latin.max_words > 1 and spelling in c.latin.parts)

    def check(self, found: list[Suspect], views: TextViews, ctx: ScanContext, hits: Found) -> None:
        c = self._compiled
        for sp in found:
            refs: list[Ref] = []
            for spelling in sp.spellings:
                refs.extend(c.latin_words.get(spelling, ()))
                if "repeat" in sp.techniques:
                    refs.extend(c.latin_collapsed.get(collapse_repeats(spelling), ()))
            for ref in dict.fromkeys(refs):
                ctx.latin_suspect(sp.start, sp.end, sp.techniques, ref, hits)
            if may_join_neighbours(sp, c.latin):
                repeated = "repeat" in sp.techniques
                for start, end, spellings in with_neighbours(views.view, sp, c.latin_max_words):
                    for spelling in spellings:
                        near = c.latin_words.get(spelling, ())
                        if repeated:  # kiiill yourself: the glued words with every run collapsed
                            near += c.latin_collapsed.get(collapse_repeats(spelling), ())
                        for ref in dict.fromkeys(near):
                            if ref.form == Form.GLUED:
                                ctx.latin_suspect(start, end, sp.techniques, ref, hits)


class RawChannel:
    """Terms with no letters or digits at all (an emoji), on the text as it is."""

    __slots__ = ("_automaton", "_compiled")

    def __init__(self, automaton: Matcher, compiled: Compiled):
        self._automaton = automaton
        self._compiled = compiled

    def find(self, views: TextViews) -> list[Match]:
        return self._automaton.find(views.text)

    def check(self, found: list[Match], views: TextViews, ctx: ScanContext, hits: Found) -> None:
        for s, e, pid in found:
            for ref in self._compiled.raw_refs[pid]:
                ctx.add_exact(ref.term, s, e, hits)


def run(channels: Sequence[Channel], views: TextViews, compiled: Compiled, tables: Tables,
        maker: ExactHits) -> Found | None:
    """Every channel's find, then — only if one found something — their checks."""
    finds = [(ch, got) for ch in channels if (got := ch.find(views))]
    if not finds:
        return None
    ctx = ScanContext(views.text, views, compiled, tables)
    hits = Found(views.text, maker)
    for ch, got in finds:
        ch.check(got, views, ctx, hits)
    return hits
