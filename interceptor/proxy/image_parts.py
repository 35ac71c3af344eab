"""Image parts of a chat request, read and checked with the text of their message.

With ``[images] enabled`` every ``image_url`` / ``input_image`` part of the messages is read
(the service's OCR pool, off the event loop, within the per-image budget) and checked with
its message's text as one message, so ``哪里能买`` typed beside a picture of ``冰毒`` is the
same block as both typed. The parts are numbered in the order they appear in the request
(the ``image`` of a hit's ``source``). A block refuses the request and nothing goes
upstream; a mask replaces each image it was read in with a short text part
(``REMOVED_TEXT``), so the model is told something was taken out; a warning warns.

An image that cannot be screened refuses the request as the service does — too large or too
many 413, unreadable 422, a reader over its budget 503 with ``Retry-After`` — and is never
forwarded unread. With image screening off, image parts go upstream unchecked (README).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from interceptor.images.decode import Picture
from interceptor.images.errors import ImageError, OcrBusy
from interceptor.images.pool import OcrPool
from interceptor.images.request import IMAGE_PART_TYPES, load, ref_of_part
from interceptor.images.screen import ImageText
from interceptor.proxy.errors import ProxyError
from interceptor.proxy.places import get
from interceptor.proxy.request_texts import MediaPart
from interceptor.service import metrics

REMOVED_TEXT = "[an image was removed here by the content policy]"


class ReadParts(NamedTuple):
    """The image parts of a request and what was read from each, in request order."""

    parts: list[MediaPart]
    pictures: list[Picture]
    images: list[ImageText]

    def of_message(self, message: int) -> list[ImageText]:
        return [im for part, im in zip(self.parts, self.images, strict=True) if part.message == message]

    @property
    def messages(self) -> list[int]:
        """The messages that hold images, in order."""
        return sorted({p.message for p in self.parts if p.message is not None})


def image_parts(media: Sequence[MediaPart]) -> list[MediaPart]:
    """The media parts that are images of a message (the ones screening reads)."""
    return [m for m in media if m.message is not None and m.part.get("type") in IMAGE_PART_TYPES]


def refused(e: ImageError) -> ProxyError:
    """The OpenAI-shaped answer for an image that could not be screened, counted by code."""
    metrics.IMAGE_REFUSALS.labels(e.code).inc()
    if isinstance(e, OcrBusy):
        return ProxyError(503, e.code, str(e), kind="server_error", headers={"Retry-After": str(e.retry_after)})
    return ProxyError(e.status, e.code, str(e))


async def read_parts(pool: OcrPool, parts: list[MediaPart]) -> ReadParts:
    """Every image part loaded (limits before decoding) and read within the budget."""
    try:
        refs = []
        for i, part in enumerate(parts):
            try:
                ref = ref_of_part(part.part)
            except ImageError as e:
                raise e.at(i) from None
            assert ref is not None  # image_parts keeps image parts only
            refs.append(ref)
        pictures = await load(refs, pool.settings)
        readings = await pool.aread_all(pictures)
    except ImageError as e:
        raise refused(e) from None
    metrics.IMAGES.inc(len(pictures))
    images = [ImageText.of(i, p, r) for i, (p, r) in enumerate(zip(pictures, readings, strict=True))]
    return ReadParts(parts, pictures, images)


def remove(body: dict[str, Any], parts: Sequence[MediaPart], removed: Iterable[int]) -> None:
    """Replace each removed image part (by number) with a short text part, in place."""
    for i in removed:
        place = parts[i].place
        get(body, place[:-1])[place[-1]] = {"type": "text", "text": REMOVED_TEXT}
