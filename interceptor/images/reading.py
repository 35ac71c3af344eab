"""What an OCR backend reads from a picture: lines of text with their boxes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

import numpy as np


class Box(NamedTuple):
    """An axis-aligned box in the image's pixels, ``[x0, y0, x1, y1]`` (x1, y1 exclusive)."""

    x0: int
    y0: int
    x1: int
    y1: int

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))

    @classmethod
    def around(cls, points: Any) -> Box:
        """The box around a polygon's points ``[[x, y], ...]``."""
        xs = [float(p[0]) for p in points]
        ys = [float(p[1]) for p in points]
        return cls(int(min(xs)), int(min(ys)), int(max(xs) + 0.999), int(max(ys) + 0.999))


class TextLine(NamedTuple):
    text: str
    box: Box
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "box": list(self.box), "score": round(self.score, 4)}


@dataclass(frozen=True)
class Reading:
    """The text of one picture, in reading order: what the cache keeps per SHA-256."""

    lines: tuple[TextLine, ...]
    backend: str
    seconds: float  # what reading it cost, decoding included

    @property
    def text(self) -> str:
        """The lines joined by line breaks: a term wrapped over two lines is still one term."""
        return "\n".join(line.text for line in self.lines)

    def weight(self) -> int:
        """An estimate of the bytes this reading holds, for the cache's bound."""
        return 256 + sum(160 + 4 * len(line.text) for line in self.lines)


class OcrBackend(Protocol):
    """One OCR engine instance, used by one thread at a time; models loaded when made."""

    name: str

    def read(self, pixels: np.ndarray) -> list[TextLine]:
        """The lines of text in an RGB array (H, W, 3), in reading order."""
        ...


def merge_readings(readings: list[list[TextLine]]) -> list[TextLine]:
    """Lines read from several renderings of one picture (over white and over black), each
    text once; the same place read differently keeps both readings, since either may hold
    a term."""
    seen: set[str] = set()
    out: list[TextLine] = []
    for lines in readings:
        for line in lines:
            if line.text not in seen:
                seen.add(line.text)
                out.append(line)
    return out
