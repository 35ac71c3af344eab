"""Table-driven engine cases (tests/cases/engine.toml), under default and `none` variants."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from interceptor import Interceptor
from tests.conftest import CASES, none_copy

CASE_LIST = tomllib.loads((CASES / "engine.toml").read_text(encoding="utf8"))["case"]


def _hits(guard: Interceptor, text: str) -> list[tuple[str, str, str]]:
    v = guard.check(text)
    for h in v.hits:
        assert text[h.start:h.end] == h.matched
    return sorted((h.term, h.matched, h.variant) for h in v.hits)


@pytest.mark.parametrize("case", CASE_LIST, ids=[c["name"] for c in CASE_LIST])
def test_case(cases_guard: Interceptor, case: dict) -> None:  # type: ignore[type-arg]
    assert _hits(cases_guard, case["text"]) == sorted(tuple(h) for h in case["hits"])


@pytest.fixture(scope="module")
def none_guard(tmp_path_factory: pytest.TempPathFactory) -> Interceptor:
    return Interceptor.from_path(none_copy(CASES / "lexicon", tmp_path_factory.mktemp("none") / "lex"))


@pytest.mark.parametrize("case", CASE_LIST, ids=[c["name"] for c in CASE_LIST])
def test_case_with_no_variants(none_guard: Interceptor, case: dict) -> None:  # type: ignore[type-arg]
    """With every term `none`, exactly the `exact` hits of the case remain."""
    expected = sorted(tuple(h) for h in case["hits"] if h[2] == "exact")
    assert _hits(none_guard, case["text"]) == expected


def test_cases_cover_every_technique() -> None:
    seen = {h[2] for c in CASE_LIST for h in c["hits"]}
    wanted = {"exact", "case", "width", "traditional", "diacritics", "noise", "repeat", "leet",
              "homoglyph", "homophone", "pinyin", "initials", "lookalike"}
    assert wanted <= seen, wanted - seen
    assert sum(1 for c in CASE_LIST if not c["hits"]) >= 10  # negatives are first-class


def test_case_lexicon_is_valid() -> None:
    assert Path(CASES / "lexicon" / "zh.tsv").exists()
