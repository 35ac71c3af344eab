"""Compiled lexicons on disk: an engine for a lexicon seen before is ready in milliseconds.

Compiling a lexicon takes seconds (``build``); ``load_engine`` keeps what it makes — the
validated ``Lexicon`` and its ``Built`` — in a cache directory, content-addressed, and makes
the engine from there when the same lexicon is loaded again (``interceptor scan``, ``serve``,
its check workers, a reload of a version seen before).

* **Never stale.** The key hashes the lexicon's content version (``lexicon.version``), the
  directory it was read from, the backend, and the engine's fingerprint: the source of every
  module that reads, compiles or matches a lexicon, the character tables, and the versions of
  Python and of the automaton packages. A change to any of them is another key.
* **Never trusted.** An entry (``interceptor.stored``) carries its key and the SHA-256 of
  its payload and is read by an unpickler that makes only the classes a compiled lexicon
  holds; anything else — a truncated file, another version's, a tampered one — is ignored,
  rebuilt and replaced. Entries are read only from a directory no other user can write to.
* **Safe between processes.** A reader sees a whole old entry or a whole new one. While one
  process builds an entry, another that wants the same one waits on its lock file and then
  reads what the first wrote (workers starting together compile once). The write itself runs
  in a forked child after the engine is returned (a thread where there is no fork), so the
  first start is neither slowed nor made bigger by it.
* **Bounded.** The ``KEEP`` entries used last are kept, older ones removed.

The directory: ``INTERCEPTOR_CACHE_DIR`` (``off`` turns the cache off), else
``$XDG_CACHE_HOME/interceptor``, else ``~/.cache/interceptor``.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
import warnings
from functools import cache
from pathlib import Path
from typing import IO

from interceptor import stored
from interceptor.engine.automaton import DEFAULT_BACKEND
from interceptor.engine.build import Built
from interceptor.engine.core import Engine
from interceptor.engine.prefixes import Prefixes
from interceptor.lexicon import Lexicon, load_lexicon
from interceptor.lexicon.version import content_version, unreadable_entries
from interceptor.normalize.tables import Tables, load, tables_key

log = logging.getLogger("interceptor.cache")

KEEP = 8
"""Entries kept in a cache directory: the ones used last."""
SUFFIX = ".lexicon"
PREFIX_SUFFIX = ".prefixes"
_PACKAGE = Path(__file__).resolve().parent.parent
# what a compiled lexicon is made by, beside the tables: a change to any of these is another key
_SOURCES = ("engine", "normalize", "lexicon", "rules.py", "types.py")
_SUFFIXES = (".py", ".c")
_WRITER = "interceptor-cache-write"
# what a compiled lexicon is made of, beside Interceptor's own classes
ALLOWED: stored.Allowed = {
    "array": frozenset({"array", "_array_reconstructor"}),
    "builtins": frozenset({"frozenset", "set"}),
    "daachorse": frozenset({"CharwiseDoubleArrayAhoCorasick"}),
    "ahocorasick": frozenset({"Automaton"}),
}


@cache
def fingerprint() -> str:
    """A hash of everything that decides what a lexicon compiles into (read once a process):
    the tables' key (their files, Python's and NumPy's versions) and the engine's source."""
    h = hashlib.sha256(tables_key().encode())
    for name in ("daachorse", "pyahocorasick"):
        h.update(stored.package_version(name).encode())
    for top in _SOURCES:
        p = _PACKAGE / top
        files = sorted(f for f in p.rglob("*") if f.suffix in _SUFFIXES) if p.is_dir() else [p]
        for f in files:
            h.update(str(f.relative_to(_PACKAGE)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def entry_key(root: Path, version: str, backend: str) -> str:
    """The key of the entry for the lexicon directory ``root`` at content ``version``."""
    # entries that would make the lexicon invalid (a dangling x.tsv) are not in its version
    bad = repr(unreadable_entries(root))
    return hashlib.sha256(f"{version}\0{root.resolve()}\0{backend}\0{bad}\0{fingerprint()}".encode()).hexdigest()


def load_engine(path: str | Path, backend: str = DEFAULT_BACKEND, tables: Tables | None = None,
                directory: Path | bool | None = True) -> Engine:
    """The engine for the lexicon directory ``path``: from the cache when this lexicon was
    compiled before, else compiled (raising ``LexiconError`` for a bad lexicon, as
    ``load_lexicon`` does) and then kept. ``directory``: the cache directory (True: the
    default one, ``stored.directory``; None or False: none); tables other than the bundled
    ones are never cached."""
    root = Path(path)
    where = stored.directory() if directory is True else (directory or None)
    if where is None or (tables is not None and tables is not load()) or not root.is_dir():
        return Engine(load_lexicon(root), backend=backend, tables=tables)
    try:
        key = entry_key(root, content_version(root), backend)
        stored.prepare(where)
    except OSError as e:  # an unreadable lexicon is load_lexicon's to report; a cache we cannot use, skipped
        log.debug("compiled-lexicon cache not used: %s", e)
        return Engine(load_lexicon(root), backend=backend, tables=tables)
    entry = where / f"{key[:40]}{SUFFIX}"
    got = read_entry(entry, key)
    if got is not None:
        return _with_stored_prefixes(Engine(got[0], backend=backend, tables=tables, built=got[1]), where, key)
    lock = stored.lock(where / f"{key[:40]}.lock")
    got = read_entry(entry, key)  # another process may have written it while this one waited
    if got is not None:
        lock.close()
        return _with_stored_prefixes(Engine(got[0], backend=backend, tables=tables, built=got[1]), where, key)
    try:
        lexicon = load_lexicon(root)
        engine = Engine(lexicon, backend=backend, tables=tables)
    except BaseException:
        lock.close()
        raise
    if lexicon.version != content_version(root) or entry_key(root, lexicon.version, backend) != key:
        lock.close()  # the files changed while they were read: this engine is not that entry
        return engine
    _keep(entry, key, lexicon, engine.built, lock)
    return _with_stored_prefixes(engine, where, key)


def _with_stored_prefixes(engine: Engine, where: Path, key: str) -> Engine:
    """``engine``, its stream prefixes (built on first use, seconds for a large lexicon) read
    from the cache too: from an entry of their own, written the first time they are built."""
    entry = where / f"{key[:40]}{PREFIX_SUFFIX}"
    build = engine.prefix_source

    def source(e: Engine) -> Prefixes:
        got = stored.read(entry, key, ALLOWED)
        if isinstance(got, Prefixes):
            return got
        made = build(e)
        try:
            stored.write(entry, key, made)
            stored.prune(where, PREFIX_SUFFIX, KEEP)
        except OSError as err:
            log.warning("stream prefixes not kept in %s: %s", where, err)
        return made

    engine.prefix_source = source
    return engine


def _keep(entry: Path, key: str, lexicon: Lexicon, built: Built, lock: IO[bytes]) -> None:
    """Write the entry without keeping the caller: in a forked child where the platform has
    fork (it pickles on the other core, and its memory is not this process's), else in a
    thread. The lock is released when the entry is on disk."""
    if not hasattr(os, "fork"):
        threading.Thread(target=_write_and_unlock, args=(entry, key, lexicon, built, lock), name=_WRITER).start()
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork beside threads: the child only writes
        pid = os.fork()
    if pid == 0:  # the child: write the entry and leave at once, touching nothing else
        code = 1
        try:
            stored.write(entry, key, (lexicon, built))
            stored.prune(entry.parent, SUFFIX, KEEP)
            code = 0
        finally:
            os._exit(code)
    threading.Thread(target=_reap, args=(pid, entry, lock), name=_WRITER, daemon=True).start()


def _reap(pid: int, entry: Path, lock: IO[bytes]) -> None:
    try:
        _, status = os.waitpid(pid, 0)
        if status:
            log.warning("compiled lexicon not kept in %s (writer exit status %d)", entry.parent, status)
    finally:
        with contextlib.suppress(OSError):
            lock.close()


def wait_for_writes() -> None:
    """Wait until the entries being written in the background are on disk (tests, tools)."""
    for t in threading.enumerate():
        if t.name == _WRITER:
            t.join()


def read_entry(entry: Path, key: str) -> tuple[Lexicon, Built] | None:
    """The lexicon and compiled state of ``entry`` if it is a whole, untampered entry for
    ``key``; None otherwise (missing, truncated, foreign, altered)."""
    got = stored.read(entry, key, ALLOWED)
    if not (isinstance(got, tuple) and len(got) == 2 and isinstance(got[0], Lexicon) and isinstance(got[1], Built)):
        return None
    return got[0], got[1]


def _write_and_unlock(entry: Path, key: str, lexicon: Lexicon, built: Built, lock: IO[bytes]) -> None:
    try:
        stored.write(entry, key, (lexicon, built))
        stored.prune(entry.parent, SUFFIX, KEEP)
    except Exception as e:  # a full disk, a read-only directory: the engine serves all the same
        log.warning("compiled lexicon not kept in %s: %s", entry.parent, e)
    finally:
        with contextlib.suppress(OSError):
            lock.close()
