"""Terms written in another script's letters: Cyrillic in Latin letters, German without umlauts.

A Russian or Ukrainian word is often typed in Latin letters (``blyat``, ``suka``, ``pizdec``),
and not in one system: the national standards (GOST 7.79 system B, BGN/PCGN) and the informal
writings people type (``ya`` or ``ja`` for я, ``h`` or ``kh`` or ``x`` for х, nothing or an
apostrophe for ь). German words lose their umlauts as ``ae oe ue`` and ``ß`` as ``ss``
(``HURENSOEHNE``, ``Scheisse``), the DIN 5007 way.

``spellings`` gives a term's writings in Latin letters, the usual one first, a bounded number
of them; the engine adds each as a pattern of the term (``patterns.Form.TRANSLIT``). The text
is never transliterated: its words are matched as they are, so a text without such a word
pays nothing.
"""
from __future__ import annotations

import re
from functools import cache, lru_cache
from itertools import product

from interceptor.normalize.keyboard import russian_stems, russian_words

# Each Cyrillic letter's Latin writings, the usual one first (GOST 7.79 B / BGN/PCGN), then
# ISO 9 system B's and the informal ones people type: x for х, 4 for ч, w and 6 for ш, 9 and
# 9i (9I) for я, an apostrophe or y for the soft and hard signs. Russian, Ukrainian and
# Belarusian letters.
CYRILLIC_LATIN: dict[str, tuple[str, ...]] = {
    "а": ("a",), "б": ("b",), "в": ("v", "w"), "г": ("g",), "д": ("d",), "е": ("e",),
    "ё": ("yo", "e", "jo", "io"), "ж": ("zh", "j"), "з": ("z",), "и": ("i",), "й": ("y", "i", "j"), "к": ("k",),
    "л": ("l",), "м": ("m",), "н": ("n",), "о": ("o",), "п": ("p",), "р": ("r",), "с": ("s",), "т": ("t",),
    "у": ("u",), "ф": ("f",), "х": ("h", "kh", "x"), "ц": ("ts", "c", "tz", "cz"), "ч": ("ch", "4"),
    "ш": ("sh", "w", "6"), "щ": ("sch", "shch", "sh", "shh", "w"), "ъ": ("", "'", "y"), "ы": ("y", "i"),
    "ь": ("", "'", "y"), "э": ("e",), "ю": ("yu", "ju", "iu"), "я": ("ya", "ja", "ia", "9", "9i"),
    "і": ("i",), "ї": ("yi", "i"), "є": ("ye", "e"), "ґ": ("g",), "ў": ("u", "w"),
}
# Whole systems a writer keeps to within a word, each a writing per letter that differs from
# the usual one: ISO 9 system B, the j-writing, the i-writing, GOST's kh, the informal x-j-ia
# writing, and the two that write letters as the digits and Latin letters they look like
# (volapuk).
SYSTEMS: tuple[dict[str, str], ...] = (
    {"х": "x", "ц": "cz", "щ": "shh", "й": "j", "ъ": "'", "ь": "'"},
    {"я": "ja", "ю": "ju", "ё": "jo", "й": "j", "х": "h", "ц": "c"},
    {"я": "ia", "ю": "iu", "ё": "io", "й": "i", "х": "h", "ц": "c"},
    {"х": "kh", "ц": "ts", "щ": "shch", "ё": "e"},
    {"х": "x", "й": "j", "я": "ia", "ю": "iu", "ё": "io", "ж": "j", "ц": "tz"},
    {"ч": "4", "ш": "w", "щ": "w", "я": "9i", "х": "x", "ц": "c", "й": "j", "ж": "j"},
    {"ч": "4", "ш": "6", "я": "9", "х": "x", "ц": "c", "й": "i"},
)
# Ukrainian's national system (2010): г is h, и is y; for a word with a letter only Ukrainian
# has (і ї є ґ), first after the usual writing.
UKRAINIAN: dict[str, str] = {"г": "h", "и": "y", "х": "kh", "щ": "shch", "ї": "yi", "є": "ye", "й": "y"}
_UKRAINIAN_LETTERS = frozenset("іїєґ")
# Word-level writings: an adjective's ending without its й (-ый, -ий written -y, -i), the
# ending's letters swapped (-yi), BGN's ye for е at the start of a word, a doubled letter
# written once.
ENDINGS: dict[str, tuple[str, ...]] = {"ый": ("y", "yi", "iy"), "ий": ("iy", "i", "y", "ii"), "ой": ("oy", "oi")}
GERMAN_LATIN: dict[str, str] = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}
_CYRILLIC_WORD = re.compile(f"[{re.escape(''.join(CYRILLIC_LATIN))}]+")
_GERMAN = re.compile(f"[{''.join(GERMAN_LATIN)}]")
MAX_SPELLINGS = 32
MIN_LETTERS = 4  # shorter transliterations are other languages' words (hui, dura) too often
# A short writing is some Latin-script language's word too often (eben, ment, minut, estis):
# below SURE_LETTERS it must hold a digraph only a transliteration of Cyrillic writes, or a
# digit written for a letter.
SURE_LETTERS = 6
TELLTALE = ("ya", "yu", "yo", "ye", "zh", "kh", "shch", "4", "6", "9")
SHORT_SPELLINGS = 4
MIXED_OCCURRENCES = 3


