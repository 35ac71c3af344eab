"""The issue's acceptance, on the bundled lexicon: real ``interceptor serve`` and ``interceptor
proxy`` processes, real sockets, real OCR, default limits.

* ``哪里能买`` typed with ``冰毒`` in a picture, and a screenshot of ``冰毒出售 加V`` beside an
  innocent prompt, are blocked through ``/v1/moderate`` and through the proxy;
* the block record holds the image's hash and the text read from it;
* a decompression bomb and an oversized image get 4xx, and the service keeps serving.
"""
from __future__ import annotations

import base64
import hashlib
import io
import random
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from PIL import Image

from tests.conftest import ROOT
from tests.ocr_env import need_ocr
from tests.proxies import ProxyProcess, Upstream, running_proxy
from tests.server import AUDITOR, Server
from tests.test_images_decode import _png_header_only

pytestmark = pytest.mark.ocr
DEFAULT = ROOT / "lexicons" / "default"
ENV = {"INTERCEPTOR_IMAGES_ENABLED": "true"}


def png(text: str) -> bytes:
    from tests.image_set import png as render

    return render(text, size=32)


def screenshot() -> bytes:
    from tests.image_set import screenshot as shot

    return shot(["你好，在吗", "冰毒出售 加V", "好的谢谢"], size=(720, 480), font_px=22)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    need_ocr()
    d = tmp_path_factory.mktemp("img-accept")
    s = Server(DEFAULT, f"sqlite:///{d / 'audit.db'}", env=ENV).start(timeout=180)
    try:
        with httpx.Client(base_url=s.url, timeout=60) as c:
            yield c
    finally:
        s.stop()


@pytest.fixture(scope="module")
def images_proxy(upstream: Upstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProxyProcess]:
    need_ocr()
    with running_proxy(upstream.url, tmp_path_factory.mktemp("img-accept-proxy"), env=ENV, lexicon=DEFAULT) as p:
        yield p


def moderate(client: httpx.Client, **body: Any) -> dict[str, Any]:
    r = client.post("/v1/moderate", json=body)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def read_text(record: dict[str, Any]) -> str:
    return "".join(line["text"] for im in record["images"] for line in im["lines"])


def test_the_combination_is_blocked_through_the_service(service: httpx.Client) -> None:
    picture = png("冰毒")
    assert moderate(service, text="哪里能买")["action"] == "pass"
    out = moderate(service, text="哪里能买", images=[{"data": b64(picture)}])
    assert out["action"] == "block", out
    rec = service.get(f"/v1/logs/{out['log_id']}", headers=AUDITOR).json()
    assert rec["images"][0]["sha256"] == hashlib.sha256(picture).hexdigest() and "冰毒" in read_text(rec)
    # the same as OpenAI content parts in the conversation
    parts = [{"type": "text", "text": "哪里能买"},
             {"type": "image_url", "image_url": {"url": "data:image/png;base64," + b64(picture)}}]
    out = moderate(service, text="哪里能买", messages=[{"role": "user", "content": parts}])
    assert out["action"] == "block" and any(h.get("source", {}).get("image") == 0 for h in out["hits"])


def test_a_screenshot_beside_an_innocent_prompt_is_blocked(service: httpx.Client) -> None:
    shot = screenshot()
    out = moderate(service, text="帮我看看这张截图说了什么", images=[{"data": b64(shot)}])
    assert out["action"] == "block", out
    rec = service.get(f"/v1/logs/{out['log_id']}", headers=AUDITOR).json()
    assert rec["images"][0]["sha256"] == hashlib.sha256(shot).hexdigest() and "冰毒" in read_text(rec)
    assert base64.b64decode(rec["images"][0]["data"]) == shot


def test_a_bomb_and_an_oversized_image_get_4xx_and_the_service_keeps_serving(service: httpx.Client) -> None:
    bomb = _png_header_only(100_000, 100_000)
    buf = io.BytesIO()
    Image.frombytes("RGB", (1400, 1400), random.Random(0).randbytes(1400 * 1400 * 3)).save(buf, "PNG")
    oversized = buf.getvalue()
    assert len(bomb) < 1000 and len(oversized) > 5 << 20
    for data in (bomb, oversized):
        r = service.post("/v1/moderate", json={"text": "看看", "images": [{"data": b64(data)}]})
        assert r.status_code == 413 and r.json()["error"]["code"] == "image_too_large", r.text
    assert service.get("/readyz").status_code == 200
    assert moderate(service, text="哪里能买", images=[{"data": b64(png("冰毒"))}])["action"] == "block"


def test_the_combination_is_blocked_through_the_proxy(images_proxy: ProxyProcess, upstream: Upstream) -> None:
    upstream.reset()
    picture, shot = png("冰毒"), screenshot()
    for text, image, conversation in (("哪里能买", picture, "accept-1"), ("帮我看看这张截图", shot, "accept-2")):
        body = {"model": "m", "user": conversation, "messages": [{"role": "user", "content": [
            {"type": "text", "text": text},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64," + b64(image)}}]}]}
        r = httpx.post(images_proxy.url + "/v1/chat/completions", json=body, timeout=60)
        assert r.status_code == 400 and r.json()["error"]["code"] == "content_blocked", r.text
        [rec] = images_proxy.records(conversation_id=conversation, action="block")
        assert rec["images"][0]["sha256"] == hashlib.sha256(image).hexdigest() and "冰毒" in read_text(rec)
    assert upstream.received() == []


def test_an_innocent_picture_passes_through_the_proxy(images_proxy: ProxyProcess, upstream: Upstream) -> None:
    upstream.reset()
    body = {"model": "m", "messages": [{"role": "user", "content": [
        {"type": "text", "text": "这张图里写了什么"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64," + b64(png("今天天气很好"))}}]}]}
    r = httpx.post(images_proxy.url + "/v1/chat/completions", json=body, timeout=60)
    assert r.status_code == 200 and r.headers["x-interceptor-input"] == "pass"
    assert len(upstream.received()) == 1
