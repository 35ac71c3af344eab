"""Look-alike Han characters (形近字), from the generated ``tables/lookalike.tsv``.

Each line names a character and the characters that look like it closely enough to be
written in its place (刁 for 习, 末 for 未). The relation is used term-side only: a term
gets one extra pattern per look-alike of each of its characters, so the text is scanned
once whatever the table holds.
"""
from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def _table() -> dict[str, tuple[str, ...]]:
    res = resources.files("interceptor.normalize").joinpath("tables").joinpath("lookalike.tsv")
    if not res.is_file():
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for line in res.read_text(encoding="utf8").splitlines():
        if not line or line.startswith("#"):
            continue
        ch, alts = line.split("\t")[:2]
        out[ch] = tuple(alts)
    return out


def lookalikes(ch: str) -> tuple[str, ...]:
    """Characters that look like ``ch`` (not including ``ch``)."""
    return _table().get(ch, ())
