"""The fuzz stage: schemathesis over the service's own OpenAPI schema against a real
``interceptor serve``, valid and invalid cases alike, and the adversarial texts through
HTTP — no answer is a server error, and every answer comes within its time budget."""
from __future__ import annotations

import os
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from tests.conftest import ROOT
from tests.server import ADMIN, Server
from tests.test_checkpool import ADVERSARIAL, wait_ready

pytestmark = pytest.mark.fuzz
SAMPLE = ROOT / "lexicons" / "sample"
BUDGET_S = 2.0
# per operation and mode; INTERCEPTOR_FUZZ_EXAMPLES (as for the proxy's fuzz: `make fuzz` sets 3,000)
# is the total over the 18 operations in both modes — by default 12 each, a few hundred requests
EXAMPLES = max(1, int(os.environ.get("INTERCEPTOR_FUZZ_EXAMPLES", "432")) // 36)
MARGIN_S = 3.0  # what a loaded machine adds to an answer beyond its budget


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    d = tmp_path_factory.mktemp("fuzz")
    lexicon = d / "lexicon"
    shutil.copytree(SAMPLE, lexicon)  # the fuzz may reload it, never change it
    with Server(lexicon, f"sqlite:///{d / 'audit.db'}", env={"INTERCEPTOR_CHECK_BUDGET_S": str(BUDGET_S)}) as s:
        wait_ready(s.url)
        yield s


class Tally:
    """What the fuzz sent and what went wrong."""

    def __init__(self) -> None:
        self.statuses: Counter[int] = Counter()
        self.problems: list[str] = []


def fuzz(url: str, operation: Any, mode: GenerationMode, session: requests.Session, tally: Tally) -> None:
    """EXAMPLES cases of one operation in one mode, each checked as it is answered."""
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def one(case: Any) -> None:
        t0 = time.perf_counter()
        try:
            r = case.call(base_url=url, session=session, headers=ADMIN, timeout=BUDGET_S + 30)
        except (requests.exceptions.InvalidURL, requests.exceptions.InvalidHeader, ValueError):
            tally.statuses[0] += 1  # refused by the client library before anything was sent
            return
        seconds = time.perf_counter() - t0
        tally.statuses[r.status_code] += 1
        label = f"{case.method} {case.formatted_path} ({mode.value})"
        if r.status_code >= 500 and r.status_code != 503:
            tally.problems.append(f"{label}: {r.status_code} {r.text[:200]}")
        if r.status_code == 503 and r.json()["error"]["code"] not in ("check_timeout", "overloaded"):
            tally.problems.append(f"{label}: 503 {r.text[:200]}")
        if seconds > BUDGET_S + MARGIN_S:
            tally.problems.append(f"{label}: answered in {seconds:.1f} s")

    try:
        one()
    except Unsatisfiable:  # nothing to make invalid: an operation without parameters or body
        assert mode is GenerationMode.NEGATIVE, operation


def test_schemathesis_cases_get_no_server_error(server: Server) -> None:
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18  # every route is in the schema, the hot ones included
    tally, session = Tally(), requests.Session()
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz(server.url, operation, mode, session, tally)
    sent = sum(n for status, n in tally.statuses.items() if status)
    print(f"schemathesis: {len(operations)} operations, {sent} requests, "
          f"statuses {dict(sorted(tally.statuses.items()))}")
    assert not tally.problems, tally.problems[:10]
    assert sent >= len(operations) * EXAMPLES  # the fuzz really ran
    assert httpx.get(server.url + "/healthz").status_code == 200


@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda t: f"{t[:2]!r}x{len(t)}")
def test_adversarial_texts_through_http_within_their_budget(server: Server, text: str) -> None:
    bodies = [("/v1/moderate", {"text": text}), ("/v1/moderate/batch", {"items": [{"text": text[:2000]}] * 50}),
              ("/v1/moderate/stream", {"text": text, "final": True})]
    with httpx.Client(base_url=server.url, timeout=BUDGET_S + 30) as c:
        for route, body in bodies:
            t0 = time.perf_counter()
            r = c.post(route, json=body)
            seconds = time.perf_counter() - t0
            assert seconds < BUDGET_S + MARGIN_S, (route, seconds)
            if r.status_code == 503:  # over the budget: told to retry, never a pass
                assert r.json()["error"]["code"] == "check_timeout" and r.headers["retry-after"], r.text
            else:
                assert r.status_code == 200, r.text
                answer = r.json()
                assert answer["action"] in ("pass", "mask", "warn", "block") if route != "/v1/moderate/batch" \
                    else all(x["action"] for x in answer["results"])
