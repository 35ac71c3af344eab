"""JSON bodies with every key once.

orjson keeps the last of two equal keys, so ``{"text": "冰毒", "text": "hello"}`` would be
checked as ``hello`` by one reader and passed on as ``冰毒`` by another: a body with a
repeated key, at any depth, is refused.

orjson parses first (the fast path). A repeated key needs more key tokens in the body than
the parsed objects hold, and every key token ends with ``"`` and then ``:`` (whitespace
between them allowed); inside a string a quote is always escaped. So when the body holds
no more such endings than the parsed objects hold keys — nearly always — there is no
repetition, and only otherwise is the body parsed again with a hook that sees every pair.
A key spelt with escapes (``"t\\u0065xt"``) still ends with ``":``, so it is counted too.
"""
from __future__ import annotations

import json
import re
from typing import Any

import orjson

_KEY_END = re.compile(rb'"[ \t\r\n]*:')


class DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(f"the key {key!r} appears twice in one object")
        self.key = key


class TooDeep(ValueError):
    pass


def _keys(value: Any) -> int:
    """How many keys the parsed objects hold, at every depth (no recursion: orjson takes
    1,024 levels, more than Python's stack)."""
    count, todo = 0, [value]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            count += len(item)
            todo.extend(v for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            todo.extend(v for v in item if isinstance(v, dict | list))
    return count


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DuplicateKey(key)
        out[key] = value
    return out


def loads(raw: bytes) -> Any:
    """Parse ``raw`` (orjson.JSONDecodeError if it is not JSON; DuplicateKey if an object
    repeats a key; TooDeep past what the exact check can follow)."""
    data = orjson.loads(raw)
    if isinstance(data, dict | list) and len(_KEY_END.findall(raw)) > _keys(data):
        try:
            json.loads(raw, object_pairs_hook=_unique)  # the exact check, only when it may be needed
        except RecursionError:
            raise TooDeep("the body is nested too deeply") from None
    return data
