"""A held-out set of walk-arounds in other scripts and styled letters, scored with ``score.py``.

    python scripts_walkarounds.py [--out DIR] [--per 100] [--seed 5]
    python /work/shared/eval/score.py DIR -- ../.venv/bin/interceptor scan --lexicon ../lexicons/default

The terms are the bundled lexicon's German, Spanish, Russian and English one-word terms of
four to twelve letters whose variants are the default (never the public eval's); each
technique writes ``--per`` of each language's terms around, inside a saying of Debian's
fortunes in that language (Brown for English), the way an evader would. A technique is named
``<technique>/<lang>``:

* ``styled_*`` — every letter in one style of Unicode's: mathematical bold, script,
  double-struck, monospace, fraktur; circled, negative circled, squared, parenthesised,
  regional indicators; small capitals; superscript (modifier) letters — the letters' names
  with the style's words (Latin-script terms; a letter the style lacks stays plain);
* ``homoglyph_dense`` — every letter that has a Cyrillic or Greek look-alike written as one
  (the reverse for Russian: every Cyrillic letter with a Latin look-alike);
  ``homoglyph_rare`` — letters written as look-alikes of Armenian, Cherokee, Coptic, Lisu and
  Canadian syllabics (Unicode confusables, as shipped by confusable-homoglyphs);
* ``separators`` (``с-у-к-а``, ``b . l . y . a . t``), ``repeats`` (``сууукааа``), ``leet``
  with the script's digits (Cyrillic ``0 3 6 4 @`` for ``о з б ч а``) and ``leet_separators``;
* ``translit`` — Russian in Latin letters, the informal way (``ya sh ch zh y kh ts``);
  ``translit_volapuk`` — the writing that draws letters as digits and other letters (``4`` for
  ч, ``6`` and ``w`` for ш, ``9I`` for я, ``x`` for х), one choice per letter a word;
  ``layout`` — a Russian term typed with the Latin layout on (``cerf`` for ``сука``), an English
  one with the Russian layout on (``агсл``);
  ``umlaut_transcription`` — German with ``ae oe ue ss`` for ``ä ö ü ß``, in capitals half the time;
Arabic terms separated, with a letter repeated, or stretched with tatweel (``أهـبـل``).

``diacritics`` — one or two vowels of a Latin-script term given a diacritic (``fück``).

Negatives: ``trap_diacritics`` — a word of German, Spanish, French, Portuguese, Italian,
Danish or Swedish (from Debian's message catalogues) that is a term but for its diacritics
(``Stück`` and *stuck*, ``machten`` and *mächten*), in a sentence of its language;
``trap_pinyin_word`` — a catalogue sentence of a Latin-script language holding a word or
two that spell a Chinese term's pinyin (``tema``, ``du må``); ``clean`` — catalogue msgstrs
of those languages and of Russian.
"""
from __future__ import annotations

import argparse
import gettext
import json
import random
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(HERE))

import corpora  # noqa: E402

from interceptor.lexicon.model import DEFAULT_VARIANTS  # noqa: E402
from interceptor.lexicon.parse import load_lexicon  # noqa: E402

LANGS = ("de", "es", "ru", "en")
LATIN_LANGS = ("de", "es", "fr", "pt", "it", "da", "sv", "nl", "pl")
WORD = {"ru": re.compile(r"^[а-яё]{4,12}$"), "de": re.compile(r"^[a-zäöüß]{4,12}$"),
        "es": re.compile(r"^[a-záéíóúñü]{4,12}$"), "en": re.compile(r"^[a-z]{4,12}$")}
LOCALE = Path("/usr/share/locale")

