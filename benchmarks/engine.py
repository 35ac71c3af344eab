"""Engine benchmark: Interceptor's ``check()`` against its peers, in one run.

Peers, all given the same terms and the same texts:

* **bare daachorse** — ``CharwiseDoubleArrayAhoCorasick.find_overlapping`` on the text as
  is: exact matching with no normalisation, the floor of any Aho–Corasick filter;
* **bare pyahocorasick** — the naive approach: lower-case the text, scan it;
* **flashtext** — ``KeywordProcessor.extract_keywords`` (case-insensitive, word boundaries);
* **nested-dict DFA** — the classic pure-Python filter: a trie of dicts walked from every
  start position;
* **Interceptor** ``check()`` with every channel on (case, width, traditional, diacritics,
  homoglyphs, noise, separators, leet, repeats, homophones, symbols, pinyin, look-alikes),
  with the daachorse and the pyahocorasick backend.

Texts are natural Chinese news, English prose (Brown) and both mixed sentence by sentence
(``corpora.py``), cut to 1 KB, 10 KB and 1 MB; lexicons have 10,000 and 100,000 terms
(``lexicons.py``). The worst case (``worst_case``): every adversarial family of
``tests/adversarial.py`` at 100,000 characters against as much natural text, as a ratio of
CPU times (``--worst-case`` runs only that part; ``--quick`` at 20,000 characters). Each
other figure is the median of several rounds; the competitors alternate within a round, so
that the machine's load falls on all of them alike.
"""
from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# this directory holds http.py, which must not shadow the standard library's http package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE] + [str(HERE)]

import corpora  # noqa: E402

import lexicons  # noqa: E402

sys.path.append(str(HERE.parent))
from tests.adversarial import families, hit_dense, natural  # noqa: E402

EVAL_LEXICON = next((p / "shared" / "eval" / "lexicon" for p in HERE.parents
                     if (p / "shared" / "eval" / "lexicon").is_dir()), None)

SIZES = {"1KB": 1024, "10KB": 10 * 1024, "1MB": 1024 * 1024}
KINDS = ("mixed", "zh", "en")


def load_terms(lexicon: Path) -> list[str]:
    terms = []
    for tsv in sorted(lexicon.glob("*.tsv")):
        for line in tsv.read_text(encoding="utf8").splitlines()[1:]:
            if line.strip():
                terms.append(line.split("\t")[0])
    return terms


class DictDFA:
    """The classic pure-Python keyword filter: a trie of nested dicts."""

    END = "\0"

    def __init__(self, words: list[str]):
        self.root: dict[str, Any] = {}
        for w in words:
            node = self.root
            for ch in w.lower():
                node = node.setdefault(ch, {})
            node[self.END] = w

    def find(self, text: str) -> list[tuple[int, str]]:
        text = text.lower()
        out = []
        root, end = self.root, self.END
        for i in range(len(text)):
            node = root
            for ch in text[i:]:
                node = node.get(ch)
                if node is None:
                    break
                if end in node:
                    out.append((i, node[end]))
        return out


def text_of(kind: str, size: int) -> str:
    if kind == "zh":
        return corpora.sample(corpora.chinese_news(), size, 100)
    if kind == "en":
        return corpora.sample(corpora.english_brown(), size, 100, " ")
    return corpora.mixed(size, 7)


def bare_peers(terms: list[str]) -> dict[str, Callable[[str], object]]:
    """The peers without normalisation, built over ``terms``: daachorse, pyahocorasick, flashtext."""
    import ahocorasick
    import daachorse
    from flashtext import KeywordProcessor

    pma = daachorse.CharwiseDoubleArrayAhoCorasick(list(dict.fromkeys(terms)))
    auto = ahocorasick.Automaton()
    for i, w in enumerate(terms):
        auto.add_word(w.lower(), i)
    auto.make_automaton()
    kp = KeywordProcessor(case_sensitive=False)
    for w in terms:
        kp.add_keyword(w)
    return {
        "bare daachorse, exact": pma.find_overlapping,
        "bare pyahocorasick, lower-cased": lambda s: list(auto.iter(s.lower())),
        "flashtext": kp.extract_keywords,
    }


