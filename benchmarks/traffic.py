"""Engine benchmark on text that looks like traffic, with lexicons that look like real ones.

``engine.py`` measures lexicons of words natural text uses rarely; a real keyword list is full
of ordinary words (发票, 下注, 圣战, 枪支, Bank, bomba), which give every channel candidates to
check. Here, in one run, with the peers given the same terms and the same texts:

* lexicons: the bundled ``lexicons/default``, and 10,000 and 100,000 ordinary dictionary words
  (``dictionary_lexicon``: jieba's dictionary for Chinese, wordfreq's lists for the other shipped
  languages — used here at run time only, nothing of them is committed);
* texts, about 1 KB each, several pieces per row: clean natural text per language
  (``corpora.natural``), all languages together, hit-dense text (natural text with at least
  five lexicon terms per KB, a third of them written around), and the worst-case texts of
  ``adversarial`` (long runs that once made the engine super-linear);
* peers: bare daachorse (exact matching on the text as is, the floor), bare pyahocorasick
  (lower-cased text), flashtext, and matcher-py with every process type on (traditional →
  simplified, noise deletion, normalisation, romanisation) — which reports which words matched
  but no positions, so it cannot mask.

The share of clean sentences each flags is measured too: speed without precision is easy.
"""
from __future__ import annotations

import gc
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE] + [str(HERE)]

import corpora  # noqa: E402
from engine import bare_peers, build_cost, load_terms  # noqa: E402

sys.path.append(str(ROOT))
from tests.adversarial import SEPARATORS, families  # noqa: E402

LANGS = ("zh", "en", "de", "es", "ru", "it", "pt", "pl")
# share of each language in the dictionary lexicons
MIX = {"zh": 0.40, "en": 0.20, "de": 0.08, "es": 0.08, "ru": 0.08, "it": 0.06, "pt": 0.05, "pl": 0.05}
SKIP_TOP = 1000  # the commonest words (der, the, 的, 发展) are in no one's lexicon
PIECE = 1024
PIECES = 12


class Row(NamedTuple):
    lexicon: str
    text: str
    seconds: dict[str, float]  # per piece, median of rounds, by peer
    flagged: dict[str, float]  # share of pieces (clean rows: sentences) flagged, by peer


