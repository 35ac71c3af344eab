"""Latin-script walk-arounds that change a word's length: separators, leetspeak, repeats.

The view keeps one character per original character, which covers case, width,
diacritics, homoglyphs and zero-width characters. Three writings change a word's shape
and are found here instead, from the view's suspect tokens (``views.latin_tokens``: a
token holding a letter written three times, or a digit or leet symbol next to a letter)
and one regex with a literal prefix for single letters between spaces — none of which
ordinary text holds often:

* separators — single letters split by spaces or punctuation: ``f.u.c.k``, ``b a t e m a n``;
* leetspeak — digits and ``@ $ ! |`` inside a word: ``5h3vchenko``, ``@d4ni``;
* repeats — a letter written three times or more: ``fuuuuck``.

Each match yields the candidate spellings of the word (a leet ``1`` may be ``i`` or ``l``),
looked up in a dictionary of the lexicon's whole Latin words, so the cost is per suspicious
word, never per character. The work per word is bounded too: a token far longer than the
lexicon's longest Latin word (``LatinLimits``) cannot spell one and is skipped, runs of one
letter are cut to two before spelling, and a token met again is spelled from a memo.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import groupby, product
from typing import NamedTuple

from interceptor.normalize.tables import CYRILLIC, RESPELL_LETTERS, load

_L = RESPELL_LETTERS
_TOK = _L + "0-9@$!|"
_GAP = " \uf8ff"  # a space, or a symbol's mark in the view (f🔥u🔥c🔥k)
SEPARATED = re.compile(rf"(?<![{_TOK}])[{_TOK}](?:[{_GAP}]+[{_TOK}]){{2,}}(?![{_TOK}])")
# Hints with a literal first character, which the regex engine scans for quickly.
_SEP_HINT = re.compile(rf" [{_TOK}][{_GAP}]+[{_TOK}][{_GAP}]")
_SEP_HINT_MARK = re.compile(rf"\uf8ff[{_TOK}][{_GAP}]+[{_TOK}][{_GAP}]")

# What a leet character may stand for; the first reading is the usual one.
LEET_READINGS: dict[str, str] = {
    "0": "o", "1": "il", "2": "z", "3": "e", "4": "a", "5": "s", "6": "gb", "7": "t", "8": "b", "9": "g",
    "@": "a", "$": "s", "!": "i", "|": "li",
}
# In a word of Cyrillic letters a digit stands for the Cyrillic letter it looks like
# (д0лб0ёб, п3дик, 6лядь, с-у-к-@); written here as letters, read in the view's fold.
CYRILLIC_LEET: dict[str, str] = {
    "0": "о", "1": "іл", "3": "зе", "4": "ча", "6": "б", "7": "т", "8": "в", "9": "я", "@": "а", "$": "с", "!": "і",
    "|": "іл",
}
MAX_SPELLINGS = 16
TRIM = 3
"""Letters a run of separated letters may lose at either end (one-letter words beside it)."""
REPEAT_IN = re.compile(rf"([{_L}])\1\1")
_WORDS = re.compile(rf"[{_TOK}]+")
_LEET_CHARS = re.compile("[0-9@$!|]")
_LETTER = re.compile(f"[{_L}]")


def _cut_runs(word: str) -> str:
    """``word`` with every run of one character three or more long cut to two (one literal
    replacement per character that has such a run, so that the regex engine does the work)."""
    for c in set(word):
        if c * 3 in word:
            word = _long_run(c).sub(c + c, word)
    return word


@cache
def _long_run(c: str) -> re.Pattern[str]:
    return re.compile(re.escape(c) + "{3,}")


@cache
def _cyrillic_readings() -> dict[str, str]:
    """``CYRILLIC_LEET`` in the view's fold (о is the view's o, я its r), the Latin readings
    where it has none."""
    fold = load().fold_char
    return {**LEET_READINGS, **{d: "".join(dict.fromkeys(fold(c) for c in r)) for d, r in CYRILLIC_LEET.items()}}


_TWICE = re.compile(r"(.)\1", re.DOTALL)


def collapse_repeats(s: str) -> str:
    """``luttrellllll`` -> ``lutrel``: every run of one character becomes one character."""
    if _TWICE.search(s) is None:  # most words repeat no letter: one C search tells
        return s
    return "".join(k for k, _ in groupby(s))


class LatinLimits(NamedTuple):
    """What the lexicon's Latin words allow, so that work per token stays bounded."""

    longest: int  # letters in the longest whole Latin word or glued multi-word term
    max_words: int  # most words in a multi-word term of a spaced script
    parts: frozenset[str]  # each run of consecutive words of a multi-word term, glued (plain and collapsed)

    @property
    def cap(self) -> int:
        """Longest token worth spelling once its runs are cut to two letters: a word of the
        lexicon with every letter doubled, and room for leet characters that merge."""
        return 4 * self.longest + 8


