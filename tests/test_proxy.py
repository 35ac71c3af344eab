"""The OpenAI-compatible proxy in front of a local upstream that streams SSE, over real sockets:
the tiers on prompts and answers, every text of a request checked, the audit records."""
from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import httpx
import pytest

from tests.conftest import ROOT
from tests.proxies import ProxyProcess, Upstream, choice_texts, sse_events


@pytest.fixture(autouse=True)
def _fresh(upstream: Upstream) -> None:
    upstream.reset()


def chat(base: str, content: Any, stream: bool, **kw: Any) -> httpx.Response:
    return httpx.post(base + "/v1/chat/completions", json={"model": "m", "stream": stream,
                      "messages": [{"role": "user", "content": content}]}, timeout=30, **kw)


def test_benign_stream_passes_through(proxy: ProxyProcess) -> None:
    r = chat(proxy.url, "say: the weather is lovely today", True)
    events = sse_events(r.text)
    assert choice_texts(events) == {0: "the weather is lovely today"} and events[-1] == "[DONE]"
    assert events[0]["choices"][0]["delta"].get("role") == "assistant"


def test_block_term_never_delivered(proxy: ProxyProcess) -> None:
    r = chat(proxy.url, "reverse: " + "你可以在这里买到枪支和子弹"[::-1], True)
    assert r.status_code == 200, r.text
    events = [e for e in sse_events(r.text) if isinstance(e, dict) and e["choices"]]
    last = events[-1]["choices"][0]
    released = choice_texts(events[:-1]).get(0, "")  # everything before the final refusal chunk
    assert "枪" not in released and "支" not in released
    assert last["finish_reason"] == "content_filter" and last["delta"]["content"]


def test_masked_output_arrives_masked(proxy: ProxyProcess) -> None:
    ask = "reverse: " + "add me on 微信 please"[::-1]  # the term reaches the model only reversed
    assert choice_texts(sse_events(chat(proxy.url, ask, True).text)) == {0: "add me on ** please"}
    plain = chat(proxy.url, ask, False).json()
    assert plain["choices"][0]["message"]["content"] == "add me on ** please"


def test_prompt_block_answers_with_an_openai_error(proxy: ProxyProcess, upstream: Upstream) -> None:
    r = chat(proxy.url, "哪里能买到枪支", False)
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "content_blocked" and err["type"] == "invalid_request_error" and err["message"]
    assert upstream.received() == []  # not forwarded


def test_prompt_mask_goes_upstream_masked_and_headers_pass(proxy: ProxyProcess, upstream: Upstream) -> None:
    r = chat(proxy.url, "加我微信 say: fine", False, headers={"authorization": "Bearer sk-test-123", "x-custom": "1"})
    assert r.status_code == 200
    [got] = upstream.received()
    assert got["body"]["messages"][0]["content"] == "加我** say: fine"
    assert got["headers"]["authorization"] == "Bearer sk-test-123" and got["headers"]["x-custom"] == "1"


def test_prompt_warning_is_surfaced(proxy: ProxyProcess) -> None:
    r = chat(proxy.url, "我想自杀 say: we can talk", False)
    assert r.status_code == 200 and r.headers["x-interceptor-warning"]
    assert r.json()["interceptor"]["warning"]["ack_token"]


def test_first_byte_is_at_most_one_chunk_behind(proxy: ProxyProcess, upstream: Upstream) -> None:
    """The first text comes at most one upstream chunk (50 ms) after it would come directly.
    Timed from the stream's first event (the role), so the hop and the request's own handling,
    which a loaded machine stretches, are not counted; the least of five streams each way."""
    def first_content(base: str) -> float:
        started: float | None = None
        with httpx.stream("POST", base + "/v1/chat/completions", timeout=30, json={
                "model": "m", "stream": True, "messages": [{"role": "user", "content": "say: " + "hello there " * 5}]}
                          ) as r:
            for line in r.iter_lines():
                if not line.startswith("data:"):
                    continue
                started = started if started is not None else time.perf_counter()
                if '"content"' in line and '"content": ""' not in line and '"content":""' not in line:
                    return time.perf_counter() - started
        raise AssertionError("no content")

    direct = min(first_content(upstream.url) for _ in range(5))
    proxied = min(first_content(proxy.url) for _ in range(5))
    assert proxied - direct <= 0.05 + 0.04, (proxied, direct)  # one chunk interval, and a little


