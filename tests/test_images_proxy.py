"""Image parts through a real ``interceptor proxy``: real sockets, real OCR, the recording
upstream. A block never goes upstream, a mask sends a short text part instead of the picture,
a warning passes; an image that cannot be screened is refused, never forwarded unread."""
from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import write_lexicon
from tests.ocr_env import need_ocr
from tests.proxies import ProxyProcess, Upstream, running_proxy
from tests.test_images_decode import _png_header_only
from tests.test_images_screen import RULES, TERMS

pytestmark = pytest.mark.ocr


def png(text: str) -> bytes:
    from tests.image_set import png as render

    return render(text, size=36)


def image_part(data: bytes) -> dict[str, Any]:
    return {"type": "image_url", "image_url": {"url": "data:image/png;base64," + base64.b64encode(data).decode()}}


@pytest.fixture(scope="module")
def images_proxy(upstream: Upstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProxyProcess]:
    need_ocr()
    work = tmp_path_factory.mktemp("img-proxy")
    lexicon = write_lexicon(work / "lexicon", {"terms.tsv": TERMS, "rules.toml": RULES})
    with running_proxy(upstream.url, work, env={"INTERCEPTOR_IMAGES_ENABLED": "true",
                                                "INTERCEPTOR_IMAGES_MAX_IMAGES": "3"}, lexicon=lexicon) as p:
        yield p


@pytest.fixture(autouse=True)
def _fresh(upstream: Upstream) -> None:
    upstream.reset()


def chat(proxy: ProxyProcess, *messages: dict[str, Any], conversation: str | None = None) -> httpx.Response:
    body: dict[str, Any] = {"model": "m", "messages": list(messages)}
    if conversation:
        body["user"] = conversation
    return httpx.post(proxy.url + "/v1/chat/completions", json=body, timeout=60)


def user(*parts: Any) -> dict[str, Any]:
    return {"role": "user", "content": list(parts)}


def test_the_prompt_and_an_image_part_are_blocked_together(images_proxy: ProxyProcess, upstream: Upstream) -> None:
    picture = png("冰毒")
    assert chat(images_proxy, user({"type": "text", "text": "你好"}, image_part(picture))).status_code == 200
    upstream.reset()
    r = chat(images_proxy, user({"type": "text", "text": "哪里能买"}, image_part(picture)), conversation="img-p1")
    assert r.status_code == 400 and r.json()["error"]["code"] == "content_blocked", r.text
    assert upstream.received() == []  # nothing went upstream
    [rec] = images_proxy.records(conversation_id="img-p1", action="block")
    [image] = rec["images"]
    assert image["sha256"] == hashlib.sha256(picture).hexdigest() and image["bytes"] == len(picture)
    assert "冰毒" in "".join(line["text"] for line in image["lines"]) and base64.b64decode(image["data"]) == picture
    assert any(h.get("source", {}).get("image") == 0 for h in rec["hits"])


def test_an_image_alone_in_a_later_message_is_read(images_proxy: ProxyProcess, upstream: Upstream) -> None:
    r = chat(images_proxy, {"role": "user", "content": "看看这两张图"},
             user(image_part(png("今天天气很好")), image_part(png("出售海洛因"))))
    assert r.status_code == 400 and r.json()["error"]["code"] == "content_blocked"
    assert upstream.received() == []


def test_a_mask_replaces_the_image_part_with_a_text_part(images_proxy: ProxyProcess, upstream: Upstream) -> None:
    keep, drop = image_part(png("今天天气很好")), image_part(png("代开发票"))
    r = chat(images_proxy, user({"type": "text", "text": "看看"}, keep, drop))
    assert r.status_code == 200, r.text
    assert r.headers["x-interceptor-input"] == "mask" and r.headers["x-interceptor-removed-images"] == "1"
    [got] = upstream.received()
    parts = got["body"]["messages"][0]["content"]
    assert parts[0] == {"type": "text", "text": "看看"} and parts[1] == keep
    assert parts[2]["type"] == "text" and "removed" in parts[2]["text"]
    assert "代开发票" not in str(got["body"])


def test_a_warning_passes_with_its_header(images_proxy: ProxyProcess, upstream: Upstream) -> None:
    r = chat(images_proxy, user({"type": "text", "text": "看看"}, image_part(png("六合彩开奖"))))
    assert r.status_code == 200 and r.headers["x-interceptor-input"] == "warn" and r.headers["x-interceptor-warning"]
    assert len(upstream.received()) == 1


@pytest.mark.parametrize(("part", "status", "code"), [
    (image_part(_png_header_only(100_000, 100_000)), 413, "image_too_large"),
    ({"type": "image_url", "image_url": {"url": "data:image/png;base64,@@@"}}, 422, "bad_image"),
    ({"type": "image_url", "image_url": {"url": "http://127.0.0.1:9/x.png"}}, 422, "image_url_refused"),
    ({"type": "image_url", "image_url": {"href": "x"}}, 422, "bad_image"),
])
def test_an_image_that_cannot_be_screened_is_refused(images_proxy: ProxyProcess, upstream: Upstream,
                                                     part: dict[str, Any], status: int, code: str) -> None:
    r = chat(images_proxy, user({"type": "text", "text": "看看"}, part))
    assert (r.status_code, r.json()["error"]["code"]) == (status, code), r.text
    assert upstream.received() == []


def test_too_many_images_and_the_proxy_keeps_serving(images_proxy: ProxyProcess, upstream: Upstream) -> None:
    r = chat(images_proxy, user(*[image_part(png(str(i))) for i in range(4)]))
    assert (r.status_code, r.json()["error"]["code"]) == (413, "too_many_images")
    r = chat(images_proxy, user({"type": "text", "text": "你好"}, image_part(png("今天天气很好"))))
    assert r.status_code == 200 and len(upstream.received()) == 1


def test_without_image_screening_image_parts_pass_as_before(proxy: ProxyProcess, upstream: Upstream) -> None:
    r = chat(proxy, user({"type": "text", "text": "你好"}, image_part(png("出售海洛因"))))
    assert r.status_code == 200 and len(upstream.received()) == 1
