"""``Interceptor``: the public entry point, safe to share between threads.

The engine in use is one immutable object behind one attribute. ``reload`` builds a new
engine aside — validating the lexicon and compiling its automatons while requests keep
using the old one — then swaps the reference in a single assignment, which is atomic in
CPython. A check that started before the swap finishes on the engine it started with.
"""
from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from interceptor.engine.automaton import DEFAULT_BACKEND
from interceptor.engine.cache import load_engine
from interceptor.engine.core import Engine
from interceptor.lexicon import Lexicon
from interceptor.policy import verdict
from interceptor.types import DIRECTIONS, Hit, Verdict


class Findings(NamedTuple):
    """Every hit in a text, contextual rules applied and rule-only terms dropped, with the
    lexicon version that found them: a verdict before masking and tier precedence."""

    hits: list[Hit]
    lexicon_version: str


class Interceptor:
    """Check texts against a lexicon; reload it without stopping."""

    def __init__(self, engine: Engine, path: str | Path | None = None):
        self._engine = engine
        self._path = Path(path) if path is not None else None
        self._reload_lock = threading.Lock()
        self.loaded_at = time.time()

    @classmethod
    def from_path(cls, path: str | Path, matcher: str = DEFAULT_BACKEND) -> Interceptor:
        """Load and compile the lexicon directory at ``path`` (raises LexiconError); a
        lexicon compiled before comes from the compiled-lexicon cache (``engine.cache``)."""
        return cls(load_engine(path, backend=matcher), path)

    @classmethod
    def from_lexicon(cls, lexicon: Lexicon, matcher: str = DEFAULT_BACKEND) -> Interceptor:
        return cls(Engine(lexicon, backend=matcher), lexicon.path or None)

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def lexicon(self) -> Lexicon:
        return self._engine.lexicon

    @property
    def version(self) -> str:
        return self._engine.version

    @property
    def matcher(self) -> str:
        return self._engine.backend

    @property
    def path(self) -> Path | None:
        """The directory the lexicon was loaded from, if any."""
        return self._path

    def check(self, text: str, direction: str = "input", messages: Sequence[str] | None = None) -> Verdict:
        """The verdict for one text (CONTRACT §2).

        ``messages`` are the conversation's earlier messages, for contextual rules whose
        scope is the conversation; each is scanned once, and only if such a rule exists.
        """
        if direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
        found = self.findings(text, messages)
        return verdict(text, found.hits, found.lexicon_version, direction)

    def findings(self, text: str, messages: Sequence[str] | None = None, cuts: Sequence[int] = ()) -> Findings:
        """The hits ``check`` decides from, for callers that decide themselves.

        ``cuts`` are offsets where ``text`` is made of separate pieces (a prompt and the text
        read from its images): each piece is scanned on its own, so no term is made of one
        piece's end and the next one's start, while the contextual rules see the whole text
        as one message. Hits are in the whole text's offsets either way.
        """
        engine = self._engine  # one read: the whole check uses one engine
        if cuts:
            bounds = [0, *cuts, len(text)]
            hits = [replace(h, start=h.start + a, end=h.end + a) if a else h
                    for a, b in itertools.pairwise(bounds) for h in engine.scan(text[a:b])]
        else:
            hits = engine.scan(text)
        rules = engine.rules
        found = hits
        if rules:
            earlier = [engine.scan(m) for m in messages or ()] if rules.needs_conversation else []
            fired = rules.apply(text, hits, earlier)
            hits = rules.visible(hits)
            if fired:
                hits = sorted([*hits, *fired], key=lambda h: (h.start, h.end, h.term))
        elif hits and len(rules.hidden) > 1:
            hits = rules.visible(hits)
        if hits and rules.mentions:  # words spoken about, not used: lowered (``interceptor.mention``)
            hits = rules.mentions.lower(text, found, hits)
        return Findings(hits, engine.version)

    def reload(self, path: str | Path | None = None) -> str:
        """Validate and compile the lexicon again, then swap it in; return its version.

        On a bad lexicon this raises LexiconError and the current engine keeps serving.
        """
        with self._reload_lock:
            target = Path(path) if path is not None else self._path
            if target is None:
                raise ValueError("this Interceptor was not loaded from a directory; pass a path")
            engine = load_engine(target, backend=self._engine.backend, tables=self._engine.tables)
            self._engine = engine
            self._path = target
            self.loaded_at = time.time()
            return engine.version

    def swap(self, engine: Engine) -> None:
        """Put an engine built elsewhere in service (used by the service's reloader)."""
        self._engine = engine
        self.loaded_at = time.time()
