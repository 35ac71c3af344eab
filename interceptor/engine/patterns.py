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
* ``LOOK`` — the term with each character written as its shape class (``lookalike``),
  matched on the dense shape view: one pattern finds every look-alike writing, and since
  it holds characters, not sounds, a look-alike's homophones do not flood it.
* ``GLUED`` — a multi-word term of a spaced script, its words glued on the dense view so
  that any run of noise may separate them.
* ``RAW`` — a term with no letters or digits at all (an emoji), matched on the raw text.
* ``TRANSLIT`` / ``LAYOUT`` — a one-word term in another script's letters: a Cyrillic term
  transliterated (``blyat``), or typed with the other keyboard layout on (``cerf``, ``агсл``),
  as whole words of the view.
"""
from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field, replace
from enum import IntEnum
from itertools import combinations
from typing import Any, NamedTuple

import numpy as np

from interceptor.engine.respelling import LatinLimits, collapse_repeats
from interceptor.engine.splits import splits as split_table
from interceptor.lexicon.model import Lexicon, Term, by_position
from interceptor.normalize.keyboard import MIN_LETTER_KEYS, PUNCTUATION_KEYS, cyrillic_keys, latin_keys
from interceptor.normalize.lookalike import extra_classes, shape_classes
from interceptor.normalize.tables import COMBINING, DENSE_DROPPED, IGNORE, LEET_SYMBOLS, WORD, Tables, is_han
from interceptor.normalize.translit import CYRILLIC_LATIN, cyrillic_spellings, german_spellings


class Form(IntEnum):
    """How a match of a pattern relates to its term (the list above); stored in 8 bits."""

    WORD = 0
    PY_FULL = 1
    PY_SPACED = 2
    INITIALS = 3
    SOUND = 4
    LOOK = 5
    MIXED = 6
    GLUED = 7
    RAW = 8
    SPLIT = 9  # one character written as its two halves (``splits``), on the shape view
    TRANSLIT = 10  # a Cyrillic term in Latin letters, a German one without umlauts (``normalize.translit``)
    TRANSLIT_SHORT = 11  # a short one (govno), taken only in a text of no other Latin-script language
    LAYOUT = 12  # typed with the other keyboard layout on (``normalize.keyboard``: cerf for сука)


_FORMS = tuple(Form)

LOOKALIKE_CLASSES = 3  # other classes of a character's look-alikes that get a pattern each
SPLIT_SETS = 4
"""Most splittable characters of a term whose every set of two or more split gets a pattern
(at most 11 a term); a term with more gets the one with all of them split."""
WHOLE = -1
"""``Ref.unit`` of a pattern that changes no one unit of its term."""


class Ref(NamedTuple):
    """What one pattern means: a term, the form it takes, and which unit it changes.

    Stored packed in one integer (``_code``): ``(term + 1) << 16 | form << 8 | (unit + 1)``.
    """

    term: int  # index into Compiled.terms
    form: Form
    unit: int  # the unit a look-alike pattern changes, or WHOLE


def _split_sets(can: list[int]) -> list[frozenset[int]]:
    """The sets of units split together in one pattern: every set of two or more of ``can``
    (the splittable units), or ``can`` alone when it holds more than ``SPLIT_SETS``."""
    if len(can) < 2:
        return []
    if len(can) > SPLIT_SETS:
        return [frozenset(can)]
    return [frozenset(c) for n in range(2, len(can) + 1) for c in combinations(can, n)]


def _code(term: int, form: Form, unit: int = WHOLE) -> int:
    """The packed ``Ref(term, form, unit)``, made without the ref (the compiler makes
    hundreds of thousands)."""
    return ((term + 1) << 16) | (form << 8) | (unit + 1)


_new = tuple.__new__


def _unpack(v: int) -> Ref:
    return _new(Ref, ((v >> 16) - 1, _FORMS[(v >> 8) & 0xFF], (v & 0xFF) - 1))


Packed = int | tuple[int, ...]
"""One packed ref, or a tuple of them when several refs share a key."""


def _merge(have: Packed | None, packed: int) -> Packed:
    """``have`` with ``packed`` added, once."""
    if have is None:
        return packed
    if isinstance(have, int):
        return have if have == packed else (have, packed)
    return have if packed in have else (*have, packed)


def _unpack_all(v: Packed) -> tuple[Ref, ...]:
    return (_unpack(v),) if isinstance(v, int) else tuple(_unpack(x) for x in v)


class RefTable:
    """What each pattern of an automaton means: one or more refs per pattern id.

    Stored packed (one machine integer per pattern in an ``array``), because a large lexicon
    has a million patterns and a tuple per pattern would cost more than the automaton.
    """

    __slots__ = ("_packed", "_multi")

    def __init__(self, refs: list[Packed]):
        self._packed = array("q")
        self._multi: list[tuple[int, ...]] = []
        for r in refs:
            if isinstance(r, int):
                self._packed.append(r)
            else:
                self._packed.append(-1 - len(self._multi))
                self._multi.append(r)

    def __len__(self) -> int:
        return len(self._packed)

    def __getitem__(self, pid: int) -> tuple[Ref, ...]:
        v = self._packed[pid]
        return _unpack_all(v if v >= 0 else self._multi[-1 - v])

    def single(self) -> tuple[Any, Any]:
        """Per pattern id, as NumPy arrays: the term of a pattern of one ref (-1 for a
        pattern several refs share) and its form — for the screens (``screens``)."""
        packed = np.frombuffer(self._packed, dtype=np.int64) if len(self._packed) else np.zeros(0, np.int64)
        one = packed >= 0
        return np.where(one, (packed >> 16) - 1, -1), np.where(one, (packed >> 8) & 0xFF, -1)


class LatinIndex:
    """Whole Latin words (and glued multi-word terms) -> refs, stored packed.

    Filled in place while compiling (``add``): one int per word, a tuple only for a word
    several terms share, so that a large lexicon never holds a list and a tuple per word,
    not even while it is being built.
    """

    __slots__ = ("_d", "longest")

    def __init__(self) -> None:
        self._d: dict[str, Packed] = {}
        self.longest = 0  # the longest key

    def add(self, key: str, code: int) -> None:
        """Add the ref packed as ``code`` (``_code``) to ``key``'s."""
        if key:
            self._d[key] = _merge(self._d.get(key), code)
            self.longest = max(self.longest, len(key))

    def __len__(self) -> int:
        return len(self._d)

    def __contains__(self, key: str) -> bool:
        return key in self._d

    def get(self, key: str, default: tuple[Ref, ...] = ()) -> tuple[Ref, ...]:
        v = self._d.get(key)
        return default if v is None else _unpack_all(v)


