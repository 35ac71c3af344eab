"""Styled letters and look-alike letters of other scripts, for ``generate_tables.py``.

Two kinds of character are written in place of a plain letter:

* **styled** forms of the letter itself — mathematical alphanumerics (𝐟 𝓯 𝕗 𝚏), circled,
  negative circled, squared and parenthesised letters (ⓕ 🅕 🄵 ⒡), regional indicators (🇫),
  small capitals (ꜰ), superscript and modifier letters (ᶠ). Unicode says what each one is:
  its compatibility decomposition (NFKC, with the tag ``<font>``, ``<circle>``, ``<super>``…)
  or, where it has none, its name, which is the plain letter's name with style words added
  (``NEGATIVE CIRCLED LATIN CAPITAL LETTER F``, ``LATIN LETTER SMALL CAPITAL F``). The
  letter is found by taking those words out of the name and looking the rest up.
* letters of **other scripts** that look like a Latin letter (Cyrillic ``а``, Cherokee ``Ꭺ``,
  Lisu ``ꓮ``…): the Unicode confusables data (UTS #39, ``confusables.txt`` as shipped by
  ``confusable-homoglyphs``), directly or through a styled form (``я`` is listed beside the
  small capital reversed R ``ᴙ``, ``в`` beside the small capital ``ʙ``).

Styled forms are the same script as their letter, so a word written entirely in them is
still that word (``tables.Tables.styled``); a word written entirely in another script's
look-alikes may be that script's own word (``engine.check``).
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path

# Words a character's name adds to its letter's name to say how the letter is drawn.
STYLE_WORDS = frozenset({
    "MATHEMATICAL", "BOLD", "ITALIC", "SCRIPT", "FRAKTUR", "BLACK-LETTER", "DOUBLE-STRUCK", "SANS-SERIF",
    "MONOSPACE", "CIRCLED", "NEGATIVE", "SQUARED", "PARENTHESIZED", "REGIONAL", "INDICATOR", "SYMBOL",
    "MODIFIER", "SUPERSCRIPT", "SUBSCRIPT", "SMALL", "CAPITAL", "LETTER", "REVERSED", "CROSSED", "OUTLINED",
    "DINGBAT", "FULLWIDTH", "HALFWIDTH",
})
SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")
# Decomposition tags of a stylistic variant of one letter; <wide> and <narrow> are width.
STYLE_TAGS = frozenset({"<font>", "<circle>", "<super>", "<sub>", "<square>", "<small>", "<compat>"})
WIDTH_TAGS = frozenset({"<wide>", "<narrow>"})
_BRACKETS = re.compile(r"^[(]?(\w)[).]?$")


def _letter_named(script: str, rest: list[str], capital: bool) -> str | None:
    case = "CAPITAL" if capital else "SMALL"
    for name in (f"{script} {case} LETTER {' '.join(rest)}", f"{script} LETTER {' '.join(rest)}"):
        try:
            return unicodedata.lookup(name)
        except KeyError:
            continue
    return None


def _by_name(ch: str) -> str | None:
    """The plain letter whose name is ``ch``'s name without its style words, or None."""
    name = unicodedata.name(ch, "")
    words = name.split()
    if "LETTER" not in words and "DIGIT" not in words:
        return None
    if "DIGIT" in words:
        rest = [w for w in words if w not in STYLE_WORDS and w != "DIGIT"]
        if len(rest) == 1:
            try:
                return unicodedata.lookup(f"DIGIT {rest[0]}")
            except KeyError:
                return None
        return None
    script = next((w for w in words if w in SCRIPTS), "LATIN")
    rest = [w for w in words if w not in STYLE_WORDS and w != script]
    if not rest or rest == words:
        return None
    capital = "CAPITAL" in words and "SMALL" not in words
    # "REGIONAL INDICATOR SYMBOL LETTER F" names no case: the small letter
    return _letter_named(script, rest, capital) or _letter_named(script, rest, not capital)


