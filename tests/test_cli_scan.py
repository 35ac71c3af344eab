"""`interceptor scan` and `interceptor lexicon check`, run as real processes."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import CASES, EVAL, ROOT, write_lexicon

CLI = [sys.executable, "-m", "interceptor.cli"]


def run(args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(CLI + args, input=stdin, capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_scan_in_order_with_errors_for_bad_lines() -> None:
    lines = [
        json.dumps({"id": 1, "text": "加我薇信"}, ensure_ascii=False),
        "not json",
        json.dumps({"id": "x", "text": 5}),
        json.dumps([1, 2]),
        json.dumps({"id": 4, "text": "f.u.c.k", "direction": "output"}),
        json.dumps({"id": 5, "text": "fine", "direction": "sideways"}),
        json.dumps({"text": "白粉"}, ensure_ascii=False),
    ]
    p = run(["scan", "--lexicon", str(CASES / "lexicon")], "\n".join(lines) + "\n")
    assert p.returncode == 0, p.stderr
    out = [json.loads(x) for x in p.stdout.splitlines()]
    assert len(out) == len(lines)
    assert out[0]["id"] == 1 and out[0]["action"] == "mask" and out[0]["text"] == "加我**"
    assert out[0]["hits"][0]["term"] == "微信" and out[0]["hits"][0]["variant"] == "homophone"
    assert out[1] == {"id": None, "error": out[1]["error"]} and "JSON" in out[1]["error"]
    assert out[2]["id"] == "x" and "text" in out[2]["error"]
    assert out[3]["id"] is None and "object" in out[3]["error"]
    assert out[4]["action"] == "mask" and out[4]["text"] == "*******"
    assert out[5]["id"] == 5 and "direction" in out[5]["error"]
    assert out[6]["id"] is None and out[6]["action"] == "block" and out[6]["text"] is None


def test_scan_with_pyahocorasick_gives_the_same_answers() -> None:
    text = "\n".join(json.dumps({"id": i, "text": t}, ensure_ascii=False)
                     for i, t in enumerate(["加我wei xin", "fuuuck", "銀行卡", "刁近平"])) + "\n"
    a = run(["scan", "--lexicon", str(CASES / "lexicon")], text)
    b = run(["scan", "--lexicon", str(CASES / "lexicon"), "--matcher", "pyahocorasick"], text)
    assert a.returncode == b.returncode == 0
    assert a.stdout == b.stdout


def test_scan_invalid_lexicon_exits_2_with_locations(tmp_path: Path) -> None:
    d = write_lexicon(tmp_path / "bad", {"a.tsv": "term\ttier\nfoo\tloud\n"})
    p = run(["scan", "--lexicon", str(d)], '{"text": "x"}\n')
    assert p.returncode == 2
    assert "a.tsv:2: unknown tier 'loud'" in p.stderr


def test_lexicon_check_counts_and_errors(tmp_path: Path) -> None:
    p = run(["lexicon", "check", str(ROOT / "lexicons" / "sample"), "--json"])
    assert p.returncode == 0, p.stderr
    c = json.loads(p.stdout)
    assert c["terms"] >= 20 and set(c["by_tier"]) >= {"block", "mask", "warn"} and "zh" in c["by_lang"]
    d = write_lexicon(tmp_path / "bad", {"a.tsv": "term\ttier\n\n\tmask\n"})
    p = run(["lexicon", "check", str(d)])
    assert p.returncode == 2 and "a.tsv:3: empty term" in p.stderr


def test_public_set_scans_in_under_ten_seconds() -> None:
    if not (EVAL / "cases.jsonl").exists():
        return
    data = (EVAL / "cases.jsonl").read_text(encoding="utf8")
    t0 = time.perf_counter()
    p = subprocess.run([str(Path(sys.executable).parent / "interceptor"), "scan", "--lexicon", str(EVAL / "lexicon")],
                       input=data, capture_output=True, text=True, timeout=60)
    took = time.perf_counter() - t0
    assert p.returncode == 0, p.stderr
    assert len(p.stdout.splitlines()) == len(data.splitlines())
    assert took < 10, took


def test_scan_gives_one_line_per_input_line_blank_ones_included() -> None:
    lines = [json.dumps({"id": i, "text": "hello"}) for i in range(10)]
    lines[4] = ""
    lines[7] = "   "
    p = run(["scan", "--lexicon", str(CASES / "lexicon")], "\n".join(lines) + "\n")
    out = [json.loads(x) for x in p.stdout.splitlines()]
    assert len(out) == 10 and out[4]["error"] and out[7]["error"] and out[5]["id"] == 5


SCAN_IMPORTS = """
import io, sys
from interceptor import cli
sys.stdin = io.TextIOWrapper(io.BytesIO(b'{"id": 1, "text": "hello"}\\n'))
out = io.BytesIO()
wrapper = sys.stdout = io.TextIOWrapper(out)
code = cli.main(["scan", "--lexicon", sys.argv[1]])
wrapper.flush()
lines = out.getvalue().count(b"\\n")
web = sorted(m for m in ("fastapi", "starlette", "uvicorn", "psycopg") if m in sys.modules)
print(code, lines, web, file=sys.__stdout__)
"""


def test_scan_starts_with_the_engine_alone() -> None:
    # scan's start-up is the engine's: the service, its web framework and the stores are not imported
    p = subprocess.run([sys.executable, "-c", SCAN_IMPORTS, str(CASES / "lexicon")], capture_output=True, text=True,
                       cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split(maxsplit=2) == ["0", "1", "[]\n"]


def test_scan_answers_the_first_line_before_the_input_ends() -> None:
    exe = str(Path(sys.executable).parent / "interceptor")
    with subprocess.Popen([exe, "scan", "--lexicon", str(CASES / "lexicon")], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps({"id": 1, "text": "加我微信"}) + "\n")
        proc.stdin.flush()
        first = json.loads(proc.stdout.readline())  # stdin still open: the answer must not wait for more input
        proc.stdin.close()
        proc.wait(timeout=60)
    assert first["id"] == 1 and first["hits"]
