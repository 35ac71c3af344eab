"""Marking hits in attacker-written text, and showing its invisible characters."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from interceptor.service.console.highlight import segments, visible
from interceptor.service.console.render import marked


def test_overlapping_hits_cut_the_text_at_every_boundary() -> None:
    pieces = segments("加我薇❤聊abc", [{"start": 2, "end": 4}, {"start": 1, "end": 3}])
    assert [(p.text, sorted(p.hits)) for p in pieces] == [
        ("加", []), ("我", [1]), ("薇", [0, 1]), ("❤", [0]), ("聊abc", [])]


def test_bad_spans_are_ignored() -> None:
    hits = [{"start": 5, "end": 2}, {"start": "0", "end": 1}, {"start": -3, "end": 99}, {}]
    assert [(p.text, p.hits) for p in segments("abc", hits)] == [("abc", (2,))]


@given(st.text(max_size=40), st.lists(st.tuples(st.integers(-5, 45), st.integers(-5, 45)), max_size=8))
def test_pieces_rebuild_the_text_and_know_their_hits(text: str, spans: list[tuple[int, int]]) -> None:
    hits = [{"start": a, "end": b} for a, b in spans]
    pieces = segments(text, hits)
    assert "".join(p.text for p in pieces) == text
    pos = 0
    for p in pieces:
        for i, h in enumerate(hits):
            covers = max(0, h["start"]) <= pos and pos + len(p.text) <= min(len(text), h["end"])
            assert (i in p.hits) == (covers and len(p.text) > 0), (text, hits, p, pos)
        pos += len(p.text)


def test_invisible_characters_become_marks_and_everything_is_escaped() -> None:
    shown = str(visible('<b onclick="x">\u202egnp.exe\u200b&\U000e0041'))
    assert shown == ('&lt;b onclick=&#34;x&#34;&gt;<span class="ctl">U+202E</span>gnp.exe'
                     '<span class="ctl">U+200B</span>&amp;<span class="ctl">U+E0041</span>')
    assert str(visible("line\nnext\ttab")) == "line\nnext\ttab"


def test_marked_escapes_inside_and_outside_the_hits() -> None:
    out = str(marked("<i>傻逼</i>", [{"start": 3, "end": 5, "tier": "mask"}]))
    assert out == '&lt;i&gt;<mark class="hit tier-mask" data-hits="1">傻逼</mark>&lt;/i&gt;'
    evil = str(marked("ab", [{"start": 0, "end": 2, "tier": '"><script>'}, {"start": 1, "end": 2, "tier": "block"}]))
    assert "<script>" not in evil and 'class="hit tier-other numbered"' in evil and "tier-block" in evil
