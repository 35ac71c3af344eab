"""Request paths, normalised before routing.

A filter keyed on the path is walked around by any spelling the upstream still routes to
the same handler: ``/V1/chat/completions``, ``//v1/chat/completions``, ``/v1/./chat/...``,
``/v1/%2e/chat/...``, ``/v1/chat/completions/``, ``/v1/chat/completions;x``. So the proxy
never routes on the path as received. It decodes percent-escapes (repeatedly, so ``%252e``
is a dot too), treats ``\\`` as ``/``, drops ``;parameters``, empty and ``.`` segments,
resolves ``..`` and compares without case; then the request goes upstream on the *canonical*
path of the route it was matched to, whatever spelling arrived. A path that cannot be decoded
(a bad escape, invalid UTF-8, a control character, more than ``MAX_DECODES`` layers of
escapes) is no route at all.
"""
from __future__ import annotations

import re
from enum import Enum
from typing import NamedTuple
from urllib.parse import quote

MAX_DECODES = 4
_ESCAPE = re.compile(rb"%([0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class Kind(Enum):
    """What the proxy does with a route."""

    CHAT = "chat"  # POST /v1/chat/completions: prompt and answer checked
    COMPLETIONS = "completions"  # POST /v1/completions: prompt and answer checked
    MODELS = "models"  # GET /v1/models[/id]: no text in either direction, forwarded


class Target(NamedTuple):
    """A known route, and the path it is sent upstream on."""

    kind: Kind
    path: str
    methods: frozenset[str]


_POST = frozenset({"POST"})
_GET = frozenset({"GET"})
ROUTES: dict[tuple[str, ...], Kind] = {("v1", "chat", "completions"): Kind.CHAT,
                                       ("v1", "completions"): Kind.COMPLETIONS, ("v1", "models"): Kind.MODELS}


def segments(raw: bytes) -> list[str] | None:
    """The path's segments after decoding and resolving dot segments, case kept; ``None``
    for a path that cannot be decoded. The query string, if any, is not part of it."""
    path = raw.split(b"?", 1)[0]
    for _ in range(MAX_DECODES):
        if b"%" not in path:
            break
        if path.count(b"%") != len(_ESCAPE.findall(path)):
            return None  # a '%' that starts no escape: no server reads it the same way
        path = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), path)
    else:
        if b"%" in path:
            return None
    try:
        text = path.decode("utf8")
    except UnicodeDecodeError:
        return None
    if _CONTROL.search(text):
        return None
    out: list[str] = []
    for seg in text.replace("\\", "/").split("/"):
        seg = seg.split(";", 1)[0]
        if seg in ("", "."):
            continue
        if seg == "..":
            if out:
                out.pop()
            continue
        out.append(seg)
    return out


def normalise(raw: bytes) -> str | None:
    """The normalised path, lower case: what routing compares."""
    got = segments(raw)
    return None if got is None else "/" + "/".join(s.lower() for s in got)


def route(raw: bytes) -> Target | None:
    """The known route a raw path spells, if any."""
    got = segments(raw)
    if got is None:
        return None
    key = tuple(s.lower() for s in got)
    kind = ROUTES.get(key)
    if kind is not None:
        return Target(kind, "/" + "/".join(key), _GET if kind is Kind.MODELS else _POST)
    if len(key) == 3 and key[:2] == ("v1", "models"):  # one model: its id keeps its case
        return Target(Kind.MODELS, "/v1/models/" + quote(got[2], safe=""), _GET)
    return None


def canonical(raw: bytes) -> str | None:
    """The decoded, resolved path with its case kept, re-escaped: how an unknown route is
    forwarded when forwarding is allowed."""
    got = segments(raw)
    return None if got is None else "/" + "/".join(quote(s, safe="") for s in got)
