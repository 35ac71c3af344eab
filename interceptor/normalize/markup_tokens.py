"""The markup and layout writings the layout view reads (``markup``): how each is found, and
what its reader sees in its place.

Each kind of writing is a branch of one regex, built for the kinds a text may hold
(``kinds``: a few ``in`` tests of one character), whose ``re.split`` returns the tokens
between the kept text; ``token`` says, for one token and the characters beside it, what
replaces it (``Token``), and whether that changes what a term could match there (only the
pieces of a text that hold such a token are read again).
"""
from __future__ import annotations

import html
import re
import sys
from functools import cache
from typing import NamedTuple

from interceptor.normalize.tables import letters_like

# pictographic symbols removed inside a word (the enclosed alphanumerics and a regional
# indicator alone are letters written in another form, not symbols: left to the character
# tables; two regional indicators are a flag)
_EMOJI_BMP = "\u2190-\u21ff\u2300-\u23ff\u25a0-\u27bf\u2900-\u297f\u2b00-\u2bff\u3030\u303d"
_EMOJI = _EMOJI_BMP + "\U0001f000-\U0001f0ff\U0001f200-\U0001faff"
_FLAG = "[\U0001f1e6-\U0001f1ff]"
_EMOJI_PARTS = f"(?:[{_EMOJI}\ufe0f\u200d\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]|{_FLAG}{{2}}|[0-9#*]\ufe0f?\u20e3)"
_WORD = r"[^\W_]"
_LETTER = r"[^\W\d_]"
_TAG = r"<(?:/?[A-Za-z][A-Za-z0-9-]{0,31}(?:[\s/][^<>]{0,512})?|!--[^<>]{0,256}?--)>"
# what emphasis markers enclose: a word character, or up to 64 characters from one to another
# (a few words), without a marker or a line break; underscores only letters and digits (an
# underscore inside a word is an identifier's far more often than emphasis: ``foo_bar and
# baz_qux`` is not one emphasised phrase)
_ENCLOSED = rf"{_WORD}(?:[^\n*_~`<>]{{0,62}}{_WORD})?"


def _emphasis(marker: str) -> str:
    """An emphasised part of a word after the marker's first character (consumed and checked
    by the caller): the opening marker inside a word, or the closing one. Each branch starts
    with a character, so that the regex engine skips it at once where that is not next."""
    enclosed = f"{_WORD}+" if marker[0] == "_" else _ENCLOSED
    m, rest, width = re.escape(marker), re.escape(marker[1:]), len(marker)
    before = f"(?<={_WORD}{m})"
    if width == 1:
        return rf"{enclosed}{m}(?={_WORD})|(?<={_WORD}.){enclosed}{m}"
    return rf"{rest}{before}{enclosed}{m}|{rest}{enclosed}{m}(?={_WORD})"


# What each kind of token is after its first character. A token pattern holds only the kinds
# a text may hold (``kinds``): its first character set is short, so the regex engine skips
# from one candidate to the next, and a candidate tries only the branches of its character.
TAGS, REFERENCES, PERCENTS, OVERRIDES, EMPHASIS, BREAKS, EMOJI, KEYCAPS, LETTERLIKE = (1 << k for k in range(9))


LETTERS_LIKE = letters_like()
"""A symbol drawn as a letter (``℮`` e, ``¢`` c, ``®`` r): between two letters of a script written
with spaces it is that letter (``sh℮et``); anywhere else, and between Han characters, noise."""
_LIKE = "".join(re.escape(c) for c in LETTERS_LIKE)
# letters of the alphabetic scripts a look-alike symbol sits between (Latin, Greek, Cyrillic),
# and their styled forms (ℯ ℓ of the letterlike block, mathematical and full-width letters)
_SPACED_LETTER = ("A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u052f\u2100-\u214f\uff21-\uff3a\uff41-\uff5a"
                  "\U0001d400-\U0001d7ff")