def _write(word: str, pick: dict[str, str]) -> str:
    return "".join(pick.get(c, CYRILLIC_LATIN[c][0]) for c in word)


def _writings(word: str) -> list[str]:
    """Every writing of ``word`` worth a pattern, the likeliest first: the usual one, each
    whole system (Ukrainian's first for a Ukrainian word), then one letter written
    otherwise, then the other choices per letter, fewest unusual first (a writer keeps to
    one writing of each letter within a word: every я as ``ya``, or every я as ``ia``)."""
    out = [_write(word, {})]
    present = [c for c in dict.fromkeys(word) if len(CYRILLIC_LATIN[c]) > 1]
    systems = (UKRAINIAN, *SYSTEMS) if _UKRAINIAN_LETTERS.intersection(word) else SYSTEMS
    for system in systems:
        out.append(_write(word, {c: w for c, w in system.items() if c in word}))
    for c in present:
        out.extend(_write(word, {c: w}) for w in CYRILLIC_LATIN[c][1:])
    out.extend(_mixed(word, present))
    combos = sorted(product(*(range(len(CYRILLIC_LATIN[c])) for c in present)),
                    key=lambda combo: (sum(k > 0 for k in combo), combo))
    for combo in combos[:8 * MAX_SPELLINGS]:
        out.append(_write(word, {c: CYRILLIC_LATIN[c][k] for c, k in zip(present, combo, strict=True)}))
    return list(dict.fromkeys(out))


def _mixed(word: str, present: list[str]) -> list[str]:
    """Writings that write one letter met more than once in two ways within the word (я as
    ``ia``, then ``ya``: ``eiakulyat``), the others as usual: its usual writing and one of
    its next two, each occurrence either, up to ``MIXED_OCCURRENCES`` occurrences."""
    out = []
    for c in present:
        at = [k for k, x in enumerate(word) if x == c][:MIXED_OCCURRENCES]
        if len(at) < 2:
            continue
        for alt in CYRILLIC_LATIN[c][1:3]:
            two = (CYRILLIC_LATIN[c][0], alt)
            for choice in product(range(2), repeat=len(at)):
                if 0 < sum(choice) < len(at):
                    pick = dict(zip(at, (two[k] for k in choice), strict=True))
                    out.append("".join(pick[k] if k in pick else CYRILLIC_LATIN[x][0] for k, x in enumerate(word)))
    return out


def _word_forms(word: str) -> list[tuple[str, str, str]]:
    """(prefix, Cyrillic stem, suffix) of the word's word-level writings: as it is, its
    ending written otherwise, ye for a first е, a doubled letter written once."""
    forms = [("", word, "")]
    for ending, writings in ENDINGS.items():
        if word.endswith(ending) and len(word) > len(ending) + 2:
            forms += [("", word[:-len(ending)], w) for w in writings]
    if word[0] == "е":
        forms.append(("ye", word[1:], ""))
    single = "".join(c for k, c in enumerate(word) if k == 0 or c != word[k - 1])
    if single != word:
        forms.append(("", single, ""))
    return forms


def cyrillic_spellings(word: str, short: bool = False) -> list[str]:
    """Latin writings of a lower-case word of Cyrillic letters, the usual first; [] when the
    word holds another character. A writing shorter than ``SURE_LETTERS`` is kept only with
    a digraph or digit of ``TELLTALE`` (``blyat``, ``bl9t``, not ``eben``), never one shorter
    than ``MIN_LETTERS``; with ``short``, the others of at least ``MIN_LETTERS`` (``govno``),
    which the engine takes only where the text around them is no other Latin-script
    language's. Up to ``MAX_SPELLINGS`` writings of distinct letters (each with and without
    an apostrophe for a sign), the word as it is first, then its word-level writings
    (``_word_forms``) interleaved.
    """
    if _CYRILLIC_WORD.fullmatch(word) is None:
        return []
    out = _interleaved(word)
    if short:  # the writings too short to be sure of (govno): for text in no other language
        kept = [s.rstrip("'") for s in out if not _sure(s.replace("'", "")) and len(s.replace("'", "")) >= MIN_LETTERS]
        return list(dict.fromkeys(kept))[:SHORT_SPELLINGS]
    kept = list(dict.fromkeys(s.rstrip("'") for s in out if _sure(s.replace("'", ""))))
    # bounded by the writings' letters: an apostrophe for a sign rides along with its word
    letters = list(dict.fromkeys(s.replace("'", "") for s in kept))[:MAX_SPELLINGS]
    allowed = set(letters)
    return [s for s in kept if s.replace("'", "") in allowed]


