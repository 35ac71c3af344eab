"""The real OCR (the ``ocr`` extra), offline: models from the wheel, read once per worker."""
from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from interceptor import Interceptor
from interceptor.images import ImageSettings, ImageText, OcrBusy, OcrPool, inspect, screen
from interceptor.images.errors import BadImage
from interceptor.images.reading import OcrBackend, TextLine
from interceptor.types import Action
from tests.conftest import ROOT, write_lexicon
from tests.image_set import DEJAVU, Scene, encode, png, render
from tests.ocr_env import need, need_ocr, offline

pytestmark = pytest.mark.ocr
S = ImageSettings(enabled=True)


@pytest.fixture(scope="module")
def backend() -> Iterator[OcrBackend]:
    """One RapidOCR backend for the module, made and used with the network blocked."""
    need_ocr()
    from interceptor.images.rapid import RapidOcr, models_dir

    before = sorted((p.name, p.stat().st_size, p.stat().st_mtime) for p in models_dir().iterdir())
    with offline() as net:
        b = RapidOcr()
        yield b
    assert net.attempts == [], f"the OCR tried to reach the network: {net.attempts}"
    after = sorted((p.name, p.stat().st_size, p.stat().st_mtime) for p in models_dir().iterdir())
    assert after == before  # nothing downloaded next to the models


@pytest.fixture(scope="module")
def default_guard() -> Interceptor:
    return Interceptor.from_path(ROOT / "lexicons" / "default")


def pool(backend: OcrBackend, **kw: object) -> OcrPool:
    return OcrPool(lambda: backend, ImageSettings(enabled=True, **kw))  # type: ignore[arg-type]


def pic(data: bytes):  # type: ignore[no-untyped-def]
    return inspect(data, S.max_bytes, S.max_pixels)


def test_models_come_from_the_wheel(backend: OcrBackend) -> None:
    from interceptor.images.rapid import MODELS, models_dir

    assert all((models_dir() / f).is_file() for f in MODELS.values())
    assert Path(models_dir()).parent.name == "rapidocr"


def test_reads_lines_with_boxes(backend: OcrBackend) -> None:
    lines = backend.read(np.asarray(render(Scene("冰毒出售 加V", size=32))))
    assert lines and "冰毒出售" in "".join(line.text for line in lines)
    for line in lines:
        assert isinstance(line, TextLine) and 0 <= line.box.x0 < line.box.x1 and 0 <= line.box.y0 < line.box.y1


@pytest.mark.parametrize(("scene", "prompt"), [
    (Scene("冰毒出售", size=24, background="plain", seed=1), "看看这个"),
    (Scene("冰毒出售", size=28, background="textured", seed=2), "看看这个"),
    (Scene("安非他命", size=30, background="photo", angle=8, seed=3), "哪里能买到这个"),
    (Scene("冰毒", size=32, noise=True, seed=4), "哪里能买到这个"),
    (Scene("meth for sale", font=DEJAVU, size=24, background="photo", angle=-6, seed=5), "look at this"),
    (Scene("冰毒 加V", size=40, meme=True, seed=6), "看看这个"),
], ids=["plain", "textured", "photo-rotated", "noise", "latin-rotated", "meme"])
def test_rendered_terms_are_blocked(backend: OcrBackend, default_guard: Interceptor, scene: Scene,
                                    prompt: str) -> None:
    """The bundled lexicon blocks an offer or a request, not an object word alone: the picture
    holds the offer, or the object with the prompt asking where to buy it."""
    p = pic(encode(render(scene)))
    [reading] = pool(backend).read_all([p])
    v = screen(default_guard, prompt, [ImageText.of(0, p, reading)])
    assert v.action is Action.BLOCK, reading.text
    assert any(h.to_dict().get("source", {}).get("image") == 0 for h in v.verdict.hits), v.verdict.hits
    assert screen(default_guard, prompt, []).action is Action.PASS  # the prompt alone is harmless


def test_benign_pictures_pass(backend: OcrBackend, default_guard: Interceptor) -> None:
    pics = [pic(png(t, 28, seed=i)) for i, t in enumerate(["明天下午三点开会", "The train leaves at noon"])]
    readings = pool(backend).read_all(pics)
    images = [ImageText.of(i, p, r) for i, (p, r) in enumerate(zip(pics, readings, strict=True))]
    v = screen(default_guard, "你好", images)
    assert v.action is Action.PASS and "开会" in readings[0].text


