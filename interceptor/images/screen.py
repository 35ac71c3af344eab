"""A prompt and the text read from its images, checked together by the same engine.

The prompt and each image's text (its lines joined by line breaks, so a term wrapped over
two lines is still found) are checked in one call, each scanned on its own: every channel
of the engine runs on the images' text, and a contextual rule in message scope sees the
prompt and the images together — ``哪里能买`` typed and the object shown in a picture fire
the rule as if both were typed.

Each hit is then put back where it was found: a hit in the prompt keeps its offsets into
the prompt; a hit in an image becomes an ``ImageHit``, its offsets into that image's text
and ``source: {"image": i, "box": [x0, y0, x1, y1]}`` (the box around the lines it lies
on). A rule that spans the prompt and an image is reported in each, clipped to its part.

Tiers: ``block`` refuses the request; ``mask`` stars the prompt's characters and, since an
image cannot be starred, removes the image (``removed``); ``warn`` warns.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from interceptor.engine import Interceptor
from interceptor.images.decode import Picture
from interceptor.images.reading import Box, Reading, TextLine
from interceptor.policy import decide, mask
from interceptor.types import DIRECTIONS, Action, Hit, Tier, Verdict

NO_BOX = Box(0, 0, 0, 0)
SEPARATOR = "\n\n"
"""Between the prompt and an image, and between images, in the text the rules see; each
piece is scanned on its own (``Interceptor.findings``'s cuts), so no term is made of the
prompt's end and a picture's start: what belongs together across them is the rules' job."""


@dataclass(frozen=True, slots=True)
class ImageHit(Hit):
    """A hit in the text read from image ``image``: ``start``/``end``/``matched`` refer to
    that image's text (``ImageText.text``), ``box`` to its pixels."""

    image: int = 0
    box: Box = NO_BOX

    def to_dict(self) -> dict[str, Any]:
        d = Hit.to_dict(self)
        d["source"] = {"image": self.image, "box": list(self.box)}
        return d


@dataclass(frozen=True)
class ImageText:
    """One image of a request and what was read from it."""

    index: int
    sha256: str
    size: int
    width: int
    height: int
    format: str
    lines: tuple[TextLine, ...]

    @classmethod
    def of(cls, index: int, picture: Picture, reading: Reading) -> ImageText:
        return cls(index, picture.sha256, picture.size, picture.width, picture.height, picture.format, reading.lines)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def to_dict(self, lines: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {"index": self.index, "sha256": self.sha256, "bytes": self.size, "width": self.width,
                             "height": self.height, "format": self.format}
        if lines:
            d["lines"] = [line.to_dict() for line in self.lines]
        return d


@dataclass(frozen=True)
class ImageVerdict:
    """The verdict of a prompt with images: ``verdict.action`` over every hit, prompt and
    images; ``verdict.text`` the prompt masked; ``removed`` the images a mask took out."""

    verdict: Verdict
    images: tuple[ImageText, ...]
    removed: tuple[int, ...]

    @property
    def action(self) -> Action:
        return self.verdict.action

    def to_dict(self, lines: bool = False) -> dict[str, Any]:
        d = self.verdict.to_dict()
        gone = set(self.removed)
        d["images"] = [{**im.to_dict(lines), "removed": im.index in gone} for im in self.images]
        d["removed_images"] = list(self.removed)
        return d


def screen(guard: Interceptor, text: str, images: Sequence[ImageText], direction: str = "input",
           messages: Sequence[str] | None = None) -> ImageVerdict:
    """Check ``text`` and the text read from ``images`` together (see the module's docstring)."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    parts, spans, pos = [text], [], len(text)
    for im in images:
        body = im.text
        pos += len(SEPARATOR)
        spans.append((pos, pos + len(body)))
        parts += [SEPARATOR, body]
        pos += len(body)
    combined = "".join(parts)
    cuts = [c for a, b in spans for c in (a - len(SEPARATOR), a)]
    found = guard.findings(combined, messages, cuts)
    in_text: list[Hit] = []
    in_images: list[ImageHit] = []
    for h in found.hits:
        if h.start < len(text):
            end = min(h.end, len(text))
            in_text.append(h if h.end == end else replace(h, end=end, matched=text[h.start:end]))
        for im, (a, b) in zip(images, spans, strict=True):
            s, e = max(h.start, a), min(h.end, b)
            if s < e:
                in_images.append(_image_hit(h, im, s - a, e - a))
    hits = [*in_text, *sorted(in_images, key=lambda h: (h.image, h.start, h.end, h.term))]
    action = decide(hits)
    removed = () if action is Action.BLOCK else tuple(sorted({h.image for h in in_images if h.tier is Tier.MASK}))
    v = Verdict(action=action, text=None if action is Action.BLOCK else mask(text, in_text), hits=tuple(hits),
                lexicon_version=found.lexicon_version, direction=direction)
    return ImageVerdict(v, tuple(images), removed)


_HIT_FIELDS = tuple(f.name for f in fields(Hit))


def _image_hit(h: Hit, im: ImageText, start: int, end: int) -> ImageHit:
    box: Box | None = None
    pos = 0
    for line in im.lines:
        if pos < end and start < pos + len(line.text):
            box = line.box if box is None else box.union(line.box)
        pos += len(line.text) + 1
    kept = {name: getattr(h, name) for name in _HIT_FIELDS}
    kept.update(start=start, end=end, matched=im.text[start:end])
    return ImageHit(**kept, image=im.index, box=box or Box(0, 0, im.width, im.height))
