"""Images through a real ``interceptor serve``: real sockets, real OCR, a real SQLite file.

A small lexicon with a term of every tier and a message-scope rule, so each tier's answer
is known: the prompt and a picture together fire the rule, a mask removes the picture, a
warning warns; the limits answer 413/422 before decoding and leave the service serving; a
reader over its budget answers 503 with Retry-After, and the retry is read from the cache.
"""
from __future__ import annotations

import base64
import hashlib
import io
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from PIL import Image

from tests.conftest import ROOT, write_lexicon
from tests.ocr_env import need_ocr
from tests.server import AUDITOR, Server
from tests.test_images_decode import _png_header_only
from tests.test_images_screen import RULES, TERMS  # a term of every tier, and 哪里能买 + a drug name

pytestmark = pytest.mark.ocr

IMAGES_ENV = {"INTERCEPTOR_IMAGES_ENABLED": "true", "INTERCEPTOR_IMAGES_MAX_BYTES": "1000000",
              "INTERCEPTOR_IMAGES_MAX_IMAGES": "3"}


def png(text: str) -> bytes:
    from tests.image_set import png as render

    return render(text, size=36)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def data_url(data: bytes) -> str:
    return f"data:image/png;base64,{b64(data)}"


def noise_png(side: int) -> bytes:
    buf = io.BytesIO()
    Image.effect_noise((side, side), 80).convert("RGB").save(buf, "PNG")
    return buf.getvalue()


def lexicon(tmp: Path) -> Path:
    return write_lexicon(tmp / "lexicon", {"terms.tsv": TERMS, "rules.toml": RULES})


