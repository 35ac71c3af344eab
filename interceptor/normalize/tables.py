"""The generated character tables, loaded once and shaped for C-level use.

``scripts/generate_tables.py`` writes the files under ``tables/``; this module only reads
them. Per-character work on the hot path happens in ``str.translate`` with the list tables
built here (a list lookup per character, in C) and in compiled regular expressions.

One translation builds the *view* of a text (see ``views.py``): one character per original
character (only default-ignorable characters and stripped diacritics are deleted); letters
and digits folded (case, width, traditional→simplified, diacritics, homoglyphs); each Han
character written as one private-use code point per toneless syllable, so that homophones
meet; the leet symbols ``@ $ ! |`` kept; a symbol that reads as a syllable marked with
``SYMBOL_MARK``; every other character turned into a space. The *dense view* is the view
without its spaces, leet symbols and marks.
"""
from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from importlib import resources

LIMIT = 0x20000
"""Code points below LIMIT are looked up in list tables; the few texts that hold higher ones
(CJK extension B-G, tag characters) take a slower path (``HighTable``)."""

WORD, NOISE, IGNORE, MARK = 0, 1, 2, 3
LEET_SYMBOLS = "@$!|"
SYLLABLE_BASE = 0xE000  # syllable codes live in the BMP private-use area
SYMBOL_MARK = "\uf8ff"  # what the view holds for a symbol that reads as a syllable (❤, 🐮)


def _lines(name: str) -> list[str]:
    text = resources.files("interceptor.normalize").joinpath("tables").joinpath(name).read_text(encoding="utf8")
    return [ln for ln in text.splitlines() if ln and not ln.startswith("#")]


@dataclass(frozen=True, slots=True)
class Tables:
    """Everything the views and the term compiler need, immutable after load."""

    cls: bytes  # class of each code point below LIMIT
    high_cls: dict[int, int]  # classes of non-word code points at or above LIMIT
    fold: dict[int, int]  # folded code point, for word characters that fold
    techniques: dict[int, frozenset[str]]  # which folding steps apply to a code point
    readings: dict[int, tuple[str, ...]]  # Han code point -> readings, common first
    symbol_readings: dict[int, tuple[str, ...]]  # pictographic symbol -> readings
    syllable_code: dict[str, str]  # toneless syllable -> one private-use character
    code_syllable: dict[str, str]
    view_table: list[int | None]
    word_table: list[int | None]
    view_symbol_tables: tuple[list[int | None], ...]  # symbols read as their 1st, 2nd... reading
    is_spaced_word: bytes  # 1 where a word-view character belongs to a space-separated script
    words_zh: frozenset[str]
    words_en: frozenset[str]
    common_zh: frozenset[str]  # the most frequent Han characters (之 是 的 …)
    pairs_zh: array  # type: ignore[type-arg]  # sorted (a << 16 | b) of Han pairs found inside words

    def in_word_pair(self, a: str, b: str) -> bool:
        """Do ``a`` and ``b`` occur next to each other inside some dictionary word?"""
        key = (ord(a) << 16) | ord(b)
        i = bisect_left(self.pairs_zh, key)
        return i < len(self.pairs_zh) and self.pairs_zh[i] == key

    def fold_char(self, ch: str) -> str:
        cp = ord(ch)
        return chr(self.fold.get(cp, cp))

    def char_class(self, cp: int) -> int:
        if cp < LIMIT:
            return self.cls[cp]
        return self.high_cls.get(cp, WORD)

    def is_word_char(self, ch: str) -> bool:
        """True for a letter or digit of a script written with spaces between words."""
        cp = ord(ch)
        if cp < LIMIT:
            return bool(self.is_spaced_word[cp])
        return False


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
]


def is_han(ch: str) -> bool:
    cp = ord(ch)
    return 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x323AF


def is_unspaced(ch: str) -> bool:
    cp = ord(ch)
    return any(a <= cp <= b for a, b in _UNSPACED) or 0x20000 <= cp <= 0x323AF


