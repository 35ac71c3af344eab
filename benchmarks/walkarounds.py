"""Build a set of layout and markup walk-arounds, scored with the public set's ``score.py``.

    python benchmarks/walkarounds.py OUTDIR [--lexicon lexicons/default] [--seed 7]
    python ../shared/eval/score.py OUTDIR/walkarounds -- interceptor scan --lexicon lexicons/default
    (and OUTDIR/html, OUTDIR/markdown, OUTDIR/docstring, OUTDIR/man: clean documents)

Terms come from the lexicon under test (reported tiers, variants allowing ``noise``, in zh,
en, de, es and ru); each is first written plainly into a carrier sentence and kept only if
the engine finds it there, so a miss measures the technique and nothing else. Carriers are
the message catalogues Debian ships (``/usr/share/locale/*/LC_MESSAGES/*.mo``: msgstr for
de, es, ru, zh_CN; msgid for English). Techniques: HTML tags inside a word (``su<b>ka</b>``),
HTML entities, percent-encoding, a line break inside a word (``fu-\\nck``; alone, ``fu\\nck``,
``fu<br>ck``), a
right-to-left override (``\\u202ekcuf\\u202c``), a symbol for a letter (``fu¢k``), markdown emphasis inside a word
(``f**u**ck``, ``冰_毒_``), emoji between characters, dense homoglyphs.

Negatives: clean HTML (the Rust documentation rustup installs), markdown (README files on
the machine), Python docstrings (the standard library's), man pages as ``man`` renders them
(hyphenated at 50 columns), carrier sentences with inline markup around whole words; and
traps: a term's pieces in separate block elements, and its pieces in inline tags far apart.
"""
from __future__ import annotations

import argparse
import ast
import gettext
import json
import os
import random
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from interceptor import Interceptor  # noqa: E402
from interceptor.normalize.tables import is_han  # noqa: E402

LANGS = {"zh": "zh_CN", "en": None, "de": "de", "es": "es", "ru": "ru"}
PER_TECHNIQUE = 60  # cases per technique and language
RUST_DOCS = Path.home() / ".rustup" / "toolchains"
INLINE = ["b", "i", "u", "s", "em", "strong", "span", "mark", "small", "code", "del", "ins", "sub", "sup"]
OPEN = ["<{t}>", '<{t} class="x">', '<{t} style="color:red">']
EMOJI = ["🔥", "😀", "👍🏽", "❤️", "✨", "🇨🇳", "👨‍👩‍👧", "1️⃣", "🙈", "💯", "⭐"]
# look-alikes of Latin letters in Cyrillic and Greek, and of Cyrillic letters in Latin
TO_CYRILLIC = {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "i": "і", "j": "ј",
               "s": "ѕ", "h": "һ", "k": "κ", "n": "η", "v": "ν", "u": "υ", "t": "τ", "b": "Ь", "m": "м"}
TO_LATIN = {"а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "к": "k", "м": "m",
            "т": "t", "н": "h", "в": "b", "г": "r", "п": "n", "и": "u", "з": "3", "ь": "b", "ч": "4"}


# --------------------------------------------------------------------------- carriers
def carriers(lang: str, rng: random.Random, n: int = 4000) -> list[str]:
    """Ordinary sentences of ``lang`` from the machine's message catalogues."""
    loc = LANGS[lang]
    out: set[str] = set()
    folder = Path("/usr/share/locale") / (loc or "de") / "LC_MESSAGES"
    for mo in sorted(folder.glob("*.mo")):
        try:
            with open(mo, "rb") as f:
                cat = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
        except (OSError, ValueError, UnicodeDecodeError):
            continue
        for k, v in cat.items():
            s = (k if loc is None else v) if isinstance(k, str) else None
            if not s or not isinstance(s, str):
                continue
            s = " ".join(s.split())
            if 25 <= len(s) <= 140 and not any(c in s for c in "%<>&_*~`$\\{}[]|#=/@"):
                out.add(s)
    pool = sorted(out)
    rng.shuffle(pool)
    return pool[:n]


