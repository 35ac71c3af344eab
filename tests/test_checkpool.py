"""Big texts are checked off the event loop, within a time budget (service.checkpool)."""
from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import pytest

from interceptor.engine import Interceptor
from interceptor.service.checkpool import BudgetExceeded, CheckPool
from interceptor.service.checks import Item, check_one
from tests.adversarial import natural
from tests.conftest import ROOT, write_lexicon
from tests.server import Server

DEFAULT = ROOT / "lexicons" / "default"
SAMPLE = ROOT / "lexicons" / "sample"
BUDGET_S = 3.0
# long runs of one letter, of alternating pairs, of one Han character, of invisible characters
ADVERSARIAL = ["a" * 100_000, "a1" * 50_000, "冰" * 100_000, ("x" + "\u200b" * 9) * 10_000,
               "\u200b" * 100_000, "枪\u200d" * 50_000]


class Answer(NamedTuple):
    route: str
    status: int
    seconds: float
    retry_after: str | None
    started: float
    ended: float


def wait_ready(url: str, timeout: float = 120) -> None:
    """Until the check workers are up (they load the lexicon after the service starts)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        r = httpx.get(url + "/readyz", timeout=5)
        if r.status_code == 200 and r.json().get("check_workers", 0) >= 1:
            return
        time.sleep(0.2)
    raise AssertionError(f"check workers never came up: {r.text}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    d = tmp_path_factory.mktemp("budget")
    s = Server(DEFAULT, f"sqlite:///{d / 'audit.db'}", env={"INTERCEPTOR_CHECK_BUDGET_S": str(BUDGET_S)}).start(120)
    try:
        wait_ready(s.url)
        yield s
    finally:
        try:
            s.stop()
        except Exception:  # a loop that never came back (the failure this module tests)
            s.kill9()


def big_requests(url: str, stop: threading.Event, answers: list[Answer]) -> None:
    """Adversarial texts, a batch of many medium texts and a stream of big chunks, one
    after another until ``stop``."""
    bodies: list[tuple[str, dict[str, Any]]] = [("/v1/moderate", {"text": t}) for t in ADVERSARIAL]
    bodies.append(("/v1/moderate", {"text": natural(100_000)}))  # the costliest check: natural text
    bodies.append(("/v1/moderate/batch", {"items": [{"text": "a1" * 500} for _ in range(200)]}))
    bodies.append(("/v1/moderate/stream", {"text": "a" * 60_000, "final": True}))
    with httpx.Client(base_url=url, timeout=BUDGET_S + 30) as c:
        while not stop.is_set():
            for route, body in bodies:
                t0 = time.perf_counter()
                r = c.post(route, json=body)
                t1 = time.perf_counter()
                answers.append(Answer(route, r.status_code, t1 - t0, r.headers.get("retry-after"), t0, t1))
                if stop.is_set():
                    return


def small_requests(url: str, n: int) -> list[tuple[float, float]]:
    """``n`` small requests, one at a time: (start, seconds) each."""
    out = []
    smalls: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", "/healthz", None), ("POST", "/v1/moderate", {"text": "今天天气很好 hello there"}),
        ("POST", "/v1/moderate", {"text": "哪里能买到枪支"}),
        ("POST", "/v1/moderate/batch", {"items": [{"text": "你好"}, {"text": "hello"}]}),
        ("POST", "/v1/moderate/stream", {"text": "一段输出", "final": True})]
    with httpx.Client(base_url=url, timeout=30) as c:
        for i in range(n):
            method, path, body = smalls[i % len(smalls)]
            t0 = time.perf_counter()
            r = c.request(method, path, json=body)
            out.append((t0, time.perf_counter() - t0))
            assert r.status_code == 200, r.text
            time.sleep(0.01)
    return out


def test_small_requests_keep_their_latency_beside_adversarial_texts(server: Server) -> None:
    """p99 < 50 ms; on a machine too busy for that even when the service is idle, within 4x
    the idle p99 measured just before (a big check on the event loop costs tens of ms each)."""
    idle = sorted(s for _, s in small_requests(server.url, 100))[98]
    stop = threading.Event()
    answers: list[Answer] = []
    sender = threading.Thread(target=big_requests, args=(server.url, stop, answers), daemon=True)
    sender.start()
    time.sleep(0.3)  # the first big text is being checked
    try:
        small = small_requests(server.url, 100)
    finally:
        stop.set()
        sender.join(BUDGET_S * 3 + 60)
    latencies = sorted(s for _, s in small)
    p99 = latencies[98]
    assert p99 < max(0.050, 4 * idle), (f"small requests' p99 {p99 * 1000:.1f} ms beside big texts, "
                                       f"{idle * 1000:.1f} ms idle (slowest: {latencies[-5:]})")
    assert answers, "no big request was answered"

    beside = sum(any(a.started <= t <= a.ended for a in answers) for t, _ in small)
    assert beside >= 80, f"only {beside} small requests ran beside a big one"
    for a in answers:
        assert a.status in (200, 503), a
        if a.status == 503:  # over budget: told to retry, never a pass
            assert a.retry_after is not None and a.seconds < BUDGET_S + 2.0, a


@pytest.fixture(scope="module")
def tiny_budget(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A budget no check of a big text can meet: 1 ms."""
    d = tmp_path_factory.mktemp("tiny")
    with Server(SAMPLE, f"sqlite:///{d / 'audit.db'}", env={"INTERCEPTOR_CHECK_BUDGET_S": "0.001"}) as s:
        wait_ready(s.url)
        yield s


