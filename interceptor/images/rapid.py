"""The RapidOCR backend: PP-OCR detection and recognition models run by onnxruntime.

The models come inside the ``rapidocr`` wheel (``rapidocr/models``): their paths are given
explicitly, so RapidOCR never takes its download branch; a missing file is a start-up
error, not a download. They are loaded and run once on a blank image when the backend is
made, so no request pays for loading or for onnxruntime's first-run allocations.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from interceptor.images.errors import OcrUnavailable
from interceptor.images.reading import Box, TextLine
from interceptor.images.rows import kept_rows, original_row

EXTRA = "pip install 'interceptor[ocr]'"
DET_PIXELS = 480 * 480
"""The most pixels the text detector sees: its cost grows with the area, so a large picture is
scaled down to this area (its aspect kept) — a square screenshot to 480x480, a phone screen
to about 320x715. The detector only has to find where the lines are: recognition reads each
line from the picture itself (up to 2000 px a side), not from the scaled copy. Measured on
1024x1024 pictures (benchmarks/RESULTS.md), 480x480 reads chat screenshots and 14-24 px text
on photo-like grounds as 736x736 did, at about 55% of the cost; 14 px text on a striped or
checked ground loses a little (0.92 of its characters read, 0.94 before); smaller areas lose
much more there (0.68 at 384x384), the stripes aliasing into the text."""
MODELS = {"Det": "PP-OCRv6_det_small.onnx", "Rec": "PP-OCRv6_rec_small.onnx",
          "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx"}


def models_dir() -> Path:
    """Where the installed wheel keeps its models (raises OcrUnavailable without the extra)."""
    try:
        import rapidocr
    except ImportError as e:
        raise OcrUnavailable(f"image screening needs the OCR extra ({EXTRA}): {e}") from None
    return Path(rapidocr.__file__).resolve().parent / "models"


class RapidOcr:
    """One RapidOCR instance (not shared between threads: the pool gives each worker its own)."""

    name = "rapidocr"

    def __init__(self, threads: int = 1, det_pixels: int = DET_PIXELS):
        root = models_dir()
        missing = [f for f in MODELS.values() if not (root / f).is_file()]
        if missing:
            raise OcrUnavailable(f"the rapidocr wheel lacks its models {missing} in {root}; "
                                 f"reinstall it ({EXTRA}) — models are never downloaded at run time")
        try:
            from rapidocr import RapidOCR
        except ImportError as e:
            raise OcrUnavailable(f"image screening needs the OCR extra ({EXTRA}): {e}") from None
        params: dict[str, Any] = {
            "Global.log_level": "warning",
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            "Det.limit_type": "max",  # scaled down, never up; the side is set per picture in read()
            "Det.limit_side_len": 960,
            # a line is recognised at its own width: short lines are not padded to 320 pixels
            "Rec.rec_img_shape": [3, 48, 48],
            # one line per run: a batch is padded to its widest line, and on one core batching
            # saves nothing (measured: a 1024x1024 chat screenshot 10% cheaper than batches of 6)
            "Rec.rec_batch_num": 1,
        }
        for task, file in MODELS.items():
            params[f"{task}.model_path"] = str(root / file)
        self._det_pixels = det_pixels
        try:
            self._engine = RapidOCR(params=params)
            self.read(_warm_up_image())  # text, so detection, direction and recognition all load now
        except (OSError, ValueError, RuntimeError) as e:
            raise OcrUnavailable(f"the rapidocr models cannot be loaded: {e}") from None

    def read(self, pixels: np.ndarray) -> list[TextLine]:
        """The lines of ``pixels``. The detector works at the whole picture's scale
        (``det_side``) on the picture without its runs of blank rows (``rows``): a
        screenshot's empty page costs nothing, and the boxes are mapped back."""
        height, width = pixels.shape[:2]
        side = det_side(height, width, self._det_pixels)
        rows = kept_rows(pixels)
        if rows is not None:
            pixels = np.ascontiguousarray(pixels[rows])
            side = max(32, round(side * max(len(rows), width) / max(height, width)))
        detector = getattr(self._engine, "text_det", None)
        if detector is not None:
            detector.limit_side_len = side
        out: Any = self._engine(pixels)  # a RapidOCROutput, with det, cls and rec all on
        texts, boxes, scores = out.txts, out.boxes, out.scores
        if not texts or boxes is None or scores is None:
            return []
        lines = [TextLine(str(t), Box.around(b), float(s)) for t, b, s in zip(texts, boxes, scores, strict=True)
                 if str(t).strip()]
        if rows is None:
            return lines
        return [line._replace(box=line.box._replace(y0=original_row(rows, line.box.y0),
                                                    y1=original_row(rows, line.box.y1 - 1) + 1)) for line in lines]


def det_side(height: int, width: int, det_pixels: int) -> int:
    """The longest side that brings ``height x width`` to at most ``det_pixels``."""
    longest = max(height, width)
    if height * width <= det_pixels:
        return longest
    return max(32, int(longest * math.sqrt(det_pixels / (height * width))))


def _warm_up_image() -> np.ndarray:
    from PIL import Image, ImageDraw, ImageFont

    im = Image.new("RGB", (320, 64), "white")
    ImageDraw.Draw(im).text((8, 12), "warm up 123", fill="black", font=ImageFont.load_default(32))
    return np.asarray(im)