@dataclass(frozen=True, slots=True)
class CompiledTerm:
    __reduce__ = by_position  # read back from the cache in one constructor call each

    term: Term
    units: str  # the term's letters and digits (and leet symbols), as written
    folded: str  # the units folded (case, width, traditional…)
    left_boundary: bool  # the first unit is a letter of a spaced script: needs a word boundary
    right_boundary: bool
    word_breaks: frozenset[int]  # unit indices the term starts a new word at (multi-word terms)
    syllables: tuple[str, ...] = ()  # the phrase-aware reading of each unit ('' for non-Han)
    marks: tuple[str, ...] = ()  # the combining marks after each unit, () when it has none


@dataclass
class _PatternSet:
    """Patterns being collected, deduplicated, each with the refs that share it."""

    patterns: list[str] = field(default_factory=list)
    refs: list[Packed] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)

    def add(self, pattern: str, packed: int) -> None:
        """Add the ref packed as ``packed`` (``_code``) to ``pattern``'s."""
        if not pattern:
            return
        n = len(self.patterns)
        i = self.index.setdefault(pattern, n)
        if i == n:
            self.patterns.append(pattern)
            self.refs.append(packed)
        else:
            self.refs[i] = _merge(self.refs[i], packed)


@dataclass
class Patterns:
    """The pattern strings of each automaton: needed to build the automatons, then dropped."""

    word: list[str]
    sound: list[str]
    look: list[str]
    raw: list[str]
    allow: list[str]


NO_LATIN = LatinLimits(0, 1, frozenset())


