"""Texts already read, keyed by the image's SHA-256, in bounded memory.

A picture posted a thousand times is read once: the key is the hash of the encoded bytes,
so the same file hits whoever sends it. The bound is on the estimated bytes held
(``Reading.weight``), least recently used first out; a single reading larger than the
whole bound is not kept.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from interceptor.images.reading import Reading


class ReadingCache:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, Reading] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, sha256: str) -> Reading | None:
        with self._lock:
            found = self._items.get(sha256)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(sha256)
            self.hits += 1
            return found

    def put(self, sha256: str, reading: Reading) -> None:
        weight = reading.weight()
        if weight > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(sha256, None)
            if old is not None:
                self._bytes -= old.weight()
            self._items[sha256] = reading
            self._bytes += weight
            while self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= dropped.weight()

    def __len__(self) -> int:
        return len(self._items)

    @property
    def bytes(self) -> int:
        return self._bytes
