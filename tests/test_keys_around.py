"""engine/keys_around.py: the language of the words around a layout writing."""
from __future__ import annotations

import pytest

from interceptor.engine.keys_around import latin_sentence_around
from interceptor.normalize.tables import load


@pytest.mark.parametrize(("text", "latin"), [
    # Russian typed with the Latin layout on: alone, among words that read as Russian
    # (dictionary words and inflected forms), among Cyrillic letters
    ("cerf", False),
    ("ns cerf", False),
    ("ghbdtn, rfr ltkf? ns cerf", False),
    ("jyf nfrfz cerf, xnj z yt pyf/", False),
    ("z dxthf dbltk 'ne cerf", False),
    ("он сказал cerf", False),
    ("cerf f b b", False),  # one-key words say nothing
    # negative: words of Latin-script languages around it, a name inside a sentence
    ("the French word cerf means deer", True),
    ("le cerf court dans la foret", True),
    ("un cerf-volant rouge", True),
    ("vimos un cerf en el bosque", True),
    ("der cerf steht im Wald", True),
    ("il cerf corre nel bosco", True),
    ("widzialem cerf w lesie", True),
    ("We met Cerf", True),
    # as many Russian words so typed as not: a capitalised word inside the sentence is a name
    ("ghbdtn Cerf the", True),
    ("ghbdtn cerf the", False),
])
def test_latin_sentence_around(text: str, latin: bool) -> None:
    at = text.lower().index("cerf")
    assert latin_sentence_around(text, load(), at, at + 4) is latin
