"""Inline images: base64 and data URLs, sized before they are decoded."""
from __future__ import annotations

import base64

import pytest

from interceptor.images.dataurl import decode_base64, is_data_url, parse_data_url
from interceptor.images.errors import BadImage, ImageTooLarge

PAYLOAD = bytes(range(256)) * 4
B64 = base64.b64encode(PAYLOAD).decode()


def test_data_url_round_trip() -> None:
    got = parse_data_url(f"data:image/png;base64,{B64}", 10_000)
    assert got.media_type == "image/png" and got.data == PAYLOAD
    assert parse_data_url(f"DATA:Image/JPEG;charset=x;BASE64,{B64}", 10_000).media_type == "image/jpeg"
    assert is_data_url("Data:image/png;base64,") and not is_data_url("https://example.com/a.png")


def test_wrapped_base64_is_accepted() -> None:
    wrapped = "\n".join(B64[i:i + 76] for i in range(0, len(B64), 76))
    assert decode_base64(wrapped, 10_000) == PAYLOAD


@pytest.mark.parametrize("url", [
    f"data:text/plain;base64,{B64}",  # not an image
    "data:image/png,%89PNG",  # not base64
    "data:image/png;base64,not*base64!",
    "data:image/png;base64",  # no comma
    "image/png;base64,AAAA",
])
def test_bad_data_urls_are_refused(url: str) -> None:
    with pytest.raises(BadImage):
        parse_data_url(url, 10_000)


def test_size_is_checked_on_the_encoded_text() -> None:
    with pytest.raises(ImageTooLarge):
        decode_base64(B64, len(PAYLOAD) - 1)
    huge = "A" * (40 << 20)  # refused from its length, before decoding
    with pytest.raises(ImageTooLarge):
        decode_base64(huge, 5 << 20)
    assert len(decode_base64(B64, len(PAYLOAD))) == len(PAYLOAD)
