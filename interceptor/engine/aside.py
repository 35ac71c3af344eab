"""Large automatons built in a forked child, off this process's heap and core.

Building an automaton holds the GIL and, for a large pattern list, needs several times the
memory of the automaton it makes (daachorse's trie before it becomes a double array: about
120 MB for the 240,000 word patterns of 100,000 dictionary terms, for a 21 MB automaton).
Built in this process, that peak is this process's, and memory freed in small pieces stays
with it. ``build_aside`` forks a child that builds the automaton and sends it back pickled
(15 MB for those 240,000 patterns, read back in 0.02 s) through a pipe, while this process
goes on compiling on the other core; ``Aside.result`` reads it when the compile is done.

The child runs nothing but the build, the pickling and the write, and leaves with
``os._exit``. Where there is no fork, or the list is small (a build of milliseconds, less
than a fork costs), or the child fails, the automaton is built here, so the answer is the
same either way: the automaton over the same patterns.
"""
from __future__ import annotations

import contextlib
import os
import pickle
import warnings
from collections.abc import Callable, Sequence

from interceptor.engine.automaton import Matcher, build_matcher

ASIDE_FROM = 50_000
"""Patterns from which an automaton is built in a child (below, a build takes < 0.1 s)."""


class Aside:
    """An automaton being built; ``result`` is the automaton over ``patterns``.

    The caller lets go of ``patterns`` once this is made: the child has its own copy, and
    the memory they held here is what the automaton is read back into. Where the child
    fails, ``again`` makes the same patterns once more and the automaton is built here.
    """

    def __init__(self, patterns: Sequence[str], backend: str, again: Callable[[], Sequence[str]],
                 aside_from: int | None = None):
        self._backend = backend
        self._again = again
        self._pid = 0
        self._forked = False
        self._pipe = -1
        self._patterns: Sequence[str] = ()
        if len(patterns) >= (ASIDE_FROM if aside_from is None else aside_from) and hasattr(os, "fork"):
            self._fork(patterns)
        else:
            self._patterns = patterns  # built here, in ``result``

    def _fork(self, patterns: Sequence[str]) -> None:
        r, w = os.pipe()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # fork beside threads: the child only builds
            pid = os.fork()
        if pid == 0:  # the child: build, send, leave at once, touching nothing else
            code = 1
            try:
                os.close(r)
                with os.fdopen(w, "wb") as f:
                    pickle.dump(build_matcher(patterns, self._backend), f, protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)
        os.close(w)
        self._pid = pid
        self._forked = True
        # read only in ``result``: until then the child waits on the full pipe (64 KB), and
        # the automaton comes into this process when the patterns made meanwhile are gone
        self._pipe = r

    @property
    def forked(self) -> bool:
        """Was it built in a child (or is it being built there)?"""
        return self._forked

    def result(self) -> Matcher:
        """The automaton: the child's, or built here where there was none or it failed."""
        if self._pid:
            matcher: Matcher | None = None
            with os.fdopen(self._pipe, "rb") as f, contextlib.suppress(Exception):  # a failed child sends nothing whole
                # bytes from this process's own child through a pipe it made: nothing else wrote them
                matcher = pickle.load(f)
            _, status = os.waitpid(self._pid, 0)
            self._pid = 0
            if status == 0 and matcher is not None:
                return matcher
            self._patterns = self._again()
        patterns, self._patterns = self._patterns, ()
        return build_matcher(patterns, self._backend)