def test_model_list_passes_through(proxy: ProxyProcess) -> None:
    assert httpx.get(proxy.url + "/v1/models", timeout=10).json()["data"][0]["id"] == "m"


# ---------------------------------------------------------------- every text of a request

BLOCKED = "哪里能买到枪支"  # a block term of the sample lexicon, in a sentence


def _tool(description: str = "look something up", param: str = "what to look up", name: str = "lookup") -> Any:
    return {"type": "function", "function": {"name": name, "description": description, "parameters": {
        "type": "object", "properties": {"query": {"type": "string", "description": param}}}}}


CHAT_SHAPES: dict[str, dict[str, Any]] = {
    "text part": {"messages": [{"role": "user", "content": [{"type": "text", "text": BLOCKED}]}]},
    "second text part": {"messages": [{"role": "user", "content": [
        {"type": "text", "text": "hello"}, {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
        {"type": "text", "text": BLOCKED}]}]},
    "a term split across two parts": {"messages": [{"role": "user", "content": [
        {"type": "text", "text": "哪里能买到枪"}, {"type": "text", "text": "支"}]}]},
    "input_text part": {"messages": [{"role": "user", "content": [{"type": "input_text", "text": BLOCKED}]}]},
    "refusal part": {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": [
        {"type": "refusal", "refusal": BLOCKED}]}, {"role": "user", "content": "go on"}]},
    "text object instead of a string": {"messages": [{"role": "user", "content": [
        {"type": "text", "text": {"value": BLOCKED}}]}]},
    "nested lists": {"messages": [{"role": "user", "content": [[{"type": "text", "text": BLOCKED}]]}]},
    "plain strings in a part list": {"messages": [{"role": "user", "content": ["hello", BLOCKED]}]},
    "system message": {"messages": [{"role": "system", "content": BLOCKED}, {"role": "user", "content": "hi"}]},
    "developer message in parts": {"messages": [{"role": "developer", "content": [{"type": "text", "text": BLOCKED}]},
                                                {"role": "user", "content": "hi"}]},
    "earlier assistant message": {"messages": [{"role": "user", "content": "hi"},
                                               {"role": "assistant", "content": BLOCKED},
                                               {"role": "user", "content": "and?"}]},
    "name field": {"messages": [{"role": "user", "content": "hi", "name": "枪支"}]},
    "tool call arguments": {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": None,
                            "tool_calls": [{"id": "c1", "type": "function", "function": {
                                "name": "lookup", "arguments": '{"query": "' + BLOCKED + '"}'}}]},
                            {"role": "tool", "tool_call_id": "c1", "content": "none"}]},
    "tool result": {"messages": [{"role": "user", "content": "hi"}, {"role": "tool", "tool_call_id": "c1",
                                                                      "content": [{"type": "text", "text": BLOCKED}]}]},
    "legacy function_call": {"messages": [{"role": "assistant", "content": None, "function_call": {
        "name": "lookup", "arguments": BLOCKED}}, {"role": "user", "content": "hi"}]},
    "tool description": {"messages": [{"role": "user", "content": "hi"}], "tools": [_tool(description=BLOCKED)]},
    "tool parameter description": {"messages": [{"role": "user", "content": "hi"}], "tools": [_tool(param=BLOCKED)]},
    "tool parameter name": {"messages": [{"role": "user", "content": "hi"}], "tools": [{"type": "function",
                            "function": {"name": "f", "parameters": {"type": "object",
                                                                     "properties": {"枪支": {"type": "string"}}}}}]},
    "legacy functions": {"messages": [{"role": "user", "content": "hi"}], "functions": [
        {"name": "lookup", "description": BLOCKED, "parameters": {"type": "object"}}]},
    "response format schema": {"messages": [{"role": "user", "content": "hi"}], "response_format": {
        "type": "json_schema", "json_schema": {"name": "a", "schema": {"type": "object", "description": BLOCKED}}}},
    "a top-level system field": {"system": BLOCKED, "messages": [{"role": "user", "content": "hi"}]},
    "an unknown field": {"messages": [{"role": "user", "content": "hi"}], "x_extra": {"deep": [BLOCKED]}},
    "content and text keys in another case": {"messages": [{"role": "user", "Content": [
        {"type": "text", "TEXT": "哪里能买到枪"}, {"type": "text", "text": "支"}]}]},
    "a messages key in another case": {"MEſſAGES": [{"role": "user", "content": [
        {"type": "text", "text": "哪里能买到枪"}, {"type": "text", "text": "支"}]}]},
}

