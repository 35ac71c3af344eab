"""Question banks: JSON Lines files of must-refuse and must-answer questions.

One object per line::

    {"id": "zh-r-001", "question": "…", "expect": "refuse", "category": "drugs", "risk": "A.1-8",
     "lang": "zh", "messages": [{"role": "user", "content": "…"}, {"role": "assistant", "content": "…"}]}

``id``, ``question``, ``expect`` (``refuse`` or ``answer``), ``category`` and ``risk`` (a
TC260-003 appendix A code such as ``A.1-8``, ``A.2-5``, ``A.4-3``) are required; ``lang`` and
``messages`` (earlier turns of a multi-turn test; the question is the user's last turn) are
optional. Blank lines and lines starting with ``#`` are skipped. ``--bank`` takes one file or a
directory, whose ``*.jsonl`` files are read in name order.

A bad bank is rejected as a whole with every problem as ``file:line: message`` (as a bad
lexicon is): an assessment run on half a bank would report rates over the wrong questions.
"""
from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import orjson

from interceptor.errors import ConfigError, Problem
from interceptor.lexicon.risk import check_code

ROLES = ("system", "user", "assistant")
FIELDS = {"id", "question", "expect", "category", "risk", "lang", "messages", "note"}


class Expect(StrEnum):
    REFUSE = "refuse"
    ANSWER = "answer"


@dataclass(frozen=True)
class Turn:
    role: str
    content: str


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    expect: Expect
    category: str
    risk: str
    lang: str = ""
    messages: tuple[Turn, ...] = ()
    source: str = ""  # file:line, for the report

    def chat(self) -> list[dict[str, str]]:
        """The messages sent to the service: the earlier turns, then the question."""
        return [{"role": t.role, "content": t.content} for t in self.messages] + [
            {"role": "user", "content": self.question}]

    @property
    def digest(self) -> str:
        """What the question asks, hashed: a resumed run redoes an item whose text changed."""
        return hashlib.sha256(orjson.dumps(self.chat())).hexdigest()[:16]


class BankError(ConfigError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def bank_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.glob("*.jsonl") if p.is_file())
    return [path]


def _parse(obj: Any, where: str, problems: list[Problem], file: str, line: int) -> Question | None:
    before = len(problems)

    def bad(msg: str) -> None:
        problems.append(Problem(file, line, msg))

    if not isinstance(obj, dict):
        bad("a question must be a JSON object")
        return None
    for key in ("id", "question", "category", "risk"):
        if not isinstance(obj.get(key), str) or not obj[key].strip():
            bad(f"{key!r} must be a non-empty string")
    if obj.get("expect") not in ("refuse", "answer"):
        bad(f"'expect' must be 'refuse' or 'answer', not {obj.get('expect')!r}")
    if isinstance(obj.get("risk"), str) and obj["risk"].strip() and (why := check_code(obj["risk"])):
        bad(f"'risk': {why}")
    if "lang" in obj and not isinstance(obj["lang"], str):
        bad("'lang' must be a string")
    unknown = sorted(set(obj) - FIELDS)
    if unknown:
        bad(f"unknown field(s): {', '.join(unknown)}")
    turns: list[Turn] = []
    msgs = obj.get("messages", [])
    if not isinstance(msgs, list):
        bad("'messages' must be a list of {role, content}")
        msgs = []
    for i, m in enumerate(msgs):
        if not (isinstance(m, dict) and m.get("role") in ROLES and isinstance(m.get("content"), str)):
            bad(f"messages[{i}] must be {{'role': system|user|assistant, 'content': string}}")
        else:
            turns.append(Turn(m["role"], m["content"]))
    if len(problems) > before:
        return None
    return Question(id=obj["id"], question=obj["question"], expect=Expect(obj["expect"]), category=obj["category"],
                    risk=obj["risk"], lang=obj.get("lang", ""), messages=tuple(turns), source=where)


def load_bank(path: str | Path) -> list[Question]:
    """Every question of a file or directory, or ``BankError`` listing every problem."""
    root = Path(path)
    if not root.exists():
        raise BankError([Problem(str(root), 0, "no such file or directory")])
    files = bank_files(root)
    if not files:
        raise BankError([Problem(str(root), 0, "no .jsonl files in this directory")])
    problems: list[Problem] = []
    questions: list[Question] = []
    seen: dict[str, str] = {}
    for f in files:
        try:
            lines = f.read_bytes().decode("utf-8").splitlines()
        except UnicodeDecodeError as e:
            problems.append(Problem(str(f), 0, f"not UTF-8: {e.reason} at byte {e.start}"))
            continue
        except OSError as e:
            problems.append(Problem(str(f), 0, f"cannot read: {e.strerror}"))
            continue
        for n, raw in enumerate(lines, 1):
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            try:
                obj = orjson.loads(raw)
            except orjson.JSONDecodeError as e:
                problems.append(Problem(str(f), n, f"not valid JSON: {e}"))
                continue
            q = _parse(obj, f"{f}:{n}", problems, str(f), n)
            if q is None:
                continue
            if q.id in seen:
                problems.append(Problem(str(f), n, f"duplicate id {q.id!r} (first at {seen[q.id]})"))
                continue
            seen[q.id] = q.source
            questions.append(q)
    if problems:
        raise BankError(problems)
    if not questions:
        raise BankError([Problem(str(root), 0, "the bank holds no questions")])
    return questions


def sample(questions: list[Question], n: int, seed: int) -> list[Question]:
    """``n`` questions of each expectation, drawn with a seeded generator (the standard samples
    at least 300 of each bank); the bank's order is kept, so reports read like the bank. A bank
    with fewer than ``n`` of one kind gives all of them."""
    rng = random.Random(seed)
    chosen: set[str] = set()
    for expect in Expect:
        ids = [q.id for q in questions if q.expect is expect]
        chosen.update(ids if len(ids) <= n else rng.sample(ids, n))
    return [q for q in questions if q.id in chosen]
