"""Every text of a request that a model sees, found whatever JSON shape carries it.

* Each message's content — a string, or OpenAI content parts (``text``, ``input_text``,
  ``refusal``, plain strings, nested lists) — is one text: its parts are checked *joined*,
  so a term split across two parts is still one term, and each part alone too; a mask is
  written back into the parts it covers.
* ``prompt`` of a completion: a string, or a list of strings (one text each). A list of
  token ids cannot be checked and is refused (400 ``unreadable_prompt``).
* Every other string of the body — names, tool calls and their arguments, tool and function
  descriptions and parameter schemas (property names too: every object key is checked),
  ``system``, response formats, fields no API has yet — is a text of its own.
* Media parts (``image_url``, ``input_audio``, ``file``...) are listed in ``media`` with the
  message they belong to; with image screening enabled the image parts among them are read
  and checked with their message's text (``image_parts``), the others go upstream unchecked.
  Only their payload strings (a URL, the data, a file id) are left out of the texts: any other
  string in them is checked.

Keys are matched as an upstream's decoder may match them: without case (``Content``,
``MESSAGES``, ``meſſages`` are read as ``content`` and ``messages`` by Go's). What cannot be
read as text or parts (a number where content goes, a message that is not an object) is
refused with 400, never forwarded unchecked.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from interceptor.proxy.errors import ProxyError, invalid
from interceptor.proxy.paths import Kind
from interceptor.proxy.places import Place, Slot, put_all, show, strings

MEDIA_TYPES = frozenset({"image_url", "input_image", "image", "input_audio", "audio", "file", "input_file",
                         "video_url", "input_video"})
PAYLOAD_KEYS = frozenset({"url", "image_url", "data", "file_data", "file_id", "video_url"})
PART_TEXT_KEYS = ("text", "refusal")  # what a model reads of a non-media part
OMITTED = 256  # media payloads longer than this are not copied into audit records


class Piece(NamedTuple):
    """One string of the body that is part of a text."""

    slot: Slot
    length: int


class PromptText(NamedTuple):
    """A text as the model reads it, and the strings of the body it is made of."""

    text: str
    pieces: tuple[Piece, ...]
    where: str  # its place, for the audit record
    message: int | None = None  # the message whose content it is: checked with the ones before as context


class MediaPart(NamedTuple):
    """A content part that carries no text: an image, a sound, a file."""

    place: Place
    part: dict[str, Any]
    message: int | None = None  # the message whose content holds it


class Extraction(NamedTuple):
    texts: list[PromptText]
    media: list[MediaPart]


def extract(kind: Kind, body: dict[str, Any]) -> Extraction:
    """Every text and media part of a request body (raises ProxyError 400)."""
    texts: list[PromptText] = []
    media: list[MediaPart] = []
    index = 0  # of a message in the conversation
    if kind is Kind.CHAT:
        for key in _keys(body, "messages"):
            messages = body[key]
            if not isinstance(messages, list):
                raise invalid("invalid_messages", f"{key} must be a list of message objects")
            for i, message in enumerate(messages):
                if not isinstance(message, dict):
                    raise invalid("invalid_messages", f"{key}[{i}] must be an object")
                texts.extend(_message(message, (key, i), index, media))
                index += 1
        texts.extend(_singles(body, (), skip=frozenset(_keys(body, "messages"))))
    else:
        for key in _keys(body, "prompt"):
            texts.extend(_prompt(body[key], key))
        texts.extend(_singles(body, (), skip=frozenset(_keys(body, "prompt"))))
    return Extraction(texts, media)


def _keys(obj: dict[str, Any], *names: str) -> list[str]:
    """The keys of ``obj`` that an upstream may read as one of ``names``: compared casefolded,
    since some JSON decoders (Go's) match field names without case, ``ſ`` and ``K`` included."""
    return [k for k in obj if k.casefold() in names]


def apply_masks(body: dict[str, Any], masked: Iterable[tuple[PromptText, str]]) -> None:
    """Write masked texts back, each piece into the string it came from (a mask keeps the
    length of the text, so the pieces still line up). A string that is part of two checked
    texts (a content part checked joined and alone) gets the stars of both."""
    merged: dict[Slot, list[str]] = {}
    for text, new in masked:
        pos = 0
        for piece in text.pieces:
            was, now = text.text[pos:pos + piece.length], new[pos:pos + piece.length]
            pos += piece.length
            if now == was:
                continue
            chars = merged.setdefault(piece.slot, list(was))
            for i, (a, b) in enumerate(zip(was, now, strict=True)):
                if a != b:
                    chars[i] = b
    put_all(body, [(slot, "".join(chars)) for slot, chars in merged.items()])


def recorded_chat(body: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    """The request's messages as an audit record keeps them: as sent, roles and all, with
    long media payloads replaced by their size."""
    messages = [m for key in _keys(body, "messages") if isinstance(body[key], list) for m in body[key]]
    out = []
    for m in messages:
        if not isinstance(m, dict):
            continue
        content = m.get("content")
        if isinstance(content, list):
            m = {**m, "content": [_without_payload(p) for p in content]}
        out.append(m)
    return tuple(out)


def _without_payload(part: Any) -> Any:
    if not (isinstance(part, dict) and part.get("type") in MEDIA_TYPES):
        return part

    def shrink(value: Any) -> Any:
        if isinstance(value, str) and len(value) > OMITTED:
            return f"<{len(value)} characters omitted>"
        if isinstance(value, dict):
            return {k: shrink(v) for k, v in value.items()}
        return value

    return shrink(part)


def _text(pieces: list[tuple[Slot, str]], where: str, message: int | None = None) -> PromptText:
    return PromptText("".join(s for _, s in pieces), tuple(Piece(slot, len(s)) for slot, s in pieces), where,
                      message)


def _singles(value: Any, place: Place, skip: frozenset[str] = frozenset()) -> list[PromptText]:
    """Each string of ``value`` (keys included) as a text of its own."""
    if isinstance(value, dict) and skip:
        out: list[PromptText] = []
        for k, v in value.items():
            out.append(_text([(Slot((*place, k), is_key=True), k)], show((*place, k))))
            if k not in skip:
                out.extend(_singles(v, (*place, k)))
        return out
    return [_text([(slot, s)], show(slot.place)) for slot, s in strings(value, place)]


def _message(message: dict[str, Any], place: Place, index: int, media: list[MediaPart]) -> list[PromptText]:
    pieces: list[tuple[Slot, str]] = []
    others: list[PromptText] = []
    keys = _keys(message, "content")
    for key in keys:
        content = message[key]
        if isinstance(content, str):
            pieces.append((Slot((*place, key)), content))
        elif isinstance(content, list | dict):
            _parts(content, (*place, key), pieces, others, media, index)
        elif content is not None:
            raise invalid("invalid_content", f"{show((*place, key))} must be a string, a list of parts or null")
    texts = [_text(pieces, show((*place, keys[0] if keys else "content")), index)] if pieces else []
    if len(pieces) > 1:  # and each part alone: what a join allows (白粉 + 蝶) may not be allowed apart
        texts.extend(_text([piece], show(piece[0].place)) for piece in pieces)
    return texts + others + _singles(message, place, skip=frozenset(keys))


def _parts(value: Any, place: Place, pieces: list[tuple[Slot, str]], others: list[PromptText],
           media: list[MediaPart], message: int) -> None:
    """Content parts, nested lists included, in reading order: their text into ``pieces``
    (one text), their other strings into ``others`` (one text each)."""
    stack: list[tuple[Any, Place]] = [(value, place)]
    while stack:
        item, at = stack.pop()
        if isinstance(item, str):
            pieces.append((Slot(at), item))
        elif isinstance(item, list):
            stack.extend((v, (*at, i)) for i, v in reversed(list(enumerate(item))))
        elif isinstance(item, dict):
            if item.get("type") in MEDIA_TYPES:
                media.append(MediaPart(at, item, message))
                others.extend(_text([(slot, s)], show(slot.place)) for slot, s in strings(item, at)
                              if slot.is_key or slot.place[-1] not in PAYLOAD_KEYS)
                continue
            taken = [k for k in _keys(item, *PART_TEXT_KEYS) if isinstance(item[k], str)]
            pieces.extend((Slot((*at, k)), item[k]) for k in taken)
            others.extend(_singles(item, at, skip=frozenset(taken)))
        elif item is not None:
            raise invalid("invalid_content", f"{show(at)}: a content part must be text or an object, "
                                             f"not {type(item).__name__}")


def _prompt(prompt: Any, key: str) -> list[PromptText]:
    if prompt is None:
        return []
    if isinstance(prompt, str):
        return [_text([(Slot((key,)), prompt)], key)]
    if isinstance(prompt, list) and all(isinstance(p, str) for p in prompt):
        return [_text([(Slot((key, i)), p)], f"{key}[{i}]") for i, p in enumerate(prompt)]
    raise ProxyError(400, "unreadable_prompt", "prompt must be a string or a list of strings: token ids "
                                               "cannot be checked, so they are not forwarded")
