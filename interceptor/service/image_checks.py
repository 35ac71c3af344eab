"""Images on the service's routes: found in a request, read within their limits, answered.

A ``/v1/moderate`` body carries images in ``images`` (``{"data": base64}`` or ``{"url":
"data:..."}``) and as OpenAI content parts in ``messages``; they are numbered in that order
(``images`` first, then each message's image parts), and that number is the ``image`` of a
hit's ``source`` and of the answer's ``images`` and ``removed_images``. Every image of the
request is read and checked with ``text`` as one message: the picture is what the request
is about, wherever the client put it, and a repeated one is answered from the cache.

Refusals keep the service serving: a bad or oversized image is the client's (413/422,
before anything is decoded), a reader that cannot finish in time is ours (503 with
``Retry-After``, never a pass). A request with images to a service that does not read them
is refused (422 ``images_disabled``), not passed with its pictures unread.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from interceptor.images.decode import Picture
from interceptor.images.errors import ImageError, OcrBusy
from interceptor.images.record import audit_images
from interceptor.images.request import ImageRef, load
from interceptor.images.screen import ImageText, ImageVerdict
from interceptor.service import metrics
from interceptor.service.errors import ApiError
from interceptor.service.models import ModerateRequest
from interceptor.service.runtime import Runtime
from interceptor.service.verdicts import Subject, chat
from interceptor.types import Action


def image_refs(req: ModerateRequest) -> list[ImageRef]:
    """The request's images in their numbering order: ``images``, then the messages' parts."""
    refs = [ImageRef(data=i.data, url=i.url) for i in req.images or ()]
    for m in req.messages or ():
        if not isinstance(m.content, str):
            refs.extend(ImageRef(url=p.url) for p in m.content if p.is_image)
    return refs


def refused(e: ImageError) -> ApiError:
    """The answer for an image that could not be screened, counted by its code."""
    metrics.IMAGE_REFUSALS.labels(e.code).inc()
    headers = {"Retry-After": str(e.retry_after)} if isinstance(e, OcrBusy) else None
    return ApiError(e.status, e.code, str(e), headers=headers)


def disabled() -> ApiError:
    metrics.IMAGE_REFUSALS.labels("images_disabled").inc()
    return ApiError(422, "images_disabled", "this service does not read images: enable [images] "
                                            "(pip install 'interceptor[ocr]'), or send text only")


async def read_images(rt: Runtime, refs: Sequence[ImageRef]) -> tuple[list[Picture], list[ImageText]]:
    """Every image loaded (limits checked before decoding) and read in the OCR pool, off the
    event loop, within the per-image budget."""
    pool = rt.images
    if pool is None:
        raise disabled()
    try:
        pictures = await load(refs, pool.settings)
        readings = await pool.aread_all(pictures)
    except ImageError as e:
        raise refused(e) from None
    metrics.IMAGES.inc(len(pictures))
    return pictures, [ImageText.of(i, p, r) for i, (p, r) in enumerate(zip(pictures, readings, strict=True))]


def image_subject(rt: Runtime, req: ModerateRequest, result: ImageVerdict, pictures: Sequence[Picture]) -> Subject:
    """What the record of a request with images keeps: each image's hash, size, text and
    boxes, and on a block (unless ``[audit] keep_images = false``) the image itself; the
    messages with each image part replaced by its number."""
    keep = result.action is Action.BLOCK and rt.settings.audit_keep_images
    return Subject(req.text, req.direction, req.conversation_id, req.user_id, req.service_id,
                   chat(req.messages, first_image=len(req.images or ())),
                   images=tuple(audit_images(result, pictures, keep)))


def image_answer(result: ImageVerdict) -> dict[str, Any]:
    """What an answer says of the images beside the verdict: each one, and those a mask removed."""
    d = result.to_dict()
    return {"images": d["images"], "removed_images": d["removed_images"]}


def listed(record: dict[str, Any]) -> dict[str, Any]:
    """A record as a page of ``/v1/logs`` shows it: a kept image's bytes left out (``"data_kept":
    true`` instead) — a page of a hundred blocks would otherwise carry a hundred pictures.
    ``/v1/logs/{id}`` and the export give the record whole."""
    images = record.get("images")
    if images:
        record["images"] = [{**{k: v for k, v in im.items() if k != "data"}, "data_kept": True} if "data" in im
                            else im for im in images]
    return record
