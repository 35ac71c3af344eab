"""A bounded pool of OCR workers with a per-image time budget, in front of the cache.

* Each worker thread has its own backend (models loaded when the pool is made, at start-up,
  not by a request). onnxruntime and Pillow release the GIL while they compute, so reading
  in threads keeps the event loop free.
* At most ``queue`` images are being read or waiting; one more is refused at once
  (``OcrBusy``), so a flood of pictures cannot pile up unbounded work.
* A picture is read once: the cache is asked first, and a picture already being read is
  waited for, not read again (the same screenshot posted by many clients at once).
* A waiter gives up after ``budget_s`` with ``OcrBusy`` — the request is answered 503 with
  ``Retry-After``, never passed unread. The reading goes on and lands in the cache, so the
  retry is answered from there.
"""
from __future__ import annotations

import asyncio
import logging
import math
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from interceptor.images.cache import ReadingCache
from interceptor.images.decode import Picture
from interceptor.images.errors import BadImage, ImageError, OcrBusy
from interceptor.images.reading import OcrBackend, Reading, merge_readings
from interceptor.images.settings import ImageSettings
from interceptor.images.tiles import read_tiled

log = logging.getLogger("interceptor.images")


class OcrPool:
    def __init__(self, make: Callable[[], OcrBackend], settings: ImageSettings,
                 on_read: Callable[[float], None] | None = None, on_cache: Callable[[bool], None] | None = None):
        self.settings = settings
        self.cache = ReadingCache(settings.cache_bytes)
        self._free: queue.SimpleQueue[OcrBackend] = queue.SimpleQueue()
        backends = [make() for _ in range(settings.workers)]  # every model loaded before the first request
        self.backend = backends[0].name
        for b in backends:
            self._free.put(b)
        self._executor = ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="ocr")
        self._inflight: dict[str, Future[Reading]] = {}
        self._lock = threading.Lock()
        self._on_read = on_read
        self._on_cache = on_cache
        self._mean_s = 0.5  # moving mean of a reading's cost, for Retry-After

    # ------------------------------------------------------------------ submitting
    def submit(self, picture: Picture) -> Future[Reading]:
        """The reading of ``picture``: from the cache, the one under way, or a new one."""
        cached = self.cache.get(picture.sha256)
        if self._on_cache is not None:
            self._on_cache(cached is not None)
        if cached is not None:
            done: Future[Reading] = Future()
            done.set_result(cached)
            return done
        with self._lock:
            fut = self._inflight.get(picture.sha256)
            if fut is not None:
                return fut
            if len(self._inflight) >= self.settings.queue:
                raise OcrBusy(f"{len(self._inflight)} images are being read; retry shortly",
                              retry_after=self._retry_after())
            fut = self._executor.submit(self._read, picture)
            self._inflight[picture.sha256] = fut
        fut.add_done_callback(lambda f: self._finished(picture.sha256, f))
        return fut

    def _finished(self, sha256: str, fut: Future[Reading]) -> None:
        if not fut.cancelled() and fut.exception() is None:
            self.cache.put(sha256, fut.result())
        with self._lock:
            self._inflight.pop(sha256, None)

    def _read(self, picture: Picture) -> Reading:
        t0 = time.perf_counter()
        backend = self._free.get()
        try:
            lines = merge_readings([read_tiled(backend, p) for p in picture.pixels()])
        except ImageError:
            raise
        except Exception as e:  # the reader choked on this picture: the client's image, not a 500
            log.warning("OCR failed on image %s: %r", picture.sha256, e)
            raise BadImage(f"the image could not be read ({type(e).__name__})") from None
        finally:
            self._free.put(backend)
        seconds = time.perf_counter() - t0
        self._mean_s += (seconds - self._mean_s) * 0.2
        if self._on_read is not None:
            self._on_read(seconds)
        return Reading(tuple(lines), backend.name, seconds)

    def _retry_after(self) -> int:
        waiting = len(self._inflight) / self.settings.workers
        return max(1, min(60, math.ceil(waiting * self._mean_s)))

    # ------------------------------------------------------------------ waiting
    def read_all(self, pictures: Sequence[Picture]) -> list[Reading]:
        """Read every picture (blocking), each within the budget from now."""
        futures = self._submit_all(pictures)
        deadline = time.monotonic() + self.settings.budget_s
        out = []
        for i, fut in enumerate(futures):
            try:
                out.append(fut.result(timeout=max(0.0, deadline - time.monotonic())))
            except FutureTimeout:
                raise self._late(i) from None
            except ImageError as e:
                raise e.at(i) from None
        return out

    async def aread_all(self, pictures: Sequence[Picture]) -> list[Reading]:
        """Read every picture off the event loop, each within the budget from now."""
        futures = [asyncio.wrap_future(f) for f in self._submit_all(pictures)]
        for w in futures:  # a reading that finishes after its waiter left is still collected
            w.add_done_callback(_collect)
        if futures:
            await asyncio.wait(futures, timeout=self.settings.budget_s)
        out = []
        for i, w in enumerate(futures):
            if not w.done():
                raise self._late(i)
            e = w.exception()
            if isinstance(e, ImageError):
                raise e.at(i)
            out.append(w.result())
        return out

    def _submit_all(self, pictures: Sequence[Picture]) -> list[Future[Reading]]:
        out = []
        for i, p in enumerate(pictures):
            try:
                out.append(self.submit(p))
            except ImageError as e:
                raise e.at(i) from None
        return out

    def _late(self, index: int) -> OcrBusy:
        return OcrBusy(f"not read within the {self.settings.budget_s:g} s budget; retry shortly",
                       index, retry_after=self._retry_after())

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def _collect(fut: asyncio.Future[Reading]) -> None:
    if not fut.cancelled():
        fut.exception()
