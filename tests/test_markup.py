"""The layout view (normalize.markup): what it reads, where each character came from, and
that a text without markup costs nothing but a few ``in`` tests."""
from __future__ import annotations

import pytest

from interceptor.engine.gaps import MAX_WORD_GAP
from interceptor.normalize import markup_tokens
from interceptor.normalize.markup import SEPARATOR, layout
from interceptor.normalize.markup_tokens import LETTERS_LIKE, kinds, with_tags
from interceptor.normalize.tables import NOISE, load

# text -> what its reader sees (the pieces holding markup, joined by SEPARATOR), or None
READS = [
    ("f<b>u</b>ck", "fuck"),
    ("су<span class='x'>ка</span>", "сука"),
    ("冰</b><i>毒", "冰毒"),
    ("f&#117;c&#x6B;", "fuck"),
    ("caf&eacute;", "café"),
    ("%E5%86%B0%E6%AF%92", "冰毒"),
    ("a%20b", "a b"),
    ("fu-\nck", "fuck"),
    ("fu\u00ad\r\n  ck", "fuck"),
    ("\u202ekcuf\u202c ok", "fuck ok"),
    ("\u202ekcuf\nnext", "fuck\nnext"),
    ("f**u**ck", "fuck"),
    ("b**e exte**rminated", "be exterminated"),
    ("fu🔥ck", "fuck"),
    ("fu\u00a2k", "fuck"),  # a symbol drawn as a letter, between two letters
    ("су\u20ad\u0430", "суk\u0430"),  # the Latin letter it looks like: the views fold it with the Cyrillic
    ("清洗1️⃣伊斯兰", "清洗伊斯兰"),
    ("<p>a<b>b</b>c</p><p>plain</p><p>d<i>e</i></p>", "abc" + SEPARATOR + "de"),
    # nothing to read otherwise than written
    ("hello world", None),
    ("Tom &amp; Jerry", None),
    ("50% off", None),
    ("<p>fu</p><p>ck</p>", None),
    ("fu\nck", None),
    ("but_in_fact_it_was", None),
    ("\u202dkcuf\u202c", None),
    ("\u202eהדנורפ\u202c", None),
    ("a * b * c", None),
    ("5\u20ac \u00a9 2024", None),  # beside digits and spaces: no letter
    ("冰\u00a9毒", None),  # between Han characters: noise, as the plain views read it
]


@pytest.mark.parametrize(("text", "reads"), READS, ids=[repr(t) for t, _ in READS])
def test_what_the_reader_sees(text: str, reads: str | None) -> None:
    view = layout(text)
    assert (view.text if view else None) == reads


@pytest.mark.parametrize(("text", "reads"), [r for r in READS if r[1]], ids=[repr(t) for t, r in READS if r])
def test_every_character_maps_to_the_characters_it_was_read_from(text: str, reads: str) -> None:
    view = layout(text)
    assert view is not None
    for i, ch in enumerate(view.text):
        span = view.original(i, i + 1)
        if span is None:
            assert SEPARATOR.count(ch)  # only the separator maps nowhere
            continue
        start, end = span
        source = text[start:end]
        assert ch in source or source.startswith(("&", "%")) or LETTERS_LIKE.get(source) == ch, (i, ch, source)


def test_a_span_maps_to_the_whole_run_it_was_read_from() -> None:
    text = "x f&#117;ck %E5%86%B0%E6%AF%92 \u202ekcuf\u202c"
    view = layout(text)
    assert view is not None
    for word in ("fuck", "冰毒", "冰", "毒"):
        i = view.text.index(word)
        start, end = view.original(i, i + len(word))  # type: ignore[misc]
        assert text[start:end] in {"f&#117;ck", "%E5%86%B0%E6%AF%92", "%E5%86%B0", "%E6%AF%92"}
    i = view.text.rindex("fuck")
    assert view.original(i, i + 4) == (text.index("kcuf"), text.index("kcuf") + 4)
    assert view.original(i + 1, i + 2) == (text.index("kcuf") + 2, text.index("kcuf") + 3)  # the u


def test_a_span_into_the_separator_maps_nowhere() -> None:
    view = layout("<p>a<b>b</b></p><p>c<i>d</i></p>")
    assert view is not None and view.text == "ab" + SEPARATOR + "cd"
    assert view.original(1, 4) is None


def test_the_separator_is_a_letter_no_channel_reads_through() -> None:
    t = load()
    letter = SEPARATOR.strip()
    assert len(letter) == 1 and letter.isalpha() and t.char_class(ord(letter)) != NOISE
    assert SEPARATOR.count("\n") == 2 and MAX_WORD_GAP >= 1


def test_the_mask_grows_over_the_tags_that_belong_to_the_hit() -> None:
    text = "x su<b>ка</b> y"
    start = text.index("su")
    assert with_tags(text, start, text.index("ка") + 2) == (start, text.index(" y"))
    assert with_tags("<b>fu</b>ck", 3, 11) == (0, 11)
    assert with_tags("<p>fuck</p>", 3, 7) == (3, 7)  # no tag inside the hit: nothing to grow over
    assert with_tags("<p>fu<b>ck</b></p>", 3, 10) == (3, 14)  # the block tag stays outside


def test_a_clean_text_needs_no_tokens() -> None:
    assert kinds("plain words, digits 42, and Chinese 中文。", symbols=False) == 0
    assert kinds("two\nlines", symbols=False) == 0
    assert kinds("a-\nb", symbols=False) == markup_tokens.BREAKS
    assert kinds("a<b", symbols=False) == markup_tokens.TAGS
    assert kinds("中文\u202e", symbols=False) == markup_tokens.OVERRIDES
    assert kinds("中文🔥", symbols=True) & markup_tokens.EMOJI


def test_a_flag_is_looked_for_only_in_a_text_that_may_hold_one() -> None:
    assert not markup_tokens._may_be_astral("中文" * 100) and not markup_tokens._may_be_astral("é")
    assert markup_tokens._may_be_astral("中文🇨🇳") and markup_tokens._may_be_astral("a" * 50 + "😀")
    assert kinds("加我微🇨🇳信", symbols=False) == markup_tokens.EMOJI


def test_the_token_patterns_are_searched_by_their_first_character() -> None:
    for k in range(1, 256):
        pattern = markup_tokens.token_pattern(k)
        assert pattern.pattern.startswith("([")  # a character set first: the engine skips to it
        assert pattern.groups == 1  # re.split returns exactly the tokens
