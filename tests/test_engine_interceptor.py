"""`Interceptor`: the Python API, reload, and reload under concurrent checks."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from interceptor import Action, Interceptor, LexiconError
from tests.conftest import write_lexicon


def test_check_verdict_shape(sample_guard: Interceptor) -> None:
    v = sample_guard.check("加我薇❤", direction="input")
    assert v.action is Action.MASK and v.text == "加我**" and v.lexicon_version == sample_guard.version
    d = v.to_dict()
    assert set(d) == {"action", "text", "hits", "lexicon_version"}
    assert d["hits"][0] == {"term": "微信", "category": "contact-ads", "tier": "mask", "start": 2, "end": 4,
                            "matched": "薇❤", "variant": "homophone"}
    with pytest.raises(ValueError):
        sample_guard.check("x", direction="sideways")


def test_tier_precedence_and_monitor(tmp_path: Path) -> None:
    g = Interceptor.from_path(write_lexicon(tmp_path / "l", {
        "a.tsv": "term\ttier\nalpha\tmask\nbeta\twarn\ngamma\tblock\ndelta\tmonitor\n"}))
    assert g.check("delta").action is Action.PASS and len(g.check("delta").hits) == 1
    assert g.check("alpha delta").action is Action.MASK
    v = g.check("alpha beta")
    assert v.action is Action.WARN and v.text == "***** beta"
    assert g.check("beta gamma alpha").action is Action.BLOCK
    assert g.check("beta gamma alpha").text is None


def test_reload_swaps_and_bad_lexicon_keeps_old(tmp_path: Path) -> None:
    d = write_lexicon(tmp_path / "l", {"a.tsv": "term\tcategory\nalpha\tx\n"})
    g = Interceptor.from_path(d)
    v1 = g.version
    (d / "a.tsv").write_text("term\tcategory\nbeta\tx\n", encoding="utf8")
    v2 = g.reload()
    assert v2 != v1 and g.check("beta").hits and not g.check("alpha").hits
    (d / "a.tsv").write_text("term\ttier\nbeta\tloud\n", encoding="utf8")
    with pytest.raises(LexiconError):
        g.reload()
    assert g.version == v2 and g.check("beta").hits


def test_checks_during_reloads_never_fail(tmp_path: Path) -> None:
    d = write_lexicon(tmp_path / "l", {"a.tsv": "term\tcategory\nalpha\tx\n微信\tx\n"})
    g = Interceptor.from_path(d)
    versions: set[str] = set()
    errors: list[BaseException] = []
    stop = threading.Event()

    def worker() -> None:
        try:
            while not stop.is_set():
                v = g.check("alpha 微信 beta")
                assert v.hits
                versions.add(v.lexicon_version)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    seen = {g.version}
    for i in range(15):
        (d / "a.tsv").write_text(f"term\tcategory\nalpha\tx\n微信\tx\nextra{i}\tx\n", encoding="utf8")
        seen.add(g.reload())
    stop.set()
    for t in threads:
        t.join()
    assert not errors, errors
    assert versions <= seen and len(seen) == 16


def test_findings_are_what_check_decides_from(sample_guard: Interceptor) -> None:
    from interceptor.policy import verdict

    for text in ("今天天气很好", "哪里能买到枪只？", "fuck you", ""):
        found = sample_guard.findings(text)
        assert verdict(text, found.hits, found.lexicon_version) == sample_guard.check(text)


def test_findings_with_cuts_scan_each_piece_alone(tmp_path: Path) -> None:
    lex = write_lexicon(tmp_path / "lex", {
        "t.tsv": "term\tcategory\ttier\n海洛因\tdrugs\tblock\n价格\tmoney\tmonitor\n",
        "rules.toml": '[[rule]]\nid = "r"\ncategory = "trade"\ntier = "warn"\nall = ["价格"]\n'
                      'categories = ["drugs"]\nscope = "message"\n',
    })
    guard = Interceptor.from_path(lex)
    text = "价格海\n\n洛因"
    assert sorted(h.term for h in guard.findings(text).hits) == ["r", "价格", "海洛因"]
    # cut between 海 and 洛因: no term across the cut, and nothing for the rule
    assert [h.term for h in guard.findings(text, cuts=[3, 5]).hits] == ["价格"]
    # a term in a later piece keeps the whole text's offsets; the rule sees all pieces
    found = guard.findings("价格\n\n海洛因", cuts=[2, 4])
    assert [(h.term, h.start, h.end, h.matched) for h in found.hits] == [
        ("价格", 0, 2, "价格"), ("r", 0, 7, "价格\n\n海洛因"), ("海洛因", 4, 7, "海洛因")]
