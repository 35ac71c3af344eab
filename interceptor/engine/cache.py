"""Compiled lexicons on disk: an engine for a lexicon seen before is ready in milliseconds.

Compiling a lexicon takes seconds (``build``); ``load_engine`` keeps what it makes — the
validated ``Lexicon`` and its ``Built`` — in a cache directory, content-addressed, and makes
the engine from there when the same lexicon is loaded again (``interceptor scan``, ``serve``,
its check workers, a reload of a version seen before).

* **Never stale.** The key hashes the lexicon's content version (``lexicon.version``), the
  directory it was read from, the backend, and the engine's fingerprint: the source of every
  module that reads, compiles or matches a lexicon, the character tables, and the versions of
  Python and of the automaton packages. A change to any of them is another key.
* **Never trusted.** An entry is a header (``MAGIC``, its key, the SHA-256 of its payload)
  and a pickle. It is used only if the key is the one looked up and the payload has that
  digest, and it is read by an unpickler that makes only the classes a compiled lexicon holds
  (no function is ever called); anything else — a truncated file, another version's, a
  tampered one — is ignored, rebuilt and replaced. Entries are read only from a directory
  that no other user can write to.
* **Safe between processes.** An entry is written to a temporary file beside it and renamed
  over it: a reader sees a whole old entry or a whole new one. While one process builds an
  entry, another that wants the same one waits on its lock file (``fcntl.flock``) and then
  reads what the first wrote (workers starting together compile once). The write itself runs
  in a thread after the engine is returned, so the first start is not slowed by it.
* **Bounded.** The ``KEEP`` entries used last are kept, older ones removed.

The directory: ``INTERCEPTOR_CACHE_DIR`` (``off`` turns the cache off), else
``$XDG_CACHE_HOME/interceptor``, else ``~/.cache/interceptor``.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import logging
import os
import pickle
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from interceptor.engine.automaton import DEFAULT_BACKEND
from interceptor.engine.build import Built
from interceptor.engine.core import Engine
from interceptor.lexicon import Lexicon, load_lexicon
from interceptor.lexicon.version import content_version, unreadable_entries
from interceptor.normalize.tables import Tables, load

log = logging.getLogger("interceptor.cache")

MAGIC = b"interceptor-compiled-lexicon 1\n"
KEEP = 8
"""Entries kept in a cache directory: the ones used last."""
ENV = "INTERCEPTOR_CACHE_DIR"
_PACKAGE = Path(__file__).resolve().parent.parent
# what a compiled lexicon is made by: a change to any of these files is another key
_SOURCES = ("engine", "normalize", "lexicon", "rules.py", "types.py")
_SUFFIXES = (".py", ".c", ".tsv", ".txt", ".json")
_PACKAGES = ("daachorse", "pyahocorasick", "numpy")
_WRITER = "interceptor-cache-write"


def cache_dir() -> Path | None:
    """Where compiled lexicons are kept (None: nowhere)."""
    env = os.environ.get(ENV)
    if env is not None:
        return None if env.strip().lower() in ("", "off", "none", "0") else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "interceptor"


@cache
def fingerprint() -> str:
    """A hash of everything that decides what a lexicon compiles into (read once a process)."""
    h = hashlib.sha256(sys.version.encode() + pickle.format_version.encode())
    for name in _PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            h.update(f"{name}={metadata.version(name)}\0".encode())
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
    default one, ``cache_dir``; None or False: none); tables other than the bundled ones are
    never cached."""
    root = Path(path)
    where = cache_dir() if directory is True else (directory or None)
    if where is None or (tables is not None and tables is not load()) or not root.is_dir():
        return Engine(load_lexicon(root), backend=backend, tables=tables)
    try:
        key = entry_key(root, content_version(root), backend)
        _prepare(where)
    except OSError as e:  # an unreadable lexicon is load_lexicon's to report; a cache we cannot use, skipped
        log.debug("compiled-lexicon cache not used: %s", e)
        return Engine(load_lexicon(root), backend=backend, tables=tables)
    entry = where / f"{key[:40]}.lexicon"
    got = read_entry(entry, key)
    if got is not None:
        return Engine(got[0], backend=backend, tables=tables, built=got[1])
    lock = _lock(where / f"{key[:40]}.lock")
    got = read_entry(entry, key)  # another process may have written it while this one waited
    if got is not None:
        lock.close()
        return Engine(got[0], backend=backend, tables=tables, built=got[1])
    try:
        lexicon = load_lexicon(root)
        engine = Engine(lexicon, backend=backend, tables=tables)
    except BaseException:
        lock.close()
        raise
    if lexicon.version != content_version(root) or entry_key(root, lexicon.version, backend) != key:
        lock.close()  # the files changed while they were read: this engine is not that entry
        return engine
    threading.Thread(target=_write_and_unlock, args=(entry, key, lexicon, engine.built, lock),
                     name=_WRITER).start()
    return engine


