"""The generated character tables, loaded once and shaped as NumPy arrays.

``scripts/generate_tables.py`` writes the files under ``tables/``; this module only reads
them. Per-character work on the hot path is a NumPy ``take`` of a text's code points into
the arrays built here (``views.py``), never a Python loop.

The **view** of a text holds one character per kept original character: letters and
digits folded (case, width, traditional→simplified, diacritics, homoglyphs); each Han
character written as one private-use code per toneless syllable, so that homophones meet;
the leet symbols ``@ $ ! |`` kept; a symbol that reads as a syllable marked with
``SYMBOL_MARK``; every other character a space; default-ignorable characters and stripped
diacritics gone. The **literal** array is the same with Han characters folded instead of
coded; the **shape** array writes each look-alike character as its shape class.
"""
from __future__ import annotations

import hashlib
import re
import sys
import threading
import unicodedata
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from enum import IntEnum, IntFlag
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from interceptor import stored
from interceptor.normalize.lookalike import shape_classes

UNICODE = 0x110000
LIMIT = 0x20000  # every symbol with a reading lies below this


class CharClass(IntEnum):
    """What a code point is to matching (``tables/classes.tsv``, ``scripts/generate_tables.py``)."""

    WORD = 0  # a letter, digit or spacing mark: kept, folded
    NOISE = 1  # spaces, punctuation, symbols: a gap between characters, bounded
    IGNORE = 2  # default-ignorable and format characters: removed, named noise
    MARK = 3  # a diacritic of a Latin, Greek or Cyrillic letter: removed, named diacritics
    COMBINING = 4  # any other combining mark: removed; a match keeps the term's own

    @property
    def removed(self) -> bool:
        """Removed before matching: however many there are, never a gap."""
        return self >= CharClass.IGNORE


WORD, NOISE, IGNORE, MARK, COMBINING = CharClass
LEET_SYMBOLS = "@$!|"
# The letters of the view a respelling (separators, leet, repeats) reads, as a regex class:
# the small letters of the alphabetic scripts written with spaces that the view keeps —
# Latin a-z and ß, Greek, Cyrillic (those without a Latin look-alike: б, д, л, ж…, in a word
# whose other letters fold to Latin), Hebrew, Arabic and Persian. _views.c is_letter is the same.
RESPELL_LETTERS = "a-z\u00df\u03ac-\u03ce\u0430-\u045f\u0491\u05d0-\u05ea\u0620-\u064a\u0671-\u06d3"
SYLLABLE_BASE = 0xE000  # syllable codes live in the BMP private-use area
SYMBOL_MARK = "\uf8ff"  # what the view holds for a symbol that reads as a syllable (❤, 🐮)
DENSE_DROPPED = " " + LEET_SYMBOLS + SYMBOL_MARK
SCRIPT_CODE, SCRIPT_LATIN = 1, 2  # values of ``Tables.script``
PINYIN_RUN = 20  # letters: a longer run of Latin letters touching Han is English, not a few syllables
CJK_FROM = 0x3100  # the first code point (zhuyin, then Han, then syllable codes) the CJK-only channels read
ZHUYIN_LETTERS = ((0x3100, 0x312F), (0x31A0, 0x31BF))  # Bopomofo and its extension


class Kind(IntFlag):
    """What a text holds that a channel looks for before anything else (``Tables.kinds``, by
    code point): the union over a text's characters comes with its views (``TextViews.kinds``),
    so a channel whose characters a text lacks costs one bit test instead of a search (on
    the hot path, with a member's ``value``: the enum's own ``&`` costs a microsecond)."""

    CJK = 1  # a dense-view character from CJK_FROM on
    ZHUYIN = 2  # a zhuyin letter in the dense view
    DIGIT = 4  # an ASCII digit in the dense view
    FILLER = 8  # a one-stroke filler character (tables/fillers.txt)
    FLAG = 16  # a regional indicator (a flag's half)
    LETTERLIKE = 32  # a symbol drawn as a letter (tables/letterlike.tsv: ℮ ¢ ®), read as one between letters
    CYRILLIC = 64  # a Cyrillic letter (U+0400 to U+04FF)
    DRAWING = 128  # the first or last ASCII character of a drawing of a Cyrillic letter (tables/drawings_ru.tsv)
    INSIDE = 256  # a symbol a writer puts inside a word to split it (• · → ★): ``in_word_symbols``
    ITALIC = 512  # a Latin letter read as an italic Cyrillic one (u и, n п, m т): ``ITALIC_ONLY``

