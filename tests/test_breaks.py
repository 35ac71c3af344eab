"""The break view (normalize.breaks): which words a bare line break or a symbol splits, read
joined, where each character came from, and that a text without a break inside a word reads
nothing."""
from __future__ import annotations

import pytest

from interceptor.normalize.breaks import breaks_view, may_hold
from interceptor.normalize.markup import SEPARATOR
from interceptor.normalize.tables import Kind, in_word_symbols, load


def ordinary(word: str) -> bool:
    """A stand-in word list: these words, and no other."""
    return word.lower() in {"dick", "head", "the", "quick", "brown", "pen", "is", "apples", "pears", "input", "output"}


def symbols(text: str) -> bool:
    """What the views tell the break view: does the text hold a symbol of ``Kind.INSIDE``?"""
    kinds = load().kinds
    return any(kinds[ord(c)] & Kind.INSIDE for c in text)


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
    # a blank line inside a word
    ("fu\n\nck", "fuck"),
    ("fu\n \t\nck", "fuck"),
    ("су\r\n\r\nка", "сука"),
    ("fu\u2028\u2028ck", "fuck"),
    # symbols inside a word: one, or a few, Latin and Cyrillic
    ("fu•ck", "fuck"),
    ("fu·ck", "fuck"),
    ("fu‧ck", "fuck"),
    ("fu∙ck", "fuck"),
    ("fu⋅ck", "fuck"),
    ("fu→ck", "fuck"),
    ("fu★ck", "fuck"),
    ("fu•☆•ck", "fuck"),
    ("с•у•ка", "сука"),
    ("ты су◆ка", "ты сука"),
    ("f•uc☆k→", "fuck"),  # a symbol at the word's end is no break: the run ends before it
    ("fu•c\nk", "fuck"),  # a symbol and a line break in one word
    ("cu\nnt or fu→ck", "cunt or fuck"),
    ("ca·ll·l", "call"),  # the middle dot between two l is Catalan's letter pair: no break
    # a boundary, or nothing to join
    ("the quick\nbrown fox", None),
    ("Dick\nhead", None),
    ("pen\nis", None),
    ("fu \nck", None),
    ("fu\n ck", None),
    ("the quick\n\nbrown", None),
    ("fu\n\n\nck", None),  # more than a blank line: a part of the text ends
    ("fu\n\n ck", None),
    ("fu \n\nck", None),
    # symbols: a list of ordinary words, a space beside, not between letters, ASCII, dashes,
    # quotes and apostrophes, the Catalan letter pair
    ("apples•pears", None),
    ("input→output", None),
    ("fu • ck", None),
    ("fu• ck", None),
    ("•fuck•", None),
    ("12•34", None),
    ("fu•4k", None),
    ("fu.ck", None),
    ("fu-ck", None),
    ("fu—ck", None),
    ("fu’ck", None),
    ("she′ll", None),
    ("fu••••ck", None),  # more than three symbols
    ("col·legi", None),
    ("il·lusió", None),
    ("微•信", None),  # between Han characters the plain views read it as noise
    ("fu-\nck", None),  # a hyphenated break: the markup view's
    ("加我微\n信", None),  # between Han characters the plain views read it as noise
    ("2024\n2025", None),
    ("no break at all", None),
    ("a <b>bold</b> word", None),
]


@pytest.mark.parametrize(("text", "reads"), READS, ids=[repr(t) for t, _ in READS])
def test_what_the_break_view_reads(text: str, reads: str | None) -> None:
    view = breaks_view(text, ordinary, in_phrase, symbols(text))
    assert (view.text if view else None) == reads


@pytest.mark.parametrize(("text", "reads"), [r for r in READS if r[1]], ids=[repr(t) for t, r in READS if r])
def test_every_character_maps_to_itself_in_the_text(text: str, reads: str) -> None:
    view = breaks_view(text, ordinary, in_phrase, symbols(text))
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


@pytest.mark.parametrize("text", ["fu•ck", "fu→ck"])
def test_a_symbol_is_read_only_when_the_views_say_the_text_holds_one(text: str) -> None:
    assert breaks_view(text, ordinary, in_phrase) is None
    assert breaks_view(text, ordinary, in_phrase, symbols=True) is not None


# character -> is it a symbol a word is split with (Kind.INSIDE)?
SYMBOLS = [
    ("•", True), ("·", True), ("‧", True), ("∙", True), ("⋅", True), ("→", True), ("★", True), ("◆", True),
    ("※", True), ("¶", True),
    # not: ASCII, dashes, quotes, brackets, apostrophes, CJK punctuation, symbols drawn as letters,
    # letters, spaces, astral emoji
    (".", False), ("*", False), ("-", False), ("—", False), ("’", False), ("«", False), ("（", False),
    ("′", False), ("＇", False), ("、", False), ("。", False), ("・", False), ("，", False),
    ("℮", False), ("∪", False), ("a", False), ("я", False), ("\u00a0", False), ("\U0001f525", False),
]


@pytest.mark.parametrize(("char", "inside"), SYMBOLS, ids=[repr(c) for c, _ in SYMBOLS])
def test_which_symbols_split_a_word(char: str, inside: bool) -> None:
    assert (ord(char) in in_word_symbols()) is inside
    assert bool(load().kinds[ord(char)] & Kind.INSIDE) is inside
