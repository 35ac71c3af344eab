"""Helpers for the table-driven engine cases of ``tests/cases/*.toml``: each case names its
family (a way of writing a term around, or a precision rule) and the hits it must give,
``[]`` when the text must pass clean."""
from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

from interceptor import Interceptor


def load_cases(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The cases of one file and their test ids."""
    cases: list[dict[str, Any]] = tomllib.loads(path.read_text(encoding="utf8"))["case"]
    return cases, [f"{c['family']}: {c['name']}" for c in cases]


def found(guard: Interceptor, text: str) -> list[tuple[str, str, str]]:
    """(term, matched, variant) of every hit, sorted; each hit's span holds what it matched."""
    v = guard.check(text)
    assert all(text[h.start:h.end] == h.matched for h in v.hits)
    return sorted((h.term, h.matched, h.variant) for h in v.hits)


def expected(case: dict[str, Any], exact_only: bool = False) -> list[tuple[str, str, str]]:
    return sorted(tuple(h) for h in case["hits"] if not exact_only or h[2] == "exact")


def families_without_both(cases: list[dict[str, Any]], min_negatives: int = 2) -> set[str]:
    """Families lacking cases that must hit, or with fewer than ``min_negatives`` that must pass."""
    positive = Counter(c["family"] for c in cases if c["hits"])
    negative = Counter(c["family"] for c in cases if not c["hits"])
    return (set(positive) ^ set(negative)) | {f for f, n in negative.items() if n < min_negatives}
