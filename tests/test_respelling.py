"""Latin respellings: the suspects a view's tokens hold, with bounded work per token."""
from __future__ import annotations

import pytest

from interceptor.engine.respelling import (
    LatinLimits,
    Suspect,
    collapse_repeats,
    may_join_neighbours,
    suspects,
    with_neighbours,
)
from interceptor.normalize.views import latin_tokens

# as compile_lexicon makes them for "kill yourself": each run of its words, plain and collapsed
LIMITS = LatinLimits(longest=12, max_words=2,
                     parts=frozenset({"kill", "kil", "yourself", "killyourself", "kilyourself"}))


def _found(view: str) -> list[Suspect]:
    tokens, separated = latin_tokens(view)
    return list(suspects(view, tokens, LIMITS, separated))


def test_leet_spellings_read_each_character_every_way() -> None:
    (sus,) = _found("a 5h1t b")
    assert (sus.start, sus.end, sus.techniques) == (2, 6, frozenset({"leet"}))
    assert {"shit", "shlt"} <= set(sus.spellings)


@pytest.mark.parametrize(("view", "spelling"), [
    ("ty khu9i4it", "khuyachit"),  # 9 and 9I for я, 4 for ч: their transliterations, read first
    ("ty 6lyuha", "shlyuha"),
    ("a 4ever b", "aever"),  # the leet readings stay
])
def test_digits_read_as_transliterated_cyrillic_letters(view: str, spelling: str) -> None:
    (sus,) = _found(view)
    assert spelling in sus.spellings


def test_trailing_punctuation_is_not_leet() -> None:
    assert _found("wow! nice") == []
    (sus,) = _found("fuuuck!!")  # a repeated word, the marks after it punctuation
    assert (sus.start, sus.end, sus.spellings, sus.techniques) == (0, 6, ("fuuuck",), frozenset({"repeat"}))


def test_repeats_and_separated_letters() -> None:
    (sus,) = _found("fuuuuuck")
    assert sus.spellings == ("fuuuuuck",) and collapse_repeats(sus.spellings[0]) == "fuck"
    sep = _found("so f u c k it")
    assert any(s.spellings == ("fuck",) and "noise" in s.techniques for s in sep)


def test_a_token_too_long_for_any_word_is_skipped_but_runs_are_cut_first() -> None:
    assert _found("a1" * 200) == []  # no run to cut: longer than any word of the lexicon
    (sus,) = _found("f" + "u" * 5000 + "ck")
    assert sus.spellings == ("fuuck",) and (sus.start, sus.end) == (0, 5003)


def test_a_run_of_separated_letters_too_long_for_a_word_is_skipped() -> None:
    assert [s for s in _found("x " * 40) if "noise" in s.techniques] == []


def test_neighbours_join_only_a_piece_of_a_multi_word_term() -> None:
    view = "kiii11 yourself"
    (sus,) = _found(view)
    assert may_join_neighbours(sus, LIMITS)
    glued = [sp for _, _, sps in with_neighbours(view, sus, 2) for sp in sps]
    assert any(collapse_repeats(g) == "kilyourself" for g in glued)
    (other,) = _found("b4d yourself")
    assert not may_join_neighbours(other, LIMITS)


def test_the_extension_and_the_regexes_find_the_same_tokens() -> None:
    for view in ("a1 b2 ccc dd", "aaaa", "f u c k", "x ab c d", "a\uf8ffb c", "\ue000a b", "", "wow! hi"):
        assert latin_tokens(view) == latin_tokens(view, fast=False), view


def test_cyrillic_tokens_read_digits_as_cyrillic_letters() -> None:
    # the view of д0лб0ёб: о and е fold to their Latin look-alikes, д and б stay
    (sus,) = _found("ты д0лб0eб")
    assert sus.techniques == frozenset({"leet"}) and "дoлбoeб" in sus.spellings
    (sus,) = _found("6лrдb")  # 6лядь: a six for б
    assert "блrдb" in sus.spellings


def test_cyrillic_repeats_and_separated_letters() -> None:
    (sus,) = _found("cyyykaaa")
    assert sus.techniques == frozenset({"repeat"})
    sep = _found("ты б л r д b")
    assert any(s.spellings == ("блrдb",) and "noise" in s.techniques for s in sep)


KNOWN = frozenset({"fuck", "kill", "yourself"})
SEPARATED_VIEWS = ["so f u c k it", "a b c d e f", "i n f l i c t i n g a", "k i l l y o u", "f 0 c k", "x y z",
                   "s h i t", "a f u c k b c"]


def test_known_trims_keep_every_suspect_that_spells_a_known_word() -> None:
    for view in SEPARATED_VIEWS:
        tokens, separated = latin_tokens(view)
        every = list(suspects(view, tokens, LIMITS, separated))
        kept = list(suspects(view, tokens, LIMITS, separated, KNOWN.__contains__))
        assert kept == [s for s in every if s in kept], view  # a subset, in order
        assert [s for s in every if any(w in KNOWN for w in s.spellings)] == \
            [s for s in kept if any(w in KNOWN for w in s.spellings)], view
        assert all(any(w in KNOWN for w in s.spellings) for s in kept if "noise" in s.techniques), view


def test_known_trims_spell_nothing_that_is_unknown() -> None:
    tokens, separated = latin_tokens("a b c d e f")
    assert list(suspects("a b c d e f", tokens, LIMITS, separated, KNOWN.__contains__)) == []
