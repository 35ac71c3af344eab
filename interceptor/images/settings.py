"""What image screening may cost: one frozen value, validated once at start-up."""
from __future__ import annotations

from dataclasses import dataclass

from interceptor.errors import ConfigError

FORMATS = ("png", "jpeg", "webp", "gif", "bmp")
"""Formats decoded (Pillow's plugins of these names only): the ones chat clients send.
A GIF or an animated PNG/WebP is read from its first frame, which is what a preview shows."""

BACKENDS = ("rapidocr", "tesseract")


@dataclass(frozen=True)
class ImageSettings:
    enabled: bool = False
    backend: str = "rapidocr"
    max_bytes: int = 5 << 20            # encoded size of one image
    max_pixels: int = 20_000_000        # width x height, read from the header before decoding
    max_images: int = 8                 # per request (all messages together)
    max_total_bytes: int = 16 << 20     # encoded size of all images of one request together
    formats: tuple[str, ...] = FORMATS
    budget_s: float = 10.0              # per image, from submission to its text: over it, 503
    workers: int = 1                    # OCR threads, each with its own models
    queue: int = 16                     # images submitted and not finished before 503
    threads: int = 1                    # onnxruntime threads per worker
    det_pixels: int = 480 * 480         # the text detector sees large pictures scaled to this area
    cache_bytes: int = 32 << 20         # texts read, keyed by the image's SHA-256
    allowed_hosts: tuple[str, ...] = () # remote http(s) images fetched only from these hosts
    fetch_timeout_s: float = 5.0

    def validated(self) -> ImageSettings:
        if self.backend not in BACKENDS:
            raise ConfigError(f"images backend must be one of {BACKENDS}, not {self.backend!r}")
        unknown = set(self.formats) - set(FORMATS)
        if unknown:
            raise ConfigError(f"image formats {sorted(unknown)} are not supported; choose from {FORMATS}")
        for name in ("max_bytes", "max_pixels", "max_images", "max_total_bytes", "workers", "queue", "threads",
                     "det_pixels"):
            if getattr(self, name) < 1:
                raise ConfigError(f"images {name} must be at least 1")
        if self.budget_s <= 0 or self.fetch_timeout_s <= 0:
            raise ConfigError("images budget_s and fetch_timeout_s must be positive")
        if self.cache_bytes < 0:
            raise ConfigError("images cache_bytes must not be negative")
        return self

    @property
    def body_room(self) -> int:
        """Bytes a request body may need for its images, as base64: what the service adds
        to ``[limits] max_body_bytes`` while images are screened."""
        return 4 * (self.max_total_bytes // 3 + 1) if self.enabled else 0