@dataclass(frozen=True)
class Compiled:
    """What the patterns of one lexicon mean; immutable once built."""

    terms: tuple[CompiledTerm, ...]
    word_refs: RefTable
    sound_refs: RefTable
    look_refs: RefTable
    raw_refs: RefTable
    latin_words: LatinIndex  # view form of whole Latin words -> refs
    latin_collapsed: LatinIndex  # the same with repeated letters collapsed
    allow_units: tuple[str, ...]  # allowed phrases' folded characters, to confirm them literally
    latin: LatinLimits = NO_LATIN  # bounds of the Latin respellings' work

    @property
    def latin_max_words(self) -> int:
        return self.latin.max_words


_NO_BREAKS: frozenset[int] = frozenset()


def term_units(term: str, t: Tables) -> tuple[str, frozenset[int]]:
    """The term's content characters and where its words start (after the first): what the
    automatons match of it (lexicon tools count and compare terms by these)."""
    units: list[str] = []
    breaks: set[int] = set()
    pending_break = False
    cls = t.cls_bytes
    for ch in term:
        k = cls[ord(ch)]
        if k == WORD or ch in "@$!|":
            if pending_break and units:
                breaks.add(len(units))
            pending_break = False
            units.append(ch)
        elif k < IGNORE:  # noise separates words; what is removed (IGNORE and above) never does
            pending_break = True
    return "".join(units), frozenset(breaks) if breaks else _NO_BREAKS


def _marks(term: str, t: Tables) -> tuple[str, ...]:
    """The combining marks (``CharClass.COMBINING``) after each unit of the term, or () if
    it has none: a match must hold them (``gaps``)."""
    cls = t.cls_bytes
    if all(cls[ord(ch)] != COMBINING for ch in term):
        return ()
    marks: list[str] = []
    for ch in term:
        k = cls[ord(ch)]
        if k == WORD or ch in "@$!|":
            marks.append("")
        elif k == COMBINING and marks:
            marks[-1] += ch
    return tuple(marks)


def _phrase_syllables(units: str, t: Tables, chars: _Chars | None = None) -> tuple[str, ...]:
    """Phrase-aware toneless reading of each Han unit ('' for other units).

    A character with one reading reads as the table says. Where a character has several,
    the term is segmented against the phrases of pypinyin's dictionary that read otherwise
    (``tables/phrases.tsv``), longest phrase first, as pypinyin itself does: 银行 reads
    *hang*, 行人 keeps *xing*.
    """
    chars = chars or _Chars(t)
    reading = chars.reading
    out = [reading[u] for u in units]
    if not units.translate(chars.multi):  # no character of several readings
        return tuple(out)
    phrases = t.phrases
    i = 0
    while i < len(units):
        for j in range(min(len(units), i + 8), i + 1, -1):
            readings = phrases.get(units[i:j])
            if readings is not None:
                for k, syl in enumerate(readings):
                    if syl in t.syllable_code:
                        out[i + k] = syl
                i = j
                break
        else:
            i += 1
    return tuple(out)


_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U000323af]")  # tables.is_han, in one search
_ALL_HAN = re.compile(f"{_HAN.pattern}+")


class _CharMap(dict[int, str]):
    """A ``str.translate`` table that computes each character's value on first use: the
    compiler asks the same few thousand characters of 100,000 terms, and a translation is one
    C call per term where a Python call per character is not."""

    def __init__(self, value: Any):
        super().__init__()
        self._value = value

    def __missing__(self, cp: int) -> str:
        v: str = self._value(chr(cp))
        self[cp] = v
        return v