@dataclass(frozen=True, slots=True)
class Suspect:
    """A word-view span whose letters, rewritten, may spell a term."""

    start: int  # word-view offsets
    end: int
    spellings: tuple[str, ...]
    techniques: frozenset[str]


@cache
def _mixed_readings() -> dict[str, str]:
    """The Latin readings, then the Cyrillic ones: a token whose Cyrillic letters all fold to
    Latin look-alikes (36ун is е6ун in the view's eбyh) may be a Cyrillic word too."""
    cyr = _cyrillic_readings()
    return {d: "".join(dict.fromkeys(r + cyr.get(d, ""))) for d, r in LEET_READINGS.items()}


# In a word of Latin letters a digit may stand for the Cyrillic letter it looks like, written
# as its transliteration (volapuk: 4 for ч, 6 for ш, 9 and 9I for я: otxu9Ishit, zakhu9I4its9I).
TRANSLIT_DIGITS: dict[str, str] = {"4": "ch", "6": "sh", "9": "ya"}


def _deleet(word: str) -> list[str]:
    cyrillic = CYRILLIC.search(word) is not None
    table = _cyrillic_readings() if cyrillic else _mixed_readings()
    out = []
    if not cyrillic and any(c in TRANSLIT_DIGITS for c in word):
        # first, every such digit read as its letter transliterated, the others as leet's usual reading
        out.append("".join(TRANSLIT_DIGITS.get(c) or table.get(c, c)[0] for c in word.replace("9i", "9")))
    choices = [table.get(c, c) for c in word]
    for combo in product(*choices):
        out.append("".join(combo))
        if len(out) >= MAX_SPELLINGS:
            break
    return out


class _Spelled(NamedTuple):
    """A token's suspect, relative to the token's start (a memo entry)."""

    start: int
    end: int
    spellings: tuple[str, ...]
    techniques: frozenset[str]


def _spell(word: str, cap: int) -> _Spelled | None:
    """The suspect a token holds (leet, repeats), or None."""
    cut = word
    if len(word) > cap:
        cut = _cut_runs(word)  # fuuuuuuuck: the letters it may spell, bounded
        if len(cut) > cap:
            return None
    # a token that holds both letters and leet characters has one next to the other
    if _LEET_MARK.search(word) is not None:
        got = _leet(word, cut)
        if got is not None or not REPEAT_IN.search(word):
            return got
        # its leet characters were punctuation at its ends (fuuuck!): a repeated word
        start = len(word) - len(word.lstrip("!|"))
        return _Spelled(start, len(word.rstrip("!|")), (cut.strip("!|"),), _REPEAT)
    return _repeat(word, cut)


_LEET_MARK = re.compile(f"[{_L}][0-9@$!|]|[0-9@$!|][{_L}]")


def _leet(word: str, cut: str) -> _Spelled | None:
    # trailing/leading ! and | are punctuation more often than letters ("wow!")
    core = cut.rstrip("!|").lstrip("!|")
    if not core or word.isdigit() or _LEET_CHARS.search(core) is None or _LETTER.search(core) is None:
        return None
    start = len(word) - len(word.lstrip("!|"))
    end = len(word.rstrip("!|"))
    techs = {"leet"}
    if REPEAT_IN.search(core):
        techs.add("repeat")
    return _Spelled(start, end, tuple(_deleet(core)), frozenset(techs))


def _repeat(word: str, cut: str) -> _Spelled:
    return _Spelled(0, len(word), (cut,), _REPEAT)


_REPEAT = frozenset({"repeat"})


def suspects(view: str, tokens: list[int], limits: LatinLimits, separated: bool = True,
             known: Callable[[str], bool] | None = None) -> Iterator[Suspect]:
    """Every separated, leet or repeated word in the view, with its spellings.

    ``tokens`` are the view's suspect tokens as a flat list ``[start, end, ...]``
    (``views.latin_tokens``). ``separated=False`` says the view holds no single letters
    split by gaps, and the search for them is skipped. With ``known`` (is a spelling a word
    or a piece of a term of the lexicon?), a run of separated letters is trimmed only to the
    parts of which some spelling is: a run tries up to twenty trims, and most spell nothing.
    """
    memo: dict[str, _Spelled | None] = {}
    cap = limits.cap
    for i in range(0, len(tokens), 2):
        a, b = tokens[i], tokens[i + 1]
        word = view[a:b]
        got = memo.get(word, _MISSING)
        if got is _MISSING:
            got = memo[word] = _spell(word, cap)
        if got is not None:
            yield Suspect(a + got.start, a + got.end, got.spellings, got.techniques)
    if separated:
        yield from _separated_runs(view, limits.longest, known)


