"""Images as requests carry them: the accepted shapes, and refusals naming the image."""
from __future__ import annotations

import asyncio
import base64
import io

import pytest
from PIL import Image

from interceptor.images.errors import BadImage, ImageTooLarge, RemoteRefused, TooManyImages
from interceptor.images.request import ImageRef, load, ref_of_item, ref_of_part
from interceptor.images.settings import ImageSettings

S = ImageSettings(enabled=True)


def png_b64(color: str = "red") -> str:
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), color).save(buf, "PNG")
    return base64.b64encode(buf.getvalue()).decode()


def test_item_and_part_shapes() -> None:
    b64 = png_b64()
    assert ref_of_item({"data": b64}) == ImageRef(data=b64)
    assert ref_of_item({"url": f"data:image/png;base64,{b64}"}).url is not None
    for bad in ({}, {"data": b64, "url": "x"}, {"data": 3}):
        with pytest.raises(BadImage):
            ref_of_item(bad)
    url = f"data:image/png;base64,{b64}"
    assert ref_of_part({"type": "image_url", "image_url": {"url": url, "detail": "low"}}) == ImageRef(url=url)
    assert ref_of_part({"type": "image_url", "image_url": url}) == ImageRef(url=url)
    assert ref_of_part({"type": "input_image", "image_url": url}) == ImageRef(url=url)
    assert ref_of_part({"type": "text", "text": "hi"}) is None
    with pytest.raises(BadImage):
        ref_of_part({"type": "image_url", "image_url": {"href": url}})


def test_load_inspects_every_image() -> None:
    refs = [ImageRef(data=png_b64("red")), ImageRef(url=f"data:image/png;base64,{png_b64('blue')}")]
    pics = asyncio.run(load(refs, S))
    assert [(p.format, p.width) for p in pics] == [("png", 16), ("png", 16)] and pics[0].sha256 != pics[1].sha256


def test_refusals_name_the_image() -> None:
    ok = ImageRef(data=png_b64())
    with pytest.raises(TooManyImages) as many:
        asyncio.run(load([ok] * (S.max_images + 1), S))
    assert many.value.status == 413
    with pytest.raises(BadImage) as bad:
        asyncio.run(load([ok, ImageRef(data="@@@")], S))
    assert bad.value.index == 1 and "image 1" in str(bad.value)
    with pytest.raises(ImageTooLarge) as big:
        asyncio.run(load([ImageRef(data=png_b64())], ImageSettings(enabled=True, max_bytes=10)))
    assert big.value.index == 0
    with pytest.raises(RemoteRefused, match="not fetched"):
        asyncio.run(load([ImageRef(url="https://example.com/a.png")], S))
    with pytest.raises(BadImage):
        asyncio.run(load([ImageRef(url="file:///etc/passwd")], S))
