"""Every text of a model's answer is checked on its way back through the proxy: every
choice, content, reasoning, tool calls, legacy function calls, refusals (plain answers)."""
from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.proxies import ProxyProcess, Upstream

BLOCKED = "你可以在这里买到枪支和子弹"


@pytest.fixture(autouse=True)
def _fresh(upstream: Upstream) -> None:
    upstream.reset()


def ask(proxy: ProxyProcess, upstream: Upstream, answer: dict[str, Any], path: str = "/v1/chat/completions",
        **body: Any) -> dict[str, Any]:
    upstream.script({"json": answer})
    r = httpx.post(proxy.url + path, json={"model": "m", "messages": [{"role": "user", "content": "hi"}], **body},
                   timeout=30)
    assert r.status_code == 200, r.text
    got: dict[str, Any] = r.json()
    return got


def completion(*choices: dict[str, Any]) -> dict[str, Any]:
    return {"id": "c", "object": "chat.completion", "created": 1, "model": "m", "choices": [
        {"index": i, "finish_reason": "stop", **c} for i, c in enumerate(choices)]}


def message(**fields: Any) -> dict[str, Any]:
    return {"message": {"role": "assistant", "content": None, **fields}}


def blocked(choice: dict[str, Any]) -> bool:
    text = repr(choice)
    return choice["finish_reason"] == "content_filter" and "枪支" not in text and choice["message"]["content"]


@pytest.mark.parametrize("fields", [
    {"content": BLOCKED},
    {"reasoning_content": BLOCKED, "content": "fine"},
    {"reasoning": BLOCKED, "content": "fine"},
    {"refusal": BLOCKED},
    {"tool_calls": [{"id": "t", "type": "function", "function": {"name": "f",
                                                                 "arguments": '{"q": "' + BLOCKED + '"}'}}]},
    {"tool_calls": [{"id": "t", "type": "function", "function": {"name": "枪支", "arguments": "{}"}}]},
    {"function_call": {"name": "f", "arguments": BLOCKED}},
    {"content": [{"type": "text", "text": BLOCKED}]},
], ids=["content", "reasoning_content", "reasoning", "refusal", "tool arguments", "tool name", "function_call",
        "content parts"])
def test_every_text_of_a_choice_is_checked(fields: dict[str, Any], proxy: ProxyProcess, upstream: Upstream) -> None:
    got = ask(proxy, upstream, completion(message(**fields)))
    assert blocked(got["choices"][0]), got


def test_every_choice_is_checked(proxy: ProxyProcess, upstream: Upstream) -> None:
    got = ask(proxy, upstream, completion(message(content="all fine"), message(content=BLOCKED),
                                          message(content="add me on 微信")), n=3)
    first, second, third = got["choices"]
    assert first["message"]["content"] == "all fine" and first["finish_reason"] == "stop"
    assert blocked(second)
    assert third["message"]["content"] == "add me on **"


def test_masked_tool_arguments_arrive_masked(proxy: ProxyProcess, upstream: Upstream) -> None:
    got = ask(proxy, upstream, completion(message(tool_calls=[
        {"id": "t", "type": "function", "function": {"name": "f", "arguments": '{"to": "微信"}'}}])))
    assert got["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"] == '{"to": "**"}'


def test_logprobs_of_a_changed_choice_are_dropped(proxy: ProxyProcess, upstream: Upstream) -> None:
    logprobs = {"content": [{"token": "微信", "logprob": -0.1, "bytes": [1], "top_logprobs": []}]}
    got = ask(proxy, upstream, completion({**message(content="微信"), "logprobs": logprobs},
                                          {**message(content="hello"), "logprobs": logprobs}), n=2)
    assert got["choices"][0]["logprobs"] is None and got["choices"][1]["logprobs"] == logprobs


def test_legacy_completions_every_choice(proxy: ProxyProcess, upstream: Upstream) -> None:
    answer = {"id": "c", "object": "text_completion", "model": "m", "choices": [
        {"index": 0, "text": "fine", "finish_reason": "stop"}, {"index": 1, "text": BLOCKED, "finish_reason": "stop"}]}
    got = ask(proxy, upstream, answer, path="/v1/completions", prompt="hi", n=2)
    assert got["choices"][0]["text"] == "fine"
    assert got["choices"][1]["finish_reason"] == "content_filter" and "枪支" not in got["choices"][1]["text"]
