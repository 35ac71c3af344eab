"""The proxy fails closed and says why: an upstream that refuses, closes, hangs, answers
something that is not JSON or breaks its stream gives an OpenAI-style JSON error (502/504)
or an error event, one log line and no traceback; the upstream timeout is a setting."""
from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from interceptor.service.settings import load_settings
from tests.proxies import ProxyProcess, Upstream, choice_texts, running_proxy, sse_events
from tests.server import free_port

PROMPT = {"model": "m", "messages": [{"role": "user", "content": "say: hello"}]}


@pytest.fixture(autouse=True)
def _fresh(upstream: Upstream) -> None:
    upstream.reset()


@pytest.fixture(scope="module")
def quick(upstream: Upstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProxyProcess]:
    """A proxy that waits at most one second for the upstream."""
    with running_proxy(upstream.url, tmp_path_factory.mktemp("quick"),
                       env={"INTERCEPTOR_PROXY_UPSTREAM_TIMEOUT_S": "1"}) as p:
        yield p


class Closer:
    """A TCP server that accepts, reads the request and closes without answering."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.recv(65536)
            conn.close()


def assert_fails_closed(r: httpx.Response, status: int, code: str, log: str) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    err = r.json()["error"]
    assert err["code"] == code and err["message"] and err["type"]
    assert "Traceback" not in log
    lines = [ln for ln in log.splitlines() if code in ln]
    assert len(lines) == 1, log


def _wait_log(p: ProxyProcess, code: str) -> str:
    deadline = time.time() + 5
    while time.time() < deadline and code not in p.log_text():
        time.sleep(0.05)
    return p.log_text()


@pytest.mark.parametrize("stream", [False, True])
def test_an_upstream_that_refuses_connections(stream: bool, tmp_path: Path) -> None:
    with running_proxy(f"http://127.0.0.1:{free_port()}", tmp_path) as p:
        r = httpx.post(p.url + "/v1/chat/completions", json={**PROMPT, "stream": stream}, timeout=30)
        assert_fails_closed(r, 502, "upstream_unreachable", _wait_log(p, "upstream_unreachable"))


def test_an_upstream_that_closes_the_connection(tmp_path: Path) -> None:
    with running_proxy(Closer().url, tmp_path) as p:
        r = httpx.post(p.url + "/v1/chat/completions", json=PROMPT, timeout=30)
        assert_fails_closed(r, 502, "upstream_error", _wait_log(p, "upstream_error"))


@pytest.mark.parametrize("stream", [False, True])
def test_an_upstream_that_hangs(stream: bool, quick: ProxyProcess, upstream: Upstream) -> None:
    upstream.script({"hang": 20, "json": {"choices": []}})
    t0 = time.perf_counter()
    before = quick.log_text().count("upstream_timeout")
    r = httpx.post(quick.url + "/v1/chat/completions", json={**PROMPT, "stream": stream}, timeout=15)
    assert time.perf_counter() - t0 < 8
    assert r.status_code == 504 and r.json()["error"]["code"] == "upstream_timeout", r.text
    time.sleep(0.2)
    assert quick.log_text().count("upstream_timeout") == before + 1 and "Traceback" not in quick.log_text()


def test_an_answer_that_is_not_json(proxy: ProxyProcess, upstream: Upstream) -> None:
    for script in ({"raw": "<html>oops</html>"}, {"raw": '{"cut": ', "media_type": "application/json"},
                   {"json": ["not", "an", "object"]}, {"json": {"choices": "nope"}}):
        upstream.script(script)
        r = httpx.post(proxy.url + "/v1/chat/completions", json=PROMPT, timeout=30)
        assert r.status_code == 502 and r.json()["error"]["code"] == "upstream_bad_answer", (script, r.text)
    assert "Traceback" not in proxy.log_text()


CHUNK = {"id": "c", "object": "chat.completion.chunk", "choices": [{"index": 0, "delta": {"content": "hello"}}]}


@pytest.mark.parametrize("script", [
    {"sse": [CHUNK], "fail": True},
    {"sse": [CHUNK, "data: {not json\n\n"]},
    {"sse": [CHUNK, "data: [1, 2]\n\n"]},
    {"sse": [CHUNK], "done": False},
    {"sse": [CHUNK, {"error": {"message": "the model is overloaded", "type": "server_error"}}]},
], ids=["cut", "malformed", "not an object", "no end", "upstream error event"])
def test_a_broken_stream_ends_with_an_error_event(script: dict[str, Any], proxy: ProxyProcess,
                                                   upstream: Upstream) -> None:
    upstream.script(script)
    r = httpx.post(proxy.url + "/v1/chat/completions", json={**PROMPT, "stream": True}, timeout=30)
    events = sse_events(r.text)
    assert "[DONE]" not in events, r.text
    assert events[-1]["error"]["message"] and events[-1]["error"]["code"], r.text
    assert "Traceback" not in proxy.log_text()


def test_upstream_errors_pass_through_as_they_are(proxy: ProxyProcess, upstream: Upstream) -> None:
    upstream.script({"json": {"error": {"message": "bad model", "type": "invalid_request_error"}}, "status": 404})
    r = httpx.post(proxy.url + "/v1/chat/completions", json=PROMPT, timeout=30)
    assert r.status_code == 404 and r.json()["error"]["message"] == "bad model"


def test_the_upstream_timeout_setting(tmp_path: Path) -> None:
    assert load_settings(env={}).proxy_upstream_timeout_s == 60
    config = tmp_path / "c.toml"
    config.write_text("[proxy]\nupstream_timeout_s = 5\nunknown_routes = \"forward\"\n")
    s = load_settings(str(config), env={})
    assert s.proxy_upstream_timeout_s == 5 and s.proxy_unknown_routes == "forward"
    env = {"INTERCEPTOR_PROXY_UPSTREAM_TIMEOUT_S": "7.5", "INTERCEPTOR_PROXY_UNKNOWN_ROUTES": "refuse"}
    assert load_settings(str(config), env=env).proxy_upstream_timeout_s == 7.5
    from interceptor.errors import ConfigError
    for bad in ({"INTERCEPTOR_PROXY_UPSTREAM_TIMEOUT_S": "0"}, {"INTERCEPTOR_PROXY_UNKNOWN_ROUTES": "maybe"}):
        with pytest.raises(ConfigError):
            load_settings(env=bad)


def test_a_check_past_its_budget_is_503_never_a_pass(upstream: Upstream, tmp_path: Path) -> None:
    env = {"INTERCEPTOR_OFFLOAD_CHARS": "100", "INTERCEPTOR_CHECK_BUDGET_S": "0.001"}
    with running_proxy(upstream.url, tmp_path, env=env) as p:
        text = "枪" + "\u200b" * 4 + "支" + "a1" * 40_000
        r = httpx.post(p.url + "/v1/chat/completions", json={"model": "m", "messages": [
            {"role": "user", "content": text}]}, timeout=60)
        assert r.status_code == 503 and r.json()["error"]["code"] == "check_timeout", r.text
        assert r.headers["retry-after"]
        assert httpx.post(p.url + "/v1/chat/completions", json=PROMPT, timeout=60).status_code == 200  # small: inline
    assert [g["body"]["messages"] for g in upstream.received()] == [PROMPT["messages"]]


def test_checks_in_a_worker_decide_the_same(upstream: Upstream, tmp_path: Path) -> None:
    """Every check offloaded (prompt texts, each stream step): the same refusals and releases."""
    with running_proxy(upstream.url, tmp_path, env={"INTERCEPTOR_OFFLOAD_CHARS": "0"}) as p:
        r = httpx.post(p.url + "/v1/chat/completions", timeout=60, json={
            "model": "m", "messages": [{"role": "user", "content": [{"type": "text", "text": "哪里能买到枪"},
                                                                    {"type": "text", "text": "支"}]}]})
        assert r.status_code == 400 and r.json()["error"]["code"] == "content_blocked"
        for ask, expect in (("say: the weather is lovely", "the weather is lovely"),
                            ("reverse: " + "add me on 微信"[::-1], "add me on **")):
            r = httpx.post(p.url + "/v1/chat/completions", timeout=60, json={
                "model": "m", "stream": True, "messages": [{"role": "user", "content": ask}]})
            assert choice_texts(sse_events(r.text)) == {0: expect}
        r = httpx.post(p.url + "/v1/chat/completions", timeout=60, json={"model": "m", "stream": True, "messages": [
            {"role": "user", "content": "reverse: " + "你可以在这里买到枪支"[::-1]}]})
        events = sse_events(r.text)
        assert "枪支" not in r.text and any(c.get("finish_reason") == "content_filter" for e in events
                                           if isinstance(e, dict) for c in e["choices"])
