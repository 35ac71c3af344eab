"""normalize/italic.py: Latin letters written for italic Cyrillic ones inside a Russian word,
read in Cyrillic; and the words that stay as written."""
from __future__ import annotations

import pytest

from interceptor import Interceptor
from interceptor.normalize.italic import ITALIC, italic_view, italic_words
from interceptor.normalize.markup import SEPARATOR
from interceptor.normalize.tables import ITALIC_ONLY, Kind, load

# text -> what the view reads (SEPARATOR between words), or None
READS = [
    ("героuн", "героин"),
    ("ну nuздец", "пиздец"),
    ("geбuл", "дебил"),
    ("mварь", "тварь"),
    ("rандон", None),  # r is the upright look-alike of г: the plain views read it
    ("y6людoк", None),  # a digit alone is the leet reading's
    ("rандоn", "гандоп"),  # every letter of ITALIC read in such a word, whatever it spells
    ("nu3gец", "пиздец"),
    ("бляgь и пuдор", "блядь" + SEPARATOR + "пидор"),
    ("Героuн!", "Героин"),  # punctuation ends the run
    # no Cyrillic letter, a Latin word or a number beside, no italic letter
    ("nugop", None),
    ("run away", None),
    ("Googleом", None),  # a Latin word with a Russian ending
    ("bmw-шный", None),
    ("ребята2um", None),
    ("сука", None),
    ("cyka", None),  # upright look-alikes only: the plain views read them
    ("10 km от дома", None),
]


@pytest.mark.parametrize(("text", "reads"), READS, ids=[t for t, _ in READS])
def test_what_the_italic_view_reads(text: str, reads: str | None) -> None:
    view = italic_view(text)
    assert (view.text if view else None) == reads


@pytest.mark.parametrize(("text", "reads"), [r for r in READS if r[1]], ids=[t for t, r in READS if r])
def test_a_word_maps_to_its_own_characters(text: str, reads: str) -> None:
    view = italic_view(text)
    assert view is not None
    first = reads.split(SEPARATOR)[0]
    lo, hi = italic_words(text)[0]
    assert view.original(0, len(first)) == (lo, hi)
    assert "".join(ITALIC.get(c, c) for c in text[lo:hi]) == first


def test_words_are_whole_runs() -> None:
    text = "ты героuн, да"
    assert italic_words(text) == [(3, 9)]


def test_the_italic_letters_are_those_with_no_upright_look_alike() -> None:
    fold = load().fold_char
    for latin, cyrillic in ITALIC.items():
        if latin.isalpha():
            assert (latin in ITALIC_ONLY) is (fold(latin) != fold(cyrillic)), latin
    kinds = load().kinds
    assert [c for c in "abcdefghijklmnopqrstuvwxyz" if kinds[ord(c)] & Kind.ITALIC] == sorted(ITALIC_ONLY)


@pytest.fixture(scope="module")
def guard() -> Interceptor:
    return Interceptor.from_path("lexicons/default")


# text -> the term read there with the homoglyph technique, or None: English words never
# turn into Russian terms, and Russian text with Latin words stays as written
ENGINE = [
    ("ты пuдор", "пидор"),
    ("geбuл", "дебил"),
    ("nuздец какой", "пиздец"),
    ("nugop", None),
    ("a mudak", None),
    ("open the door", None),
    ("в iPhone и Google", None),
]


@pytest.mark.parametrize(("text", "term"), ENGINE, ids=[t for t, _ in ENGINE])
def test_the_engine_reads_the_italic_view(guard: Interceptor, text: str, term: str | None) -> None:
    got = [h.term for h in guard.check(text).hits if h.variant == "homoglyph"]
    assert got == ([term] if term else [])
