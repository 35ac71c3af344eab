"""The `interceptor lexicon` tools, run as real processes on real files."""
from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, write_lexicon

DEFAULT = ROOT / "lexicons" / "default"


def _child_cpu() -> float:
    """CPU seconds used by finished child processes."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "interceptor.cli", "lexicon", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_stats_of_the_bundled_lexicon() -> None:
    p = run("stats", str(DEFAULT), "--json")
    assert p.returncode == 0, p.stderr
    s = json.loads(p.stdout)
    assert s["terms"] >= 10_000 and s["languages"] >= 10 and s["categories"] >= 10


def test_import_formats(tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_text("# list\nfoo\nbar baz\n\nfoo\n", encoding="utf8")
    (tmp_path / "tags.txt").write_text("枪支|weapon\n冰毒|drug\n", encoding="utf8")
    (tmp_path / "list.csv").write_text("term,note\nqux,x\n\"a, b\",y\n", encoding="utf8")
    out = tmp_path / "lex"
    out.mkdir()
    assert run("import", str(tmp_path / "plain.txt"), "--category", "spam", "--tier", "warn", "-o",
               str(out / "plain.tsv")).returncode == 0
    assert run("import", str(tmp_path / "tags.txt"), "--format", "word-tag", "--category", "weapons", "--tier",
               "block", "--lang", "zh", "-o", str(out / "tags.tsv")).returncode == 0
    assert run("import", str(tmp_path / "list.csv"), "--category", "misc", "-o", str(out / "csv.tsv")).returncode == 0
    p = run("check", str(out), "--json")
    assert p.returncode == 0, p.stderr
    c = json.loads(p.stdout)
    assert c["terms"] == 6 and c["by_tier"] == {"mask": 2, "warn": 2, "block": 2}
    assert "tag weapon" in (out / "tags.tsv").read_text(encoding="utf8")


def test_import_reports_bad_input_with_locations(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"ok\n\xff\xfe\n")
    p = run("import", str(tmp_path / "bad.txt"), "--category", "x")
    assert p.returncode == 2 and "bad.txt:2: invalid UTF-8" in p.stderr
    (tmp_path / "empty.txt").write_text("ok\n|tag\n", encoding="utf8")
    p = run("import", str(tmp_path / "empty.txt"), "--format", "word-tag", "--category", "x")
    assert p.returncode == 2 and "empty.txt:2: empty term" in p.stderr
    p = run("import", str(tmp_path / "empty.txt"), "--category", "x", "--tier", "loud")
    assert p.returncode == 2


def test_diff(tmp_path: Path) -> None:
    a = write_lexicon(tmp_path / "a", {"x.tsv": "term\ttier\none\tmask\ntwo\tmask\n", "allow.txt": "one two\n"})
    b = write_lexicon(tmp_path / "b", {"x.tsv": "term\ttier\none\tblock\nthree\tmask\n"})
    p = run("diff", str(a), str(b), "--json")
    d = json.loads(p.stdout)
    assert [x["term"] for x in d["added"]] == ["three"] and [x["term"] for x in d["removed"]] == ["two"]
    assert d["changed"] == [{"term": "one", "from": {"tier": "mask"}, "to": {"tier": "block"}}]
    assert d["allow_removed"] == ["one two"]
    text = run("diff", str(a), str(b)).stdout
    assert "+ three" in text and "- two" in text and "~ one\ttier: mask -> block" in text


def test_lint_finds_problems(tmp_path: Path) -> None:
    d = write_lexicon(tmp_path / "l", {
        "a.tsv": "term\ttier\nf.u.c.k\tmask\n枪\tmask\n枪支\tblock\n白粉蝶\tmask\n",
        "b.tsv": "term\ttier\nfuck\tblock\n今天\tmask\n",
        "allow.txt": "白粉蝶\n",
    })
    p = run("lint", str(d), "--json")
    assert p.returncode == 1
    report = json.loads(p.stdout)
    kinds = [e["kind"] for e in report["errors"]]
    assert "same term written twice" in kinds and "unreachable: allowed as a whole phrase" in kinds
    wkinds = [w["kind"] for w in report["warnings"]]
    assert "term inside a term of another tier" in wkinds and "everyday word with a severe tier" in wkinds


def test_bundled_lexicon_passes_lint() -> None:
    p = run("lint", str(DEFAULT))
    assert p.returncode == 0, p.stdout[-2000:]


def test_impact_and_diff_on_the_bundled_lexicon_are_quick(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in
                                ["what the fuck", "今天天气很好", "加我微信", "a perfectly fine sentence"] * 50),
                      encoding="utf8")
    t0 = _child_cpu()
    p = run("impact", str(DEFAULT), "--corpus", str(corpus), "--json")
    assert p.returncode == 0, p.stderr
    report = json.loads(p.stdout)
    assert report["texts"] == 200 and report["terms"][0]["hits"] == 50
    assert run("diff", str(DEFAULT), str(ROOT / "lexicons" / "sample")).returncode == 0
    assert _child_cpu() - t0 < 20  # two runs, each under 10 s of CPU (wall time varies with the machine's load)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{"nope": 1}\n', encoding="utf8")
    p = run("impact", str(DEFAULT), "--corpus", str(bad))
    assert p.returncode == 2 and "bad.jsonl:2" in p.stderr


def test_lint_flags_terms_whose_labels_disagree(tmp_path: Path) -> None:
    d = write_lexicon(tmp_path / "l", {
        "manifest.toml": 'hidden_categories = ["ask"]\n[risk_codes]\nprofanity = "A.4-3"\nviolence = "A.1-6"\n',
        "profanity.tsv": "term\tlang\nfuck\ten\nfuck me baby\tar\n3ars\tar-Latn\nсука\tru\nscheisse\tde\n",
        "violence.tsv": "term\tlang\n投毒\tzh\n杀人\tzh\nfuck投毒杀人\tzh\nK粉枪\tzh\n",
        "drugs.tsv": "term\tlang\ndickweed\ten\n",
        "ask.tsv": "term\ttier\n哪里\tblock\n",
    })
    report = json.loads(run("lint", str(d), "--json").stdout)
    warned: dict[str, list[str]] = {}
    for w in report["warnings"]:
        warned.setdefault(w["kind"], []).append(w.get("term") or w.get("category"))
    assert warned["script disagrees with language"] == ["fuck me baby", "fuck投毒杀人"]  # ar-Latn, K粉 agree
    assert warned["joins terms of other categories"] == ["fuck投毒杀人"]
    assert warned["category has no risk code"] == ["drugs"]
    assert warned["rule-only term with a tier that acts (it is never reported)"] == ["哪里"]
