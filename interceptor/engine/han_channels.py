"""Channels for Chinese written in other notations: pinyin with tone digits, zhuyin, filler
strokes between characters (``channels`` describes the shape every channel has).

Each looks at the views first with one test (a bit of ``TextViews.kinds`` or a regex) and does
nothing more for a text that holds none of its notation, which nearly every text does not.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import cast

from interceptor.engine import zhuyin
from interceptor.engine.automaton import Matcher
from interceptor.engine.channels import PinyinInHanChannel
from interceptor.engine.check import Found, ScanContext
from interceptor.engine.patterns import Compiled, Form
from interceptor.engine.pinyin_in_han import REACH, Rewrite
from interceptor.engine.tones import strip_tone_digits, term_readings, tones_agree
from interceptor.normalize.tables import SCRIPT_CODE, SYLLABLE_BASE, Kind, Tables
from interceptor.normalize.views import IDENTITY, PositionMap, TextViews

Match = tuple[int, int, int]
# the kinds of ``TextViews.kinds`` as ints: a bit test with the enum costs a microsecond
_ZHUYIN, _FILLER, _FLAG_KIND, _DIGIT = Kind.ZHUYIN.value, Kind.FILLER.value, Kind.FLAG.value, Kind.DIGIT.value
_TONE_HINT = re.compile(r"[1-5](?![0-9])")  # the digit first: several times faster than [a-z][1-5]


def _tone_digit(view: str) -> bool:
    """Does the view hold a digit 1-5 right after a letter, and not before another digit?"""
    for m in _TONE_HINT.finditer(view):
        i = m.start()
        if i and "a" <= view[i - 1] <= "z":
            return True
    return False
_PINYIN_FORMS = (Form.PY_FULL, Form.PY_SPACED)


class ToneDigitChannel:
    """Pinyin with tone digits (``bing1 du2``): the word view with the digits after pinyin
    letters taken out, matched by the word automaton; the tones must agree with the term's."""

    __slots__ = ("_automaton", "_compiled", "_spaced")

    def __init__(self, automaton: Matcher, compiled: Compiled, tables: Tables):
        self._automaton = automaton
        self._compiled = compiled
        self._spaced = tables.spaced

    def find(self, views: TextViews) -> list[tuple[str, list[int], list[Match]]]:
        if not views.has_latin() or not _tone_digit(views.view):
            return []
        got = strip_tone_digits(views.view)
        if got is None:
            return []
        bare, kept = got
        found = self._automaton.find(bare)
        return [(bare, kept, found)] if found else []

    def check(self, found: list[tuple[str, list[int], list[Match]]], views: TextViews, ctx: ScanContext,
              hits: Found) -> None:
        vmap = views.view_map()
        view = views.view
        spaced = self._spaced
        for bare, kept, matches in found:
            for s, e, pid in matches:
                if (s > 0 and spaced[ord(bare[s - 1])]) or (e < len(bare) and spaced[ord(bare[e])]):
                    continue  # not whole words
                a, b = kept[s], kept[e - 1] + 1
                if b < len(view) and view[b] in "12345":
                    b += 1  # the last syllable's tone
                if kept[e - 1] - a == e - 1 - s and b == kept[e - 1] + 1:
                    continue  # no digit taken out: the word channel has it
                start, end = vmap[a], vmap[b - 1] + 1
                written = ctx.text[start:end]
                for ref in self._compiled.word_refs[pid]:
                    if ref.form not in _PINYIN_FORMS:
                        continue
                    ct = self._compiled.terms[ref.term]
                    if tones_agree(written, ct.units, term_readings(ct, ctx.tables)):
                        ctx.pinyin_hit(ref.term, start, end, hits)



class ZhuyinChannel:
    """Zhuyin alone or among Han characters (``ㄅㄧㄥ ㄉㄨˊ``, ``麻醉ㄑㄧㄤ``): the dense view
    with each zhuyin run written as syllable codes (``zhuyin``), checked as pinyin among Han
    is (the syllables are the units the text wrote in another notation)."""

    __slots__ = ("_automaton", "_checker", "_tables")

    def __init__(self, automaton: Matcher, compiled: Compiled, tables: Tables):
        self._automaton = automaton
        self._tables = tables
        self._checker = PinyinInHanChannel(automaton, compiled, tables)

    def find(self, views: TextViews) -> list[tuple[Rewrite, list[Match]]]:
        if not views.kinds & _ZHUYIN:
            return []
        return [(rw, found) for rw in zhuyin.rewrites(views.dense, self._tables, views.dense_map())
                if (found := self._automaton.find(rw.text))]

    def check(self, found: list[tuple[Rewrite, list[Match]]], views: TextViews, ctx: ScanContext,
              hits: Found) -> None:
        self._checker.check(found, views, ctx, hits)


