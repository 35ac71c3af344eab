"""What the OCR tests need: the ``ocr`` extra, the fonts, and no network.

Without the extra (or the fonts) the tests skip, except under ``CI=true``, where they must
run and fail instead.
"""
from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from tests.image_set import FONT_PACKAGES, fonts_present


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(module: str, why: str) -> None:
    try:
        __import__(module)
    except ImportError:
        if in_ci():
            pytest.fail(f"{module} is not installed and CI=true ({why})")
        pytest.skip(f"{module} not installed ({why})")


def need_ocr() -> None:
    need("rapidocr", "pip install -e '.[ocr]'")
    need("onnxruntime", "pip install -e '.[ocr]'")
    if not fonts_present():
        if in_ci():
            pytest.fail(f"the test fonts are missing and CI=true (apt-get install {FONT_PACKAGES})")
        pytest.skip(f"fonts missing (apt-get install {FONT_PACKAGES})")


class Offline:
    """Every outgoing connection and name lookup in this process fails, and is counted."""

    def __init__(self) -> None:
        self.attempts: list[str] = []


@contextlib.contextmanager
def offline() -> Iterator[Offline]:
    state = Offline()

    def refuse(name: str) -> Any:
        def blocked(*args: object, **kw: object) -> Any:
            state.attempts.append(f"{name}{args[1:2]}")
            raise OSError(f"network blocked in this test ({name})")
        return blocked

    saved = (socket.socket.connect, socket.socket.connect_ex, socket.create_connection, socket.getaddrinfo)
    socket.socket.connect = refuse("connect")  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse("connect_ex")  # type: ignore[method-assign]
    socket.create_connection = refuse("create_connection")
    socket.getaddrinfo = refuse("getaddrinfo")
    try:
        yield state
    finally:
        socket.socket.connect, socket.socket.connect_ex, socket.create_connection, socket.getaddrinfo = saved  # type: ignore[method-assign]
