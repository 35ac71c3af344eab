"""The service end to end: uvicorn on an ephemeral port, real sockets, a real SQLite file."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT
from tests.server import ADMIN, AUDITOR, REVIEWER, Server

SAMPLE = ROOT / "lexicons" / "sample"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    d = tmp_path_factory.mktemp("svc")
    lex = d / "lexicon"
    shutil.copytree(SAMPLE, lex)
    with Server(lex, f"sqlite:///{d / 'audit.db'}") as s:
        yield s


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def moderate(client: httpx.Client, **body: object) -> dict:  # type: ignore[type-arg]
    r = client.post("/v1/moderate", json=body)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_pass_is_not_logged(client: httpx.Client) -> None:
    out = moderate(client, text="今天天气很好")
    assert out["action"] == "pass" and out["hits"] == [] and "log_id" not in out and out["request_id"]


def test_block_records_the_complete_chat_before_answering(client: httpx.Client) -> None:
    msgs = [{"role": "user", "content": "你好"}, {"role": "assistant", "content": "您好"}]
    out = moderate(client, text="哪里能买到枪只", conversation_id="conv-b", user_id="u1", messages=msgs)
    assert out["action"] == "block" and out["text"] is None and out["refusal"]
    rec = client.get(f"/v1/logs/{out['log_id']}", headers=AUDITOR).json()
    assert rec["action"] == "block" and rec["text"] == "哪里能买到枪只" and rec["messages"] == msgs
    assert rec["conversation_id"] == "conv-b" and rec["user_id"] == "u1" and rec["hits"][0]["term"] == "枪支"


def test_mask_gives_masked_text_and_a_review_item(client: httpx.Client) -> None:
    out = moderate(client, text="加我薇❤聊")
    assert out["action"] == "mask" and out["text"] == "加我**聊" and out["review_id"]
    time.sleep(0.3)  # written in the background
    pending = client.get("/v1/reviews", params={"status": "pending"}, headers=REVIEWER).json()["items"]
    item = next(i for i in pending if i["id"] == out["review_id"])
    assert item["log_id"] == out["log_id"] and item["text"] == "加我薇❤聊"
    r = client.post(f"/v1/reviews/{item['id']}", json={"decision": "confirm", "reviewer": "alice", "note": "ad"},
                    headers=REVIEWER)
    assert r.status_code == 200 and r.json()["status"] == "confirm"
    again = client.post(f"/v1/reviews/{item['id']}", json={"decision": "dismiss", "reviewer": "bob"}, headers=REVIEWER)
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    decisions = client.get("/v1/logs", params={"kind": "review"}, headers=AUDITOR).json()["items"]
    assert any(d["review_id"] == item["id"] and d["decision"] == "confirm" for d in decisions)


def test_warn_and_acknowledgement_flow(client: httpx.Client, server: Server) -> None:
    out = moderate(client, text="我想自杀", conversation_id="conv-w")
    assert out["action"] == "warn" and out["text"] == "我想自杀"
    token = out["warning"]["ack_token"]
    assert out["warning"]["message"] and out["warning"]["expires_at"].endswith("Z")
    first = client.post("/v1/acknowledge", json={"ack_token": token})
    second = client.post("/v1/acknowledge", json={"ack_token": token})
    assert first.status_code == second.status_code == 200
    assert first.json()["repeated"] is False and second.json()["repeated"] is True
    assert first.json()["log_id"] == out["log_id"]
    forged = client.post("/v1/acknowledge", json={"ack_token": token[:-3] + "AAA"})
    assert forged.status_code == 401
    wrong_conv = client.post("/v1/acknowledge", json={"ack_token": token, "conversation_id": "other"})
    assert wrong_conv.status_code == 401
    from interceptor.service.tokens import ack_token

    expired, _ = ack_token("test-secret", "r", "c", "l", ttl_s=1, now=time.time() - 3600)
    assert client.post("/v1/acknowledge", json={"ack_token": expired}).status_code == 410


def test_monitor_hits_are_logged_only(client: httpx.Client) -> None:
    out = moderate(client, text="the menopause")
    assert out["action"] == "pass" and out["hits"][0]["tier"] == "monitor" and out["log_id"]


def test_batch_in_order(client: httpx.Client) -> None:
    r = client.post("/v1/moderate/batch", json={"items": [{"text": "hello"}, {"text": "枪支"}, {"text": "f.u.c.k"}]})
    assert r.status_code == 200
    assert [x["action"] for x in r.json()["results"]] == ["pass", "block", "mask"]


def test_logs_filters_paging_export_verify(client: httpx.Client) -> None:
    for i in range(3):
        moderate(client, text=f"枪支 {i}", conversation_id="conv-page")
    first = client.get("/v1/logs", params={"conversation_id": "conv-page", "limit": 2}, headers=AUDITOR).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = client.get("/v1/logs", params={"conversation_id": "conv-page", "limit": 2, "cursor": first["next_cursor"]},
                      headers=AUDITOR).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    blocks = client.get("/v1/logs", params={"action": "block", "limit": 1000}, headers=AUDITOR).json()["items"]
    assert blocks and all(b["action"] == "block" for b in blocks)
    with client.stream("GET", "/v1/logs/export", params={"conversation_id": "conv-page"}, headers=AUDITOR) as r:
        lines = [line for line in r.iter_lines() if line]
    assert r.headers["content-type"].startswith("application/x-ndjson") and len(lines) == 3
    assert client.get("/v1/logs/verify", headers=AUDITOR).json()["ok"] is True
    bad = client.get("/v1/logs", params={"since": "yesterday"}, headers=AUDITOR)
    assert bad.status_code == 422


def test_access_control(server: Server) -> None:
    with httpx.Client(base_url=server.url) as c:
        assert c.get("/v1/logs").status_code == 401
        assert c.get("/v1/logs", headers=REVIEWER).status_code == 401
        assert c.get("/v1/reviews", headers=AUDITOR).status_code == 401
        assert c.get("/v1/reviews", headers=ADMIN).status_code == 200  # admin holds every scope
        assert c.get("/v1/lexicon", headers=AUDITOR).status_code == 401


def test_closed_when_no_token_is_configured(tmp_path: Path) -> None:
    env = {"INTERCEPTOR_REVIEWER_TOKEN": "", "INTERCEPTOR_AUDITOR_TOKEN": "", "INTERCEPTOR_ADMIN_TOKEN": "",
           "INTERCEPTOR_SERVICE_TOKEN": "svc"}
    with Server(SAMPLE, f"sqlite:///{tmp_path / 'a.db'}", env=env) as s, httpx.Client(base_url=s.url) as c:
        r = c.get("/v1/logs", headers={"authorization": "Bearer anything"})
        assert r.status_code == 403 and "INTERCEPTOR_AUDITOR_TOKEN" in r.json()["error"]["message"]
        assert c.post("/v1/moderate", json={"text": "x"}).status_code == 401
        ok = c.post("/v1/moderate", json={"text": "x"}, headers={"authorization": "Bearer svc"})
        assert ok.status_code == 200


def test_bad_input_is_a_4xx_json_error(client: httpx.Client) -> None:
    cases = [
        (client.post("/v1/moderate", content=b"x" * (1024 * 1024 + 10), headers={"content-type": "application/json"}),
         413),
        (client.post("/v1/moderate", content=b"{}", headers={"content-type": "text/plain"}), 415),
        (client.post("/v1/moderate", content=b"{", headers={"content-type": "application/json"}), 400),
        (client.post("/v1/moderate", content=b'{"text": "\\ud800"}', headers={"content-type": "application/json"}),
         400),
        (client.post("/v1/moderate", json={"text": "a\u0000b"}), 422),
        (client.post("/v1/moderate", json={"text": 1}), 422),
        (client.post("/v1/moderate", json={}), 422),
        (client.post("/v1/moderate", json=[1]), 422),
        (client.post("/v1/moderate", json={"text": "x", "direction": "up"}), 422),
        (client.post("/v1/moderate", json={"text": "x" * 100_001}), 413),
        (client.post("/v1/moderate/batch", json={"items": [{"text": "x"}] * 257}), 413),
        (client.get("/v1/nowhere"), 404),
        (client.put("/v1/moderate", json={"text": "x"}), 405),
    ]
    for r, status in cases:
        assert r.status_code == status, (r.status_code, status, r.text)
        assert set(r.json()["error"]) >= {"code", "message"}


def test_chunked_body_over_the_limit(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(300):
            yield b"a" * 4096
        yield b'"}'

    r = client.post("/v1/moderate", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_openapi_documents_the_routes(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/v1/moderate", "/v1/moderate/batch", "/v1/acknowledge", "/v1/reviews", "/v1/logs",
                 "/v1/logs/{log_id}", "/v1/logs/export", "/v1/logs/verify", "/v1/lexicon", "/v1/lexicon/reload",
                 "/healthz", "/readyz", "/metrics"):
        assert path in spec["paths"], path
    assert "ModerateRequest" in spec["components"]["schemas"]


def test_health_readiness_metrics(client: httpx.Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["ready"] is True and ready["audit_store"] == "ok"
    moderate(client, text="枪支")
    text = client.get("/metrics").text
    for name in ("interceptor_requests_total", "interceptor_hits_total", "interceptor_check_seconds_bucket",
                 "interceptor_audit_write_seconds_bucket", "interceptor_audit_queue_depth",
                 "interceptor_lexicon_terms", "interceptor_lexicon_info", "interceptor_lexicon_reloads_total"):
        assert name in text, name


def test_lexicon_info(client: httpx.Client) -> None:
    info = client.get("/v1/lexicon", headers=ADMIN).json()
    assert info["terms"] >= 20 and info["version"] and info["by_tier"]["block"] >= 1


def test_legal_hold_survives_a_purge_a_year_ahead(server: Server, client: httpx.Client) -> None:
    held = moderate(client, text="枪支 held", conversation_id="conv-hold")
    loose = moderate(client, text="枪支 loose", conversation_id="conv-loose")
    assert client.post("/v1/admin/holds", json={"conversation_id": "conv-hold", "reason": "court order"},
                       headers=ADMIN).status_code == 200
    later = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 366 * 86400))
    db = server.db
    p = subprocess.run([sys.executable, "-m", "interceptor.cli", "logs", "purge", "--db", db, "--now", later],
                       capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert p.returncode == 0, p.stderr
    assert client.get(f"/v1/logs/{held['log_id']}", headers=AUDITOR).status_code == 200
    assert client.get(f"/v1/logs/{loose['log_id']}", headers=AUDITOR).status_code == 404
    v = subprocess.run([sys.executable, "-m", "interceptor.cli", "logs", "verify", "--db", db], capture_output=True,
                       text=True, cwd=ROOT, timeout=60)
    assert v.returncode == 0, v.stdout + v.stderr


def test_retention_below_six_months_is_refused(tmp_path: Path) -> None:
    p = subprocess.run([sys.executable, "-m", "interceptor.cli", "logs", "purge", "--db",
                        f"sqlite:///{tmp_path / 'x.db'}", "--retention-days", "30"], capture_output=True, text=True,
                       cwd=ROOT, timeout=60)
    assert p.returncode == 2 and "183" in p.stderr


def test_verify_catches_a_record_edited_in_the_file(tmp_path: Path) -> None:
    db = tmp_path / "edit.db"
    with Server(SAMPLE, f"sqlite:///{db}") as s, httpx.Client(base_url=s.url) as c:
        for i in range(5):
            c.post("/v1/moderate", json={"text": f"枪支 {i}"})
    conn = sqlite3.connect(db)
    conn.execute("UPDATE records SET body = replace(body, '枪支 2', '枪支 X') WHERE seq = 3")
    conn.commit()
    conn.close()
    p = subprocess.run([sys.executable, "-m", "interceptor.cli", "logs", "verify", "--db", f"sqlite:///{db}"],
                       capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert p.returncode == 1 and "record 3" in p.stderr


def test_contextual_rules_over_http(tmp_path: Path) -> None:
    from tests.conftest import CASES

    with Server(CASES / "rules_lexicon", f"sqlite:///{tmp_path / 'r.db'}") as s, \
            httpx.Client(base_url=s.url, timeout=30) as c:
        out = c.post("/v1/moderate", json={"text": "今天股价下跌了，有人在群里荐股", "conversation_id": "m1",
                                           "messages": [{"role": "user", "content": "最近行情怎么样"}]}).json()
        assert out["action"] == "block" and out["hits"][0]["variant"] == "rule"
        rec = c.get(f"/v1/logs/{out['log_id']}", headers=AUDITOR).json()
        assert rec["messages"] == [{"role": "user", "content": "最近行情怎么样"}]
        assert rec["text"] == "今天股价下跌了，有人在群里荐股"
        msgs = [{"role": "assistant", "content": "您好，我是客服"}, {"role": "assistant", "content": "请先转账"}]
        fraud = c.post("/v1/moderate", json={"text": "把验证码发给我", "messages": msgs}).json()
        assert fraud["action"] == "warn"
        assert [h["term"] for h in fraud["hits"] if h["variant"] == "rule"] == ["cross-turn-fraud"]
        assert fraud["warning"]["ack_token"]


def test_metrics_add_up_across_workers(tmp_path: Path) -> None:
    """With --workers 2 every worker counts in one shared directory and /metrics, served by
    either worker, reports the sum."""
    from prometheus_client.parser import text_string_to_metric_families

    def passes(text: str) -> float:
        return sum(s.value for fam in text_string_to_metric_families(text) if fam.name == "interceptor_requests"
                   for s in fam.samples if s.name.endswith("_total") and s.labels.get("action") == "pass")

    with Server(SAMPLE, f"sqlite:///{tmp_path / 'w.db'}", args=["--workers", "2"]) as s:
        for i in range(60):  # a connection each: the two workers share the listening socket
            with httpx.Client(base_url=s.url, timeout=30) as one:
                assert one.post("/v1/moderate", json={"text": f"hello {i}"}).status_code == 200
        for _ in range(10):
            with httpx.Client(base_url=s.url, timeout=30) as one:
                text = one.get("/metrics").text
            assert passes(text) == 60.0
            assert "interceptor_audit_store_up 1.0" in text


def test_the_hot_routes_answer_without_fastapi_routing(tmp_path: Path) -> None:
    # POST /v1/moderate, /batch and /stream are answered by the HotRoutes middleware: with
    # every route of the router gone they still answer, errors included; others do not
    import asyncio

    import orjson

    from interceptor.service.app import create_app
    from interceptor.service.settings import Settings

    app = create_app(Settings(lexicon=str(ROOT / "lexicons" / "sample"), db=f"sqlite:///{tmp_path / 'a.db'}",
                              watch=False))

    async def call(path: str, body: bytes) -> tuple[int, dict]:  # type: ignore[type-arg]
        scope = {"type": "http", "method": "POST", "path": path, "raw_path": path.encode(), "root_path": "",
                 "query_string": b"", "headers": [(b"content-type", b"application/json")], "http_version": "1.1",
                 "scheme": "http", "server": ("t", 80), "client": ("c", 1)}
        got: list[dict] = []  # type: ignore[type-arg]
        sent = False

        async def receive() -> dict:  # type: ignore[type-arg]
            nonlocal sent
            if sent:
                await asyncio.sleep(5)
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(msg: dict) -> None:  # type: ignore[type-arg]
            got.append(msg)

        await app(scope, receive, send)
        return got[0]["status"], orjson.loads(got[1]["body"])

    async def main() -> None:
        async with app.router.lifespan_context(app):
            app.router.routes.clear()  # only the middleware can answer now
            status, out = await call("/v1/moderate", b'{"text": "hello"}')
            assert status == 200 and out["action"] == "pass"
            status, out = await call("/v1/moderate/batch", b'{"items": [{"text": "a"}]}')
            assert status == 200 and len(out["results"]) == 1
            status, out = await call("/v1/moderate", b'{"text": 3}')
            assert status == 422 and out["error"]["code"] == "invalid_body"
            status, out = await call("/v1/acknowledge", b"{}")
            assert status == 404

    asyncio.run(main())


def test_the_hot_routes_front_keeps_the_limits_and_the_500(tmp_path: Path) -> None:
    # the hot routes skip FastAPI's outer layers: their requests still count against the
    # one in-flight limit, a chunked body past the limit is 413, an unexpected error is 500
    import asyncio
    import contextlib

    import orjson

    from interceptor.service.app import create_app
    from interceptor.service.settings import Settings

    app = create_app(Settings(lexicon=str(ROOT / "lexicons" / "sample"), db=f"sqlite:///{tmp_path / 'a.db'}",
                              watch=False, max_in_flight=1, max_body_bytes=64))

    def scope(path: str) -> dict:  # type: ignore[type-arg]
        return {"type": "http", "method": "POST", "path": path, "raw_path": path.encode(), "root_path": "",
                "query_string": b"", "headers": [(b"content-type", b"application/json")], "http_version": "1.1",
                "scheme": "http", "server": ("t", 80), "client": ("c", 1)}

    async def call(path: str, chunks: list[bytes], hold: asyncio.Event | None = None) -> tuple[int, dict]:  # type: ignore[type-arg]
        got: list[dict] = []  # type: ignore[type-arg]
        todo = list(chunks)

        async def receive() -> dict:  # type: ignore[type-arg]
            if hold is not None:
                await hold.wait()
            if not todo:
                await asyncio.sleep(5)
            body = todo.pop(0)
            return {"type": "http.request", "body": body, "more_body": bool(todo)}

        async def send(msg: dict) -> None:  # type: ignore[type-arg]
            got.append(msg)

        with contextlib.suppress(RuntimeError):  # raised again after its 500 was sent, for the server to log
            await app(scope(path), receive, send)
        return got[0]["status"], orjson.loads(got[1]["body"])

    async def main() -> None:
        async with app.router.lifespan_context(app):
            hold = asyncio.Event()
            held = asyncio.create_task(call("/v1/moderate", [b'{"text": "hello"}'], hold))
            await asyncio.sleep(0.05)  # the hot request is in progress
            status, out = await call("/v1/acknowledge", [b"{}"])
            assert status == 503 and out["error"]["code"] == "overloaded"
            hold.set()
            assert (await held)[0] == 200
            status, out = await call("/v1/moderate", [b'{"text": "' + b"a" * 40, b"a" * 40 + b'"}'])
            assert status == 413 and out["error"]["code"] == "payload_too_large"

            async def broken(request: object) -> None:
                raise RuntimeError("broken")

            assert app.front is not None
            app.front.handlers["/v1/moderate"] = broken
            status, out = await call("/v1/moderate", [b'{"text": "hello"}'])
            assert status == 500 and out["error"]["code"] == "internal"

    asyncio.run(main())


@pytest.mark.parametrize("path, raw, headers", [
    ("/v1/moderate", '{"text": "冰毒", "text": "hello"}', {}),
    ("/v1/moderate", '{"text": "hello", "conversation_id": "a", "conversation_id": "b"}', {}),
    ("/v1/moderate", '{"text": "hi", "messages": [{"role": "user", "content": "枪支", "content": "x"}]}', {}),
    ("/v1/moderate/batch", '{"items": [{"text": "hi"}, {"text": "冰毒", "t\\u0065xt": "hello"}]}', {}),
    ("/v1/moderate/stream", '{"text": "枪支", "carry": null, "text": "ok"}', {}),
    ("/v1/acknowledge", '{"ack_token": "a.b", "ack_token": "c.d"}', {}),
    ("/v1/reviews/x", '{"decision": "confirm", "reviewer": "r", "decision": "dismiss"}', REVIEWER),
    ("/v1/admin/holds", '{"conversation_id": "a", "conversation_id": "b"}', ADMIN),
])
def test_a_repeated_key_is_refused_everywhere(client: httpx.Client, path: str, raw: str,
                                              headers: dict[str, str]) -> None:
    r = client.post(path, content=raw.encode(), headers={"content-type": "application/json", **headers})
    assert r.status_code == 422 and r.json()["error"]["code"] == "duplicate_key", r.text


def test_the_admin_routes_closed_name_the_admin_token_once(tmp_path: Path) -> None:
    env = {"INTERCEPTOR_REVIEWER_TOKEN": "", "INTERCEPTOR_AUDITOR_TOKEN": "", "INTERCEPTOR_ADMIN_TOKEN": ""}
    with Server(SAMPLE, f"sqlite:///{tmp_path / 'a.db'}", env=env) as s, httpx.Client(base_url=s.url) as c:
        message = c.get("/v1/lexicon").json()["error"]["message"]
        assert message.count("INTERCEPTOR_ADMIN_TOKEN") == 1, message
        assert c.get("/v1/logs").json()["error"]["message"].count("INTERCEPTOR_ADMIN_TOKEN") == 1


def test_self_harm_warns_with_help_unless_configured() -> None:
    from interceptor.service.settings import DEFAULT_WARNING, DEFAULT_WARNINGS, Settings

    assert Settings().warning("self-harm") == DEFAULT_WARNINGS["self-harm"] != DEFAULT_WARNING
    own = Settings(warnings={"default": "Careful.", "self-harm": "Call 12356."})
    assert own.warning("self-harm") == "Call 12356." and own.warning("gambling") == "Careful."
    assert Settings(warnings={"default": "Careful."}).warning("self-harm") == DEFAULT_WARNINGS["self-harm"]
