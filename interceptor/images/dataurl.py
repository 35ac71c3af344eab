"""Image references as clients send them: raw base64, or a ``data:`` URL.

The size is checked on the encoded text before decoding it (base64 is 4 characters for 3
bytes), so an oversized image costs no decoding. Only ``data:image/...;base64,`` URLs are
accepted inline; any other ``data:`` URL is refused, and ``http(s)`` URLs go to ``remote``.
"""
from __future__ import annotations

import base64
import binascii
import re
from typing import NamedTuple

from interceptor.images.errors import BadImage, ImageTooLarge

_SPACE = re.compile(r"\s+")
_DATA_URL = re.compile(r"data:(?P<type>[^;,]*)(?P<params>(?:;[^;,]*)*),", re.IGNORECASE)


class DataUrl(NamedTuple):
    media_type: str
    data: bytes


def decode_base64(text: str, max_bytes: int) -> bytes:
    """Strict base64 (line breaks allowed, as some clients wrap it), at most ``max_bytes``."""
    if len(text) > 4 * (max_bytes // 3 + 1) + len(text) // 60 + 64:  # the limit plus line breaks
        raise ImageTooLarge(f"about {len(text) * 3 // 4} bytes of base64; the limit is {max_bytes}")
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        try:  # line breaks are rare: stripped only when the text does not decode as it is
            data = base64.b64decode(_SPACE.sub("", text), validate=True)
        except (binascii.Error, ValueError):
            raise BadImage("image data is not valid base64") from None
    if len(data) > max_bytes:
        raise ImageTooLarge(f"{len(data)} bytes; the limit is {max_bytes}")
    return data


def is_data_url(url: str) -> bool:
    return url[:5].lower() == "data:"


def parse_data_url(url: str, max_bytes: int) -> DataUrl:
    """``data:image/png;base64,...`` -> its media type and bytes."""
    m = _DATA_URL.match(url)
    if m is None:
        raise BadImage("malformed data URL")
    media_type = m.group("type").strip().lower()
    params = [p.strip().lower() for p in m.group("params").split(";") if p.strip()]
    if not media_type.startswith("image/"):
        raise BadImage(f"a data URL must hold an image, not {media_type or 'text/plain'}")
    if "base64" not in params:
        raise BadImage("an image data URL must be base64-encoded (;base64,)")
    return DataUrl(media_type, decode_base64(url[m.end():], max_bytes))
