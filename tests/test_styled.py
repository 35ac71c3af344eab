"""scripts/styled.py: styled letters and other scripts' look-alikes, from Unicode data alone,
and the generated fold table that carries them (``tables/fold.tsv``)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import styled  # type: ignore[import-not-found]

from interceptor.normalize.tables import LIMIT, WORD, load

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
])
def test_homoglyphs(homoglyphs: dict[str, str], ch: str, latin: str) -> None:
    assert homoglyphs[ch] == latin


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

