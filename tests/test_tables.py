"""normalize/tables.py: what the generated tables say about words of other scripts."""
from __future__ import annotations

import pytest

from interceptor.normalize.tables import load


@pytest.mark.parametrize(("word", "one"), [
    ("сор", True), ("Ёлка", True), ("αλφα", True),  # Russian, Greek
    ("агѕсһ", False), ("соⲣ", False), ("αггѕе", False),  # no one language writes them together
])
def test_in_one_alphabet(word: str, one: bool) -> None:
    assert load().in_one_alphabet(word) is one
