"""Tones written in pinyin must agree with the term's reading.

The views drop tone marks (``shí jiān`` reads ``shi jian``) and the pinyin patterns hold no
tones, so ``shí jiān`` — 时间, *time* — matches the pinyin of 实践 (shí jiàn). Where the
writer wrote tones, as marks (``bīng dú``) or as digits (``bing1 du2``), they say which word
it is: a written tone that is none of the tones the term's character has for that syllable
(``tables/tones.tsv``, from pypinyin) makes the match another word, and so does one that is none of
the term's own reading (``term_tones``: 大麻 is dà má, so ``大mā`` is not it, though 麻 is
read mā too in other words). An unwritten or neutral tone agrees with any. Runs per pinyin
candidate, never per character of the text.
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from interceptor.engine.patterns import CompiledTerm
    from interceptor.normalize.tables import Tables

TONE_MARKS = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}
_TONE_DIGIT = re.compile(r"(?<=[a-zü])[1-5](?![0-9])")


@cache
def tone_table() -> dict[int, dict[str, str]]:
    """Code point -> toneless reading -> its tones (``践`` -> {``jian``: ``4``})."""
    text = resources.files("interceptor.normalize").joinpath("tables", "tones.tsv").read_text(encoding="utf8")
    out: dict[int, dict[str, str]] = {}
    for ln in text.splitlines():
        if not ln or ln[0] == "#":
            continue
        cp, readings = ln.split("\t")
        out[int(cp, 16)] = {r.rstrip("012345"): r.lstrip("abcdefghijklmnopqrstuvwxyz") for r in readings.split()}
    return out


@cache
def term_tones(units: str) -> tuple[dict[str, str], ...]:
    """Per unit of a term, its toneless syllable -> the tones of the term's own reading:
    pypinyin's phrase-aware reading of the whole term, with and without the tone changes of
    speech (``tone_sandhi``), and each character's common reading alone (一夜情 is read yí yè
    qíng, and written yī yè qíng too), so that any of these writings agrees.
    A unit read with the neutral tone, or not read, is left out (any tone of its character's
    readings then agrees: ``dōng xī`` for 东西). Asked only when a text writes tones; pypinyin
    is imported then, not when a lexicon is compiled."""
    from pypinyin import Style, lazy_pinyin

    def blank(rest: str) -> Any:
        return [""] * len(rest)  # one empty reading per character that has none

    def read(chars: str, sandhi: bool) -> list[str]:
        return list(lazy_pinyin(chars, style=Style.TONE3, neutral_tone_with_five=True, tone_sandhi=sandhi,
                                errors=blank))

    out: list[dict[str, str]] = [{} for _ in units]
    alone = [one[0] if len(one := read(c, False)) == 1 else "" for c in units]
    for reading in (read(units, False), read(units, True), alone):
        if len(reading) != len(units):
            continue  # read otherwise than character by character: no reading per unit
        for k, r in enumerate(reading):
            plain, tone = r.rstrip("012345").replace("ü", "v"), r[len(r.rstrip("012345")):]
            if plain and tone and tone != "5":
                out[k][plain] = "".join(sorted(set(out[k].get(plain, "") + tone)))
    return tuple(out)


def allowed_tones(units: str, k: int, syllable: str) -> str | None:
    """The tones unit ``k`` of the term ``units`` may be written with when read as ``syllable``:
    the term's own reading's (``term_tones``), else every tone its character has for that
    syllable (``tables/tones.tsv``), else None (unknown: any)."""
    own = term_tones(units)[k].get(syllable)
    return own if own is not None else tone_table().get(ord(units[k]), {}).get(syllable)


def has_tones(written: str) -> bool:
    """Can ``written`` hold a tone (a non-ASCII letter, or a digit)? The common case, pinyin
    with no tones at all, is answered here without reading the table."""
    return not written.isascii() or any(c.isdigit() for c in written)


def written_tones(written: str) -> tuple[str, list[str]]:
    """The letters of ``written`` (lower case, ``ü`` as ``v``) and the tone written on or after
    each letter ('' where none): ``shí1`` -> (``shi``, ['', '2', '']) with the digit on ``i``."""
    letters: list[str] = []
    tones: list[str] = []
    for c in unicodedata.normalize("NFD", written.lower()):
        if c in TONE_MARKS:
            if tones:
                tones[-1] = TONE_MARKS[c]
        elif c == "\u0308":  # ü
            if letters and letters[-1] == "u":
                letters[-1] = "v"
        elif "a" <= c <= "z":
            letters.append(c)
            tones.append("")
        elif c in "12345" and tones:
            tones[-1] = c
    return "".join(letters), tones


def tones_agree(written: str, units: str, readings: list[tuple[str, ...]]) -> bool:
    """Does every tone written in ``written`` fit the term's characters ``units`` read as one
    of ``readings`` (its phrase-aware and its common reading)?"""
    letters, tones = written_tones(written)
    if not any(tones):
        return True
    for syllables in readings:
        if "".join(syllables).replace("v", "u") != letters.replace("v", "u"):
            continue
        pos = 0
        ok = True
        for k, syl in enumerate(syllables):
            marks = [t for t in tones[pos:pos + len(syl)] if t and t != "5"]
            pos += len(syl)
            allowed = allowed_tones(units, k, syl)
            if marks and allowed is not None and any(t not in allowed for t in marks):
                ok = False
                break
        if ok:
            return True
    return False


def strip_tone_digits(view: str) -> tuple[str, list[int]] | None:
    """The view without tone digits after pinyin letters (``bing1 du2`` -> ``bing du``) and the
    view position of each kept character, or None when it has none."""
    cuts = [m.start() for m in _TONE_DIGIT.finditer(view)]
    if not cuts:
        return None
    kept: list[int] = []
    parts: list[str] = []
    pos = 0
    for c in cuts:
        parts.append(view[pos:c])
        kept.extend(range(pos, c))
        pos = c + 1
    parts.append(view[pos:])
    kept.extend(range(pos, len(view)))
    return "".join(parts), kept


def term_readings(ct: CompiledTerm, t: Tables) -> list[tuple[str, ...]]:
    """The readings a pinyin pattern of the term spells: phrase-aware, and common."""
    common = []
    for c in ct.units:
        r = t.readings.get(ord(c)) or t.readings.get(ord(t.fold_char(c)))
        common.append(r[0] if r else "")
    out = [tuple(ct.syllables)]
    if tuple(common) != out[0]:
        out.append(tuple(common))
    return out


ZHUYIN_TONES = {"\u02c9": "1", "\u02ca": "2", "\u02c7": "3", "\u02cb": "4"}  # ˉ ˊ ˇ ˋ after a syllable


ZHUYIN_MARKS = frozenset(ZHUYIN_TONES) | {"\u02d9"}


def with_tone_marks(text: str, spans: list[tuple[int, int]], written: frozenset[int]) -> list[tuple[int, int]]:
    """``spans`` with each written syllable's zhuyin tone mark after it taken in, so that a hit
    and its mask cover it (``ㄉㄨˊ``)."""
    out = spans
    for k in written:
        a, b = spans[k]
        if b < len(text) and text[b] in ZHUYIN_MARKS and (k + 1 == len(spans) or spans[k + 1][0] > b):
            if out is spans:
                out = list(spans)
            out[k] = (a, b + 1)
    return out


def zhuyin_marked(text: str, spans: list[tuple[int, int]]) -> bool:
    """Does a zhuyin syllable among ``spans`` carry a tone mark after it? Then the writer marks
    tones, and an unmarked syllable is the first tone, as zhuyin writes it."""
    return any(b < len(text) and text[b] in ZHUYIN_TONES for _, b in spans)


def syllable_agrees(text: str, span: tuple[int, int], units: str, k: int, syllable: str,
                    marked: bool = False) -> bool:
    """Do the tones written on one syllable ``text[span]`` — pinyin ``jiān``, or zhuyin with its
    tone mark after it (``ㄐㄧㄢˋ``; none is the first tone where ``marked``) — fit unit ``k`` of
    the term ``units`` read as ``syllable`` (``allowed_tones``)?"""
    a, b = span
    written = text[a:b]
    if not has_tones(written):
        return True
    _letters, tones = written_tones(written)
    marks = [t for t in tones if t and t != "5"]
    if b < len(text) and text[b] in ZHUYIN_TONES:
        marks.append(ZHUYIN_TONES[text[b]])
    elif marked and not _letters and not (b < len(text) and text[b] == "\u02d9"):
        marks.append("1")  # zhuyin that marks tones leaves the first unmarked (˙ is the neutral)
    allowed = allowed_tones(units, k, syllable)
    return not marks or allowed is None or all(t in allowed for t in marks)
