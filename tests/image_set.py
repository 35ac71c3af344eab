"""Deterministic pictures of text for the OCR tests and ``benchmarks/images.py``.

Every picture is drawn with Pillow from a seed: a text in a font (Noto Sans/Serif CJK from
the Debian package ``fonts-noto-cjk``, DejaVu from ``fonts-dejavu-core``) at a size, on a
background — plain, textured (noise, stripes, checks) or photo-like (gradients, soft blobs,
grain) — optionally rotated, with noise characters between the letters, or as a meme (a
picture with a caption in outlined white letters). The same arguments give the same bytes.
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

NOTO_SANS = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_SERIF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_PACKAGES = "fonts-noto-cjk fonts-dejavu-core"
BACKGROUNDS = ("plain", "textured", "photo")
NOISE = "*·.-_~|"


def fonts_present() -> bool:
    return NOTO_SANS.is_file() and DEJAVU.is_file()


def is_latin(text: str) -> bool:
    return all(ord(c) < 0x250 for c in text)


def font_paths(text: str) -> list[Path]:
    """The fonts that can draw ``text``: DejaVu has no Han glyphs."""
    found = [p for p in (NOTO_SANS, NOTO_SERIF) if p.is_file()]
    return found + [DEJAVU] if is_latin(text) else found


@cache
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)


@dataclass(frozen=True)
class Scene:
    """How to draw one text."""

    text: str
    font: Path = NOTO_SANS
    size: int = 32
    background: str = "plain"
    angle: float = 0.0
    noise: bool = False
    meme: bool = False
    seed: int = 0


def with_noise(text: str, rng: random.Random) -> str:
    """A noise character between letters (``冰*毒``, ``c-o-k-e``): a walk-around the engine undoes."""
    return rng.choice(NOISE).join(text) if len(text) > 1 else text


def _ground(kind: str, size: tuple[int, int], rng: np.random.Generator) -> Image.Image:
    w, h = size
    if kind == "plain":
        shade = int(rng.integers(225, 256))
        return Image.new("RGB", size, (shade, shade, int(rng.integers(215, 256))))
    if kind == "textured":
        base = rng.integers(170, 256, size=(h, w, 1)).repeat(3, axis=2).astype(np.float32)
        pattern = int(rng.integers(0, 3))
        ys, xs = np.mgrid[0:h, 0:w]
        if pattern == 0:  # stripes
            base *= (0.85 + 0.15 * (((xs + ys) // 6) % 2))[..., None]
        elif pattern == 1:  # checks
            base *= (0.85 + 0.15 * (((xs // 10) + (ys // 10)) % 2))[..., None]
        return Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
    # photo-like: a smooth gradient, soft blobs of colour, grain
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    c0, c1 = rng.integers(120, 256, size=3), rng.integers(120, 256, size=3)
    t = (xs / max(w, 1) * 0.6 + ys / max(h, 1) * 0.4)[..., None]
    img = c0 * (1 - t) + c1 * t
    for _ in range(4):
        cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.1, 0.4) * max(w, h)
        blob = np.exp(-((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * r * r))[..., None]
        img = img * (1 - 0.5 * blob) + rng.integers(90, 256, size=3) * 0.5 * blob
    img += rng.normal(0, 6, size=img.shape)
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))


def render(scene: Scene) -> Image.Image:
    rng = np.random.default_rng(scene.seed)
    text = with_noise(scene.text, random.Random(scene.seed)) if scene.noise else scene.text
    font = _font(scene.font, scene.size)
    left, top, right, bottom = font.getbbox(text)
    pad = max(12, scene.size // 2)
    if scene.meme:
        w, h = max(right - left + 2 * pad, 320), (bottom - top) + 2 * pad + 200
        img = _ground("photo", (w, h), rng)
        draw = ImageDraw.Draw(img)
        for _ in range(3):  # the picture: a few shapes
            x0, y0 = int(rng.integers(0, w - 40)), int(rng.integers(0, h - 120))
            draw.ellipse((x0, y0, x0 + int(rng.integers(30, 120)), y0 + int(rng.integers(30, 100))),
                         fill=tuple(int(v) for v in rng.integers(0, 200, size=3)))
        x, y = (w - (right - left)) // 2 - left, h - pad - (bottom - top) - top
        draw.text((x, y), text, font=font, fill="white", stroke_width=max(2, scene.size // 12), stroke_fill="black")
    else:
        w, h = right - left + 2 * pad, bottom - top + 2 * pad
        img = _ground(scene.background, (w, h), rng)
        ink = tuple(int(v) for v in rng.integers(0, 60, size=3))
        ImageDraw.Draw(img).text((pad - left, pad - top), text, font=font, fill=ink)
    if scene.angle:
        fill = tuple(int(v) for v in np.asarray(img)[0, 0])
        img = img.rotate(scene.angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill)
    return img


def encode(img: Image.Image, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


def png(text: str, size: int = 32, **kw: object) -> bytes:
    """A picture of ``text`` as PNG bytes (Noto Sans CJK, plain background by default)."""
    return encode(render(Scene(text=text, size=size, **kw)))  # type: ignore[arg-type]


def screenshot(lines: list[str], size: tuple[int, int] = (1024, 1024), font_px: int = 18, seed: int = 0) -> bytes:
    """A chat screenshot: bubbles of text on a light page, left and right, PNG."""
    rng = random.Random(seed)
    img = Image.new("RGB", size, (237, 237, 237))
    draw = ImageDraw.Draw(img)
    font = _font(NOTO_SANS, font_px)
    draw.rectangle((0, 0, size[0], 56), fill=(247, 247, 247))
    draw.text((size[0] // 2 - 40, 16), "聊天 Chat", font=font, fill=(20, 20, 20))
    y = 80
    for i, line in enumerate(lines):
        left, top, right, bottom = font.getbbox(line)
        bw, bh = right - left + 28, bottom - top + 22
        mine = rng.random() < 0.5
        x = size[0] - bw - 80 if mine else 80
        if y + bh > size[1] - 20:
            break
        draw.rounded_rectangle((x, y, x + bw, y + bh), 8, fill=(149, 236, 105) if mine else (255, 255, 255))
        draw.ellipse((20 if not mine else size[0] - 60, y, 60 if not mine else size[0] - 20, y + 40),
                     fill=(90 + 20 * (i % 5), 120, 160))
        draw.text((x + 14 - left, y + 11 - top), line, font=font, fill=(25, 25, 25))
        y += bh + 18
    return encode(img)