def competitors(lexicon: Path) -> dict[str, Callable[[str], object]]:
    from interceptor import Interceptor

    terms = load_terms(lexicon)
    guard = Interceptor.from_path(lexicon)
    guard_pyac = Interceptor.from_path(lexicon, matcher="pyahocorasick")
    return {
        "interceptor check() (daachorse)": guard.check,
        "interceptor check() (pyahocorasick)": guard_pyac.check,
        **bare_peers(terms),
        "nested-dict DFA (pure Python)": DictDFA(terms).find,
    }


def measure(funcs: dict[str, Callable[[str], object]], text: str, budget_s: float) -> dict[str, float]:
    """Median seconds per call of each function on ``text``, rounds interleaved."""
    calls = {}
    for name, f in funcs.items():  # warm up, then calibrate: about budget_s / 7 per round
        for _ in range(3):
            f(text)
        t0 = time.perf_counter()
        f(text)
        one = max(time.perf_counter() - t0, 1e-7)
        calls[name] = max(1, int(budget_s / 7 / one))
    rounds: dict[str, list[float]] = {name: [] for name in funcs}
    for _ in range(7):
        for name, f in funcs.items():
            n = calls[name]
            gc.disable()
            t0 = time.perf_counter()
            for _ in range(n):
                f(text)
            rounds[name].append((time.perf_counter() - t0) / n)
            gc.enable()
    return {name: statistics.median(v) for name, v in rounds.items()}


BUILD_PROBE = """
import sys, time
t0 = time.perf_counter()
from interceptor import Interceptor
g = Interceptor.from_path(sys.argv[1])
g.check("预热 warm-up 微信")
t1 = time.perf_counter()
# VmHWM is this process's own peak: ru_maxrss would carry the parent's peak across exec
hwm = next(int(ln.split()[1]) for ln in open("/proc/self/status") if ln.startswith("VmHWM:"))
print(t1 - t0, hwm / 1024)
"""


def _tree_pss_kb(pid: int) -> int:
    """Proportional set size of ``pid`` and its children, in KB: memory they hold together,
    a page two of them share counted once (``Pss`` of /proc/PID/smaps_rollup)."""
    total = 0
    pids = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            pids += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            pass
    return total


def build_cost(lexicon: Path, cache: Path | None = None) -> tuple[float, float, float]:
    """Seconds to import, load and compile a lexicon in a fresh process, its peak RSS (MB),
    and the peak memory of that process and the children it forks together (MB, sampled every
    5 ms): a large automaton is built in a forked child (``engine.aside``), whose peak is not
    the process's own but is memory the machine must have all the same. Compiled from the
    files (the compiled-lexicon cache off), or with ``cache`` the directory of the cache (a
    start after the first then reads the lexicon compiled)."""
    env = {**os.environ, "INTERCEPTOR_CACHE_DIR": str(cache) if cache else "off"}
    proc = subprocess.Popen([sys.executable, "-c", BUILD_PROBE, str(lexicon)], stdout=subprocess.PIPE, text=True,
                            env=env)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_pss_kb(proc.pid))
        time.sleep(0.005)
    out = proc.communicate()[0].split()
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, "build probe")
    own = float(out[1])
    return float(out[0]), own, max(own, peak / 1024)


def rules_overhead() -> dict[str, float]:
    """check() on 1 KB mixed texts with 200 contextual rules loaded against none."""
    import random
    import shutil

    from interceptor import Interceptor

    base = lexicons.build(10_000)
    with_rules = base.parent / "lexicon-10000-rules"
    if not with_rules.exists():
        shutil.copytree(base, with_rules)
        terms = load_terms(base)
        rng = random.Random(200)
        rules = []
        for i in range(200):
            a, b = rng.sample(terms, 2)
            scope = ["message", "conversation", "40"][i % 3]
            rules.append(f'[[rule]]\nid = "r{i}"\ncategory = "bench-rule"\ntier = "warn"\n'
                         f'all = [{a!r}, {b!r}]\nscope = {scope if scope.isdigit() else repr(scope)}\n')
        (with_rules / "rules.toml").write_text("\n".join(rules).replace("'", '"'), encoding="utf8")
    plain, ruled = Interceptor.from_path(base), Interceptor.from_path(with_rules)
    texts = [corpora.mixed(1024, 7 + 13 * i) for i in range(50)]

    def one_pass(guard: Any) -> float:
        gc.disable()
        t0 = time.perf_counter()
        for t in texts:
            guard.check(t)
        elapsed = time.perf_counter() - t0
        gc.enable()
        return elapsed / len(texts)

    # Paired rounds, the order alternating: a ratio per round cancels the drift of a shared
    # machine, which two medians taken seconds apart do not.
    for guard in (plain, ruled):
        one_pass(guard)
    times: dict[str, list[float]] = {"without rules": [], "with 200 rules": []}
    ratios = []
    for i in range(41):
        order = [("without rules", plain), ("with 200 rules", ruled)]
        got = {name: one_pass(g) for name, g in (order if i % 2 == 0 else order[::-1])}
        for name, v in got.items():
            times[name].append(v)
        ratios.append(got["with 200 rules"] / got["without rules"])
    without = statistics.median(times["without rules"])
    return {"without rules": without, "with 200 rules": without * statistics.median(ratios)}