@pytest.mark.parametrize("route, body", [
    ("/v1/moderate", {"text": "枪支" + "今天天气很好，我们一起去公园散步吧。" * 3000}),
    ("/v1/moderate/batch", {"items": [{"text": "枪支" + "今天天气很好。" * 200} for _ in range(50)]}),
    ("/v1/moderate/stream", {"text": "枪支" + "今天天气很好。" * 3000, "final": True}),
])
def test_over_the_budget_is_503_with_retry_after_never_a_pass(tiny_budget: Server, route: str,
                                                             body: dict[str, Any]) -> None:
    with httpx.Client(base_url=tiny_budget.url, timeout=30) as c:
        t0 = time.perf_counter()
        r = c.post(route, json=body)
        assert time.perf_counter() - t0 < 2.0
        assert r.status_code == 503, r.text
        assert r.json()["error"]["code"] == "check_timeout" and r.headers["retry-after"] == "1"
        assert c.post("/v1/moderate", json={"text": "枪支"}).json()["action"] == "block"  # small: on the loop
        metrics = c.get("/metrics").text
        assert "interceptor_check_timeouts_total" in metrics
    wait_ready(tiny_budget.url)  # the killed worker was replaced


def test_the_pool_gives_the_inline_verdicts_and_follows_reloads(tmp_path: Path) -> None:
    one = write_lexicon(tmp_path / "one", {"t.tsv": "term\ttier\n枪支\tblock\n"})
    two = write_lexicon(tmp_path / "two", {"t.tsv": "term\ttier\n冰毒\tmask\n"})
    text = "枪支冰毒" + "今天天气很好。" * 500

    async def scenario() -> None:
        pool = CheckPool(1, str(one), "daachorse")
        pool.start()
        try:
            got = await pool.run(check_one, (Item(text, "input"),), 60)
            assert got == check_one(Interceptor.from_path(one), Item(text, "input"))
            pool.reload(str(two))
            await pool.settled()
            got = await pool.run(check_one, (Item(text, "input"),), 60)
            assert got == check_one(Interceptor.from_path(two), Item(text, "input"))
            assert got.action.value == "mask"
            with pytest.raises(BudgetExceeded):
                await pool.run(time_sink, (5.0,), 0.2)
            again = await pool.run(check_one, (Item(text, "input"),), 60)  # a new worker, same lexicon
            assert again == got
        finally:
            await pool.stop()

    asyncio.run(scenario())


def time_sink(_: Interceptor, seconds: float) -> None:
    """A job that outlives any small budget."""
    time.sleep(seconds)
