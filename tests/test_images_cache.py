"""The reading cache: keyed by SHA-256, bounded by the bytes it holds, least recently used out."""
from __future__ import annotations

from interceptor.images.cache import ReadingCache
from interceptor.images.reading import Box, Reading, TextLine


def reading(text: str) -> Reading:
    return Reading((TextLine(text, Box(0, 0, 10, 10), 0.9),), "test", 0.1)


def test_hits_and_misses() -> None:
    cache = ReadingCache(1 << 20)
    assert cache.get("a") is None
    cache.put("a", reading("x"))
    assert cache.get("a") == reading("x")
    assert (cache.hits, cache.misses, len(cache)) == (1, 1, 1)


def test_bounded_by_bytes_least_recently_used_out() -> None:
    one = reading("x" * 10).weight()
    cache = ReadingCache(3 * one)
    for key in "abc":
        cache.put(key, reading("x" * 10))
    cache.get("a")  # a is now the most recent
    cache.put("d", reading("x" * 10))
    assert cache.get("b") is None and cache.get("a") is not None and cache.get("d") is not None
    assert cache.bytes <= 3 * one and len(cache) == 3
    cache.put("a", reading("x" * 10))  # replacing keeps the count right
    assert cache.bytes <= 3 * one


def test_a_reading_larger_than_the_bound_is_not_kept() -> None:
    cache = ReadingCache(100)
    cache.put("big", reading("x" * 1000))
    assert cache.get("big") is None and cache.bytes == 0
    assert ReadingCache(0).get("a") is None
