"""Coverage by risk code and the filing's keyword list (``interceptor lexicon report``),
run as real processes on real files; the xlsx export is read back with openpyxl."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from interceptor import LexiconError
from interceptor.lexicon import load_lexicon
from interceptor.lexicon.coverage import Status, coverage
from tests.conftest import ROOT, write_lexicon

MANIFEST = '''name = "filing"
operator_supplied = ["A.1-1", "A.1-2", "A.1-3"]
hidden_categories = ["ask"]

[defaults]
added = "2026-01-15"

[risk_codes]
weapons = "A.1-8"
slurs = "A.2-1"
insults = "A.4-3"
'''


def small(tmp_path: Path) -> Path:
    return write_lexicon(tmp_path / "lex", {
        "manifest.toml": MANIFEST,
        "weapons.tsv": "term\ttier\tlang\tadded\n枪支\tmonitor\tzh\t2026-02-01\n手枪\tblock\tzh\t\n"
                       "rifle|x\tblock\ten\t\n",
        "slurs.tsv": "term\ttier\tlang\nslurword\tmask\ten\n",
        "insults.tsv": "term\ttier\nidiot\tmask\n",
        "ask.tsv": "term\ttier\n哪里\tmonitor\n",
        "misc.tsv": "term\ttier\nthing\tmonitor\n",
    })


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "interceptor.cli", "lexicon", *args], capture_output=True,
                          cwd=ROOT, timeout=120)


def test_manifest_risk_map_is_validated_with_lines(tmp_path: Path) -> None:
    d = write_lexicon(tmp_path / "bad", {
        "a.tsv": "term\ttier\tadded\nx\tmask\tyesterday\n",
        "manifest.toml": 'hidden_categories = ["a"]\n[risk_codes]\na = "A.1-4"\nb = "A.9-1"\nc = "B.1"\n',
    })
    with pytest.raises(LexiconError) as e:
        load_lexicon(d)
    msgs = [str(p) for p in e.value.problems]
    assert any(m.startswith("manifest.toml:4:") and "A.9-1" in m for m in msgs)
    assert any(m.startswith("manifest.toml:5:") and "'B.1'" in m for m in msgs)
    assert any("hidden categories are never reported" in m for m in msgs)
    assert any(m.startswith("a.tsv:2:") and "added must be a date" in m for m in msgs)


def test_coverage_counts_by_code_tier_and_language(tmp_path: Path) -> None:
    lex = load_lexicon(small(tmp_path))
    assert lex.risk_codes["weapons"] == "A.1-8" and lex.hidden == {"ask"}
    cov = coverage(lex)
    by = {r.code: r for r in cov.risks}
    assert by["A.1-8"].terms == 3 and by["A.1-8"].by_tier == {"block": 2, "monitor": 1}
    assert by["A.1-8"].by_lang == {"zh": 2, "en": 1} and by["A.1-8"].status is Status.SHORT
    assert by["A.1-1"].status is Status.OPERATOR and by["A.1-4"].status is Status.MISSING
    assert by["A.4-3"].status is Status.EXTRA and by["A.4-3"].minimum == 0
    assert cov.unmapped == {"misc": 1} and cov.hidden == {"ask": 1}
    assert cov.total == 6 and cov.shortfalls[0] == "total: 6 terms, minimum 10000"
    assert not any(s.startswith("A.1-1") for s in cov.shortfalls)


def test_report_text_json_and_strict(tmp_path: Path) -> None:
    d = small(tmp_path)
    p = run("report", str(d))
    out = p.stdout.decode()
    assert p.returncode == 0 and "operator-supplied (no terms shipped): A.1-1, A.1-2, A.1-3" in out
    assert "A.1-8" in out and "shortfalls: total: 6 terms" in out
    assert run("report", str(d), "--strict").returncode == 1
    data = json.loads(run("report", str(d), "--json").stdout)
    assert data["total"] == 6 and data["shortfalls"]


def test_csv_and_md_exports(tmp_path: Path) -> None:
    d = small(tmp_path)
    version = load_lexicon(d).version
    p = run("report", str(d), "--export", "csv")
    assert p.returncode == 0
    table = list(csv.reader(io.StringIO(p.stdout.decode("utf-8-sig"))))
    assert table[0][:4] == ["风险编号 risk code", "风险类别 risk", "类别 category", "关键词 term"]
    body = {r[3]: r for r in table[1:]}
    assert set(body) == {"枪支", "手枪", "rifle|x", "slurword", "idiot", "thing"}  # rule words are not keywords
    assert body["枪支"][:7] == ["A.1-8", "其他法律、行政法规禁止的内容", "weapons", "枪支", "monitor", "zh",
                              "2026-02-01"]
    assert body["手枪"][6] == "2026-01-15" and body["thing"][0] == "" and body["idiot"][7] == version
    out = tmp_path / "list.md"
    assert run("report", str(d), "--export", "md", "--output", str(out)).returncode == 0
    md = out.read_text(encoding="utf8")
    assert version in md and "| A.1-8 | weapons | rifle\\|x | block | en | 2026-01-15 |" in md.replace(
        "| 其他法律、行政法规禁止的内容 ", "")


def test_xlsx_export_opens_in_a_spreadsheet(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    d = small(tmp_path)
    out = tmp_path / "list.xlsx"
    p = run("report", str(d), "--export", "xlsx", "--output", str(out))
    assert p.returncode == 0, p.stderr
    wb = openpyxl.load_workbook(out, read_only=True)
    sheet = wb["关键词拦截列表"]
    rows = list(sheet.iter_rows(values_only=True))
    assert load_lexicon(d).version in rows[0][2] and rows[1][3] == "关键词 term"
    assert {r[3] for r in rows[2:]} == {"枪支", "手枪", "rifle|x", "slurword", "idiot", "thing"}
    cov = {r[0]: r for r in wb["coverage"].iter_rows(values_only=True)}
    assert cov["A.1-8"][3] == 3 and cov["A.1-1"][5] == "operator-supplied"
    stdout = run("report", str(d), "--export", "xlsx").stdout
    assert stdout[:2] == b"PK"  # a zip archive, as every xlsx is
