"""Look-alike Han characters (形近字), from the generated ``tables/lookalike.tsv``.

The table lists, for each character, the characters that look like it closely enough to be
written in its place (刁 for 习, 末 for 未), with a similarity score. For matching, the
pairs are grouped into small *shape classes* — the closest pairs first, a class never
growing past ``CLASS_SIZE`` characters — and every character of a class is written as the
class's first character in the shape view (``views``). A term needs one pattern for the
look-alikes of its classes, plus one for each of a character's nearest look-alikes that
fell into another class (``extra_classes``); the text is scanned once whatever the table
holds.
"""
from __future__ import annotations

from functools import cache
from importlib import resources

CLASS_SIZE = 8


def _rows() -> list[list[str]]:
    """The table's rows: character, its look-alikes, their scores."""
    res = resources.files("interceptor.normalize").joinpath("tables").joinpath("lookalike.tsv")
    if not res.is_file():
        return []
    return [line.split("\t") for line in res.read_text(encoding="utf8").splitlines()
            if line and not line.startswith("#")]


@cache
def _pairs() -> tuple[tuple[float, str, str], ...]:
    pairs: set[tuple[float, str, str]] = set()
    for ch, alts, scores, *_ in _rows():
        for alt, score in zip(alts, scores.split(), strict=True):
            pairs.add((float(score), min(ch, alt), max(ch, alt)))
    return tuple(sorted(pairs, key=lambda p: (-p[0], p[1], p[2])))


@cache
def shape_classes() -> dict[str, str]:
    """Each character that has look-alikes -> the representative of its shape class."""
    parent: dict[str, str] = {}
    size: dict[str, int] = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for _, a, b in _pairs():
        ra, rb = root(a), root(b)
        if ra == rb or size.get(ra, 1) + size.get(rb, 1) > CLASS_SIZE:
            continue
        if rb < ra:
            ra, rb = rb, ra
        parent[rb] = ra
        size[ra] = size.get(ra, 1) + size.get(rb, 1)
    return {c: root(c) for c in {x for _, a, b in _pairs() for x in (a, b)} if size.get(root(c), 1) > 1}


@cache
def neighbours() -> dict[str, frozenset[str]]:
    """Each character -> every character the table pairs it with, either way round.

    Read from the rows as they are, without the scores or their order (``_pairs``): every
    engine asks for it when it is made, also one made from the compiled-lexicon cache,
    which needs nothing else of this table."""
    out: dict[str, set[str]] = {}
    for ch, alts, *_ in _rows():
        out.setdefault(ch, set()).update(alts)
        for alt in alts:
            out.setdefault(alt, set()).add(ch)
    return {c: frozenset(v) for c, v in out.items()}


@cache
def _nearest() -> dict[str, tuple[str, ...]]:
    """Each character -> its paired characters, closest first."""
    out: dict[str, list[str]] = {}
    for _, a, b in _pairs():  # closest pairs first
        out.setdefault(a, []).append(b)
        out.setdefault(b, []).append(a)
    return {c: tuple(v) for c, v in out.items()}


def extra_classes(ch: str, limit: int = 2) -> tuple[str, ...]:
    """Representatives of the classes of ``ch``'s nearest look-alikes outside its own class."""
    classes = shape_classes()
    own = classes.get(ch, ch)
    out: list[str] = []
    for other_ch in _nearest().get(ch, ()):
        other = classes.get(other_ch, other_ch)
        if other != own and other not in out:
            out.append(other)
            if len(out) == limit:
                break
    return tuple(out)


def is_lookalike(a: str, b: str) -> bool:
    """Does the table pair ``a`` with ``b``? Class-mates alone are not enough: a class joins
    chains of pairs (柿~柟~神), and the two ends of a chain need not look alike."""
    return b in neighbours().get(a, ())


def lookalikes(ch: str) -> tuple[str, ...]:
    """Characters that look like ``ch``: its class and its paired characters."""
    classes = shape_classes()
    rep = classes.get(ch)
    same = {c for c, r in classes.items() if r == rep} if rep is not None else set()
    return tuple(sorted((same | neighbours().get(ch, frozenset())) - {ch}))
