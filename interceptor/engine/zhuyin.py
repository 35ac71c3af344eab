"""Zhuyin (bopomofo) written for Han characters, alone or among them (``ㄅㄧㄥ ㄉㄨˊ``, ``麻醉ㄑㄧㄤ``).

Like pinyin among Han (``pinyin_in_han``), the text is rewritten where it holds zhuyin: each
run of zhuyin letters in the dense view (tone marks are noise there, so syllables run
together) is split into the fewest syllables of ``tables/zhuyin.tsv`` (pypinyin's spelling
of every toneless syllable), each written as its syllable code, and that stretch of the dense
view, with the Han characters around it, is scanned by the sound automaton again. A letter
that starts no syllable is kept as it is. Texts without zhuyin pay one bit test (``Kind.ZHUYIN``).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources

from interceptor.engine.pinyin_in_han import REACH, Rewrite
from interceptor.normalize.tables import ZHUYIN_LETTERS, Tables
from interceptor.normalize.views import PositionMap

RUN = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in ZHUYIN_LETTERS) + "]+")
LONGEST = 4  # zhuyin letters in the longest syllable
_RAW = 1 << 10  # cost of a letter that starts no syllable, against one per syllable


@cache
def syllables() -> dict[str, str]:
    """Zhuyin spelling -> toneless pinyin syllable."""
    text = resources.files("interceptor.normalize").joinpath("tables", "zhuyin.tsv").read_text(encoding="utf8")
    return dict(ln.split("\t") for ln in text.splitlines() if ln and ln[0] != "#")


def parse(run: str, table: dict[str, str], breaks: frozenset[int] = frozenset()) -> list[tuple[int, int, str]]:
    """``run`` as (start, end, syllable) pieces, fewest syllables first; '' for a letter that
    starts none. No syllable spans a position of ``breaks`` (where the text put a space or a
    tone mark: ``ㄗˋㄨㄟˋ`` is zi wei, not zui). Linear: each position looks at most LONGEST
    letters ahead."""
    n = len(run)
    cost = [0] + [1 << 30] * n
    back: list[tuple[int, str]] = [(0, "")] * (n + 1)
    for i in range(n):
        if cost[i] + _RAW < cost[i + 1]:
            cost[i + 1], back[i + 1] = cost[i] + _RAW, (i, "")
        for j in range(i + 1, min(n, i + LONGEST) + 1):
            if j - 1 > i and j - 1 in breaks:
                break  # a syllable ends where the text broke it
            syl = table.get(run[i:j])
            if syl is not None and cost[i] + 1 < cost[j]:
                cost[j], back[j] = cost[i] + 1, (i, syl)
    out: list[tuple[int, int, str]] = []
    j = n
    while j > 0:
        i, syl = back[j]
        out.append((i, j, syl))
        j = i
    return out[::-1]


def rewrites(dense: str, tables: Tables, dmap: PositionMap | None = None) -> Iterator[Rewrite]:
    """Every run of zhuyin in the dense view, written as syllable codes, with up to REACH
    characters of the dense view on either side; with the dense view's map, the characters
    the view dropped inside a run (spaces, tone marks) end syllables."""
    table = syllables()
    codes = tables.syllable_code
    for m in RUN.finditer(dense):
        a, b = m.span()
        breaks = frozenset() if dmap is None else frozenset(
            i - a for i in range(a + 1, b) if dmap[i] != dmap[i - 1] + 1)
        lo, hi = max(0, a - REACH), min(len(dense), b + REACH)
        chars: list[str] = list(dense[lo:a])
        sources: list[tuple[int, int]] = [(k, k + 1) for k in range(lo, a)]
        written: set[int] = set()
        for i, j, syl in parse(dense[a:b], table, breaks):
            code = codes.get(syl) if syl else None
            if code is None:
                chars.append(dense[a + i])
                sources.append((a + i, a + i + 1))
                continue
            written.add(len(chars))
            chars.append(code)
            sources.append((a + i, a + j))
        if not written:
            continue
        chars.extend(dense[b:hi])
        sources.extend((k, k + 1) for k in range(b, hi))
        yield Rewrite("".join(chars), tuple(sources), frozenset(written))
