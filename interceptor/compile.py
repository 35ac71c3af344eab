"""Compile lexicon terms into automaton patterns over the views of ``normalize``.

Each term becomes one or more patterns, each tagged with a *form* that says how a match of
that pattern relates to the term, so that the engine can name the technique and apply the
term's variant policy:

* ``WORD`` — a term of a space-separated script (Latin, Cyrillic, Greek…), one word,
  matched on the view and accepted only as a whole word.
* ``PY_FULL`` / ``PY_SPACED`` / ``INITIALS`` — a Han term written in pinyin, on the view
  (``weixin``, ``wei xin``, ``wx``).
* ``SOUND`` — a Han (or other unspaced-script) term on the dense view, by the common
  reading of each character and by the term's own phrase-aware reading (``银行`` reads
  *hang*): exact, traditional and noisy writings and homophones all meet here.
* ``LOOK`` — the term with one character replaced by a look-alike character, matched on
  the dense literal view: the characters themselves, not their sounds, so a look-alike's
  homophones do not flood the dense view with candidates.
* ``MARK`` — not a term: ``aaa`` … ``zzz`` mark a letter written three times, and a letter
  next to a digit or ``@ $ ! |`` (``a4``, ``$h``) marks leetspeak, for the Latin channels
  (``latin``): the view's automaton finds them as it scans, at no extra cost.
* ``MIXED`` — the sound form with one character written in pinyin (``微xin``).
* ``GLUED`` — a multi-word term of a spaced script, its words glued on the dense view so
  that any run of noise may separate them.
* ``RAW`` — a term with no letters or digits at all (an emoji), matched on the raw text.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from interceptor.lexicon.model import Lexicon, Term
from interceptor.normalize.lookalike import lookalikes
from interceptor.normalize.tables import LEET_SYMBOLS, LIMIT, SYMBOL_MARK, WORD, Tables, is_han

DENSE_DROPPED = frozenset(" " + LEET_SYMBOLS + SYMBOL_MARK)

WORD_FORM, PY_FULL, PY_SPACED, INITIALS, SOUND, LOOK, MIXED, GLUED, RAW, MARK = range(10)
FORM_NAMES = ("word", "pinyin_full", "pinyin_spaced", "initials", "sound", "lookalike", "mixed", "glued", "raw",
              "mark")

Ref = tuple[int, int, int, str]
"""(term index, form, position of the changed unit or -1, extra: look-alike char or syllable)."""


@dataclass(frozen=True, slots=True)
class CompiledTerm:
    term: Term
    units: str  # the term's letters and digits (and leet symbols), as written
    folded: str  # the units folded (case, width, traditional…)
    left_boundary: bool  # the first unit is a letter of a spaced script: needs a word boundary
    right_boundary: bool
    word_breaks: frozenset[int]  # unit indices the term starts a new word at (multi-word terms)
    syllables: tuple[str, ...] = ()  # the phrase-aware reading of each unit ('' for non-Han)


@dataclass
class _PatternSet:
    patterns: list[str] = field(default_factory=list)
    refs: list[list[Ref]] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)

    def add(self, pattern: str, ref: Ref) -> None:
        if not pattern:
            return
        i = self.index.get(pattern)
        if i is None:
            self.index[pattern] = len(self.patterns)
            self.patterns.append(pattern)
            self.refs.append([ref])
        elif ref not in self.refs[i]:
            self.refs[i].append(ref)


@dataclass(frozen=True)
class Compiled:
    """Patterns and their meaning for one lexicon; immutable once built."""

    terms: tuple[CompiledTerm, ...]
    word_patterns: tuple[str, ...]
    word_refs: tuple[tuple[Ref, ...], ...]
    sound_patterns: tuple[str, ...]
    sound_refs: tuple[tuple[Ref, ...], ...]
    raw_patterns: tuple[str, ...]
    raw_refs: tuple[tuple[Ref, ...], ...]
    look_patterns: tuple[str, ...]
    look_refs: tuple[tuple[Ref, ...], ...]
    latin_words: dict[str, tuple[Ref, ...]]  # word-view form of whole Latin words -> refs
    latin_collapsed: dict[str, tuple[Ref, ...]]  # the same with repeated letters collapsed
    allow_patterns: tuple[str, ...]  # dense-view forms of the allowed phrases
    allow_units: tuple[str, ...]  # their folded characters, to confirm an occurrence literally
    latin_max_words: int = 1  # most words in a multi-word term of a spaced script


def collapse_repeats(s: str) -> str:
    """``luttrellllll`` -> ``lutrel``: every run of one letter becomes one letter."""
    out = []
    prev = ""
    for c in s:
        if c != prev:
            out.append(c)
        prev = c
    return "".join(out)


def _units(term: str, t: Tables) -> tuple[str, frozenset[int]]:
    """The term's content characters and where its words start (after the first)."""
    units: list[str] = []
    breaks: set[int] = set()
    pending_break = False
    for ch in term:
        cp = ord(ch)
        cls = t.cls[cp] if cp < LIMIT else t.char_class(cp)
        if cls == WORD or ch in "@$!|":
            if pending_break and units:
                breaks.add(len(units))
            pending_break = False
            units.append(ch)
        elif cls != 2 and cls != 3:  # noise (not ignorable, not a diacritic) separates words
            pending_break = True
    return "".join(units), frozenset(breaks)