def wait_for_writes() -> None:
    """Wait until the entries being written in the background are on disk (tests, tools)."""
    for t in threading.enumerate():
        if t.name == _WRITER:
            t.join()


def read_entry(entry: Path, key: str) -> tuple[Lexicon, Built] | None:
    """The lexicon and compiled state of ``entry`` if it is a whole, untampered entry for
    ``key``; None otherwise (missing, truncated, foreign, altered)."""
    try:
        with open(entry, "rb") as f:
            head = f.readline()
            if head != MAGIC or f.readline().strip() != key.encode():
                return None
            digest = f.readline().strip()
            payload = f.read()
    except OSError:
        return None
    if hashlib.sha256(payload).hexdigest().encode() != digest:
        log.warning("compiled lexicon %s is damaged: rebuilt", entry.name)
        return None
    try:
        lexicon, built = _Unpickler(io.BytesIO(payload)).load()
    except Exception as e:  # a payload that is not what this version writes: never trusted
        log.warning("compiled lexicon %s unreadable (%s): rebuilt", entry.name, e)
        return None
    if not isinstance(lexicon, Lexicon) or not isinstance(built, Built):
        return None
    with contextlib.suppress(OSError):
        os.utime(entry)  # used now: the last to be pruned
    return lexicon, built


def write_entry(entry: Path, key: str, lexicon: Lexicon, built: Built) -> None:
    """Write ``entry`` whole or not at all: a temporary file beside it, renamed over it."""
    payload = pickle.dumps((lexicon, built), protocol=pickle.HIGHEST_PROTOCOL)
    digest = hashlib.sha256(payload).hexdigest().encode()
    fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(MAGIC + key.encode() + b"\n" + digest + b"\n")
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, entry)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _prune(entry.parent)


def _write_and_unlock(entry: Path, key: str, lexicon: Lexicon, built: Built, lock: IO[bytes]) -> None:
    try:
        write_entry(entry, key, lexicon, built)
    except Exception as e:  # a full disk, a read-only directory: the engine serves all the same
        log.warning("compiled lexicon not kept in %s: %s", entry.parent, e)
    finally:
        lock.close()


def _prepare(where: Path) -> None:
    """Make the directory (mode 0700) and refuse one that other users can write to."""
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = os.stat(where)
    if st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise PermissionError(f"{where} is not this user's alone")


def _lock(path: Path) -> IO[bytes]:
    """An exclusive lock on ``path``, held until the returned file is closed."""
    f = open(path, "ab")  # noqa: SIM115 - held open until the entry is written
    fcntl.flock(f.fileno(), fcntl.LOCK_EX)
    return f


def _prune(where: Path) -> None:
    """Keep the KEEP entries used last; remove others, and temporary files left by a crash."""
    with contextlib.suppress(OSError):
        entries = sorted(where.glob("*.lexicon"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
            (where / (old.stem + ".lock")).unlink(missing_ok=True)
        for tmp in _stale(where):
            tmp.unlink(missing_ok=True)


def _stale(where: Path) -> Iterator[Path]:
    import time

    for tmp in where.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - tmp.stat().st_mtime > 3600:
                yield tmp


# what a compiled lexicon is made of: classes only, each from a module that holds them
_ALLOWED = {
    "array": {"array", "_array_reconstructor"},
    "builtins": {"frozenset", "set", "tuple", "list", "dict", "bytes", "bytearray", "int", "str"},
    "daachorse": {"CharwiseDoubleArrayAhoCorasick", "DoubleArrayAhoCorasick"},
    "ahocorasick": {"Automaton"},
    "copyreg": {"_reconstructor"},
}


class _Unpickler(pickle.Unpickler):
    """Makes only the classes a compiled lexicon holds: Interceptor's own, the automatons',
    ``array``; never a function (a pickle that names one is not an entry this code wrote)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module in _ALLOWED and name in _ALLOWED[module]) or module.startswith("interceptor."):
            obj = super().find_class(module, name)
            if isinstance(obj, type) or (module, name) in (("array", "_array_reconstructor"),
                                                           ("copyreg", "_reconstructor")):
                return obj
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a compiled lexicon")
