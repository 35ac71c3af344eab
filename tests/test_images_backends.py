"""Starting image screening: off by default, a clear start-up error without its extra."""
from __future__ import annotations

import sys

import pytest

from interceptor.errors import ConfigError
from interceptor.images import ImageSettings, OcrUnavailable, start_pool


def test_off_by_default_and_nothing_loaded() -> None:
    assert start_pool(ImageSettings()) is None


@pytest.mark.parametrize(("backend", "module", "advice"), [
    ("rapidocr", "rapidocr", "interceptor[ocr]"), ("tesseract", "tesserocr", "interceptor[tesseract]")])
def test_enabled_without_the_extra_fails_at_start_up(monkeypatch: pytest.MonkeyPatch, backend: str, module: str,
                                                    advice: str) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # as if not installed: importing it raises ImportError
    with pytest.raises(OcrUnavailable, match=advice.replace("[", r"\[").replace("]", r"\]")) as e:
        start_pool(ImageSettings(enabled=True, backend=backend))
    assert isinstance(e.value, ConfigError)


@pytest.mark.parametrize("bad", [{"backend": "gpt"}, {"formats": ("png", "tiff")}, {"max_bytes": 0},
                                 {"workers": 0}, {"budget_s": 0}, {"cache_bytes": -1}])
def test_bad_settings_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        ImageSettings(enabled=True, **bad).validated()  # type: ignore[arg-type]


def test_the_detector_sees_at_most_its_area() -> None:
    from interceptor.images.rapid import DET_PIXELS, det_side

    assert det_side(300, 200, DET_PIXELS) == 300  # small pictures as they are, never scaled up
    assert det_side(1024, 1024, DET_PIXELS) == 480
    side = det_side(2400, 1080, DET_PIXELS)
    assert side * side * 1080 / 2400 <= DET_PIXELS and side > 700  # the aspect kept (a square would be 480)
