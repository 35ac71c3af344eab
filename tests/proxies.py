"""Real ``interceptor proxy`` processes and the recording upstream (``tests/fake_openai.py``),
over real sockets, for the proxy tests."""
from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.server import ROOT, TOKENS, free_port

SAMPLE = ROOT / "lexicons" / "sample"


def wait_up(url: str, proc: subprocess.Popen[bytes] | None = None, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{url}: the process exited with {proc.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server: SIGTERM, a graceful minute on a loaded machine, then SIGKILL."""
    proc.terminate()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


class Upstream:
    """The fake OpenAI API in its own process; it records every request it receives."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "tests" / "fake_openai.py"), str(self.port)])
        wait_up(self.url + "/_last", self.proc)
        self.http = httpx.Client(base_url=self.url, timeout=10)  # one client: making one costs ~0.1 s

    def reset(self) -> None:
        self.http.post("/_reset")

    def script(self, answer: dict[str, Any]) -> None:
        """The answer to the next model request (see ``fake_openai``)."""
        self.http.post("/_script", json=answer)

    def received(self) -> list[dict[str, Any]]:
        got: list[dict[str, Any]] = self.http.get("/_received").json()
        return got

    def stop(self) -> None:
        self.http.close()
        stop(self.proc)


@dataclass
class ProxyProcess:
    url: str
    db: Path
    log: Path
    proc: subprocess.Popen[bytes]

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf8", errors="replace")

    def records(self, conversation_id: str | None = None, action: str | None = None) -> list[dict[str, Any]]:
        """The audit records the proxy wrote, read from its SQLite file."""
        from interceptor.audit.opening import open_store
        from interceptor.audit.store import Query

        store = open_store(f"sqlite:///{self.db}")
        try:
            return [r.to_dict() for r in store.query(Query(conversation_id=conversation_id, action=action,
                                                           limit=1000))]
        finally:
            store.close()


@contextmanager
def running_proxy(upstream: str, work: Path, env: dict[str, str] | None = None, lexicon: Path = SAMPLE,
                  args: tuple[str, ...] = ()) -> Iterator[ProxyProcess]:
    port = free_port()
    work.mkdir(parents=True, exist_ok=True)
    db, log = work / f"proxy-{port}.db", work / f"proxy-{port}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "interceptor.cli", "proxy", "--upstream", upstream, "--listen",
             f"127.0.0.1:{port}", "--lexicon", str(lexicon), "--db", f"sqlite:///{db}", *args],
            env={**os.environ, **TOKENS, **(env or {})}, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    running = ProxyProcess(f"http://127.0.0.1:{port}", db, log, proc)
    try:
        wait_up(running.url + "/", proc)
        yield running
    finally:
        stop(proc)


def raw_post(base: str, path: str, body: Any, timeout: float = 30) -> tuple[int, bytes]:
    """POST with the path sent byte for byte as given (httpx would normalise it first)."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        conn.request("POST", path, data, {"content-type": "application/json"})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def sse_events(text: str) -> list[Any]:
    """The ``data:`` payloads of an SSE answer, ``[DONE]`` as the string."""
    out: list[Any] = []
    for line in text.splitlines():
        if line.startswith("data:"):
            data = line[5:].strip()
            out.append(data if data == "[DONE]" else json.loads(data))
    return out


def choice_texts(events: list[Any], field: str = "content") -> dict[int, str]:
    """Per choice index, the text of one delta field put together from a stream's events."""
    out: dict[int, str] = {}
    for e in events:
        if not isinstance(e, dict):
            continue
        for c in e.get("choices") or []:
            delta = c.get("delta") or {}
            piece = delta.get(field) if "delta" in c else c.get("text") if field == "content" else None
            if isinstance(piece, str):
                out[c["index"]] = out.get(c["index"], "") + piece
    return out
