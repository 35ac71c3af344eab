"""A lexicon compiled into what its engine matches with: the patterns' meanings and automatons.

This is the costly part of making an ``Engine`` (seconds for 100,000 terms) and the part
``cache`` keeps on disk: ``Built`` holds only data — the compiled terms and refs, and the
automatons, which both backends can pickle — so that an engine made from a stored one is the
engine built from the lexicon. What an engine derives from it (channels and their screens,
the views builder) is made anew each time: it is quick, and holds C objects.
"""
from __future__ import annotations

import ctypes
from dataclasses import replace
from typing import NamedTuple

from interceptor.engine.aside import Aside
from interceptor.engine.automaton import Matcher, build_matcher
from interceptor.engine.patterns import Compiled, compile_lexicon, compile_looks
from interceptor.lexicon.model import Lexicon
from interceptor.normalize.tables import Tables
from interceptor.rules import with_rule_terms


class Built(NamedTuple):
    """A compiled lexicon: what each pattern means, and the automatons over the patterns."""

    compiled: Compiled
    word: Matcher
    sound: Matcher
    look: Matcher | None
    raw: Matcher | None
    allow: Matcher | None
    pattern_counts: dict[str, int]


def build(lexicon: Lexicon, tables: Tables, backend: str) -> Built:
    """Compile ``lexicon`` (its rules' terms the lexicon does not list included, as hidden
    terms: ``rules``) and build its automatons with ``backend``.

    A large word or look-alike automaton is built in a child (``aside``) while this process
    goes on: the word automaton's while the others are built and the look-alike patterns
    made, the look-alike one's while the word automaton is read back. Each pattern list is
    released once its automaton is built, the look-alike patterns made only after the word
    and sound patterns are built or handed over: a large lexicon's patterns and its
    automatons never all sit in memory together.
    """
    terms = with_rule_terms(lexicon)
    c, patterns = compile_lexicon(terms, tables, looks=False)
    counts = {"word": len(patterns.word), "sound": len(patterns.sound)}
    word = Aside(patterns.word, backend, lambda: compile_lexicon(terms, tables, looks=False)[1].word)
    patterns.word = []
    sound = build_matcher(patterns.sound, backend)
    patterns.sound = []
    look_refs, look_patterns = compile_looks(c, tables)
    c = replace(c, look_refs=look_refs)
    counts["look"] = len(look_patterns)
    look = Aside(look_patterns, backend, lambda: compile_looks(c, tables)[1]) if look_patterns else None
    del look_patterns
    raw = build_matcher(patterns.raw, backend) if patterns.raw else None
    allow = build_matcher(patterns.allow, backend) if patterns.allow else None
    built = Built(c, word.result(), sound, look.result() if look else None, raw, allow, counts)
    if word.forked or (look is not None and look.forked):  # a large lexicon: megabytes to give back
        _give_back_freed()
    return built


def _give_back_freed() -> None:
    """Return the memory the compiler freed to the system (glibc's ``malloc_trim``): a
    compile frees tens of megabytes in small pieces, which stay resident in this process
    otherwise. Nothing where the C library has no such call."""
    try:
        trim = ctypes.CDLL(None).malloc_trim  # this process's own symbols: the C library's
    except (OSError, AttributeError):
        return
    trim(0)
