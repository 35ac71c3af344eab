"""Whole-or-nothing entries in a cache directory, never trusted: what start-up keeps on disk.

The character tables (``normalize.tables``) and compiled lexicons (``engine.cache``) take a
fraction of a second to seconds to make and the same bytes every time; each is kept as one
entry here and read back by the next process.

* An entry is a header — ``MAGIC``, the key it was written for, the SHA-256 of its payload —
  and a pickle. ``read`` returns it only if the key is the one looked up and the payload has
  that digest, and unpickles it with an unpickler that makes only the classes (and the few
  reconstructors) the caller allows: no other function is ever called. Anything else — a
  missing, truncated, foreign or altered entry — reads as None, and the caller rebuilds it.
* ``write`` writes a temporary file beside the entry, flushed, then renames it over the entry:
  a reader sees a whole old entry or a whole new one, and concurrent writers each write a
  whole one.
* ``directory`` is the user's: ``INTERCEPTOR_CACHE_DIR`` (``off`` for none), else
  ``$XDG_CACHE_HOME/interceptor``, else ``~/.cache/interceptor``; ``prepare`` makes it
  (mode 0700) and refuses one that another user could write to.
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
import tempfile
import time
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import IO, Any

log = logging.getLogger("interceptor.stored")

MAGIC = b"interceptor-stored 1\n"
ENV = "INTERCEPTOR_CACHE_DIR"
STALE_S = 3600  # a temporary file older than this was left by a crash

Allowed = Mapping[str, frozenset[str]]
"""Module -> the names in it an entry may hold; a module ``interceptor.*`` may hold any class."""


def directory() -> Path | None:
    """Where entries are kept (None: nowhere)."""
    env = os.environ.get(ENV)
    if env is not None:
        return None if env.strip().lower() in ("", "off", "none", "0") else Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "interceptor"


def package_version(name: str) -> str:
    """``name=version`` of an installed distribution, for keys ('' where it is not installed)."""
    try:
        return f"{name}={metadata.version(name)}\0"
    except metadata.PackageNotFoundError:
        return ""


def prepare(where: Path) -> None:
    """Make the directory (mode 0700); raise PermissionError for one others can write to."""
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = os.stat(where)
    if st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise PermissionError(f"{where} is not this user's alone")


def read(entry: Path, key: str, allowed: Allowed) -> Any | None:
    """The object in ``entry`` if it is a whole, untampered entry for ``key``; else None."""
    try:
        with open(entry, "rb") as f:
            if f.readline() != MAGIC or f.readline().strip() != key.encode():
                return None
            digest = f.readline().strip()
            payload = f.read()
    except OSError:
        return None
    if hashlib.sha256(payload).hexdigest().encode() != digest:
        log.warning("%s is damaged: rebuilt", entry.name)
        return None
    try:
        obj = _Unpickler(io.BytesIO(payload), allowed).load()
    except Exception as e:  # a payload this version did not write: never trusted
        log.warning("%s is unreadable (%s): rebuilt", entry.name, e)
        return None
    with contextlib.suppress(OSError):
        os.utime(entry)  # used now: the last to be pruned
    return obj


def write(entry: Path, key: str, obj: Any) -> None:
    """Write ``entry`` whole or not at all: a temporary file beside it, renamed over it."""
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
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


def lock(path: Path) -> IO[bytes]:
    """An exclusive lock on ``path`` (``fcntl.flock``), held until the returned file is closed."""
    f = open(path, "ab")  # noqa: SIM115 - held open until the entry is written
    fcntl.flock(f.fileno(), fcntl.LOCK_EX)
    return f


def prune(where: Path, suffix: str, keep: int) -> None:
    """Keep the ``keep`` entries named ``*suffix`` used last (their lock files with them);
    remove the others, and temporary files left by a crash."""
    with contextlib.suppress(OSError):
        entries = sorted(where.glob(f"*{suffix}"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[keep:]:
            old.unlink(missing_ok=True)
            (where / (old.stem + ".lock")).unlink(missing_ok=True)
        now = time.time()
        for tmp in where.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                if now - tmp.stat().st_mtime > STALE_S:
                    tmp.unlink(missing_ok=True)


class _Unpickler(pickle.Unpickler):
    """Makes only what ``allowed`` names, and classes of Interceptor's own modules."""

    def __init__(self, f: IO[bytes], allowed: Allowed):
        super().__init__(f)
        self._allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        if name in self._allowed.get(module, ()):
            return super().find_class(module, name)
        if module.startswith("interceptor."):
            obj = super().find_class(module, name)
            if isinstance(obj, type):
                return obj
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a stored entry")