Array = np.ndarray
CYRILLIC_BLOCK = "\u0400-\u04ff"
"""The Cyrillic block as a range of a character class: the letters the Russian, Ukrainian and
other Cyrillic views and precision rules look for (``Kind.CYRILLIC`` marks the same block)."""
CYRILLIC = re.compile(f"[{CYRILLIC_BLOCK}]")
LATIN_OR_DIGIT = re.compile("[A-Za-z0-9]")
"""An ASCII letter or digit: beside one, a run of another script's letters is part of a Latin word
or a number (``Googleом``, ``10км``), not a word of its own."""
ITALIC_ONLY = "unmgb"
"""The Latin letters that look like italic Cyrillic letters and like no upright one (u и, n п,
m т, g д, b б): the italic view (``italic``) is read only in a text holding one."""

# Scripts written without spaces between words: a Latin word boundary is any character that
# is not a letter or digit, and characters of these scripts count as boundaries too, so
# `weixin` in `加我weixin号` is a whole word.
_UNSPACED = [
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x0F00, 0x0FFF),  # Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x2E80, 0x2FDF), (0x3000, 0x9FFF), (0xF900, 0xFAFF), (0xFF66, 0xFF9F),  # CJK, kana
    (0xAC00, 0xD7AF), (0x1100, 0x11FF), (0xA960, 0xA97F), (0xD7B0, 0xD7FF),  # Hangul
    (0x1B000, 0x1B16F),  # kana supplement
    (0x20000, 0x323AF),  # CJK extensions B-H
]


def is_han(ch: str) -> bool:
    cp = ord(ch)
    return 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x323AF


def _lines(name: str) -> list[str]:
    text = resources.files("interceptor.normalize").joinpath("tables").joinpath(name).read_text(encoding="utf8")
    return [ln for ln in text.splitlines() if ln and not ln.startswith("#")]


def _tagged_words(lines: list[str]) -> dict[str, str]:
    """``word/lang,lang`` entries, several a line, as word -> its languages."""
    return {w: langs for w, _, langs in (e.partition("/") for ln in lines for e in ln.split())}


