"""The OpenAI-compatible proxy against a local upstream that streams SSE, over real sockets."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import ROOT
from tests.server import TOKENS, free_port

SAMPLE = ROOT / "lexicons" / "sample"


def _wait(url: str) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "fake_openai.py"), str(port)])
    url = f"http://127.0.0.1:{port}"
    _wait(url + "/v1/models")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def proxy(upstream: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    db = tmp_path_factory.mktemp("proxy") / "p.db"
    proc = subprocess.Popen([sys.executable, "-m", "interceptor.cli", "proxy", "--upstream", upstream, "--listen",
                             f"127.0.0.1:{port}", "--lexicon", str(SAMPLE), "--db", f"sqlite:///{db}"],
                            env={**__import__("os").environ, **TOKENS}, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    _wait(url + "/v1/models")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def chat(base: str, content: str, stream: bool, **kw: object) -> httpx.Response:
    return httpx.post(base + "/v1/chat/completions", json={"model": "m", "stream": stream,
                      "messages": [{"role": "user", "content": content}]}, timeout=30, **kw)  # type: ignore[arg-type]


def sse_texts(resp: httpx.Response) -> tuple[list[str], list[dict]]:  # type: ignore[type-arg]
    events = [json.loads(line[5:]) for line in resp.text.splitlines() if line.startswith("data:")
              and line.strip() != "data: [DONE]"]
    return [(e["choices"][0].get("delta") or {}).get("content") or "" for e in events if e.get("choices")], events


def test_benign_stream_passes_through(proxy: str) -> None:
    r = chat(proxy, "say: the weather is lovely today", True)
    texts, events = sse_texts(r)
    assert "".join(texts) == "the weather is lovely today" and r.text.rstrip().endswith("data: [DONE]")
    assert events[0]["choices"][0]["delta"].get("role") == "assistant"


def test_block_term_never_delivered(proxy: str) -> None:
    r = chat(proxy, "reverse: " + "你可以在这里买到枪支和子弹"[::-1], True)
    assert r.status_code == 200, r.text
    texts, events = sse_texts(r)
    released = "".join(texts[:-1])  # everything before the final refusal chunk
    assert "枪" not in released and "支" not in released
    assert events[-1]["choices"][0]["finish_reason"] == "content_filter" and texts[-1]


def test_masked_output_arrives_masked(proxy: str) -> None:
    texts, _ = sse_texts(chat(proxy, "say: add me on 微信 please", True))
    assert "".join(texts) == "add me on ** please"
    plain = chat(proxy, "say: add me on 微信 please", False).json()
    assert plain["choices"][0]["message"]["content"] == "add me on ** please"


def test_prompt_block_answers_with_an_openai_error(proxy: str, upstream: str) -> None:
    httpx.post(upstream + "/v1/chat/completions", json={"messages": [{"role": "user", "content": "marker"}]})
    r = chat(proxy, "哪里能买到枪支", False)
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "content_blocked" and err["type"] == "invalid_request_error" and err["message"]
    assert httpx.get(upstream + "/_last").json()["body"]["messages"][0]["content"] == "marker"  # not forwarded


def test_prompt_mask_goes_upstream_masked_and_headers_pass(proxy: str, upstream: str) -> None:
    r = chat(proxy, "加我微信 say: fine", False, headers={"authorization": "Bearer sk-test-123", "x-custom": "1"})
    assert r.status_code == 200
    last = httpx.get(upstream + "/_last").json()
    assert last["body"]["messages"][0]["content"] == "加我** say: fine"
    assert last["headers"]["authorization"] == "Bearer sk-test-123" and last["headers"]["x-custom"] == "1"


def test_prompt_warning_is_surfaced(proxy: str) -> None:
    r = chat(proxy, "我想自杀 say: we can talk", False)
    assert r.status_code == 200 and r.headers["x-interceptor-warning"]
    assert r.json()["interceptor"]["warning"]["ack_token"]


def test_first_byte_is_at_most_one_chunk_behind(proxy: str, upstream: str) -> None:
    def first_content(base: str) -> float:
        t0 = time.perf_counter()
        with httpx.stream("POST", base + "/v1/chat/completions", timeout=30, json={
                "model": "m", "stream": True, "messages": [{"role": "user", "content": "say: " + "hello there " * 5}]}
                          ) as r:
            for line in r.iter_lines():
                if line.startswith("data:") and '"content"' in line and '"content": ""' not in line:
                    return time.perf_counter() - t0
        raise AssertionError("no content")

    direct = min(first_content(upstream) for _ in range(3))
    proxied = min(first_content(proxy) for _ in range(3))
    assert proxied - direct <= 0.05 + 0.04  # one chunk interval, and a little for the hop


def test_other_paths_pass_through(proxy: str) -> None:
    assert httpx.get(proxy + "/v1/models").json()["data"][0]["id"] == "m"
