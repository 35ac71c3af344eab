"""Finding the texts of a request body, and writing masks back (no server)."""
from __future__ import annotations

from typing import Any

import pytest

from interceptor.proxy.errors import ProxyError
from interceptor.proxy.paths import Kind
from interceptor.proxy.places import Slot, put_all, show, strings
from interceptor.proxy.request_texts import apply_masks, extract, recorded_chat


def texts(body: dict[str, Any], kind: Kind = Kind.CHAT) -> dict[str, str]:
    return {t.where: t.text for t in extract(kind, body).texts if not t.pieces[0].slot.is_key}


def test_content_parts_are_one_text_and_each_part_another() -> None:
    body = {"messages": [{"role": "user", "content": [{"type": "text", "text": "ab"}, "cd",
                                                      [{"type": "input_text", "TEXT": "ef"}]]}]}
    got = extract(Kind.CHAT, body).texts
    joined = next(t for t in got if t.where == "messages[0].content")
    assert joined.text == "abcdef" and joined.message == 0 and [p.length for p in joined.pieces] == [2, 2, 2]
    assert {"messages[0].content[0].text", "messages[0].content[1]", "messages[0].content[2][0].TEXT"} <= {
        t.where for t in got}


def test_every_other_string_and_key_is_a_text() -> None:
    body = {"model": "m", "messages": [{"role": "user", "content": None, "name": "n"}],
            "tools": [{"function": {"parameters": {"properties": {"field": {"description": "d"}}}}}]}
    got = extract(Kind.CHAT, body).texts
    keys = {t.text for t in got if t.pieces[0].slot.is_key}
    assert {"model", "messages", "role", "content", "name", "tools", "properties", "field", "description"} <= keys
    assert {"m", "user", "n", "d"} <= {t.text for t in got if not t.pieces[0].slot.is_key}


def test_media_payloads_are_listed_not_checked() -> None:
    body = {"messages": [{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA", "detail": "high"}},
        {"type": "input_audio", "input_audio": {"data": "UklG", "format": "wav"}}]}]}
    got = extract(Kind.CHAT, body)
    assert [m.place for m in got.media] == [("messages", 0, "content", 0), ("messages", 0, "content", 1)]
    assert [m.message for m in got.media] == [0, 0]  # the message each belongs to, for image screening
    values = {t.text for t in got.texts}
    assert "high" in values and "wav" in values
    assert not any(v.startswith("data:") or v == "UklG" for v in values)


def test_keys_are_matched_without_case() -> None:
    body = {"MEſſAGES": [{"role": "user", "Content": [{"type": "text", "Text": "a"}, {"type": "text", "text": "b"}]}]}
    assert texts(body)["MEſſAGES[0].Content"] == "ab"


@pytest.mark.parametrize("body, code", [
    ({"messages": "hello"}, "invalid_messages"), ({"messages": [1]}, "invalid_messages"),
    ({"messages": [{"role": "user", "content": 5}]}, "invalid_content"),
    ({"messages": [{"role": "user", "content": ["a", 5]}]}, "invalid_content"),
])
def test_what_cannot_be_read_is_refused(body: dict[str, Any], code: str) -> None:
    with pytest.raises(ProxyError) as e:
        extract(Kind.CHAT, body)
    assert e.value.status == 400 and e.value.code == code


@pytest.mark.parametrize("prompt", [[1, 2], [[1], [2]], ["a", 1], {"text": "a"}, 3])
def test_a_prompt_that_is_not_text_is_refused(prompt: Any) -> None:
    with pytest.raises(ProxyError) as e:
        extract(Kind.COMPLETIONS, {"prompt": prompt})
    assert e.value.code == "unreadable_prompt"


def test_masks_go_back_into_their_parts_and_stars_add_up() -> None:
    body = {"messages": [{"role": "user", "content": [{"type": "text", "text": "abc"},
                                                      {"type": "text", "text": "de"}]}]}
    got = extract(Kind.CHAT, body).texts
    joined = next(t for t in got if t.where == "messages[0].content")
    alone = next(t for t in got if t.where == "messages[0].content[0].text")
    apply_masks(body, [(joined, "ab**e"), (alone, "*bc")])
    assert body["messages"][0]["content"] == [{"type": "text", "text": "*b*"}, {"type": "text", "text": "*e"}]


def test_recorded_chat_keeps_roles_and_drops_long_payloads() -> None:
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64," + "A" * 1000}}
    body = {"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": ["hi", image]}]}
    chat = recorded_chat(body)
    assert [m["role"] for m in chat] == ["system", "user"]
    assert chat[1]["content"][1]["image_url"]["url"] == "<1022 characters omitted>"


def test_places_walk_write_and_name() -> None:
    doc: dict[str, Any] = {"a": [{"b": "x"}, "y"], "c": {"d": "z"}}
    found = list(strings(doc))
    assert [s for _, s in found] == ["a", "b", "x", "y", "c", "d", "z"]
    put_all(doc, [(Slot(("a", 0, "b")), "X"), (Slot(("c", "d"), is_key=True), "D"), (Slot(("c",), is_key=True), "C")])
    assert doc == {"a": [{"b": "X"}, "y"], "C": {"D": "z"}}
    assert show(("messages", 2, "content", 0, "text")) == "messages[2].content[0].text"
    deep: Any = "leaf"
    for _ in range(5000):  # as deep as a parser allows: no recursion
        deep = [deep]
    assert [s for _, s in strings(deep)] == ["leaf"]