@dataclass(frozen=True, eq=False)
class Tables:
    """Everything the views and the term compiler need, immutable after load."""

    cls: Array  # uint8 class of every code point (CharClass)
    cls_bytes: bytes  # the same as bytes: one class per code point, fast to index from Python
    fold: dict[int, int]  # folded code point, for word characters that fold
    techniques: dict[int, frozenset[str]]  # which folding steps apply to a code point
    styled: frozenset[int]  # styled forms of a letter (𝐟 ⓕ 🅕 🇫 ꜰ ᶠ): the letter's own script, named homoglyph
    readings: dict[int, tuple[str, ...]]  # Han code point -> readings, common first
    phrases: dict[str, tuple[str, ...]]  # phrases read otherwise than their characters' readings
    symbol_readings: dict[int, tuple[str, ...]]  # pictographic symbol -> readings
    syllable_code: dict[str, str]  # toneless syllable -> one private-use character
    code_syllable: dict[str, str]
    view: Array  # uint32, 0 = deleted
    literal: Array
    shape: Array
    symbol_codes: tuple[Array, ...]  # a symbol's 1st, 2nd… reading as a code, by code point < LIMIT
    dense_keep: Array  # bool by view value: does the dense view keep it?
    script: Array  # uint8 by view value: SCRIPT_CODE for a syllable code, SCRIPT_LATIN for a-z, else 0
    spaced: Array  # bool: a letter or digit of a script written with spaces
    spaced_bytes: bytes  # the same as bytes, fast to index from Python
    ascii_view: list[int | None]  # the view for ASCII, as a str.translate table
    words_zh: frozenset[str]
    words_en: frozenset[str]
    common_zh: frozenset[str]  # the most frequent Han characters (之 是 的 …)
    pairs_zh: array  # type: ignore[type-arg]  # sorted (a << 16 | b) of Han pairs found inside words
    words2_zh: array  # type: ignore[type-arg]  # sorted (a << 16 | b) of two-character dictionary words
    terminals: frozenset[str]  # sentence-final punctuation (Unicode Sentence_Terminal)
    own_letters: frozenset[str]  # Latin letters with diacritics some language orders as letters (CLDR index)
    accent_words: dict[str, str]  # everyday word another spells with other diacritics -> its languages (año: es)
    pinyin_words: frozenset[str]  # everyday words of other Latin-script languages that spell pinyin (dama)
    alphabets: tuple[frozenset[str], ...]  # letters of each language of a look-alike script (CLDR)
    kinds: Array  # uint16 by code point: the Kind bits the character gives a text

    def __getstate__(self) -> dict[str, Any]:
        """What a stored entry keeps (``load``): the code-point arrays packed by blocks
        (``_pack``: most of the 1.1 million code points are unassigned or map to themselves),
        and no bytes copy of an array, which ``__setstate__`` makes again."""
        state = {k: v for k, v in vars(self).items() if k not in _DERIVED}
        for k, v in state.items():
            if isinstance(v, np.ndarray):
                state[k] = _pack(v)
            elif isinstance(v, tuple) and v and all(isinstance(a, np.ndarray) for a in v):
                state[k] = tuple(_pack(a) for a in v)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k, v in state.items():
            if isinstance(v, _Packed):
                state[k] = _unpack(v)
            elif isinstance(v, tuple) and v and isinstance(v[0], _Packed):
                state[k] = tuple(_unpack(a) for a in v)
        state["cls_bytes"] = state["cls"].tobytes()
        state["spaced_bytes"] = state["spaced"].tobytes()
        vars(self).update(state)

    def in_one_alphabet(self, word: str) -> bool:
        """Does one language's alphabet (``alphabets.tsv``) hold every letter of ``word``,
        diacritics aside? ``сор`` is Russian; ``агѕсһ`` is no language's (ѕ, һ)."""
        letters = {c for c in word.lower() if c.isalpha()}
        if not letters:
            return False
        bases = {c: unicodedata.normalize("NFD", c)[0] for c in letters}
        return any(all(c in a or bases[c] in a for c in letters) for a in self.alphabets)

    def fold_char(self, ch: str) -> str:
        cp = ord(ch)
        return chr(self.fold.get(cp, cp))

    def char_class(self, cp: int) -> CharClass:
        return CharClass(int(self.cls[cp]))

    def is_word_char(self, ch: str) -> bool:
        """True for a letter or digit of a script written with spaces between words."""
        return self.spaced_bytes[ord(ch)] != 0

    def view_char(self, ch: str) -> str:
        """What the view holds for one character ('' if deleted)."""
        v = self.view.item(ord(ch))
        return chr(v) if v else ""

    def literal_char(self, ch: str) -> str:
        v = int(self.literal[ord(ch)])
        return chr(v) if v else ""

    def in_word_pair(self, a: str, b: str) -> bool:
        """Do ``a`` and ``b`` occur next to each other inside some dictionary word?"""
        return _holds(self.pairs_zh, a, b)

    def is_word2(self, a: str, b: str) -> bool:
        """Is ``a + b`` a two-character dictionary word, however rare?"""
        return _holds(self.words2_zh, a, b)


_DERIVED = ("cls_bytes", "spaced_bytes")
_BLOCK = 1024
_SAME, _ONE, _RAW = 0, 1, 2  # a block that maps each code point to itself, holds one value, or is kept


class _Packed(NamedTuple):
    """A code-point array by blocks of ``_BLOCK``: what each block is, the value of each
    ``_ONE`` block and the ``_RAW`` blocks' values, in order."""

    kinds: Array  # uint8 per block
    values: Array  # one per _ONE block
    raw: Array  # the _RAW blocks, concatenated


def _pack(a: Array) -> _Packed:
    if a.ndim != 1 or len(a) % _BLOCK:
        return _Packed(np.zeros(0, np.uint8), a[:0], a)  # no blocks: kept as it is
    blocks = a.reshape(-1, _BLOCK)
    same = (blocks == np.arange(len(a)).reshape(-1, _BLOCK)).all(1) if a.dtype != bool else np.zeros(len(blocks), bool)
    one = ~same & (blocks == blocks[:, :1]).all(1)
    kinds = np.where(same, _SAME, np.where(one, _ONE, _RAW)).astype(np.uint8)
    return _Packed(kinds, blocks[one, 0].copy(), blocks[kinds == _RAW].ravel().copy())


