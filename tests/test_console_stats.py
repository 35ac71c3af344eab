"""The overview's windows over the service's counters."""
from __future__ import annotations

import math

from interceptor.service.console.stats import Sampler, Totals, quantile

INF = math.inf


def test_quantile_interpolates_inside_the_bucket() -> None:
    buckets = ((0.001, 50.0), (0.01, 90.0), (0.1, 100.0), (INF, 100.0))
    assert quantile(0.5, buckets) == 0.001
    assert math.isclose(quantile(0.7, buckets) or 0, 0.001 + 0.009 * 0.5)
    assert math.isclose(quantile(0.99, buckets) or 0, 0.01 + 0.09 * 0.9)
    assert quantile(0.5, ((0.1, 0.0), (INF, 0.0))) is None
    assert quantile(0.99, ((0.1, 1.0), (INF, 100.0))) == 0.1  # beyond the last bound: that bound


def test_window_is_the_difference_with_the_snapshot_a_window_ago() -> None:
    s = Sampler(started=0.0, every_s=60)
    s.snapshots.append(Totals(0.0, {}, {}, ()))
    s.snapshots.append(Totals(600.0, {"pass": 10, "block": 2}, {"drugs": 2}, ((0.001, 12.0), (INF, 12.0))))
    s.snapshots.append(Totals(3000.0, {"pass": 50, "block": 5}, {"drugs": 5}, ((0.001, 55.0), (INF, 55.0))))
    now = Totals(4300.0, {"pass": 110, "block": 9, "mask": 1}, {"drugs": 9, "spam": 1}, ((0.001, 120.0), (INF, 120.0)))
    hour = s.window(3600, now)
    assert hour.whole and hour.since == 600.0
    assert hour.actions == [("pass", 100), ("block", 7), ("mask", 1)] and hour.requests == 108
    assert hour.categories == [("drugs", 7), ("spam", 1)]
    day = s.window(86400, now)  # younger than a day: since the start
    assert not day.whole and day.since == 0.0 and day.requests == 120
