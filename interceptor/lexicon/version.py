"""Which files make up a lexicon directory, and its content version."""
from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

LEXICON_NAMES = ("allow.txt", "manifest.toml", "rules.toml")


def lexicon_files(root: Path) -> list[Path]:
    """The files a lexicon is read from, in a stable order.

    Hidden entries are skipped: a Kubernetes ConfigMap volume keeps its real files under
    ``..data/`` and exposes them as symlinks at the top level, which are followed.
    """
    out = []
    for p in sorted(root.iterdir(), key=lambda p: p.name):
        if p.name.startswith(".") or not p.is_file():
            continue
        if p.name.endswith(".tsv") or p.name in LEXICON_NAMES:
            out.append(p)
    return out


def unreadable_entries(root: Path) -> list[tuple[str, str]]:
    """Entries named like lexicon files that are not readable regular files — a dangling
    symlink, a symlink loop, a directory named ``x.tsv``, a FIFO — with why: the lexicon is
    rejected for them rather than loaded without them."""
    out = []
    for p in sorted(root.iterdir(), key=lambda p: p.name):
        if p.name.startswith(".") or not (p.name.endswith(".tsv") or p.name in LEXICON_NAMES):
            continue
        try:
            mode = os.stat(p).st_mode
        except OSError as e:
            why = {errno.ENOENT: "a symlink to nothing", errno.ELOOP: "a symlink loop"}.get(e.errno or 0,
                                                                                           e.strerror or str(e))
            out.append((p.name, f"cannot be read: {why}"))
            continue
        if stat.S_ISDIR(mode):
            out.append((p.name, "is a directory, not a file"))
        elif not stat.S_ISREG(mode):
            out.append((p.name, "is not a regular file"))
        elif not os.access(p, os.R_OK):
            out.append((p.name, "cannot be read: permission denied"))
    return out


def content_version(root: Path) -> str:
    """A content hash of the directory: every process that loads the same files agrees."""
    h = hashlib.sha256()
    for p in lexicon_files(root):
        data = p.read_bytes()
        h.update(p.name.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    return h.hexdigest()[:16]
