"""Figures for the overview, from the service's own metrics and audit store.

Prometheus counters only grow, so the console keeps a snapshot of them every minute (a
day's worth) and a window's figures are the difference between now and the snapshot taken
a window ago — or, while the process is younger than the window, everything since it
started. Terms are not metric labels (a lexicon has thousands), so the top terms come from
the audit log's most recent ``RECENT`` records of the window.
"""
from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections import Counter, deque
from typing import NamedTuple

import orjson
from prometheus_client import CollectorRegistry

from interceptor.audit.store import AuditStore, Query
from interceptor.service import metrics

EVERY_S = 60.0
RECENT = 5000
TOP = 10


class Totals(NamedTuple):
    """The counters at one moment."""

    at: float
    actions: dict[str, float]                # requests by action, every route
    categories: dict[str, float]             # hits by category
    latency: tuple[tuple[float, float], ...]  # check seconds: (upper bound, cumulative count)


class Window(NamedTuple):
    seconds: float
    since: float             # when the window starts (the process start, if later)
    whole: bool              # False: the process is younger than the window
    requests: int
    actions: list[tuple[str, int]]
    categories: list[tuple[str, int]]
    p50: float | None
    p99: float | None


def read(registry: CollectorRegistry, now: float | None = None) -> Totals:
    actions: dict[str, float] = {}
    categories: dict[str, float] = {}
    buckets: dict[float, float] = {}
    for family in registry.collect():
        if family.name not in ("interceptor_requests", "interceptor_hits", "interceptor_check_seconds"):
            continue
        for s in family.samples:
            if s.name == "interceptor_requests_total":
                key = s.labels.get("action", "")
                actions[key] = actions.get(key, 0.0) + s.value
            elif s.name == "interceptor_hits_total":
                key = s.labels.get("category", "")
                categories[key] = categories.get(key, 0.0) + s.value
            elif s.name == "interceptor_check_seconds_bucket":
                le = float(s.labels["le"])
                buckets[le] = buckets.get(le, 0.0) + s.value
    return Totals(time.time() if now is None else now, actions, categories, tuple(sorted(buckets.items())))


def quantile(q: float, buckets: tuple[tuple[float, float], ...]) -> float | None:
    """``histogram_quantile``: linear inside the bucket the rank falls in."""
    if not buckets or buckets[-1][1] <= 0:
        return None
    rank = q * buckets[-1][1]
    lower, below = 0.0, 0.0
    for upper, count in buckets:
        if count >= rank:
            if math.isinf(upper):
                return lower  # beyond the last bound: that bound is all we know
            return lower + (upper - lower) * ((rank - below) / (count - below) if count > below else 0.0)
        lower, below = upper, count
    return lower


def _minus(a: dict[str, float], b: dict[str, float]) -> list[tuple[str, int]]:
    out = [(k, int(v - b.get(k, 0.0))) for k, v in a.items()]
    return sorted(((k, n) for k, n in out if n > 0), key=lambda kv: (-kv[1], kv[0]))


class Sampler:
    """Minute snapshots of the counters, for a day (and a little)."""

    def __init__(self, started: float, every_s: float = EVERY_S, keep_s: float = 86_400 + 600):
        self.started = started
        self.every_s = every_s
        self.snapshots: deque[Totals] = deque(maxlen=int(keep_s / every_s) + 1)

    def sample(self) -> Totals:
        now = read(metrics.registry())
        self.snapshots.append(now)
        return now

    async def run(self) -> None:
        while True:
            with contextlib.suppress(Exception):  # a failed read is a missing minute, not a dead task
                await asyncio.to_thread(self.sample)
            await asyncio.sleep(self.every_s)

    def window(self, seconds: float, now: Totals) -> Window:
        start = now.at - seconds
        base = next((s for s in reversed(self.snapshots) if s.at <= start), None)
        whole = base is not None
        if base is None:  # the process is younger than the window: everything since it started
            base = Totals(self.started, {}, {}, ())
        before = dict(base.latency)
        latency = tuple((le, count - before.get(le, 0.0)) for le, count in now.latency)
        actions = _minus(now.actions, base.actions)
        return Window(seconds, base.at, whole, sum(n for _, n in actions), actions,
                      _minus(now.categories, base.categories)[:TOP], quantile(0.5, latency), quantile(0.99, latency))


def _head(store: AuditStore) -> int:
    """The last sequence number, by doubling and halving (each probe one indexed read)."""
    def any_after(seq: int) -> bool:
        return bool(store.query(Query(kind=None, after_seq=seq, limit=1)))

    if not any_after(0):
        return 0
    low, high = 0, 1
    while any_after(high):
        low, high = high, high * 2
    while high - low > 1:  # any_after(low) holds, any_after(high) does not
        mid = (low + high) // 2
        low, high = (mid, high) if any_after(mid) else (low, mid)
    return high


class Terms(NamedTuple):
    terms: list[tuple[str, int]]
    records: int  # the records they were counted in


def top_terms(store: AuditStore, since: str) -> Terms:
    """Terms of the hits in the latest ``RECENT`` records (since ``since``)."""
    start = max(0, _head(store) - RECENT)
    counted: Counter[str] = Counter()
    records = 0
    after = start
    while True:
        page = store.query(Query(kind="verdict", since=since, after_seq=after, limit=500))
        for r in page:
            records += 1
            counted.update(h.get("term", "") for h in orjson.loads(r.body).get("hits", ()))
        if len(page) < 500:
            return Terms(counted.most_common(TOP), records)
        after = page[-1].seq
