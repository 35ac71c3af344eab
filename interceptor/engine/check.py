"""Checking a candidate match against its term: boundaries, techniques, precision.

An automaton match on a view says only that the folded text *could* be the term. This
module maps it back to the original characters, names the techniques the writing took
(``case``, ``traditional``, ``homophone``…), drops it when the term's ``variants`` do not
allow one of them, and applies the precision rules that keep benign text passing:

* spaced-script terms match whole words only (``class`` is not ``ass``);
* a homophone or look-alike writing that is itself an everyday word is that word, not an
  evasion (威信 'prestige' is not 微信), nor is one whose changed edge character belongs
  to a word with its neighbour (成为新的 does not hold 微信);
* a whole word in another script that merely looks like a term is that script's word
  (TR39 whole-script confusables), not a homoglyph spoof;
* pinyin that spells an everyday English word inside English text is English.

Everything here runs per candidate, never per character of the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from interceptor.engine.gaps import COMBINING_REACH, MAX_GAP, MAX_WORD_GAP, NO_GAP, Gap, gap, holds, marks_end
from interceptor.engine.keys_around import latin_sentence_around
from interceptor.engine.patterns import (
    Compiled,
    CompiledTerm,
    Form,
    Ref,
)
from interceptor.engine.precision import (
    another_word_by_diacritics,
    crosses_sentence_end,
    cyrillic_near,
    edges_in_words,
    letter_base,
    letters_of_another_language,
    look_may_hit,
    not_pinyin,
    other_language_around,
    other_letter_same_script,
    plain_symbols,
    plausible_change,
    written_as_name,
)
from interceptor.engine.screens import ExactHits
from interceptor.engine.splits import check_split
from interceptor.engine.tones import has_tones, term_readings, tones_agree
from interceptor.normalize.keyboard import PUNCTUATION_KEYS, cyrillic_keys, latin_keys, reads_as_keys
from interceptor.normalize.lookalike import is_lookalike
from interceptor.normalize.tables import COMBINING, CYRILLIC, MARK, Tables, is_han
from interceptor.normalize.translit import inflected_russian, russian_writings, telltale
from interceptor.normalize.views import PositionMap, TextViews
from interceptor.types import Hit

# Which technique names a hit when a writing took several: the most telling first.
PRIORITY = ("homophone", "lookalike", "pinyin", "layout", "translit", "initials", "homoglyph", "leet", "traditional",
            "repeat", "diacritics", "width", "noise", "case")
_RANK = {name: i for i, name in enumerate(PRIORITY)}
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
ENGLISH_CONTEXT = 12
_PUNCTUATION_KEYS = "".join(sorted(PUNCTUATION_KEYS))
_TRANSLIT_FORMS = (Form.TRANSLIT, Form.TRANSLIT_SHORT)
RUSSIAN_SURE = 4  # letters of a Russian dictionary word in Latin letters that say the text is Russian


_NO_GAPS: list[Gap] = []
_HOMOGLYPH = frozenset({"homoglyph"})
_CASE = frozenset({"case"})
_NONE: frozenset[str] = frozenset()
_NONE_VISIBLE: list[bool] = []


def variant_name(techniques: set[str] | frozenset[str]) -> str:
    if not techniques:
        return "exact"
    return min(techniques, key=lambda t: _RANK.get(t, len(PRIORITY)))


@dataclass
class Found:
    """Hits found so far, one per (term, start, end), keeping the most direct technique.

    A hit written exactly is kept as its key alone (``exact``) and made with the others at
    the end (``hits``, by ``maker``: in C where the extension was built): on text full of
    ordinary words most hits are, and calling the dataclass was a good part of their cost.
    """

    text: str = ""
    maker: ExactHits | None = None
    by_key: dict[tuple[int, int, int], tuple[int, Hit]] = field(default_factory=dict)
    exact: dict[tuple[int, int, int], None] = field(default_factory=dict)

    def add_exact(self, keys: list[tuple[int, int, int]]) -> None:
        """Hits written exactly, as (term index, start, end)."""
        self.exact.update(dict.fromkeys(keys))

    def add(self, idx: int, hit: Hit) -> None:
        key = (idx, hit.start, hit.end)
        rank = -1 if hit.variant == "exact" else _RANK.get(hit.variant, len(PRIORITY))
        # prefer exact, then the least remarkable technique
        score = -rank if hit.variant != "exact" else 1 << 20
        prev = self.by_key.get(key)
        if prev is None or score > prev[0]:
            self.by_key[key] = (score, hit)

    def hits(self) -> list[Hit]:
        """Every hit, by position, then term (then the term's place in the lexicon)."""
        if not self.by_key and not self.exact:
            return []
        if not self.by_key:  # all written exactly (most texts): sorted by key, then made in one call
            assert self.maker is not None, "a Found that holds exact hits needs their maker"
            return self.maker.make(sorted(self.exact, key=self.maker.order), self.text)
        got = {k: h for k, (_, h) in self.by_key.items()}
        todo = [k for k in self.exact if k not in got or got[k].variant != "exact"]
        if todo:
            assert self.maker is not None, "a Found that holds exact hits needs their maker"
            got.update(zip(todo, self.maker.make(todo, self.text), strict=True))
        return [h for _, h in sorted(got.items(), key=lambda kh: (kh[1].start, kh[1].end, kh[1].term, kh[0][0]))]


class ScanContext:
    """The state shared by every candidate of one text."""

    __slots__ = ("_word_view", "compiled", "maps", "tables", "text")

    def __init__(self, text: str, maps: TextViews, compiled: Compiled, tables: Tables):
        self.text = text
        self.maps = maps
        self.compiled = compiled
        self.tables = tables
        self._word_view = maps.view

    # ------------------------------------------------------------------ helpers
    def _is_word_at(self, i: int, step: int) -> bool:
        """Is the first character from ``i`` on in direction ``step`` that matching does not
        remove a letter or digit of a spaced script? (A zero-width space is no boundary.)"""
        text, cls = self.text, self.tables.cls_bytes
        for _ in range(COMBINING_REACH):
            if i < 0 or i >= len(text):
                return False
            w = int(self.tables.literal[ord(text[i])])
            if w or not cls[ord(text[i])]:
                return w != 0 and bool(self.tables.spaced[w])
            i += step
        return False

    def _view_word_at(self, i: int) -> bool:
        v = self._word_view
        if i < 0 or i >= len(v):
            return False
        return bool(self.tables.spaced[ord(v[i])])

    def _pair(self, o: str, u: str) -> frozenset[str] | None:
        """Techniques that turn term character ``u`` into text character ``o`` by folding."""
        if o == u:
            return frozenset()
        t = self.tables
        if t.fold_char(o) != t.fold_char(u):
            return None
        to, tu = t.techniques.get(ord(o), _NONE), t.techniques.get(ord(u), _NONE)
        if not tu:
            return to
        # the steps both characters take to their common fold are no change between them:
        # Cyrillic У and у both fold to the look-alike y, so У for у is case alone
        techs = to ^ tu
        if "homoglyph" in to and "homoglyph" in tu and letter_base(o) != letter_base(u):
            techs |= _HOMOGLYPH  # two scripts' look-alikes of one letter (Greek α for Cyrillic а)
        if "homoglyph" in techs and other_letter_same_script(o, u, t):
            return None
        return techs

    def _emit(self, idx: int, start: int, end: int, techs: set[str], found: Found) -> None:
        if not techs:
            found.exact[(idx, start, end)] = None  # made with the others at the end
            return
        ct = self.compiled.terms[idx]
        if not techs <= ct.term.variants:
            return
        term = ct.term
        found.add(idx, Hit(term=term.text, category=term.category, tier=term.tier, start=start, end=end,
                           matched=self.text[start:end], variant=variant_name(techs), lang=term.lang))

    def add_exact(self, idx: int, start: int, end: int, found: Found) -> None:
        self._emit(idx, start, end, set(), found)

    def case_hit(self, idx: int, start: int, end: int, found: Found) -> None:
        """A whole word written as its term with ASCII capitals (the extension's words screen)."""
        self._emit(idx, start, end, set(_CASE), found)

    def _removed_techs(self, ct: CompiledTerm, start: int, end: int, kept: int) -> set[str] | None:
        """Techniques named by the characters matching removed inside a span of ``kept``
        units, or None when the span lacks the term's own combining marks."""
        if end - start == kept and not ct.marks:
            return set()
        g = gap(self.text, start, end, self.tables)
        own = "".join(ct.marks)
        if not holds(g.marks, own):
            return None
        techs = set(g.techniques)
        if len(g.marks) > len(own):
            techs.add("noise")  # marks the term does not have: inserted
        return techs

    def _trailing_marks_end(self, ct: CompiledTerm, end: int) -> int | None:
        """The end of a match with the combining marks after its last letter, or None when
        they are not the term's own: they lack them (``สัด`` is not ``สด``), or add marks
        to a word of a spaced script, which is then another word (``پروندهٔ``)."""
        ext = marks_end(self.text, end, self.tables)
        if ext == end and not ct.marks:
            return end
        cls = self.tables.cls_bytes
        marks = "".join(c for c in self.text[end:ext] if cls[ord(c)] == COMBINING)
        own = ct.marks[-1] if ct.marks else ""
        if not holds(marks, own) or (ct.right_boundary and len(marks) > len(own)):
            return None
        return ext

    # ------------------------------------------------------------------ word view
    def word_candidate(self, s: int, e: int, pid: int, found: Found) -> None:
        if self._view_word_at(s - 1) or self._view_word_at(e):
            return  # not a whole word
        self.whole_word(s, e, pid, found)

    def whole_word(self, s: int, e: int, pid: int, found: Found) -> None:
        """``word_candidate`` of a match known to be a whole word of the view."""
        refs = self.compiled.word_refs[pid]
        wmap = self.maps.view_map()
        start, end = wmap[s], wmap[e - 1] + 1
        for ref in refs:
            idx, form = ref.term, ref.form
            if form == Form.WORD:
                self._word_term(idx, s, e, start, end, found)
            elif form in (Form.PY_FULL, Form.PY_SPACED, Form.INITIALS):
                self._pinyin(idx, form, s, e, start, end, found)
            elif form == Form.TRANSLIT or form == Form.TRANSLIT_SHORT:
                techs = self._translit_techs(idx, start, end)
                if "diacritics" in techs and "translit" in techs:
                    continue  # příklad is Czech, not приклад
                if "translit" in techs and self._translit_elsewhere(form, start, end):
                    continue  # los huesos del niño are bones, eben in a German sentence is German
                self._emit(idx, start, end, techs, found)
            elif form == Form.LAYOUT:
                self._layout(idx, start, end, found)

    def _layout(self, idx: int, start: int, end: int, found: Found) -> None:
        """A term typed with the other keyboard layout on (``normalize.keyboard``): the text
        holds exactly its keys, those of punctuation either side of the match included
        (``,kzlm``), and stands as a word of its own, not among the letters of a Latin-script
        language that keys of letters alone may spell a word of (French ``cerf``), nor among
        Latin words that are no Russian typed so (``keys_around``)."""
        low = self.compiled.terms[idx].units.lower()
        keys = latin_keys(low) or cyrillic_keys(low)
        a = start - (len(keys) - len(keys.lstrip(_PUNCTUATION_KEYS)))
        b = a + len(keys)
        text = self.text
        if a < 0 or b > len(text) or not reads_as_keys(text[a:b], keys):
            return
        if self._is_word_at(a - 1, -1) or self._is_word_at(b, 1):
            return
        if keys.isascii() and keys.isalpha() and letters_of_another_language(text, self.tables, a, b):
            return  # le cerf est là: French, not сука on the Latin keys
        if keys.isascii() and latin_sentence_around(text, self.tables, a, b):
            return  # I saw a cerf, Mr Cerf: a word of the sentence's language, not Russian so typed
        techs = {"layout", "case"} if not text[a:b].islower() and any(c.isalpha() for c in keys) else {"layout"}
        self._emit(idx, a, b, techs, found)

    def _translit_elsewhere(self, form: int, start: int, end: int) -> bool:
        """Is a Latin word that reads as a transliterated Russian term a word of another
        Latin-script language in this text? So it is among letters that language orders as
        its own (``letters_of_another_language``), and — when it is short, or holds nothing
        only a transliteration writes (``huesos``, ``patroni``) — in a sentence of that
        language: more words around it of neither English nor Russian in Latin letters (a
        word of the Russian dictionary, or a term's transliteration) than of them."""
        text, t = self.text, self.tables
        if letters_of_another_language(text, t, start, end):
            return True
        if cyrillic_near(text, start, end):
            return False  # among Russian words: a Russian word in Latin letters
        if form != Form.TRANSLIT_SHORT and telltale(text[start:end].lower()):
            return False
        return other_language_around(text, t, start, end, own=self._russian_in_latin)

    def _russian_in_latin(self, word: str) -> bool | None:
        """Is ``word`` (folded) Russian in Latin letters: a writing of one of the lexicon's
        Cyrillic terms, a word holding what only a transliteration writes (``takaya``), a
        dictionary word's of four letters or more, or a dictionary stem's followed by an
        inflection (``nedelju``: the dictionary holds no inflected forms)?
        A short one says nothing: three letters spell Russian and Spanish words alike (``los``)."""
        if telltale(word) or any(r.form in _TRANSLIT_FORMS for r in self.compiled.latin_words.get(word, ())):
            return True
        if word in russian_writings():
            return True if len(word) >= RUSSIAN_SURE else None
        return inflected_russian(word)  # nedelju, plavaniem: the dictionary's stems, inflected

    def _translit_techs(self, idx: int, start: int, end: int) -> set[str]:
        """A term written in Latin letters (``normalize.translit``): ``translit`` for a
        Cyrillic term, ``diacritics`` for a German one without umlauts, and whatever the
        text's own letters took (case, styled letters)."""
        units = self.compiled.terms[idx].units
        techs = {"translit" if CYRILLIC.search(units) else "diacritics"}
        for ch in self.text[start:end]:
            techs |= self.tables.techniques.get(ord(ch), _NONE)
        return techs

    def _word_term(self, idx: int, s: int, e: int, start: int, end: int, found: Found) -> None:
        ct = self.compiled.terms[idx]
        wmap = self.maps.view_map()
        techs = self._removed_techs(ct, start, end, e - s)
        ext = self._trailing_marks_end(ct, end) if techs is not None else None
        if techs is None or ext is None:
            return
        homoglyphs = letters = 0
        for k in range(e - s):
            o = self.text[wmap[s + k]]
            pair = self._pair(o, ct.units[k]) if k < len(ct.units) else None
            if pair is None:
                return
            if "homoglyph" in pair and ord(o) not in self.tables.styled:
                homoglyphs += 1  # a styled letter (𝐟, ⓕ) is still a letter of its own script
            if o.isalpha():
                letters += 1
            techs |= pair
        if homoglyphs and homoglyphs == letters and letters > 1 and self.tables.in_one_alphabet(self.text[start:ext]):
            return  # a whole word of one language of another script (сор): its own word, not a spoof
        if "diacritics" in techs and another_word_by_diacritics(self.text, self.tables, start, ext, ct.units,
                                                                ct.term.lang):
            return  # año is not ano, Stück in a German sentence not stuck
        self._emit(idx, start, ext, techs, found)

    def _pinyin(self, idx: int, form: int, s: int, e: int, start: int, end: int, found: Found) -> None:
        tokens = self._word_view[s:e].split()
        t = self.tables
        if self._english_context(start, end) and (
                all(tok in t.words_en for tok in tokens)
                or (len(tokens) == 1 and tokens[0] in t.pinyin_words)  # dama, tema: another language's word
                or (form != Form.INITIALS and written_as_name(self.text, t, start, end))
                or not_pinyin(self.text, t, start, end, form == Form.INITIALS)):
            return
        if form != Form.INITIALS:
            written = self.text[start:end]
            ct = self.compiled.terms[idx]
            if has_tones(written) and not tones_agree(written, ct.units, term_readings(ct, self.tables)):
                return  # tones written that say another word (shí jiān is 时间, not 实践)
        techs = {"initials" if form == Form.INITIALS else "pinyin"}
        self._emit(idx, start, end, techs, found)

    def pinyin_hit(self, idx: int, start: int, end: int, found: Found) -> None:
        """A term written in pinyin that a channel of its own found and checked (tone digits)."""
        self._emit(idx, start, end, {"pinyin"}, found)

    def _english_context(self, start: int, end: int) -> bool:
        near = self.text[max(0, start - ENGLISH_CONTEXT):start] + self.text[end:end + ENGLISH_CONTEXT]
        return _HAN.search(near) is None

    # ------------------------------------------------------------------ sound view
    def sound_candidate(self, s: int, e: int, pid: int, smap: PositionMap, found: Found, symbols: bool) -> None:
        for ref in self.compiled.sound_refs[pid]:
            self.sound_ref(ref, s, e, smap, found, symbols)

    def look_candidate(self, s: int, e: int, pid: int, dmap: PositionMap, found: Found, literal: str) -> None:
        """A look-alike form, found on the dense shape view; ``literal`` is the dense literal view.

        Screened first on the literal view (``look_may_hit``): most matches are ordinary
        words whose characters share shape classes with a term's.
        """
        terms = self.compiled.terms
        spans: list[tuple[int, int]] | None = None
        for ref in self.compiled.look_refs[pid]:
            if ref.form == Form.SPLIT:
                check_split(self, ref, s, e, dmap, literal, found)
                continue
            if not look_may_hit(literal, s, e, terms[ref.term].folded, dmap, self.tables):
                continue
            if spans is None:
                spans = [(dmap[i], dmap[i] + 1) for i in range(s, e)]
            self.check_units(ref, spans, found, symbols=False)

    def look_screened(self, ref: Ref, s: int, e: int, dmap: PositionMap, found: Found) -> None:
        """``look_candidate`` for one ref whose match passed ``look_may_hit`` already."""
        self.check_units(ref, [(dmap[i], dmap[i] + 1) for i in range(s, e)], found, symbols=False)

    def sound_ref(self, ref: Ref, s: int, e: int, smap: PositionMap, found: Found, symbols: bool) -> None:
        idx, form, pos = ref
        ct = self.compiled.terms[idx]
        # original span of each unit of the term
        spans: list[tuple[int, int]] = []
        p = s
        for _ in range(len(ct.units)):
            a = smap[p]
            spans.append((a, a + 1))
            p += 1
        if p == e:
            self.check_units(ref, spans, found, symbols)

    def check_units(self, ref: Ref, spans: list[tuple[int, int]], found: Found, symbols: bool = False,
                     pinyin: frozenset[int] = frozenset(), read: frozenset[int] = frozenset()) -> None:
        """Name the techniques of a match given the original span of each term unit.

        ``pinyin`` holds the units the text wrote in Latin letters (``pinyin_in_han``) or zhuyin,
        ``read`` those it wrote as a digit read as their syllable (a homophone). What lies
        between two units is a ``gaps.Gap``: removed characters never count towards it.
        """
        idx, form, pos = ref
        ct = self.compiled.terms[idx]
        units = ct.units
        text = self.text
        t = self.tables
        start, end = spans[0][0], spans[-1][1]
        if ct.marks or (end < len(text) and t.cls_bytes[ord(text[end])] >= MARK):
            ext = self._trailing_marks_end(ct, end)
            if ext is None:
                return
            end = ext
        left = ct.left_boundary or 0 in pinyin
        right = ct.right_boundary or len(units) - 1 in pinyin
        if (left and self._is_word_at(start - 1, -1)) or (right and self._is_word_at(end, 1)):
            return
        own = ct.marks
        if spans[-1][1] - start == len(spans) and not own:  # contiguous: no gap anywhere
            gaps, visible = _NO_GAPS, _NONE_VISIBLE
        else:
            gaps = [gap(text, spans[k - 1][1], spans[k][0], t) if spans[k][0] > spans[k - 1][1] else NO_GAP
                    for k in range(1, len(spans))]
            visible = [g.runs > 0 for g in gaps]
        techs: set[str] = set()
        changed: list[int] = []
        deliberate = False  # noise no ordinary sentence holds: ★, ^, zero-width, emoji…
        for k in range(len(units)):
            a, _b = spans[k]
            if k and gaps:
                g = gaps[k - 1]
                own_k = own[k - 1] if own else ""
                if own_k and not holds(g.marks, own_k):
                    return  # the term's own marks are missing: another word
                if g.runs:
                    if not g.natural:
                        deliberate = True
                    if g.runs > (MAX_WORD_GAP if k in ct.word_breaks else MAX_GAP):
                        return
                    if form == Form.GLUED and k not in ct.word_breaks and not all(visible):
                        return  # noise inside a word of a multi-word term
                    if not (form == Form.GLUED and k in ct.word_breaks):
                        techs.add("noise")
                if g.techniques or len(g.marks) > len(own_k):
                    deliberate = True  # invisible characters or stray marks: never a gap, always written in
                    techs |= g.techniques or {"noise"}
            if k in pinyin:
                techs.add("pinyin")
                continue
            if k in read:  # a digit read as the unit's syllable: a homophone (5 for 武)
                techs.add("homophone")
                changed.append(k)
                continue
            o = text[a]
            u = units[k]
            pair = self._pair(o, u)
            if pair is not None:
                techs |= pair
            elif form == Form.SPLIT:
                techs.add("lookalike")  # the split character (``splits.check_split`` read its halves)
            elif form == Form.LOOK:
                if not is_lookalike(t.fold_char(u), t.fold_char(o)):
                    return  # a class-mate of a look-alike, not a look-alike itself
                techs.add("lookalike")
                changed.append(k)
            elif symbols and ord(o) in t.symbol_readings:
                techs.add("homophone")  # a symbol read as a syllable: never ordinary text
                deliberate = True
                if ord(o) in plain_symbols():
                    changed.append(k)  # a bullet or shape read for its name (● 圆) is still a change: ●京 is not 圆径
            elif is_han(o) or is_han(t.fold_char(o)):
                techs.add("homophone")
                changed.append(k)
            else:
                return
        n_gaps = sum(visible) if gaps else 0
        if n_gaps and crosses_sentence_end(text, t, spans):
            return  # two sentences, each with one end of the match
        if n_gaps >= 2 and n_gaps == len(spans) - 1:
            deliberate = True  # punctuation between every character: 公-胶-插-询
        if n_gaps and not deliberate and form != Form.GLUED:
            # Only sentence punctuation inside: a homophone across it is two words that
            # happen to sound alike, and exact characters across it must not each belong
            # to a word with their outer neighbour (功名万里外，心事 is not 外心).
            if changed or edges_in_words(text, t, spans):
                return
        homophones = changed if form != Form.LOOK else []
        if form == Form.LOOK and len(changed) > 1:
            return  # one look-alike per term: two make another phrase that merely resembles it
        if changed and not plausible_change(text, t, ct.folded, spans, changed, homophones, deliberate):
            return
        self._emit(idx, start, end, techs, found)

    # ------------------------------------------------------------------ Latin suspects
    def latin_suspect(self, s: int, e: int, techniques: frozenset[str], ref: Ref, found: Found) -> None:
        idx, form = ref.term, ref.form
        if form == Form.RAW or form == Form.SOUND:
            return
        wmap = self.maps.view_map()
        start, end = wmap[s], wmap[e - 1] + 1
        techs = set(techniques)
        if form == Form.PY_FULL:
            techs = {"pinyin"} | (techs - {"repeat"})
        elif form == Form.TRANSLIT or form == Form.TRANSLIT_SHORT:
            techs.add("translit" if CYRILLIC.search(self.compiled.terms[idx].units) else "diacritics")
            if "translit" in techs and any(self.tables.cls_bytes[ord(c)] == MARK or "diacritics" in
                                           self.tables.techniques.get(ord(c), _NONE) for c in self.text[start:end]):
                return  # a word with diacritics is no transliteration
            if "translit" in techs and self._translit_elsewhere(form, start, end):
                return
        own = self.compiled.terms[idx].units.lower()
        for ch in self.text[start:end]:
            got = self.tables.techniques.get(ord(ch))
            if got:
                if ch.lower() in own:
                    got = got & _CASE  # the term's own letter (я, أ), folded as the term's is
                techs |= got
        self._emit(idx, start, end, techs, found)