class _Chars:
    """The per-character facts the compiler asks of every term, each computed once a compile."""

    __slots__ = ("combining", "multi", "other", "reading", "sound", "spaced", "view", "words_en")

    def __init__(self, t: Tables):
        # "1" for a character that is no unit of a term (``term_units``), nothing for a unit:
        # a term that translates to "" is all units, with no word breaks
        self.other = _CharMap(lambda c: "" if t.cls_bytes[ord(c)] == WORD or c in LEET_SYMBOLS else "1")
        # a Han character's common reading, its folded form's if it has none ('' for others)
        self.reading = _Memo(lambda c: _common_reading(c, t) if is_han(c) else "")
        # "1" for a character of several readings, nothing otherwise
        self.multi = _CharMap(lambda c: "1" if len(t.readings.get(ord(c), ())) > 1 else "")
        self.sound = _CharMap(lambda c: _sound_char(c, t))  # what the dense view holds
        self.view = _CharMap(t.view_char)  # what the view holds
        # "1" for a letter or digit of a spaced script (or a leet symbol), "0" otherwise
        self.spaced = _CharMap(lambda c: "1" if t.is_word_char(c) or c in LEET_SYMBOLS else "0")
        self.words_en = t.words_en
        # "1" for a combining mark (a term's own marks), nothing otherwise
        self.combining = _CharMap(lambda c: "1" if t.cls_bytes[ord(c)] == COMBINING else "")


class _Memo(dict[str, Any]):
    """A character's value, computed on first use (as ``_CharMap``, for lookups one by one)."""

    def __init__(self, value: Any):
        super().__init__()
        self._value = value

    def __missing__(self, c: str) -> Any:
        v = self._value(c)
        self[c] = v
        return v


def _common_reading(c: str, t: Tables) -> str:
    r = t.readings.get(ord(c)) or t.readings.get(ord(t.fold_char(c)))
    return r[0] if r else ""


def _sound_char(ch: str, t: Tables) -> str:
    """What the dense view holds for ``ch``: a syllable code, a folded letter, or nothing."""
    v = t.view_char(ch)
    return "" if v in DENSE_DROPPED else v


def compile_lexicon(lexicon: Lexicon, tables: Tables, looks: bool = True) -> tuple[Compiled, Patterns]:
    """Compile every term; return what the patterns mean and the patterns themselves.

    With ``looks=False`` the look-alike patterns are left out (``look_refs`` empty) for
    ``compile_looks`` to make later: the engine builds its automatons one at a time, and a
    large lexicon's look-alike patterns need not exist while the other automatons are built.
    """
    words, sounds, raws = _PatternSet(), _PatternSet(), _PatternSet()
    latin_words, latin_collapsed = LatinIndex(), LatinIndex()
    compiled: list[CompiledTerm] = []
    chars = _Chars(tables)
    for idx, term in enumerate(lexicon.terms):
        ct = _compile_term(idx, term, tables, chars, words, sounds, raws, latin_words, latin_collapsed)
        compiled.append(ct)
    allow: dict[str, str] = {}
    for phrase in lexicon.allow:
        units, _ = term_units(phrase, tables)
        form = "".join(_sound_char(c, tables) for c in units)
        if form:
            allow.setdefault(form, "".join(tables.fold_char(c) for c in units if _sound_char(c, tables)))
    result = Compiled(
        terms=tuple(compiled),
        word_refs=RefTable(words.refs), sound_refs=RefTable(sounds.refs),
        look_refs=RefTable([]), raw_refs=RefTable(raws.refs),
        latin_words=latin_words, latin_collapsed=latin_collapsed,
        allow_units=tuple(allow.values()),
        latin=_latin_limits(compiled, chars, max(latin_words.longest, latin_collapsed.longest)),
    )
    patterns = Patterns(words.patterns, sounds.patterns, [], raws.patterns, list(allow))
    if looks:
        look_refs, patterns.look = compile_looks(result, tables)
        result = replace(result, look_refs=look_refs)
    return result, patterns


def _latin_limits(compiled: list[CompiledTerm], chars: _Chars, longest: int) -> LatinLimits:
    """The pieces of the multi-word Latin terms, and how many words the longest has."""
    max_words = 1
    parts: set[str] = set()
    for c in compiled:
        if not c.units or "0" in c.units.translate(chars.spaced):
            continue
        if c.word_breaks:
            cuts = [0, *sorted(c.word_breaks), len(c.folded)]
            words = [c.folded[cuts[k]:cuts[k + 1]] for k in range(len(cuts) - 1)]
            max_words = max(max_words, len(words))
            for i in range(len(words)):
                for j in range(i + 1, len(words) + 1):
                    piece = "".join(words[i:j])
                    parts.add(piece)
                    parts.add(collapse_repeats(piece))
    return LatinLimits(longest, max_words, frozenset(parts))


