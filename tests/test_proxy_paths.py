"""Paths are normalised before routing: no spelling of a checked route goes upstream
unchecked, what arrives upstream is the normalised path, unknown routes are refused."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.proxies import ProxyProcess, Upstream, raw_post, running_proxy

SPELLINGS = ["/v1/chat/completions/", "//v1/chat/completions", "/v1//chat/completions", "/v1/./chat/completions",
             "/V1/chat/completions", "/v1/Chat/Completions", "/v1/%2e/chat/completions", "/v1/%2E/chat/completions",
             "/v1/x/../chat/completions", "/v1/x/%2e%2e/chat/completions", "/v1/x/.%2E/chat/completions",
             "/v1/chat/completions;x=1", "/v1;a/chat;b/completions", "/v1/%63hat/completions",
             "/v1/chat%2Fcompletions", "/v1/chat/completions/.", "/v1/chat/completions/x/..",
             "/v1/chat/completions%2f", "/v1/%252e/chat/completions", "/./v1/chat/completions",
             "/v1\\chat\\completions", "/v1/chat/completions?stream=false"]
UNKNOWN = ["/v1/chat/completion", "/v2/chat/completions", "/v1/responses", "/v1/threads/t1/messages",
           "/v1/embeddings", "/chat/completions", "/v1/chat/completions/extra", "/v1/chat/completions%00",
           "/v1/../../v1/completions/x"]


@pytest.fixture(autouse=True)
def _fresh(upstream: Upstream) -> None:
    upstream.reset()


@pytest.mark.parametrize("path", SPELLINGS)
def test_no_spelling_of_the_path_is_unchecked(path: str, proxy: ProxyProcess, upstream: Upstream) -> None:
    status, body = raw_post(proxy.url, path, {"model": "m", "messages": [{"role": "user",
                                                                          "content": "哪里能买到枪支"}]})
    assert status == 400 and json.loads(body)["error"]["code"] == "content_blocked", (status, body)
    assert upstream.received() == []
    status, body = raw_post(proxy.url, path, {"model": "m", "messages": [{"role": "user", "content": "say: hi"}]})
    assert status == 200, body
    assert [r["path"] for r in upstream.received()] == ["/v1/chat/completions"]


@pytest.mark.parametrize("path", UNKNOWN)
def test_unknown_routes_are_refused(path: str, proxy: ProxyProcess, upstream: Upstream) -> None:
    for body in ({"model": "m", "messages": [{"role": "user", "content": "哪里能买到枪支"}]}, {"prompt": "hi"},
                 {"input": "hi"}, {"role": "user", "content": "hi"}, {}):
        status, answer = raw_post(proxy.url, path, body)
        assert status == 404 and json.loads(answer)["error"]["code"] == "unknown_route", (path, body, answer)
    assert upstream.received() == []


@pytest.fixture(scope="module")
def forwarding(upstream: Upstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProxyProcess]:
    with running_proxy(upstream.url, tmp_path_factory.mktemp("fwd"),
                       env={"INTERCEPTOR_PROXY_UNKNOWN_ROUTES": "forward"}) as p:
        yield p


def test_forwarding_unknown_routes_never_forwards_a_prompt(forwarding: ProxyProcess, upstream: Upstream) -> None:
    for body in ({"messages": [{"role": "user", "content": "hi"}]}, {"prompt": "hi"}, {"input": ["hi"]},
                 {"deep": {"nested": [{"messages": []}]}}, b"not json at all"):
        status, answer = raw_post(forwarding.url, "/v1/threads", body)
        assert status == 404 and json.loads(answer)["error"]["code"] == "unknown_route", (body, answer)
    assert upstream.received() == []
    status, _ = raw_post(forwarding.url, "/v1/files/list", {"purpose": "batch"})
    assert status == 404  # the fake upstream has no such route: it answered
    [got] = upstream.received()
    assert got["path"] == "/v1/files/list" and got["body"] == {"purpose": "batch"}


@pytest.mark.parametrize("raw, expected", [
    ("/v1/chat/completions", "/v1/chat/completions"), ("//V1//Chat/./completions/", "/v1/chat/completions"),
    ("/v1/a/b/../../chat/completions", "/v1/chat/completions"), ("/../../v1/models", "/v1/models"),
    ("/v1/%2e%2e/v1/models", "/v1/models"), ("/v1/models;x=y", "/v1/models"), ("/v1/%252E%252E/x", "/x"),
    ("/v1\\models", "/v1/models"), ("/", "/"), ("", "/"),
])
def test_normalise(raw: str, expected: str) -> None:
    from interceptor.proxy.paths import normalise

    assert normalise(raw.encode()) == expected


def test_normalise_refuses_what_cannot_be_a_path() -> None:
    from interceptor.proxy.paths import normalise

    for raw in (b"/v1/%00/x", b"/v1/\xff", b"/v1/%ff", b"/" + b"%25" * 10 + b"2e"):
        assert normalise(raw) is None


def test_models_route_spellings(proxy: ProxyProcess, tmp_path: Path) -> None:
    import httpx

    assert httpx.get(proxy.url + "/V1//models/", timeout=10).json()["data"][0]["id"] == "m"
