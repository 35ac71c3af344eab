"""normalize/drawings.py: Cyrillic letters drawn in ASCII strokes, read as letters."""
from __future__ import annotations

import pytest

from interceptor.normalize.drawings import drawings, drawings_view, drawn_words

TABLE = sorted(drawings().items())


@pytest.mark.parametrize(("drawing", "letter"), TABLE, ids=[d for d, _ in TABLE])
def test_every_drawing_inside_a_word(drawing: str, letter: str) -> None:
    view = drawings_view(f"ну д{drawing}м")
    assert view is not None
    assert view.text == f"д{letter}м"
    assert view.original(1, 2) == (4, 4 + len(drawing))  # the letter stands for the whole drawing


@pytest.mark.parametrize(("drawing", "letter"), TABLE, ids=[d for d, _ in TABLE])
def test_every_drawing_at_a_word_edge(drawing: str, letter: str) -> None:
    view = drawings_view(f"{drawing}ом и д{drawing}")
    assert view is not None
    assert view.text.split("\n")[0] == f"{letter}ом"


@pytest.mark.parametrize(("text", "read"), [
    ("ты cу|<а", "cука"),  # a Latin look-alike in the word too
    ("ду|>а|<", "дурак"),
    ("}|{опа", "жопа"),
    (">|<ук", "жук"),
    ("мbIло", "мыло"),
    ("сЬIн", "сын"),
    ("JIох", "лох"),
    ("б/\\ядь", "блядь"),
    ("|-|ет", "нет"),
    ("ш|/|на", "шина"),
    ("III|/|ла", "шила"),
    ("д0лб0ёб", "долбоёб"),
    ("9Iма", "яма"),
    ("}{вост", "хвост"),
    ("мой |<лю4", "ключ"),
])
def test_drawn_words(text: str, read: str) -> None:
    view = drawings_view(text)
    assert view is not None
    assert view.text == read


@pytest.mark.parametrize("text", [
    # negative: no Cyrillic letter in the word: emoticons, code, ASCII art, Latin words
    "I love you :-|< ok", "if (a |< b) return", "x >|< y", "|\\| |_| |\\/|", "Jlord", "bIg",
    "cat |< dog", "ru: |<", "III",
    # beside Cyrillic words but apart from them, or a number, or emphasis after a word
    "привет >|< как", "III век", "10км", "3-го", "сука!!!", "Привет)) как дела?", "в 2020 году",
    # a Cyrillic word beside a Latin word that is no look-alike
    "ну ты |<ozel", "Jlexa", "",
])
def test_not_drawn(text: str) -> None:
    assert drawn_words(text) == []
    assert drawings_view(text) is None


def test_one_piece_per_word() -> None:
    view = drawings_view("ну ты ду|>а|< и }{уесос")
    assert view is not None
    first, second = view.text.split("\n\U00010000\n")
    assert (first, second) == ("дурак", "хуесос")
    at = view.text.index("хуесос")
    assert view.original(at, at + 6) == (16, 23)