def compile_looks(compiled: Compiled, t: Tables) -> tuple[RefTable, list[str]]:
    """The look-alike patterns of every term that allows them, and what each one means.

    A term's characters are written as their shape classes (``lookalike``): one pattern
    finds every look-alike writing within the classes. A character's look-alikes that fell
    into other classes get one pattern each, with that character alone changed, for terms
    of three characters or more (on two, one changed character makes too many ordinary
    words).
    """
    looks = _PatternSet()
    classes = shape_classes()
    halves = split_table()
    to_shape = {ord(c): r for c, r in classes.items()}  # a character -> its class, for str.translate
    classless = dict.fromkeys(map(ord, classes))  # what is left of a term without the characters that have a class
    split_shapes = _Memo(lambda c: "".join(classes.get(p, p) for p in halves[c]))  # its halves' shapes
    extra = _Memo(lambda c: extra_classes(c, limit=LOOKALIKE_CLASSES))
    for idx, ct in enumerate(compiled.terms):
        units = ct.units
        if not ct.syllables or len(units) < 2 or "lookalike" not in ct.term.variants:
            continue  # only Han terms (they alone have syllables) take look-alikes
        folded = ct.folded  # fold_char of each unit
        shape = folded.translate(to_shape)
        if len(folded.translate(classless)) < len(folded):
            looks.add(shape, _code(idx, Form.LOOK))
        for k, f in enumerate(folded):
            u = units[k]
            for c in ((f,) if f == u else {f, u}):  # 头 and 頭 split differently (豆頁)
                if c in halves:
                    looks.add(shape[:k] + split_shapes[c] + shape[k + 1:], _code(idx, Form.SPLIT, k))
        # several characters split (弓虽女干, 禾日氵巷淫穴): unit WHOLE, the split ones read from the
        # text by the check; every set of two or more of them, up to SPLIT_SETS characters
        can = [k for k, f in enumerate(folded) if f in halves]
        for chosen in _split_sets(can):
            looks.add("".join(split_shapes[f] if k in chosen else shape[k] for k, f in enumerate(folded)),
                      _code(idx, Form.SPLIT))
        if len(units) < 3:
            continue
        for k, c in enumerate(units):
            if is_han(c):
                for rep in extra[folded[k]]:
                    looks.add(shape[:k] + rep + shape[k + 1:], _code(idx, Form.LOOK, k))
    return RefTable(looks.refs), looks.patterns


def _compile_term(idx: int, term: Term, t: Tables, chars: _Chars, words: _PatternSet, sounds: _PatternSet,
                  raws: _PatternSet, latin_words: LatinIndex,
                  latin_collapsed: LatinIndex) -> CompiledTerm:
    if term.text.translate(chars.other):
        units, breaks = term_units(term.text, t)
        if units == term.text:
            units = term.text  # one string, not two equal ones: a large lexicon has 100,000 of them
    else:  # every character a unit, as most terms are: no word breaks
        units, breaks = term.text, _NO_BREAKS
    folded = units.translate(t.fold)  # fold_char of each unit, in one C call
    if folded == units:
        folded = units  # one string, not two equal ones
    if not units:
        raws.add(term.text, _code(idx, Form.RAW))
        return CompiledTerm(term, units, folded, False, False, breaks)
    spaced = units.translate(chars.spaced)  # "1" for each unit of a spaced script
    first, last = spaced[0] == "1", spaced[-1] == "1"
    marks = _marks(term.text, t) if term.text.translate(chars.combining) else ()
    ct = CompiledTerm(term, units, folded, first, last, breaks, marks=marks)
    has_han = _HAN.search(units) is not None
    if "0" not in spaced:
        ref = _code(idx, Form.WORD if not breaks else Form.GLUED)
        latin_words.add(folded, ref)
        collapsed = collapse_repeats(folded)
        latin_collapsed.add(folded if collapsed == folded else collapsed, ref)
        if not breaks:
            words.add(folded, ref)
            _add_transliterations(idx, term, units, chars, words, latin_words, latin_collapsed)
            if "layout" in term.variants:
                _add_layouts(idx, units, chars, words)
        else:
            sounds.add(units.translate(chars.sound), ref)
        return ct
    if not has_han:
        sounds.add(units.translate(chars.sound), _code(idx, Form.GLUED))
        return ct
    syllables = _phrase_syllables(units, t, chars)
    ct = CompiledTerm(term, units, folded, first, last, breaks, syllables, marks)
    v = term.variants
    common = [chars.sound[ord(c)] for c in units]
    phrase = [t.syllable_code[s] if s else common[k] for k, s in enumerate(syllables)]
    # Patterns only for what the term allows: a `none` term gets its exact form alone.
    sounds.add("".join(common), _code(idx, Form.SOUND))
    if "homophone" in v and phrase != common:
        sounds.add("".join(phrase), _code(idx, Form.SOUND))
    if len(units) < 2:
        return ct
    if all(syllables) and _ALL_HAN.fullmatch(units) and v & {"pinyin", "initials"}:
        spelled = [syllables, tuple(chars.reading[c] for c in units)]
        # ü is written v in the tables, and u once its marks are folded away (nǚ, nü)
        spelled += [tuple(r.replace("v", "u") for r in rs) for rs in spelled if any("v" in r for r in rs)]
        for readings in _distinct(spelled):
            if not all(readings):
                continue
            if "pinyin" in v:
                full = "".join(readings)
                words.add(full, _code(idx, Form.PY_FULL))
                words.add(" ".join(readings), _code(idx, Form.PY_SPACED))
                latin_words.add(full, _code(idx, Form.PY_FULL))
            if len(units) >= 3 and "initials" in v:
                words.add("".join(s[0] for s in readings), _code(idx, Form.INITIALS))
    return ct


