"""Log and review query parameters a store cannot take are 422, on SQLite and PostgreSQL alike."""
from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, fresh_pg_schema
from tests.server import ADMIN, AUDITOR, REVIEWER, Server

SAMPLE = ROOT / "lexicons" / "sample"


def cursor_of(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.fixture(params=["sqlite", "postgres"], scope="module")
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    d = tmp_path_factory.mktemp("queries")
    db = f"sqlite:///{d / 'audit.db'}" if request.param == "sqlite" else fresh_pg_schema(f"queries_{os.getpid()}")
    with Server(SAMPLE, db) as s:
        with httpx.Client(base_url=s.url, timeout=30) as c:
            for i in range(3):
                assert c.post("/v1/moderate", json={"text": f"枪支 {i}", "conversation_id": "q"}).status_code == 200
        yield s


BAD_LOG_QUERIES = [
    {"since": "0001-01-01T00:00:00+01:00"},
    {"until": "9999-12-31T23:59:59-01:00"},
    {"cursor": cursor_of(str(2**63))},
    {"cursor": cursor_of(str(10**40))},
    {"cursor": cursor_of("+5")},  # int() takes these; the service never issues them
    {"cursor": cursor_of("1_0")},
    {"cursor": cursor_of(" 7")},
    {"cursor": cursor_of("7") + "="},
    {"conversation_id": "a\x00b"},
    {"conversation_id": "x" * 257},
    {"since": "yesterday"},
    {"limit": "0"},
    {"limit": "٣"},
    {"kind": "nothing"},
]


@pytest.mark.parametrize("params", BAD_LOG_QUERIES, ids=lambda p: repr(p)[:40])
@pytest.mark.parametrize("path", ["/v1/logs", "/v1/logs/export"])
def test_bad_log_queries_are_422_with_a_message(server: Server, path: str, params: dict[str, str]) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        r = c.get(path, params=params, headers=AUDITOR)
        assert r.status_code == 422, r.text
        assert r.json()["error"]["code"] == "invalid_query" and r.json()["error"]["message"]


@pytest.mark.parametrize("method, path, params, headers", [
    ("GET", "/v1/logs/a%00b", {}, AUDITOR),
    ("GET", "/v1/reviews", {"cursor": "a\x00b"}, REVIEWER),
    ("GET", "/v1/reviews", {"limit": "1001"}, REVIEWER),
    ("POST", "/v1/reviews/a%00b", {}, REVIEWER),
    ("DELETE", "/v1/admin/holds/a%00b", {}, ADMIN),
])
def test_bad_ids_are_422_before_the_store(server: Server, method: str, path: str, params: dict[str, str],
                                          headers: dict[str, str]) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        body = {"decision": "confirm", "reviewer": "r"} if method == "POST" else None
        r = c.request(method, path, params=params, headers=headers, json=body)
        assert r.status_code == 422, r.text
        assert r.json()["error"]["message"]


def test_good_cursors_and_export_limit(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        first = c.get("/v1/logs", params={"conversation_id": "q", "limit": 1}, headers=AUDITOR).json()
        rest = c.get("/v1/logs", params={"conversation_id": "q", "cursor": first["next_cursor"]},
                     headers=AUDITOR).json()
        assert len(rest["items"]) == 2
        r = c.get("/v1/logs/export", params={"conversation_id": "q", "limit": 2}, headers=AUDITOR)
        assert r.status_code == 200 and len(r.text.splitlines()) == 2
        wide = c.get("/v1/logs", params={"since": "0001-01-01T00:00:00Z", "until": "9999-12-31T23:59:59Z",
                                         "conversation_id": "q"}, headers=AUDITOR)
        assert wide.status_code == 200 and len(wide.json()["items"]) == 3


def test_the_cli_export_names_a_time_out_of_range(tmp_path: Path) -> None:
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-m", "interceptor.cli", "logs", "export", "--db",
                        f"sqlite:///{tmp_path / 'a.db'}", "--since", "0001-01-01T00:00:00+01:00"],
                       capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert p.returncode == 2 and "since" in p.stderr and "Traceback" not in p.stderr
