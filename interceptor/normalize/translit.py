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

from itertools import product

# Each Cyrillic letter's Latin writings, the usual one first (GOST 7.79 B / BGN/PCGN, then
# the informal ones). Russian, Ukrainian and Belarusian letters.
CYRILLIC_LATIN: dict[str, tuple[str, ...]] = {
    "а": ("a",), "б": ("b",), "в": ("v", "w"), "г": ("g",), "д": ("d",), "е": ("e",), "ё": ("yo", "e", "jo"),
    "ж": ("zh", "j"), "з": ("z",), "и": ("i",), "й": ("y", "i", "j"), "к": ("k",), "л": ("l",), "м": ("m",),
    "н": ("n",), "о": ("o",), "п": ("p",), "р": ("r",), "с": ("s",), "т": ("t",), "у": ("u",), "ф": ("f",),
    "х": ("h", "kh", "x"), "ц": ("ts", "c", "tz"), "ч": ("ch",), "ш": ("sh",), "щ": ("sch", "shch", "sh"),
    "ъ": ("", "'"), "ы": ("y", "i"), "ь": ("", "'"), "э": ("e",), "ю": ("yu", "ju", "iu"), "я": ("ya", "ja", "ia"),
    "і": ("i",), "ї": ("yi", "i"), "є": ("ye", "e"), "ґ": ("g",), "ў": ("u", "w"),
}
# German letters and their DIN 5007 writings without diacritics.
GERMAN_LATIN: dict[str, str] = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}
MAX_SPELLINGS = 16
MIN_LETTERS = 4  # shorter transliterations are other languages' words (hui, dura) too often
# A short writing is some Latin-script language's word too often (eben, ment, minut, estis):
# below SURE_LETTERS it must hold a digraph only a transliteration of Cyrillic writes.
SURE_LETTERS = 6
TELLTALE = ("ya", "yu", "yo", "ye", "zh", "kh")
SHORT_SPELLINGS = 4


def cyrillic_spellings(word: str, short: bool = False) -> list[str]:
    """Latin writings of a lower-case word of Cyrillic letters, the usual first; [] when the
    word holds another character. A writing shorter than ``SURE_LETTERS`` is kept only with
    a digraph of ``TELLTALE`` (``blyat``, not ``eben``), never one shorter than ``MIN_LETTERS``;
    with ``short``, the others of at least ``MIN_LETTERS`` (``govno``), which the engine takes
    only where the text around them is no other Latin-script language's.

    A writer keeps to one writing of each letter within a word (every я as ``ya``, or every
    я as ``ia``): the writings are every choice per letter, fewest unusual choices first
    (``zahuinutsia`` takes two), and the informal writing of every letter second (``xujnia``),
    up to ``MAX_SPELLINGS``.
    """
    if not word or any(c not in CYRILLIC_LATIN for c in word):
        return []
    letters = [c for c in dict.fromkeys(word) if len(CYRILLIC_LATIN[c]) > 1]
    combos = sorted(product(*(range(len(CYRILLIC_LATIN[c])) for c in letters)),
                    key=lambda combo: (sum(k > 0 for k in combo), combo))
    informal = "".join(CYRILLIC_LATIN[c][-1] for c in word)  # the last writing of every letter
    out: list[str] = []
    for combo in combos[:8 * MAX_SPELLINGS]:
        if len(out) == 1:
            out.append(informal)
        pick = dict(zip(letters, combo, strict=True))
        out.append("".join(CYRILLIC_LATIN[c][pick.get(c, 0)] for c in word))
    if short:  # the writings too short to be sure of (govno): for text in no other language
        kept = [s.rstrip("'") for s in out if not _sure(s.replace("'", "")) and len(s.replace("'", "")) >= MIN_LETTERS]
        return list(dict.fromkeys(kept))[:SHORT_SPELLINGS]
    kept = [s.rstrip("'") for s in out if _sure(s.replace("'", ""))]
    return list(dict.fromkeys(kept))[:MAX_SPELLINGS]


def _sure(letters: str) -> bool:
    return len(letters) >= SURE_LETTERS or (len(letters) >= MIN_LETTERS and any(d in letters for d in TELLTALE))


def german_spellings(word: str) -> list[str]:
    """A lower-case German word with ``ä ö ü ß`` written ``ae oe ue ss`` (or [] if it has none)."""
    if not any(c in GERMAN_LATIN for c in word):
        return []
    return ["".join(GERMAN_LATIN.get(c, c) for c in word)]