def _merged(points: list[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    """Merged windows of REACH dense characters around each ``(start, end)``."""
    out: list[tuple[int, int]] = []
    for a, b in points:
        lo, hi = max(0, a - REACH), min(n, b + REACH)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _sound_check(compiled: Compiled, found: list[tuple[Rewrite, list[Match]]], views: TextViews,
                 ctx: ScanContext, hits: Found, digits: bool) -> None:
    """Check matches on rewritten dense stretches: each unit's original span from its sources;
    with ``digits``, the rewrite's written units are digits read as syllables."""
    dmap = views.dense_map()
    for rw, matches in found:
        for s, e, pid in matches:
            src = rw.sources
            if digits:
                read = frozenset(k - s for k in rw.pinyin if s <= k < e)
                if not read:
                    continue  # no digit read: the dense view has it
            else:
                read = frozenset()
                if src[e - 1][0] - src[s][0] == e - 1 - s:
                    continue  # no filler taken out inside: the dense view has it
            spans = [(dmap[src[k][0]], dmap[src[k][1] - 1] + 1) for k in range(s, e)]
            for ref in compiled.sound_refs[pid]:
                if ref.form == Form.SOUND and not (read and _counts(ctx, compiled.terms[ref.term].units, spans, read)):
                    ctx.check_units(ref, spans, hits, read=read)


IDEOGRAPHIC_DIGITS = "〇一二三四五六七八九"


def _counts(ctx: ScanContext, units: str, spans: list[tuple[int, int]], read: frozenset[int]) -> bool:
    """Does a digit the match reads as a syllable count what follows it (后1天: 一天 is a word, 4点:
    四点), when the term's character is not that numeral itself (1夜情 is 一夜情)?"""
    text, t = ctx.text, ctx.tables
    for k in read:
        a = spans[k][0]
        if (k > 0 and spans[k - 1][1] != a) or (k + 1 < len(spans) and spans[k + 1][0] != a + 1):
            return True  # a digit apart from the term's characters is a number (８％以上)
        digit = t.fold_char(text[a])
        if not digit.isdigit():  # a letter read by its name (V信): beside another letter or digit, a code
            if _coded(t.fold_char(text[a - 1]) if a > 0 else "") or \
                    _coded(t.fold_char(text[a + 1]) if a + 1 < len(text) else ""):
                return True
            continue
        numeral = IDEOGRAPHIC_DIGITS[int(digit)]
        if t.fold_char(units[k]) == numeral:
            continue
        # what it counts follows it, inside the match or not (4点, 后1天); before it only a
        # word outside the match (第1): inside, the term's own character precedes it (老5婆)
        before = t.fold_char(text[a - 1]) if k == 0 and a > 0 else ""
        after = t.fold_char(text[a + 1]) if a + 1 < len(text) else ""
        if numeral + after in t.words_zh or before + numeral in t.words_zh:
            return True
        if after in _counters():
            return True  # it counts what follows, inside the match or not (去4楼, 弄4个, 5码的鞋): a measure, a unit
        if _coded(after) or _coded(before):
            return True  # a letter or digit beside it: a model or code (4S店, 3D, G7), not a syllable
    return False


def _coded(c: str) -> bool:
    """Is ``c`` a Latin letter or a digit (a neighbour that makes a code: 4S, 3D, G7)?"""
    return c.isascii() and c.isalnum()


class FillerChannel:
    """One-stroke characters between two Han characters (``冰丿毒``, ``淫色丶故事``): where a run
    of them (``tables/fillers.txt``) stands between two Han characters of the dense view, the
    stretch is scanned again without it. They are noise only there: 〇 between two numerals is
    a digit (二〇〇八), ノ among kana is a kana letter."""

    __slots__ = ("_automaton", "_compiled", "_fillers", "_numerals", "_script")

    def __init__(self, automaton: Matcher, compiled: Compiled, tables: Tables):
        self._automaton = automaton
        self._compiled = compiled
        self._script = tables.script
        self._fillers = re.compile("[" + re.escape(_fillers()) + "]+")
        self._numerals = frozenset(c for c in "〇零一二三四五六七八九十百千万亿两")

    def find(self, views: TextViews) -> list[tuple[Rewrite, list[Match]]]:
        flags, fillers = views.kinds & _FLAG_KIND, views.kinds & _FILLER
        if not (fillers or flags):
            return []
        literal = views.dense_literal()
        dense = views.dense
        script = self._script
        cuts: list[tuple[int, int]] = []
        for a, b, run in (self._filler_runs(literal) if fillers else []) + (_flag_runs(views) if flags else []):
            if a == 0 or b == len(dense):
                continue
            if script[ord(dense[a - 1])] != SCRIPT_CODE or script[ord(dense[b])] != SCRIPT_CODE:
                continue  # not between two Han characters
            if "〇" in run and (literal[a - 1] in self._numerals or literal[b] in self._numerals):
                continue  # a number: 二〇〇八
            cuts.append((a, b))
        cuts.sort()
        out = []
        c = 0  # the cuts and the windows are both in order: each cut is read once
        for lo, hi in _merged(cuts, len(dense)):
            chars: list[str] = []
            pos = lo
            while c < len(cuts) and cuts[c][1] <= hi:
                a, b = cuts[c]
                chars.append(dense[pos:a])
                pos = b
                c += 1
            chars.append(dense[pos:hi])
            text = "".join(chars)
            if found := self._automaton.find(text):
                out.append((Rewrite(text, _kept(lo, hi, cuts), frozenset()), found))
        return out

    def _filler_runs(self, literal: str) -> list[tuple[int, int, str]]:
        return [(*m.span(), m.group()) for m in self._fillers.finditer(literal)]

    def check(self, found: list[tuple[Rewrite, list[Match]]], views: TextViews, ctx: ScanContext,
              hits: Found) -> None:
        _sound_check(self._compiled, found, views, ctx, hits, digits=False)


_FLAG = re.compile("[\U0001f1e6-\U0001f1ff]")  # the regional indicators


def _flag_runs(views: TextViews) -> list[tuple[int, int, str]]:
    """The dense-view runs written by regional indicators (a flag, ``🇨🇳``, which the tables fold
    to the letters it names): between two Han characters a flag is a symbol, not two letters,
    even with a space beside it (``冰🇨🇳 毒``), where the layout view, which reads emoji glued
    between letters, does not see it."""
    dmap = views.dense_map()
    n = len(views.dense)
    out: list[tuple[int, int, str]] = []
    for m in _FLAG.finditer(views.text):
        # the dense position of that text position, if kept (the map is increasing)
        i = m.start() if dmap is IDENTITY else bisect_left(cast(Sequence[int], dmap), m.start())
        if i < n and dmap[i] == m.start():
            if out and out[-1][1] == i:
                out[-1] = (out[-1][0], i + 1, "")
            else:
                out.append((i, i + 1, ""))
    return out


def _kept(lo: int, hi: int, cuts: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """The dense-view span of each character of ``[lo, hi)`` outside the cuts."""
    out: list[tuple[int, int]] = []
    pos = lo
    for a, b in cuts[bisect_left(cuts, (lo, lo)):]:
        if a >= hi:
            break
        out.extend((k, k + 1) for k in range(pos, a))
        pos = b
    out.extend((k, k + 1) for k in range(pos, hi))
    return tuple(out)


class DigitChannel:
    """Digits read as syllables among Han characters (``5`` for 五 or 武, ``1夜情``): a digit
    standing alone beside a Han character is written as each syllable it reads as
    (``tables/digits.tsv``, from the numerals' numeric values), and the stretch scanned again;
    the digit counts as a homophone, with the homophones' precision rules."""

    __slots__ = ("_automaton", "_compiled", "_counting", "_lone_digit", "_pairs", "_readings", "_script")

    def __init__(self, automaton: Matcher, compiled: Compiled, tables: Tables):
        self._automaton = automaton
        self._compiled = compiled
        self._script = tables.script
        codes = tables.syllable_code
        # a digit alone (no digit either side) beside a syllable code: the only digits ``_read``
        # reads, found by one search (most digits of a text are in numbers or among letters)
        han = f"[{chr(SYLLABLE_BASE)}-{chr(SYLLABLE_BASE + max(len(codes), 1) - 1)}]"
        self._lone_digit = re.compile(f"[0-9](?:(?<={han}[0-9])(?![0-9])|(?<![0-9][0-9])(?={han}))")
        self._readings = {d: [codes[s] for s in syls if s in codes]
                          for d, syls in (_digit_readings() | _letter_readings()).items()}
        self._pairs = _syllable_pairs(compiled, tables)
        # a digit before a character its numeral makes an everyday word with counts it (5月,
        # 3日, 一天): never read, unless some term holds that numeral and character (一夜情)
        own = {ct.folded[k:k + 2] for ct in compiled.terms if ct.syllables for k in range(len(ct.folded) - 1)}
        self._counting = frozenset(w for w in tables.words_zh if len(w) == 2 and w[0] in IDEOGRAPHIC_DIGITS
                                   and w not in own)

    def find(self, views: TextViews) -> list[tuple[Rewrite, list[Match]]]:
        if views.ascii:
            return []
        dense = views.dense
        out: list[tuple[Rewrite, list[Match]]] = []
        if views.kinds & _DIGIT:
            literal, dmap = views.dense_literal(), views.dense_map()
            for m in self._lone_digit.finditer(dense):  # a number of several digits reads as none
                self._read(dense, literal, dmap, m.start(), out)
        joins = views.script_joins()  # a lone letter beside Han is a letter that meets Han
        if joins[0] or joins[1]:
            literal, dmap = views.dense_literal(), views.dense_map()
            for i in sorted(set(joins[0]).union(joins[1])):
                if not (i > 0 and dense[i - 1] in _CODED) and not (i + 1 < len(dense) and dense[i + 1] in _CODED):
                    self._read(dense, literal, dmap, i, out)  # a letter alone: no word, no code (V信, 牛B)
        return out

    def _read(self, dense: str, literal: str, dmap: PositionMap, i: int,
              out: list[tuple[Rewrite, list[Match]]]) -> None:
        """Read the digit or letter at dense position ``i`` as each of its syllables."""
        script = self._script
        before = i > 0 and script[ord(dense[i - 1])] == SCRIPT_CODE
        after = i + 1 < len(dense) and script[ord(dense[i + 1])] == SCRIPT_CODE
        if not (before or after):
            return
        prev = literal[i - 1] if before else ""
        nxt = literal[i + 1] if after else ""
        c = dense[i]
        if c <= "9" and nxt and IDEOGRAPHIC_DIGITS[int(c)] + nxt in self._counting and dmap[i + 1] == dmap[i] + 1:
            return  # it counts what follows (the full check's rule, ``_counts``, read early)
        lo, hi = max(0, i - REACH), min(len(dense), i + 1 + REACH)
        for code in self._readings.get(c, ()):
            if prev + code not in self._pairs and code + nxt not in self._pairs:
                continue  # no term has this syllable beside that character
            text = dense[lo:i] + code + dense[i + 1:hi]
            if found := self._automaton.find(text):
                out.append((Rewrite(text, tuple((k, k + 1) for k in range(lo, hi)), frozenset({i - lo})), found))

    def check(self, found: list[tuple[Rewrite, list[Match]]], views: TextViews, ctx: ScanContext,
              hits: Found) -> None:
        _sound_check(self._compiled, found, views, ctx, hits, digits=True)


def _syllable_pairs(compiled: Compiled, t: Tables) -> frozenset[str]:
    """A Han term's syllable codes each beside the (folded) character next to it, ``code +
    next`` and ``previous + code``: a digit read as a syllable is one changed character, its
    neighbour in the term the term's own, so a digit can only be part of a match where it
    and the character beside it make such a pair — most digits of a text cost two set
    look-ups."""
    codes = t.syllable_code
    out: set[str] = set()
    for ct in compiled.terms:
        if not ct.syllables:
            continue
        for reading in term_readings(ct, t):
            coded = [codes.get(syl, "") for syl in reading]
            for k, (a, b) in enumerate(pairwise(coded)):
                if a:
                    out.add(a + ct.folded[k + 1])
                if b:
                    out.add(ct.folded[k] + b)
    return frozenset(out)


_CODED = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")  # a letter beside one of these is no syllable


@cache
def _fillers() -> str:
    return "".join(_table_lines("fillers.txt"))


def counted(text: str, end: int) -> bool:
    """Is the number that ends at ``end`` a count or a measure: followed (spaces aside) by a
    character a numeral counts or names (``１４８８万元``, ``88年``)? Then a term written in
    digits alone (a code) is that quantity."""
    rest = text[end:end + 4].lstrip()
    return bool(rest) and rest[0] in _counters()


@cache
def _counters() -> frozenset[str]:
    """The characters a numeral counts or names (``tables/counters_zh.txt``, from jieba)."""
    return frozenset("".join(_table_lines("counters_zh.txt")))


@cache
def _letter_readings() -> dict[str, list[str]]:
    """A lone Latin letter's syllable, its name (``tables/letters_zh.tsv``: v is wei)."""
    return {c: syl.split() for c, syl in (ln.split("\t") for ln in _table_lines("letters_zh.tsv"))}


@cache
def _digit_readings() -> dict[str, list[str]]:
    return {d: syls.split() for d, syls in (ln.split("\t") for ln in _table_lines("digits.tsv"))}


def _table_lines(name: str) -> list[str]:
    text = resources.files("interceptor.normalize").joinpath("tables", name).read_text(encoding="utf8")
    return [ln for ln in text.splitlines() if ln and ln[0] != "#"]
