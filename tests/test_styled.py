"""scripts/styled.py: styled letters and other scripts' look-alikes, from Unicode data alone,
and the generated fold table that carries them (``tables/fold.tsv``)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import styled  # type: ignore[import-not-found]

from interceptor.normalize.tables import LIMIT, NOISE, WORD, load

STYLED = [
    ("𝐟", "f"), ("𝓯", "f"), ("𝕗", "f"), ("𝚏", "f"), ("𝔣", "f"),  # mathematical alphanumerics
    ("ⓕ", "f"), ("Ⓕ", "f"), ("🅕", "f"), ("🄵", "f"), ("🅵", "f"), ("⒡", "f"), ("🄕", "f"),  # enclosed
    ("🇫", "f"),  # regional indicator
    ("ꜰ", "f"), ("ᴋ", "k"), ("ʙ", "b"), ("ᴙ", "r"),  # small capitals
    ("ᶠ", "f"), ("ᵏ", "k"),  # modifier letters
    ("ℓ", "l"), ("ℌ", "h"),  # letterlike symbols
    ("❶", "1"), ("⑴", "1"),  # styled digits
    ("ᴫ", "л"),  # a Cyrillic small capital
]
NOT_STYLED = ["f", "ä", "я", "中", "⾼", "😀", "→", "ǝ"]  # ǝ is a turned e: another letter


@pytest.mark.parametrize(("ch", "base"), STYLED)
def test_styled_base(ch: str, base: str) -> None:
    assert styled.styled_base(ch) == (base, "styled")


@pytest.mark.parametrize("ch", NOT_STYLED)
def test_not_styled(ch: str) -> None:
    assert styled.styled_base(ch) is None


def test_fullwidth_is_width() -> None:
    assert styled.styled_base("ｆ") == ("f", "width")


@pytest.fixture(scope="module")
def homoglyphs() -> dict[str, str]:
    import confusable_homoglyphs

    path = Path(confusable_homoglyphs.__file__).parent / "confusables.json"
    return styled.homoglyphs(path, LIMIT)  # type: ignore[no-any-return]


@pytest.mark.parametrize(("ch", "latin"), [
    ("а", "a"), ("о", "o"), ("с", "c"),  # Cyrillic, listed beside a Latin letter
    ("я", "r"), ("в", "b"),  # Cyrillic, listed beside a small capital (ᴙ, ʙ)
    ("ꮯ", "c"), ("ꓝ", "f"), ("ⲟ", "o"), ("ᗷ", "b"), ("օ", "o"),  # Cherokee, Lisu, Coptic, syllabics, Armenian
    ("η", "n"), ("ө", "o"),  # listed beside a small letter with a mark (n̩, o̵), not through their capitals
])
def test_homoglyphs(homoglyphs: dict[str, str], ch: str, latin: str) -> None:
    assert homoglyphs[ch] == latin


def test_latin_letters_with_a_stroke_are_not_look_alikes(homoglyphs: dict[str, str]) -> None:
    """ø ł đ ħ are letters of their languages (Danish, Polish, Croatian, Maltese)."""
    assert not {"ø", "ł", "đ", "ħ"} & set(homoglyphs)


# a capital and its small letter each fold by their own look
CAPITAL_AND_SMALL = [("Η", "h"), ("η", "n"), ("Ν", "n"), ("ν", "v"), ("Υ", "y"), ("υ", "u"), ("Н", "h"), ("н", "h")]


@pytest.mark.parametrize(("ch", "latin"), CAPITAL_AND_SMALL)
def test_a_capital_keeps_its_own_look(ch: str, latin: str) -> None:
    assert load().fold_char(ch) == latin


def test_capitals_are_read_from_the_data() -> None:
    import confusable_homoglyphs

    caps = styled.capitals(Path(confusable_homoglyphs.__file__).parent / "confusables.json")
    assert caps["Η"] == "h" and caps["Ν"] == "n" and "η" not in caps and "Ø" not in caps


def test_no_han_or_kana_folds_to_latin(homoglyphs: dict[str, str]) -> None:
    assert not [c for c in homoglyphs if "\u3040" <= c <= "\u9fff"]


def test_the_committed_table_folds_every_styled_letter() -> None:
    """The generated fold table is current with styled.py: every styled letter is a word
    character that folds to its letter (a stale table fails here)."""
    t = load()
    missed = [ch for ch, (base, _) in styled.styled_map(LIMIT).items()
              if t.cls[ord(ch)] != WORD or t.fold_char(base) != t.fold_char(ch)]
    assert missed == []
    assert all(ord(ch) in t.styled for ch, (_, tech) in styled.styled_map(LIMIT).items() if tech == "styled")



@pytest.fixture(scope="module")
def letterlike() -> dict[str, str]:
    import confusable_homoglyphs

    path = Path(confusable_homoglyphs.__file__).parent / "confusables.json"
    t = load()
    return styled.letterlike(path, LIMIT, lambda c: t.cls[ord(c)] == NOISE,  # type: ignore[no-any-return]
                             t.fold_char)


@pytest.mark.parametrize(("ch", "latin"), [
    ("℮", "e"), ("¢", "c"), ("¥", "y"), ("₩", "w"), ("₭", "k"),  # the confusables data, marks aside (c̸, Y̵)
    ("®", "r"), ("©", "c"),  # through a styled form (Ⓡ, Ⓒ)
    ("∪", "u"),  # paired with the letter itself
    ("℘", "p"),  # its name: SCRIPT CAPITAL P
    ("€", "e"), ("£", "l"), ("∂", "d"),  # drawn from the letter, which the data does not say
])
def test_letterlike(letterlike: dict[str, str], ch: str, latin: str) -> None:
    assert letterlike[ch] == latin


@pytest.mark.parametrize("ch", ["a", "ℓ", "ℯ", "а", "○", "〇", "❤", "→", "+", "°", "⅄", "∩"])
def test_not_letterlike(letterlike: dict[str, str], ch: str) -> None:
    """Letters (folded by the fold table already), symbols like no letter, a turned letter,
    and a symbol the data pairs only with another script's letter (∩ with Armenian Ո)."""
    assert ch not in letterlike


def test_the_committed_letterlike_table_is_current(letterlike: dict[str, str]) -> None:
    from interceptor.normalize.tables import letters_like

    assert letters_like() == letterlike