def styled_base(ch: str) -> tuple[str, str] | None:
    """(the plain letter or digit ``ch`` is a styled form of, lower-cased; the technique:
    ``width`` or ``styled``), or None when ``ch`` is no styled form."""
    if ch.isascii():
        return None
    decomposition = unicodedata.decomposition(ch)
    tag = decomposition.split(" ", 1)[0] if decomposition.startswith("<") else ""
    base: str | None = None
    if tag in STYLE_TAGS | WIDTH_TAGS:
        m = _BRACKETS.match(unicodedata.normalize("NFKC", ch))
        base = m.group(1) if m else None
    if base is None:
        base = _by_name(ch)
        tag = tag or "<name>"
    if base is None or base == ch or len(base.lower()) != 1 or unicodedata.category(base)[0] not in "LN":
        return None
    if not unicodedata.name(base, "").startswith((*SCRIPTS, "DIGIT")):
        return None  # compatibility forms of Han, Hangul, Arabic… letters are not styled Latin
    return base.lower(), "width" if tag in WIDTH_TAGS else "styled"


@cache
def styled_map(limit: int) -> dict[str, tuple[str, str]]:
    """Every styled character below ``limit`` -> (its plain letter, technique)."""
    out: dict[str, tuple[str, str]] = {}
    for cp in range(0x80, limit):
        got = styled_base(chr(cp))
        if got is not None:
            out[chr(cp)] = got
    # a styled form of a styled form (ᶦ, the modifier small capital I) is the letter's too
    for ch, (base, tech) in out.items():
        seen = {ch}
        while base in out and base not in seen:
            seen.add(base)
            base = out[base][0]
        out[ch] = (base, tech)
    return out


def confusables(path: Path) -> dict[str, list[str]]:
    """``confusables.json`` of confusable-homoglyphs: each character -> the characters it is
    confusable with (single characters only)."""
    data = json.loads(path.read_text(encoding="utf8"))
    return {k: [e["c"] for e in v if len(e["c"]) == 1] for k, v in data.items() if len(k) == 1}


def capitals(path: Path) -> dict[str, str]:
    """Capitals other than Latin ones that the confusables data lists beside a Latin capital
    (``Η`` ~ ``H``) -> that letter, lower-cased: a capital's own look, which its small letter
    need not share (``η`` ~ ``n̩``)."""
    data = confusables(path)
    out: dict[str, str] = {}
    for x in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        for c in data.get(x, []):
            if c.isupper() and not c.isascii() and not unicodedata.name(c, "LATIN").startswith("LATIN"):
                out.setdefault(c, x.lower())
    return out


def small_marked(path: Path) -> dict[str, str]:
    """Characters the confusables data pairs with one small Latin letter and combining marks
    only (``η`` ~ ``n̩``) -> that letter; where there are several, the first in order."""
    data = json.loads(path.read_text(encoding="utf8"))
    out: dict[str, str] = {}
    for k, vs in data.items():
        if len(k) != 1:
            continue
        for v in vs:
            c = v["c"]
            if len(c) > 1 and "a" <= c[0] <= "z" and all(unicodedata.category(m).startswith("M") for m in c[1:]):
                out[k] = min(out.get(k, c[0]), c[0])
    return out


def latin_target(ch: str, limit: int) -> str | None:
    """The ASCII letter a character stands for once its style is taken off, if any."""
    if "a" <= ch.lower() <= "z" and ch.isascii():
        return ch.lower()
    got = styled_map(limit).get(ch)
    return got[0] if got and got[0].isascii() and got[0].isalpha() else None


# name prefixes of Han, kana, Hangul and bopomofo: whole syllables or words, never one Latin
# letter's look-alike
LOGOGRAPHIC = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC", "KANGXI", "BOPOMOFO")


def _logographic(c: str) -> bool:
    return unicodedata.name(c, "").startswith(LOGOGRAPHIC)


