"""engine/precision.py: the rules that keep ordinary words of other scripts and languages
passing, on their own (the engine cases in tests/cases/scripts.toml run them in a scan)."""
from __future__ import annotations

import pytest

from interceptor.engine.precision import (
    another_word_by_diacritics,
    diacritics_of_another_language,
    letter_base,
    not_pinyin,
    other_language_around,
    other_letter_same_script,
    written_as_name,
)
from interceptor.normalize.tables import load

T = load()


def _span(text: str, word: str) -> tuple[int, int]:
    i = text.index(word)
    return i, i + len(word)


@pytest.mark.parametrize(("o", "u", "other"), [
    ("г", "я", True), ("п", "и", True),  # two Cyrillic letters that look like one Latin letter
    ("Я", "я", False), ("ё", "е", False),  # case and diacritics
    ("a", "а", False), ("а", "a", False),  # Latin and Cyrillic: a homoglyph
    ("ɑ", "a", False),  # Latin letters are left to the Latin rules
    ("ᴫ", "л", False),  # a styled letter of the term's script
])
def test_other_letter_same_script(o: str, u: str, other: bool) -> None:
    assert other_letter_same_script(o, u, T) is other


def test_letter_base() -> None:
    assert [letter_base(c) for c in "ЁéA"] == ["е", "e", "a"]


@pytest.mark.parametrize(("text", "run", "verdict"), [
    ("tema", "tema", False),  # alone
    ("wo xiang du ma", "du ma", False),  # among pinyin
    ("where can I bet on du ma races", "du ma", False),  # among English words
    ("Du må ikke fjerne brugeren", "Du må", True),  # a ring pinyin never writes
    ("Vælg et tema til skrivebordet og tryk OK", "tema", True),  # a Danish sentence
    ("El tema de la reunión es el presupuesto", "tema", True),  # a Spanish one
])
def test_not_pinyin(text: str, run: str, verdict: bool) -> None:
    assert not_pinyin(text, T, *_span(text, run)) is verdict


@pytest.mark.parametrize(("text", "verdict"), [
    ("XYZ", False), ("wo yao xyz a", False), ("please send the report to XYZ before the meeting", True),
])
def test_initials_among_english_words_are_an_acronym(text: str, verdict: bool) -> None:
    assert not_pinyin(text, T, *_span(text, "xyz" if "xyz" in text else "XYZ"), initials=True) is verdict


def test_other_language_around_counts_latin_words_of_three_letters_or_more() -> None:
    text = "la de es MATCH el la"
    assert not other_language_around(text, T, *_span(text, "MATCH"))
    text = "中文中文 MATCH 中文"  # no Latin words: no other language
    assert not other_language_around(text, T, *_span(text, "MATCH"))


@pytest.mark.parametrize(("text", "word", "term", "lang", "verdict"), [
    ("Ich hätte gern ein Stück Kuchen, bitte.", "Stück", "stuck", "en", True),
    ("you are such a stück up person", "stück", "stuck", "en", False),
    ("fück", "fück", "fuck", "en", False),
    ("Ich hätte gern ein Stuck Kuchen", "Stuck", "stuck", "en", False),  # adds no diacritics
    ("Ich hätte gern ein Stück Kuchen", "Stück", "stuck", "de", False),  # a German term: left as it is
])
def test_diacritics_of_another_language(text: str, word: str, term: str, lang: str, verdict: bool) -> None:
    assert diacritics_of_another_language(text, T, *_span(text, word), term, lang) is verdict


@pytest.mark.parametrize(("text", "run", "name"), [
    ("Auguste Dupin solved it", "Dupin", True),  # a capitalised word after another word
    ("add me on Weixin", "Weixin", True),
    ("I met Wei Xin there", "Wei Xin", True),  # capitalised syllables
    ("Du Pin", "Du Pin", True),
    ("Weixin me later", "Weixin", False),  # it opens the text: any word may be capitalised
    ("It rained. Weixin me later", "Weixin", False),  # it opens a sentence
    ("he said: \u201cWeixin me\u201d", "Weixin", False),
    ("add me on weixin", "weixin", False),  # small letters
    ("send it to XYZ now", "XYZ", False),  # capitals alone are an acronym, not a name
])
def test_written_as_name(text: str, run: str, name: bool) -> None:
    assert written_as_name(text, T, *_span(text, run)) is name


@pytest.mark.parametrize(("text", "word", "term", "lang", "other"), [
    ("feliz año nuevo", "año", "ano", "es", True),  # ñ: another everyday word
    ("un cono de helado", "cono", "coño", "es", True),  # an everyday word without the term's ñ
    ("Sie machten das gut", "machten", "mächten", "de", True),
    ("Stück", "Stück", "stuck", "en", True),  # a German word alone
    ("you are such a stück up person", "stück", "stuck", "en", False),  # written onto the term, in English
    ("share videos now", "videos", "vídeos", "es", False),  # another language's spelling of the same word
    ("llamen a la policia", "policia", "policía", "es", False),  # Portuguese and Catalan spell it so
    ("hijo de putá", "putá", "puta", "es", False),  # no language writes it so
    ("eres un cabron", "cabron", "cabrón", "es", False),
    ("coño", "coño", "coño", "es", False),  # the term itself
])
def test_another_word_by_diacritics(text: str, word: str, term: str, lang: str, other: bool) -> None:
    assert another_word_by_diacritics(text, T, *_span(text, word), term, lang) is other


def test_the_word_tables_hold_everyday_words_only() -> None:
    assert {"año", "ano", "coño", "cono"} <= T.accent_words.keys() and "putá" not in T.accent_words
    assert "es" in T.accent_words["cono"].split(",") and "es" not in T.accent_words["policia"].split(",")
    assert {"dama", "tema"} <= T.pinyin_words and "weixin" not in T.pinyin_words
