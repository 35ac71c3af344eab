"""Look-alike Han characters (形近字), measured from rendered glyphs and four-corner codes.

Two measures, both from data:

* **Glyphs.** Each of the most frequent Han characters is rendered from Noto Sans CJK
  (Debian ``fonts-noto-cjk``, SIL Open Font License). Two glyphs are compared by the mean
  of (a) the share of each one's ink that lies within a pixel of the other's ink and (b) the
  cosine similarity of their blurred, downsampled images. Neighbours scoring 0.85 or more
  are look-alikes if they also share a half — left, right, top or bottom overlapping to
  0.95 or more — as confusable characters do (孤/弧 keep 瓜); two glyphs that differ in
  every part merely have a similar outline (神/柿): 千/干, 未/末, 己/已, 天/夭, 间/问, 徙/徒.
* **Four-corner codes** (``char-similar``'s data, MIT). Characters of the same structure
  whose stroke counts differ by at most one and whose four-corner codes agree — or differ
  in one corner while the glyphs are close — are look-alikes too; this catches pairs
  differ by one small stroke and so move on the page: 刁/习, 人/八, 石/右.

Each character keeps its ``CAP`` closest look-alikes by glyph score (and the characters that
keep it), so that a term gets a bounded number of extra patterns. Used by
``generate_tables.py``; needs Pillow, NumPy and char-similar.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FONT_INDEX = 2  # the Simplified Chinese face in the collection
SIZE = 48  # render size in pixels
GRID = 20  # blurred images are compared at GRID x GRID
N_CHARS = 6000  # how many of the most frequent characters take part
GLYPH_TOP, GLYPH_MIN = 5, 0.85
CORNER_SAME_MIN, CORNER_NEAR_MIN = 0.25, 0.60
CAP = 4
HALF_MIN = 0.95  # a glyph-measured pair must share a half this closely (shared_part)
SMALL_STROKES = 5  # four-corner pairs of larger characters must share a half too


def frequent_chars(n: int) -> list[str]:
    import jieba

    freq: Counter[str] = Counter()
    for line in (Path(jieba.__file__).parent / "dict.txt").read_text(encoding="utf8").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            for c in parts[0]:
                if "\u4e00" <= c <= "\u9fff":
                    freq[c] += int(parts[1])
    return [c for c, _ in freq.most_common(n)]


def render(chars: list[str]):  # type: ignore[no-untyped-def]
    """Each character's glyph: its ink, its ink grown by a pixel, and its blurred image."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font = ImageFont.truetype(str(FONT), SIZE, index=FONT_INDEX)
    glyphs = []
    for c in chars:
        img = Image.new("L", (SIZE + 4, SIZE + 4), 0)
        ImageDraw.Draw(img).text((2, 2 - SIZE // 8), c, fill=255, font=font)
        glyphs.append(img)
    ink = np.stack([np.asarray(g) > 100 for g in glyphs])
    near = np.stack([np.asarray(g.filter(ImageFilter.MaxFilter(3))) > 100 for g in glyphs])
    blur = np.stack([np.asarray(g.filter(ImageFilter.GaussianBlur(2)).resize((GRID, GRID), Image.BILINEAR),
                                dtype=np.float32).ravel() for g in glyphs])
    return ink, near, blur


def glyph_scores(ink, near, blur):  # type: ignore[no-untyped-def]
    """Whole-glyph similarity of every pair: mean of ink overlap and blurred cosine."""
    import numpy as np

    n = len(ink)
    flat_ink = ink.reshape(n, -1).astype(np.float32)
    inter = flat_ink @ near.reshape(n, -1).astype(np.float32).T  # ink of i lying near ink of j
    amount = flat_ink.sum(1)
    overlap = (inter + inter.T) / (amount[:, None] + amount[None, :])
    blur = blur - blur.mean(1, keepdims=True)
    blur /= np.linalg.norm(blur, axis=1, keepdims=True) + 1e-6
    score = (overlap + blur @ blur.T) / 2
    np.fill_diagonal(score, 0.0)
    return score


def shared_part(ink, near, i: int, j: int) -> float:  # type: ignore[no-untyped-def]
    """How nearly two glyphs share a half (left, right, top or bottom): the best ink overlap
    of corresponding halves. Characters a reader confuses differ in one part and keep the
    other (孤/弧, 未/末, 白/自); two that differ everywhere merely have a similar outline (神/柿)."""
    import numpy as np

    half = ink.shape[1] // 2
    best = 0.0
    for part in (np.s_[:, :half], np.s_[:, half:], np.s_[:half, :], np.s_[half:, :]):
        a, b = ink[i][part], ink[j][part]
        na, nb = int(a.sum()), int(b.sum())
        if na == 0 or nb == 0:
            continue
        both = int((a & near[j][part]).sum()) + int((b & near[i][part]).sum())
        best = max(best, both / (na + nb))
    return best


def _corner_data() -> tuple[dict[str, str], dict[str, int], dict[str, str]]:
    from importlib.util import find_spec

    spec = find_spec("char_similar")  # located, not imported: its __init__ pulls in a process pool
    assert spec is not None and spec.submodule_search_locations, "pip install char-similar"
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    load = lambda name: json.loads((data / name).read_text(encoding="utf8"))  # noqa: E731
    return load("char_fourangle.dict"), load("char_number.dict"), load("char_struct.dict")


def lookalike_table(chars: list[str]) -> dict[str, list[tuple[str, float]]]:
    import numpy as np

    ink, near, blur = render(chars)
    score = glyph_scores(ink, near, blur)
    pairs: set[tuple[int, int]] = set()
    for i in range(len(chars)):
        for j in np.argsort(-score[i])[:GLYPH_TOP]:
            if score[i, j] >= GLYPH_MIN and shared_part(ink, near, i, int(j)) >= HALF_MIN:
                pairs.add((min(i, int(j)), max(i, int(j))))
    corner, strokes, struct = _corner_data()
    by_code: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(chars):
        if c in corner:
            by_code[corner[c][:4]].append(i)
    for i, c in enumerate(chars):
        code = corner.get(c, "")[:4]
        if len(code) != 4 or c not in strokes:
            continue
        near_codes = {code[:k] + d + code[k + 1:] for k in range(4) for d in "0123456789"}
        for nc in near_codes:
            for j in by_code.get(nc, ()):
                cj = chars[j]
                if j <= i or abs(strokes.get(cj, 99) - strokes[c]) > 1 or struct.get(cj) != struct.get(c):
                    continue
                if score[i, j] < (CORNER_SAME_MIN if nc == code else CORNER_NEAR_MIN):
                    continue
                # a small character moves on the page when one stroke changes (人/八, 刁/习);
                # a larger one that a reader confuses still shares a part with its look-alike
                if strokes[c] > SMALL_STROKES and shared_part(ink, near, i, j) < HALF_MIN:
                    continue
                pairs.add((i, j))
    neighbours: dict[int, set[int]] = defaultdict(set)
    for i, j in pairs:
        neighbours[i].add(j)
        neighbours[j].add(i)
    kept: dict[int, set[int]] = defaultdict(set)
    for i, js in neighbours.items():
        for j in sorted(js, key=lambda j: -score[i, j])[:CAP]:
            kept[i].add(j)  # a look-alike either way round is one both ways round:
            kept[j].add(i)  # 白 is among 自's closest even where 自 is not among 白's
    return {chars[i]: [(chars[j], float(score[i, j])) for j in sorted(js, key=lambda j: -score[i, j])]
            for i, js in kept.items()}


def write_lookalike(tables: Path, header: Callable[[Iterable[str]], str]) -> None:
    from importlib import metadata

    table = lookalike_table(frequent_chars(N_CHARS))
    rows = [f"{c}\t{''.join(a for a, _ in alts)}\t{' '.join(f'{s:.2f}' for _, s in alts)}"
            for c, alts in sorted(table.items())]
    src = [f"glyphs of {FONT.name} (Debian fonts-noto-cjk, SIL OFL) at {SIZE}px: ink overlap and "
           f"blurred cosine; top {GLYPH_TOP} neighbours scoring >= {GLYPH_MIN} that share a half "
           f"(ink overlap >= {HALF_MIN})",
           f"char-similar {metadata.version('char-similar')} (MIT) four-corner codes, stroke counts, structures",
           f"the {N_CHARS} most frequent Han characters of jieba's dictionary; at most {CAP} per character",
           "columns: character, its look-alikes (closest first), their glyph scores"]
    (tables / "lookalike.tsv").write_text(header(src) + "\n".join(rows) + "\n", encoding="utf8")


if __name__ == "__main__":
    import sys

    t = lookalike_table(frequent_chars(N_CHARS))
    for c in "".join(sys.argv[1:]) or "习未己王千人主石末干外见天间买徙斤描烧刺挡锋乌折冶":
        print(c, "".join(a for a, _ in t.get(c, [])))
