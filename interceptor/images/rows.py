"""Blank rows taken out before text detection.

A chat screenshot is about 40% empty rows — the page between bubbles, margins — and the
detector's cost is its input's area. Rows of one colour (every pixel within ``TOLERANCE``
levels of the others, in every channel) hold no text, so runs of them are cut down to
``KEEP`` rows on each side of the content, which the detector needs as background; the kept
rows are listed so boxes map back to the picture. The scale the detector works at is the
whole picture's, so a screenshot costs less and reads the same. Text of so little contrast
that a row of it is within the tolerance is not legible to a person either.

Nothing is cut from a picture that is not at least ``WORTH`` blank (a photo, a texture).
"""
from __future__ import annotations

import numpy as np

TOLERANCE = 6
KEEP = 8
WORTH = 0.15


def kept_rows(pixels: np.ndarray) -> np.ndarray | None:
    """The rows of ``pixels`` (H, W, 3) to keep, ascending; ``None`` to keep them all."""
    height = pixels.shape[0]
    spread = (pixels.max(axis=1).astype(np.int16) - pixels.min(axis=1)).max(axis=1)
    content = spread > TOLERANCE
    if content.all() or not content.any():
        return None
    # a row is kept within KEEP rows of a content row: a running count over a window of 2 KEEP + 1
    counts = np.concatenate(([0], np.cumsum(content)))
    lo = np.clip(np.arange(height) - KEEP, 0, height)
    hi = np.clip(np.arange(height) + KEEP + 1, 0, height)
    keep = (counts[hi] - counts[lo]) > 0
    if keep.mean() > 1 - WORTH:
        return None
    return np.flatnonzero(keep)


def original_row(rows: np.ndarray, y: int) -> int:
    """A row of the compacted picture (clamped to it) as a row of the picture."""
    return int(rows[min(max(y, 0), len(rows) - 1)])