@lru_cache(maxsize=1)  # the compiler asks for a word's long writings, then its short ones
def _interleaved(word: str) -> list[str]:
    per_form = [[pre + w + suf for w in (_writings(stem) if stem else [""])] for pre, stem, suf in _word_forms(word)]
    out: list[str] = per_form[0][:2]
    rest = [ws[2:] for ws in per_form[:1]] + [ws for ws in per_form[1:]]
    for k in range(max(map(len, rest))):
        out.extend(ws[k] for ws in rest if k < len(ws))
    return out


def _sure(letters: str) -> bool:
    return len(letters) >= SURE_LETTERS or (len(letters) >= MIN_LETTERS and telltale(letters))


def telltale(letters: str) -> bool:
    """Does a Latin word hold a digraph only a transliteration of Cyrillic writes, or a digit
    written for a letter (``TELLTALE``)?"""
    return any(d in letters for d in TELLTALE)


@cache
def russian_writings() -> frozenset[str]:
    """The usual, the j- and the kh-writing of every word of the Russian spelling dictionary
    (``keyboard.russian_words``: ``chto``, ``tebya``, ``tebja``, ``voobshche``): a word beside a
    transliterated term written so is Russian in Latin letters too, the term's own language."""
    words = russian_words()
    return frozenset(_write(w, pick) for pick in ({}, SYSTEMS[1], SYSTEMS[3]) for w in words)


# The endings of inflected forms in Latin letters, of nouns, adjectives and verbs (usual, j-
# and i-writing), that follow a dictionary word's stem (``keyboard.russian_stems``): nedelju,
# raboty, nachal, nachalas'.
INFLECTIONS = frozenset((
    "a", "u", "e", "i", "y", "o", "ju", "yu", "ja", "ya", "om", "em", "oj", "oy", "ej", "ey", "ym", "im",
    "ami", "jami", "yami", "ah", "jah", "yah", "ov", "ev", "ie", "ija", "iya", "iju", "iyu", "iem", "ii",
    "ego", "ogo", "omu", "emu", "aya", "aja", "yaya", "oe", "ee", "uju", "uyu", "yj", "yi", "iy", "ij",
    "yh", "ih", "ymi", "imi", "at", "jat", "yat", "it", "et", "ut", "jut", "yut", "esh", "ish", "ete", "ite",
    "l", "la", "lo", "li", "sja", "sya", "tsja", "tsya", "las", "los", "lis", "lsja", "lsya", "etsja",
    "etsya", "itsja", "itsya", "atsja", "atsya",
))
STEM_LETTERS = 4  # a stem's writing shorter than this spells other languages' words too often
# A lone vowel after a stem is how Italian, Spanish and Czech words end too (tempo, parte,
# dobre): it counts after a longer stem only. Over 8-word samples of wordfreq's text, the rule
# takes Russian sentences in Latin letters judged another language from 33% to 10% (j-writing
# 51% to 17%) and Italian, Czech, Romanian judged their own 3 to 5 points less often.
VOWEL_STEM_LETTERS = 5
_MAX_INFLECTION = max(map(len, INFLECTIONS))


@cache
def russian_stem_writings() -> frozenset[str]:
    """The usual and the j-writing of the stems of the Russian spelling dictionary
    (``keyboard.russian_stems``), of ``STEM_LETTERS`` Latin letters or more: what an
    inflected form in Latin letters begins with (``nedel`` of неделя)."""
    stems = russian_stems()
    out = (_write(s, pick) for pick in ({}, SYSTEMS[1]) for s in stems if _CYRILLIC_WORD.fullmatch(s))
    return frozenset(s for s in out if len(s) >= STEM_LETTERS)


def inflected_russian(word: str) -> bool:
    """Is a lower-case Latin word a Russian stem's writing followed by an inflection written in
    Latin letters (``nedelju``, ``plavaniem``, ``nachal``)? The dictionary holds lemmas only,
    so a sentence of Russian in Latin letters is mostly such words."""
    stems = russian_stem_writings()
    for k in range(1, min(_MAX_INFLECTION, len(word) - STEM_LETTERS) + 1):
        if word[-k:] in INFLECTIONS and word[:-k] in stems and (k > 1 or len(word) > VOWEL_STEM_LETTERS):
            return True
    return False


def german_spellings(word: str) -> list[str]:
    """A lower-case German word with ``ä ö ü ß`` written ``ae oe ue ss`` (or [] if it has none)."""
    if _GERMAN.search(word) is None:
        return []
    return ["".join(GERMAN_LATIN.get(c, c) for c in word)]
