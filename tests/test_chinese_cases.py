"""Table-driven cases of the Chinese walk-arounds (tests/cases/chinese.toml), under the
lexicon's variants and again with every term `none`, where only `exact` hits may remain.

Each case names its family (a way of writing a term around, or a precision rule); every
family holds cases that must hit and cases that must pass clean.
"""
from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from interceptor import Interceptor
from tests.conftest import CASES, none_copy

LEXICON = CASES / "chinese_lexicon"
CASE_LIST = tomllib.loads((CASES / "chinese.toml").read_text(encoding="utf8"))["case"]
IDS = [f"{c['family']}: {c['name']}" for c in CASE_LIST]


def _hits(guard: Interceptor, text: str) -> list[tuple[str, str, str]]:
    v = guard.check(text)
    for h in v.hits:
        assert text[h.start:h.end] == h.matched
    return sorted((h.term, h.matched, h.variant) for h in v.hits)


@pytest.fixture(scope="module")
def guard() -> Interceptor:
    return Interceptor.from_path(LEXICON)


@pytest.fixture(scope="module")
def none_guard(tmp_path_factory: pytest.TempPathFactory) -> Interceptor:
    return Interceptor.from_path(none_copy(LEXICON, tmp_path_factory.mktemp("none") / "lex"))


@pytest.mark.parametrize("case", CASE_LIST, ids=IDS)
def test_case(guard: Interceptor, case: dict) -> None:  # type: ignore[type-arg]
    assert _hits(guard, case["text"]) == sorted(tuple(h) for h in case["hits"])


@pytest.mark.parametrize("case", CASE_LIST, ids=IDS)
def test_case_with_no_variants(none_guard: Interceptor, case: dict) -> None:  # type: ignore[type-arg]
    expected = sorted(tuple(h) for h in case["hits"] if h[2] == "exact")
    assert _hits(none_guard, case["text"]) == expected


def test_every_family_has_positives_and_negatives() -> None:
    positive = Counter(c["family"] for c in CASE_LIST if c["hits"])
    negative = Counter(c["family"] for c in CASE_LIST if not c["hits"])
    assert set(positive) == set(negative), set(positive) ^ set(negative)
    assert all(n >= 2 for n in negative.values()), negative


def test_lexicon_is_valid() -> None:
    assert Path(LEXICON / "zh.tsv").exists()
