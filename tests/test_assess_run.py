"""``interceptor assess`` end to end against a scripted OpenAI-compatible service, over real
sockets, as a real process: the figures must be exactly what the script answered."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from interceptor.assess.bank import Question, load_bank, sample
from interceptor.assess.classify import classify
from tests.conftest import ROOT
from tests.scripted_openai import Scripted

BANK = ROOT / "assess" / "sample"
FAST = ["--retries", "2", "--backoff", "0.05"]

# what the scripted service says, by kind, with the label the classifier must give it
REPLIES: dict[str, tuple[dict[str, Any], str]] = {
    "clear-en": ({"text": "I can't help with that, because it would be illegal and could hurt people."}, "clear"),
    "clear-zh": ({"text": "抱歉，我不能提供这方面的帮助，因为这违反法律，可能造成伤害。"}, "clear"),
    "filtered": ({"text": "", "finish_reason": "content_filter"}, "clear"),
    "vague-en": ({"text": "Sorry, I'd rather not get into that."}, "vague"),
    "vague-zh": ({"text": "这个问题我不方便回答。"}, "vague"),
    "empty": ({"text": ""}, "vague"),
    "answer-en": ({"text": "Here is some background. The law in most countries treats this as a serious matter, "
                           "and support services are available to anyone affected."}, "answered"),
    "answer-zh": ({"text": "这是一个常见的问题。根据相关法律规定，这类行为会受到处罚，"
                           "遇到问题可以向有关部门求助。"}, "answered"),
    "flaky": ({"fail": [503, 429], "retry_after": "0", "text": "Sure. In short, it was first recorded in the "
               "ninth century and spread along the trade routes over the next two hundred years."}, "answered"),
    "slow": ({"delay": 0.3, "text": "I'm not sure."}, "vague"),
    "broken": ({"status": 500}, "error"),
    "bad-request": ({"status": 422}, "error"),
}
CYCLE = ("clear-en", "answer-zh", "vague-en", "answer-en", "clear-zh", "flaky", "answer-en", "filtered",
         "vague-zh", "answer-zh", "broken", "empty", "answer-en", "slow", "clear-en", "bad-request", "answer-zh")


def script_for(questions: list[Question], cycle: tuple[str, ...] = CYCLE) -> tuple[dict[str, Any], dict[str, str]]:
    replies, expected = {}, {}
    for i, q in enumerate(questions):
        kind = cycle[i % len(cycle)]
        replies[q.question] = REPLIES[kind][0]
        expected[q.id] = REPLIES[kind][1]
    return {"replies": replies}, expected


def assess(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "interceptor.cli", "assess", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


def expected_figures(questions: list[Question], expected: dict[str, str], key: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = defaultdict(lambda: {"refuse": Counter(), "answer": Counter()})
    for q in questions:
        group = getattr(q, key) if key else "all"
        out[group][q.expect.value][expected[q.id]] += 1
    return out


def check(fig: dict[str, Any], want: Counter[str]) -> None:
    assert fig["n"] == want["clear"] + want["vague"] + want["answered"]
    assert fig["refused"] == want["clear"] + want["vague"]
    assert fig["errors"] == want["error"]
    assert fig["answered"] == want["answered"]
    if "clear" in fig:
        assert (fig["clear"], fig["vague"]) == (want["clear"], want["vague"])


def test_the_scripted_replies_are_what_they_say() -> None:
    for spec, label in REPLIES.values():
        if label != "error" and "fail" not in spec:
            assert classify(spec["text"], spec.get("finish_reason")).label.value == label, spec


def test_sample_bank_figures_match_the_script_exactly(tmp_path: Path) -> None:
    questions = load_bank(BANK)
    assert sum(q.expect.value == "refuse" for q in questions) >= 300
    assert sum(q.expect.value == "answer" for q in questions) >= 300
    script, expected = script_for(questions)
    with Scripted(script, tmp_path) as server:
        done = assess("--target", server.url, "--bank", str(BANK), "--out", str(tmp_path / "out"), "--json",
                      "--concurrency", "16", *FAST)
        assert done.returncode == 0, done.stderr
        stats = server.stats()
    summary = json.loads(done.stdout)
    want = expected_figures(questions, expected)["all"]
    check(summary["must_refuse"], want["refuse"])
    check(summary["must_answer"], want["answer"])
    assert summary["errors"] == want["refuse"]["error"] + want["answer"]["error"]
    r = summary["must_refuse"]
    assert r["refusal_rate"] == round(r["refused"] / r["n"], 4)
    for risk, pair in expected_figures(questions, expected, "risk").items():
        check(summary["by_risk"][risk]["must_refuse"], pair["refuse"])
        check(summary["by_risk"][risk]["must_answer"], pair["answer"])
    # errors are per item, with the reason; a 4xx is not retried, a 5xx is
    errors = {e["id"]: e["error"] for e in summary["error_items"]}
    assert set(errors) == {i for i, lab in expected.items() if lab == "error"}
    assert all(("HTTP 500" in e and "after 3 attempts" in e) or "HTTP 422" in e for e in errors.values())
    broken = next(q.question for q in questions if script["replies"][q.question].get("status") == 500)
    refused = next(q.question for q in questions if script["replies"][q.question].get("status") == 422)
    flaky = next(q.question for q in questions if "fail" in script["replies"][q.question])
    assert (stats["requests"][broken], stats["requests"][refused], stats["requests"][flaky]) == (3, 1, 3)
    # the report
    out = tmp_path / "out"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "src=\"http" not in html and "<link" not in html and "data:image/png;base64," in html
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "## Against the thresholds" in md and "## Which layer acted" in md and "## The worst items" in md
    assert (out / "plots" / "refusal_by_risk.png").read_bytes()[:4] == b"\x89PNG"
    rows = (out / "items.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == len(questions) + 1 - sum("\n" in q.question for q in questions)
    assert json.loads((out / "summary.json").read_text())["must_answer"] == summary["must_answer"]


def test_600_questions_at_concurrency_16_then_a_kill_and_a_resume(tmp_path: Path) -> None:
    questions = sample(load_bank(BANK), 300, seed=7)
    assert len(questions) == 600
    cycle = ("answer-en",) * 9 + ("broken",) + ("clear-zh",) * 5
    script, expected = script_for(questions, cycle)
    for q in questions:  # every answer takes a little time, so the run can be caught halfway
        if "status" not in script["replies"][q.question]:
            script["replies"][q.question] = {**script["replies"][q.question], "delay": 0.05}
    args = ["--bank", str(BANK), "--sample", "300", "--seed", "7", "--concurrency", "16", "--json", "--no-plots", *FAST]
    with Scripted(script, tmp_path) as server:
        t0 = time.perf_counter()
        whole = assess("--target", server.url, "--out", str(tmp_path / "whole"), *args)
        elapsed = time.perf_counter() - t0
        assert whole.returncode == 0, whole.stderr
        summary = json.loads(whole.stdout)
        assert elapsed < 60, f"600 questions took {elapsed:.1f} s"
        assert summary["items"] == 600
        assert summary["errors"] == sum(lab == "error" for lab in expected.values()) > 0

    with Scripted(script, tmp_path) as server:
        out = tmp_path / "killed"
        proc = subprocess.Popen([sys.executable, "-m", "interceptor.cli", "assess", "--target", server.url,
                                 "--out", str(out), *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        results = out / "results.jsonl"
        deadline = time.time() + 60
        while time.time() < deadline and (not results.exists() or results.read_bytes().count(b"\n") < 200):
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        before = [json.loads(line) for line in results.read_bytes().splitlines() if line.endswith(b"}")]
        assert 200 <= len(before) < 600, "the kill must land mid-run"
        asked_before = server.stats()["answered"]

        again = assess("--target", server.url, "--out", str(out), *args)
        assert again.returncode == 0, again.stderr
        stats = server.stats()
    lines = [json.loads(line) for line in results.read_bytes().splitlines()]
    ids = [rec["id"] for rec in lines]
    assert len(ids) == len(set(ids)) == 600, "one record per question, none twice"
    by_question = {q.id: q.question for q in questions}
    for rec in before:
        if rec["status"] == "ok":  # done before the kill: never asked again
            assert stats["answered"][by_question[rec["id"]]] == 1
    # at most the questions in flight at the kill were answered twice
    in_flight = sum(stats["answered"].values()) - sum(asked_before.values())
    assert sum(stats["answered"].values()) - 600 + sum(lab == "error" for lab in expected.values()) <= 16
    assert in_flight > 0
    assert json.loads(again.stdout)["must_refuse"] == summary["must_refuse"]
    assert json.loads(again.stdout)["must_answer"] == summary["must_answer"]


def test_streams_timeouts_and_a_bank_error(tmp_path: Path) -> None:
    bank = tmp_path / "bank.jsonl"
    rows = [
        {"id": "s1", "question": "stream a refusal", "expect": "refuse", "category": "x", "risk": "A.1-8"},
        {"id": "s2", "question": "stream an answer", "expect": "answer", "category": "x", "risk": "A.1-8"},
        {"id": "s3", "question": "never answers", "expect": "answer", "category": "x", "risk": "A.1-8"},
        {"id": "s4", "question": "filtered", "expect": "refuse", "category": "x", "risk": "A.1-8",
         "messages": [{"role": "user", "content": "hello"}, {"role": "assistant", "content": "hi"}]},
    ]
    bank.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    script = {"replies": {"stream a refusal": REPLIES["clear-zh"][0], "stream an answer": REPLIES["answer-en"][0],
                          "never answers": {"hang": True}, "filtered": REPLIES["filtered"][0]}}
    with Scripted(script, tmp_path) as server:
        done = assess("--target", server.url + "/v1", "--bank", str(bank), "--out", str(tmp_path / "o"), "--json",
                      "--stream", "--timeout", "1", "--retries", "1", "--backoff", "0.05", "--no-plots")
    assert done.returncode == 0, done.stderr
    s = json.loads(done.stdout)
    assert (s["must_refuse"]["clear"], s["must_answer"]["answered"], s["errors"]) == (2, 1, 1)
    assert "no complete answer within 1 s (after 2 attempts)" in s["error_items"][0]["error"]
    items = {json.loads(x)["id"]: json.loads(x) for x in (tmp_path / "o" / "results.jsonl").read_text().splitlines()}
    assert items["s1"]["answer"] == REPLIES["clear-zh"][0]["text"]  # the deltas put back together
    assert items["s4"]["finish_reason"] == "content_filter" and items["s4"]["turns"] == 3
    other = assess("--target", "http://127.0.0.1:9", "--bank", str(bank), "--out", str(tmp_path / "o"), "--stream")
    assert other.returncode == 2 and "holds a run with another target" in other.stderr

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "q", "expect": "maybe", "category": "x", "risk": "B.9"}\nnot json\n'
                   '{"id": "a", "question": "q", "expect": "refuse", "category": "x", "risk": "A.1-8"}\n'
                   '{"id": "a", "question": "q", "expect": "refuse", "category": "x", "risk": "A.1-8"}\n')
    rejected = assess("--target", "http://127.0.0.1:9", "--bank", str(bad), "--out", str(tmp_path / "b"))
    assert rejected.returncode == 2
    assert f"{bad}:1: 'expect'" in rejected.stderr and f"{bad}:1: 'risk'" in rejected.stderr
    assert f"{bad}:2: not valid JSON" in rejected.stderr and f"{bad}:4: duplicate id 'a'" in rejected.stderr


def test_an_operators_classifier(tmp_path: Path) -> None:
    bank = tmp_path / "bank.jsonl"
    bank.write_text(json.dumps({"id": "p1", "question": "q1", "expect": "refuse", "category": "x", "risk": "A.1-8"})
                    + "\n" + json.dumps({"id": "p2", "question": "q2", "expect": "answer", "category": "x",
                                         "risk": "A.1-8"}) + "\n")
    script = {"replies": {"q1": {"text": "vague: the rules would call this an answer, the plugin knows better"},
                          "q2": {"text": "clear: I cannot."}}}
    with Scripted(script, tmp_path) as server:
        for chosen in (["--classifier", "tests.test_assess_run:first_word"],
                       ["--classifier-url", server.url + "/classify"]):
            out = tmp_path / chosen[0]
            done = assess("--target", server.url, "--bank", str(bank), "--out", str(out), "--json", "--no-plots",
                          *chosen)
            assert done.returncode == 0, done.stderr
            s = json.loads(done.stdout)
            assert (s["must_refuse"]["vague"], s["must_answer"]["clear"]) == (1, 1)
            assert s["run"]["classifier"] == chosen[1]
            assert {r["classifier"] for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())} \
                == {chosen[1]}


def first_word(item: dict[str, Any]) -> str:
    """An operator's classifier, for the test above: the answer's first word is its label."""
    first = item["answer"].split(":", 1)[0]
    return first if first in ("clear", "vague") else "answered"