STYLES = {  # name patterns: {c} is the capital letter's name (A), {s} the small one's
    "styled_bold": "MATHEMATICAL BOLD SMALL {c}",
    "styled_script": "MATHEMATICAL BOLD SCRIPT SMALL {c}",
    "styled_double_struck": "MATHEMATICAL DOUBLE-STRUCK SMALL {c}",
    "styled_monospace": "MATHEMATICAL MONOSPACE SMALL {c}",
    "styled_fraktur": "MATHEMATICAL FRAKTUR SMALL {c}",
    "styled_circled": "CIRCLED LATIN SMALL LETTER {c}",
    "styled_negative_circled": "NEGATIVE CIRCLED LATIN CAPITAL LETTER {c}",
    "styled_squared": "SQUARED LATIN CAPITAL LETTER {c}",
    "styled_parenthesised": "PARENTHESIZED LATIN SMALL LETTER {c}",
    "styled_regional": "REGIONAL INDICATOR SYMBOL LETTER {c}",
    "styled_small_caps": "LATIN LETTER SMALL CAPITAL {c}",
    "styled_superscript": "MODIFIER LETTER SMALL {c}",
}
RARE_SCRIPTS = ("ARMENIAN", "CHEROKEE", "COPTIC", "LISU", "CANADIAN")
LEET = {"ru": {"о": "0", "з": "3", "б": "6", "ч": "4", "а": "@", "е": "3", "т": "7"},
        "latin": {"o": "0", "e": "3", "a": "4", "i": "1", "s": "5", "t": "7", "b": "8"}}
TRANSLIT = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
            "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
            "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "",
            "э": "e", "ю": "yu", "я": "ya"}
INFORMAL = {"х": ["h", "kh", "x"], "ё": ["yo", "e"], "й": ["y", "i", "j"], "ь": ["", "'"], "я": ["ya", "ia"],
            "ю": ["yu", "iu"], "щ": ["sch", "shch"], "ц": ["ts", "c"]}
# the writings that draw letters as digits and other letters (volapuk), one choice per letter a word
VOLAPUK = {"ч": ["4", "ch"], "ш": ["6", "w", "sh"], "щ": ["w", "sch"], "я": ["9I", "ja", "ya"], "х": ["x", "h"],
           "ж": ["zh", "j"], "ц": ["c", "ts"], "ю": ["ju", "yu"], "й": ["j", "i"], "ь": ["'", ""], "ё": ["jo", "e"]}
UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}
# the US keys of the Russian ЙЦУКЕН layout's letters (the layout written out, not read from the engine)
JCUKEN = dict(zip("ёйцукенгшщзхъфывапролджэячсмитьбю", "`qwertyuiop[]asdfghjkl;'zxcvbnm,.", strict=True))
QWERTY = {k: c for c, k in JCUKEN.items() if k.isalpha()}


def terms() -> dict[str, list[tuple[str, str]]]:
    lex = load_lexicon(ROOT / "lexicons" / "default")
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for t in lex.terms:
        if t.lang in WORD and t.variants == DEFAULT_VARIANTS and t.tier != "monitor" and WORD[t.lang].match(t.text):
            out[t.lang][t.text] = t.category
    return {lang: sorted(d.items()) for lang, d in out.items()}


