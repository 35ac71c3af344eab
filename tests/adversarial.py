"""Adversarial texts: the inputs that cost a filter the most per character.

Shared by ``tests/test_adversarial.py`` (checking one costs at most a few times what as
much natural text costs) and ``benchmarks/engine.py`` (the worst-case row). Each family
makes a text of any length from a unit repeated or a run cut into a term; a family named
with ``{term}`` uses a term of the lexicon under test, so that it is hit-dense there.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from interceptor import Interceptor
from interceptor.normalize.tables import is_han

NATURAL = Path(__file__).resolve().parent / "data" / "natural_mixed.txt"

# Separators and invisible characters, each written in long runs.
SEPARATORS = {
    "space": " ", "dot": ".", "tab": "\t", "newline": "\n", "ideographic space": "\u3000", "nbsp": "\u00a0",
    "star": "★", "zero-width space": "\u200b", "zero-width non-joiner": "\u200c", "zero-width joiner": "\u200d",
    "word joiner": "\u2060", "byte-order mark": "\ufeff", "soft hyphen": "\u00ad", "variation selector": "\ufe0f",
    "tag character": "\U000e0041", "RLO": "\u202e", "LRO": "\u202d", "PDF": "\u202c", "LRI": "\u2066",
    "combining acute": "\u0301", "combining Thai vowel": "\u0e31", "combining enclosing circle": "\u20dd",
    "Hangul filler": "\u3164",
}

UNITS = {
    "one letter": "a", "one Han character": "冰", "one symbol": "★", "a symbol read as a syllable": "❤",
    "one emoji": "😀", "one digit": "1", "letter, digit": "a1", "two letters": "ab", "letter, dot": "a.",
    "letter, bang": "a!", "three letters and a digit": "aaa1", "leet words": "f4ck3r$ 5h1t@ ", "leet symbols": "@$!|",
    "two Han characters": "冰毒", "Han and a star": "冰★", "Han, star, Han, space": "冰★毒 ", "pinyin": "bingdu",
    "spaced pinyin": "bing du ", "initials": "bd ", "pinyin after Han": "冰du", "pinyin before Han": "bing毒",
    "single letters split by spaces": "a b c d e f g h i j k l m n o p q r s t u v w x y z ",
    "single letters split by dots": "f.u.c.k.", "letters and symbols split by marks": "f🔥u🔥c🔥k🔥",
    "Latin and Han alternating": "a冰", "mixed walk-arounds": "微❤xin★f.u.c.k 5h1t 冰du",
    "zhuyin": "ㄅㄧㄥㄉㄨˊ", "zhuyin among Han": "冰ㄉㄨ", "tone digits": "bing1 du2 ", "tone marks": "bīng dú ",
    "one-stroke fillers between Han": "冰丿毒", "digits between Han": "冰5毒", "split characters": "弓虽奸",
}

# Markup and layout (``normalize.markup``): what its view decodes, and what it must give up on.
MARKUP = {
    "tags inside words": "f<b>u</b>c<i>k</i> ", "a tag run": "<b>", "block tags between letters": "a<p>",
    "unclosed tags": "<a ", "opening brackets": "<", "comments": "<!-- -->", "unclosed comments": "<!--x",
    "character references": "f&#117;c&#x6b; ", "ampersands": "&", "unfinished references": "&#",
    "percent-encoded letters": "f%75c%6B ", "percent-encoded Han": "%E5%86%B0%E6%AF%92", "percent signs": "%",
    "invalid percent bytes": "%E5%E5", "hyphenated line breaks": "fu-\nck ", "overridden runs": "\u202ekcuf\u202c ",
    "overrides": "\u202e", "emphasis inside words": "f**u**ck ", "stars": "*", "underscores inside words": "a_b_",
    "letters and stars": "a*", "unclosed emphasis": "a**b c ", "emoji inside words": "fu🔥ck ",
    "keycaps between Han characters": "冰1️⃣毒", "flags inside words": "fu🇨🇳ck 冰🇨🇳毒",
}


def repeat(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def _term(guard: Interceptor, han: bool) -> str:
    """A short term of the lexicon, Han or Latin: the hit-densest text repeats it."""
    terms = [t.text for t in guard.lexicon.terms if t.tier.value != "monitor"
             and 2 <= len(t.text) <= 8 and all(is_han(c) for c in t.text) == han
             and (han or (t.text.isascii() and t.text.isalpha()))]
    return min(terms, key=lambda t: (len(t), t))


def families(guard: Interceptor) -> dict[str, Callable[[int], str]]:
    """Every adversarial family for the lexicon of ``guard``: name -> text of length n."""
    out: dict[str, Callable[[int], str]] = {}
    for name, unit in {**UNITS, **MARKUP}.items():
        out[name] = lambda n, u=unit: repeat(u, n)
    for name, sep in SEPARATORS.items():
        out[f"{name} run"] = lambda n, s=sep: repeat(s, n)
        out[f"{name} after each letter"] = lambda n, s=sep: repeat("a" + s, n)
        out[f"{name} after each Han character"] = lambda n, s=sep: repeat("冰" + s, n)
    han, latin = _term(guard, True), _term(guard, False)
    for name, sep in SEPARATORS.items():
        out[f"{{term}} cut by a {name} run"] = lambda n, s=sep: han[0] + repeat(s, n - len(han)) + han[1:]
    allowed = next(iter(guard.lexicon.allow), han)
    out["{term} repeated (Han)"] = lambda n: repeat(han, n)
    out["{term} and a space repeated (Han)"] = lambda n: repeat(han + " ", n)
    out["{term} cut by stars repeated (Han)"] = lambda n: repeat("★".join(han) + "，", n)
    out["{term} in tags repeated (Han)"] = lambda n: repeat("".join(f"<b>{c}</b>" for c in han) + " ", n)
    out["{term} in tags repeated (Latin)"] = lambda n: repeat(latin[0] + "<i>" + latin[1:] + "</i> ", n)
    out["{term} repeated (Latin)"] = lambda n: repeat(latin + " ", n)
    out["{term} in leet repeated (Latin)"] = lambda n: repeat(latin.replace("i", "1").replace("a", "4") + " ", n)
    out["{term} spaced out repeated (Latin)"] = lambda n: repeat(" ".join(latin) + " . ", n)
    out["an allowed phrase repeated"] = lambda n: repeat(allowed, n)
    return out


def hit_dense(guard: Interceptor, n: int, seed: int = 5) -> str:
    """Short Han terms of the lexicon one after another, each followed by a separator or an
    everyday character chosen at random: as many hits as a text can hold, and no unit that
    repeats — the one kind of text whose cost per character the bound does not cover (every
    hit is checked and reported)."""
    import random

    rng = random.Random(seed)
    terms = [t.text for t in guard.lexicon.terms if t.tier.value != "monitor"
             and 2 <= len(t.text) <= 6 and all(map(is_han, t.text))]
    seps = [" ", "，", "。", "★", "\u200b", "的", "了", "a", "1", ""]
    out: list[str] = []
    k = 0
    while k < n:
        piece = rng.choice(terms) + rng.choice(seps)
        out.append(piece)
        k += len(piece)
    return "".join(out)[:n]


def natural(n: int) -> str:
    """``n`` characters of natural mixed Chinese and English text (``NATURAL``, repeated)."""
    text = NATURAL.read_text(encoding="utf8").split("\n", 1)[1].rstrip("\n")
    return repeat(text, n)
