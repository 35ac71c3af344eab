"""Table-driven cases of the Chinese walk-arounds (tests/cases/chinese.toml), under the
lexicon's variants and again with every term `none`, where only `exact` hits may remain.

Each case names its family (a way of writing a term around, or a precision rule); every
family holds cases that must hit and cases that must pass clean.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from interceptor import Interceptor
from tests.case_tables import expected, families_without_both, found, load_cases
from tests.conftest import CASES, none_copy

LEXICON = CASES / "chinese_lexicon"
CASE_LIST, IDS = load_cases(CASES / "chinese.toml")


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
def test_case_with_no_variants(none_guard: Interceptor, case: dict[str, Any]) -> None:
    assert found(none_guard, case["text"]) == expected(case, exact_only=True)


def test_every_family_has_positives_and_negatives() -> None:
    assert families_without_both(CASE_LIST) == set()


def test_lexicon_is_valid() -> None:
    assert Path(LEXICON / "zh.tsv").exists()