_KINDS: dict[int, tuple[str, str]] = {
    TAGS: ("<", r"(?<=<)(?:/?[A-Za-z][A-Za-z0-9-]{0,31}(?:[\s/][^<>]{0,512})?|!--[^<>]{0,256}?--)>" + f"(?:{_TAG})*"),
    REFERENCES: ("&", r"(?<=&)(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?"),
    PERCENTS: ("%", r"(?<=%)[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2})*"),
    OVERRIDES: ("\u202d\u202e", r"(?<=[\u202d\u202e])[^\u202a-\u202e\u2066-\u2069\n]*\u202c?"),
    # first a gate that most markers fail at once (ASCII art, rules, lists): a word character
    # before the marker, or one after the run of markers
    EMPHASIS: ("*_~`", rf"(?<=[*_~`])(?:(?<={_WORD}.)|(?=[*_~`]{{0,2}}{_WORD}))(?:"
                       + "|".join(f"(?<={re.escape(m[0])})(?:{_emphasis(m)})"
                                  for m in ("***", "**", "*", "~~", "`", "___", "__", "_")) + ")"),
    BREAKS: ("\\-\u00ad\u2010\u2011",
             rf"(?<=[-\u00ad\u2010\u2011])(?=[ \t]*\r?\n)(?<={_LETTER}.)[ \t]*\r?\n[ \t]*(?={_LETTER})"),
    # (every astral character a candidate: one range, where the emoji's own ranges would make
    # the regex engine test each character against each of them)
    EMOJI: (_EMOJI_BMP + "\U00010000-\U0010ffff",
            rf"(?:(?<={_WORD}[{_EMOJI}])|(?<={_WORD}{_FLAG}){_FLAG}){_EMOJI_PARTS}*(?={_WORD})"),
    LETTERLIKE: (_LIKE, rf"(?<=[{_SPACED_LETTER}][{_LIKE}])[{_LIKE}]{{0,3}}(?=[{_SPACED_LETTER}])"),
    KEYCAPS: ("0-9#*", rf"(?:\ufe0f\u20e3(?<={_WORD}[0-9#*]\ufe0f\u20e3)|\u20e3(?<={_WORD}[0-9#*]\u20e3))"
                       rf"{_EMOJI_PARTS}*(?={_WORD})"),
}
_TRIGGERS: tuple[tuple[str, int], ...] = (
    ("<", TAGS), ("&", REFERENCES), ("%", PERCENTS), ("*", EMPHASIS), ("_", EMPHASIS), ("~", EMPHASIS),
    ("`", EMPHASIS),
)
_OTHER_TRIGGERS: tuple[tuple[str, int], ...] = (
    ("\u202e", OVERRIDES), ("\u202d", OVERRIDES), ("\u20e3", KEYCAPS), ("★", EMOJI), ("☆", EMOJI),
)


def _str_head() -> int | None:
    """CPython stores a non-ASCII string as a fixed header and 1, 2 or 4 bytes a character
    (the widest it holds): ``sys.getsizeof`` then says in O(1) whether it holds a character
    beyond the BMP (a flag's regional indicators). None where that layout does not hold."""
    head = sys.getsizeof("\U00010000") - 8
    samples = ("é", "é" * 9, "\u4e00" * 5, "\U0001f1e8" * 3, "a\U0001f1e8")
    widths = (1, 1, 2, 4, 4)
    if all(sys.getsizeof(t) == head + w * (len(t) + 1) for t, w in zip(samples, widths, strict=True)):
        return head
    return None


_HEAD = _str_head()


def _may_be_astral(text: str) -> bool:
    """May the non-ASCII ``text`` hold a character beyond the BMP?"""
    return _HEAD is None or sys.getsizeof(text) >= _HEAD + 4 * (len(text) + 1)
_HYPHENS = ("-", "\u00ad", "\u2010", "\u2011")  # looked for only where a line breaks


