"""The matching engine: a lexicon's automatons over the views of a text, hits in the
text's own coordinates.

The face is small: ``Interceptor`` (the public entry point, ``interceptor.Interceptor``),
``Engine`` (built once per lexicon, immutable, shared between threads; ``Interceptor`` swaps
engines on reload), the automaton backends it can be built on, and ``term_units``, what the
automatons match of a term. The modules behind it:

* ``interceptor`` — the Interceptor: an engine behind one swappable reference, its hits
  through the contextual rules and the policy into a verdict;
* ``core`` — the Engine: its automatons and the scan that runs the channels;
* ``channels`` — one unit per way of writing a term (word, sound, look-alike, pinyin among
  Han, symbols, Latin respelling, raw) that finds, maps and checks its candidates;
* ``patterns`` — terms compiled into the patterns of each automaton, and what each means;
* ``automaton`` — the Aho–Corasick backends behind one interface;
* ``check`` — a candidate match checked against its term: boundaries, techniques;
* ``precision`` — the rules that keep ordinary words passing, each beside its screen;
* ``gaps`` — what lies between two characters of a match;
* ``respelling`` — Latin writings that change a word's length (separators, leet, repeats);
* ``pinyin_in_han`` — pinyin written among Han characters;
* ``repeats`` — repeated stretches, checked as a few periods;
* ``prefixes`` — what a stream's tail may still grow into (kept by the engine).
"""
from interceptor.engine.automaton import BACKENDS, DEFAULT_BACKEND
from interceptor.engine.core import Engine
from interceptor.engine.interceptor import Interceptor
from interceptor.engine.patterns import term_units

__all__ = ["BACKENDS", "DEFAULT_BACKEND", "Engine", "Interceptor", "term_units"]
