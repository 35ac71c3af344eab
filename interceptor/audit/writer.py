"""The single writer with group commit.

Requests hand records to one writer thread. It takes everything waiting — up to
``max_batch`` records — and appends it in one transaction, so many concurrent blocks share
one commit and one fsync. Once it holds a record it waits up to ``group_window`` seconds
for more: on a fast disk a commit takes about a millisecond, so without that short wait
busy traffic makes a commit, a thread hand-over and an event-loop wake-up per record.
A ``block`` waits for its batch to commit before the answer is sent; mask, warn and
monitor records are written the same way without anyone waiting, and a graceful shutdown
drains the queue before the process exits.

When the store fails, the writer keeps the records that nobody waits for in a bounded
buffer and tries them again, so a short outage loses nothing; records beyond the bound are
counted as dropped. Records someone waits for fail at once, so the caller can answer
503 rather than an unlogged block.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field

from interceptor.audit.records import NewRecord
from interceptor.audit.store import AuditStore, StoreUnavailable


class Overloaded(StoreUnavailable):
    """The writer's queue is full: the store is slower than the traffic."""

log = logging.getLogger("interceptor.audit")


@dataclass
class _Item:
    records: list[NewRecord]
    reviews: list[tuple[str, str]]
    future: Future[None] | None = None
    waiter: asyncio.Future[None] | None = None  # an event loop's future, settled per batch
    enqueued: float = field(default_factory=time.perf_counter)


def _settle(waiters: list[asyncio.Future[None]], error: BaseException | None) -> None:
    for w in waiters:
        if not w.done():
            if error is None:
                w.set_result(None)
            else:
                w.set_exception(error)


def _settle_all(waiters: list[asyncio.Future[None]], error: BaseException | None) -> None:
    """Wake each event loop once per batch (one self-pipe write), not once per waiter."""
    by_loop: dict[asyncio.AbstractEventLoop, list[asyncio.Future[None]]] = {}
    for w in waiters:
        by_loop.setdefault(w.get_loop(), []).append(w)
    for loop, ws in by_loop.items():
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody is waiting any more
            loop.call_soon_threadsafe(_settle, ws, error)


