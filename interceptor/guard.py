"""``Interceptor``: the public entry point, safe to share between threads.

The engine in use is one immutable object behind one attribute. ``reload`` builds a new
engine aside — validating the lexicon and compiling its automatons while requests keep
using the old one — then swaps the reference in a single assignment, which is atomic in
CPython. A check that started before the swap finishes on the engine it started with.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path

from interceptor.engine import Engine
from interceptor.lexicon import Lexicon, load_lexicon
from interceptor.matcher import DEFAULT_BACKEND
from interceptor.policy import verdict
from interceptor.types import DIRECTIONS, Verdict


class Interceptor:
    """Check texts against a lexicon; reload it without stopping."""

    def __init__(self, engine: Engine, path: str | Path | None = None):
        self._engine = engine
        self._path = Path(path) if path is not None else None
        self._reload_lock = threading.Lock()
        self.loaded_at = time.time()

    @classmethod
    def from_path(cls, path: str | Path, matcher: str = DEFAULT_BACKEND) -> Interceptor:
        """Load and compile the lexicon directory at ``path`` (raises LexiconError)."""
        return cls(Engine(load_lexicon(path), backend=matcher), path)

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
        engine = self._engine  # one read: the whole check uses one engine
        hits = engine.scan(text)
        rules = engine.rules
        if rules:
            earlier = [engine.scan(m) for m in messages or ()] if rules.needs_conversation else []
            fired = rules.apply(text, hits, earlier)
            hits = rules.visible(hits)
            if fired:
                hits = sorted([*hits, *fired], key=lambda h: (h.start, h.end, h.term))
        elif hits and len(rules.hidden) > 1:
            hits = rules.visible(hits)
        return verdict(text, hits, engine.version, direction)

    def reload(self, path: str | Path | None = None) -> str:
        """Validate and compile the lexicon again, then swap it in; return its version.

        On a bad lexicon this raises LexiconError and the current engine keeps serving.
        """
        with self._reload_lock:
            target = Path(path) if path is not None else self._path
            if target is None:
                raise ValueError("this Interceptor was not loaded from a directory; pass a path")
            engine = Engine(load_lexicon(target), backend=self._engine.backend, tables=self._engine.tables)
            self._engine = engine
            self._path = target
            self.loaded_at = time.time()
            return engine.version

    def swap(self, engine: Engine) -> None:
        """Put an engine built elsewhere in service (used by the service's reloader)."""
        self._engine = engine
        self.loaded_at = time.time()