def confusables() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Latin letter -> Cyrillic/Greek look-alikes, and -> look-alikes of the rarer scripts."""
    import confusable_homoglyphs
    data = json.loads((Path(confusable_homoglyphs.__file__).parent / "confusables.json").read_text())
    common: dict[str, list[str]] = defaultdict(list)
    rare: dict[str, list[str]] = defaultdict(list)
    for x in "abcdefghijklmnopqrstuvwxyz":
        for e in data.get(x, []):
            c = e["c"]
            if len(c) != 1 or not unicodedata.category(c).startswith("L"):
                continue
            name = unicodedata.name(c, "")
            if name.startswith(("CYRILLIC SMALL", "GREEK SMALL")):
                common[x].append(c)
            elif name.startswith(RARE_SCRIPTS):
                rare[x].append(c)
    return common, rare


def styled(word: str, pattern: str) -> str:
    out = []
    for ch in word.replace("ß", "ss"):  # no style has a sharp s
        base = unicodedata.normalize("NFD", ch)
        try:
            out.append(unicodedata.lookup(pattern.format(c=unicodedata.name(base[0]).split()[-1])) + base[1:])
        except KeyError:
            out.append(ch)
    return "".join(out)


def variants(term: str, lang: str, ctx: dict) -> dict[str, str]:  # type: ignore[type-arg]
    rng: random.Random = ctx["rng"]
    out: dict[str, str] = {}
    if lang != "ru":
        for tech, pattern in STYLES.items():
            out[tech] = styled(term, pattern)
        out["homoglyph_dense"] = "".join(rng.choice(ctx["common"][c]) if ctx["common"].get(c) else c for c in term)
        rare = [i for i, c in enumerate(term) if ctx["rare"].get(c)]
        if rare:
            pick = set(rng.sample(rare, min(len(rare), max(1, len(term) // 3))))
            out["homoglyph_rare"] = "".join(rng.choice(ctx["rare"][c]) if i in pick else c for i, c in enumerate(term))
    else:
        back = ctx["cyrillic_to_latin"]
        dense = "".join(back.get(c, c) for c in term)
        if dense != term:
            out["homoglyph_dense"] = dense
    vowels = [i for i, c in enumerate(term) if c in "aeiou"]
    if vowels:
        marks = "\u0301\u0308\u0300\u0302\u0303"
        pick = set(rng.sample(vowels, min(len(vowels), rng.randint(1, 2))))
        out["diacritics"] = unicodedata.normalize(
            "NFC", "".join(c + rng.choice(marks) if i in pick else c for i, c in enumerate(term)))
    sep = rng.choice(["-", " . ", " ", "_", "*", "."])
    out["separators"] = sep.join(term)
    k = sorted(rng.sample(range(len(term)), min(2, len(term))))
    out["repeats"] = "".join(c * rng.randint(3, 5) if i in k else c for i, c in enumerate(term))
    table = LEET["ru" if lang == "ru" else "latin"]
    spots = [i for i, c in enumerate(term) if c in table]
    if spots:
        pick = set(rng.sample(spots, min(len(spots), rng.randint(1, 2))))
        leet = "".join(table[c] if i in pick else c for i, c in enumerate(term))
        out["leet"] = leet
        out["leet_separators"] = "-".join(leet)
    if lang == "ru":
        out["translit"] = "".join(rng.choice(INFORMAL[c]) if c in INFORMAL else TRANSLIT.get(c, c) for c in term)
        pick = {c: rng.choice(v) for c, v in VOLAPUK.items()}
        volapuk = "".join(pick.get(c) or TRANSLIT.get(c, c) if c in pick else TRANSLIT.get(c, c) for c in term)
        if volapuk != out["translit"]:
            out["translit_volapuk"] = volapuk
        out["layout"] = "".join(JCUKEN.get(c, c) for c in term)
    elif lang == "en":
        out["layout"] = "".join(QWERTY.get(c, c) for c in term)
    if lang == "de" and any(c in UMLAUTS for c in term):
        t = "".join(UMLAUTS.get(c, c) for c in term)
        out["umlaut_transcription"] = t.upper() if rng.random() < 0.5 else t.capitalize()
    return out


def catalogue(lang: str) -> list[str]:
    """The msgstrs of the installed Debian packages' message catalogues of one language."""
    out: set[str] = set()
    for mo in sorted((LOCALE / lang / "LC_MESSAGES").glob("*.mo")):
        try:
            with open(mo, "rb") as fh:
                cat = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
        except Exception:
            continue
        for v in cat.values():
            if isinstance(v, str) and 20 <= len(v) <= 300 and " " in v:
                out.add(v)
    return sorted(out)


