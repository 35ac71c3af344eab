"""What the service holds while it runs: the guard, the audit store and its writer, and the
background tasks that watch the lexicon and purge old records.

A reload builds the new engine in a worker thread, off the event loop, validates it and
swaps one reference (``Interceptor.swap``): requests never wait for a reload and never see
half a lexicon. A bad lexicon is reported (logs, metrics, the reload route's 422) and the
old one keeps serving. The check workers (``checkpool``) that take big texts then move to
the new lexicon: the old ones serve until new ones are up, a few seconds (every verdict
names the lexicon version it was checked with).
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from interceptor.audit.opening import open_store
from interceptor.audit.records import NewRecord, iso
from interceptor.audit.store import AuditStore, PurgeResult, StoreUnavailable
from interceptor.audit.writer import AuditWriter
from interceptor.engine import Engine, Interceptor
from interceptor.engine.cache import load_engine
from interceptor.errors import LexiconError
from interceptor.images.backends import start_pool
from interceptor.images.pool import OcrPool
from interceptor.lexicon import load_lexicon
from interceptor.lexicon.version import content_version
from interceptor.service import metrics
from interceptor.service.checkpool import CheckPool
from interceptor.service.settings import Settings

log = logging.getLogger("interceptor.service")
T = TypeVar("T")


def _prepare(engine: Engine) -> None:
    """Build what streams need (``Engine.prefixes``) off the event loop, before any chunk."""
    engine.prefixes  # noqa: B018 - built on first read, then kept by the engine


def _written(records: int, seconds: float) -> None:
    metrics.AUDIT_RECORDS.inc(records)
    metrics.AUDIT_WRITE_SECONDS.observe(seconds)


@dataclass
class ReloadResult:
    ok: bool
    version: str
    changed: bool
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReloadEvent:
    """One reload as ops see it afterwards: when, from which version, and how it ended."""

    at: float
    previous: str
    result: ReloadResult


class Runtime:
    def __init__(self, settings: Settings, guard: Interceptor | None = None, store: AuditStore | None = None):
        self.settings = settings
        # The audit writer thread hands its commits back to the event loop; with CPython's
        # default 5 ms GIL switch interval each hand-over can stall a batch of blocks.
        sys.setswitchinterval(0.0005)
        self.follower: Any = None  # a lexicon_db.Follower when lexicons come from the database
        self.lexicon_path = self._initial_lexicon() if guard is None else str(guard.path or settings.lexicon)
        self.guard = guard or Interceptor.from_path(self.lexicon_path, matcher=settings.matcher)
        self.store = store or open_store(settings.db, settings.audit_key)
        self.writer = AuditWriter(self.store, group_window=settings.audit_group_ms / 1000, on_write=_written,
                                  on_drop=metrics.AUDIT_DROPPED.inc)
        self.last_reload_error: list[str] = []
        self.reloads: deque[ReloadEvent] = deque(maxlen=20)  # the latest last
        self.pool: CheckPool | None = None
        if settings.check_workers > 0 and (guard is None or guard.path is not None):
            self.pool = CheckPool(settings.check_workers, self.lexicon_path, self.guard.matcher)
        elif settings.check_workers > 0:
            log.warning("the lexicon was not loaded from a directory: every text is checked on the event loop")
        # the OCR pool when images are read: every worker's models loaded now, not by a request;
        # enabled without the ocr extra, this raises OcrUnavailable (a start-up error)
        self.images: OcrPool | None = start_pool(settings.images, on_read=metrics.IMAGE_OCR_SECONDS.observe,
                                                 on_cache=metrics.image_cache)
        self.started = time.time()
        self._reload_lock = asyncio.Lock()
        self._tasks: list[asyncio.Task[Any]] = []
        metrics.set_lexicon(self.guard.version, len(self.guard.lexicon.terms), None)

    def _initial_lexicon(self) -> str:
        """The lexicon directory to start with: the files, or with ``lexicon_from_db`` the
        published version — else the last one this machine fetched, else the files."""
        if not self.settings.lexicon_from_db:
            return self.settings.lexicon
        from interceptor.lexicon_db import Follower, LexiconCache, LexiconDbError, fetch_current

        cache = LexiconCache(self.settings.lexicon_cache_dir)
        self.follower = Follower(self.settings.published_lexicons_url, cache, poll_s=self.settings.lexicon_poll_s)
        try:
            publication, path = fetch_current(self.settings.published_lexicons_url, cache, timeout=3)
            self.follower.publication = publication
            cache.mark_current(publication.version)
            return str(path)
        except LexiconDbError as e:
            fallback = cache.current()
            where = str(fallback) if fallback else self.settings.lexicon
            log.warning("no published lexicon (%s); serving %s until one arrives", e, where)
            return where

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        if self.pool is not None:
            self.pool.start()
        # streams' tables, in the background: startup does not wait for them (a stream chunk
        # that comes first waits on the engine's lock, once)
        self._tasks.append(asyncio.create_task(asyncio.to_thread(_prepare, self.guard.engine), name="prefixes"))
        if self.follower is not None:
            self._tasks.append(asyncio.create_task(self.follower.run(self._published), name="lexicon-follow"))
        elif self.settings.watch:
            self._tasks.append(asyncio.create_task(self._watch(), name="lexicon-watch"))
        self._tasks.append(asyncio.create_task(self._purge_daily(), name="retention-purge"))
        self._tasks.append(asyncio.create_task(self._health(), name="store-health"))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self.pool is not None:
            await self.pool.stop()
        if self.images is not None:
            self.images.close()
        await asyncio.to_thread(self.writer.close)  # drain: nothing queued is lost
        self.store.close()

    async def checked(self, cost: int, fn: Callable[..., T], *args: Any) -> T:
        """``fn(guard, *args)`` (a function of ``service.checks``): inline when it scans at
        most ``offload_chars`` characters, else in a check worker within ``check_budget_s``
        (``checkpool.BudgetExceeded`` past it)."""
        pool = self.pool
        if pool is None or cost <= self.settings.offload_chars:
            return fn(self.guard, *args)
        metrics.CHECKS_OFFLOADED.inc()
        return await pool.run(fn, args, self.settings.check_budget_s)

    def ready(self) -> tuple[bool, dict[str, Any]]:
        store_ok = self.writer.healthy
        if store_ok:
            try:
                self.store.ping()
            except StoreUnavailable:
                store_ok = False
        detail: dict[str, Any] = {"lexicon": self.guard.version, "audit_store": "ok" if store_ok else "unavailable",
                                  "audit_queue": self.writer.depth}
        if self.pool is not None:  # reported, not required: a big text waits for one within its budget
            detail["check_workers"] = self.pool.ready
        if self.images is not None:
            detail["images"] = self.images.backend
        return store_ok, detail

    # ------------------------------------------------------------------ reload
    async def reload(self) -> ReloadResult:
        async with self._reload_lock:
            previous = self.guard.version
            result = await self._reload(previous)
            self.reloads.append(ReloadEvent(time.time(), previous, result))
            return result

    async def _reload(self, previous: str) -> ReloadResult:
        """Build and swap, under the reload lock."""
        try:
            engine = await asyncio.to_thread(self._build)
        except LexiconError as e:
            problems = [str(p) for p in e.problems]
            self.last_reload_error = problems
            metrics.RELOADS.labels("rejected").inc()
            log.error("lexicon rejected, %s keeps serving: %s", previous, "; ".join(problems[:20]))
            return ReloadResult(False, previous, False, problems)
        except Exception as e:  # an unreadable directory, say: same treatment
            self.last_reload_error = [str(e)]
            metrics.RELOADS.labels("rejected").inc()
            log.exception("lexicon reload failed, %s keeps serving", previous)
            return ReloadResult(False, previous, False, [str(e)])
        changed = engine.version != previous
        if changed:
            await asyncio.to_thread(_prepare, engine)
            self.guard.swap(engine)
            if self.pool is not None:  # the old workers serve until new ones are up
                self.pool.reload(self.lexicon_path)
            metrics.set_lexicon(engine.version, len(engine.lexicon.terms), previous)
            log.info("lexicon %s now serving (%d terms)", engine.version, len(engine.lexicon.terms))
        self.last_reload_error = []
        metrics.RELOADS.labels("ok" if changed else "unchanged").inc()
        return ReloadResult(True, engine.version, changed)

    async def _published(self, publication: Any, path: Path) -> None:
        """A version published to the database: swap to it like any reload."""
        if publication.version == self.guard.version:
            self.follower.cache.mark_current(publication.version)
            return
        previous = self.lexicon_path
        self.lexicon_path = str(path)
        result = await self.reload()
        if result.ok:
            self.follower.cache.mark_current(publication.version)
        else:
            self.lexicon_path = previous

    def _build(self) -> Engine:
        with contextlib.suppress(OSError):
            if content_version(Path(self.lexicon_path)) == self.guard.version:
                load_lexicon(self.lexicon_path)  # still valid as it stands (a dangling x.tsv is not)
                return self.guard.engine
        # a version seen before comes from the compiled-lexicon cache
        return load_engine(self.lexicon_path, backend=self.guard.matcher, tables=self.guard.engine.tables)

    async def _watch(self) -> None:
        """Reload when the lexicon directory changes (a ConfigMap's ``..data`` swap included)."""
        from watchfiles import awatch

        path = Path(self.lexicon_path)
        while True:
            try:
                async for _changes in awatch(path, debounce=200, step=50, recursive=True):
                    await self.reload()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("lexicon watcher failed; restarting it")
                await asyncio.sleep(1)

    # ------------------------------------------------------------------ retention
    def purge(self, now: datetime | None = None) -> PurgeResult:
        now = now or datetime.now(UTC)
        prepare = getattr(self.store, "prepare_partitions", None)
        if prepare is not None:
            prepare()  # next month's partition, before its first record
        cutoff = iso(now - timedelta(days=self.settings.retention_days))
        return self.store.purge(cutoff, NewRecord(kind="purge", body={"retention_days": self.settings.retention_days}))

    async def _purge_daily(self) -> None:
        while True:
            try:
                result = await asyncio.to_thread(self.purge)
                if result.purged:
                    log.info("retention purge removed %d records before %s (%d held)", result.purged,
                             result.cutoff, result.held)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("retention purge failed; will try again")
            await asyncio.sleep(self.settings.purge_interval_s)

    async def _health(self) -> None:
        """Keep the store gauge and queue depth current; probe a failed store until it returns."""
        while True:
            metrics.AUDIT_QUEUE.set(self.writer.depth)
            ok = self.writer.healthy
            if not ok:
                try:
                    await asyncio.to_thread(self.store.ping, True)  # a commit, not just a read
                    self.writer.recovered()
                except StoreUnavailable:
                    pass
            metrics.STORE_UP.set(1 if ok else 0)
            await asyncio.sleep(1.0)
