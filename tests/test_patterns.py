"""Terms compiled into patterns: each pattern's ref names its term, form and changed unit."""
from __future__ import annotations

from interceptor.engine.patterns import WHOLE, Form, Ref, RefTable, _code, _unpack, compile_lexicon, term_units
from interceptor.lexicon.model import Lexicon, Term
from interceptor.normalize.tables import load
from interceptor.types import Tier

T = load()
ALL = frozenset({"case", "width", "traditional", "diacritics", "noise", "repeat", "leet", "homoglyph", "homophone",
                 "pinyin", "initials", "lookalike"})


def _lexicon(*terms: tuple[str, frozenset[str]]) -> Lexicon:
    return Lexicon(name="test", path="", version="v",
                   terms=tuple(Term(text=t, category="c", tier=Tier.MASK, variants=v, lang="") for t, v in terms))


def test_a_ref_packs_into_one_integer_and_back() -> None:
    for ref in (Ref(0, Form.WORD, WHOLE), Ref(123_456, Form.LOOK, 3), Ref(7, Form.RAW, WHOLE)):
        back = _unpack(_code(*ref))
        assert back == ref and isinstance(back, Ref) and isinstance(back.form, Form)
    shared = (_code(2, Form.SOUND), _code(3, Form.GLUED))
    table = RefTable([_code(1, Form.SOUND), shared])
    assert table[0] == (Ref(1, Form.SOUND, WHOLE),)
    assert table[1] == (Ref(2, Form.SOUND, WHOLE), Ref(3, Form.GLUED, WHOLE))


def test_units_keep_letters_and_mark_word_breaks() -> None:
    assert term_units("kill yourself", T) == ("killyourself", frozenset({4}))
    assert term_units("微\u200b信", T) == ("微信", frozenset())  # removed characters break no word
    assert term_units("f@ck", T)[0] == "f@ck"


def test_each_form_gets_its_patterns() -> None:
    compiled, patterns = compile_lexicon(_lexicon(("微信", ALL), ("fuck", ALL), ("kill yourself", ALL), ("🔫", ALL)), T)
    forms = {ref.form for table in (compiled.word_refs, compiled.sound_refs) for i in range(len(table))
             for ref in table[i]}
    assert {Form.WORD, Form.PY_FULL, Form.PY_SPACED, Form.SOUND, Form.GLUED} <= forms
    assert "weixin" in patterns.word and "wei xin" in patterns.word and "fuck" in patterns.word
    assert compiled.raw_refs[0] == (Ref(3, Form.RAW, WHOLE),) and patterns.raw == ["🔫"]
    assert compiled.latin_max_words == 2 and "yourself" in compiled.latin.parts
    assert compiled.latin_words.get("fuck") == (Ref(1, Form.WORD, WHOLE),)


def test_a_term_gets_only_the_patterns_its_variants_allow() -> None:
    _, loose = compile_lexicon(_lexicon(("银行卡", ALL)), T)
    _, strict = compile_lexicon(_lexicon(("银行卡", frozenset())), T)
    assert len(strict.sound) == 1 and not strict.word  # the exact form alone
    assert len(loose.sound) >= 1 and loose.word


def test_a_term_keeps_its_combining_marks_per_unit() -> None:
    compiled, _ = compile_lexicon(_lexicon(("สัด", ALL), ("微信", ALL)), T)
    assert compiled.terms[0].units == "สด" and compiled.terms[0].marks == ("\u0e31", "")
    assert compiled.terms[1].marks == ()