COMPLETION_SHAPES: dict[str, dict[str, Any]] = {
    "prompt string": {"prompt": BLOCKED},
    "prompt list": {"prompt": ["hello", BLOCKED]},
    "suffix": {"prompt": "hello", "suffix": BLOCKED},
}


@pytest.mark.parametrize("shape", CHAT_SHAPES)
def test_every_text_of_a_chat_request_is_checked(shape: str, proxy: ProxyProcess, upstream: Upstream) -> None:
    r = httpx.post(proxy.url + "/v1/chat/completions", json={"model": "m", **CHAT_SHAPES[shape]}, timeout=30)
    assert r.status_code == 400 and r.json()["error"]["code"] == "content_blocked", r.text
    assert upstream.received() == []


@pytest.mark.parametrize("shape", COMPLETION_SHAPES)
def test_every_text_of_a_completion_request_is_checked(shape: str, proxy: ProxyProcess, upstream: Upstream) -> None:
    r = httpx.post(proxy.url + "/v1/completions", json={"model": "m", **COMPLETION_SHAPES[shape]}, timeout=30)
    assert r.status_code == 400 and r.json()["error"]["code"] == "content_blocked", r.text
    assert upstream.received() == []


@pytest.mark.parametrize("key, prompt", [("prompt", [1, 2, 3]), ("prompt", [[1, 2], [3]]), ("prompt", ["hello", 7]),
                                         ("Prompt", [1, 2])])
def test_token_id_prompts_are_refused(key: str, prompt: Any, proxy: ProxyProcess, upstream: Upstream) -> None:
    r = httpx.post(proxy.url + "/v1/completions", json={"model": "m", key: prompt}, timeout=30)
    assert r.status_code == 400 and r.json()["error"]["code"] == "unreadable_prompt", r.text
    assert upstream.received() == []


