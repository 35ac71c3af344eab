"""Table-driven cases of the markup and layout walk-arounds (tests/cases/markup.toml), under
the lexicon's variants and again with every term `none`, where only `exact` hits may remain.

Each case names its family (a way of writing a term in markup or layout, or a rule that keeps
markup from making terms); every family holds cases that must hit and cases that must pass.
"""
from __future__ import annotations

from typing import Any

import pytest

from interceptor import Interceptor
from tests.case_tables import expected, families_without_both, found, load_cases
from tests.conftest import CASES, none_copy

CASE_LIST, IDS = load_cases(CASES / "markup.toml")


@pytest.fixture(scope="module")
def guards(cases_guard: Interceptor, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Interceptor]:
    """The case lexicon as listed, and with every term's variants ``none``."""
    none = Interceptor.from_path(none_copy(CASES / "lexicon", tmp_path_factory.mktemp("none") / "lex"))
    return {"listed": cases_guard, "none": none}


@pytest.mark.parametrize("variants", ["listed", "none"])
@pytest.mark.parametrize("case", CASE_LIST, ids=IDS)
def test_case(guards: dict[str, Interceptor], variants: str, case: dict[str, Any]) -> None:
    assert found(guards[variants], case["text"]) == expected(case, exact_only=variants == "none")


def test_every_family_has_positives_and_negatives() -> None:
    assert families_without_both(CASE_LIST, min_negatives=1) == set()


def test_a_masked_hit_covers_the_markup_inside_it(cases_guard: Interceptor) -> None:
    text = "ты су<b>ка</b> and f&#117;ck"
    v = cases_guard.check(text)
    assert v.text == "ты " + "*" * len("су<b>ка</b>") + " and " + "*" * len("f&#117;ck")