def _unpack(p: _Packed) -> Array:
    if not len(p.kinds):
        return p.raw
    out = np.empty((len(p.kinds), _BLOCK), dtype=p.raw.dtype)
    same = p.kinds == _SAME
    out[same] = np.flatnonzero(same)[:, None] * _BLOCK + np.arange(_BLOCK)
    out[p.kinds == _ONE] = p.values[:, None]
    out[p.kinds == _RAW] = p.raw.reshape(-1, _BLOCK)
    return out.ravel()


def _holds(pairs: array, a: str, b: str) -> bool:  # type: ignore[type-arg]
    key = (ord(a) << 16) | ord(b)
    i = bisect_left(pairs, key)
    return i < len(pairs) and pairs[i] == key


def _pair_array(lines: list[str]) -> array:  # type: ignore[type-arg]
    """Lines of concatenated character pairs as a sorted array of (a << 16 | b)."""
    return array("Q", sorted((ord(ln[i]) << 16) | ord(ln[i + 1]) for ln in lines for i in range(0, len(ln) - 1, 2)))


_HERE = Path(__file__).resolve().parent
# what the tables are made from: their files and the code that reads them
_TABLE_SOURCES = (_HERE / "tables.py", _HERE / "lookalike.py")
_STORED = {"array": frozenset({"array", "_array_reconstructor"}), "numpy": frozenset({"dtype"}),
           "numpy._core.numeric": frozenset({"_frombuffer"}), "numpy.core.numeric": frozenset({"_frombuffer"}),
           "builtins": frozenset({"frozenset", "set"})}


@cache
def tables_key() -> str:
    """A hash of what the tables are made from: their files, this code, Python and NumPy."""
    h = hashlib.sha256(sys.version.encode() + np.__version__.encode())
    for f in (*_TABLE_SOURCES, *sorted((_HERE / "tables").iterdir())):
        if f.is_file():
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


@cache
def load() -> Tables:
    """The tables, once per process: read back from the cache directory (``interceptor.stored``,
    a few hundredths of a second) when a process made them before, else built (about 0.3 s)
    and kept there for the next one."""
    where = stored.directory()
    if where is None:
        return build_tables()
    key = tables_key()
    entry = where / f"tables-{key[:40]}.tables"
    try:
        stored.prepare(where)
    except OSError:
        return build_tables()
    got = stored.read(entry, key, _STORED)
    if isinstance(got, Tables):
        return got
    tables = build_tables()
    threading.Thread(target=_keep, args=(entry, key, tables), name="interceptor-tables-write").start()
    return tables


def _keep(entry: Path, key: str, tables: Tables) -> None:
    try:
        stored.write(entry, key, tables)
        stored.prune(entry.parent, ".tables", 2)
    except Exception:  # a full disk, a read-only directory: built each time, all the same
        return


