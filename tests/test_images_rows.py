"""Runs of blank rows are cut before detection; boxes come back in the picture's rows."""
from __future__ import annotations

import numpy as np
import pytest

from interceptor.images.rows import KEEP, kept_rows, original_row


def page(height: int = 400, width: int = 300) -> np.ndarray:
    px = np.full((height, width, 3), 240, np.uint8)
    px[50:70, 20:200] = 10  # a line of text
    px[300:320, 40:260] = 10  # another, far below
    return px


def test_blank_runs_keep_a_margin_around_the_content() -> None:
    rows = kept_rows(page())
    assert rows is not None
    kept = set(rows.tolist())
    assert set(range(50, 70)) <= kept and set(range(300, 320)) <= kept
    assert set(range(50 - KEEP, 70 + KEEP)) <= kept and 50 - KEEP - 1 not in kept and 200 not in kept
    assert original_row(rows, 0) == 50 - KEEP and original_row(rows, len(rows) + 5) == 319 + KEEP


@pytest.mark.parametrize("kind", ["photo", "blank", "dense"])
def test_nothing_is_cut_where_it_is_not_worth_it(kind: str) -> None:
    rng = np.random.default_rng(0)
    if kind == "photo":
        px = rng.integers(0, 256, (200, 200, 3), dtype=np.uint8)
    elif kind == "blank":
        px = np.full((200, 200, 3), 255, np.uint8)
    else:  # ink every 2 KEEP rows: the margins cover the gaps
        px = np.full((240, 200, 3), 255, np.uint8)
        px[::2 * KEEP, :100] = 0
    assert kept_rows(px) is None


def test_faint_noise_is_blank_and_faint_text_is_not() -> None:
    px = np.full((300, 100, 3), 200, np.uint8)
    px += np.random.default_rng(1).integers(0, 4, px.shape, dtype=np.uint8)  # JPEG-like grain
    px[100:110, 10:90] = 180  # low-contrast ink, still content
    rows = kept_rows(px)
    assert rows is not None and set(range(100, 110)) <= set(rows.tolist()) and 0 not in set(rows.tolist())


@pytest.mark.ocr
def test_text_below_a_blank_page_is_read_where_it_is() -> None:
    from PIL import Image, ImageDraw, ImageFont

    from interceptor.images.rapid import RapidOcr
    from tests.image_set import NOTO_SANS
    from tests.ocr_env import need_ocr

    need_ocr()
    img = Image.new("RGB", (600, 1400), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(NOTO_SANS), 28)
    draw.text((30, 40), "今天天气很好", font=font, fill="black")
    draw.text((200, 1200), "冰毒出售加V", font=font, fill="black")
    lines = RapidOcr().read(np.asarray(img))
    found = [line for line in lines if "冰毒" in line.text]
    assert found and abs(found[0].box.y0 - 1200) < 30 and abs(found[0].box.x0 - 200) < 30, lines
