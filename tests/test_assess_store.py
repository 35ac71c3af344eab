"""The results file: resumable, one record per question, a cut line dropped."""
from __future__ import annotations

import json
from pathlib import Path

from interceptor.assess.store import ResultStore, read


def rec(i: str, status: str = "ok", digest: str = "d") -> dict[str, str]:
    return {"id": i, "status": status, "digest": digest}


def test_reopening_keeps_the_done_drops_errors_changed_and_cut_lines(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    assert store.open({"a": "d", "b": "d", "c": "d", "e": "d"}) == {}
    for r in (rec("a"), rec("b", "error"), rec("c", digest="old"), rec("a"), rec("x")):
        store.append(r)
    store.close()
    with open(store.path, "ab") as f:
        f.write(b'{"id": "e", "status": "o')  # killed in the middle of a line
    assert set(read(store.path)) == {"a", "b", "c", "x"}
    done = ResultStore(tmp_path).open({"a": "d", "b": "d", "c": "d", "e": "d"})
    assert set(done) == {"a", "x"}  # b errored, c's question changed, e never finished
    lines = [json.loads(line) for line in store.path.read_text().splitlines()]
    assert [r["id"] for r in lines] == ["a", "x"]