@contextmanager
def serving(tmp: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    """A server on ``tmp``'s lexicon and database; loading the OCR models may take a while."""
    s = Server(lexicon(tmp), f"sqlite:///{tmp / 'audit.db'}", env=env).start(timeout=120)
    try:
        yield s
    finally:
        s.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    need_ocr()
    with serving(tmp_path_factory.mktemp("img-svc"), IMAGES_ENV) as s:
        yield s


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


def moderate(client: httpx.Client, **body: object) -> dict:  # type: ignore[type-arg]
    r = client.post("/v1/moderate", json=body)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def record(client: httpx.Client, log_id: str) -> dict:  # type: ignore[type-arg]
    for _ in range(100):
        r = client.get(f"/v1/logs/{log_id}", headers=AUDITOR)
        if r.status_code == 200:
            return r.json()  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError(f"no record {log_id}: {r.text}")


def test_the_prompt_and_an_image_fire_a_rule_and_the_block_record_keeps_the_image(client: httpx.Client) -> None:
    picture = png("冰毒")
    assert moderate(client, text="哪里能买")["action"] == "pass"  # neither alone
    assert moderate(client, text="你好", images=[{"data": b64(picture)}])["action"] == "pass"
    out = moderate(client, text="哪里能买", images=[{"data": b64(picture)}], conversation_id="img-1")
    assert out["action"] == "block" and out["text"] is None and out["refusal"]
    in_image = [h for h in out["hits"] if "source" in h]
    assert in_image and all(h["source"]["image"] == 0 for h in in_image)
    term = next(h for h in in_image if h["variant"] == "rule")
    x0, y0, x1, y1 = term["source"]["box"]
    assert term["matched"] == "冰毒" and 0 <= x0 < x1 and 0 <= y0 < y1
    assert out["images"][0]["sha256"] == hashlib.sha256(picture).hexdigest() and out["removed_images"] == []
    rec = client.get(f"/v1/logs/{out['log_id']}", headers=AUDITOR).json()
    [image] = rec["images"]
    assert image["sha256"] == hashlib.sha256(picture).hexdigest() and image["bytes"] == len(picture)
    assert "冰毒" in "".join(line["text"] for line in image["lines"])
    assert all(len(line["box"]) == 4 for line in image["lines"])
    assert base64.b64decode(image["data"]) == picture


def test_content_parts_in_messages_are_read_and_numbered_after_images(client: httpx.Client) -> None:
    first, second = png("今天天气很好"), png("出售海洛因")
    messages = [{"role": "user", "content": [{"type": "text", "text": "看看这个"},
                                             {"type": "image_url", "image_url": {"url": data_url(second)}}]}]
    out = moderate(client, text="看看", images=[{"url": data_url(first)}], messages=messages)
    assert out["action"] == "block"
    assert {h["source"]["image"] for h in out["hits"] if "source" in h} == {1}
    rec = client.get(f"/v1/logs/{out['log_id']}", headers=AUDITOR).json()
    assert rec["messages"][0]["content"][1] == {"type": "image_url", "image_url": {"url": "<image 1>"}}
    assert [i["index"] for i in rec["images"]] == [0, 1]
    assert data_url(second) not in str(rec["messages"])  # the bytes only in images, once


def test_mask_removes_the_image_and_warn_warns(client: httpx.Client) -> None:
    out = moderate(client, text="发票的事", images=[{"data": b64(png("今天天气很好"))}, {"data": b64(png("代开发票"))}])
    assert out["action"] == "mask" and out["text"] == "发票的事" and out["removed_images"] == [1]
    assert [i["removed"] for i in out["images"]] == [False, True] and out["review_id"]
    rec = record(client, out["log_id"])  # written in the background
    assert [i["removed"] for i in rec["images"]] == [False, True] and "data" not in rec["images"][1]
    warned = moderate(client, text="看看", images=[{"data": b64(png("六合彩开奖"))}])
    assert warned["action"] == "warn" and warned["warning"]["ack_token"] and warned["removed_images"] == []


def test_limits_answer_before_decoding_and_the_service_keeps_serving(client: httpx.Client) -> None:
    def refused(status: int, code: str, **body: object) -> None:
        r = client.post("/v1/moderate", json={"text": "看看", **body})
        assert (r.status_code, r.json()["error"]["code"]) == (status, code), r.text

    refused(413, "image_too_large", images=[{"data": b64(_png_header_only(100_000, 100_000))}])  # a bomb
    refused(413, "image_too_large", images=[{"data": b64(noise_png(700))}])  # over max_bytes = 1,000,000
    refused(413, "too_many_images", images=[{"data": b64(png("一"))}] * 4)
    refused(422, "bad_image", images=[{"data": "not base64!"}])
    refused(422, "bad_image", images=[{"data": b64(b"GIF89a but not really")}])
    refused(422, "image_url_refused", images=[{"url": "http://169.254.169.254/latest/meta-data"}])
    refused(422, "invalid_body", images=[{"data": b64(png("一")), "url": data_url(png("一"))}])
    refused(422, "invalid_body", messages=[{"role": "user", "content": [{"type": "input_audio", "data": "x"}]}])
    r = client.post("/v1/moderate/batch", json={"items": [{"text": "a", "images": [{"data": b64(png("一"))}] * 2}] * 2})
    assert (r.status_code, r.json()["error"]["code"]) == (413, "too_many_images")
    assert moderate(client, text="出售海洛因")["action"] == "block"
    assert moderate(client, text="看看", images=[{"data": b64(png("出售海洛因"))}])["action"] == "block"


def test_a_batch_mixes_texts_and_images_in_order(client: httpx.Client) -> None:
    r = client.post("/v1/moderate/batch", json={"items": [
        {"text": "出售海洛因"}, {"text": "哪里能买", "images": [{"data": b64(png("冰毒"))}]}, {"text": "你好"}]})
    assert r.status_code == 200, r.text
    assert [x["action"] for x in r.json()["results"]] == ["block", "block", "pass"]
    assert "images" in r.json()["results"][1] and "images" not in r.json()["results"][0]


def test_metrics_count_reads_cache_hits_and_refusals(client: httpx.Client) -> None:
    picture = b64(png("缓存的图"))
    for _ in range(3):
        moderate(client, text="看看", images=[{"data": picture}])
    client.post("/v1/moderate", json={"text": "看看", "images": [{"data": "not base64!"}]})
    text = client.get("/metrics").text
    assert "interceptor_image_ocr_seconds_count" in text
    hits = next(line for line in text.splitlines() if line.startswith('interceptor_image_cache_total{result="hit"}'))
    assert float(hits.split()[-1]) >= 2
    assert 'interceptor_image_refusals_total{code="bad_image"}' in text


def test_over_the_budget_is_503_with_retry_after_and_the_retry_is_read_from_the_cache(
        tmp_path: Path) -> None:
    need_ocr()
    env = {**IMAGES_ENV, "INTERCEPTOR_IMAGES_BUDGET_S": "0.001"}
    picture = b64(png("出售海洛因"))
    with serving(tmp_path, env) as s, httpx.Client(base_url=s.url, timeout=60) as c:
        r = c.post("/v1/moderate", json={"text": "看看", "images": [{"data": picture}]})
        assert r.status_code == 503 and r.json()["error"]["code"] == "ocr_busy" and int(r.headers["retry-after"]) >= 1
        for _ in range(200):  # the reading goes on and lands in the cache
            r = c.post("/v1/moderate", json={"text": "看看", "images": [{"data": picture}]})
            if r.status_code != 503:
                break
            time.sleep(0.1)
        assert r.status_code == 200 and r.json()["action"] == "block"


def test_images_to_a_service_that_does_not_read_them_are_refused(tmp_path: Path) -> None:
    with serving(tmp_path) as s, httpx.Client(base_url=s.url, timeout=30) as c:
        r = c.post("/v1/moderate", json={"text": "看看", "images": [{"data": b64(b"x")}]})
        assert r.status_code == 422 and r.json()["error"]["code"] == "images_disabled"
        parts = [{"type": "text", "text": "出售"}, {"type": "text", "text": "海洛因"}]
        r = c.post("/v1/moderate", json={"text": "你好", "messages": [{"role": "user", "content": parts}]})
        assert r.status_code == 200 and r.json()["action"] == "pass"  # text parts alone need no reader


def test_enabled_without_the_extra_is_a_start_up_error(tmp_path: Path) -> None:
    code = ("import sys; sys.modules['rapidocr'] = None; from interceptor.cli import main; "
            f"sys.exit(main(['serve', '--lexicon', {str(lexicon(tmp_path))!r}, '--db', "
            f"'sqlite:///{tmp_path / 'a.db'}', '--port', '1']))")
    run = subprocess.run([sys.executable, "-c", code], env={**IMAGES_ENV, "PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 2, run.stderr
    assert "[images] enabled" in run.stderr and "interceptor[ocr]" in run.stderr


def test_a_big_check_with_images_runs_in_a_check_worker_with_the_same_verdict(tmp_path: Path) -> None:
    # offload_chars = 0: every check goes to a worker process, the images' text and hits pickled both ways
    with serving(tmp_path, {**IMAGES_ENV, "INTERCEPTOR_OFFLOAD_CHARS": "0"}) as s, \
            httpx.Client(base_url=s.url, timeout=60) as c:
        out = moderate(c, text="哪里能买", images=[{"data": b64(png("冰毒"))}])
        assert out["action"] == "block" and any(h.get("source", {}).get("image") == 0 for h in out["hits"])
        metrics = c.get("/metrics").text
        offloaded = next(line for line in metrics.splitlines() if line.startswith("interceptor_checks_offloaded_total"))
        assert float(offloaded.split()[-1]) >= 1
