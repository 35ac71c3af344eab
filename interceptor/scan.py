"""``interceptor scan``: JSON Lines in, one verdict line per input line, in order.

A bad line (not JSON, not an object, no string ``text``) answers with an error object and
the run goes on; the output always has exactly one line per input line.
"""
from __future__ import annotations

from typing import Any, BinaryIO

import orjson

from interceptor.engine import Interceptor
from interceptor.types import DIRECTIONS


def _line_result(guard: Interceptor, raw: bytes) -> dict[str, Any]:
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as e:
        return {"id": None, "error": f"invalid JSON: {e}"}
    if not isinstance(obj, dict):
        return {"id": None, "error": "each line must be a JSON object"}
    rid = obj.get("id")
    text = obj.get("text")
    if not isinstance(text, str):
        return {"id": rid, "error": "missing or non-string 'text'"}
    direction = obj.get("direction", "input")
    if direction not in DIRECTIONS:
        return {"id": rid, "error": f"'direction' must be one of {list(DIRECTIONS)}"}
    v = guard.check(text, direction=direction)
    return {"id": rid, "action": v.action.value, "text": v.text, "hits": [h.to_dict() for h in v.hits]}


def scan_stream(lexicon: str, inp: BinaryIO, out: BinaryIO, matcher: str = "daachorse") -> int:
    guard = Interceptor.from_path(lexicon, matcher=matcher)
    buf: list[bytes] = []
    first = True
    for raw in inp:  # a blank line too is a line: it gets its error line
        line = raw.strip()
        result = _line_result(guard, line) if line else {"id": None, "error": "blank line: expected a JSON object"}
        buf.append(orjson.dumps(result) + b"\n")
        if len(buf) >= 256 or first:  # the first answer at once: a caller waiting on it is not kept
            first = False
            out.write(b"".join(buf))
            out.flush()
            buf.clear()
    out.write(b"".join(buf))
    out.flush()
    return 0