def embed(carrier: str, piece: str, lang: str, rng: random.Random) -> tuple[str, int]:
    """``carrier`` with ``piece`` put in at a word boundary; the text and where it starts."""
    if lang == "zh":
        cuts = [i + 1 for i, c in enumerate(carrier) if c in "，。：；、 ！？"] or [0]
        k = rng.choice([0, *cuts])
        return carrier[:k] + piece + carrier[k:], k
    words = carrier.split(" ")
    k = rng.randrange(len(words) + 1)
    head = " ".join(words[:k])
    head = head + " " if head else ""
    tail = " ".join(words[k:])
    return head + piece + (" " + tail if tail else ""), len(head)


# --------------------------------------------------------------------------- techniques
def _cut(term: str, rng: random.Random) -> int:
    """An inside position of the term that splits it into two non-empty parts (not at a space)."""
    inside = [i for i in range(1, len(term)) if term[i] != " " and term[i - 1] != " "]
    return rng.choice(inside)


def html_tag(term: str, rng: random.Random) -> str:
    t = rng.choice(INLINE)
    a = _cut(term, rng)
    if rng.random() < 0.15:
        return term[:a] + rng.choice(["<wbr>", "<!-- -->", "<span></span>"]) + term[a:]
    b = rng.choice([x for x in range(a + 1, len(term) + 1) if x == len(term) or term[x - 1] != " "])
    return term[:a] + rng.choice(OPEN).format(t=t) + term[a:b] + f"</{t}>" + term[b:]