def _add_transliterations(idx: int, term: Term, units: str, chars: _Chars, words: _PatternSet,
                          latin_words: LatinIndex, latin_collapsed: LatinIndex) -> None:
    """The term's writings in Latin letters as whole words (``normalize.translit``), where its
    variants allow them: a Cyrillic term's (``translit``), a German term's without umlauts
    (``diacritics``). A writing that is an everyday English word is that word, and left out."""
    low = units.lower()
    spellings: list[str] = []
    short: list[str] = []
    if "translit" in term.variants and low[0] in CYRILLIC_LATIN:  # else it has no Cyrillic spellings
        spellings, short = cyrillic_spellings(low), cyrillic_spellings(low, short=True)
    if not spellings and not short and "diacritics" in term.variants and term.lang in ("de", ""):
        spellings = german_spellings(low)
    if not spellings and not short:
        return  # most words: no writing of another script
    for sp, form in [*((w, Form.TRANSLIT) for w in spellings), *((w, Form.TRANSLIT_SHORT) for w in short)]:
        ref = _code(idx, form)
        view = " ".join(sp.translate(chars.view).split())  # an apostrophe for ь: a gap
        glued = view.replace(" ", "")
        if glued in chars.words_en:
            continue
        words.add(view, ref)
        latin_words.add(glued, ref)  # separated, leet, repeated writings of it too
        latin_collapsed.add(collapse_repeats(glued), ref)


_PUNCTUATION = "".join(sorted(PUNCTUATION_KEYS))
_NO_PUNCTUATION = dict.fromkeys(map(ord, PUNCTUATION_KEYS))


def _add_layouts(idx: int, units: str, chars: _Chars, words: _PatternSet) -> None:
    """The term typed with the other keyboard layout on (``normalize.keyboard``), as a whole
    word of the view: a Cyrillic term's Latin keys, a Latin term's Cyrillic letters. Keys of
    punctuation (``,`` for б) are gaps in the view, those at either end left out of the
    pattern and confirmed on the text (``check.ScanContext._layout``)."""
    low = units.lower()
    keys = latin_keys(low) or cyrillic_keys(low)
    core = keys.strip(_PUNCTUATION)
    # the keys are letters and punctuation keys: what is left without the punctuation, letters
    if len(core.translate(_NO_PUNCTUATION)) < MIN_LETTER_KEYS or (core == keys and core in chars.words_en):
        return  # a Cyrillic term whose keys spell an English word (or none): that word
    words.add(core.translate(chars.view), _code(idx, Form.LAYOUT))


def _distinct(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for x in items:
        if x not in out:
            out.append(x)
    return out

