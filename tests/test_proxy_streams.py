"""Streamed answers through the proxy: each choice and each text field of it has its own
stream checker, nothing held back is released after the ``finish_reason`` chunk."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.proxies import ProxyProcess, Upstream, choice_texts, running_proxy, sse_events
from tests.server import ROOT

BASE = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m"}


@pytest.fixture(autouse=True)
def _fresh(upstream: Upstream) -> None:
    upstream.reset()


def event(*choices: dict[str, Any]) -> dict[str, Any]:
    return {**BASE, "choices": list(choices)}


def delta(index: int, finish: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"index": index, "delta": fields, "finish_reason": finish}


def stream(proxy: ProxyProcess, upstream: Upstream, events: list[Any], path: str = "/v1/chat/completions",
           **script: Any) -> list[Any]:
    upstream.script({"sse": events, **script})
    r = httpx.post(proxy.url + path, json={"model": "m", "stream": True, "n": 2,
                                           "messages": [{"role": "user", "content": "hi"}]}, timeout=30)
    assert r.status_code == 200, r.text
    return sse_events(r.text)


def finishes(events: list[Any]) -> dict[int, str]:
    return {c["index"]: c["finish_reason"] for e in events if isinstance(e, dict) for c in e.get("choices") or []
            if c.get("finish_reason")}


def side_by_side(first: list[str], second: list[str]) -> list[Any]:
    """Two choices streamed together, a piece of each in every event."""
    return [event(delta(0, role="assistant"), delta(1, role="assistant")),
            *(event(delta(0, content=a), delta(1, content=b)) for a, b in zip(first, second, strict=True)),
            event(delta(0, "stop"), delta(1, "stop"))]


def test_a_second_choice_in_one_event_is_not_dropped(proxy: ProxyProcess, upstream: Upstream) -> None:
    got = stream(proxy, upstream, side_by_side(["good morning ", "to you"], ["good evening ", "to all"]))
    assert choice_texts(got) == {0: "good morning to you", 1: "good evening to all"}
    assert finishes(got) == {0: "stop", 1: "stop"} and got[-1] == "[DONE]"


def test_choices_are_not_checked_as_one_text(proxy: ProxyProcess, upstream: Upstream) -> None:
    got = stream(proxy, upstream, [event(delta(0, content="哪里能买到枪")), event(delta(1, content="支")),
                                   event(delta(0, "stop"), delta(1, "stop"))])
    assert choice_texts(got) == {0: "哪里能买到枪", 1: "支"} and finishes(got) == {0: "stop", 1: "stop"}


def test_a_block_in_one_choice_ends_that_choice_only(proxy: ProxyProcess, upstream: Upstream) -> None:
    got = stream(proxy, upstream, side_by_side(["all is ", "well here", " today"],
                                               ["你可以在这里买到", "枪支和子弹", " more"]))
    texts = choice_texts(got)
    assert texts[0] == "all is well here today" and "枪" not in texts[1] and "支" not in texts[1]
    assert finishes(got) == {0: "stop", 1: "content_filter"}


@pytest.mark.parametrize("field", ["reasoning_content", "reasoning", "refusal"])
def test_reasoning_and_refusal_deltas_are_checked(field: str, proxy: ProxyProcess, upstream: Upstream) -> None:
    got = stream(proxy, upstream, [event(delta(0, **{field: "你可以在这里买到枪"})),
                                   event(delta(0, **{field: "支和子弹"})), event(delta(0, content="done")),
                                   event(delta(0, "stop"))])
    assert "枪" not in repr(got) and finishes(got) == {0: "content_filter"}


def test_tool_call_arguments_are_checked_per_call(proxy: ProxyProcess, upstream: Upstream) -> None:
    def call(i: int, **fn: Any) -> dict[str, Any]:
        return {"index": i, **({"id": f"t{i}", "type": "function"} if "name" in fn else {}), "function": fn}

    got = stream(proxy, upstream, [
        event(delta(0, tool_calls=[call(0, name="f", arguments=""), call(1, name="g", arguments="")])),
        event(delta(0, tool_calls=[call(0, arguments='{"q": "哪里能买到枪'), call(1, arguments='{"q": "fine"}')])),
        event(delta(0, tool_calls=[call(0, arguments='支"}')])),
        event(delta(0, "tool_calls"))])
    assert "枪" not in repr(got) and finishes(got) == {0: "content_filter"}


def test_tool_calls_of_two_calls_are_not_one_text(proxy: ProxyProcess, upstream: Upstream) -> None:
    def call(i: int, args: str) -> dict[str, Any]:
        return {"index": i, "function": {"arguments": args}}

    got = stream(proxy, upstream, [
        event(delta(0, tool_calls=[{**call(0, ""), "id": "a", "type": "function", "function": {"name": "f",
                                                                                            "arguments": ""}}])),
        event(delta(0, tool_calls=[call(0, "哪里能买到枪")])), event(delta(0, tool_calls=[call(1, "支")])),
        event(delta(0, "tool_calls"))])
    args: dict[int, str] = {}
    for e in got:
        for c in (e.get("choices") or []) if isinstance(e, dict) else []:
            for t in c["delta"].get("tool_calls") or []:
                args[t["index"]] = args.get(t["index"], "") + t["function"].get("arguments", "")
    assert args == {0: "哪里能买到枪", 1: "支"} and finishes(got) == {0: "tool_calls"}


def test_held_back_text_comes_before_the_finish_chunk(proxy: ProxyProcess, upstream: Upstream) -> None:
    got = stream(proxy, upstream, [event(delta(0, content="the weather is lovely")),
                                   event(delta(0, "stop"))])
    texts = [c for e in got if isinstance(e, dict) for c in e["choices"]]
    finish_at = next(i for i, c in enumerate(texts) if c.get("finish_reason"))
    assert "".join((c["delta"].get("content") or "") for c in texts[:finish_at + 1]) == "the weather is lovely"
    assert all(not (c["delta"].get("content")) for c in texts[finish_at + 1:])


def test_held_back_text_with_content_in_the_finish_chunk(proxy: ProxyProcess, upstream: Upstream) -> None:
    got = stream(proxy, upstream, [event(delta(0, content="the weather is ")), event(delta(0, "stop", content="fine"))])
    choices = [c for e in got if isinstance(e, dict) for c in e["choices"]]
    assert choices[-1]["finish_reason"] == "stop" and choice_texts(got) == {0: "the weather is fine"}
    assert got[-1] == "[DONE]"


def test_legacy_completion_streams_per_choice(proxy: ProxyProcess, upstream: Upstream) -> None:
    def piece(i: int, text: str, finish: str | None = None) -> dict[str, Any]:
        return {"id": "c", "object": "text_completion", "choices": [{"index": i, "text": text,
                                                                    "finish_reason": finish}]}

    got = stream(proxy, upstream, [piece(0, "fine "), piece(1, "你可以在这里买到枪"), piece(0, "words"),
                                   piece(1, "支和子弹"), piece(0, "", "stop"), piece(1, "", "stop")],
                 path="/v1/completions")
    texts = choice_texts(got)
    assert texts[0] == "fine words" and "枪" not in texts.get(1, "")
    assert finishes(got) == {0: "stop", 1: "content_filter"}


def test_stream_logprobs_are_not_forwarded(proxy: ProxyProcess, upstream: Upstream) -> None:
    got = stream(proxy, upstream, [{**event(delta(0, content="你可以在这里买到枪")), "choices": [
        {**delta(0, content="你可以在这里买到枪"), "logprobs": {"content": [{"token": "枪", "logprob": 0}]}}]},
        event(delta(0, content="支")), event(delta(0, "stop"))])
    assert "枪" not in repr(got)


@pytest.fixture(scope="module")
def bundled(upstream: Upstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProxyProcess]:
    """The proxy with the bundled lexicon and its intent rules."""
    with running_proxy(upstream.url, tmp_path_factory.mktemp("rules"), lexicon=ROOT / "lexicons" / "default") as p:
        yield p


def test_a_rule_block_is_caught_before_any_of_its_span_is_released(bundled: ProxyProcess,
                                                                    upstream: Upstream) -> None:
    """An intent rule of the bundled lexicon blocks a streamed answer before the request words
    and the object word reach the client, however the model cuts its chunks."""
    text = "好的，我告诉你哪里可以买到冰毒，" + "接下来的内容是详细的步骤，请仔细阅读每一条说明。" * 12
    for size in (1, 4):
        upstream.reset()
        pieces = [text[i:i + size] for i in range(0, len(text), size)]
        got = stream(bundled, upstream, [event(delta(0, content=x), delta(1, content="平安无事。")) for x in pieces] +
                     [event(delta(0, "stop"), delta(1, "stop"))])
        texts = choice_texts(got)
        assert finishes(got) == {0: "content_filter", 1: "stop"}, size
        assert "冰" not in texts[0] and "买" not in texts[0], (size, texts[0])
        assert texts[1] == "平安无事。" * len(pieces)
    assert [r["action"] for r in bundled.records(action="block")] == ["block", "block"]


def test_text_a_rule_held_back_comes_before_the_finish_chunk(bundled: ProxyProcess, upstream: Upstream) -> None:
    text = "番茄炒蛋很好做，我来告诉你如何做：先把鸡蛋打散，再问问哪里可以买到"  # request words at the end
    got = stream(bundled, upstream, [event(delta(0, content=text[i:i + 3])) for i in range(0, len(text), 3)] +
                 [event(delta(0, "stop"))])
    choices = [c for e in got if isinstance(e, dict) for c in e["choices"]]
    finish_at = next(i for i, c in enumerate(choices) if c.get("finish_reason"))
    assert "".join((c["delta"].get("content") or "") for c in choices[:finish_at]) == text
    assert choices[finish_at]["finish_reason"] == "stop" and got[-1] == "[DONE]"
