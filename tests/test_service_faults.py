"""Reload under fire, kill -9 under block load, and hostile input: over real sockets."""
from __future__ import annotations

import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from tests.server import ADMIN, AUDITOR, Server

SAMPLE = ROOT / "lexicons" / "sample"


def test_bad_lexicon_keeps_the_old_one_and_the_fix_is_picked_up(tmp_path: Path) -> None:
    lex = tmp_path / "lex"
    shutil.copytree(SAMPLE, lex)
    with Server(lex, f"sqlite:///{tmp_path / 'a.db'}") as s, httpx.Client(base_url=s.url, timeout=10) as c:
        old = c.get("/v1/lexicon", headers=ADMIN).json()["version"]
        (lex / "bad.tsv").write_text("term\ttier\nfoo\tsevere\n", encoding="utf8")
        time.sleep(1.0)  # the watcher tries, and refuses
        r = c.post("/v1/lexicon/reload", headers=ADMIN)
        assert r.status_code == 422
        assert any("bad.tsv:2: unknown tier 'severe'" in p for p in r.json()["error"]["detail"])
        assert c.post("/v1/moderate", json={"text": "枪支"}).json()["lexicon_version"] == old
        assert 'interceptor_lexicon_reloads_total{result="rejected"}' in c.get("/metrics").text
        (lex / "bad.tsv").write_text("term\ttier\nfoo\tblock\n", encoding="utf8")
        deadline = time.time() + 2.0
        version = old
        while time.time() < deadline and version == old:
            time.sleep(0.05)
            version = c.post("/v1/moderate", json={"text": "foo"}).json()["lexicon_version"]
        assert version != old, "the fixed lexicon was not picked up within 2 s"
        assert c.post("/v1/moderate", json={"text": "foo"}).json()["action"] == "block"


@pytest.mark.faults
def test_reloads_under_load_fail_no_request(tmp_path: Path) -> None:
    lex = tmp_path / "lex"
    shutil.copytree(SAMPLE, lex)
    failures: list[str] = []
    stop = threading.Event()
    with Server(lex, f"sqlite:///{tmp_path / 'a.db'}") as s:
        def load() -> None:
            with httpx.Client(base_url=s.url, timeout=10) as c:
                while not stop.is_set():
                    r = c.post("/v1/moderate", json={"text": "加我微信 and 枪支"})
                    if r.status_code != 200 or r.json()["action"] != "block":
                        failures.append(r.text)

        threads = [threading.Thread(target=load) for _ in range(4)]
        for t in threads:
            t.start()
        with httpx.Client(base_url=s.url, timeout=30) as c:
            for i in range(40):
                (lex / "extra.tsv").write_text(f"term\ntest-term-{i}\n", encoding="utf8")
                assert c.post("/v1/lexicon/reload", headers=ADMIN).status_code == 200
        stop.set()
        for t in threads:
            t.join()
        assert httpx.get(s.url + "/v1/lexicon", headers=ADMIN).json()["terms"] == 21
    assert failures == []


