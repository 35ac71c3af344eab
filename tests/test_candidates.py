"""The candidate screens drop only what the full check would drop.

``sound_may_hit`` and ``look_may_hit`` read a match off the dense literal view alone and
skip the full check when it cannot hit; an engine without them must answer the same.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interceptor import Interceptor
from interceptor.engine import channels, check, precision
from interceptor.normalize.lookalike import neighbours
from interceptor.normalize.tables import is_han, load

DEFAULT = Path(__file__).resolve().parent.parent / "lexicons" / "default"
T = load()
FILLER = "我们的经济发展是在中国人民生活里有一个大小时候说明天下午去公司上班吧了"


@cache
def _guard() -> Interceptor:
    return Interceptor.from_path(DEFAULT)


@cache
def _han_terms() -> list[str]:
    terms = [t.text for t in _guard().lexicon.terms if 2 <= len(t.text) <= 4 and all(map(is_han, t.text))]
    return sorted(terms)[::7]  # a spread of a few thousand


@cache
def _homophones() -> dict[str, list[str]]:
    by_sound: dict[str, list[str]] = {}
    for cp, readings in T.readings.items():
        if is_han(chr(cp)) and cp < 0xA000:
            by_sound.setdefault(readings[0], []).append(chr(cp))
    return {chr(cp): by_sound[r[0]][:12] for cp, r in T.readings.items() if r[0] in by_sound}


@st.composite
def written_around(draw: st.DrawFn) -> str:
    """Filler, then a term with up to two characters changed by sound or by shape, twice."""
    out = []
    for _ in range(2):
        out.append(draw(st.text(alphabet=FILLER, max_size=4)))
        term = list(draw(st.sampled_from(_han_terms())))
        for _ in range(draw(st.integers(0, 2))):
            k = draw(st.integers(0, len(term) - 1))
            alts = sorted(neighbours().get(term[k], ())) + _homophones().get(term[k], [])
            if alts:
                term[k] = draw(st.sampled_from(alts))
        out.append("".join(term))
    out.append(draw(st.text(alphabet=FILLER, max_size=4)))
    return "".join(out)


def _unscreened(text: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, int, str]]:
    with monkeypatch.context() as m:
        m.setattr(channels, "sound_may_hit", lambda *a: True)
        m.setattr(check, "look_may_hit", lambda *a: True)
        for ch in _guard().engine.channels:  # the extension's screens too (test_screens compares the two)
            if hasattr(ch, "_screens"):
                m.setattr(ch, "_screens", None)
        return [(h.term, h.start, h.end, h.variant) for h in _guard().engine.scan(text)]


@settings(max_examples=400, deadline=None)
@given(written_around())
def test_screens_change_no_answer(text: str) -> None:
    screened = [(h.term, h.start, h.end, h.variant) for h in _guard().engine.scan(text)]
    with pytest.MonkeyPatch.context() as mp:
        assert _unscreened(text, mp) == screened


def test_screens_drop_words_cut_in_two_and_keep_writings_around() -> None:
    # 经济|发展 reads like 击发; 威信 is a word; 薇信 is 微信 written around
    dmap = list(range(6))
    assert not precision.sound_may_hit("经济发展", 1, 3, "击发", dmap, T)
    assert not precision.sound_may_hit("威信", 0, 2, "微信", dmap, T)
    assert precision.sound_may_hit("加薇信", 1, 3, "微信", dmap, T)
    assert precision.look_may_hit("刁近平", 0, 3, "习近平", dmap, T)
    assert not precision.look_may_hit("神子", 0, 2, "柿子", dmap, T)
