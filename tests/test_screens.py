"""The C screens (``engine/_check.c``, ``engine/screens.py``) answer as the Python ones.

An engine built without the extension screens each match in Python (``precision``,
``check``), which is the definition; the same lexicon built with it must find the same hits,
in the same order, with the same techniques, on every kind of text: natural text in every
language, text dense with the lexicon's terms, terms written around by sound and by shape,
and the adversarial families.
"""
from __future__ import annotations

import random
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interceptor import Interceptor
from interceptor.engine import Engine, core, screens
from interceptor.lexicon.parse import load_lexicon
from tests.adversarial import families, hit_dense, natural
from tests.test_candidates import written_around

ROOT = Path(__file__).resolve().parent.parent
LEXICONS = {"default": ROOT / "lexicons" / "default", "cases": ROOT / "tests" / "cases" / "lexicon"}

pytestmark = pytest.mark.skipif(screens.Screens is None, reason="the _check extension was not built")


@cache
def _engines(name: str) -> tuple[Engine, Engine]:
    lexicon = load_lexicon(LEXICONS[name])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(core, "make_screens", lambda tables: None)
        mp.setattr(screens, "Hits", None)  # exact hits made by calling Hit
        plain = Engine(lexicon)
    return Engine(lexicon, tables=plain.tables), plain


def _same(name: str, text: str) -> None:
    fast, plain = _engines(name)
    assert fast.scan(text) == plain.scan(text), text


def test_the_engine_under_test_has_the_screens() -> None:
    fast, plain = _engines("default")
    assert any(getattr(ch, "_screens", None) is not None for ch in fast.channels)
    assert all(getattr(ch, "_screens", None) is None for ch in plain.channels)


@pytest.mark.parametrize("name", sorted(LEXICONS))
def test_natural_and_hit_dense_text(name: str) -> None:
    guard = Interceptor(_engines(name)[1])
    text = natural(20_000) + hit_dense(guard, 20_000)
    for i in range(0, len(text), 500):
        _same(name, text[i:i + 500])


@pytest.mark.parametrize("name", sorted(LEXICONS))
def test_adversarial_families(name: str) -> None:
    for family in families(Interceptor(_engines(name)[1])).values():
        _same(name, family(400))


def test_texts_of_the_cases() -> None:
    # every text of the case files, and each with its characters shuffled among neighbours
    rng = random.Random(3)
    for path in sorted((ROOT / "tests" / "cases").glob("*.toml")):
        for line in path.read_text(encoding="utf8").splitlines():
            if "=" in line and '"' in line:
                text = line.split("=", 1)[1].strip().strip('"')
                _same("default", text)
                chars = list(text)
                for _ in range(len(chars) // 3):
                    k = rng.randrange(max(1, len(chars) - 1))
                    chars[k:k + 2] = chars[k:k + 2][::-1]
                _same("default", "".join(chars))


@settings(max_examples=300, deadline=None)
@given(written_around())
def test_terms_written_around(text: str) -> None:
    _same("default", text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="微信威薇徽冰毒氷 .★\u200b\u0301ab1的是经济发展习近平刁神柿子", max_size=40))
def test_random_text(text: str) -> None:
    _same("default", text)


def test_the_cjk_only_channels_find_nothing_in_text_without_cjk() -> None:
    # the engine skips them where the dense view holds nothing from CJK_FROM on (Kind.CJK); run them anyway
    fast, _ = _engines("default")
    guard = Interceptor(fast)
    texts = [*(natural(3_000)[i:i + 300] for i in range(0, 3_000, 300)),
             *(f(300) for f in families(guard).values()),
             "Ⅷ ⅸ ㈠ ｆｕｃｋ ℌ𝔢𝔩𝔩𝔬 ｢ok｣ ー・ カタカナ ﾊﾝｶｸ ㄅ", "bing1 du2 wei4xin4 ❤ 5h1t f.u.c.k"]
    for text in texts:
        skipped = fast.scan(text)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(fast, "_channels_without_cjk", fast.channels)
            assert fast.scan(text) == skipped, text


def test_moved_hits_are_the_hits_replaced() -> None:
    text = "冰毒" * 50 + "kill yourself"
    hits = _engines("default")[0].scan_uncut(text)
    assert hits
    items = [(h, h.start // 2, min(len(text), h.end + 3)) for h in hits]
    expected = [replace(h, start=a, end=b, matched=text[a:b]) for h, a, b in items]
    assert screens.moved(items, text) == expected
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(screens, "_MAKER", None)  # without the extension
        assert screens.moved(items, text) == expected
    with pytest.raises(ValueError):
        screens.moved([(hits[0], 0, len(text) + 1)], text)


# terms of ordinary words, and texts where a screen in C rejects what the full check rejects: a
# look-alike across punctuation among Han characters (片）新: 片断), a homophone inside a longer
# everyday word (俄|罗斯人 reads like the term 罗思人, 斯 for 思)
ORDINARY = ["片断", "电讯", "目下", "了断", "罗思人", "思考"]
ACROSS_TEXTS = ["界（图片）新年来临", "３１日电（记者凌德", "上摘星月，下战塬谷", "目增添了新内容。", "俄罗思人来了",
                "片★断", "片，断", "电。讯", "他说俄罗斯人", "片）新", "新片）断"]


def test_screens_in_c_reject_what_the_full_check_rejects(tmp_path: Path) -> None:
    rows = ["term\ttier\tcategory\tlang", *(f"{t}\tblock\tordinary\tzh" for t in ORDINARY)]
    (tmp_path / "zh.tsv").write_text("\n".join(rows) + "\n", encoding="utf8")
    lexicon = load_lexicon(tmp_path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(core, "make_screens", lambda tables: None)
        plain = Engine(lexicon)
    fast = Engine(lexicon, tables=plain.tables)
    for text in ACROSS_TEXTS:
        assert fast.scan(text) == plain.scan(text), text


CAPITALS = ["Fuck that", "FUCK THAT", "fUcK", "Fuck\u0301", "Fuckk", "ＦＵＣＫ", "Fück", "Shit happens. SHIT.",
            "Kill yourself"]


def test_words_in_ascii_capitals_are_the_full_checks_case_hits() -> None:
    for text in CAPITALS:
        _same("default", text)
        _same("cases", text)
