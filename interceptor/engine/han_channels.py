"""Channels for Chinese written in other notations: pinyin with tone digits, zhuyin, filler
strokes between characters (``channels`` describes the shape every channel has).

Each looks at the views first with one C-level test (a regex or ``str.translate``) and does
nothing more for a text that holds none of its notation, which nearly every text does not.
"""
from __future__ import annotations

import re

from interceptor.engine import zhuyin
from interceptor.engine.automaton import Matcher
from interceptor.engine.channels import PinyinInHanChannel
from interceptor.engine.check import Found, ScanContext
from interceptor.engine.patterns import Compiled, Form
from interceptor.engine.pinyin_in_han import Rewrite
from interceptor.engine.tones import strip_tone_digits, term_readings, tones_agree
from interceptor.normalize.tables import Tables
from interceptor.normalize.views import TextViews

Match = tuple[int, int, int]
_TONE_HINT = re.compile(r"[a-z][1-5](?![0-9])")
_PINYIN_FORMS = (Form.PY_FULL, Form.PY_SPACED)


class ToneDigitChannel:
    """Pinyin with tone digits (``bing1 du2``): the word view with the digits after pinyin
    letters taken out, matched by the word automaton; the tones must agree with the term's."""

    __slots__ = ("_automaton", "_compiled", "_spaced")

    def __init__(self, automaton: Matcher, compiled: Compiled, tables: Tables):
        self._automaton = automaton
        self._compiled = compiled
        self._spaced = tables.spaced

    def find(self, views: TextViews) -> list[tuple[str, list[int], list[Match]]]:
        if not views.has_latin() or _TONE_HINT.search(views.view) is None:
            return []
        got = strip_tone_digits(views.view)
        if got is None:
            return []
        bare, kept = got
        found = self._automaton.find(bare)
        return [(bare, kept, found)] if found else []

    def check(self, found: list[tuple[str, list[int], list[Match]]], views: TextViews, ctx: ScanContext,
              hits: Found) -> None:
        vmap = views.view_map()
        view = views.view
        spaced = self._spaced
        for bare, kept, matches in found:
            for s, e, pid in matches:
                if (s > 0 and spaced[ord(bare[s - 1])]) or (e < len(bare) and spaced[ord(bare[e])]):
                    continue  # not whole words
                a, b = kept[s], kept[e - 1] + 1
                if b < len(view) and view[b] in "12345":
                    b += 1  # the last syllable's tone
                if kept[e - 1] - a == e - 1 - s and b == kept[e - 1] + 1:
                    continue  # no digit taken out: the word channel has it
                start, end = vmap[a], vmap[b - 1] + 1
                written = ctx.text[start:end]
                for ref in self._compiled.word_refs[pid]:
                    if ref.form not in _PINYIN_FORMS:
                        continue
                    ct = self._compiled.terms[ref.term]
                    if tones_agree(written, ct.units, term_readings(ct, ctx.tables)):
                        ctx.pinyin_hit(ref.term, start, end, hits)



class ZhuyinChannel:
    """Zhuyin alone or among Han characters (``ㄅㄧㄥ ㄉㄨˊ``, ``麻醉ㄑㄧㄤ``): the dense view
    with each zhuyin run written as syllable codes (``zhuyin``), checked as pinyin among Han
    is (the syllables are the units the text wrote in another notation)."""

    __slots__ = ("_automaton", "_checker", "_tables")

    def __init__(self, automaton: Matcher, compiled: Compiled, tables: Tables):
        self._automaton = automaton
        self._tables = tables
        self._checker = PinyinInHanChannel(automaton, compiled, tables)

    def find(self, views: TextViews) -> list[tuple[Rewrite, list[Match]]]:
        if views.ascii or zhuyin.RUN.search(views.dense) is None:
            return []
        return [(rw, found) for rw in zhuyin.rewrites(views.dense, self._tables)
                if (found := self._automaton.find(rw.text))]

    def check(self, found: list[tuple[Rewrite, list[Match]]], views: TextViews, ctx: ScanContext,
              hits: Found) -> None:
        self._checker.check(found, views, ctx, hits)
