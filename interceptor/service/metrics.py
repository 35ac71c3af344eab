"""Prometheus metrics, safe with several uvicorn workers.

With ``--workers`` > 1 the command line points ``PROMETHEUS_MULTIPROC_DIR`` at a fresh
directory before the workers start; prometheus-client then keeps each worker's values in
files there and ``/metrics`` aggregates them, so any worker answers for all.
"""
from __future__ import annotations

import contextlib
import functools
import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

REQUESTS = Counter("interceptor_requests", "Requests by route and action", ["route", "action"])
HITS = Counter("interceptor_hits", "Hits by tier and category", ["tier", "category"])
CHECK_SECONDS = Histogram("interceptor_check_seconds", "Time to check one text",
                          buckets=(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 1.0))
AUDIT_WRITE_SECONDS = Histogram("interceptor_audit_write_seconds", "Time to commit one batch of audit records",
                                buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0))
AUDIT_RECORDS = Counter("interceptor_audit_records", "Audit records committed")
AUDIT_ERRORS = Counter("interceptor_audit_errors", "Requests answered 503 because the audit store failed")
OVERLOADED = Counter("interceptor_overloaded", "Requests answered 503 overloaded: too many in progress")
AUDIT_DROPPED = Counter("interceptor_audit_dropped", "Background audit records dropped: retry buffer full")
AUDIT_QUEUE = Gauge("interceptor_audit_queue_depth", "Audit records waiting to be written",
                    multiprocess_mode="livesum")
LEXICON_TERMS = Gauge("interceptor_lexicon_terms", "Terms in the lexicon being served", multiprocess_mode="max")
LEXICON_INFO = Gauge("interceptor_lexicon_info", "The lexicon version being served (value 1)", ["version"],
                     multiprocess_mode="max")
RELOADS = Counter("interceptor_lexicon_reloads", "Lexicon reloads by result", ["result"])
CHECKS_OFFLOADED = Counter("interceptor_checks_offloaded", "Checks of big texts run in a check worker")
CHECK_TIMEOUTS = Counter("interceptor_check_timeouts", "Checks answered 503: not done within the check budget")
IMAGES = Counter("interceptor_images", "Images read and checked")
IMAGE_OCR_SECONDS = Histogram("interceptor_image_ocr_seconds", "Time to read one image (decoding and OCR)",
                              buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
IMAGE_CACHE = Counter("interceptor_image_cache", "Images looked up in the reading cache, by result", ["result"])
IMAGE_REFUSALS = Counter("interceptor_image_refusals", "Requests refused for an image, by code", ["code"])
STORE_UP = Gauge("interceptor_audit_store_up", "1 while the audit store accepts writes", multiprocess_mode="min")

METRIC_NAMES = (
    "interceptor_requests_total", "interceptor_hits_total", "interceptor_check_seconds",
    "interceptor_audit_write_seconds", "interceptor_audit_records_total", "interceptor_audit_errors_total",
    "interceptor_audit_dropped_total", "interceptor_audit_queue_depth", "interceptor_lexicon_terms",
    "interceptor_lexicon_info", "interceptor_lexicon_reloads_total", "interceptor_audit_store_up",
    "interceptor_overloaded_total", "interceptor_checks_offloaded_total", "interceptor_check_timeouts_total",
    "interceptor_images_total", "interceptor_image_ocr_seconds", "interceptor_image_cache_total",
    "interceptor_image_refusals_total",
)


@functools.cache
def requests(route: str, action: str) -> Counter:
    """``REQUESTS`` for one route and action. The children are kept: ``labels()`` validates
    and looks them up under a lock on every call, a few microseconds per request."""
    return REQUESTS.labels(route, action)


@functools.cache
def hits(tier: str, category: str) -> Counter:
    """``HITS`` for one tier and category (the lexicon's categories: a bounded set)."""
    return HITS.labels(tier, category)


def image_cache(hit: bool) -> None:
    IMAGE_CACHE.labels("hit" if hit else "miss").inc()


def set_lexicon(version: str, terms: int, previous: str | None) -> None:
    if previous and previous != version:
        with contextlib.suppress(KeyError):
            LEXICON_INFO.remove(previous)
    LEXICON_INFO.labels(version).set(1)
    LEXICON_TERMS.set(terms)


def registry() -> CollectorRegistry:
    """Every worker's values: the process's own registry, or with several workers one
    that aggregates their files."""
    if MULTIPROCESS:
        from prometheus_client import multiprocess

        merged = CollectorRegistry()
        multiprocess.MultiProcessCollector(merged)  # type: ignore[no-untyped-call]
        return merged
    return REGISTRY


def exposition() -> tuple[bytes, str]:
    return generate_latest(registry()), CONTENT_TYPE_LATEST
