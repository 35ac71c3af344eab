"""Attacker-written text made safe and legible for a reviewer.

``segments`` cuts a text at every hit boundary, so each piece knows which hits cover it
(hits may overlap: a rule over two terms); ``visible`` escapes a piece and shows the
invisible characters a walk-around or a spoof relies on — bidirectional overrides and
isolates, zero-width joiners and spaces, other format and control characters — as
labelled marks (``U+202E``) instead of letting them act on the page.
"""
from __future__ import annotations

import functools
import re
import sys
import unicodedata
from typing import Any, NamedTuple

from markupsafe import Markup, escape

TIERS = ("block", "warn", "mask", "monitor")


class Piece(NamedTuple):
    """A run of the text and the indexes of the hits covering all of it (none: plain text)."""

    text: str
    hits: tuple[int, ...]


@functools.cache
def invisible() -> re.Pattern[str]:
    """Format (Cf) and control (Cc) characters but tab and newlines: the ones that steer or
    hide text rather than show it (tag characters included). Built from the running
    Python's Unicode data on first use."""
    ranges: list[str] = []
    start = prev = -2
    for cp in range(sys.maxunicode + 1):
        if unicodedata.category(chr(cp)) in ("Cf", "Cc") and chr(cp) not in "\t\n\r":
            if cp != prev + 1:
                if start >= 0:
                    ranges.append(f"\\U{start:08x}-\\U{prev:08x}")
                start = cp
            prev = cp
    ranges.append(f"\\U{start:08x}-\\U{prev:08x}")
    return re.compile(f"[{''.join(ranges)}]")


def visible(text: str) -> Markup:
    """The text escaped, each invisible character replaced by a mark naming it."""
    out: list[str] = []
    pos = 0
    for m in invisible().finditer(text):
        out.append(escape(text[pos:m.start()]))
        out.append(f'<span class="ctl">U+{ord(m.group()):04X}</span>')
        pos = m.end()
    out.append(escape(text[pos:]))
    return Markup("".join(out))


def _span(hit: dict[str, Any], length: int) -> tuple[int, int] | None:
    start, end = hit.get("start"), hit.get("end")
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    start, end = max(0, min(start, length)), max(0, min(end, length))
    return (start, end) if start < end else None


def segments(text: str, hits: list[dict[str, Any]]) -> list[Piece]:
    """The text in pieces at every hit boundary, in one sweep (linear in text and hits)."""
    spans = [_span(h, len(text)) for h in hits]
    events: dict[int, list[tuple[int, bool]]] = {}
    for i, span in enumerate(spans):
        if span is not None:
            events.setdefault(span[0], []).append((i, True))
            events.setdefault(span[1], []).append((i, False))
    pieces: list[Piece] = []
    active: dict[int, None] = {}  # insertion-ordered set
    pos = 0
    for at in sorted(events):
        if at > pos:
            pieces.append(Piece(text[pos:at], tuple(active)))
            pos = at
        for i, opens in events[at]:
            if opens:
                active[i] = None
            else:
                active.pop(i, None)
    if pos < len(text) or not pieces:
        pieces.append(Piece(text[pos:], ()))
    return pieces


def tier_class(tier: object) -> str:
    """A CSS class for a tier; anything unexpected gets a neutral one."""
    return f"tier-{tier}" if tier in TIERS else "tier-other"
