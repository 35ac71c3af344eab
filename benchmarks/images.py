"""Image screening: what the OCR catches, what it costs (``results/images.json``).

Quality — a generated set (``tests/image_set.py``, deterministic): terms of the bundled
lexicon (``block`` and ``mask``, Han or Latin script, picked by a seeded draw) and benign
sentences (People's Daily news and the Brown corpus, ``corpora``) rendered with Noto Sans/Serif
CJK and DejaVu at 14–48 px, on plain, textured and photo-like backgrounds, rotated up to ±10°,
with noise characters between the letters, and as memes. Each picture alone goes through
``images.screen`` with the bundled lexicon; a term is caught when the verdict acts (mask or
block), a benign sentence is a false positive when it does. The same strings typed are
checked too, so what the OCR loses is told apart from what the engine misses.

Speed — onnxruntime on one thread: decoding plus reading per image size (chat screenshots
from 512×512 to a 1080×2400 phone screen, and a dense 1024×1024 page), p50/p99 over distinct
pictures; a repeated picture (base64, header, SHA-256, cache); throughput with and without
the cache, one and two workers; and how much of a screened request the OCR is.

    python benchmarks/images.py [--small] [--backend=rapidocr|tesseract|both] [--terms=N] [--benign=N]
"""
from __future__ import annotations

import base64
import json
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE] + [str(HERE), str(ROOT)]

import corpora  # noqa: E402

from interceptor import Interceptor, Tier, load_lexicon  # noqa: E402
from interceptor.images import ImageSettings, ImageText, OcrPool, decode_base64, inspect, make_backend, screen  # noqa: E402
from interceptor.images.reading import OcrBackend  # noqa: E402
from interceptor.types import Action  # noqa: E402
from tests.image_set import Scene, encode, font_paths, is_latin, render, screenshot  # noqa: E402

LEXICON = ROOT / "lexicons" / "default"
OUT = HERE / "results" / "images.json"
HAN = re.compile(r"^[\u4e00-\u9fff]{2,8}$")
LATIN = re.compile(r"^[a-z]{4,14}$")

# condition -> (background, sizes, rotation, noise, meme)
CONDITIONS: dict[str, tuple[str, tuple[int, ...], bool, bool, bool]] = {
    "plain 14-18 px": ("plain", (14, 16, 18), False, False, False),
    "plain 20-48 px": ("plain", (20, 24, 28, 32, 40, 48), False, False, False),
    "textured 20-48 px": ("textured", (20, 24, 28, 32, 40, 48), False, False, False),
    "photo-like 20-48 px": ("photo", (20, 24, 28, 32, 40, 48), False, False, False),
    "rotated ±10°, plain": ("plain", (20, 24, 28, 32, 40, 48), True, False, False),
    "rotated ±10°, textured": ("textured", (20, 24, 28, 32, 40, 48), True, False, False),
    "noise between letters": ("plain", (20, 24, 28, 32, 40, 48), False, True, False),
    "meme": ("photo", (28, 32, 40, 48), False, False, True),
}
BENIGN_CONDITIONS = ("plain 14-18 px", "plain 20-48 px", "textured 20-48 px", "photo-like 20-48 px",
                     "rotated ±10°, textured", "meme")


def pick_terms(n_han: int, n_latin: int, seed: int = 18) -> list[str]:
    lex = load_lexicon(LEXICON)
    acting = sorted({t.text for t in lex.terms if t.tier in (Tier.BLOCK, Tier.MASK)})
    rng = random.Random(seed)
    han = [t for t in acting if HAN.match(t)]
    latin = [t for t in acting if LATIN.match(t)]
    return rng.sample(han, min(n_han, len(han))) + rng.sample(latin, min(n_latin, len(latin)))


def benign_sentences(n_zh: int, n_en: int, seed: int = 18) -> list[str]:
    """One-line pieces of clean text: Chinese clauses of 6-20 characters, English of 20-44."""
    rng = random.Random(seed)
    zh = [c for s in corpora.chinese_news() for c in re.split(r"[，。！？；：、]", s) if 6 <= len(c) <= 20]
    en = []
    for s in corpora.english_brown():
        cut = s[:44].rsplit(" ", 1)[0] if len(s) > 44 else s
        if len(cut) >= 20 and cut.isascii():
            en.append(cut)
    return rng.sample(zh, n_zh) + rng.sample(en, n_en)


def scene(text: str, condition: str, i: int) -> Scene:
    background, sizes, rotate, noise, meme = CONDITIONS[condition]
    rng = random.Random(f"{condition}/{i}/{text}")
    fonts = font_paths(text)
    angle = rng.choice((-1, 1)) * rng.uniform(3, 10) if rotate else 0.0
    return Scene(text=text, font=rng.choice(fonts), size=rng.choice(sizes), background=background, angle=angle,
                 noise=noise, meme=meme, seed=rng.randrange(1 << 30))


