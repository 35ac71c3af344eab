"""Latin-script walk-arounds that change a word's length: separators, leetspeak, repeats.

The view keeps one character per original character, which covers case, width,
diacritics, homoglyphs and zero-width characters. Three writings change a word's shape
and are found here instead, from marks the view's automaton reports as it scans (a letter
written three times, a digit or leet symbol next to a letter) and one regex with a literal
prefix for single letters between spaces — none of which ordinary text holds often:

* separators — single letters split by spaces or punctuation: ``f.u.c.k``, ``b a t e m a n``;
* leetspeak — digits and ``@ $ ! |`` inside a word: ``5h3vchenko``, ``@d4ni``;
* repeats — a letter written three times or more: ``fuuuuck``.

Each match yields the candidate spellings of the word (a leet ``1`` may be ``i`` or ``l``),
looked up in a dictionary of the lexicon's whole Latin words, so the cost is per suspicious
word, never per character.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product

_TOK = "a-z0-9@$!|"
_GAP = " \uf8ff"  # a space, or a symbol's mark in the view (f🔥u🔥c🔥k)
SEPARATED = re.compile(rf"(?<![{_TOK}])[{_TOK}](?:[{_GAP}]+[{_TOK}]){{2,}}(?![{_TOK}])")
# Hints with a literal first character, which the regex engine scans for quickly.
_SEP_HINT = re.compile(rf" [{_TOK}][{_GAP}]+[{_TOK}][{_GAP}]")
_SEP_HINT_MARK = re.compile(rf"\uf8ff[{_TOK}][{_GAP}]+[{_TOK}][{_GAP}]")
_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789@$!|")

# What a leet character may stand for; the first reading is the usual one.
LEET_READINGS: dict[str, str] = {
    "0": "o", "1": "il", "2": "z", "3": "e", "4": "a", "5": "s", "6": "gb", "7": "t", "8": "b", "9": "g",
    "@": "a", "$": "s", "!": "i", "|": "li",
}
MAX_SPELLINGS = 16
REPEAT_IN = re.compile(r"([a-z])\1\1")
_ONE = re.compile(rf"[{_TOK}]")
_WORDS = re.compile(rf"[{_TOK}]+")


@dataclass(frozen=True, slots=True)
class Suspect:
    """A word-view span whose letters, rewritten, may spell a term."""

    start: int  # word-view offsets
    end: int
    spellings: tuple[str, ...]
    techniques: frozenset[str]


def _deleet(word: str) -> list[str]:
    choices = [LEET_READINGS.get(c, c) for c in word]
    out = []
    for combo in product(*choices):
        out.append("".join(combo))
        if len(out) >= MAX_SPELLINGS:
            break
    return out


def _has_letter(s: str) -> bool:
    return any("a" <= c <= "z" for c in s)


def _token_at(view: str, i: int) -> tuple[int, int]:
    """The maximal run of letters, digits and leet symbols around position ``i``."""
    a = i
    while a > 0 and view[a - 1] in _TOKEN_CHARS:
        a -= 1
    b = i
    while b < len(view) and view[b] in _TOKEN_CHARS:
        b += 1
    return a, b


def suspects(view: str, triples: list[int], leets: list[int], separated: bool = True) -> Iterator[Suspect]:
    """Every separated, leet or repeated word in the view, with its spellings.

    ``triples`` (a letter written three times) and ``leets`` (a digit or leet symbol next
    to a letter) are positions the view's automaton reported as it scanned (``compile.MARK``).
    ``separated=False`` says the view holds no single letters split by gaps
    (``TextViews.may_be_separated``), and the search for them is skipped.
    """
    seen: set[tuple[int, int]] = set()
    last = (0, 0)  # a mark inside the token just read is in that token: walking it again is quadratic ("x" * n)
    for i in leets:
        if last[0] <= i < last[1]:
            continue
        a, b = last = _token_at(view, i)
        if (a, b) not in seen:
            seen.add((a, b))
            yield from _leet(a, view[a:b])
    last = (0, 0)
    for i in triples:
        if last[0] <= i < last[1]:
            continue
        a, b = last = _token_at(view, i)
        if (a, b) not in seen:
            seen.add((a, b))
            yield from _repeat(a, view[a:b])
    if not separated:
        return
    padded = f" {view} "
    hints = list(_SEP_HINT.finditer(padded))
    if "\uf8ff" in view:
        hints = sorted(hints + list(_SEP_HINT_MARK.finditer(padded)), key=lambda h: h.start())
    pos = 0
    for h in hints:
        if h.start() < pos:
            continue
        m = SEPARATED.match(view, h.start())
        if m is None:
            continue
        pos = m.end()
        run = m.group()
        # One-letter words next to the run ("… i.n.f.l.i.c.t.i.n.g a 16-oz", "r o c k i n g
        # h a m I'm") join it in the view; try the run without up to three letters each side.
        run = run.replace("\uf8ff", " ")
        letters = [(x.start(), x.end()) for x in _ONE.finditer(run)]
        n = len(letters)
        for a in range(min(4, n)):
            for b in range(n, max(a + 2, n - 4), -1):
                if b - a < 3:
                    continue
                part = run[letters[a][0]:letters[b - 1][1]]
                yield from _separated(m.start() + letters[a][0], part)


def _leet(offset: int, word: str) -> Iterator[Suspect]:
    # trailing/leading ! and | are punctuation more often than letters ("wow!")
    core = word.rstrip("!|").lstrip("!|")
    if not core or word.isdigit() or not any(c in LEET_READINGS for c in core) or not _has_letter(core):
        return
    start = offset + (len(word) - len(word.lstrip("!|")))
    techs = {"leet"}
    if REPEAT_IN.search(core):
        techs.add("repeat")
    yield Suspect(start, start + len(core), tuple(_deleet(core)), frozenset(techs))


def _repeat(offset: int, word: str) -> Iterator[Suspect]:
    techs = {"repeat"}
    spellings = [word]
    if any(c in LEET_READINGS for c in word):
        techs.add("leet")
        spellings = _deleet(word)
    yield Suspect(offset, offset + len(word), tuple(spellings), frozenset(techs))


def _separated(off: int, part: str) -> Iterator[Suspect]:
    glued = part.replace(" ", "")
    if len(glued) < 3 or not _has_letter(glued):
        return
    techs = {"noise"}
    spellings = [glued]
    if any(c in LEET_READINGS for c in glued):
        techs.add("leet")
        spellings = _deleet(glued)
    yield Suspect(off, off + len(part), tuple(spellings), frozenset(techs))


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