def html_entity(term: str, rng: random.Random) -> str:
    idx = [i for i, c in enumerate(term) if c != " "]
    chosen = set(rng.sample(idx, max(1, len(idx) // rng.choice([1, 2, 3]))))
    out = []
    for i, c in enumerate(term):
        if i in chosen:
            out.append(rng.choice([f"&#{ord(c)};", f"&#x{ord(c):x};", f"&#X{ord(c):X};"]))
        else:
            out.append(c)
    return "".join(out)


def percent(term: str, rng: random.Random) -> str:
    if rng.random() < 0.4:
        return quote(term, safe="")
    a = _cut(term, rng)
    b = rng.randrange(a + 1, len(term) + 1)
    mid = "".join(f"%{x:02X}" for x in term[a:b].encode("utf8"))
    return term[:a] + mid + term[b:]


def line_break(term: str, rng: random.Random) -> str:
    a = _cut(term, rng)
    if all(map(is_han, term[a - 1:a + 1])):
        return term[:a] + rng.choice(["\n", "\r\n", "\n  "]) + term[a:]  # a hard-wrapped line
    return term[:a] + rng.choice(["-\n", "-\r\n", "-\n  ", "\u00ad\n", "\u2010\n"]) + term[a:]


def bare_break(term: str, rng: random.Random) -> str:
    """A line break alone inside a word: no hyphen, no space on either side."""
    a = _cut(term, rng)
    return term[:a] + rng.choice(["\n", "\r\n", "\u2028", "\u2029", "<br>", "<br/>"]) + term[a:]


# symbols and letterlike characters a writer puts for a letter (Latin and Cyrillic look-alikes)
SYMBOL_LETTERS = {"e": "℮ℯ€∃", "c": "¢©₵", "l": "£ℓ∣", "y": "¥", "r": "®", "d": "∂", "p": "℘₱℗", "g": "ℊ",
                  "u": "∪", "x": "×", "k": "₭", "t": "₮", "w": "₩", "n": "₦", "a": "₳", "b": "฿",
                  "е": "℮€", "с": "¢©", "к": "₭", "т": "₮", "р": "℘₱", "х": "×"}


def letterlike(term: str, rng: random.Random) -> str | None:
    """One or two letters inside a word written as a symbol that looks like them (``sh℮et``)."""
    inside = [i for i in range(1, len(term) - 1) if term[i].lower() in SYMBOL_LETTERS
              and term[i - 1].isalpha() and term[i + 1].isalpha()]
    if not inside:
        return None
    chosen = set(rng.sample(inside, min(len(inside), rng.choice([1, 1, 2]))))
    return "".join(rng.choice(SYMBOL_LETTERS[c.lower()]) if i in chosen else c for i, c in enumerate(term))


def rlo(term: str, rng: random.Random) -> str:
    if rng.random() < 0.7:
        return "\u202e" + term[::-1] + "\u202c"
    return "\u2067\u202e" + term[::-1] + "\u202c\u2069"


def markdown(term: str, rng: random.Random) -> str:
    m = rng.choice(["**", "*", "_", "__", "~~", "`", "***"])
    a = _cut(term, rng)
    b = rng.choice([x for x in range(a + 1, len(term) + 1) if x == len(term) or term[x - 1] != " "])
    return term[:a] + m + term[a:b] + m + term[b:]


def emoji(term: str, rng: random.Random) -> str:
    if rng.random() < 0.5 or len(term) < 3:
        a = _cut(term, rng)
        return term[:a] + rng.choice(EMOJI) + term[a:]
    e = rng.choice(EMOJI)
    return e.join(term)


def dense_homoglyph(term: str, rng: random.Random) -> str | None:
    table = TO_LATIN if any("\u0400" <= c <= "\u04ff" for c in term) else TO_CYRILLIC
    low = term.lower()
    idx = [i for i, c in enumerate(low) if c in table]
    letters = sum(c.isalpha() for c in term)
    if len(idx) < 2 or len(idx) * 10 < letters * 6:
        return None
    keep = rng.choice([i for i in range(len(low)) if low[i].isalpha()])  # one letter left as it was
    return "".join(table[c] if i in idx and i != keep else term[i] for i, c in enumerate(low))


TECHNIQUES: dict[str, Callable[[str, random.Random], str | None]] = {
    "html_tag": html_tag, "html_entity": html_entity, "percent": percent, "line_break": line_break,
    "bare_break": bare_break, "letterlike": letterlike, "rlo": rlo, "markdown": markdown, "emoji": emoji,
    "dense_homoglyph": dense_homoglyph,
}


# --------------------------------------------------------------------------- negatives
def chunks(text: str, size: int = 800) -> Iterator[str]:
    buf = ""
    for line in text.splitlines(keepends=True):
        buf += line
        if len(buf) >= size:
            yield buf
            buf = ""
    if buf.strip():
        yield buf


def rust_html(rng: random.Random, n: int) -> list[str]:
    files = sorted(RUST_DOCS.glob("stable-*/share/doc/rust/html/book/*.html"))
    files += sorted(RUST_DOCS.glob("stable-*/share/doc/rust/html/std/*.html"))[:200]
    out = [c for f in files for c in chunks(f.read_text(encoding="utf8", errors="replace"))]
    return rng.sample(out, min(n, len(out)))


def readmes(rng: random.Random, n: int) -> list[str]:
    found = subprocess.run(["find", "/usr/share/doc", str(Path.home() / ".rustup"), str(Path.home() / ".pyenv"),
                            "-name", "*.md", "-size", "+1k"], capture_output=True, text=True).stdout.split()
    out = [c for f in sorted(set(found))[:400] for c in chunks(Path(f).read_text(encoding="utf8", errors="replace"))]
    return rng.sample(out, min(n, len(out)))


def docstrings(rng: random.Random, n: int) -> list[str]:
    lib = Path(os.__file__).parent
    out: list[str] = []
    for f in sorted(lib.glob("*.py")):
        try:
            tree = ast.parse(f.read_text(encoding="utf8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Module, ast.AsyncFunctionDef)):
                doc = ast.get_docstring(node)
                if doc and len(doc) > 200:
                    out.extend(chunks(doc))
    return rng.sample(out, min(n, len(out)))


def man_pages(rng: random.Random, n: int) -> list[str]:
    names = sorted(p.name.split(".")[0] for p in Path("/usr/share/man/man1").glob("*.1.gz"))
    out: list[str] = []
    env = {**os.environ, "MANWIDTH": "50", "MAN_KEEP_FORMATTING": "0"}
    for name in rng.sample(names, min(60, len(names))):
        r = subprocess.run(["man", "-P", "cat", name], capture_output=True, text=True, env=env, errors="replace")
        out.extend(chunks(re.sub(".\b", "", r.stdout)))  # overstrike (bold, underline) removed
    return rng.sample(out, min(n, len(out)))


def marked(sentence: str, lang: str, rng: random.Random) -> str:
    """A clean sentence with inline markup around whole words (or any run, for Chinese)."""
    if lang == "zh":
        a = rng.randrange(len(sentence))
        b = rng.randrange(a + 1, len(sentence) + 1)
        pieces = [sentence[:a], sentence[a:b], sentence[b:]]
    else:
        words = sentence.split(" ")
        a = rng.randrange(len(words))
        b = rng.randrange(a + 1, len(words) + 1)
        pieces = [" ".join(words[:a]) + (" " if a else ""), " ".join(words[a:b]), (" " if b < len(words) else "")
                  + " ".join(words[b:])]
    t = rng.choice(INLINE)
    wrap = rng.choice([("<" + t + ">", "</" + t + ">"), ("**", "**"), ("_", "_"), ("`", "`")])
    return pieces[0] + wrap[0] + pieces[1] + wrap[1] + pieces[2]


# --------------------------------------------------------------------------- the set
def build(lexicon: Path, seed: int) -> dict[str, list[dict]]:
    """The cases of each set: ``walkarounds`` (positives, traps, marked-up clean sentences)
    and one set of clean documents per source (``html``, ``markdown``, ``docstring``, ``man``)."""
    rng = random.Random(seed)
    guard = Interceptor.from_path(lexicon)
    hidden = guard.lexicon.hidden
    cases: list[dict] = []

    def hit(text: str, term: str, s: int, e: int) -> bool:
        return any(h.term == term and h.start < e and h.end > s for h in guard.check(text).hits)

    for lang in LANGS:
        pool = carriers(lang, rng)
        terms = [t for t in guard.lexicon.terms if t.lang == lang and t.category not in hidden
                 and t.tier.value != "monitor" and "noise" in t.variants and len(t.text) >= (2 if lang == "zh" else 4)
                 and (lang != "zh" or all(map(is_han, t.text)))]
        rng.shuffle(terms)
        for name, make in TECHNIQUES.items():
            if name == "dense_homoglyph" and lang == "zh":
                continue
            made = 0
            for t in terms:
                if made >= PER_TECHNIQUE:
                    break
                variant = make(t.text, rng)
                if variant is None or variant == t.text:
                    continue
                carrier = pool[(len(cases) * 7919 + made) % len(pool)]
                plain, k = embed(carrier, t.text, lang, rng)
                if not hit(plain, t.text, k, k + len(t.text)):
                    continue  # the carrier hides even the plain term: not this technique's case
                text = plain[:k] + variant + plain[k + len(t.text):]
                cases.append({"kind": "pos", "technique": name, "term": t.text, "tier": t.tier.value, "lang": lang,
                              "text": text, "span": [k, k + len(variant)], "variant_text": variant})
                made += 1
        # clean sentences with inline markup around words
        for s in pool[-150:]:
            cases.append({"kind": "neg", "technique": "clean", "lang": lang, "text": marked(s, lang, rng)})
        # traps: the term's pieces in separate block elements, or in inline tags far apart
        for t in terms[:40]:
            a = _cut(t.text, rng)
            left, right = t.text[:a], t.text[a:]
            cell = rng.choice(["<td>{}</td><td>{}</td>", "<p>{}</p><p>{}</p>", "<li>{}</li><li>{}</li>",
                               "<div>{}</div>\n<div>{}</div>"]).format(left, right)
            filler = rng.choice(pool)[:rng.randrange(12, 30)]
            far = f"<b>{left}</b> {filler} <i>{right}</i>"
            for kind, piece in (("trap_block_split", cell), ("trap_far_tags", far)):
                carrier = rng.choice(pool)
                text, k = embed(carrier, piece, lang, rng)
                cases.append({"kind": "neg", "technique": kind, "term": t.text, "lang": lang, "text": text,
                              "span": [k, k + len(piece)]})
    sets = {"walkarounds": cases}
    for name, texts in (("html", rust_html(rng, 300)), ("markdown", readmes(rng, 300)),
                        ("docstring", docstrings(rng, 300)), ("man", man_pages(rng, 200))):
        sets[name] = [{"kind": "neg", "technique": "clean", "lang": "en", "text": t} for t in texts]
    for name, cs in sets.items():
        for i, c in enumerate(cs):
            c["id"] = f"{name[0]}{i:05d}"
    return sets


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--lexicon", type=Path, default=ROOT / "lexicons" / "default")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    for name, cases in build(args.lexicon, args.seed).items():
        out = args.outdir / name
        out.mkdir(parents=True, exist_ok=True)
        with open(out / "cases.jsonl", "w", encoding="utf8") as f:
            for c in cases:
                f.write(json.dumps(c, ensure_ascii=False) + "\n")
        print(f"{len(cases)} cases in {out / 'cases.jsonl'}")


if __name__ == "__main__":
    main()
