"""Choosing and starting the OCR backend named in the settings."""
from __future__ import annotations

from collections.abc import Callable

from interceptor.images.decode import set_pixel_guard
from interceptor.images.pool import OcrPool
from interceptor.images.reading import OcrBackend
from interceptor.images.settings import ImageSettings


def make_backend(settings: ImageSettings) -> OcrBackend:
    """A new backend instance, its models loaded (raises OcrUnavailable without its extra)."""
    if settings.backend == "tesseract":
        from interceptor.images.tesseract import TesseractOcr

        return TesseractOcr()
    from interceptor.images.rapid import RapidOcr

    return RapidOcr(threads=settings.threads, det_pixels=settings.det_pixels)


def start_pool(settings: ImageSettings, on_read: Callable[[float], None] | None = None,
               on_cache: Callable[[bool], None] | None = None) -> OcrPool | None:
    """The OCR pool when image screening is enabled, every worker's models loaded; ``None``
    when it is off. Enabled without the extra, this raises ``OcrUnavailable`` — a start-up
    error, never a silent pass."""
    settings = settings.validated()
    if not settings.enabled:
        return None
    set_pixel_guard(settings.max_pixels)
    return OcrPool(lambda: make_backend(settings), settings, on_read=on_read, on_cache=on_cache)
