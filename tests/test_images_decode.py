"""Decoding with limits: the header is checked before any pixel is decoded."""
from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from interceptor.images.decode import inspect
from interceptor.images.errors import BadImage, ImageTooLarge

MB = 5 << 20
MP = 20_000_000


def _encode(img: Image.Image, fmt: str, **kw: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG declaring a huge canvas with a few bytes of data: the classic bomb's header."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = chunk(b"IDAT", zlib.compress(b"\x00" * 64))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + idat + chunk(b"IEND", b"")


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF", "BMP"])
def test_allowed_formats_decode(fmt: str) -> None:
    img = Image.new("RGB", (40, 30), (200, 10, 10))
    pic = inspect(_encode(img, fmt), MB, MP)
    assert (pic.format, pic.width, pic.height) == (fmt.lower(), 40, 30)
    [pixels] = pic.pixels()
    assert pixels.shape == (30, 40, 3) and pixels.dtype == np.uint8
    assert len(pic.sha256) == 64 and pic.size == len(pic.data)


def test_other_formats_are_refused_even_when_pillow_reads_them() -> None:
    tiff = _encode(Image.new("RGB", (8, 8)), "TIFF")
    with pytest.raises(BadImage, match="allowed format"):
        inspect(tiff, MB, MP)
    png = _encode(Image.new("RGB", (8, 8)), "PNG")
    with pytest.raises(BadImage):
        inspect(png, MB, MP, formats=("jpeg",))
    with pytest.raises(BadImage):
        inspect(b"<svg xmlns='http://www.w3.org/2000/svg'/>", MB, MP)
    with pytest.raises(BadImage):
        inspect(b"", MB, MP)


def test_encoded_size_is_checked_before_decoding() -> None:
    data = _encode(Image.new("RGB", (64, 64)), "PNG")
    with pytest.raises(ImageTooLarge) as e:
        inspect(data, len(data) - 1, MP)
    assert e.value.status == 413
    assert inspect(data, len(data), MP).size == len(data)


def test_a_decompression_bomb_is_refused_from_its_header() -> None:
    # 25 MP of one colour: a few kilobytes encoded, 75 MB decoded
    bomb = _encode(Image.new("1", (5000, 5000)), "PNG")
    assert len(bomb) < 100_000
    with pytest.raises(ImageTooLarge, match="pixels"):
        inspect(bomb, MB, MP)
    # a header declaring 10 gigapixels over a few bytes: Pillow's own guard refuses it too
    with pytest.raises(ImageTooLarge):
        inspect(_png_header_only(100_000, 100_000), MB, MP)
    # just over the limit (Pillow warns below twice the limit): refused as well
    with pytest.raises(ImageTooLarge):
        inspect(_png_header_only(1100, 1000), MB, 1_000_000)


def test_truncated_data_fails_when_decoded_not_before() -> None:
    data = _encode(Image.effect_noise((200, 200), 60).convert("RGB"), "PNG")
    pic = inspect(data[: len(data) // 2], MB, MP)  # the header is intact
    with pytest.raises(BadImage, match="cannot be decoded"):
        pic.pixels()


def test_a_gif_is_read_from_its_first_frame() -> None:
    frames = [Image.new("RGB", (20, 20), c) for c in ((255, 0, 0), (0, 0, 255))]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100)
    [pixels] = inspect(buf.getvalue(), MB, MP).pixels()
    assert tuple(pixels[10, 10]) == (255, 0, 0)


def test_transparent_images_are_read_over_white_and_over_black() -> None:
    # white text on a transparent ground is invisible over white: it is read over black too
    img = Image.new("RGBA", (30, 10), (0, 0, 0, 0))
    img.putpixel((5, 5), (255, 255, 255, 255))
    over_white, over_black = inspect(_encode(img, "PNG"), MB, MP).pixels()
    assert tuple(over_white[5, 5]) == (255, 255, 255) and tuple(over_white[0, 0]) == (255, 255, 255)
    assert tuple(over_black[5, 5]) == (255, 255, 255) and tuple(over_black[0, 0]) == (0, 0, 0)
    opaque = Image.new("RGBA", (30, 10), (9, 9, 9, 255))
    assert len(inspect(_encode(opaque, "PNG"), MB, MP).pixels()) == 1


def test_exif_orientation_is_applied() -> None:
    img = Image.new("RGB", (40, 20), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees when shown
    [pixels] = inspect(_encode(img, "JPEG", exif=exif), MB, MP).pixels()
    assert pixels.shape[:2] == (40, 20)


def test_sixteen_bit_and_palette_images_convert() -> None:
    grey16 = Image.fromarray(np.full((8, 8), 40000, dtype=np.uint16))
    assert inspect(_encode(grey16, "PNG"), MB, MP).pixels()[0].shape == (8, 8, 3)
    pal = Image.new("P", (8, 8), 3)
    assert inspect(_encode(pal, "PNG"), MB, MP).pixels()[0].shape == (8, 8, 3)