class AuditWriter:
    def __init__(self, store: AuditStore, max_batch: int = 512, retry_buffer: int = 100_000, max_queue: int = 50_000,
                 group_window: float = 0.0,
                 on_write: Callable[[int, float], None] | None = None,
                 on_drop: Callable[[int], None] | None = None):
        self.store = store
        self.max_batch = max_batch
        self.retry_limit = retry_buffer
        self.max_queue = max_queue
        self.group_window = group_window
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._retry: deque[_Item] = deque()
        self._retry_count = 0
        self._on_write = on_write
        self._on_drop = on_drop
        self.healthy = True
        self.last_error: str | None = None
        self._pending = 0
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
        self._thread.start()

    @property
    def depth(self) -> int:
        """Records waiting to be written (queued and buffered for retry)."""
        return self._pending + self._retry_count

    def submit(self, records: list[NewRecord], reviews: list[tuple[str, str]] | None = None,
               durable: bool = False) -> Future[None] | None:
        """Queue records; with ``durable`` return a future that completes once they are committed.

        Raise Overloaded rather than queue past ``max_queue`` records: a store slower than the
        traffic must turn into 503s with Retry-After, not into unbounded memory.
        """
        fut: Future[None] | None = Future() if durable else None
        self._enqueue(_Item(records, reviews or [], fut))
        return fut

    def submit_waiting(self, records: list[NewRecord],
                       reviews: list[tuple[str, str]] | None = None) -> asyncio.Future[None]:
        """``submit(durable=True)`` for a caller on an event loop: the returned future is
        settled on that loop, all the waiters of one batch in one wake-up."""
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._enqueue(_Item(records, reviews or [], waiter=waiter))
        return waiter

    def _enqueue(self, item: _Item) -> None:
        n = len(item.records)
        with self._lock:
            if n and self._pending + n > self.max_queue:
                raise Overloaded(f"the audit queue holds {self._pending} records")
            self._pending += n
        self._queue.put(item)

    def close(self, timeout: float = 30.0) -> None:
        """Write everything queued (and retry buffered records once), then stop."""
        self._queue.put(None)
        self._thread.join(timeout)

    # ------------------------------------------------------------------ the thread
    def recovered(self) -> None:
        """The store took a probe commit: ready again, and write what waits for retry."""
        self.healthy = True
        self.submit([])

    def _run(self) -> None:
        stopping = False
        while not stopping:
            try:
                first = self._queue.get(timeout=1.0 if self._retry else None)
            except queue.Empty:
                first = _Item([], [])  # wake up to retry
            batch: list[_Item] = []
            if first is None:
                stopping = True
            elif first.records:
                batch.append(first)
            n = sum(len(i.records) for i in batch)
            # with a record in hand, wait up to group_window for more to share the commit
            deadline = time.perf_counter() + self.group_window if batch and self.group_window > 0 else 0.0
            while n < self.max_batch and not stopping:
                try:
                    left = deadline - time.perf_counter()
                    nxt = self._queue.get(timeout=left) if left > 0 else self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    stopping = True
                    break
                batch.append(nxt)
                n += len(nxt.records)
            self._taken(batch)
            if self._retry:
                batch = self._drain_retry() + batch
            if batch:
                self._write(batch)
        # after the sentinel: anything still queued behind it
        rest: list[_Item] = []
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                rest.append(item)
        self._taken(rest)
        if rest or self._retry:
            self._write(self._drain_retry() + rest)

    def _taken(self, items: list[_Item]) -> None:
        with self._lock:
            self._pending -= sum(len(i.records) for i in items)

    def _drain_retry(self) -> list[_Item]:
        items = list(self._retry)
        self._retry.clear()
        self._retry_count = 0
        return items

    def _write(self, batch: list[_Item]) -> None:
        records = [r for item in batch for r in item.records]
        reviews = [rv for item in batch for rv in item.reviews]
        t0 = time.perf_counter()
        try:
            self.store.append(records, reviews)
        except StoreUnavailable as e:
            self.healthy = False
            self.last_error = str(e)
            log.error("audit store unavailable: %s", e)
            self._fail(batch, e)
            return
        except Exception as e:  # a bug must not kill the writer: fail the waiters, keep the rest
            log.exception("audit write failed")
            self._fail(batch, StoreUnavailable(f"audit write failed: {e}"))
            return
        self.healthy = True
        self.last_error = None
        elapsed = time.perf_counter() - t0
        self._answer(batch, None)
        if self._on_write is not None:
            self._on_write(len(records), elapsed)

    def _fail(self, batch: list[_Item], error: StoreUnavailable) -> None:
        """Fail whoever waits (their caller answers 503); keep the rest for a retry."""
        for item in self._answer(batch, error):
            self._keep_for_retry(item)

    @staticmethod
    def _answer(batch: list[_Item], error: StoreUnavailable | None) -> list[_Item]:
        """Settle every waiter of ``batch`` (committed, or ``error``); return the items
        nobody waits for."""
        waiters: list[asyncio.Future[None]] = []
        unwatched: list[_Item] = []
        for item in batch:
            if item.future is not None:
                if error is None:
                    item.future.set_result(None)
                else:
                    item.future.set_exception(error)
            elif item.waiter is not None:
                waiters.append(item.waiter)
            else:
                unwatched.append(item)
        if waiters:
            _settle_all(waiters, error)
        return unwatched

    def _keep_for_retry(self, item: _Item) -> None:
        if self._retry_count + len(item.records) > self.retry_limit:
            if self._on_drop is not None:
                self._on_drop(len(item.records))
            log.error("audit retry buffer full: %d records dropped", len(item.records))
            return
        self._retry.append(item)
        self._retry_count += len(item.records)