def _phrase_syllables(units: str, t: Tables) -> tuple[str, ...]:
    """Phrase-aware toneless reading of each Han unit ('' for other units)."""
    from pypinyin import Style, lazy_pinyin

    out = [""] * len(units)
    i = 0
    while i < len(units):
        if not is_han(units[i]):
            i += 1
            continue
        j = i
        while j < len(units) and is_han(units[j]):
            j += 1
        run = units[i:j]
        syl = lazy_pinyin(run, style=Style.NORMAL, v_to_u=False, neutral_tone_with_five=False)
        if len(syl) == j - i:
            for k, s in enumerate(syl):
                s = s.lower().replace("ü", "v")
                out[i + k] = s if s in t.syllable_code else ""
        i = j
    for k, u in enumerate(units):  # fall back to the table's common reading
        if is_han(u) and not out[k]:
            r = t.readings.get(ord(u)) or t.readings.get(ord(t.fold_char(u)))
            out[k] = r[0] if r else ""
    return tuple(out)


def _sound_char(ch: str, t: Tables) -> str:
    """What the dense view holds for ``ch``: a syllable code, a folded letter, or nothing."""
    cp = ord(ch)
    if cp < LIMIT:
        v = t.view_table[cp]
        return "" if v is None or chr(v) in DENSE_DROPPED else chr(v)
    return ch


def compile_lexicon(lexicon: Lexicon, tables: Tables) -> Compiled:
    words, sounds, raws, looks = _PatternSet(), _PatternSet(), _PatternSet(), _PatternSet()
    latin_words: dict[str, list[Ref]] = {}
    latin_collapsed: dict[str, list[Ref]] = {}
    compiled: list[CompiledTerm] = []
    for letter in "abcdefghijklmnopqrstuvwxyz":
        words.add(letter * 3, (-1, MARK, -1, "repeat"))
        for leet in "0123456789" + LEET_SYMBOLS:
            words.add(letter + leet, (-1, MARK, 1, "leet"))
            words.add(leet + letter, (-1, MARK, 0, "leet"))
    for idx, term in enumerate(lexicon.terms):
        ct = _compile_term(idx, term, tables, words, sounds, raws, looks, latin_words, latin_collapsed)
        compiled.append(ct)
    allow: dict[str, str] = {}
    for phrase in lexicon.allow:
        units, _ = _units(phrase, tables)
        form = "".join(_sound_char(c, tables) for c in units)
        if form:
            allow.setdefault(form, "".join(tables.fold_char(c) for c in units if _sound_char(c, tables)))
    return Compiled(
        terms=tuple(compiled),
        word_patterns=tuple(words.patterns), word_refs=tuple(tuple(r) for r in words.refs),
        sound_patterns=tuple(sounds.patterns), sound_refs=tuple(tuple(r) for r in sounds.refs),
        raw_patterns=tuple(raws.patterns), raw_refs=tuple(tuple(r) for r in raws.refs),
        look_patterns=tuple(looks.patterns), look_refs=tuple(tuple(r) for r in looks.refs),
        latin_words={k: tuple(v) for k, v in latin_words.items()},
        latin_collapsed={k: tuple(v) for k, v in latin_collapsed.items()},
        allow_patterns=tuple(allow), allow_units=tuple(allow.values()),
        latin_max_words=max((len(c.word_breaks) + 1 for c in compiled
                             if c.units and all(tables.is_word_char(u) or u in "@$!|" for u in c.units)), default=1),
    )


