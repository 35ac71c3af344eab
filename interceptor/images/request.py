"""Images as requests carry them, from reference to screened verdict.

Shapes accepted, wherever a request may hold an image:

* ``{"data": "<base64>"}`` and ``{"url": "data:image/...;base64,..."}`` (``images`` of ``/v1/moderate``);
* OpenAI chat content parts ``{"type": "image_url", "image_url": {"url": ...}}`` (or the URL
  as a plain string), and the Responses API's ``{"type": "input_image", "image_url": ...}``.

``http(s)`` URLs are fetched only from the hosts the operator lists (``remote``); every
image is sized and inspected before anything is decoded (``decode.inspect``).
"""
from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from interceptor.engine import Interceptor
from interceptor.images.dataurl import decode_base64, is_data_url, parse_data_url
from interceptor.images.decode import Picture, inspect
from interceptor.images.errors import BadImage, ImageError, ImageTooLarge, RemoteRefused, TooManyImages
from interceptor.images.pool import OcrPool
from interceptor.images.remote import fetch
from interceptor.images.screen import ImageText, ImageVerdict, screen
from interceptor.images.settings import ImageSettings

IMAGE_PART_TYPES = ("image_url", "input_image")


class ImageRef(NamedTuple):
    """One image of a request: inline base64, or a URL (``data:`` or ``http(s)``)."""

    data: str | None = None
    url: str | None = None


def ref_of_item(item: Mapping[str, Any]) -> ImageRef:
    """An entry of ``images``: ``{"data": base64}`` or ``{"url": ...}``, exactly one."""
    data, url = item.get("data"), item.get("url")
    if (data is None) == (url is None) or not isinstance(data if data is not None else url, str):
        raise BadImage('an image is {"data": "<base64>"} or {"url": "data:image/...;base64,..."}')
    return ImageRef(data=data) if data is not None else ImageRef(url=url)


def ref_of_part(part: Mapping[str, Any]) -> ImageRef | None:
    """The image of a content part, ``None`` for a part that is not an image."""
    if part.get("type") not in IMAGE_PART_TYPES:
        return None
    value = part.get("image_url")
    url = value.get("url") if isinstance(value, Mapping) else value
    if not isinstance(url, str):
        raise BadImage(f"a {part.get('type')} part needs image_url as a URL or {{\"url\": ...}}")
    return ImageRef(url=url)


INLINE_BYTES = 64 << 10
"""Base64 longer than this is decoded, hashed and inspected in a thread: a 5 MiB image costs
milliseconds of CPU that the event loop does not wait for."""


def _encoded_size(ref: ImageRef) -> int:
    """The bytes an inline image decodes to, estimated from its base64 (0 for a remote one)."""
    text = ref.data if ref.data is not None else ref.url if ref.url is not None and is_data_url(ref.url) else ""
    return len(text) * 3 // 4


def _inline(ref: ImageRef, settings: ImageSettings) -> Picture:
    if ref.data is not None:
        raw = decode_base64(ref.data, settings.max_bytes)
    else:
        raw = parse_data_url(ref.url or "", settings.max_bytes).data
    return inspect(raw, settings.max_bytes, settings.max_pixels, settings.formats)


async def load(refs: Sequence[ImageRef], settings: ImageSettings) -> list[Picture]:
    """Every image's bytes, inspected (header, limits); remote ones fetched concurrently.
    The count and the total size are checked before any image is decoded."""
    if len(refs) > settings.max_images:
        raise TooManyImages(f"{len(refs)} images; at most {settings.max_images} per request")
    total = sum(_encoded_size(r) for r in refs)
    if total > settings.max_total_bytes:
        raise ImageTooLarge(f"the images hold about {total} bytes together; the limit is {settings.max_total_bytes}")

    async def one(i: int, ref: ImageRef) -> Picture:
        try:
            if ref.data is not None or (ref.url is not None and is_data_url(ref.url)):
                if _encoded_size(ref) * 4 // 3 <= INLINE_BYTES:
                    return _inline(ref, settings)
                return await asyncio.to_thread(_inline, ref, settings)
            if ref.url is not None and ref.url[:8].lower().startswith(("http://", "https://")):
                if not settings.allowed_hosts:
                    raise RemoteRefused("remote image URLs are not fetched; send the image inline as a data URL")
                raw = await fetch(ref.url, settings.allowed_hosts, settings.max_bytes, settings.fetch_timeout_s)
                return await asyncio.to_thread(inspect, raw, settings.max_bytes, settings.max_pixels,
                                               settings.formats)
            raise BadImage("an image URL must be a data: URL (or http(s) from an allowed host)")
        except ImageError as e:
            raise e.at(i) from None

    pictures = list(await asyncio.gather(*(one(i, r) for i, r in enumerate(refs))))
    fetched = sum(p.size for p, r in zip(pictures, refs, strict=True) if _encoded_size(r) == 0)
    if total + fetched > settings.max_total_bytes:
        raise ImageTooLarge(f"the images hold {total + fetched} bytes together; the limit is "
                            f"{settings.max_total_bytes}")
    return pictures


async def screen_images(guard: Interceptor, pool: OcrPool, text: str, refs: Sequence[ImageRef],
                        direction: str = "input", messages: Sequence[str] | None = None) -> ImageVerdict:
    """Load, read (off the event loop, within the budget) and screen ``text`` with its images."""
    pictures = await load(refs, pool.settings)
    readings = await pool.aread_all(pictures)
    images = [ImageText.of(i, p, r) for i, (p, r) in enumerate(zip(pictures, readings, strict=True))]
    return screen(guard, text, images, direction, messages)
