"""normalize/keyboard.py: a term typed with the other keyboard layout on."""
from __future__ import annotations

import pytest

from interceptor.normalize.keyboard import cyrillic_keys, latin_keys, reads_as_keys, russian_form


@pytest.mark.parametrize(("word", "keys"), [
    ("сука", "cerf"), ("блядь", ",kzlm"), ("хуй", "[eq"), ("долбоёб", "ljk,j`,"), ("пизда", "gbplf"),
    ("єбати", "',fnb"), ("їжак", "];fr"),
    # negative: another character than a letter of the layout, too short, punctuation alone
    ("сука!", ""), ("suka", ""), ("да", ""), ("эю", ""), ("", ""),
])
def test_latin_keys(word: str, keys: str) -> None:
    assert latin_keys(word) == keys


@pytest.mark.parametrize(("word", "keys"), [
    ("fuck", "агсл"), ("bastard", "ифыефкв"),
    ("ab", ""), ("f-ck", ""), ("сука", ""), ("fück", ""),  # negative
])
def test_cyrillic_keys(word: str, keys: str) -> None:
    assert cyrillic_keys(word) == keys


@pytest.mark.parametrize(("written", "keys", "reads"), [
    ("cerf", "cerf", True), ("CeRF", "cerf", True), ("{EQ", "[eq", True), ("АГСЛ", "агсл", True),
    ("cerd", "cerf", False), (".kzlm", ",kzlm", False), ("cer", "cerf", False),  # negative
])
def test_reads_as_keys(written: str, keys: str, reads: bool) -> None:
    assert reads_as_keys(written, keys) is reads


@pytest.mark.parametrize("word", ["zobr", "ljv", "cnjk"])  # ящик, дом, стол: Russian words
def test_no_keys_that_spell_a_russian_word(word: str) -> None:
    assert cyrillic_keys(word) == ""


@pytest.mark.parametrize(("word", "russian"), [
    ("неделю", True), ("начались", True), ("работу", True), ("неделя", True), ("хорошего", True),
    # negative: no stem of the dictionary, a stem too short, no word at all
    ("шыещ", False), ("агсл", False), ("ор", False), ("", False),
])
def test_russian_form(word: str, russian: bool) -> None:
    assert russian_form(word) is russian