@pytest.mark.faults
@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_kill9_loop_loses_no_acknowledged_block(store: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """Three rounds in which clients send 2,000 requests with a block term and the server
    is killed with ``kill -9`` half-way: every block answered 200 has its record, and the
    chain verifies."""
    db = f"sqlite:///{tmp_path / 'k.db'}" if store == "sqlite" else request.getfixturevalue("pg_url")
    answered: list[str] = []
    lock = threading.Lock()
    for round_ in range(3):
        server = Server(SAMPLE, db).start()
        stop = threading.Event()
        before = len(answered)

        def client(n: int, server: Server = server, stop: threading.Event = stop, round_: int = round_) -> None:
            with httpx.Client(base_url=server.url, timeout=10) as c:
                for i in range(n):
                    if stop.is_set():
                        return
                    try:
                        r = c.post("/v1/moderate", json={"text": f"哪里买枪支 {round_}-{i}", "conversation_id": "kill"})
                    except httpx.HTTPError:
                        return
                    if r.status_code == 200 and r.json()["action"] == "block":
                        with lock:
                            answered.append(r.json()["log_id"])

        threads = [threading.Thread(target=client, args=(100,)) for _ in range(20)]  # 2,000 requests
        for t in threads:
            t.start()
        while len(answered) - before < 1000 and any(t.is_alive() for t in threads):
            time.sleep(0.01)
        server.kill9()
        stop.set()
        for t in threads:
            t.join()
        assert 1000 <= len(answered) - before < 2000  # killed while requests were still coming
    with Server(SAMPLE, db) as again, httpx.Client(base_url=again.url, timeout=30) as c:
        stored = set()
        cursor = None
        while True:
            params = {"conversation_id": "kill", "limit": 1000, **({"cursor": cursor} if cursor else {})}
            page = c.get("/v1/logs", params=params, headers=AUDITOR).json()
            stored |= {r["id"] for r in page["items"]}
            cursor = page["next_cursor"]
            if not cursor:
                break
        lost = [i for i in answered if i not in stored]
        assert lost == [], f"{len(lost)} acknowledged blocks lost"
    v = subprocess.run([sys.executable, "-m", "interceptor.cli", "logs", "verify", "--db", db], capture_output=True,
                       text=True, cwd=ROOT, timeout=60)
    assert v.returncode == 0, v.stdout + v.stderr


@pytest.mark.faults
def test_disk_full_answers_503_and_recovers_by_itself(tmp_path: Path) -> None:
    """The SQLite log reaches a file-size limit (RLIMIT_FSIZE set on the running server):
    blocks are answered 503, never pass and never an unlogged block; passes keep flowing;
    /readyz turns false, and true again by itself once the limit is lifted."""
    db_path = tmp_path / "full.db"
    with Server(SAMPLE, f"sqlite:///{db_path}") as s, httpx.Client(base_url=s.url, timeout=30) as c:
        assert s.proc is not None
        assert c.post("/v1/moderate", json={"text": "枪支"}).json()["action"] == "block"
        files = [p for p in tmp_path.iterdir() if p.name.startswith("full.db")]
        limit = max(p.stat().st_size for p in files) + 256 * 1024
        resource.prlimit(s.proc.pid, resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))  # soft limit
        chat = [{"role": "user", "content": "长" * 8000}]  # about 24 KB of chat log per block record
        answered, statuses = [], []
        for i in range(200):
            r = c.post("/v1/moderate", json={"text": f"枪支 {i}", "messages": chat, "conversation_id": "full"})
            statuses.append(r.status_code)
            if r.status_code == 200:
                assert r.json()["action"] == "block"
                answered.append(r.json()["log_id"])
            else:
                assert r.status_code == 503 and r.json()["error"]["code"] == "audit_unavailable"
            if statuses[-5:] == [503] * 5:
                break
        assert statuses[-1] == 503, "the limit was never reached"
        assert c.post("/v1/moderate", json={"text": "hello"}).json()["action"] == "pass"  # passes keep flowing
        deadline = time.time() + 10
        while c.get("/readyz").status_code != 503 and time.time() < deadline:
            time.sleep(0.2)
        assert c.get("/readyz").status_code == 503
        resource.prlimit(s.proc.pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        deadline = time.time() + 10
        while c.get("/readyz").status_code != 200 and time.time() < deadline:
            time.sleep(0.2)
        assert c.get("/readyz").status_code == 200  # by itself: no request needed
        r = c.post("/v1/moderate", json={"text": "枪支 again", "conversation_id": "full"})
        assert r.status_code == 200
        answered.append(r.json()["log_id"])
        stored = {x["id"] for x in c.get("/v1/logs", params={"conversation_id": "full", "limit": 1000},
                                         headers=AUDITOR).json()["items"]}
        assert set(answered) <= stored  # every block answered 200 has its record
        assert c.get("/v1/logs/verify", headers=AUDITOR).json()["ok"]


@pytest.mark.faults
def test_overload_answers_503_with_retry_after(tmp_path: Path) -> None:
    """Blocks wait for a commit the database cannot take (another connection holds it
    locked): past ``max_in_flight`` requests in progress, the next ones are answered 503
    ``overloaded`` with Retry-After at once, probes still answer, and once the lock goes
    every waiting block is committed."""
    db = tmp_path / "busy.db"
    with Server(SAMPLE, f"sqlite:///{db}", env={"INTERCEPTOR_MAX_IN_FLIGHT": "8"}) as s:
        with httpx.Client(base_url=s.url, timeout=30) as c:
            assert c.post("/v1/moderate", json={"text": "枪支"}).status_code == 200
        locker = sqlite3.connect(db, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")
        results: list[httpx.Response] = []
        lock = threading.Lock()

        def block(i: int) -> None:
            with httpx.Client(base_url=s.url, timeout=60) as c:
                r = c.post("/v1/moderate", json={"text": f"枪支 {i}"})
                with lock:
                    results.append(r)

        waiting = [threading.Thread(target=block, args=(i,)) for i in range(8)]
        for t in waiting:
            t.start()
        time.sleep(1.0)
        with httpx.Client(base_url=s.url, timeout=5) as c:
            t0 = time.perf_counter()
            r = c.post("/v1/moderate", json={"text": "枪支 one more"})
            assert r.status_code == 503 and r.json()["error"]["code"] == "overloaded"
            assert r.headers["retry-after"] == "1" and time.perf_counter() - t0 < 1.0
            assert c.get("/healthz").status_code == 200
            assert "interceptor_overloaded_total 1.0" in c.get("/metrics").text
        assert results == []  # the eight are still waiting for their commit
        locker.execute("ROLLBACK")
        locker.close()
        for t in waiting:
            t.join()
        assert [r.status_code for r in results] == [200] * 8
        assert all(r.json()["action"] == "block" for r in results)
        with httpx.Client(base_url=s.url, timeout=30) as c:
            assert c.get("/v1/logs/verify", headers=AUDITOR).json()["checked"] == 9


def test_writer_queue_is_bounded(tmp_path: Path) -> None:
    """A store that cannot commit (locked by another connection): the writer takes at most
    ``max_queue`` records, refuses more with Overloaded, and writes all it took once free."""
    from interceptor.audit.records import NewRecord
    from interceptor.audit.sqlite import SqliteStore
    from interceptor.audit.writer import AuditWriter, Overloaded

    store = SqliteStore(tmp_path / "q.db")
    locker = sqlite3.connect(tmp_path / "q.db", isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    writer = AuditWriter(store, max_queue=100)
    accepted = refused = 0
    try:
        for _ in range(300):
            try:
                writer.submit([NewRecord(kind="verdict", body={})])
                accepted += 1
            except Overloaded:
                refused += 1
        assert accepted <= 100 + writer.max_batch and refused >= 300 - 100 - writer.max_batch and refused
    finally:
        locker.execute("ROLLBACK")
        locker.close()
        writer.close()
    assert store.verify().checked == accepted


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    d = tmp_path_factory.mktemp("fuzz")
    with Server(SAMPLE, f"sqlite:///{d / 'f.db'}") as s:
        yield s


PATHS = ["/v1/moderate", "/v1/moderate/batch", "/v1/acknowledge", "/v1/reviews", "/v1/reviews/x", "/v1/logs",
         "/v1/logs/x", "/v1/logs/export", "/v1/logs/verify", "/v1/lexicon", "/v1/lexicon/reload", "/v1/admin/holds",
         "/healthz", "/readyz", "/metrics", "/v1/nowhere"]
JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                       lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                    max_size=4), max_leaves=12)
BODIES = st.one_of(
    st.binary(max_size=200),
    JSONISH.map(lambda v: json.dumps(v).encode()),
    st.fixed_dictionaries({"text": JSONISH}, optional={"direction": JSONISH, "messages": JSONISH,
                                                        "conversation_id": JSONISH, "items": JSONISH,
                                                        "ack_token": JSONISH, "decision": JSONISH,
                                                        "reviewer": JSONISH}).map(lambda v: json.dumps(v)
                                                                                  .encode()),
    st.text(max_size=100).map(lambda t: ('{"text": "' + t + '"}').encode("utf8", "surrogatepass")),
)


# 2,500 requests in `make test`; `make fuzz` (INTERCEPTOR_FUZZ_EXAMPLES=3000 and up) sends more
HOSTILE_EXAMPLES = max(2_500, int(os.environ.get("INTERCEPTOR_FUZZ_EXAMPLES", "0")) * 4)


@pytest.mark.fuzz
@settings(max_examples=HOSTILE_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]), path=st.sampled_from(PATHS), body=BODIES,
       ctype=st.sampled_from(["application/json", "text/plain", "", "application/json; charset=utf-8"]),
       token=st.sampled_from([None, "adm-token", "wrong"]),
       query=st.dictionaries(st.sampled_from(["limit", "since", "until", "cursor", "action", "status", "kind"]),
                             st.text(max_size=12), max_size=3))
def test_hostile_requests_never_get_a_5xx(fuzz_server: Server, method: str, path: str, body: bytes, ctype: str,
                                          token: str | None, query: dict[str, str]) -> None:
    headers = {"content-type": ctype} if ctype else {}
    if token:
        headers["authorization"] = f"Bearer {token}"
    client = _fuzz_client(fuzz_server)
    r = client.request(method, path, content=body, headers=headers, params=query)
    assert r.status_code < 500, (method, path, body[:80], r.status_code, r.text[:200])


_clients: dict[int, httpx.Client] = {}


def _fuzz_client(server: Server) -> httpx.Client:
    c = _clients.get(server.port)
    if c is None:
        c = _clients[server.port] = httpx.Client(base_url=server.url, timeout=30)
    return c


def test_still_serving_after_the_fuzz(fuzz_server: Server) -> None:
    c = _fuzz_client(fuzz_server)
    assert c.post("/v1/moderate", json={"text": "枪支"}).json()["action"] == "block"
    c.close()
    _clients.clear()
