"""Form bodies (``application/x-www-form-urlencoded``) read without another dependency.

The service's body limit has already bounded the size; a field given twice keeps its
first value, and too many fields or a body that is not UTF-8 is a 400.
"""
from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request

from interceptor.service.errors import ApiError

MAX_FIELDS = 32


async def read_form(request: Request) -> dict[str, str]:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/x-www-form-urlencoded":
        raise ApiError(415, "unsupported_media_type", "forms must be sent as application/x-www-form-urlencoded")
    try:
        pairs = parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True,
                          max_num_fields=MAX_FIELDS, strict_parsing=False, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "invalid_form", "the form is not valid UTF-8 or has too many fields") from None
    out: dict[str, str] = {}
    for key, value in pairs:
        out.setdefault(key, value)
    if any("\x00" in v for v in out.values()):
        raise ApiError(400, "invalid_form", "NUL characters are not allowed")
    return out