def _compile_term(idx: int, term: Term, t: Tables, words: _PatternSet, sounds: _PatternSet,
                  raws: _PatternSet, looks: _PatternSet, latin_words: dict[str, list[Ref]],
                  latin_collapsed: dict[str, list[Ref]]) -> CompiledTerm:
    units, breaks = _units(term.text, t)
    folded = "".join(t.fold_char(c) for c in units)
    if not units:
        raws.add(term.text, (idx, RAW, -1, ""))
        return CompiledTerm(term, units, folded, False, False, breaks)
    spaced = [t.is_word_char(c) or c in "@$!|" for c in units]
    ct = CompiledTerm(term, units, folded, spaced[0], spaced[-1], breaks)
    has_han = any(is_han(c) for c in units)
    if all(spaced):
        ref: Ref = (idx, WORD_FORM if not breaks else GLUED, -1, "")
        _index(latin_words, folded, ref)
        _index(latin_collapsed, collapse_repeats(folded), ref)
        if not breaks:
            words.add(folded, ref)
        else:
            sounds.add("".join(_sound_char(c, t) for c in units), ref)
        return ct
    if not has_han:
        sounds.add("".join(_sound_char(c, t) for c in units), (idx, GLUED, -1, ""))
        return ct
    syllables = _phrase_syllables(units, t)
    ct = CompiledTerm(term, units, folded, spaced[0], spaced[-1], breaks, syllables)
    common = [_sound_char(c, t) for c in units]
    phrase = [t.syllable_code[s] if s else common[k] for k, s in enumerate(syllables)]
    for form in _distinct(["".join(common), "".join(phrase)]):
        sounds.add(form, (idx, SOUND, -1, ""))
    han_positions = [k for k, c in enumerate(units) if is_han(c)]
    if len(units) < 2:
        return ct
    word_form = [t.fold_char(c) for c in units]
    for k in han_positions:
        for alt in lookalikes(word_form[k]):
            code = _sound_char(alt, t)
            if code and code != common[k] and code != phrase[k]:  # else the sound form finds it
                looks.add("".join([*word_form[:k], alt, *word_form[k + 1:]]), (idx, LOOK, k, alt))
        syl = syllables[k]
        if syl:
            for other in _distinct([phrase, common]):
                sounds.add("".join(other[:k]) + syl + "".join(other[k + 1:]), (idx, MIXED, k, syl))
    if len(han_positions) == len(units) and all(syllables):
        for readings in _distinct([syllables, tuple(_common_syllables(units, t))]):
            if not all(readings):
                continue
            full = "".join(readings)
            words.add(full, (idx, PY_FULL, -1, ""))
            words.add(" ".join(readings), (idx, PY_SPACED, -1, ""))
            _index(latin_words, full, (idx, PY_FULL, -1, ""))
            if len(units) >= 3 and "initials" in term.variants:
                words.add("".join(s[0] for s in readings), (idx, INITIALS, -1, ""))
    return ct


def _common_syllables(units: str, t: Tables) -> Iterable[str]:
    for c in units:
        r = t.readings.get(ord(c)) or t.readings.get(ord(t.fold_char(c)))
        yield r[0] if r else ""


def _distinct(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


def _index(d: dict[str, list[Ref]], key: str, ref: Ref) -> None:
    if key:
        d.setdefault(key, []).append(ref)