def typed(sc: Scene) -> str:
    """The string the picture shows, as it would be typed."""
    from tests.image_set import with_noise

    return with_noise(sc.text, random.Random(sc.seed)) if sc.noise else sc.text


def quality(pool: OcrPool, guard: Interceptor, terms: list[str], benign: list[str]) -> dict[str, Any]:
    s = pool.settings

    def acts(text: str, data: bytes) -> tuple[bool, str]:
        p = inspect(data, s.max_bytes, s.max_pixels)
        [r] = pool.read_all([p])
        return screen(guard, "", [ImageText.of(0, p, r)]).action is not Action.PASS, r.text

    rows: list[dict[str, Any]] = []
    misses: dict[str, list[tuple[str, str]]] = {}
    for cond in CONDITIONS:
        for group, items in (("terms", terms), ("benign", benign)):
            if group == "benign" and cond not in BENIGN_CONDITIONS:
                continue
            by: dict[str, list[int]] = {"han": [0, 0, 0], "latin": [0, 0, 0]}  # n, flagged image, flagged typed
            t0 = time.perf_counter()
            for i, text in enumerate(items):
                sc = scene(text, cond, i)
                flagged, read = acts(text, encode(render(sc)))
                k = "latin" if is_latin(text) else "han"
                by[k][0] += 1
                by[k][1] += flagged
                by[k][2] += guard.check(typed(sc)).action is not Action.PASS
                if flagged != (group == "terms"):
                    misses.setdefault(f"{group} / {cond}", []).append((typed(sc), read))
            n = sum(v[0] for v in by.values())
            rows.append({"group": group, "condition": cond, "n": n,
                         "rate": sum(v[1] for v in by.values()) / n,
                         "typed_rate": sum(v[2] for v in by.values()) / n,
                         "by_script": {k: {"n": v[0], "rate": v[1] / v[0] if v[0] else None,
                                           "typed_rate": v[2] / v[0] if v[0] else None} for k, v in by.items()},
                         "seconds_per_image": (time.perf_counter() - t0) / n})
            print(f"  {group:6} {cond:24} n={n:4} rate={rows[-1]['rate']:.3f} typed={rows[-1]['typed_rate']:.3f}",
                  flush=True)
    return {"rows": rows, "misses": {k: v[:12] for k, v in misses.items()}}


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


SIZES: dict[str, Callable[[int], bytes]] = {
    "1024×1024 picture with a caption": lambda seed: encode(render(Scene(
        _chat(seed, 1, 14)[0], size=40, meme=True, seed=seed)).resize((1024, 1024))),
    "512×512 chat screenshot": lambda seed: screenshot(_chat(seed, 7), (512, 512), 14, seed),
    "1024×1024 chat screenshot": lambda seed: screenshot(_chat(seed, 14), (1024, 1024), 18, seed),
    "1080×2400 phone screenshot": lambda seed: screenshot(_chat(seed, 26), (1080, 2400), 28, seed),
    "1024×1024 dense page (30 long lines)": lambda seed: screenshot(_chat(seed, 30, 36), (1024, 1024), 16, seed),
}


def _chat(seed: int, n: int, width: int = 18) -> list[str]:
    rng = random.Random(seed)
    zh = corpora.chinese_news()
    out = []
    for _ in range(n):
        s = zh[rng.randrange(len(zh))]
        out.append(s[: rng.randint(4, width)])
    return out


