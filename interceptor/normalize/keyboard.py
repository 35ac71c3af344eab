"""Terms typed with the wrong keyboard layout on: Russian keys read as Latin, and the reverse.

Someone who types a Russian word with the Latin layout switched on writes the Latin
characters on the keys of its letters (``cerf`` for ``сука``, ``,kzlm`` for ``блядь``), and
an English word typed with the Russian layout on comes out in Cyrillic letters (``агсл``
for ``fuck``). Evaders do it on purpose: the text looks like noise to a reader who does
not know the layout.

The mapping is one character per key, so a layout writing is the term with each
character translated by one table (``str.translate``), and its offsets are the term's:
the engine adds each writing as a pattern of its term (``patterns.Form.LAYOUT``) and reads
no text differently — a text without such a word pays nothing. The layout is the
standard Russian one (ЙЦУКЕН, GOST 6431) over the US QWERTY keys; the Ukrainian layout
differs on four keys (і ї є ґ), added for the letters Russian lacks.
"""
from __future__ import annotations

from functools import cache
from importlib import resources

# The US keys, unshifted, and the Russian letters on them (ЙЦУКЕН). Shifted keys give the
# capitals and the shifted punctuation ({ } : " < > ~), which read as the same letters.
QWERTY = "`qwertyuiop[]asdfghjkl;'zxcvbnm,."
JCUKEN = "ёйцукенгшщзхъфывапролджэячсмитьбю"
QWERTY_SHIFTED = '~{}:"<>'
JCUKEN_SHIFTED = "ёхъжэбю"
# The Ukrainian layout's own letters, on the keys of the Russian letters they replace.
UKRAINIAN = {"і": "s", "ї": "]", "є": "'", "ґ": "`"}

CYRILLIC_TO_KEYS = {ord(c): k for k, c in zip(QWERTY, JCUKEN, strict=True)} | {ord(c): k for c, k in UKRAINIAN.items()}
KEYS_TO_CYRILLIC = {ord(k): c for k, c in zip(QWERTY + QWERTY_SHIFTED, JCUKEN + JCUKEN_SHIFTED, strict=True)}
LATIN_TO_CYRILLIC = {ord(k): c for k, c in zip(QWERTY, JCUKEN, strict=True) if k.isalpha()}
PUNCTUATION_KEYS = frozenset(k for k in QWERTY + QWERTY_SHIFTED if not k.isalpha())
MIN_KEYS = 3  # two keys spell too many ordinary words of either layout
MIN_LETTER_KEYS = 2  # keys that are letters: punctuation alone is punctuation


def latin_keys(word: str) -> str:
    """The keys a lower-case Cyrillic word is typed on, read with the Latin layout on
    (``сука`` -> ``cerf``, ``блядь`` -> ``,kzlm``); "" when a character of it is on no key
    of the layout, or the writing is too short to tell from ordinary text."""
    if len(word) < MIN_KEYS or any(ord(c) not in CYRILLIC_TO_KEYS for c in word):
        return ""
    keys = word.translate(CYRILLIC_TO_KEYS)
    if len(keys) < MIN_KEYS:
        return ""
    if sum(k.isalpha() for k in keys) < MIN_LETTER_KEYS:
        return ""
    return keys


def cyrillic_keys(word: str) -> str:
    """The Russian letters a lower-case Latin word comes out as when typed with the Russian
    layout on (``fuck`` -> ``агсл``); "" for a word of other characters, a short one, or
    one whose letters so typed are a Russian word (``russian_words``)."""
    if len(word) < MIN_KEYS or not word.isascii() or not word.isalpha():
        return ""
    keys = word.translate(LATIN_TO_CYRILLIC)
    return "" if keys in russian_words() else keys


@cache
def russian_words() -> frozenset[str]:
    """Russian words a Latin word typed with the Russian layout on may spell
    (``tables/words_ru.txt``): ``zobr`` typed so is ``ящик``, a box, and no evasion."""
    text = resources.files("interceptor.normalize").joinpath("tables", "words_ru.txt").read_text(encoding="utf8")
    return frozenset(ln for ln in text.splitlines() if ln and ln[0] != "#")


def reads_as_keys(written: str, keys: str) -> bool:
    """Is ``written`` (original text) the keys ``keys`` typed, in either case? Shifted
    punctuation is the same key (``{`` for ``[``: a capital Х)."""
    if len(written) != len(keys):
        return False
    low = written.lower()
    if low == keys:
        return True
    return low.translate(KEYS_TO_CYRILLIC) == keys.translate(KEYS_TO_CYRILLIC)


# The endings a Russian dictionary word (a lemma: неделя, работа, начать) loses to leave the
# stem its inflected forms share (недел, работ, нача), longest first; and the endings of the
# inflected forms of nouns, adjectives and verbs that follow such a stem (неделю, начались).
LEMMA_ENDINGS = ("ться", "ть", "ти", "чь", "ый", "ий", "ой", "ая", "ое", "ие", "ия", "ье", "ья",
                 "а", "я", "о", "е", "ь", "й", "ы", "и")
INFLECTIONS = frozenset((
    "а", "у", "е", "и", "ы", "о", "ю", "я", "ом", "ем", "ой", "ей", "ым", "им", "ами", "ями", "ах", "ях",
    "ов", "ев", "ие", "ия", "ию", "ием", "ии", "его", "ого", "ому", "ему", "ая", "яя", "ое", "ее", "ую",
    "юю", "ый", "ий", "ых", "их", "ыми", "ими", "ат", "ят", "ит", "ет", "ут", "ют", "ешь", "ишь", "ете",
    "ите", "л", "ла", "ло", "ли", "ся", "тся", "ться", "лся", "лась", "лось", "лись", "ется", "ится",
    "ются", "ятся",
))
STEM_LETTERS = 3  # a shorter stem with an ending spells too many words of other languages
_MAX_INFLECTION = max(map(len, INFLECTIONS))


@cache
def russian_stems() -> frozenset[str]:
    """The stem of every word of the Russian spelling dictionary (``LEMMA_ENDINGS`` off its
    end) and the word itself, of ``STEM_LETTERS`` letters or more: what its inflected forms
    begin with (недел of неделя)."""
    stems: set[str] = set()
    for w in russian_words():
        if len(w) >= STEM_LETTERS:
            stems.add(w)
        for e in LEMMA_ENDINGS:
            if w.endswith(e) and len(w) >= len(e) + STEM_LETTERS:
                stems.add(w[:-len(e)])
                break
    return frozenset(stems)


def russian_form(word: str) -> bool:
    """Is a lower-case Cyrillic word a word of the Russian spelling dictionary, or one of its
    stems followed by an inflection (``неделю``, ``начались``: the dictionary holds lemmas)?"""
    if word in russian_words():
        return True
    stems = russian_stems()
    for k in range(1, min(_MAX_INFLECTION, len(word) - STEM_LETTERS) + 1):
        if word[-k:] in INFLECTIONS and word[:-k] in stems:
            return True
    return False