@cache
def token_pattern(kinds: int) -> re.Pattern[str]:
    """The token regex for the kinds of writing a text may hold: one group, so that
    ``re.split`` returns the tokens between the kept text."""
    first = "".join(_KINDS[k][0] for k in _KINDS if kinds & k)
    branches = "|".join(_KINDS[k][1] for k in _KINDS if kinds & k)
    return re.compile(f"([{first}](?:{branches}))")


# block-level and line-breaking elements: text on either side is not one word
_BLOCK = re.compile(
    r"<\s*/?\s*(?:address|article|aside|blockquote|body|br|caption|center|col|colgroup|dd|details|dialog|dir|"
    r"div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|"
    r"li|link|main|menu|meta|nav|noscript|ol|optgroup|option|p|pre|script|section|select|style|summary|table|"
    r"tbody|td|textarea|tfoot|th|thead|title|tr|ul)(?![A-Za-z0-9-])", re.IGNORECASE)
_TAG_AT = re.compile(_TAG)
_TAG_BEFORE = re.compile(_TAG + r"\Z")
_GROW = 8  # most tags a hit's span grows over on either side
_TAG_NAME = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)")
_ALNUM = re.compile(_WORD)
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
# scripts written without spaces: a tag beside one of their characters is inside the text's words
_UNSPACED = re.compile("[\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff\u2e80-\u2fdf\u3040-\u9fff\uac00-\ud7af"
                       "\uf900-\ufaff\uff66-\uff9f\U00020000-\U000323af]")

COPY, DECODED, PERCENT, REVERSED, BETWEEN = range(5)
_HAS_FLAG = re.compile(_FLAG).search


def kinds(text: str, symbols: bool, letterlike: bool = False) -> int:
    """The kinds of writing ``text`` may hold, by the characters they need (a few ``in``
    tests of one character, nothing else for a text without them); ``symbols``: does it hold
    a symbol that reads as a syllable (``TextViews.has_symbols``: the emoji the tables know);
    ``letterlike``: may it hold a symbol drawn as a letter (``Kind.LETTERLIKE`` of its views)."""
    found = 0
    for c, kind in _TRIGGERS:
        if c in text:
            found |= kind
    if "\n" in text:
        for c in _HYPHENS:
            if c in text:
                found |= BREAKS
                break
    if text.isascii():
        return found
    if symbols or (_may_be_astral(text) and _HAS_FLAG(text) is not None):  # a flag reads as no syllable
        found |= EMOJI
    if letterlike:
        found |= LETTERLIKE
    for c, kind in _OTHER_TRIGGERS:
        if c in text:
            found |= kind
    return found


def with_tags(text: str, start: int, end: int) -> tuple[int, int]:
    """The span ``text[start:end]`` of a hit read across tags, grown over the inline tags
    just outside it that open or close one of the tags inside it (``su<b>ка</b>``: the mask
    covers ``</b>`` too, since its ``<b>`` is part of how the term was written)."""
    inside = _names(text[start:end])
    if not inside:
        return start, end
    for _ in range(_GROW):
        tag = _TAG_AT.match(text, end)
        if tag is None or _is_block(tag.group()) or not inside & _names(tag.group()):
            break
        end = tag.end()
    for _ in range(_GROW):
        tag = _TAG_BEFORE.search(text, max(0, start - 600), start)
        if tag is None or _is_block(tag.group()) or not inside & _names(tag.group()):
            break
        start = tag.start()
    return start, end


def _names(tags: str) -> set[str]:
    return {m.lower() for m in _TAG_NAME.findall(tags)}


class Token(NamedTuple):
    replacement: str
    kind: int  # of the segment the replacement makes
    relevant: bool  # does reading it change what a term could match?
    skip: int = 0  # original characters of the token before those the replacement stands for


DROP = Token("", COPY, True)
# an emoji or symbol between letters, removed in the layout view too; unlike a tag or a
# hyphenated line break it is seen, so the words on either side stay words (``buy★meth``)
VISIBLE = Token("", COPY, True)
KEEP = Token("", COPY, False)  # the original characters stay as they are
_MARKERS = "*_~`"
_APOSTROPHES = "'’"


