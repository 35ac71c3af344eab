"""The look-alike table, its shape classes and the pair check the engine applies."""
from __future__ import annotations

from pathlib import Path

from interceptor import Interceptor
from interceptor.normalize.lookalike import is_lookalike, neighbours, shape_classes
from tests.conftest import write_lexicon


def test_the_seed_pairs_are_look_alikes_both_ways() -> None:
    for a, b in ("刁习", "末未", "己已", "王玉", "千干", "自白"):
        assert is_lookalike(a, b) and is_lookalike(b, a), (a, b)


def test_characters_in_one_class_but_not_paired_are_not_look_alikes() -> None:
    # A class joins chains of pairs; the ends of a chain may look nothing alike.
    classes = shape_classes()
    members: dict[str, list[str]] = {}
    for ch, rep in classes.items():
        members.setdefault(rep, []).append(ch)
    unpaired = [(a, b) for group in members.values() for a in group for b in group
                if a < b and b not in neighbours()[a]]
    assert unpaired, "no class holds a chain: the table changed shape"
    for a, b in unpaired:
        assert not is_lookalike(a, b) and not is_lookalike(b, a)


def test_a_chained_class_mate_does_not_hit(tmp_path: Path) -> None:
    assert shape_classes()["柿"] == shape_classes()["神"] and not is_lookalike("柿", "神")
    guard = Interceptor.from_path(write_lexicon(tmp_path / "l", {"a.tsv": "term\ttier\n红柿子\tblock\n"}))
    assert [(h.matched, h.variant) for h in guard.check("他买了红姉子").hits] == [("红姉子", "lookalike")]
    assert guard.check("他买了红神子").hits == ()
