"""Big checks off the event loop: a bounded pool of worker processes, each holding its own
engine, and a time budget per request.

A text longer than ``offload_chars`` (and a batch or stream step whose texts add up to
more) is checked in a worker; the event loop only waits on a pipe, so ``/healthz`` and
small requests keep their latency while it runs. A check that does not answer within
``check_budget_s`` — waiting for a free worker included — is answered ``503`` with
``Retry-After`` by the caller, never ``pass``, and its worker is killed and replaced.

Why processes and not threads, measured on this engine with the bundled lexicon (a small
check timed 300 times while another check runs beside it):

* beside a *thread* checking 1,500 Latin letters the small check's p99 went from 0.48 ms
  to 2.5 ms, and beside one checking 100,000 Han characters to 16 ms (max 26 ms): the
  views extension and the automatons hold the GIL for long stretches, and every request
  takes the GIL several times;
* beside a *process* it stayed at 0.57 ms;
* a thread cannot be stopped: a check past its budget would keep a core busy until it
  ends. A process is killed.

Workers run at a lower CPU priority (``nice`` +10): on a busy machine the event loop, which
answers everyone, gets the CPU first. Each worker loads the lexicon itself (about as much
memory as the service's own engine); a reload starts a new set of workers on the new
lexicon and retires the old ones once the new ones are ready.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

log = logging.getLogger("interceptor.service")
T = TypeVar("T")
START_TIMEOUT_S = 300.0  # a worker loading a very large lexicon on a loaded machine
WORKER_NICE = 10


class BudgetExceeded(Exception):
    """The check did not finish within its time budget (its worker was replaced)."""


class PoolUnavailable(Exception):
    """No worker can take the check (the pool is stopping, or workers cannot start)."""


@dataclass(eq=False)  # compared and hashed by identity: kept in a set
class Worker:
    process: BaseProcess
    conn: Connection
    version: str  # the lexicon version the worker loaded
    generation: int

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.conn.close()


def _serve(conn: Connection, path: str, matcher: str) -> None:
    """A worker: load the lexicon, then run jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICE)
    from interceptor.engine import Interceptor

    try:
        guard = Interceptor.from_path(path, matcher=matcher)
        guard.engine.prefixes  # noqa: B018 - what stream steps need, built before the first one
    except Exception as e:  # a lexicon that loaded in the parent and not here: say why
        conn.send(("failed", f"{type(e).__name__}: {e}"))
        return
    conn.send(("ready", guard.version))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        fn, args = job
        try:
            conn.send(("ok", fn(guard, *args)))
        except Exception as e:
            conn.send(("error", f"{type(e).__name__}: {e}"))


def _start(path: str, matcher: str, generation: int) -> Worker:
    """Start one worker and wait until its lexicon is loaded (blocking: run in a thread)."""
    ctx = multiprocessing.get_context("spawn")  # a fresh interpreter: no threads or locks inherited
    parent, child = ctx.Pipe()
    process = ctx.Process(target=_serve, args=(child, path, matcher), name="interceptor-check", daemon=True)
    process.start()
    child.close()
    worker = Worker(process, parent, "", generation)
    try:
        if not parent.poll(START_TIMEOUT_S):
            raise PoolUnavailable(f"a check worker did not load {path} within {START_TIMEOUT_S:.0f} s")
        status, detail = parent.recv()
    except (EOFError, OSError) as e:
        worker.kill()
        raise PoolUnavailable(f"a check worker died while loading {path}") from e
    except PoolUnavailable:
        worker.kill()
        raise
    if status != "ready":
        worker.kill()
        raise PoolUnavailable(f"a check worker could not load {path}: {detail}")
    worker.version = detail
    return worker


