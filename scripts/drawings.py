"""Cyrillic letters drawn with ASCII characters, for the drawings view (``normalize.drawings``).

A writer hiding a Russian word draws some of its letters with the ASCII characters whose
strokes make the letter's shape: ``|<`` for к (a stem and two arms), ``}|{`` for ж, ``bI``
for ы, ``JI`` for л, ``III`` for ш, and a digit or symbol of the same outline for a round
letter (``0`` о, ``3`` з, ``6`` б, ``4`` ч, ``@`` а). The table is the letters' outlines
below, each stroke class expanded to the characters that draw it (a writer keeps one
character for the stems of one letter: ``|-|``, ``I-I``, not ``|-I``).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

# The characters that draw a vertical stem (``V`` in an outline).
STEMS = ("|", "I", "l", "1")  # not "!": "!!!" after a word is emphasis
# Each letter's outlines: V a stem, the other characters as written.
OUTLINES: dict[str, tuple[str, ...]] = {
    "а": ("@",),
    "б": ("6",),
    "в": ("8",),
    "м": ("V\\/V",),
    "ж": ("}V{", ">V<", "]V["),
    "з": ("3",),
    "и": ("V/V", "V\\V"),
    "к": ("V<", "V{"),
    "л": ("JV", "/\\"),
    "н": ("V-V",),
    "о": ("0",),
    "р": ("V>", "V*"),
    "т": ("7",),
    "ф": ("<V>",),
    "ч": ("4",),
    "ш": ("VVV", "LLI"),
    "ы": ("bV", "ЬV", "ьV"),
    "ю": ("V-0", "V-O"),
    "я": ("9V",),
    "х": ("><", "}{"),
}


def drawings() -> dict[str, str]:
    """Every drawing and the letter it draws, a stem class expanded to each of its characters."""
    out: dict[str, str] = {}
    for letter, outlines in OUTLINES.items():
        for outline in outlines:
            for stem in STEMS if "V" in outline else ("",):
                out.setdefault(outline.replace("V", stem), letter)
    return out


def write_drawings(tables: Path, header: Callable[[list[str]], str]) -> None:
    """``drawings_ru.tsv``: drawing, tab, letter; the longest drawings first."""
    table = drawings()
    rows = [f"{d}\t{c}" for d, c in sorted(table.items(), key=lambda kv: (-len(kv[0]), kv[0]))]
    src = ["the outlines of Cyrillic letters in ASCII strokes (scripts/drawings.py OUTLINES)"]
    (tables / "drawings_ru.tsv").write_text(header(src) + "\n".join(rows) + "\n", encoding="utf8")
