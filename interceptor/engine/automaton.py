"""Aho–Corasick automatons behind one small interface, with two backends.

``daachorse`` (``CharwiseDoubleArrayAhoCorasick``, Rust) is the default: it walks a
double array per character and reports code-point offsets. ``pyahocorasick`` is kept
selectable; it scans a trie node's children linearly, which is slow at the root of a
Chinese lexicon (thousands of children), but it is widely deployed and a second,
independent implementation the tests compare against.

Both report every occurrence of every pattern, overlapping ones included, as half-open
``(start, end, pattern_id)`` code-point spans. pyahocorasick reports an inclusive end
index; ``_pyahocorasick_spans`` is the one place that converts it.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

BACKENDS = ("daachorse", "pyahocorasick")
DEFAULT_BACKEND = "daachorse"


class Matcher(Protocol):
    """An immutable automaton over a fixed list of distinct, non-empty patterns."""

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """Every occurrence of every pattern in ``text`` as ``(start, end, pattern_id)``."""
        ...


class _Empty:
    __slots__ = ()

    def find(self, text: str) -> list[tuple[int, int, int]]:
        return []


class DaachorseMatcher:
    __slots__ = ("_pma",)

    def __init__(self, patterns: Sequence[str]):
        import daachorse

        self._pma = daachorse.CharwiseDoubleArrayAhoCorasick(list(patterns))

    def find(self, text: str) -> list[tuple[int, int, int]]:
        return self._pma.find_overlapping(text)


class PyAhoCorasickMatcher:
    __slots__ = ("_auto",)

    def __init__(self, patterns: Sequence[str]):
        import ahocorasick

        auto = ahocorasick.Automaton()
        for i, p in enumerate(patterns):
            auto.add_word(p, (i, len(p)))
        auto.make_automaton()
        self._auto = auto

    def find(self, text: str) -> list[tuple[int, int, int]]:
        return _pyahocorasick_spans(self._auto.iter(text))


def _pyahocorasick_spans(found: object) -> list[tuple[int, int, int]]:
    """pyahocorasick yields ``(last_index_inclusive, value)``; make half-open spans."""
    return [(end + 1 - n, end + 1, i) for end, (i, n) in found]  # type: ignore[attr-defined]


def build_matcher(patterns: Sequence[str], backend: str = DEFAULT_BACKEND) -> Matcher:
    """An automaton over ``patterns`` (distinct, non-empty) with the named backend."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown matcher {backend!r} (expected one of {', '.join(BACKENDS)})")
    if not patterns:
        return _Empty()
    if backend == "daachorse":
        return DaachorseMatcher(patterns)
    return PyAhoCorasickMatcher(patterns)
