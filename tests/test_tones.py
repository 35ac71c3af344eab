"""Written tones: read off marks and digits, and compared with a term's characters' tones."""
from __future__ import annotations

from interceptor.engine.tones import (
    has_tones,
    strip_tone_digits,
    syllable_agrees,
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
    assert syllable_agrees("jiàn", (0, 4), "践", "jian") and not syllable_agrees("jiān", (0, 4), "践", "jian")
    assert syllable_agrees("jian", (0, 4), "践", "jian")


def test_a_zhuyin_syllable_with_its_tone_mark_after_it() -> None:
    assert syllable_agrees("ㄐㄧㄢˋ", (0, 3), "践", "jian")
    assert not syllable_agrees("ㄐㄧㄢˊ", (0, 3), "践", "jian")
    assert syllable_agrees("ㄐㄧㄢ", (0, 3), "践", "jian")  # unmarked: not read as a tone
    assert not syllable_agrees("ㄐㄧㄢ", (0, 3), "践", "jian", marked=True)  # unmarked among marks: tone 1


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
