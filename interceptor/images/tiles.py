"""Elongated pictures read in overlapping tiles.

The detector sees a picture scaled to a bounded area, so a long scrolling screenshot (1080 x
18,000) shrinks until its text is a few pixels high and reads as noise, and a wide banner
(8,000 x 40) cannot be scaled at all (RapidOCR's resize fails) or costs seconds to recognise
as one line. Either way the text in it would go unread — an easy way around the checks. So a
picture longer than ``ELONGATED`` times its short side is cut along its long side into tiles
of about ``2 x short`` (at least ``MIN_TILE``, at most ``MAX_TILE``: RapidOCR scales anything
longer down to 2,000 pixels), each overlapping the next by a quarter of a tile, so a line of
text, or a term along a banner, lies whole in at least one tile. Each tile is read as a
picture of its own and its boxes are moved back into the picture's pixels. At most
``MAX_TILES`` tiles are read (longer tiles beyond that): a picture's cost stays bounded, and
the budget still answers 503 for one that takes too long, never a pass.

A picture whose short side is below ``MIN_SIDE`` pixels holds no legible text: nothing is read
from it.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from interceptor.images.reading import Box, OcrBackend, TextLine, merge_readings

ELONGATED = 3
MIN_TILE = 1024
MAX_TILE = 2000
MAX_TILES = 16
MIN_SIDE = 8


class Tile(NamedTuple):
    """Rows ``y0:y1`` and columns ``x0:x1`` of a picture."""

    y0: int
    x0: int
    y1: int
    x1: int


def tiles(height: int, width: int) -> list[Tile]:
    """The tiles that cover a ``height x width`` picture: the whole of it unless it is elongated."""
    short, long = min(height, width), max(height, width)
    size = min(max(2 * short, MIN_TILE), MAX_TILE)
    if long <= ELONGATED * short or long <= size:
        return [Tile(0, 0, height, width)]
    # n tiles of ``size`` with a quarter of overlap cover size + (n - 1) * 3/4 size
    size = max(size, math.ceil(long / (1 + (MAX_TILES - 1) * 0.75)))
    stride = size - size // 4
    starts = list(range(0, long - size, stride)) + [long - size]
    if height > width:
        return [Tile(s, 0, s + size, width) for s in starts]
    return [Tile(0, s, height, s + size) for s in starts]


def read_tiled(backend: OcrBackend, pixels: np.ndarray) -> list[TextLine]:
    """The lines of ``pixels`` read by ``backend``, tile by tile, boxes in the picture's pixels."""
    height, width = pixels.shape[:2]
    if min(height, width) < MIN_SIDE:
        return []
    parts = tiles(height, width)
    if len(parts) == 1:
        return backend.read(pixels)
    readings = []
    for t in parts:
        lines = backend.read(np.ascontiguousarray(pixels[t.y0:t.y1, t.x0:t.x1]))
        readings.append([TextLine(line.text, Box(line.box.x0 + t.x0, line.box.y0 + t.y0, line.box.x1 + t.x0,
                                                 line.box.y1 + t.y0), line.score) for line in lines])
    return merge_readings(readings)