def build_tables() -> Tables:
    """Load the table files and build the arrays (about 0.3 s and 30 MB)."""
    cls = np.zeros(UNICODE, dtype=np.uint8)
    for ln in _lines("classes.tsv"):
        a, b, name = ln.split("\t")
        cls[int(a, 16): int(b, 16) + 1] = CharClass[name.upper()]

    fold: dict[int, int] = {}
    techniques: dict[int, frozenset[str]] = {}
    shared: dict[frozenset[str], frozenset[str]] = {}
    styled: set[int] = set()
    for ln in _lines("fold.tsv"):
        src, dst, techs = ln.split("\t")
        cp, names = int(src, 16), techs.split(",")
        fold[cp] = int(dst, 16)
        if "styled" in names:  # a variant name of the contract's: homoglyph
            styled.add(cp)
            names = ["homoglyph" if n == "styled" else n for n in names]
        # a few dozen distinct sets and syllables: one object each, for memory and for a
        # stored entry, which keeps a shared object once
        techniques[cp] = shared.setdefault(frozenset(names), frozenset(names))
    readings: dict[int, tuple[str, ...]] = {}
    for ln in _lines("pinyin.tsv"):
        cp_hex, spoken = ln.split("\t")
        readings[int(cp_hex, 16)] = tuple(map(sys.intern, spoken.split()))
    phrases: dict[str, tuple[str, ...]] = {}
    for ln in _lines("phrases.tsv"):
        phrase, spoken = ln.split("\t")
        phrases[phrase] = tuple(spoken.split())
    symbol_readings: dict[int, tuple[str, ...]] = {}
    for ln in _lines("symbols.tsv"):
        cp_hex, spoken, _chars = ln.split("\t")
        symbol_readings[int(cp_hex, 16)] = tuple(spoken.split())
    syllables = sorted({r for rs in readings.values() for r in rs} | {r for rs in symbol_readings.values() for r in rs})
    syllable_code = {s: chr(SYLLABLE_BASE + i) for i, s in enumerate(syllables)}

    word = cls == WORD
    literal = np.arange(UNICODE, dtype=np.uint32)
    literal[list(fold)] = list(fold.values())
    literal[cls == NOISE] = ord(" ")
    for sym in LEET_SYMBOLS:
        literal[ord(sym)] = ord(sym)
    literal[cls >= IGNORE] = 0

    view = literal.copy()
    # A Han character reads as its own common reading first: 乾 reads qian though it folds
    # to 干 (gan); a character with no reading of its own reads as its folded form.
    for cp in sorted(set(readings) | {c for c, f in fold.items() if f in readings}):
        if cp < UNICODE and word[cp]:
            f = fold.get(cp, cp)
            r = readings.get(cp) or readings.get(f)
            if r and (is_han(chr(cp)) or is_han(chr(f))):
                view[cp] = ord(syllable_code[r[0]])
    symbols = [cp for cp in symbol_readings if cp < LIMIT and cp not in styled]  # Ⓜ is a letter
    view[symbols] = ord(SYMBOL_MARK)
    depth = max((len(r) for r in symbol_readings.values()), default=0)
    symbol_codes = []
    for k in range(depth):
        codes = np.zeros(LIMIT, dtype=np.uint32)
        for cp in symbols:
            sym_spoken = symbol_readings[cp]
            codes[cp] = ord(syllable_code[sym_spoken[min(k, len(sym_spoken) - 1)]])
        symbol_codes.append(codes)

    classes = shape_classes()
    to_class = np.arange(UNICODE, dtype=np.uint32)
    to_class[[ord(c) for c in classes]] = [ord(r) for r in classes.values()]
    shape = to_class.take(literal)

    dense_keep = np.ones(UNICODE, dtype=bool)
    dense_keep[[0, *(ord(c) for c in DENSE_DROPPED)]] = False
    script = np.zeros(UNICODE, dtype=np.uint8)
    script[SYLLABLE_BASE: SYLLABLE_BASE + len(syllable_code)] = SCRIPT_CODE
    script[ord("a"): ord("z") + 1] = SCRIPT_LATIN
    spaced = word.copy()
    for lo, hi in _UNSPACED:
        spaced[lo: hi + 1] = False

    bigram_lines = _lines("bigrams_zh.txt")
    ascii_view = [int(v) if v else None for v in view[:128]]
    return Tables(
        cls=cls, cls_bytes=cls.tobytes(), fold=fold, techniques=techniques, styled=frozenset(styled),
        readings=readings, phrases=phrases,
        symbol_readings=symbol_readings, syllable_code=syllable_code,
        code_syllable={c: s for s, c in syllable_code.items()},
        view=view, literal=literal, shape=shape, symbol_codes=tuple(symbol_codes), dense_keep=dense_keep,
        script=script,
        spaced=spaced, spaced_bytes=spaced.tobytes(), ascii_view=ascii_view,
        words_zh=frozenset(_lines("words_zh.txt")), words_en=frozenset(_lines("words_en.txt")),
        common_zh=frozenset(bigram_lines[0]), pairs_zh=_pair_array(bigram_lines[1:]),
        words2_zh=_pair_array(_lines("words2_zh.txt")),
        terminals=frozenset("".join(_lines("terminals.txt"))),
        own_letters=frozenset("".join(_lines("letters_latin.txt"))),
        accent_words=_tagged_words(_lines("accents_latin.txt")),
        pinyin_words=frozenset(_lines("pinyin_words.txt")),
        alphabets=tuple(frozenset(ln.split("\t")[1]) for ln in _lines("alphabets.tsv")),
        kinds=_kinds(view, dense_keep, literal, cls),
    )