def _in_word(c: str) -> bool:
    return c.isalnum() or c in _APOSTROPHES


def token(tok: str, before: str, after: str) -> Token | None:
    """What the reader sees for one token between ``before`` and ``after`` (a character
    each, or empty); None for a block-level tag run (a cut between pieces)."""
    c = tok[0]
    if c == "<":
        if _is_block(tok):
            return None
        inside = (_in_word(before) and _in_word(after)) or _UNSPACED.search(before + after) is not None
        return Token("", COPY, inside)
    if c == "&":
        char = _entity(tok)
        if char == tok:
            return KEEP
        return Token(char, DECODED, char.isalnum() or (_in_word(before) and _in_word(after)))
    if c == "%":
        decoded = _percent(tok)
        if decoded is None:
            return KEEP
        relevant = _ALNUM.search(decoded) is not None or (_in_word(before) and _in_word(after))
        return Token(decoded, PERCENT, relevant)
    if c in "\u202d\u202e":
        run = tok[1:-1] if tok.endswith("\u202c") else tok[1:]
        rtl = _RTL.search(run) is not None
        if (c == "\u202e") == rtl or _ALNUM.search(run) is None:
            return KEEP  # the run displays as written
        return Token(run[::-1], REVERSED, True, 1)
    if c in LETTERS_LIKE:  # a run of symbols drawn as letters, between two letters
        return Token("".join(LETTERS_LIKE[x] for x in tok), DECODED, True)
    if c in _MARKERS and tok[-1] == c:
        m = len(tok) - len(tok.lstrip(c))
        return Token(tok[m:-m], COPY, True, m)  # the emphasised letters, without their markers
    return DROP if "\n" in tok else VISIBLE  # a hyphenated line break; emoji inside a word


_BLOCKS: dict[str, bool] = {}


def _is_block(tags: str) -> bool:
    """Does a run of tags hold a block-level one? (Pages repeat their tags: remembered.)"""
    got = _BLOCKS.get(tags)
    if got is None:
        got = _BLOCK.search(tags) is not None
        if len(_BLOCKS) < _CACHE_LIMIT and len(tags) <= 96:
            _BLOCKS[tags] = got
    return got


_ENTITIES: dict[str, str] = {}
_PERCENTS: dict[str, str | None] = {}
_CACHE_LIMIT = 4096


def _entity(tok: str) -> str:
    got = _ENTITIES.get(tok)
    if got is None:
        got = html.unescape(tok)
        if len(_ENTITIES) < _CACHE_LIMIT:
            _ENTITIES[tok] = got
    return got


def _percent(tok: str) -> str | None:
    """Percent-encoded UTF-8 decoded, or None when the bytes are not UTF-8."""
    if tok in _PERCENTS:
        return _PERCENTS[tok]
    try:
        got: str | None = bytes.fromhex(tok.replace("%", "")).decode("utf-8")
    except UnicodeDecodeError:
        got = None
    if len(_PERCENTS) < _CACHE_LIMIT and len(tok) <= 96:
        _PERCENTS[tok] = got
    return got


# an underscore right after the word that follows a pair of underscores, or before the word
# that precedes it: the words of an identifier, not emphasis
_CHAIN_AFTER = re.compile(rf"{_WORD}*_")
_CHAIN_BEFORE = re.compile(rf"_{_WORD}*\Z")


def in_identifier(text: str, start: int, end: int) -> bool:
    """Is the pair of underscores ``text[start:end]`` (``_in_``) one link of an identifier's
    chain (``but_in_fact_it_was``)?"""
    if _CHAIN_AFTER.match(text, end):
        return True
    return _CHAIN_BEFORE.search(text, max(0, start - 64), start) is not None


def spaced(c: str) -> bool:
    """Is ``c`` a letter or digit of a script written with spaces between words?"""
    return c.isalnum() and _UNSPACED.match(c) is None
