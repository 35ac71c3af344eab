"""Elongated pictures are cut into overlapping tiles that cover them, in bounded number."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from interceptor.images.reading import TextLine
from interceptor.images.tiles import MAX_TILE, MAX_TILES, MIN_TILE, Tile, read_tiled, tiles


@pytest.mark.parametrize(("height", "width"), [(1024, 1024), (2400, 1080), (3000, 1080), (40, 100)])
def test_ordinary_pictures_are_one_tile(height: int, width: int) -> None:
    assert tiles(height, width) == [Tile(0, 0, height, width)]


@pytest.mark.parametrize(("height", "width"), [(18_000, 1080), (8000, 1080), (40, 8000), (60, 30_000),
                                               (1, 19_000_000), (5000, 1200)])
def test_elongated_pictures_are_covered_by_overlapping_tiles(height: int, width: int) -> None:
    got = tiles(height, width)
    along = height > width
    spans = [(t.y0, t.y1) if along else (t.x0, t.x1) for t in got]
    assert 1 < len(got) <= MAX_TILES
    assert spans[0][0] == 0 and spans[-1][1] == max(height, width)  # the whole length
    for (a0, a1), (b0, b1) in itertools.pairwise(spans):
        assert b0 > a0 and a1 - b0 >= (a1 - a0) // 4 - 1  # each overlaps the next by a quarter
    for t in got:  # and the whole short side
        assert (t.x0, t.x1) == (0, width) if along else (t.y0, t.y1) == (0, height)
    if len(got) < MAX_TILES:
        assert all(min(MIN_TILE, max(height, width)) <= b - a <= MAX_TILE for a, b in spans)


@pytest.fixture(scope="module")
def ocr() -> object:
    from tests.ocr_env import need_ocr

    need_ocr()
    from interceptor.images.rapid import RapidOcr

    return RapidOcr()


def drawn(height: int, width: int, text: str, x: int, y: int) -> np.ndarray:
    from PIL import Image, ImageDraw, ImageFont

    from tests.image_set import NOTO_SANS

    img = Image.new("RGB", (width, height), "white")
    ImageDraw.Draw(img).text((x, y), text, font=ImageFont.truetype(str(NOTO_SANS), 28), fill="black")
    return np.asarray(img)


@pytest.mark.ocr
@pytest.mark.parametrize(("height", "width", "x", "y"), [(8000, 1080, 300, 7000), (18_000, 1080, 40, 9000),
                                                         (48, 8000, 6000, 4)])
def test_text_far_along_an_elongated_picture_is_read_where_it_is(ocr: object, height: int, width: int,
                                                                 x: int, y: int) -> None:
    lines = read_tiled(ocr, drawn(height, width, "冰毒出售加V", x, y))  # type: ignore[arg-type]
    found = [line for line in lines if "冰毒" in line.text]
    assert found, lines
    box = found[0].box
    assert abs(box.y0 - y) < 40 and abs(box.x0 - x) < 60


def test_no_legible_text_in_a_few_pixels() -> None:
    class Never:
        name = "never"

        def read(self, pixels: np.ndarray) -> list[TextLine]:
            raise AssertionError("a picture 4 pixels high is not read")

    assert read_tiled(Never(), np.zeros((4, 5000, 3), np.uint8)) == []
