"""Which language the words around a layout writing are written in.

Keys of letters alone spell words of the Latin-script languages as well as Russian words
typed with the Latin layout on: ``cerf`` is сука on the Russian keys and a deer in French,
``Cerf`` a surname. What tells them apart is the text around it. Someone who types Russian
with the wrong layout on types the whole sentence so (``ns cerf``, ``ghbdtn rfr ltkf``), and
those words read, through the layout, as Russian words (``keyboard.russian_form``: a word of
the dictionary, or one of its stems with an inflection); the words of a French or English
sentence are ordinary words of their language, or read as nothing in Russian.

Only a match of a layout writing asks (a text without one pays nothing), and it reads at
most ``NEIGHBOURS`` words either side of it.
"""
from __future__ import annotations

import re

from interceptor.engine.precision import NEIGHBOURS, cyrillic_near, written_as_name
from interceptor.normalize.keyboard import KEYS_TO_CYRILLIC, russian_form
from interceptor.normalize.tables import Tables

# A word of the keys of the layout: letters and the punctuation keys that are Russian letters
# (``,kzlm`` is блядь, ``[eq`` is хуй).
_KEY_WORD = re.compile(r"[A-Za-z\[\];',.`{}:\"<>~]+")
_LETTERS = re.compile(r"[A-Za-z]+")
MIN_NEIGHBOUR = 2  # one key is a Russian word (z, b, d: я, и, в) and an English one (a, I) alike


def latin_sentence_around(text: str, t: Tables, start: int, end: int) -> bool:
    """Is the layout writing ``text[start:end]`` a word of a sentence in a Latin-script
    language rather than Russian typed on the Latin keys? So the words beside it are: more of
    them ordinary words (``Tables.words_en``) or words that read as no Russian word through
    the layout than words that do; or it is written as a name (a capitalised word inside a
    sentence: ``Mr Cerf``) among words that are not Russian so typed. A writing alone, or
    among Cyrillic letters, is Russian typed with the wrong layout on."""
    if cyrillic_near(text, start, end):
        return False
    before = _KEY_WORD.findall(text, max(0, start - 16 * NEIGHBOURS), start)[-NEIGHBOURS:]
    after = _KEY_WORD.findall(text, end, end + 16 * NEIGHBOURS)[:NEIGHBOURS]
    russian = other = 0
    for w in before + after:
        letters = "".join(_LETTERS.findall(w)).lower()
        if len(letters) < MIN_NEIGHBOUR:
            continue
        if russian_form(w.lower().translate(KEYS_TO_CYRILLIC)) or russian_form(letters.translate(KEYS_TO_CYRILLIC)):
            russian += 1
        else:
            other += 1  # an ordinary word of its language, or one that reads as nothing in Russian
    if other > russian:
        return True
    return russian <= other and other > 0 and written_as_name(text, t, start, end)