def homoglyphs(path: Path, limit: int) -> dict[str, str]:
    """Letters and digits of other scripts -> the Latin letter they look like (Cyrillic о,
    Kannada ೦); Han, kana and Hangul never.

    A character is folded when the confusables data pairs it with a Latin letter or with a
    styled form of one, in either direction (``я`` ~ ``ᴙ``, the small capital reversed R).
    The first Latin letter in alphabetical order wins where there are several. (Symbols the
    data pairs with a letter, such as ℮, are noise in the class table and are not folded.)
    """
    data = confusables(path)

    def admit(c: str) -> str | None:
        low = unicodedata.normalize("NFKC", c).lower()
        if len(low) != 1 or low.isascii() or low in styled_map(limit):
            return None
        if unicodedata.category(low)[0] not in "LN" or _logographic(low):
            return None
        return low

    out: dict[str, str] = {}
    # listed beside a small Latin letter
    for x in "abcdefghijklmnopqrstuvwxyz":
        for c in data.get(x, []):
            if (low := admit(c)) is not None:
                out.setdefault(low, x)
    # a small letter of another script listed beside a small Latin letter with a mark (η ~ n̩):
    # its own look, before one its capital lends it (Η ~ H says nothing of η). Latin letters
    # with a stroke (ø ł đ) are letters of their own languages, not look-alikes.
    for ch, marked in sorted(small_marked(path).items()):
        if (low := admit(ch)) is not None and low == ch and not unicodedata.name(ch, "").startswith("LATIN"):
            out.setdefault(low, marked)
    # listed beside a capital
    for x in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        for c in data.get(x, []):
            if (low := admit(c)) is not None:
                out.setdefault(low, x.lower())
    # listed beside a styled form of a Latin letter, either way round (я ~ ᴙ, в ~ ʙ)
    pairs: dict[str, set[str]] = {}
    for k, vs in data.items():
        for v in vs:
            pairs.setdefault(k, set()).add(v)
            pairs.setdefault(v, set()).add(k)
    for ch in sorted(pairs):
        if (low := admit(ch)) is None or low in out:
            continue
        targets = sorted({t for other in pairs[ch] if not other.isascii() and (t := latin_target(other, limit))})
        if targets:
            out[low] = targets[0]
    return out


# Symbols drawn as a letter with a stroke or a hook that the confusables data pairs with no
# letter, or with one a reader does not see in them (€ beside Ꞓ): the letter their glyph is
# drawn from, as currency and mathematical symbols are. Everything else comes from the data.
DRAWN_FROM = {"£": "l", "₤": "l", "€": "e", "∂": "d", "₱": "p", "₦": "n", "₳": "a", "₲": "g", "₵": "c",
              "฿": "b", "₿": "b", "₹": "r", "₺": "t"}
_LOOKALIKE_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")


def letterlike(path: Path, limit: int, is_symbol: Callable[[str], bool], fold: Callable[[str], str]) -> dict[str, str]:
    """Symbols that look like a Latin letter -> that letter (``℮`` e, ``¢`` c, ``®`` r, ``∪`` u):
    a symbol (``is_symbol``: noise in the class table) that the confusables data pairs with one
    Latin letter (marks aside, ``c̸``), or a styled form of one (``Ⓡ``), or a Greek or Cyrillic
    letter folding to one (``fold``); or whose name is a style of a letter (``SCRIPT CAPITAL P``);
    and ``DRAWN_FROM``. The views read one as its letter only between two letters."""
    full = json.loads(path.read_text(encoding="utf8"))
    pairs: dict[str, set[str]] = {}
    for k, vs in full.items():
        for v in vs:
            pairs.setdefault(k, set()).add(v["c"])
            pairs.setdefault(v["c"], set()).add(k)

    def letter_of(s: str) -> str | None:
        decomposed = unicodedata.normalize("NFKD", s)
        base = "".join(c for c in decomposed if not unicodedata.category(c).startswith(("M", "C")))
        if len(base) != 1:
            return None
        if base.isascii():
            return base.lower() if base.isalpha() else None
        got = latin_target(base, limit)
        if got:
            return got
        name = unicodedata.name(base, "")
        m = re.match(r"LATIN (?:CAPITAL|SMALL) LETTER ([A-Z]) WITH ", name)
        if m:
            return m.group(1).lower()
        folded = fold(base)
        if name.startswith(_LOOKALIKE_SCRIPTS) and folded.isascii() and folded.isalpha():
            return folded
        return None

    out: dict[str, str] = {}
    for cp in range(0x80, limit):
        ch = chr(cp)
        if not is_symbol(ch) or not unicodedata.category(ch).startswith("S"):
            continue
        got = sorted({x for o in pairs.get(ch, ()) if (x := letter_of(o))})
        name = unicodedata.name(ch, "")
        styled = re.fullmatch(r"(?:[A-Z-]+ )*(?:CAPITAL|SMALL) ([A-Z])", name)
        if len(got) == 1:
            out[ch] = got[0]
        elif styled and not any(w in name for w in ("TURNED", "REVERSED", "INVERTED", "ROTATED")):
            out[ch] = styled.group(1).lower()
    out.update(DRAWN_FROM)
    return out