@cache
def load() -> Tables:
    """Load and shape the tables (about 0.2 s, once per process)."""
    cls = bytearray(LIMIT)
    high_cls: dict[int, int] = {}
    names = {"noise": NOISE, "ignore": IGNORE, "mark": MARK}
    for ln in _lines("classes.tsv"):
        a, b, name = ln.split("\t")
        for cp in range(int(a, 16), int(b, 16) + 1):
            if cp < LIMIT:
                cls[cp] = names[name]
            else:
                high_cls[cp] = names[name]

    fold: dict[int, int] = {}
    techniques: dict[int, frozenset[str]] = {}
    for ln in _lines("fold.tsv"):
        src, dst, techs = ln.split("\t")
        fold[int(src, 16)] = int(dst, 16)
        techniques[int(src, 16)] = frozenset(techs.split(","))

    readings: dict[int, tuple[str, ...]] = {}
    for ln in _lines("pinyin.tsv"):
        cp_hex, rs = ln.split("\t")
        readings[int(cp_hex, 16)] = tuple(rs.split())
    symbol_readings: dict[int, tuple[str, ...]] = {}
    for ln in _lines("symbols.tsv"):
        cp_hex, spoken, _chars = ln.split("\t")
        symbol_readings[int(cp_hex, 16)] = tuple(spoken.split())

    syllables = sorted({r for rs in readings.values() for r in rs} | {r for rs in symbol_readings.values() for r in rs})
    syllable_code = {s: chr(SYLLABLE_BASE + i) for i, s in enumerate(syllables)}
    code_syllable = {c: s for s, c in syllable_code.items()}

    # The view: one output character per kept input character. Han characters become the
    # code of their common reading; other letters and digits are folded; noise becomes a
    # space (the leet symbols stay); ignorable characters and stripped diacritics vanish.
    view_table: list[int | None] = list(range(LIMIT))
    word_table: list[int | None] = list(range(LIMIT))  # the same with Han folded, not coded
    space = ord(" ")
    for cp in range(LIMIT):
        c = cls[cp]
        if c == WORD:
            f = fold.get(cp, cp)
            word_table[cp] = f
            # A character's own common reading first: 乾 reads qian though it folds to 干 (gan).
            r = readings.get(cp) or readings.get(f)
            view_table[cp] = ord(syllable_code[r[0]]) if r and (is_han(chr(cp)) or is_han(chr(f))) else f
        elif c == NOISE:
            view_table[cp] = word_table[cp] = cp if chr(cp) in LEET_SYMBOLS else space
        else:
            view_table[cp] = word_table[cp] = None
    for cp in symbol_readings:
        if cp < LIMIT:
            view_table[cp] = ord(SYMBOL_MARK)
    symbol_tables = []
    depth = max((len(r) for r in symbol_readings.values()), default=0)
    for k in range(depth):
        table = list(view_table)
        for cp, sym_spoken in symbol_readings.items():
            if cp < LIMIT:
                table[cp] = ord(syllable_code[sym_spoken[min(k, len(sym_spoken) - 1)]])
        symbol_tables.append(table)

    spaced = bytearray(LIMIT)
    for cp in range(LIMIT):
        if cls[cp] == WORD and not is_unspaced(chr(cp)):
            spaced[cp] = 1
    bigram_lines = _lines("bigrams_zh.txt")
    pairs = array("Q", sorted((ord(ln[i]) << 16) | ord(ln[i + 1]) for ln in bigram_lines[1:]
                              for i in range(0, len(ln) - 1, 2)))
    return Tables(
        cls=bytes(cls), high_cls=high_cls, fold=fold, techniques=techniques, readings=readings,
        symbol_readings=symbol_readings, syllable_code=syllable_code, code_syllable=code_syllable,
        view_table=view_table, word_table=word_table, view_symbol_tables=tuple(symbol_tables),
        is_spaced_word=bytes(spaced),
        words_zh=frozenset(_lines("words_zh.txt")), words_en=frozenset(_lines("words_en.txt")),
        common_zh=frozenset(bigram_lines[0]), pairs_zh=pairs,
    )


def char_class_regex(classes: set[int], tables: Tables, extra: str = "") -> re.Pattern[str]:
    """A regex matching runs of code points whose class is in ``classes`` (plus ``extra``)."""
    ranges: list[tuple[int, int]] = []
    start = None
    for cp in range(LIMIT + 1):
        inside = cp < LIMIT and tables.cls[cp] in classes and chr(cp) not in extra
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            ranges.append((start, cp - 1))
            start = None
    high = sorted(cp for cp, c in tables.high_cls.items() if c in classes)
    for cp in high:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    body = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[{body}]+")
