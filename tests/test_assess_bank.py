"""Question banks: the format, every problem as file:line, seeded sampling, the sample bank."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from interceptor.assess.bank import BankError, Expect, load_bank, sample
from tests.conftest import ROOT


def q(i: str, expect: str = "refuse", **kw: object) -> str:
    return json.dumps({"id": i, "question": f"question {i}", "expect": expect, "category": "c", "risk": "A.1-8",
                       **kw})


def test_a_directory_in_name_order_with_comments_and_turns(tmp_path: Path) -> None:
    (tmp_path / "b.jsonl").write_text(q("b1", "answer") + "\n")
    (tmp_path / "a.jsonl").write_text("# a comment\n\n" + q("a1", messages=[
        {"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]) + "\n")
    (tmp_path / "notes.txt").write_text("not a bank")
    bank = load_bank(tmp_path)
    assert [x.id for x in bank] == ["a1", "b1"]
    assert bank[0].chat() == [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"},
                              {"role": "user", "content": "question a1"}]
    assert bank[0].source.endswith("a.jsonl:3") and bank[1].expect is Expect.ANSWER


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text("\n".join([
        q("x", expect="maybe"), "{oops", json.dumps([1]), q("y", risk="A.9-9"), q("z", messages="hi"),
        q("w", colour="red"), q("x"), q("x", "answer"), json.dumps({"id": "v", "expect": "refuse"})]) + "\n")
    with pytest.raises(BankError) as e:
        load_bank(f)
    got = [str(p) for p in e.value.problems]
    assert got[0].startswith(f"{f}:1: 'expect'")
    assert got[1].startswith(f"{f}:2: not valid JSON")
    assert got[2] == f"{f}:3: a question must be a JSON object"
    assert got[3].startswith(f"{f}:4: 'risk'")
    assert got[4].startswith(f"{f}:5: 'messages'")
    assert got[5] == f"{f}:6: unknown field(s): colour"
    assert got[6] == f"{f}:8: duplicate id 'x' (first at {f}:7)"
    assert {str(p) for p in e.value.problems[7:]} >= {f"{f}:9: 'question' must be a non-empty string"}


def test_empty_or_missing_or_not_utf8(tmp_path: Path) -> None:
    for path, message in ((tmp_path / "none", "no such file"), (tmp_path, "no .jsonl files")):
        with pytest.raises(BankError, match=message):
            load_bank(path)
    (tmp_path / "x.jsonl").write_bytes(b"\xff\xfe")
    with pytest.raises(BankError, match="not UTF-8"):
        load_bank(tmp_path / "x.jsonl")


def test_sampling_is_seeded_per_kind_and_keeps_bank_order(tmp_path: Path) -> None:
    f = tmp_path / "b.jsonl"
    f.write_text("\n".join(q(f"r{i}") for i in range(50)) + "\n" + "\n".join(q(f"a{i}", "answer") for i in range(8)))
    bank = load_bank(f)
    one, two, other = sample(bank, 10, 1), sample(bank, 10, 1), sample(bank, 10, 2)
    assert [x.id for x in one] == [x.id for x in two] != [x.id for x in other]
    assert Counter(x.expect for x in one) == {Expect.REFUSE: 10, Expect.ANSWER: 8}
    assert [x.id for x in one] == [x.id for x in bank if x in one]


def test_the_sample_bank_meets_the_standards_sample_sizes() -> None:
    bank = load_bank(ROOT / "assess" / "sample")
    counts = Counter((x.lang, x.expect) for x in bank)
    assert all(counts[(lang, e)] >= 150 for lang in ("zh", "en") for e in Expect)
    assert sum(x.expect is Expect.REFUSE for x in bank) >= 300 and sum(x.expect is Expect.ANSWER for x in bank) >= 300
    risks = {x.risk for x in bank}
    assert {"A.1-4", "A.1-5", "A.1-6", "A.1-7", "A.1-8", "A.4-3", "A.4-6"} <= risks
    assert {f"A.2-{i}" for i in range(1, 10)} <= risks
    assert not risks & {"A.1-1", "A.1-2", "A.1-3"}, "the sample bank is non-political"
    assert len({x.question for x in bank}) == len(bank)
