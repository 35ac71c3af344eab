"""Table-driven cases of the markup and layout walk-arounds (tests/cases/markup.toml), under
the lexicon's variants and again with every term `none`, where only `exact` hits may remain.

Each case names its family (a way of writing a term in markup or layout, or a rule that keeps
markup from making terms); every family holds cases that must hit and cases that must pass.
"""
from __future__ import annotations

import tomllib

import pytest

from interceptor import Interceptor
from tests.conftest import CASES, none_copy

CASE_LIST = tomllib.loads((CASES / "markup.toml").read_text(encoding="utf8"))["case"]
IDS = [f"{c['family']}: {c['name']}" for c in CASE_LIST]


@pytest.fixture(scope="module")
def guards(cases_guard: Interceptor, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Interceptor]:
    """The case lexicon as listed, and with every term's variants ``none``."""
    none = Interceptor.from_path(none_copy(CASES / "lexicon", tmp_path_factory.mktemp("none") / "lex"))
    return {"listed": cases_guard, "none": none}


@pytest.mark.parametrize("variants", ["listed", "none"])
@pytest.mark.parametrize("case", CASE_LIST, ids=IDS)
def test_case(guards: dict[str, Interceptor], variants: str, case: dict) -> None:  # type: ignore[type-arg]
    verdict = guards[variants].check(case["text"])
    assert all(case["text"][h.start:h.end] == h.matched for h in verdict.hits)
    want = [tuple(h) for h in case["hits"] if variants == "listed" or h[2] == "exact"]
    assert sorted((h.term, h.matched, h.variant) for h in verdict.hits) == sorted(want)


def test_every_family_has_positives_and_negatives() -> None:
    positive = {c["family"] for c in CASE_LIST if c["hits"]}
    negative = {c["family"] for c in CASE_LIST if not c["hits"]}
    assert positive == negative == {c["family"] for c in CASE_LIST}


def test_a_masked_hit_covers_the_markup_inside_it(cases_guard: Interceptor) -> None:
    text = "ты су<b>ка</b> and f&#117;ck"
    v = cases_guard.check(text)
    assert v.text == "ты " + "*" * len("су<b>ка</b>") + " and " + "*" * len("f&#117;ck")