_MISSING: _Spelled | None = _Spelled(-1, -1, (), frozenset())


def _separated_runs(view: str, longest: int, known: Callable[[str], bool] | None = None) -> Iterator[Suspect]:
    """Runs of single letters split by gaps (``f u c k``), searched from each hint on: every
    character of the view is looked at a bounded number of times."""
    padded = f" {view} "  # hint offsets in ``padded`` are view offsets of the run's first letter
    hints = [_SEP_HINT] + ([_SEP_HINT_MARK] if "\uf8ff" in view else [])
    # each hint's next match, searched again only once the scan has passed it, so that
    # every hint regex reads the view once
    ahead: list[re.Match[str] | None] = [rx.search(padded) for rx in hints]
    pos = 0
    while True:
        for i, rx in enumerate(hints):
            h = ahead[i]
            if h is not None and h.start() < pos:
                ahead[i] = rx.search(padded, pos)
        starts = [h.start() for h in ahead if h is not None]
        if not starts:
            return
        at = min(starts)
        m = SEPARATED.match(view, at)
        if m is None:
            pos = at + 1
            continue
        pos = m.end() + 1
        run = m.group().replace("\uf8ff", " ")
        n = len(run) - run.count(" ")  # its letters
        if n - 2 * TRIM > longest:
            continue  # even trimmed at both ends, longer than any word of the lexicon
        # One-letter words next to the run ("… i.n.f.l.i.c.t.i.n.g a 16-oz", "r o c k i n g
        # h a m I'm") join it in the view; try the run without up to three letters each side.
        glued = run.replace(" ", "")  # one character per letter: the glued form of every trim
        letters: list[int] | None = None  # where each letter is in the run, once a trim is spelled
        for lo in range(min(TRIM + 1, n)):
            for hi in range(n, max(lo + 2, n - TRIM - 1), -1):
                if hi - lo < 3 or (known is not None and not any(map(known, _spellings(glued[lo:hi])))):
                    continue
                if letters is None:
                    letters = [x.start() for x in _ONE.finditer(run)]
                part = run[letters[lo]:letters[hi - 1] + 1]
                sus = _separated(m.start() + letters[lo], part)
                if sus is not None:
                    yield sus


_ONE = re.compile(rf"[{_TOK}]")


def _separated(off: int, part: str) -> Suspect | None:
    glued = part.replace(" ", "")
    if len(glued) < 3 or _LETTER.search(glued) is None:
        return None
    techs = {"noise"}
    if _LEET_CHARS.search(glued):
        techs.add("leet")
    return Suspect(off, off + len(part), tuple(_spellings(glued)), frozenset(techs))


def _spellings(glued: str) -> list[str]:
    """The spellings of separated letters glued: the letters, or their leet readings."""
    return _deleet(glued) if _LEET_CHARS.search(glued) else [glued]


def may_join_neighbours(sus: Suspect, limits: LatinLimits) -> bool:
    """Can the suspect be one or more words of a multi-word term (``ch11d porn``)?"""
    if limits.max_words < 2:
        return False
    parts = limits.parts
    repeated = "repeat" in sus.techniques
    return any(sp in parts or (repeated and collapse_repeats(sp) in parts) for sp in sus.spellings)


def with_neighbours(view: str, sus: Suspect, max_words: int) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    """The suspect glued to up to ``max_words - 1`` neighbouring words on either side.

    A multi-word term with one word written around (``ch11d porn``, ``buy 9un$``) is looked
    up by its glued form, as the sound view stores multi-word terms.
    """
    left = [(m.start(), m.end()) for m in _WORDS.finditer(view, max(0, sus.start - 64), sus.start)]
    right = [(m.start() + sus.end, m.end() + sus.end) for m in _WORDS.finditer(view[sus.end:sus.end + 64])]
    left = left[-(max_words - 1):] if max_words > 1 else []
    right = right[: max_words - 1]
    for i in range(len(left) + 1):
        before = left[len(left) - i:]
        for j in range(len(right) + 1):
            if i + j == 0 or i + j >= max_words:
                continue
            after = right[:j]
            pre = "".join(view[a:b] for a, b in before)
            post = "".join(view[a:b] for a, b in after)
            start = before[0][0] if before else sus.start
            end = after[-1][1] if after else sus.end
            yield start, end, tuple(pre + sp + post for sp in sus.spellings)
