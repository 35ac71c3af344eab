"""Places in a JSON document: every string of a body found, named, and written back.

The proxy's rule is that no string reaches the model unchecked, whatever shape the body
has, so its texts are found by walking the whole document rather than by reading the
fields the OpenAI API documents today. The walk is iterative (bodies nest as deep as the
JSON parser allows) and in document order; a masked text is written back to the place it
came from, a masked dict key renamed where it stands.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

Step = str | int
Place = tuple[Step, ...]


class Slot(NamedTuple):
    """Where a string is: the value at ``place``, or with ``is_key`` the dict key ``place[-1]``
    of the object at ``place[:-1]``."""

    place: Place
    is_key: bool = False


def show(place: Place) -> str:
    """``('messages', 2, 'content')`` as ``messages[2].content``: how records name a place."""
    out = ""
    for step in place:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


def strings(value: Any, place: Place = (), keys: bool = True,
            skip: frozenset[str] = frozenset()) -> Iterator[tuple[Slot, str]]:
    """Every string in ``value``: values, and with ``keys`` the keys of every object. What
    stands under a key in ``skip`` is left out, whole."""
    stack: list[tuple[Any, Place, bool]] = [(value, place, False)]  # (item, its place, it is a key)
    while stack:
        item, at, is_key = stack.pop()
        if is_key:
            yield Slot(at, is_key=True), item
        elif isinstance(item, str):
            yield Slot(at), item
        elif isinstance(item, dict):
            nested: list[tuple[Any, Place, bool]] = []
            for k, v in item.items():
                if keys:
                    nested.append((k, (*at, k), True))
                if k not in skip:
                    nested.append((v, (*at, k), False))
            stack.extend(reversed(nested))
        elif isinstance(item, list):
            stack.extend((v, (*at, i), False) for i, v in reversed(list(enumerate(item))))


def get(root: Any, place: Place) -> Any:
    for step in place:
        root = root[step]
    return root


def put(root: Any, slot: Slot, text: str) -> None:
    """Write ``text`` at ``slot``: replace a value, or rename a key keeping the key order."""
    if not slot.place:
        raise ValueError("the root of a document is not a place to write a string")
    holder = get(root, slot.place[:-1])
    last = slot.place[-1]
    if not slot.is_key:
        holder[last] = text
        return
    items = [(text if k == last else k, v) for k, v in holder.items()]
    holder.clear()
    holder.update(items)


def put_all(root: Any, edits: list[tuple[Slot, str]]) -> None:
    """Apply several writes: values first, then keys from the deepest up, so that no write
    moves the place of another."""
    for slot, text in edits:
        if not slot.is_key:
            put(root, slot, text)
    for slot, text in sorted((e for e in edits if e[0].is_key), key=lambda e: -len(e[0].place)):
        put(root, slot, text)
