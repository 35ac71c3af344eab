"""Split characters (拆字): one character of a term written as its two halves, ``弓虽`` for 强,
``木仓`` for 枪, ``纟充`` for 统.

``tables/splits.tsv`` (CJK Decomp's left–right and top–bottom splits, ``scripts/han_tables.py``)
gives each character's halves. A term of two characters or more that allows look-alikes gets
one pattern per splittable character, on the dense shape view with the look-alike patterns
(``patterns.compile_looks``), so the text is scanned no more often for it. A match is a split
writing only if the halves are written exactly and side by side, every other character is the
term's own, and the writing does not cut through ordinary words: neither end forms a word
with the character beside it (坚强女干部 holds 干部, not 强奸), nor is the whole an ordinary word.
"""
from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from interceptor.engine.gaps import MAX_GAP, gap

if TYPE_CHECKING:
    from interceptor.engine.check import Found, ScanContext
    from interceptor.engine.patterns import Ref
    from interceptor.normalize.views import PositionMap


@cache
def splits() -> dict[str, str]:
    """Character -> its two halves, folded as the literal view folds them."""
    text = resources.files("interceptor.normalize").joinpath("tables", "splits.tsv").read_text(encoding="utf8")
    return dict(ln.split("\t") for ln in text.splitlines() if ln and ln[0] != "#")


def check_split(ctx: ScanContext, ref: Ref, s: int, e: int, dmap: PositionMap, literal: str, found: Found) -> None:
    """Check a match ``[s, e)`` of the dense views against a split pattern of ``ref``'s term:
    its unit ``ref.unit`` split, or where that is ``WHOLE`` two or more units split, which the
    text says (弓虽女干, 禾日氵巷淫穴)."""
    ct = ctx.compiled.terms[ref.term]
    table = splits()
    written = literal[s:e]
    if ref.unit >= 0:  # most candidates are ordinary text of the same shape classes: one comparison
        k = ref.unit
        if not any(len(h) == 2 and written == ct.folded[:k] + h + ct.folded[k + 1:]
                   for h in (table.get(ct.folded[k], ""), table.get(ct.units[k], ""))):
            return
    elif len(written) == len(ct.units):  # a pattern of several split characters, written unsplit
        return
    spans: list[tuple[int, int]] = []
    split: list[int] = []  # the units written as their halves
    pos = s
    for j, u in enumerate(ct.units):
        halves = (table.get(ct.folded[j], ""), table.get(u, ""))
        # the unit ref.unit is split; with WHOLE, each unit is split where its halves are written
        # there rather than the character itself
        if j != ref.unit and (ref.unit >= 0 or (pos < e and literal[pos] == ct.folded[j])
                              or literal[pos:pos + 2] not in halves):
            if pos >= e or literal[pos] != ct.folded[j]:
                return
            spans.append((dmap[pos], dmap[pos] + 1))
            pos += 1
            continue
        split.append(j)
        a, b = dmap[pos], dmap[pos + 1]
        if b != a + 1 and not _noise_between(ctx, a + 1, b):
            return  # the halves apart: two characters, not one written in two
        spans.append((a, b + 1))
        pos += 2
    if pos != e or written in ctx.tables.words_zh or _halves_in_words(ctx, spans, split):
        return
    ctx.check_units(ref, spans, found)


def _noise_between(ctx: ScanContext, a: int, b: int) -> bool:
    """Is ``text[a:b]``, between two halves, written noise (扌*喿) — a few runs of symbols,
    not sentence punctuation, which parts two characters of their own?"""
    g = gap(ctx.text, a, b, ctx.tables)
    return 0 < g.runs <= MAX_GAP and (not g.natural or not ctx.text[a:b].strip(_MIDDLE_DOTS))


_MIDDLE_DOTS = "·‧・ "  # name separators, natural between words, never inside one character


def _halves_in_words(ctx: ScanContext, spans: list[tuple[int, int]], split: list[int]) -> bool:
    """Does a half at an end of the match make a dictionary word with the character beside
    it (坚强女干|部: 干部)? The term's other characters beside their neighbours are the term's
    context, as an exact match's are."""
    text, t = ctx.text, ctx.tables
    a, b = spans[0][0], spans[-1][1]
    if 0 in split and a > 0 and t.is_word2(t.fold_char(text[a - 1]), t.fold_char(text[a])):
        return True
    return (len(spans) - 1 in split and b < len(text)
            and t.is_word2(t.fold_char(text[b - 1]), t.fold_char(text[b])))
