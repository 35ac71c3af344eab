"""The pieces of the stream relay that need no server: SSE parsing, field identity."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from interceptor.proxy.streams import Indexed, SSEEvent, identity, place_text, sse


def parse(lines: list[str]) -> list[SSEEvent]:
    async def feed() -> AsyncIterator[str]:
        for line in lines:
            yield line

    async def collect() -> list[SSEEvent]:
        return [e async for e in sse(feed())]

    return asyncio.run(collect())


def test_sse_events() -> None:
    got = parse([": comment", "event: error", "data: {\"a\":", "data: 1}", "", "data: x", "id: 3", "", "data: cut"])
    assert got == [SSEEvent("error", '{"a":\n1}'), SSEEvent("message", "x")]  # the last event never ended
    assert parse(["data: [DONE]"]) == [SSEEvent("message", "[DONE]")]


def test_a_tool_call_is_known_by_its_index() -> None:
    choice: dict[str, Any] = {"delta": {"tool_calls": [{"index": 3, "function": {"arguments": "x"}}]}}
    assert identity(choice, ("delta", "tool_calls", 0, "function", "arguments")) == (
        "delta", "tool_calls", Indexed(3), "function", "arguments")


def test_held_text_is_placed_where_its_field_is() -> None:
    out: dict[str, Any] = {"index": 0, "delta": {"content": "a"}}
    place_text(out, ("delta", "content"), "b")
    place_text(out, ("delta", "tool_calls", Indexed(2), "function", "arguments"), "{}")
    place_text(out, ("delta", "reasoning_content"), "r")
    assert out == {"index": 0, "delta": {"content": "ab", "tool_calls": [{"index": 2, "function": {"arguments": "{}"}}],
                                         "reasoning_content": "r"}}
