"""Which layer acted, and the chat client's retry arithmetic."""
from __future__ import annotations

import email.utils
import time

import pytest

from interceptor.assess.chat import Retry, retry_after
from interceptor.assess.layer import Layer, decide, worst


@pytest.mark.parametrize(("inp", "out", "refused", "layer"), [
    ("block", None, True, Layer.PROMPT_BLOCKED),
    ("mask", "block", True, Layer.ANSWER_BLOCKED),
    ("mask", "pass", True, Layer.MODEL_REFUSED),
    (None, None, True, Layer.MODEL_REFUSED),
    ("pass", "mask", False, Layer.ANSWER_MASKED),
    ("mask", "warn", False, Layer.PROMPT_MASKED),
    ("warn", "pass", False, Layer.WARNED),
    ("pass", "pass", False, Layer.NONE),
    (None, None, False, Layer.NONE),
])
def test_the_first_layer_that_decided(inp: str | None, out: str | None, refused: bool, layer: Layer) -> None:
    assert decide(inp, out, refused) is layer


def test_worst() -> None:
    assert worst(None, "mask", "warn", "pass") == "warn"
    assert worst(None, "nonsense") is None


def test_retry_after_and_backoff() -> None:
    assert retry_after("3") == 3.0
    assert retry_after(None) is None and retry_after("soon") is None
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 < (retry_after(later) or 0) <= 30
    r = Retry(base=1.0, cap=8.0, max_wait=5.0)
    assert r.delay(0, 120.0) == 5.0 and r.delay(0, 2.0) == 2.0
    for attempt, top in ((0, 1.0), (1, 2.0), (2, 4.0), (6, 8.0)):
        d = r.delay(attempt, None)
        assert top / 2 <= d <= top
