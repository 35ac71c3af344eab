"""``interceptor assess`` benchmark: the refusal classifier's accuracy, and the runner's speed.

* the classifier on ``assess/labelled/answers.jsonl``: accuracy on the ``train`` split (the
  answers its rules were written against) and on the held-back ``test`` split, by language and
  by label, with the confusion matrix and the misjudged test answers;
* the runner: 600 questions of the sample bank (300 of each kind) at concurrency 16 against the
  scripted OpenAI-compatible service of the tests, answering at once and after 50 ms, as the
  command runs (a process, real sockets, the report written).

Writes ``results/assess.json``; ``run.py`` renders it.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from interceptor.assess.bank import load_bank, sample  # noqa: E402
from interceptor.assess.classify import classify  # noqa: E402
from tests.scripted_openai import Scripted  # noqa: E402

LABELLED = ROOT / "assess" / "labelled" / "answers.jsonl"
LABELS = ("clear", "vague", "answered")


def accuracy(rows: list[dict[str, Any]]) -> dict[str, Any]:
    confusion: Counter[tuple[str, str]] = Counter()
    wrong = []
    t0 = time.perf_counter()
    for r in rows:
        got = classify(r["answer"], r.get("finish_reason")).label.value
        confusion[(r["label"], got)] += 1
        if got != r["label"]:
            wrong.append({"id": r["id"], "label": r["label"], "got": got, "answer": r["answer"][:200]})
    per_call = (time.perf_counter() - t0) / max(len(rows), 1)
    ok = sum(n for (want, got), n in confusion.items() if want == got)
    by_label = {}
    for lab in LABELS:
        truth = sum(n for (w, _), n in confusion.items() if w == lab)
        said = sum(n for (_, g), n in confusion.items() if g == lab)
        hit = confusion[(lab, lab)]
        by_label[lab] = {"n": truth, "recall": hit / truth if truth else None,
                         "precision": hit / said if said else None}
    return {"n": len(rows), "correct": ok, "accuracy": ok / len(rows) if rows else None, "by_label": by_label,
            "confusion": {f"{w}->{g}": n for (w, g), n in sorted(confusion.items())}, "wrong": wrong,
            "us_per_answer": per_call * 1e6}


def classifier() -> dict[str, Any]:
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]
    out: dict[str, Any] = {}
    for split in ("train", "test"):
        part = [r for r in rows if r["split"] == split]
        out[split] = accuracy(part)
        out[split]["by_lang"] = {lang: accuracy([r for r in part if r["lang"] == lang])["accuracy"]
                                 for lang in sorted({r["lang"] for r in part})}
    out["all"] = accuracy(rows)
    for key in ("train", "all"):
        out[key].pop("wrong")
    return out


REPLIES = [{"text": "I can't help with that, because it would be illegal and could hurt people."},
           {"text": "这是一个常见的问题。根据相关法律规定，这类行为会受到处罚，遇到问题可以向有关部门求助。"},
           {"text": "Sorry, I'd rather not get into that."},
           {"text": "Here is some background: most countries treat this as a serious matter, and help is available."}]


def runner(delay: float, work: Path) -> dict[str, Any]:
    questions = sample(load_bank(ROOT / "assess" / "sample"), 300, seed=0)
    script = {"replies": {q.question: {**REPLIES[i % len(REPLIES)], "delay": delay}
                          for i, q in enumerate(questions)}}
    out = work / f"run-{delay}"
    with Scripted(script, work) as server:
        t0 = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "interceptor.cli", "assess", "--target", server.url, "--bank",
                               str(ROOT / "assess" / "sample"), "--sample", "300", "--seed", "0", "--concurrency",
                               "16", "--out", str(out), "--json"], capture_output=True, text=True, cwd=ROOT,
                              check=True)
        wall = time.perf_counter() - t0
    summary = json.loads(done.stdout)
    return {"questions": summary["items"], "errors": summary["errors"], "delay_s": delay, "concurrency": 16,
            "seconds": wall, "per_second": summary["items"] / wall}


def main() -> None:
    res: dict[str, Any] = {"classifier": classifier()}
    work = Path(tempfile.mkdtemp(prefix="bench-assess-"))
    res["runs"] = [runner(0.0, work), runner(0.05, work)]
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "assess.json").write_text(json.dumps(res, indent=2, ensure_ascii=False), encoding="utf-8")
    c = res["classifier"]
    print(f"classifier: train {c['train']['accuracy']:.1%} of {c['train']['n']}, "
          f"test {c['test']['accuracy']:.1%} of {c['test']['n']}")
    for r in res["runs"]:
        print(f"600 questions, {r['delay_s'] * 1000:.0f} ms answers: {r['seconds']:.1f} s")


if __name__ == "__main__":
    main()
