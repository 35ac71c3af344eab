"""What the audit log keeps of a request's images.

For each image: its SHA-256, size, dimensions and format, the lines read with their boxes,
whether a mask removed it, and — for a ``block`` record, unless ``[audit] keep_images =
false`` — the image itself (base64), so an auditor sees what the user sent. It lives in the
record's body, which the hash chain covers and retention purges with the record: nothing of
an image is kept anywhere else. Records without images are unchanged, so older logs verify
as they did.
"""
from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from interceptor.images.decode import Picture
from interceptor.images.screen import ImageVerdict


def audit_images(result: ImageVerdict, pictures: Sequence[Picture], keep_data: bool) -> list[dict[str, Any]]:
    """The ``images`` entry of a record's body (``keep_data``: the bytes too)."""
    removed = set(result.removed)
    out = []
    for im, pic in zip(result.images, pictures, strict=True):
        entry = {**im.to_dict(lines=True), "removed": im.index in removed}
        if keep_data:
            entry["data"] = base64.b64encode(pic.data).decode()
        out.append(entry)
    return out
