"""The break view (normalize.breaks): which words a bare line break splits, read joined, where
each character came from, and that a text without a break inside a word reads nothing."""
from __future__ import annotations

import pytest

from interceptor.normalize.breaks import breaks_view, may_hold
from interceptor.normalize.markup import SEPARATOR


def ordinary(word: str) -> bool:
    """A stand-in word list: these words, and no other."""
    return word.lower() in {"dick", "head", "the", "quick", "brown", "pen", "is"}


def in_phrase(word: str) -> bool:
    """A stand-in for the words of terms of several words."""
    return word in {"people", "fuck", "сука"}


# text -> the joined words (SEPARATOR between them), or None
READS = [
    ("fu\nck", "fuck"),
    ("ты су\r\nка", "ты сука"),
    ("fu\u2028ck", "fuck"),
    ("fu\u2029ck", "fuck"),
    ("fu\rck", "fuck"),
    ("fu<br>ck", "fuck"),
    ("fu<BR/>ck and cu<br />nt", "fuck and cunt"),
    ("f\nu\nck", "fuck"),
    ("elderly p<br>eople are", "elderly people are"),  # the words around, for terms of several
    # far apart: one run each, read to a space and never into a word
    ("fu\nck " + "x" * 60 + " cu\nnt", "fuck" + SEPARATOR + "cunt"),
    ("fu\nck " + "x" * 60, "fuck"),
    ("one cu\nnt, one", "cunt"),  # a word of no term of several: the word alone
    ("加我微<br>信", "加我微信"),
    ("one fu\nck, one cu\nnt", "one fuck, one cunt"),
    # a boundary, or nothing to join
    ("the quick\nbrown fox", None),
    ("Dick\nhead", None),
    ("pen\nis", None),
    ("fu \nck", None),
    ("fu\n ck", None),
    ("fu\n\nck", None),
    ("fu-\nck", None),  # a hyphenated break: the markup view's
    ("加我微\n信", None),  # between Han characters the plain views read it as noise
    ("2024\n2025", None),
    ("no break at all", None),
    ("a <b>bold</b> word", None),
]


@pytest.mark.parametrize(("text", "reads"), READS, ids=[repr(t) for t, _ in READS])
def test_what_the_break_view_reads(text: str, reads: str | None) -> None:
    view = breaks_view(text, ordinary, in_phrase)
    assert (view.text if view else None) == reads


@pytest.mark.parametrize(("text", "reads"), [r for r in READS if r[1]], ids=[repr(t) for t, r in READS if r])
def test_every_character_maps_to_itself_in_the_text(text: str, reads: str) -> None:
    view = breaks_view(text, ordinary, in_phrase)
    assert view is not None
    for i, ch in enumerate(view.text):
        span = view.original(i, i + 1)
        if span is None:
            assert ch in SEPARATOR
            continue
        assert text[span[0]:span[1]] == ch


def test_a_joined_span_covers_the_break() -> None:
    text = "what the fu\r\nck"
    view = breaks_view(text, ordinary, in_phrase)
    assert view is not None and view.text == "what the fuck"
    assert view.original(9, 13) == (text.index("fu"), len(text))


@pytest.mark.parametrize("text", ["plain text, one line", "加我微信", "a < b and c > d", "<b>bold</b>"])
def test_a_text_without_a_line_break_is_not_read(text: str) -> None:
    assert not may_hold(text)
    assert breaks_view(text, ordinary, in_phrase) is None
