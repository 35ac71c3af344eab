"""From bytes to pixels, with every limit checked before the expensive step.

``inspect`` runs on the request path and costs only the header: the encoded size is checked
before Pillow sees a byte, the format is one of the allowed plugins (Pillow is never asked to
guess among all it knows), and the pixel count comes from the header — a decompression bomb,
a few kilobytes declaring a gigapixel canvas, is refused before anything is decoded.
``Picture.pixels`` does the decoding; the pool runs it in a worker under the time budget.

Pillow's own guard (``Image.MAX_IMAGE_PIXELS``) is set to the same limit as a second line:
its ``DecompressionBombError`` (and the warning it gives below twice the limit, an error under
strict warning filters) are refused the same way.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from interceptor.images.errors import BadImage, ImageTooLarge
from interceptor.images.settings import FORMATS

_PLUGIN = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP", "gif": "GIF", "bmp": "BMP"}
_BOMB = (Image.DecompressionBombError, Image.DecompressionBombWarning)


@dataclass(frozen=True)
class Picture:
    """One submitted image, inspected but not decoded."""

    data: bytes
    sha256: str
    format: str
    width: int
    height: int

    @property
    def size(self) -> int:
        return len(self.data)

    def pixels(self) -> list[np.ndarray]:
        """The first frame as RGB arrays (H, W, 3) to read: one, or two for an image with
        transparency — composited over white and over black, since a viewer may show it on
        either, and light text on a transparent ground is invisible on white."""
        try:
            with Image.open(io.BytesIO(self.data), formats=[_PLUGIN[self.format]]) as im:
                im.seek(0)
                im.load()
                frame = ImageOps.exif_transpose(im) if self.format in ("jpeg", "webp") else im.copy()
        except _BOMB as e:
            raise ImageTooLarge(f"decompression bomb refused: {e}") from None
        except (OSError, ValueError, SyntaxError, EOFError) as e:
            raise BadImage(f"the {self.format} data cannot be decoded: {e}") from None
        try:
            return _grounds(frame)
        except (OSError, ValueError) as e:
            raise BadImage(f"the {self.format} pixels cannot be converted: {e}") from None


def _grounds(frame: Image.Image) -> list[np.ndarray]:
    if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        alpha = rgba.getchannel("A")
        if alpha.getextrema()[0] < 255:  # type: ignore[operator]
            out = []
            for ground in ((255, 255, 255), (0, 0, 0)):
                canvas = Image.new("RGB", rgba.size, ground)
                canvas.paste(rgba, mask=alpha)
                out.append(np.asarray(canvas))
            return out
        frame = rgba
    return [np.asarray(frame.convert("RGB"))]

def set_pixel_guard(max_pixels: int) -> None:
    """Make Pillow's own decompression-bomb check match our limit (process-wide)."""
    Image.MAX_IMAGE_PIXELS = max_pixels


def inspect(data: bytes, max_bytes: int, max_pixels: int, formats: tuple[str, ...] = FORMATS) -> Picture:
    """Check an encoded image against the limits from its header alone."""
    if len(data) > max_bytes:
        raise ImageTooLarge(f"{len(data)} bytes; the limit is {max_bytes}")
    if not data:
        raise BadImage("empty image")
    if max_pixels != Image.MAX_IMAGE_PIXELS:
        set_pixel_guard(max_pixels)
    plugins = [_PLUGIN[f] for f in formats]
    try:
        with Image.open(io.BytesIO(data), formats=plugins) as im:
            fmt = (im.format or "").lower()
            width, height = im.size
    except _BOMB as e:
        raise ImageTooLarge(f"decompression bomb refused: {e}") from None
    except UnidentifiedImageError:
        raise BadImage(f"not an image in an allowed format ({', '.join(formats)})") from None
    except (OSError, ValueError, SyntaxError, EOFError) as e:
        raise BadImage(f"unreadable image header: {e}") from None
    if fmt not in formats:
        raise BadImage(f"format {fmt or 'unknown'} is not allowed ({', '.join(formats)})")
    if width < 1 or height < 1:
        raise BadImage(f"image has no pixels ({width}x{height})")
    if width * height > max_pixels:
        raise ImageTooLarge(f"{width}x{height} = {width * height} pixels; the limit is {max_pixels}")
    return Picture(data=data, sha256=hashlib.sha256(data).hexdigest(), format=fmt, width=width, height=height)
