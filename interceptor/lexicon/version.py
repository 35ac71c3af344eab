"""Which files make up a lexicon directory, and its content version."""
from __future__ import annotations

import hashlib
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


def content_version(root: Path) -> str:
    """A content hash of the directory: every process that loads the same files agrees."""
    h = hashlib.sha256()
    for p in lexicon_files(root):
        data = p.read_bytes()
        h.update(p.name.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    return h.hexdigest()[:16]
