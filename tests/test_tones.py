"""Written tones: read off marks and digits, and compared with a term's characters' tones."""
from __future__ import annotations

import pytest

from interceptor.engine.tones import (
    has_tones,
    strip_tone_digits,
    syllable_agrees,
    term_tones,
    tones_agree,
    with_tone_marks,
    written_tones,
    zhuyin_marked,
)


def test_tones_are_read_from_marks_and_digits() -> None:
    assert written_tones("shí jiān") == ("shijian", ["", "", "2", "", "", "1", ""])
    assert written_tones("bing1du2") == ("bingdu", ["", "", "", "1", "", "2"])
    assert written_tones("nǚ") == ("nv", ["", "3"])  # ü as v, its tone on it
    assert written_tones("xin") == ("xin", ["", "", ""])


def test_plain_pinyin_is_answered_without_the_table() -> None:
    assert not has_tones("weixin") and has_tones("wēixìn") and has_tones("wei1")


def test_tones_must_be_the_characters_own() -> None:
    reading = [("shi", "jian")]
    assert tones_agree("shí jiàn", "实践", reading)
    assert not tones_agree("shí jiān", "实践", reading)  # 时间
    assert not tones_agree("shi2 jian1", "实践", reading)
    assert tones_agree("shi jian", "实践", reading)  # no tones written: any
    assert tones_agree("shi5 jian4", "实践", reading)  # a neutral tone agrees with any
    assert tones_agree("nu3 ren2", "女人", [("nv", "ren")])  # ü written u


def test_a_syllable_among_han_characters() -> None:
    assert syllable_agrees("jiàn", (0, 4), "实践", 1, "jian") and not syllable_agrees("jiān", (0, 4), "实践", 1, "jian")
    assert syllable_agrees("jian", (0, 4), "实践", 1, "jian")


def test_a_zhuyin_syllable_with_its_tone_mark_after_it() -> None:
    assert syllable_agrees("ㄐㄧㄢˋ", (0, 3), "实践", 1, "jian")
    assert not syllable_agrees("ㄐㄧㄢˊ", (0, 3), "实践", 1, "jian")
    assert syllable_agrees("ㄐㄧㄢ", (0, 3), "实践", 1, "jian")  # unmarked: not read as a tone
    assert not syllable_agrees("ㄐㄧㄢ", (0, 3), "实践", 1, "jian", marked=True)  # unmarked among marks: tone 1


@pytest.mark.parametrize(("written", "term", "k", "syllable", "agrees"), [
    ("má", "大麻", 1, "ma", True),  # the term's own reading
    ("mā", "大麻", 1, "ma", False),  # 麻 is read mā too, but not in 大麻
    ("wéi", "作为", 1, "wei", True),  # the phrase's reading
    ("wèi", "作为", 1, "wei", True),  # the character's common reading alone
    ("wēi", "作为", 1, "wei", False),
    ("yī", "一夜情", 0, "yi", True), ("yí", "一夜情", 0, "yi", True),  # citation tone and spoken tone
    ("yì", "一夜情", 0, "yi", False),
    ("ma5", "大麻", 1, "ma", True),  # a neutral tone agrees with any
    ("ma", "大麻", 1, "ma", True),  # no tone written
])
def test_tones_of_the_terms_own_reading(written: str, term: str, k: int, syllable: str, agrees: bool) -> None:
    assert syllable_agrees(written, (0, len(written)), term, k, syllable) is agrees


def test_a_term_reads_its_own_tones() -> None:
    assert term_tones("大麻") == ({"da": "4"}, {"ma": "2"})
    assert term_tones("a麻")[0] == {}  # a unit that is no Han character has no tones of its own


def test_tone_digits_are_taken_out_after_letters_only() -> None:
    bare, kept = strip_tone_digits("bing1 du2 mp3") or ("", [])
    assert bare == "bing du mp" and kept == [0, 1, 2, 3, 5, 6, 7, 9, 10, 11]
    assert strip_tone_digits("2024 and 7") is None
    assert strip_tone_digits("route66") is None  # two digits are a number


def test_zhuyin_marks_tones_when_any_syllable_is_marked() -> None:
    assert zhuyin_marked("ㄕˊ ㄐㄧㄢ", [(0, 1), (3, 6)]) and not zhuyin_marked("ㄕ ㄐㄧㄢ", [(0, 1), (2, 5)])


def test_a_hit_takes_in_the_zhuyin_tone_mark_after_a_syllable() -> None:
    text = "ㄅㄧㄥ ㄉㄨˊ!"
    assert with_tone_marks(text, [(0, 3), (4, 6)], frozenset({0, 1})) == [(0, 3), (4, 7)]
    assert with_tone_marks(text, [(0, 3), (4, 6)], frozenset({0})) == [(0, 3), (4, 6)]  # ㄉㄨ not written in zhuyin
