"""Why an image was refused, and what the service answers for it.

Each error names its HTTP status and a stable code, chosen here and only here, so the
service and the proxy answer the same way: a client's bad or oversized image is its own
fault (413/422, the service keeps serving); a busy or slow reader is ours (503 with
``Retry-After``, never a pass).
"""
from __future__ import annotations

from interceptor.errors import ConfigError, InterceptorError


class ImageError(InterceptorError):
    """An image could not be screened; ``status`` and ``code`` say how to answer."""

    status = 422
    code = "bad_image"

    def __init__(self, message: str, index: int | None = None):
        self.index = index
        super().__init__(message if index is None else f"image {index}: {message}")

    def at(self, index: int) -> ImageError:
        """The same error, naming the image of the request it came from."""
        return type(self)(str(self), index) if self.index is None else self


class BadImage(ImageError):
    """Not a picture we decode: bad base64, bad data URL, unknown or disallowed format, truncated."""


class ImageTooLarge(ImageError):
    """Over the encoded size or the pixel count; a decompression bomb is refused as this."""

    status = 413
    code = "image_too_large"


class TooManyImages(ImageError):
    status = 413
    code = "too_many_images"


class RemoteRefused(ImageError):
    """A remote image URL that may not be fetched (not listed, or not a public address)."""

    code = "image_url_refused"


class OcrBusy(ImageError):
    """The reader could not finish in time (queue full or over the time budget): retry later."""

    status = 503
    code = "ocr_busy"

    def __init__(self, message: str, index: int | None = None, retry_after: int = 1):
        self.retry_after = retry_after
        super().__init__(message, index)

    def at(self, index: int) -> ImageError:
        return OcrBusy(str(self), index, self.retry_after) if self.index is None else self


class OcrUnavailable(ConfigError):
    """Image screening is enabled but its OCR backend cannot be loaded: a start-up error."""