def test_the_prompt_and_the_picture_fire_a_rule(backend: OcrBackend, tmp_path: Path) -> None:
    lex = write_lexicon(tmp_path / "lex", {
        "t.tsv": "term\tcategory\ttier\n冰毒\tdrugs\tmonitor\n",
        "rules.toml": '[[rule]]\nid = "buying-drugs"\ncategory = "drugs-trade"\ntier = "block"\n'
                      'all = ["哪里能买"]\ncategories = ["drugs"]\nscope = "message"\n'})
    guard = Interceptor.from_path(lex)
    p = pic(png("冰毒", 36))
    [r] = pool(backend).read_all([p])
    assert screen(guard, "今天好", [ImageText.of(0, p, r)]).action is Action.PASS
    assert screen(guard, "哪里能买", [ImageText.of(0, p, r)]).action is Action.BLOCK


def test_a_picture_is_read_once(backend: OcrBackend) -> None:
    reads: list[float] = []
    hits: list[bool] = []
    ocr = OcrPool(lambda: backend, S, on_read=reads.append, on_cache=hits.append)
    p = pic(png("同一张图片", 30, seed=11))
    first = ocr.submit(p)
    assert ocr.submit(p) is first  # being read: waited for, not read again
    t0 = time.perf_counter()
    reading = first.result()
    slow = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = ocr.read_all([p] * 20)
    fast = (time.perf_counter() - t0) / 20
    assert all(r == reading for r in again) and len(reads) == 1
    assert hits.count(True) == 20 and ocr.cache.hits == 20
    assert fast < slow / 10


def test_over_budget_is_busy_then_served_from_the_cache(backend: OcrBackend) -> None:
    ocr = pool(backend, budget_s=0.001)
    p = pic(png("超时测试文字", 30, seed=12))
    with pytest.raises(OcrBusy) as e:
        asyncio.run(ocr.aread_all([p]))
    assert e.value.status == 503 and e.value.retry_after >= 1 and e.value.index == 0
    ocr._inflight[p.sha256].result()  # the reading went on
    time.sleep(0.05)
    assert asyncio.run(ocr.aread_all([p]))[0].text == "超时测试文字"


def test_a_full_queue_refuses_at_once(backend: OcrBackend) -> None:
    ocr = pool(backend, queue=1)
    a, b = pic(png("第一张", 30, seed=13)), pic(png("第二张", 30, seed=14))
    fut = ocr.submit(a)
    with pytest.raises(OcrBusy, match="being read"):
        ocr.read_all([b])
    fut.result()


def test_a_reader_failure_is_the_images_fault_not_a_crash() -> None:
    class Broken:
        name = "broken"

        def read(self, pixels: np.ndarray) -> list[TextLine]:
            raise RuntimeError("onnxruntime choked")

    need("PIL", "pillow")
    ocr = OcrPool(lambda: Broken(), S)
    with pytest.raises(BadImage) as e:
        ocr.read_all([pic(png("x", 20))])
    assert e.value.status == 422 and e.value.index == 0


def test_tesseract_backend_reads_chinese() -> None:
    need_ocr()
    need("tesserocr", "pip install -e '.[tesseract]'")
    from interceptor.images.errors import OcrUnavailable
    from interceptor.images.tesseract import TesseractOcr

    try:
        t = TesseractOcr()
    except OcrUnavailable as e:
        from tests.ocr_env import in_ci
        if in_ci():
            raise
        pytest.skip(str(e))
    text = "".join(line.text for line in t.read(np.asarray(render(Scene("冰毒出售 加V", size=36)))))
    assert "冰毒" in text
    noise = np.random.default_rng(1).integers(0, 256, size=(120, 200, 3), dtype=np.uint8)
    assert isinstance(t.read(noise), list)  # lines without text are skipped, not an error
    assert t.read(np.full((60, 200, 3), 255, dtype=np.uint8)) == []


def test_screen_images_from_request_shapes(backend: OcrBackend, default_guard: Interceptor) -> None:
    import base64
    import hashlib

    from interceptor.images.request import ref_of_item, ref_of_part, screen_images

    scenery, offer = png("风景很美", 28, seed=22), png("冰毒出售 加V", 32, seed=21)
    refs = [ref_of_item({"data": base64.b64encode(scenery).decode()}),
            ref_of_part({"type": "image_url",
                         "image_url": {"url": f"data:image/png;base64,{base64.b64encode(offer).decode()}"}})]
    assert None not in refs
    v = asyncio.run(screen_images(default_guard, pool(backend), "看看这个", refs))  # type: ignore[arg-type]
    assert v.action is Action.BLOCK
    assert {h.to_dict()["source"]["image"] for h in v.verdict.hits} == {1}
    assert [im.sha256 for im in v.images] == [hashlib.sha256(b).hexdigest() for b in (scenery, offer)]
