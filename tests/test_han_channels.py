"""Channels for Chinese in other notations: what their finds look at before reading further."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from interceptor.engine.cache import load_engine
from interceptor.engine.han_channels import DigitChannel
from interceptor.normalize.tables import SCRIPT_CODE

ENGINE = load_engine(Path(__file__).parent / "cases" / "chinese_lexicon")
(DIGITS,) = [c for c in ENGINE.channels if isinstance(c, DigitChannel)]


def _lone_digits_by_definition(dense: str) -> list[int]:
    """Digits with no digit either side and a syllable code beside one (those ``_read`` reads)."""
    code = [ENGINE.tables.script[ord(c)] == SCRIPT_CODE for c in dense]
    return [i for i, c in enumerate(dense) if "0" <= c <= "9"
            and not (i > 0 and "0" <= dense[i - 1] <= "9") and not (i + 1 < len(dense) and "0" <= dense[i + 1] <= "9")
            and ((i > 0 and code[i - 1]) or (i + 1 < len(dense) and code[i + 1]))]


def test_no_lone_digit_in_numbers_or_among_letters() -> None:
    for text in ("1998年", "第12名", "ab1cd", "1", "", "v5 x3"):
        assert list(DIGITS._lone_digit.finditer(ENGINE.views(text).dense)) == [], text
    assert [m.start() for m in DIGITS._lone_digit.finditer(ENGINE.views("1夜情 后5天").dense)] == [0, 4]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="12345６0ab 年月日情夜一，.", max_size=30))
def test_lone_digits_are_the_digits_beside_han(text: str) -> None:
    dense = ENGINE.views(text).dense
    assert [m.start() for m in DIGITS._lone_digit.finditer(dense)] == _lone_digits_by_definition(dense)