def _kinds(view: Array, dense_keep: Array, literal: Array, cls: Array) -> Array:
    """The Kind bits of every code point: from what the dense view holds for it, or from the
    character itself."""
    dense = np.where(dense_keep.take(view), view, 0)
    kinds = np.zeros(UNICODE, dtype=np.uint16)
    kinds[dense >= CJK_FROM] |= int(Kind.CJK)
    for lo, hi in ZHUYIN_LETTERS:
        kinds[(dense >= lo) & (dense <= hi)] |= int(Kind.ZHUYIN)
    kinds[(dense >= ord("0")) & (dense <= ord("9"))] |= int(Kind.DIGIT)
    # a filler, or a character folded to one (the stroke ㇓ is 丿)
    kinds[np.isin(literal, [ord(c) for c in "".join(_lines("fillers.txt"))])] |= int(Kind.FILLER)
    kinds[0x1F1E6: 0x1F1FF + 1] |= int(Kind.FLAG)
    kinds[[ord(c) for c in letters_like()]] |= int(Kind.LETTERLIKE)
    kinds[0x0400:0x0500] |= int(Kind.CYRILLIC)  # CYRILLIC_BLOCK
    kinds[[ord(c) for c in drawing_ends()]] |= int(Kind.DRAWING)
    kinds[[cp for cp in in_word_symbols() if cls[cp] == NOISE]] |= int(Kind.INSIDE)
    kinds[[ord(c) for c in ITALIC_ONLY]] |= int(Kind.ITALIC)
    return kinds


def drawing_ends() -> set[str]:
    """The ASCII characters a drawing of a Cyrillic letter begins or ends with (``tables/drawings_ru.tsv``;
    ``ЬI`` begins with its ``I``): a text with none beside a Cyrillic letter holds no drawing."""
    out: set[str] = set()
    for d in (ln.split("\t")[0] for ln in _lines("drawings_ru.tsv")):
        ascii_only = [c for c in d if c.isascii()]
        out |= {ascii_only[0], ascii_only[-1]}
    return out


# written for an apostrophe (don′t, she′ll): a word it is inside is one word already
_APOSTROPHES = frozenset("\u2032\u2033\u2034\u2035\u2036\u2037\u055a\u05f3\u05f4\uff07\uff02")


@cache
def in_word_symbols() -> frozenset[int]:
    """The symbols a writer puts between two letters of a word to split it for a program and
    not for a reader (``fu•ck``, ``Juden·sau``, ``ге◆ро•ин``, ``f→uck``): every BMP character
    outside ASCII of the Unicode categories Po (other punctuation), Sm (math symbols) and So
    (other symbols). Not dashes, quotes or brackets (Pd, Pi, Pf, Ps, Pe: ``well—known``,
    ``l’homme`` are written between words), nor what stands for an apostrophe (primes, the
    full-width apostrophe), nor CJK punctuation, nor ASCII punctuation (``e.g``, ``and/or``,
    ``don't``), nor a symbol drawn as a letter (``letters_like``: ``sh℮et`` holds the letter). Astral symbols (emoji)
    inside a word are the layout view's (``markup``)."""
    skip = _APOSTROPHES | letters_like().keys()
    return frozenset(cp for cp in range(0x80, 0x10000)
                     if unicodedata.category(chr(cp)) in ("Po", "Sm", "So") and chr(cp) not in skip
                     and not any(lo <= cp <= hi for lo, hi in _CJK_PUNCTUATION))


# the punctuation of CJK text (、。・, full-width and small forms): between Han characters the
# plain views read it as noise already, and a text of such characters pays nothing for it
_CJK_PUNCTUATION = ((0x3000, 0x30FF), (0xFE10, 0xFE1F), (0xFE30, 0xFE6F), (0xFF00, 0xFFEF))


@cache
def letters_like() -> dict[str, str]:
    """Symbols drawn as a Latin letter -> that letter (``tables/letterlike.tsv``): noise to the
    views, read as the letter between two letters by the layout view (``markup_tokens``)."""
    return {chr(int(a, 16)): b for a, b in (ln.split("\t") for ln in _lines("letterlike.tsv"))}