def cpu_cost(f: Callable[[str], object], text: str, repeats: int) -> float:
    """Best of ``repeats`` timings of this thread's CPU time (the collector off)."""
    best = float("inf")
    for _ in range(repeats):
        gc.disable()
        t0 = time.thread_time()
        f(text)
        best = min(best, time.thread_time() - t0)
        gc.enable()
    return best


def worst_case(size: int = 100_000) -> dict[str, Any]:
    """``check()`` on every adversarial family of ``tests/adversarial.py`` at ``size``
    characters, as a ratio to ``size`` characters of natural mixed text, per lexicon: the
    bundled one, the public evaluation lexicon where present, and the 10,000-term one."""
    from interceptor import Interceptor

    out: dict[str, Any] = {}
    named = {"bundled": HERE.parent / "lexicons" / "default", "10,000 terms": lexicons.build(10_000)}
    if EVAL_LEXICON is not None:
        named["public evaluation"] = EVAL_LEXICON
    for name, path in named.items():
        guard = Interceptor.from_path(path)
        base = natural(size)
        guard.check(base)
        nat = cpu_cost(guard.check, base, 5)
        ratios = {}
        for fam, make in families(guard).items():
            text = make(size)
            guard.check(text)
            ratios[fam] = cpu_cost(guard.check, text, 3) / nat
        dense = hit_dense(guard, size)
        out[name] = {"natural_s": nat, "families": ratios,
                     "hit_dense": cpu_cost(guard.check, dense, 1) / nat}
        worst = max(ratios, key=ratios.__getitem__)
        print(f"worst case, {name}: natural {nat * 1e3:.1f} ms; worst family {worst!r} {ratios[worst]:.2f}x; "
              f"hit-dense without repetition {out[name]['hit_dense']:.1f}x", flush=True)
    return out


def run(quick: bool = False, worst_only: bool = False) -> dict[str, Any]:
    if worst_only:
        return {"worst_case": worst_case(20_000 if quick else 100_000)}
    results: dict[str, Any] = {"timings": [], "builds": {}, "rules": rules_overhead(),
                               "worst_case": worst_case(20_000 if quick else 100_000)}
    print("rules:", {k: f"{v * 1e6:.1f}us" for k, v in results["rules"].items()}, flush=True)
    for n_terms in (10_000, 100_000):
        lex = lexicons.build(n_terms)
        results["builds"][str(n_terms)] = build_cost(lex)
        funcs = competitors(lex)
        for kind in KINDS:
            for size_name, size in SIZES.items():
                if quick and size_name == "1MB":
                    continue
                text = text_of(kind, size)
                budget = 1.5 if size_name == "1MB" else 0.7
                # the pure-Python DFA takes tens of seconds per megabyte: left out at 1 MB
                slow = {k: v for k, v in funcs.items() if size_name != "1MB" or "DFA" not in k}
                timing = measure(slow, text, budget)
                results["timings"].append({"terms": n_terms, "kind": kind, "size": size_name, "seconds": timing})
                print(f"{n_terms:>7} {kind:5s} {size_name:5s} "
                      + "  ".join(f"{k.split(' (')[0][:18]}={v * 1e6:,.1f}us" for k, v in timing.items()), flush=True)
        del funcs
        gc.collect()
    return results


if __name__ == "__main__":
    res = run(quick="--quick" in sys.argv, worst_only="--worst-case" in sys.argv)
    (HERE / "results").mkdir(exist_ok=True)
    if "--worst-case" in sys.argv:  # only that part measured again: keep the rest of the results
        path = HERE / "results" / "engine.json"
        res = {**(json.loads(path.read_text()) if path.exists() else {}), **res}
    (HERE / "results" / "engine.json").write_text(json.dumps(res, indent=1))
