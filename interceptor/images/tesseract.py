"""The Tesseract backend (``tesserocr``, with ``chi_sim`` and ``eng`` traineddata from the
Debian packages ``tesseract-ocr-chi-sim`` and ``tesseract-ocr-eng``): a second, selectable
reader. The API object holds the loaded models for the worker's lifetime."""
from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

from interceptor.images.errors import OcrUnavailable
from interceptor.images.reading import Box, TextLine

EXTRA = "pip install 'interceptor[tesseract]' and apt-get install tesseract-ocr-chi-sim"
TESSDATA = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata")
LANGS = "chi_sim+eng"
_HAN_GAP = re.compile(r"(?<=[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]) +(?=[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef])")


def tessdata() -> str:
    for d in (os.environ.get("TESSDATA_PREFIX", ""), *TESSDATA):
        if d and all((Path(d) / f"{lang}.traineddata").is_file() for lang in LANGS.split("+")):
            return d
    raise OcrUnavailable(f"tesseract traineddata for {LANGS} not found in {TESSDATA} ({EXTRA})")


class TesseractOcr:
    """One Tesseract API (page segmentation: one block of lines, which reads short
    captions that automatic segmentation breaks into fragments)."""

    name = "tesseract"

    def __init__(self) -> None:
        try:
            import tesserocr
        except ImportError as e:
            raise OcrUnavailable(f"the tesseract backend needs tesserocr ({EXTRA}): {e}") from None
        self._tess = tesserocr
        try:
            self._api = tesserocr.PyTessBaseAPI(path=tessdata(), lang=LANGS, psm=tesserocr.PSM.SINGLE_BLOCK)
        except RuntimeError as e:
            raise OcrUnavailable(f"tesseract cannot load {LANGS}: {e}") from None

    def read(self, pixels: np.ndarray) -> list[TextLine]:
        from PIL import Image

        api, tess = self._api, self._tess
        api.SetImage(Image.fromarray(pixels))
        api.Recognize()
        out: list[TextLine] = []
        it = api.GetIterator()
        level = tess.RIL.TEXTLINE
        for r in tess.iterate_level(it, level):
            try:
                text = r.GetUTF8Text(level)
            except RuntimeError:  # tesserocr's word for a line with no text in it
                continue
            if not text or not text.strip():
                continue
            box = r.BoundingBox(level)
            if box is None:
                continue
            x0, y0, x1, y1 = box
            out.append(TextLine(_HAN_GAP.sub("", text.strip()), Box(x0, y0, x1, y1), r.Confidence(level) / 100.0))
        api.Clear()
        return out