def speed(make: Callable[[], OcrBackend], guard: Interceptor, rounds: int) -> dict[str, Any]:
    """Latency per image size (decode and read, in this thread: wall time and this thread's
    CPU time, which a busy machine inflates less), the repeated picture, throughput, share."""
    settings = ImageSettings(enabled=True, cache_bytes=0, budget_s=600, threads=1)
    backend = make()
    out: dict[str, Any] = {"latency": []}
    for name, draw in SIZES.items():
        pics = [inspect(draw(seed), settings.max_bytes, settings.max_pixels) for seed in range(rounds)]
        backend.read(pics[0].pixels()[0])  # shapes warmed
        wall, cpu, chars = [], [], []
        for p in pics:
            t0, c0 = time.perf_counter(), time.thread_time()
            lines = [line for px in p.pixels() for line in backend.read(px)]
            wall.append(time.perf_counter() - t0)
            cpu.append(time.thread_time() - c0)
            chars.append(sum(len(line.text) for line in lines))
        row = {"image": name, "n": len(wall), "p50_ms": statistics.median(wall) * 1e3, "p99_ms": _pct(wall, 0.99) * 1e3,
               "cpu_p50_ms": statistics.median(cpu) * 1e3, "cpu_p99_ms": _pct(cpu, 0.99) * 1e3,
               "chars": statistics.median(chars), "bytes": statistics.median(p.size for p in pics),
               "load": _load()}
        out["latency"].append(row)
        print(f"  {name:40} p50 {row['p50_ms']:8.1f} ms (cpu {row['cpu_p50_ms']:8.1f})  p99 {row['p99_ms']:8.1f} ms"
              f"  ({row['chars']:.0f} characters, load {row['load']})", flush=True)
    pool = OcrPool(make, settings)
    # a repeated picture: base64 decoded, header inspected, hashed, answered from the cache
    cached = OcrPool(make, ImageSettings(enabled=True, threads=1, budget_s=600))
    shot = SIZES["1024×1024 chat screenshot"](0)
    b64 = base64.b64encode(shot).decode()
    cached.read_all([inspect(shot, settings.max_bytes, settings.max_pixels)])
    times = []
    for _ in range(rounds * 50):
        t0 = time.perf_counter()
        p = inspect(decode_base64(b64, settings.max_bytes), settings.max_bytes, settings.max_pixels)
        [r] = cached.read_all([p])
        screen(guard, "看看这个", [ImageText.of(0, p, r)])
        times.append(time.perf_counter() - t0)
    out["repeated"] = {"image": "1024×1024 chat screenshot", "bytes": len(shot), "n": len(times),
                       "p50_ms": statistics.median(times) * 1e3, "p99_ms": _pct(times, 0.99) * 1e3}
    print(f"  repeated picture p50 {out['repeated']['p50_ms']:.3f} ms p99 {out['repeated']['p99_ms']:.3f} ms")
    # throughput: distinct pictures (no cache), and a stream where each picture comes ten times
    shots = [inspect(SIZES["1024×1024 chat screenshot"](100 + i), settings.max_bytes, settings.max_pixels)
             for i in range(max(4, rounds // 2))]
    out["throughput"] = []
    for workers in (1, 2):
        for label, stream, cache_bytes in (("distinct", shots, 0), ("each 10 times", shots * 10, 32 << 20)):
            tp = OcrPool(make, ImageSettings(enabled=True, workers=workers, threads=1, cache_bytes=cache_bytes,
                                             queue=len(stream) + 1, budget_s=600))
            t0 = time.perf_counter()
            if cache_bytes:  # requests arrive one after another: the first of each is read, the rest cached
                for p in stream:
                    tp.read_all([p])
            else:
                tp.read_all(stream)
            wall = time.perf_counter() - t0
            out["throughput"].append({"workers": workers, "stream": label, "images": len(stream),
                                      "per_second": len(stream) / wall})
            print(f"  throughput {workers} worker(s), {label:14} {len(stream) / wall:8.2f} images/s", flush=True)
            tp.close()
    # the OCR's share of a screened request (in process: decode, inspect, read, screen)
    shares = []
    for p in shots:
        t0 = time.perf_counter()
        [r] = pool.read_all([p])
        t1 = time.perf_counter()
        screen(guard, "帮我看看这张截图里说了什么", [ImageText.of(0, p, r)])
        t2 = time.perf_counter()
        shares.append((t1 - t0) / (t2 - t0))
    out["ocr_share_in_process"] = statistics.median(shares)
    pool.close()
    cached.close()
    return out


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def main() -> None:
    small = "--small" in sys.argv
    want = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--backend=")), "both")
    backends = ["rapidocr", "tesseract"] if want == "both" else [want]
    guard = Interceptor.from_path(LEXICON)
    n_terms = int(next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--terms=")), 20 if small else 100))
    n_benign = int(next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--benign=")), 20 if small else 200))
    terms = pick_terms(n_terms * 3 // 5, n_terms - n_terms * 3 // 5)
    benign = benign_sentences(n_benign * 3 // 5, n_benign - n_benign * 3 // 5)
    result: dict[str, Any] = {"started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load_at_start": _load(),
                              "small": small,
                              "terms": len(terms), "benign": len(benign), "backends": {}}
    for name in backends:
        settings = ImageSettings(enabled=True, backend=name, threads=1)
        try:
            make_backend(settings)
        except Exception as e:  # the backend's extra is not installed: reported, not measured
            result["backends"][name] = {"unavailable": str(e)}
            print(f"== {name}: unavailable ({e})")
            continue
        print(f"== {name}: quality", flush=True)
        pool = OcrPool(lambda s=settings: make_backend(s), ImageSettings(enabled=True, backend=name, threads=1,
                                                                         cache_bytes=0, budget_s=120))
        q = quality(pool, guard, terms, benign)
        pool.close()
        print(f"== {name}: speed", flush=True)
        sp = speed(lambda s=settings: make_backend(s), guard, 6 if small else 20)
        result["backends"][name] = {"quality": q, "speed": sp, "terms": len(terms), "benign": len(benign),
                                    "started": result["started"], "load_at_start": result["load_at_start"],
                                    "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                    "load_at_finish": _load()}
    result["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    result["load_at_finish"] = _load()
    OUT.parent.mkdir(exist_ok=True)
    if want != "both" and OUT.exists():  # one backend measured: the others' last results are kept
        kept = json.loads(OUT.read_text(encoding="utf-8")).get("backends", {})
        result["backends"] = {**{k: v for k, v in kept.items() if k != want}, **result["backends"]}
    OUT.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
