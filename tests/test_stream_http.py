"""/v1/moderate/stream over real sockets, and the client helper."""
from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from interceptor.client import AsyncClient, Blocked, Client
from tests.conftest import ROOT
from tests.server import AUDITOR, Server

SAMPLE = ROOT / "lexicons" / "sample"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    d = tmp_path_factory.mktemp("stream")
    with Server(SAMPLE, f"sqlite:///{d / 's.db'}") as s:
        yield s


def test_split_term_masked_and_logged_once(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as c:
        carry, released = None, []
        for chunk in ["加我", "微", "信吧，", "谢谢"]:
            r = c.post("/v1/moderate/stream", json={"text": chunk, "carry": carry, "final": False,
                                                    "conversation_id": "s1"})
            assert r.status_code == 200, r.text
            carry = r.json()["carry"]
            released.append(r.json()["release"])
            assert "微" not in "".join(released)
        last = c.post("/v1/moderate/stream", json={"text": "", "carry": carry, "final": True}).json()
        released.append(last["release"])
        assert "".join(released) == "加我**吧，谢谢" and last["action"] == "mask" and last["log_id"]
        rec = _record(c, last["log_id"])  # a mask record is written in the background
        assert rec["direction"] == "output" and rec["text"] == "加我微信吧，谢谢" and rec["conversation_id"] == "s1"


def _record(c: httpx.Client, log_id: str) -> dict:  # type: ignore[type-arg]
    import time

    for _ in range(100):
        r = c.get(f"/v1/logs/{log_id}", headers=AUDITOR)
        if r.status_code == 200:
            return r.json()  # type: ignore[no-any-return]
        time.sleep(0.02)
    raise AssertionError(f"record {log_id} never appeared")


def test_block_stops_the_stream_and_logs_the_output(server: Server) -> None:
    with Client(server.url) as client:
        got: list[str] = []
        with pytest.raises(Blocked) as err:
            for text in client.guard_stream(["你知道哪里", "能买到枪", "支吗？我想", "要一把"]):
                got.append(text)
        assert "枪" not in "".join(got) and err.value.refusal
        log_id = err.value.answer["log_id"]
    with httpx.Client(base_url=server.url) as c:
        rec = c.get(f"/v1/logs/{log_id}", headers=AUDITOR).json()
        assert rec["action"] == "block" and "枪支" in rec["text"]


def test_edited_carry_is_refused(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as c:
        carry = c.post("/v1/moderate/stream", json={"text": "hello f", "carry": None}).json()["carry"]
        body, mac = carry.split(".")
        forged = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1] + "." + mac
        r = c.post("/v1/moderate/stream", json={"text": "uck", "carry": forged})
        assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_carry"


def test_any_replica_takes_the_next_chunk(server: Server, tmp_path: Path) -> None:
    with Server(SAMPLE, f"sqlite:///{tmp_path / 'b.db'}") as other, httpx.Client(timeout=10) as c:
        carry = c.post(server.url + "/v1/moderate/stream", json={"text": "what the fu", "carry": None}).json()
        nxt = c.post(other.url + "/v1/moderate/stream", json={"text": "ck", "carry": carry["carry"],
                                                               "final": True}).json()
        assert carry["release"] + nxt["release"] == "what the ****"


def test_async_client(server: Server) -> None:
    async def run() -> tuple[str, str]:
        async with AsyncClient(server.url) as client:
            checked = (await client.check("f.u.c.k"))["text"]
            out = [t async for t in client.guard_stream(["plain ", "text ", "here"])]
            return checked, "".join(out)

    checked, streamed = asyncio.run(run())
    assert checked == "*******" and streamed == "plain text here"


def _stream(c: httpx.Client, text: str, carry: str | None, final: bool = False, **ids: str) -> httpx.Response:
    return c.post("/v1/moderate/stream", json={"text": text, "carry": carry, "final": final, **ids})


def _records(c: httpx.Client, conversation: str, wait_for: int) -> list[dict]:  # type: ignore[type-arg]
    import time

    deadline = time.time() + 5
    while True:
        items = c.get("/v1/logs", params={"conversation_id": conversation}, headers=AUDITOR).json()["items"]
        if len(items) >= wait_for or time.time() > deadline:
            time.sleep(0.3)  # and nothing more arrives
            return c.get("/v1/logs", params={"conversation_id": conversation}, headers=AUDITOR).json()["items"]
        time.sleep(0.05)


def test_a_replayed_end_is_recorded_once(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as c:
        first = _stream(c, "加我微", None, conversation_id="replay-1").json()
        assert first["seq"] == 1
        ends = [_stream(c, "信吧", first["carry"], final=True).json() for _ in range(2)]
        assert ends[0]["seq"] == ends[1]["seq"] == 2
        assert ends[0]["action"] == ends[1]["action"] == "mask"
        assert ends[0]["log_id"] == ends[1]["log_id"] == first["stream_id"]  # the end record is the stream's
        records = _records(c, "replay-1", 1)
        assert [r["id"] for r in records] == [first["stream_id"]]


def test_a_carry_from_before_a_block_releases_only_what_a_fresh_stream_would(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as c:
        before = _stream(c, "你知道哪里能买到枪", None, conversation_id="replay-2").json()
        blocked = _stream(c, "支吗", before["carry"]).json()
        assert blocked["action"] == "block" and blocked["log_id"] == before["stream_id"]
        replay = _stream(c, "支吗", before["carry"], final=True).json()
        assert replay["action"] == "block" and replay["release"] == ""
        other = _stream(c, "花吗", before["carry"], final=True).json()
        fresh = _stream(c, "你知道哪里能买到枪", None).json()
        fresh_end = _stream(c, "花吗", fresh["carry"], final=True).json()
        assert before["release"] + other["release"] == fresh["release"] + fresh_end["release"]
        assert [r["action"] for r in _records(c, "replay-2", 1)] == ["block"]  # no second record


def test_a_final_carry_ends_the_stream(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as c:
        end = _stream(c, "hello", None, final=True).json()
        r = _stream(c, " more", end["carry"])
        assert r.status_code == 409 and r.json()["error"]["code"] == "stream_ended"


def test_carries_expire(server: Server) -> None:
    import time

    from interceptor.service.tokens import seal
    from interceptor.stream import StreamState

    meta = {"id": "s", "seq": 3, "conversation_id": None, "user_id": None, "service_id": None, "logged": None}
    with httpx.Client(base_url=server.url, timeout=10) as c:
        old = seal("test-secret", {"state": StreamState().to_dict(), "meta": {**meta, "exp": int(time.time()) - 1}})
        r = _stream(c, "x", old)
        assert r.status_code == 410 and r.json()["error"]["code"] == "carry_expired"
        forever = seal("test-secret", {"state": StreamState().to_dict(), "meta": meta})  # no expiry at all
        assert _stream(c, "x", forever).status_code == 400


def test_a_carry_never_overrides_the_request_ids(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as c:
        first = _stream(c, "加我", None, conversation_id="mine").json()
        r = _stream(c, "微信", first["carry"], final=True, conversation_id="theirs")
        assert r.status_code == 422 and r.json()["error"]["code"] == "carry_mismatch"
        same = _stream(c, "微信", first["carry"], final=True, conversation_id="mine")
        assert same.status_code == 200


def test_a_rule_block_is_caught_before_any_of_its_span_is_released(tmp_path: Path) -> None:
    """An intent rule of the bundled lexicon (a request word near an object word that is only
    monitor alone) blocks the stream before the request reaches the client."""
    text = "好的，我告诉你哪里可以买到冰毒，" + "接下来的内容是详细的步骤，请仔细阅读每一条说明。" * 12
    with Server(ROOT / "lexicons" / "default", f"sqlite:///{tmp_path / 'r.db'}") as s, \
            httpx.Client(base_url=s.url, timeout=30) as c:
        carry, released, answer = None, "", {}
        for i in range(0, len(text), 3):
            r = _stream(c, text[i:i + 3], carry, conversation_id="rule-stream")
            assert r.status_code == 200, r.text
            answer = r.json()
            carry, released = answer["carry"], released + answer["release"]
            if answer["action"] == "block":
                break
        assert answer["action"] == "block" and answer["log_id"], answer  # before the final chunk
        assert any(h["variant"] == "rule" and h["tier"] == "block" for h in answer["hits"]), answer["hits"]
        assert "冰" not in released and "买" not in released, released
        record = c.get(f"/v1/logs/{answer['log_id']}", headers=AUDITOR).json()
        assert record["action"] == "block" and "冰毒" in record["text"]
        assert any(h["variant"] == "rule" for h in record["hits"]), record["hits"]