def _call(worker: Worker, fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[str, Any]:
    """Send one job and wait for its answer (blocking: run in a thread)."""
    try:
        worker.conn.send((fn, args))
        return worker.conn.recv()  # type: ignore[no-any-return]
    except (EOFError, OSError):
        return "died", None


class CheckPool:
    """``size`` worker processes on one lexicon; ``run`` gives a job to a free one."""

    def __init__(self, size: int, path: str, matcher: str):
        self.size = size
        self.path = path
        self.matcher = matcher
        self.version = ""  # the lexicon version of the current generation, once one worker is up
        self.generation = 0
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._all: set[Worker] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._stopping = False
        self._first = asyncio.Event()  # set once the first worker is up
        self.last_error: str | None = None

    @property
    def ready(self) -> int:
        """Workers that are up (during a reload, the old ones serve until new ones are)."""
        return len(self._all)

    def _current(self) -> int:
        return sum(1 for w in self._all if w.generation == self.generation)

    def start(self) -> None:
        """Start the workers in the background: the service answers meanwhile. A big check
        that comes before the first worker is up waits for it (its budget starts then);
        later, waiting for a free worker counts against the budget."""
        for _ in range(self.size):
            self._spawn(self.generation)

    def _spawn(self, generation: int, delay: float = 0.0) -> None:
        task = asyncio.create_task(self._bring_up(generation, delay), name="check-worker-start")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _bring_up(self, generation: int, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        if self._stopping or generation != self.generation:
            return
        try:
            worker = await asyncio.to_thread(_start, self.path, self.matcher, generation)
        except PoolUnavailable as e:
            self.last_error = str(e)
            log.error("%s; trying again in 5 s", e)
            self._spawn(generation, 5.0)
            return
        if self._stopping or generation != self.generation:
            worker.kill()
            return
        self.version = worker.version
        self.last_error = None
        self._all.add(worker)
        self._idle.put_nowait(worker)
        self._first.set()
        idle = [self._idle.get_nowait() for _ in range(self._idle.qsize())]
        for w in idle:  # a new generation is up: idle workers of older ones retire now
            self._give_back(w)

    def _replace(self, worker: Worker) -> None:
        worker.kill()
        self._all.discard(worker)
        if worker.generation == self.generation and not self._stopping:
            self._spawn(self.generation)

    def _give_back(self, worker: Worker) -> None:
        if self._stopping or (worker.generation != self.generation and self._current() > 0):
            self._retire(worker)
        else:
            self._idle.put_nowait(worker)

    def _retire(self, worker: Worker) -> None:
        self._all.discard(worker)
        with contextlib.suppress(Exception):
            worker.conn.send(None)
        worker.kill()

    async def run(self, fn: Callable[..., T], args: tuple[Any, ...], budget_s: float) -> T:
        """``fn(guard, *args)`` in a worker; BudgetExceeded past ``budget_s`` seconds."""
        if self._stopping:
            raise PoolUnavailable("the service is stopping")
        loop = asyncio.get_running_loop()
        if not self._first.is_set():  # the service has just started: wait for its first worker
            try:
                async with asyncio.timeout(START_TIMEOUT_S):
                    await self._first.wait()
            except TimeoutError:
                raise PoolUnavailable(self.last_error or "no check worker came up") from None
        deadline = loop.time() + budget_s
        try:
            async with asyncio.timeout_at(deadline):
                worker = await self._idle.get()
        except TimeoutError:
            raise BudgetExceeded(f"no check worker was free within {budget_s:g} s") from None
        if worker.generation != self.generation and self._current() > 0:  # a reload's new workers are up
            self._retire(worker)
            return await self.run(fn, args, max(0.0, deadline - loop.time()))
        call = asyncio.ensure_future(asyncio.to_thread(_call, worker, fn, args))
        try:
            async with asyncio.timeout_at(deadline):
                status, result = await asyncio.shield(call)
        except TimeoutError:
            self._replace(worker)  # the only way to stop a check: kill its process
            raise BudgetExceeded(f"the check took longer than {budget_s:g} s") from None
        except asyncio.CancelledError:  # the request went away: the worker comes back when done
            call.add_done_callback(lambda f: self._settle(worker, f))
            raise
        return self._result(worker, status, result)  # type: ignore[no-any-return]

    def _settle(self, worker: Worker, done: asyncio.Future[tuple[str, Any]]) -> None:
        if not done.cancelled() and done.exception() is None and done.result()[0] in ("ok", "error"):
            self._give_back(worker)
        else:
            self._replace(worker)

    def _result(self, worker: Worker, status: str, result: Any) -> Any:
        if status == "died":
            self._replace(worker)
            raise PoolUnavailable("the check worker died")
        self._give_back(worker)
        if status == "error":
            raise RuntimeError(f"check failed in a worker: {result}")
        return result

    def reload(self, path: str) -> None:
        """Start a generation of workers on ``path``, in the background. The old workers
        serve until its first one is up (each verdict names the lexicon version it used),
        then retire as soon as they are idle."""
        self.path = path
        self.generation += 1
        for _ in range(self.size):
            self._spawn(self.generation)

    async def settled(self) -> None:
        """Until the current generation has a worker up."""
        while self._current() == 0 and not self._stopping:
            await asyncio.sleep(0.05)

    async def stop(self) -> None:
        self._stopping = True
        for task in list(self._tasks):
            task.cancel()
        workers = list(self._all)
        for worker in workers:
            self._retire(worker)
        for worker in workers:
            await asyncio.to_thread(worker.process.join, 5)