def dictionary_lexicon(n_terms: int) -> Path:
    """A lexicon of ``n_terms`` ordinary words, mixed across the shipped languages."""
    dest = corpora.WORK / f"dict-{n_terms}"
    if (dest / "zh.tsv").exists():
        return dest
    import jieba
    import wordfreq

    rng = random.Random(n_terms)
    zh_words = []
    for line in (Path(jieba.__file__).parent / "dict.txt").read_text(encoding="utf8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and 2 <= len(parts[0]) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in parts[0]):
            zh_words.append((int(parts[1]), parts[0]))
    zh_words.sort(reverse=True)
    pools = {"zh": [w for _, w in zh_words]}
    for lang in LANGS[1:]:
        pools[lang] = [w for w in wordfreq.top_n_list(lang, 300_000) if w.isalpha() and len(w) >= 3]
    dest.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()  # a word of two languages (Film, video) is listed once
    for lang, share in MIX.items():
        want = int(n_terms * share)
        pool = [w for w in pools[lang] if w not in seen]
        # ordinary words, not the commonest: a random draw from the ranks after the first
        # thousand, wide enough that the rarer words are there too
        pool = pool[SKIP_TOP: SKIP_TOP + max(50_000, 5 * want)]
        terms = rng.sample(pool, min(len(pool), want))
        seen.update(terms)
        rows = ["term\ttier\tcategory\tlang"] + [f"{t}\t{('mask', 'block', 'warn')[i % 3]}\tbench{i % 7}\t{lang}"
                                                 for i, t in enumerate(terms)]
        (dest / f"{lang}.tsv").write_text("\n".join(rows) + "\n", encoding="utf8")
    return dest


def pieces(lang: str, n: int = PIECES) -> list[str]:
    sents = corpora.natural(lang)
    sep = "" if lang == "zh" else " "
    return [corpora.sample(sents, PIECE, 37 + 53 * i, sep) for i in range(n)]


def all_languages(n: int = PIECES) -> list[str]:
    out = []
    for i in range(n):
        parts, size = [], 0
        k = 0
        while size < PIECE:
            lang = LANGS[(i + k) % len(LANGS)]
            s = corpora.natural(lang)[(101 * i + 7 * k) % len(corpora.natural(lang))]
            parts.append(s)
            size += len(s) + 1
            k += 1
        out.append(" ".join(parts)[:PIECE])
    return out


def _written_around(term: str, rng: random.Random) -> str:
    """A term as abusive traffic writes it: plain, spaced out, or upper-cased."""
    k = rng.randrange(3)
    if k == 0:
        return term
    if k == 1:
        return ".".join(term)
    return term.upper()


def hit_dense(terms: list[str], n: int = PIECES, per_kb: int = 6) -> list[str]:
    """Natural text with ``per_kb`` lexicon terms per KB spliced in at word boundaries."""
    rng = random.Random(6)
    base = all_languages(n)
    out = []
    for text in base:
        chunk = len(text) // per_kb
        parts = []
        for k in range(per_kb):
            seg = text[k * chunk:(k + 1) * chunk]
            parts.append(seg + " " + _written_around(rng.choice(terms), rng) + " ")
        out.append("".join(parts)[: PIECE + 64])
    return out


def worst_case(lexicon: Path, n: int = 1) -> dict[str, list[str]]:
    """The hostile-input families of ``tests/adversarial.py`` (the same texts the tests and
    ``engine.py``'s worst-case row use), one piece each, for the lexicon at hand (a family
    named with ``{term}`` repeats one of its terms)."""
    from interceptor import Interceptor

    guard = Interceptor.from_path(lexicon)
    return {name: [make(PIECE)] * n for name, make in families(guard).items() if _worst_family(name)}


# Of the separators (23 of them, each in four families), the ones that stand for a kind: a
# visible space, a symbol, an invisible character, a combining mark; every other family is kept.
_SEPARATORS = ("space", "star", "zero-width space", "combining acute")


def _worst_family(name: str) -> bool:
    seps = [sep for sep in SEPARATORS if name.endswith((f"{sep} run", f"{sep} after each letter",
                                                         f"{sep} after each Han character"))]
    return not seps or max(seps, key=len) in _SEPARATORS


def peers(lexicon: Path) -> dict[str, Callable[[str], Any]]:
    import matcher_py

    from interceptor import Interceptor

    terms = list(dict.fromkeys(load_terms(lexicon)))
    bare = bare_peers(terms)
    pt = matcher_py.ProcessType
    full = int(pt.VARIANT_NORM | pt.DELETE | pt.NORMALIZE | pt.ROMANIZE | pt.EMOJI_NORM)
    builder = matcher_py.SimpleMatcherBuilder()
    for i, w in enumerate(terms):
        # its pattern syntax gives & ~ | and \\b meaning; no term here holds them
        builder.add_word(full, i, w)
    return {
        "interceptor": Interceptor.from_path(lexicon).check,
        "daachorse": bare["bare daachorse, exact"],
        "pyahocorasick": bare["bare pyahocorasick, lower-cased"],
        "flashtext": bare["flashtext"],
        "matcher-py": builder.build().process,
    }


def flags(name: str, answer: Any) -> bool:
    if name == "interceptor":
        return any(h.tier.value != "monitor" for h in answer.hits)
    return bool(answer)


def measure(funcs: dict[str, Callable[[str], Any]], texts: list[str], rounds: int = 5) -> dict[str, float]:
    """Median CPU seconds per piece of each function, rounds interleaved (the load falls on all
    alike). CPU time, not wall time: on a shared machine a wall clock counts the other
    processes' turns too, and every peer here runs on the calling thread."""
    for f in funcs.values():
        for t in texts:
            f(t)
    per: dict[str, list[float]] = {name: [] for name in funcs}
    for _ in range(rounds):
        for name, f in funcs.items():
            reps = 1
            while True:
                gc.disable()
                t0 = time.process_time()
                for _ in range(reps):
                    for t in texts:
                        f(t)
                dt = time.process_time() - t0
                gc.enable()
                if dt >= 0.05 or reps >= 4096:
                    break
                reps *= 4
            per[name].append(dt / reps / len(texts))
    return {name: statistics.median(v) for name, v in per.items()}


def sentence_flags(funcs: dict[str, Callable[[str], Any]], lang: str, n: int = 400) -> dict[str, float]:
    sents = [s for s in corpora.natural(lang)[1000:1000 + n]]
    return {name: sum(flags(name, f(s)) for s in sents) / len(sents) for name, f in funcs.items()}


def run(quick: bool = False) -> dict[str, Any]:
    lexicons = {"bundled": ROOT / "lexicons" / "default", "dict-10k": dictionary_lexicon(10_000)}
    if not quick:
        lexicons["dict-100k"] = dictionary_lexicon(100_000)
    rows: list[Row] = []
    builds: dict[str, tuple[float, float, float]] = {}
    for lex_name, lex in lexicons.items():
        builds[lex_name] = build_cost(lex)
        print(f"== {lex_name}: build {builds[lex_name][0]:.2f} s, peak {builds[lex_name][1]:.0f} MB", flush=True)
        funcs = peers(lex)
        texts: dict[str, list[str]] = {f"clean {lang}": pieces(lang) for lang in LANGS}
        texts["clean, all languages"] = all_languages()
        texts["hit-dense"] = hit_dense(load_terms(lex))
        if lex_name != "dict-100k":  # the families' cost does not grow with the lexicon past 10,000
            for fam, ts in worst_case(lex).items():
                texts[f"{WORST}{fam}"] = ts
        for text_name, ts in texts.items():
            # one piece per family, repeated: three rounds tell its cost as well as five
            secs = measure(funcs, ts, rounds=3 if quick or text_name.startswith(WORST) else 5)
            if text_name.startswith("clean ") and text_name != "clean, all languages":
                flagged = sentence_flags(funcs, text_name.removeprefix("clean "), 100 if quick else 400)
            else:
                flagged = {name: sum(flags(name, f(t)) for t in ts) / len(ts) for name, f in funcs.items()}
            rows.append(Row(lex_name, text_name, secs, flagged))
            print(f"{lex_name:9s} {text_name:28s} " + "  ".join(f"{k}={v * 1e6:,.1f}us" for k, v in secs.items()),
                  flush=True)
        del funcs
        gc.collect()
    return {"rows": [r._asdict() for r in rows], "builds": builds}


# the targets of the engine: check() ÷ bare daachorse by kind of text
TARGETS = {"clean zh": 6.0, "clean en": 4.0, "hit-dense": 10.0}
WORST = "worst case: "  # the rows of the adversarial families


def _us(s: float) -> str:
    us = s * 1e6
    return f"{us / 1000:,.1f} ms" if us >= 10_000 else f"{us:,.1f} µs"


def _row(r: dict[str, Any], text: str) -> str:
    s, f = r["seconds"], r["flagged"]
    return (f"| {r['lexicon']} | {text} | {_us(s['interceptor'])} | {_us(s['daachorse'])} | "
            f"{_us(s['pyahocorasick'])} | {_us(s['flashtext'])} | {_us(s['matcher-py'])} | "
            f"{s['interceptor'] / s['daachorse']:.1f}× | {s['interceptor'] / s['matcher-py']:.2f}× | "
            f"{f['interceptor']:.0%} / {f['matcher-py']:.0%} |")


def render(res: dict[str, Any]) -> str:
    out = ["## Engine on traffic-like text and real-like lexicons", "",
           "Median CPU time per ~1 KB piece (5 interleaved rounds over 12 pieces per row). Lexicons: the bundled "
           "`lexicons/default`, and 10,000 / 100,000 ordinary dictionary words in zh, en, de, es, ru, it, pt, pl "
           "(`traffic.py`). Clean text: news (zh), Brown (en), Debian's fortunes (the others). Hit-dense: six "
           "lexicon terms per KB, a third spaced out with dots, a third upper-cased. matcher-py runs with every "
           "process type on (variant normalisation, deletion, normalisation, romanisation, emoji) and reports "
           "**no positions** (positions unavailable: it cannot mask a hit); Interceptor reports every hit's span. "
           "Worst case: the adversarial families of `tests/adversarial.py` at one piece each (bundled and "
           "10,000 terms; three rounds). *flagged*: share of "
           "clean sentences (or pieces, for the other rows) with a non-monitor hit (Interceptor) or any match "
           "(peers).", ""]
    header = ["| lexicon | text | Interceptor | bare daachorse | bare pyahocorasick | flashtext | "
              "matcher-py (positions unavailable) | ÷ daachorse | ÷ matcher-py | flagged: Interceptor / matcher-py |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    out += header
    verdicts = []
    worst: dict[str, list[dict[str, Any]]] = {}
    for r in res["rows"]:
        s = r["seconds"]
        ratio = s["interceptor"] / s["daachorse"]
        vs_mp = s["interceptor"] / s["matcher-py"]
        if r["text"].startswith(WORST):
            worst.setdefault(r["lexicon"], []).append(r)
        else:
            out.append(_row(r, r["text"]))
        target = TARGETS.get(r["text"])
        if target is not None and r["lexicon"].startswith("dict"):
            verdicts.append((f"{r['lexicon']}, {r['text']}: ÷ bare daachorse {ratio:.1f} (target ≤ {target:g})",
                             ratio <= target))
        if not r["text"].startswith(WORST):
            verdicts.append((f"{r['lexicon']}, {r['text']}: ÷ matcher-py {vs_mp:.2f} (target < 1)", vs_mp < 1))
    for lex_name, rows in worst.items():
        faster = sum(r["seconds"]["interceptor"] < r["seconds"]["matcher-py"] for r in rows)
        verdicts.append((f"{lex_name}, adversarial families: faster than matcher-py on {faster} of {len(rows)} "
                         "(target: all)", faster == len(rows)))
        top = max(rows, key=lambda r: r["seconds"]["interceptor"] / r["seconds"]["daachorse"])
        out.append(_row(top, f"worst case, the costliest of {len(rows)} adversarial families: "
                             f"{top['text'].removeprefix(WORST)}"))
    if worst:
        out += ["", "<details><summary>Every adversarial family (tests/adversarial.py), one piece each</summary>",
                "", *header]
        out += [_row(r, r["text"].removeprefix(WORST)) for rows in worst.values() for r in rows]
        out += ["", "</details>"]
    out += ["", "Build: a fresh process imports Interceptor, compiles the lexicon (cache off) and checks one text; "
            "its own peak RSS, and the peak memory of it and the child it forks to build a large automaton "
            "together (proportional set sizes, sampled every 5 ms; the target is judged on this one).", "",
            "| lexicon | build (s) | peak RSS (MB) | with the build child (MB) |", "|---|---|---|---|"]
    for name, (secs, own, *tree) in res["builds"].items():
        out.append(f"| {name} | {secs:.2f} | {own:.0f} | {tree[0] if tree else own:.0f} |")
    if "dict-100k" in res["builds"]:
        secs, own, *tree = res["builds"]["dict-100k"]
        rss = tree[0] if tree else own
        verdicts.append((f"100,000 terms build in {secs:.1f} s (target ≤ 3 s)", secs <= 3))
        verdicts.append((f"100,000 terms peak RSS {rss:.0f} MB (target ≤ 250 MB)", rss <= 250))
    out += ["", "### Against the targets", ""]
    out += [f"* {'met' if ok else '**short**'}: {text}" for text, ok in verdicts if not ok or "matcher" not in text]
    met_mp = sum(ok for text, ok in verdicts if "matcher" in text)
    n_mp = sum("matcher" in text for text, _ in verdicts)
    out.append(f"* faster than matcher-py on {met_mp} of {n_mp} rows" + ("" if met_mp == n_mp else
               " (the rows short are listed above)"))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    res = run(quick="--quick" in sys.argv)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "traffic.json").write_text(json.dumps(res, indent=1, ensure_ascii=False))
    (HERE / "results" / "traffic.md").write_text(render(res), encoding="utf8")