def test_masked_parts_go_upstream_masked(proxy: ProxyProcess, upstream: Upstream) -> None:
    parts = [{"type": "text", "text": "加我微"}, {"type": "text", "text": "信 say: fine"},
             {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]
    r = chat(proxy.url, parts, False)
    assert r.status_code == 200, r.text
    [got] = upstream.received()
    assert got["body"]["messages"][0]["content"] == [{"type": "text", "text": "加我*"},
                                                     {"type": "text", "text": "* say: fine"}, parts[2]]


def test_a_masked_prompt_list_goes_upstream_masked(proxy: ProxyProcess, upstream: Upstream) -> None:
    r = httpx.post(proxy.url + "/v1/completions", json={"model": "m", "prompt": ["hello", "加我微信"]}, timeout=30)
    assert r.status_code == 200, r.text
    assert upstream.received()[0]["body"]["prompt"] == ["hello", "加我**"]


def test_bad_bodies_are_4xx(proxy: ProxyProcess, upstream: Upstream) -> None:
    for body in (b"{not json", b"[1, 2]", b'{"messages": "hello"}', b'{"messages": [1]}'):
        r = httpx.post(proxy.url + "/v1/chat/completions", content=body, timeout=30,
                       headers={"content-type": "application/json"})
        assert r.status_code == 400 and r.json()["error"]["message"], (body, r.text)
    assert upstream.received() == []


# ---------------------------------------------------------------- audit records

def test_a_prompt_block_records_the_complete_chat(proxy: ProxyProcess) -> None:
    messages = [{"role": "system", "content": "you are helpful"}, {"role": "user", "content": "hello"},
                {"role": "assistant", "content": [{"type": "text", "text": "hi there"}]},
                {"role": "user", "content": BLOCKED}]
    r = httpx.post(proxy.url + "/v1/chat/completions", json={"model": "m", "messages": messages,
                                                             "user": "conv-prompt-block"}, timeout=30)
    assert r.status_code == 400
    [record] = proxy.records("conv-prompt-block", "block")
    assert record["text"] == BLOCKED and record["direction"] == "input"
    assert [m["role"] for m in record["messages"]] == ["system", "user", "assistant", "user"]
    assert record["messages"] == messages


def test_an_answer_block_records_the_prompt_and_the_answer(proxy: ProxyProcess) -> None:
    prompt = [{"role": "system", "content": "be brief"}, {"role": "user",
                                                          "content": "reverse: " + "你可以在这里买到枪支"[::-1]}]
    for stream in (False, True):
        user = f"conv-answer-block-{stream}"
        r = httpx.post(proxy.url + "/v1/chat/completions", json={"model": "m", "messages": prompt, "stream": stream,
                                                                 "user": user}, timeout=30)
        assert r.status_code == 200
        [record] = proxy.records(user, "block")
        assert record["direction"] == "output" and "枪支" in record["text"]
        assert record["messages"] == prompt, stream


def test_a_completion_block_records_the_prompt(proxy: ProxyProcess) -> None:
    r = httpx.post(proxy.url + "/v1/completions", json={"model": "m", "prompt": ["fine", BLOCKED],
                                                        "user": "conv-completion"}, timeout=30)
    assert r.status_code == 400
    [record] = proxy.records("conv-completion", "block")
    assert record["text"] == BLOCKED and record["prompt"] == ["fine", BLOCKED]


# ---------------------------------------------------------------- the command

def test_started_outside_the_repo_it_says_why_and_exits_2(tmp_path: Any) -> None:
    proc = subprocess.run([sys.executable, "-m", "interceptor.cli", "proxy", "--upstream", "http://127.0.0.1:9",
                           "--listen", "127.0.0.1:0"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "lexicons/default" in proc.stderr
    assert "pass --lexicon DIR" in proc.stderr and str(tmp_path) in proc.stderr  # what to do, and where it looked


def test_what_the_proxy_did_is_said(proxy: ProxyProcess) -> None:
    r = chat(proxy.url, "加我微信 reverse: " + "add me on 微信"[::-1], False)
    assert r.headers["x-interceptor-input"] == "mask" and r.headers["x-interceptor-output"] == "mask"
    r = chat(proxy.url, "say: hello", False)
    assert r.headers["x-interceptor-input"] == "pass" and r.headers["x-interceptor-output"] == "pass"
    for reply, action in (("say: the weather is fine", "pass"), ("reverse: " + "add me on 微信"[::-1], "mask"),
                          ("reverse: " + "你可以在这里买到枪支"[::-1], "block")):
        events = sse_events(chat(proxy.url, reply, True).text)
        assert events[-1] == "[DONE]" and events[-2]["choices"] == [], events
        assert events[-2]["interceptor"] == {"output": action}, reply


def test_limits_are_4xx(upstream: Upstream, tmp_path: Any) -> None:
    from tests.proxies import running_proxy

    env = {"INTERCEPTOR_MAX_TEXT_CHARS": "1000", "INTERCEPTOR_PROXY_MAX_BODY_BYTES": "4096"}
    with running_proxy(upstream.url, tmp_path, env=env) as p:
        r = chat(p.url, "a" * 1001, False)
        assert r.status_code == 413 and r.json()["error"]["code"] == "text_too_long", r.text
        r = chat(p.url, "a " * 2100, False)
        assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large", r.text
        assert chat(p.url, "say: " + "a" * 900, False).status_code == 200
    assert len(upstream.received()) == 1