def strip(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def vocabulary(sents: list[str], min_count: int = 3) -> set[str]:
    counts: dict[str, int] = defaultdict(int)
    for s in sents:
        for w in re.findall(r"[^\W\d_]{4,}", s):
            counts[w.lower()] += 1
    return {w for w, c in counts.items() if c >= min_count}


def diacritic_traps(sentences: dict[str, list[str]]) -> list[tuple[str, str, str, str]]:
    """(term, its language, word, sentence): a word of one language written with diacritics whose bare form
    is a word of English or another language (``Stück``, *stuck*), or a word written without
    the diacritics of another word of its own language (``machten``, *mächten*); the other
    word is the term."""
    words_en = set((ROOT / "interceptor/normalize/tables/words_en.txt").read_text().split())
    vocab = {lang: vocabulary(s) for lang, s in sentences.items()}
    pairs: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)  # lang -> text word -> term, its lang
    for lang, words in vocab.items():
        bare_own = {strip(w): w for w in words if strip(w) != w}
        for w in words:
            b = strip(w)
            if b != w and b not in words:
                other = "en" if b in words_en else next((k for k, v in vocab.items() if k != lang and b in v), None)
                if other:
                    pairs[lang][w] = (b, other)
            elif b == w and w in bare_own:
                pairs[lang][w] = (bare_own[w], lang)
    out = []
    seen: set[str] = set()
    for lang, sents in sentences.items():
        for s in sents:
            for m in re.finditer(r"[^\W\d_]{4,}", s):
                got = pairs[lang].get(m.group().lower())
                if got and m.group().lower() not in seen:
                    seen.add(m.group().lower())
                    out.append((got[0], got[1], m.group(), s))
    return out


