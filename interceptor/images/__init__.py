"""Text in images goes through the same checks: decode with limits, read with OCR, screen.

    pool = start_pool(ImageSettings(enabled=True))          # at start-up: models loaded
    pictures = [inspect(data, s.max_bytes, s.max_pixels)]    # header only: limits, bombs
    readings = await pool.aread_all(pictures)                # off the event loop, budgeted
    images = [ImageText.of(i, p, r) for i, (p, r) in enumerate(zip(pictures, readings))]
    result = screen(guard, prompt, images)                   # one check, rules see both

The OCR backend comes with the ``ocr`` extra (``pip install 'interceptor[ocr]'``); without
it, ``start_pool`` with images enabled raises ``OcrUnavailable`` at start-up.
"""
from interceptor.images.backends import make_backend, start_pool
from interceptor.images.cache import ReadingCache
from interceptor.images.dataurl import decode_base64, is_data_url, parse_data_url
from interceptor.images.decode import Picture, inspect
from interceptor.images.errors import (
    BadImage,
    ImageError,
    ImageTooLarge,
    OcrBusy,
    OcrUnavailable,
    RemoteRefused,
    TooManyImages,
)
from interceptor.images.pool import OcrPool
from interceptor.images.reading import Box, OcrBackend, Reading, TextLine
from interceptor.images.screen import ImageHit, ImageText, ImageVerdict, screen
from interceptor.images.settings import ImageSettings

__all__ = [
    "BadImage",
    "Box",
    "ImageError",
    "ImageHit",
    "ImageSettings",
    "ImageText",
    "ImageTooLarge",
    "ImageVerdict",
    "OcrBackend",
    "OcrBusy",
    "OcrPool",
    "OcrUnavailable",
    "Picture",
    "Reading",
    "ReadingCache",
    "RemoteRefused",
    "TextLine",
    "TooManyImages",
    "decode_base64",
    "inspect",
    "is_data_url",
    "make_backend",
    "parse_data_url",
    "screen",
    "start_pool",
]
