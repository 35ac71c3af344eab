"""Precision: the rules that keep ordinary words that sound or look like a term passing,
each beside the screen that applies it to the views before the full check.

An evader changes some characters of a term and keeps others, so the reader still
recognises it; a run of characters that merely sounds or looks like a term is another
phrase. ``plausible_change`` and ``edges_in_words`` decide that on the original text, in the
full check (``check.ScanContext.check_units``); ``sound_may_hit``, ``look_may_hit`` and
``edges_free`` are the same rules read off the dense literal view and its map alone, so that
most candidates never reach the full check. A test holds the screens to the rules (the
answers do not change with the screens off).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources

from interceptor.engine.gaps import COMBINING_REACH
from interceptor.normalize.lookalike import is_lookalike
from interceptor.normalize.tables import CYRILLIC, WORD, CharClass, Tables, is_han
from interceptor.normalize.views import PositionMap


# ---------------------------------------------------------------------- rules
def edges_in_words(text: str, t: Tables, spans: list[tuple[int, int]], changed: list[int] | None = None) -> bool:
    """Does either end of the match form a word with the character beside it: an
    everyday word, or — where that end's character was changed — any dictionary word,
    however rare (倚危|楼: 危楼, not 倚偎)? ``edges_free`` is the same on the views (its screen)."""
    a, b = spans[0][0], spans[-1][1]
    if a > 0:
        before, first = t.fold_char(text[a - 1]), t.fold_char(text[a])
        if before + first in t.words_zh or (changed and changed[0] == 0 and t.is_word2(before, first)):
            return True
    if b < len(text):
        last, after = t.fold_char(text[b - 1]), t.fold_char(text[b])
        if last + after in t.words_zh or (changed and changed[-1] == len(spans) - 1 and t.is_word2(last, after)):
            return True
    return False

def other_letter_same_script(o: str, u: str, t: Tables) -> bool:
    """Is text letter ``o`` another letter than term letter ``u`` of the same non-Latin
    script, the two folding to one Latin look-alike (Cyrillic ``г`` and ``я`` both look like
    ``r``, ``п`` and ``и`` like ``n``)? Then the text is another word of that script (``мог``
    is not ``моя``): a homoglyph is a letter of another script, or a styled one, written in
    a word's place. Case and diacritics aside (``Я``, ``ё`` are the term's ``я``, ``е``);
    Latin letters are left to the Latin rules (``ɑ`` for ``a`` is an evasion)."""
    if ord(o) in t.styled or ord(u) in t.styled:
        return False
    a, b = letter_base(o), letter_base(u)
    if a == b or a.isascii() or b.isascii():
        return False
    sa, sb = unicodedata.name(a, ""), unicodedata.name(b, "")
    script = sa.split(" ", 1)[0]
    return script != "LATIN" and script == sb.split(" ", 1)[0]


def letter_base(c: str) -> str:
    """``c`` lower-cased without its diacritics."""
    return unicodedata.normalize("NFD", c.lower())[:1] or c


# The diacritics pinyin writes: tone marks (macron, acute, caron, grave) and ü's diaeresis.
PINYIN_MARKS = frozenset("\u0304\u0301\u030c\u0300\u0308")
NEIGHBOURS = 4  # words either side that say which language a Latin run is written in
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")


def not_pinyin(text: str, t: Tables, start: int, end: int, initials: bool = False) -> bool:
    """Is the Latin run ``text[start:end]``, read as pinyin, rather a word of another
    Latin-script language (Danish ``Du må`` is not 赌马, Spanish ``tema`` not 特码, an English
    ``XYZ`` not initials)? Two signs, read from the text alone:

    * a diacritic pinyin never writes (``må``'s ring: pinyin marks tones and ü only);
    * the words beside it are a sentence of another language (``other_language_around``,
      pinyin counting as the run's own language). A run alone, or among English words or
      pinyin, is read as pinyin; initials (``xyz``) only alone or among pinyin: among English
      words they are an acronym.

    Only for a run with no Han character near it (``check.ScanContext._english_context``).
    """
    for ch in text[start:end]:
        d = unicodedata.normalize("NFD", ch)
        if len(d) > 1 and any(m not in PINYIN_MARKS for m in d[1:]):
            return True
    return other_language_around(text, t, start, end, english=not initials, pinyin=True)


def other_language_around(text: str, t: Tables, start: int, end: int, english: bool = True,
                          pinyin: bool = False, own: Callable[[str], bool | None] | None = None) -> bool:
    """Are the Latin-script words beside ``text[start:end]`` (``NEIGHBOURS`` either side,
    written in small letters, of three letters or more) a sentence of another language than
    English (or pinyin): more of them than not neither everyday English words written without
    diacritics nor, with ``pinyin``, runs of syllables, nor words ``own`` says are the run's
    own language's (Russian in Latin letters beside a transliterated term; None from it: the
    word says nothing)? Words of two letters say nothing (la,
    es, de are English, Spanish and pinyin alike), nor do names and acronyms (Ginsburg, SNL);
    no words beside it is no other language."""
    foreign, known = _words_around(text, t, start, end, english, pinyin, own)
    return foreign > known


def english_around(text: str, t: Tables, start: int, end: int) -> bool:
    """Are the Latin-script words beside ``text[start:end]`` (as ``other_language_around``
    counts them) more of them everyday English words than not, and one at least?"""
    foreign, known = _words_around(text, t, start, end, True, False)
    return known > foreign


def _words_around(text: str, t: Tables, start: int, end: int, english: bool, pinyin: bool,
                  own: Callable[[str], bool | None] | None = None) -> tuple[int, int]:
    """How many of the words beside ``text[start:end]`` are of another language, and how many
    English (``english``), pinyin (``pinyin``) or the run's own (``own``)."""
    before = _LATIN_WORD.findall(text, max(0, start - 16 * NEIGHBOURS), start)[-NEIGHBOURS:]
    after = _LATIN_WORD.findall(text, end, end + 16 * NEIGHBOURS)[:NEIGHBOURS]
    foreign = known = 0
    for w in before + after:
        if len(w) < 3 or not w.islower():
            continue  # two letters say nothing; names and acronyms are every language's
        f = "".join(t.fold_char(c) for c in w)
        mine = own(f) if own is not None else False
        if mine is None:
            continue
        if (english and f in t.words_en and w.isascii()) or (pinyin and _is_pinyin(f, t.syllable_code)) or mine:
            known += 1
        else:
            foreign += 1
    return foreign, known


_OPENERS = frozenset("\"'“‘«‹([{¿¡-–—")


def written_as_name(text: str, t: Tables, start: int, end: int) -> bool:
    """Is the Latin run ``text[start:end]`` written as a name: a word with a capital first
    letter and small ones after it, not at the start of the text or of a sentence (Auguste
    ``Dupin``, add me on ``Weixin``), or a run of two or more such words (``Wei Xin``,
    ``Du Pin``)? A name spells its bearer, not pinyin of a term. (Only for a run with no Han
    character near it: among Han characters pinyin is written capitalised too.)"""
    words = _LATIN_WORD.findall(text, start, end)
    titled = [len(w) > 1 and w[0].isupper() and w[1:].islower() for w in words]
    if not any(titled):
        return False
    if len(words) > 1 and all(titled):
        return True
    before = text[max(0, start - 16):start].rstrip()
    while before and before[-1] in _OPENERS:
        before = before[:-1].rstrip()
    return bool(before) and before[-1] not in t.terminals and before[-1] != ":"


def another_word_by_diacritics(text: str, t: Tables, start: int, end: int, term: str, lang: str) -> bool:
    """Is a match whose letters differ from the term's by diacritics alone another word?

    * The word as written is an everyday word of a Latin-script language that another
      everyday word spells with other diacritics (``Tables.accent_words``: Spanish ``año`` is
      not *ano*, nor ``cono`` *coño*, German ``machten`` not *mächten*, ``Stück`` not
      *stuck*) — unless the term is an English word the text writes with diacritics added,
      in an English sentence (``you are such a stück up person``): English orders no
      letter with diacritics as its own, so there they are written onto the term. A word
      written without the term's diacritics is another word only where it is a word of the
      term's own language (``cono``); elsewhere it is the same word as another language
      spells it (``videos``, ``policia`` for Spanish *vídeos*, *policía*).
    * Or, for such an English term, the added letter is one some language orders as its own
      and the sentence around is not English (``diacritics_of_another_language``).

    A word no language writes that way (``putá``, ``fück``, ``cabron``) is the term."""
    written = unicodedata.normalize("NFC", text[start:end].lower())
    english = lang in ("en", "") and term.isascii()
    langs = t.accent_words.get(written)
    if langs is not None and written != unicodedata.normalize("NFC", term.lower()):
        if written.isascii():
            # without the term's diacritics: another word where the term's own language has
            # it (cono, coño); else the same word spelt as another language spells it
            # (videos, policia for vídeos, policía)
            return lang.split("-")[0] in langs.split(",")
        return not (english and english_around(text, t, start, end))
    return diacritics_of_another_language(text, t, start, end, term, lang)


LETTERS_REACH = 48  # characters either side of a match in which another language's letters count


def cyrillic_near(text: str, start: int, end: int) -> bool:
    """Is a Cyrillic letter within ``LETTERS_REACH`` characters of ``text[start:end]``? Then a
    Latin word there that reads as a Russian term (written in Latin letters, or typed on the
    Latin keys) is Russian among Russian words."""
    return CYRILLIC.search(text, max(0, start - LETTERS_REACH), end + LETTERS_REACH) is not None


def letters_of_another_language(text: str, t: Tables, start: int, end: int) -> bool:
    """Does a letter with diacritics that some Latin-script language orders as its own
    (``Tables.own_letters``: é, ñ, ü, ł, ř) stand within ``LETTERS_REACH`` characters of
    ``text[start:end]``? Then the text around it is written in that language, and a word
    in it that reads as a transliterated Russian term (Spanish *huesos*, Italian *patroni*)
    is that language's: Russian typed in Latin letters writes none of them."""
    own = t.own_letters
    near = text[max(0, start - LETTERS_REACH):start] + text[end:end + LETTERS_REACH]
    if near.isascii():
        return False
    return any(c in own for c in unicodedata.normalize("NFC", near.lower()))


def diacritics_of_another_language(text: str, t: Tables, start: int, end: int, term: str, lang: str) -> bool:
    """Is a match that adds diacritics to an English term's letters a word of another
    language (German ``Stück`` is not *stuck*, Spanish ``réplica`` not *replica*)? The added
    letter must be one some language orders as a letter of its own (``Tables.own_letters``:
    ü, é — not the trema of French ``cocaïne``, which is still *cocaine*), and the sentence
    around the word not English (``other_language_around``); in an English sentence the
    diacritics are written onto the term (``fück``). Terms of other languages, and matches
    that add none, are left as they are."""
    if lang not in ("en", "") or not term.isascii():
        return False
    written = text[start:end].lower()
    if not any(c in t.own_letters for c in unicodedata.normalize("NFC", written)):
        return False
    return other_language_around(text, t, start, end)


def _is_pinyin(word: str, syllables: dict[str, str]) -> bool:
    """Can ``word`` be read as a run of toneless syllables (``bingdu``)?"""
    n = len(word)
    ok = [True] + [False] * n
    for i in range(n):
        if ok[i]:
            for j in range(i + 1, min(n, i + 6) + 1):
                if word[i:j] in syllables:
                    ok[j] = True
    return ok[n]


def crosses_sentence_end(text: str, t: Tables, spans: list[tuple[int, int]]) -> bool:
    """Does the match run from the end of one sentence into the next (…他很难。🇨🇳关于… is
    not 难关)? A gap between two Han units that holds sentence-final punctuation (Unicode's
    Sentence_Terminal; an ASCII full stop only before a space: in Chinese text ``冰.毒`` is a
    separator) ends a sentence when the text goes on as a sentence on both sides: a word
    character right before the match's first unit and right after its last. Written as
    noise between the term's own characters (``冰。毒`` alone, ``买冰。毒！``), it is no end.
    """
    if not (_word_beside(text, t, spans[0][0] - 1, -1) and _word_beside(text, t, spans[-1][1], 1)):
        return False
    terminals = t.terminals
    for k in range(1, len(spans)):
        a, b = spans[k - 1][1], spans[k][0]
        if b <= a or not (is_han(text[a - 1]) and is_han(text[b])):
            continue
        for i in range(a, b):
            c = text[i]
            if c in terminals and (c != "." or (i + 1 < b and text[i + 1].isspace())):
                return True
    return False


def _word_beside(text: str, t: Tables, i: int, step: int) -> bool:
    """Is the first character from ``i`` on in direction ``step`` that matching does not remove
    a letter, digit or Han character?"""
    cls = t.cls_bytes
    for _ in range(COMBINING_REACH):
        if i < 0 or i >= len(text):
            return False
        k = cls[ord(text[i])]
        if k == WORD:
            return True
        if not CharClass(k).removed:
            return False
        i += step
    return False


def plausible_change(text: str, t: Tables, folded_term: str, spans: list[tuple[int, int]], changed: list[int],
                     homophones: list[int], deliberate: bool) -> bool:
    """Precision for homophones and look-alikes: reject everyday words and split words.

    An evader changes some characters of a term and keeps others, so the reader still
    recognises it; a run of characters that merely sounds like a term is a different
    phrase. At most half the characters (rounded up, and never all) may change, and
    not to a function character, unless deliberate noise or a symbol shows intent.
    """
    n_units = len(spans)
    if len(changed) >= n_units or len(changed) > (n_units + 1) // 2:
        return False
    if changed and words_across(text, t, spans, changed):
        return False  # a longer everyday word runs across an end: 俄|罗斯人, 圣|马力诺, 香格里|拉
    if deliberate:
        return True
    if n_units == 2 and homophones and all(t.fold_char(text[x]) in frequent_zh() for x, _ in spans):
        return False  # two of the most frequent characters that sound like a term (住进): ordinary text
    for k in homophones:
        # An evader does not write a function character (之, 是, 的) for the sound of a
        # term's character; a look-alike (自 for 白) is chosen for its shape instead.
        if t.fold_char(text[spans[k][0]]) in t.common_zh:
            return False
    if n_units == 2:
        a, b = (t.fold_char(text[x]) for x, _ in spans)
        if t.in_word_pair(a, b):
            return False
    written = "".join(t.fold_char(text[a]) for a, _ in spans)
    if written != folded_term and written in t.words_zh:
        return False
    # A changed writing must stand apart from its neighbours: if either end of the match
    # forms a word with the character beside it (来制|作, 于杯|中, 倚危|楼), the match
    # cuts through ordinary words.
    return not edges_in_words(text, t, spans, changed)


@cache
def frequent_zh() -> frozenset[str]:
    """The Han characters that make up seven tenths of running text (``tables/frequent_zh.txt``)."""
    text = resources.files("interceptor.normalize").joinpath("tables", "frequent_zh.txt").read_text(encoding="utf8")
    return frozenset("".join(ln for ln in text.splitlines() if ln and ln[0] != "#"))


@cache
def plain_symbols() -> frozenset[int]:
    """Symbols with a reading that are no pictographs (``tables/plain_symbols.txt``): shapes,
    arrows and bullets, which ordinary text uses as punctuation (●, ■, →)."""
    text = resources.files("interceptor.normalize").joinpath("tables", "plain_symbols.txt").read_text(encoding="utf8")
    return frozenset(ord(c) for ln in text.splitlines() if ln and ln[0] != "#" for c in ln)


ACROSS = (3, 5)
"""Lengths of the everyday words looked for across either end of a changed match."""


def words_across(text: str, t: Tables, spans: list[tuple[int, int]], changed: list[int]) -> bool:
    """Does an everyday word of ACROSS characters run across either end of the match, part
    inside it — a changed character among them — and part in the Han characters beside it
    (俄|罗斯人 for 罗思人)? Made of the term's own characters only, it is the term's context
    (未成|年人 holds 成年人)."""
    inside = [t.fold_char(text[a]) for a, _ in spans]
    first, last = min(changed), max(changed)
    a, b = spans[0][0], spans[-1][1]
    words = t.words_zh
    # the Han characters beside the match, folded once, up to the first one that is not Han
    reach = ACROSS[1] - 1
    before = "".join(reversed(_han_run(reversed(text[max(0, a - reach):a]), t)))
    after = _han_run(text[b:b + reach], t)
    for n in range(ACROSS[0], ACROSS[1] + 1):
        for k in range(1, min(n, len(inside) + 1)):  # k characters inside, n - k outside
            out = n - k
            if first < k and out <= len(before) and before[len(before) - out:] + "".join(inside[:k]) in words:
                return True
            if last >= len(inside) - k and out <= len(after) and "".join(inside[-k:]) + after[:out] in words:
                return True
    return False


def _han_run(chars: Iterable[str], t: Tables) -> str:
    """The characters folded, up to the first one that is not Han."""
    out = []
    for c in chars:
        if not is_han(c):
            break
        out.append(t.fold_char(c))
    return "".join(out)


# ---------------------------------------------------------------------- screens
# Necessary conditions of the rules above for the two channels that find most candidates,
# read off the dense literal view (folded characters) and its map alone: an automaton match
# that fails them cannot hit, and never costs the full check.


def sound_may_hit(literal: str, s: int, e: int, term: str, dmap: PositionMap, t: Tables) -> bool:
    """Can the sound match ``literal[s:e]`` of the all-Han ``term`` be a hit?

    Most matches of a sound pattern are ordinary words that sound alike, or pairs cut out
    of two words (经济|发展 reads like 击发): the precision rules of ``plausible_change``.
    """
    written = literal[s:e]
    if written == term:
        return True
    n = len(term)
    contiguous = dmap[e - 1] - dmap[s] == e - s - 1
    if n == 2:  # the common case, spelled out
        if written[0] != term[0]:
            if written[1] != term[1]:
                return False  # both changed: another phrase that sounds alike
            changed = written[0]
        else:
            changed = written[1]
        if not contiguous:
            return True  # noise inside: the full check weighs it
        if changed in t.common_zh or t.in_word_pair(written[0], written[1]):
            return False
    else:
        diff = [w for w, c in zip(written, term, strict=True) if w != c]
        if len(diff) >= n or len(diff) > (n + 1) // 2:
            return False  # too many characters changed
        if not contiguous:
            return True
        if written in t.words_zh or any(w in t.common_zh for w in diff):
            return False
    return edges_free(literal, s, e, written, term, dmap, t)


def look_may_hit(literal: str, s: int, e: int, term: str, dmap: PositionMap, t: Tables) -> bool:
    """Can the look-alike match ``literal[s:e]`` of ``term`` (folded) be a hit? One
    character may change (two make another phrase), to a look-alike of the term's own."""
    written = literal[s:e]
    if len(written) != len(term):
        return False
    changed = [k for k in range(len(term)) if written[k] != term[k]]
    if not changed:
        return True
    if len(changed) > 1 or not is_lookalike(term[changed[0]], written[changed[0]]):
        return False
    if dmap[e - 1] - dmap[s] != e - s - 1:
        return True  # noise inside: the full check weighs it
    if (len(term) == 2 and t.in_word_pair(written[0], written[1])) or written in t.words_zh:
        return False
    return edges_free(literal, s, e, written, term, dmap, t)


def edges_free(literal: str, s: int, e: int, written: str, term: str, dmap: PositionMap, t: Tables) -> bool:
    """Does neither end of a contiguous match form a word with the character right beside
    it (``plausible_change``'s edge rules)?"""
    a = dmap[s]
    if s > 0 and dmap[s - 1] == a - 1:
        before = literal[s - 1]
        if before + written[0] in t.words_zh or (written[0] != term[0] and t.is_word2(before, written[0])):
            return False
    if e < len(literal) and dmap[e] == dmap[e - 1] + 1:
        after = literal[e]
        if written[-1] + after in t.words_zh or (written[-1] != term[-1] and t.is_word2(written[-1], after)):
            return False
    return True
