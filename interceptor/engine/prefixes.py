"""What a text may still grow into: every proper prefix of every pattern, per view.

The stream checker (``interceptor.stream``) holds back a tail that may still become part of
a hit; these sets say which tails may. They belong to one engine's patterns, so the engine
keeps them (``Engine.prefixes``), built on first use: only streams need them, and the
patterns are compiled again to make them (the engine keeps only its automatons).
"""
from __future__ import annotations

from dataclasses import dataclass

from interceptor.engine.patterns import compile_lexicon
from interceptor.lexicon.model import Lexicon
from interceptor.normalize.tables import Tables
from interceptor.rules import with_rule_terms


@dataclass(frozen=True)
class Prefixes:
    """Every proper prefix of every pattern, per view: what a text may still grow into."""

    dense: frozenset[str]  # sound patterns and allowed phrases
    shape: frozenset[str]  # look-alike patterns
    word: frozenset[str]  # whole-word patterns (Latin terms, pinyin)
    longest: int

    @property
    def reach(self) -> int:
        """Characters a hit's span can cover, noise included."""
        return 4 * self.longest + 8

    @property
    def max_hold(self) -> int:
        """Most characters held back at the end of a stream."""
        return self.reach


def build_prefixes(lexicon: Lexicon, tables: Tables) -> Prefixes:
    """The prefixes of every pattern the lexicon compiles to."""
    _, patterns = compile_lexicon(with_rule_terms(lexicon), tables)

    def proper(pats: list[str]) -> frozenset[str]:
        return frozenset(p[:k] for p in pats for k in range(1, len(p)))

    longest = max((len(p) for p in (*patterns.sound, *patterns.look, *patterns.word)), default=1)
    return Prefixes(proper(patterns.sound + patterns.allow), proper(patterns.look), proper(patterns.word), longest)
