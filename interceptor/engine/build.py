"""A lexicon compiled into what its engine matches with: the patterns' meanings and automatons.

This is the costly part of making an ``Engine`` (seconds for 100,000 terms) and the part
``cache`` keeps on disk: ``Built`` holds only data — the compiled terms and refs, and the
automatons, which both backends can pickle — so that an engine made from a stored one is the
engine built from the lexicon. What an engine derives from it (channels and their screens,
the views builder) is made anew each time: it is quick, and holds C objects.
"""
from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

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

    One automaton at a time, each pattern list released once built, the look-alike patterns
    made only after the others are built: a large lexicon's patterns and its automatons never
    all sit in memory together.
    """
    c, patterns = compile_lexicon(with_rule_terms(lexicon), tables, looks=False)
    counts = {"word": len(patterns.word), "sound": len(patterns.sound)}
    word = build_matcher(patterns.word, backend)
    patterns.word = []
    sound = build_matcher(patterns.sound, backend)
    patterns.sound = []
    look_refs, look_patterns = compile_looks(c, tables)
    c = replace(c, look_refs=look_refs)
    counts["look"] = len(look_patterns)
    look = build_matcher(look_patterns, backend) if look_patterns else None
    del look_patterns
    raw = build_matcher(patterns.raw, backend) if patterns.raw else None
    allow = build_matcher(patterns.allow, backend) if patterns.allow else None
    return Built(c, word, sound, look, raw, allow, counts)