def pinyin_traps(lexicon_zh: list[str], sentences: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    """(term, words, sentence): words of a Latin-script sentence that spell a Chinese term's pinyin."""
    from pypinyin import lazy_pinyin
    readings: dict[str, str] = {}
    for t in lexicon_zh:
        if 2 <= len(t) <= 3:
            py = lazy_pinyin(t)
            readings.setdefault("".join(py), t)
            readings.setdefault(" ".join(py), t)
    out = []
    seen: set[str] = set()
    for sents in sentences.values():
        for s in sents:
            words = [(m.group(), m.start(), m.end()) for m in re.finditer(r"\w+", s)]
            for i in range(len(words)):
                for n in (1, 2):
                    chunk = words[i:i + n]
                    if len(chunk) < n:
                        continue
                    key = " ".join(strip(w.lower()) for w, _, _ in chunk)
                    t = readings.get(key)
                    if t and key not in seen:
                        seen.add(key)
                        out.append((t, s[chunk[0][1]:chunk[-1][2]], s))
    return out


ARABIC = re.compile(r"^[\u0620-\u064a]{4,10}$")


def arabic(cases: list[dict], per: int, seed: int, add: Any) -> None:  # type: ignore[type-arg]
    """Arabic terms written around (separators, a letter repeated, tatweel), in catalogue
    sentences, with their own random numbers so that the other cases stay as they were."""
    rng = random.Random(seed + 1)
    lex = load_lexicon(ROOT / "lexicons" / "default")
    items = sorted({t.text for t in lex.terms if t.lang == "ar" and t.tier != "monitor" and ARABIC.match(t.text)
                    and t.variants == DEFAULT_VARIANTS})
    rng.shuffle(items)
    carriers = catalogue("ar")
    for term in items[:per]:
        k = rng.randrange(1, len(term) - 1)
        for tech, v in (("separators", rng.choice(["-", " ", "."]).join(term)),
                        ("repeats", term[:k] + term[k] * rng.randint(3, 5) + term[k + 1:]),
                        ("tatweel", "ـ".join(term[:k + 1]) + term[k + 1:])):
            s = rng.choice(carriers)
            at = rng.choice([m.start() for m in re.finditer(r"(?<=\s)|^", s)] or [0])
            add("pos", f"{tech}/ar", "ar", term, s[:at] + v + " " + s[at:], (at, at + len(v)), v)
    for s in rng.sample(carriers, min(len(carriers), per * 5)):
        add("neg", "clean", "ar", None, s, None)


def build(out_dir: Path, per: int, seed: int) -> None:
    rng = random.Random(seed)
    by_lang = terms()
    common, rare = confusables()
    cyr = {}
    for x, cs in common.items():
        for c in cs:
            if c.startswith(tuple("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")):
                cyr.setdefault(c, x)
    ctx = {"rng": rng, "common": common, "rare": rare, "cyrillic_to_latin": cyr}
    carriers = {lang: [s for s in corpora.natural(lang) if 20 <= len(s) <= 200] for lang in LANGS}
    cases: list[dict] = []  # type: ignore[type-arg]
    n = 0

    def add(kind: str, tech: str, lang: str, term: str | None, text: str, span: tuple[int, int] | None,
            v: str | None = None) -> None:
        nonlocal n
        case = {"kind": kind, "technique": tech, "lang": lang, "text": text, "id": f"s{n:05d}"}
        if term is not None:
            case.update(term=term, tier="mask", span=list(span or (0, 0)), variant_text=v)
        cases.append(case)
        n += 1

    for lang in LANGS:
        items = by_lang.get(lang, [])[:]
        rng.shuffle(items)
        count: dict[str, int] = defaultdict(int)
        for term, _cat in items:
            for tech, v in variants(term, lang, ctx).items():
                if count[tech] >= per or v == term:
                    continue
                count[tech] += 1
                s = rng.choice(carriers[lang])
                at = rng.choice([m.start() for m in re.finditer(r"(?<=\s)|^", s)] or [0])
                text = s[:at] + v + " " + s[at:]
                add("pos", f"{tech}/{lang}", lang, term, text, (at, at + len(v)), v)
    sentences = {lang: catalogue(lang) for lang in LATIN_LANGS}
    trap_terms: set[tuple[str, str]] = set()
    traps = diacritic_traps(sentences)
    rng.shuffle(traps)
    for term, term_lang, w, s in traps[:per * 3]:
        at = s.index(w)
        add("neg", "trap_diacritics", "xx", term, s, (at, at + len(w)), w)
        trap_terms.add((term, term_lang))
    lex = load_lexicon(ROOT / "lexicons" / "default")
    zh = [t.text for t in lex.terms if t.lang == "zh" and t.tier != "monitor"]
    ptraps = pinyin_traps(zh, sentences)
    rng.shuffle(ptraps)
    for term, w, s in ptraps[:per * 3]:
        at = s.index(w)
        add("neg", "trap_pinyin_word", "xx", term, s, (at, at + len(w)), w)
        trap_terms.add((term, "zh"))
    for lang in (*LATIN_LANGS, "ru"):
        sents = sentences.get(lang) or catalogue(lang)
        for s in rng.sample(sents, min(len(sents), per * 5)):
            add("neg", "clean", lang, None, s, None)
    arabic(cases, per, seed, add)
    rng.shuffle(cases)
    # the set's own lexicon: its terms with the default variants (the traps' terms too, which
    # the bundled lexicon lacks or lists without pinyin)
    (out_dir / "lexicon").mkdir(parents=True, exist_ok=True)
    rows = {(c["term"], c["lang"]) for c in cases if c["kind"] == "pos"} | trap_terms
    (out_dir / "lexicon" / "terms.tsv").write_text(
        "term\tcategory\ttier\tvariants\tlang\n" + "".join(f"{t}\ttest\tmask\tdefault\t{lang if lang != 'xx' else ''}\n"
                                                     for t, lang in sorted(rows)), encoding="utf8")
    with open(out_dir / "cases.jsonl", "w", encoding="utf8") as fh:
        for c in cases:
            fh.write(json.dumps(c, ensure_ascii=False) + "\n")
    counts: dict[str, int] = defaultdict(int)
    for c in cases:
        counts[c["technique"]] += 1
    print(f"{len(cases)} cases: {dict(sorted(counts.items()))}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=HERE / ".work" / "scripts_walkarounds")
    ap.add_argument("--per", type=int, default=100)
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()
    build(args.out, args.per, args.seed)


if __name__ == "__main__":
    main()
