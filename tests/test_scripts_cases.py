"""The walk-arounds in other scripts and styled letters (``tests/cases/scripts.toml``), run
under the lexicon's variants, and again with every term ``none``, where only ``exact`` hits
may remain."""
from __future__ import annotations

from typing import Any

import pytest

from interceptor import Interceptor
from tests.case_tables import expected, families_without_both, found, load_cases
from tests.conftest import CASES, none_copy

LEXICON = CASES / "scripts_lexicon"
CASE_LIST, IDS = load_cases(CASES / "scripts.toml")


@pytest.fixture(scope="module")
def guard() -> Interceptor:
    return Interceptor.from_path(LEXICON)


@pytest.fixture(scope="module")
def none_guard(tmp_path_factory: pytest.TempPathFactory) -> Interceptor:
    return Interceptor.from_path(none_copy(LEXICON, tmp_path_factory.mktemp("none") / "lex"))


@pytest.mark.parametrize("case", CASE_LIST, ids=IDS)
def test_case(guard: Interceptor, case: dict[str, Any]) -> None:
    assert found(guard, case["text"]) == expected(case)


@pytest.mark.parametrize("case", CASE_LIST, ids=IDS)
def test_case_under_none(none_guard: Interceptor, case: dict[str, Any]) -> None:
    assert found(none_guard, case["text"]) == expected(case, exact_only=True)


def test_families_have_hits_and_clean_cases() -> None:
    assert families_without_both(CASE_LIST) == set()


def test_the_lexicon_holds_every_language_of_the_cases() -> None:
    assert {p.stem for p in LEXICON.glob("*.tsv")} == {"ar", "de", "el", "en", "es", "ru", "zh"}
