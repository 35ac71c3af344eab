"""Streaming benchmark: the cost of checking model output chunk by chunk.

* in process: ``StreamChecker.feed`` per 3-character chunk of 1 KB mixed texts;
* over HTTP: ``POST /v1/moderate/stream`` per chunk (sequential, one connection), against
  ``POST /v1/moderate`` on a chunk-sized text — the floor of one round trip;
* the proxy: time to relay an SSE stream of 3-character deltas through ``interceptor proxy``
  against reading it from the upstream directly, per event.

Medians of the same run; the machine is shared, so the comparisons matter, not the times.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# this directory holds http.py, which must not shadow the standard library's http package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE] + [str(HERE)]
sys.path.insert(0, str(ROOT))

import corpora  # noqa: E402

import lexicons  # noqa: E402


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait(url: str) -> None:
    import httpx

    for _ in range(300):
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(url)


def in_process(lex: Path) -> float:
    from interceptor import Interceptor
    from interceptor.stream import StreamChecker

    guard = Interceptor.from_path(lex)
    times = []
    for i in range(20):
        text = corpora.mixed(1024, 7 + 13 * i)
        sc = StreamChecker(guard)
        for k in range(0, len(text), 3):
            t0 = time.perf_counter()
            sc.feed(text[k:k + 3])
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def over_http(lex: Path, work: Path) -> tuple[float, float]:
    import httpx

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "interceptor.cli", "serve", "--lexicon", str(lex), "--db",
                             f"sqlite:///{work / 's.db'}", "--port", str(port), "--no-watch", "--log-level", "warning"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait(url + "/healthz")
    stream_t, plain_t = [], []
    try:
        with httpx.Client(base_url=url, timeout=30) as c:
            for i in range(5):
                text = corpora.mixed(1024, 7 + 13 * i)
                carry = None
                for k in range(0, len(text), 3):
                    t0 = time.perf_counter()
                    carry = c.post("/v1/moderate/stream", json={"text": text[k:k + 3], "carry": carry}).json()["carry"]
                    stream_t.append(time.perf_counter() - t0)
                    t0 = time.perf_counter()
                    c.post("/v1/moderate", json={"text": text[k:k + 3]})
                    plain_t.append(time.perf_counter() - t0)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return statistics.median(stream_t), statistics.median(plain_t)


def proxy(lex: Path, work: Path) -> tuple[float, float, int]:
    import httpx

    up_port, px_port = free_port(), free_port()
    env = {**os.environ}
    upstream = subprocess.Popen([sys.executable, str(ROOT / "tests" / "fake_openai.py"), str(up_port)], env=env)
    px = subprocess.Popen([sys.executable, "-m", "interceptor.cli", "proxy", "--upstream",
                           f"http://127.0.0.1:{up_port}", "--listen", f"127.0.0.1:{px_port}", "--lexicon", str(lex),
                           "--db", f"sqlite:///{work / 'p.db'}"], cwd=ROOT, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    wait(f"http://127.0.0.1:{up_port}/v1/models")
    wait(f"http://127.0.0.1:{px_port}/v1/models")
    text = corpora.sample(corpora.english_brown(), 600, 100, " ")

    def run(base: str) -> tuple[float, int]:
        t0 = time.perf_counter()
        events = 0
        with httpx.stream("POST", base + "/v1/chat/completions", timeout=60, json={
                "model": "m", "stream": True, "messages": [{"role": "user", "content": "say: " + text}]}) as r:
            for line in r.iter_lines():
                events += line.startswith("data:")
        return time.perf_counter() - t0, events

    try:
        direct = [run(f"http://127.0.0.1:{up_port}") for _ in range(3)]
        proxied = [run(f"http://127.0.0.1:{px_port}") for _ in range(3)]
    finally:
        for p in (upstream, px):
            p.terminate()
            p.wait(timeout=30)
    return statistics.median(t for t, _ in direct), statistics.median(t for t, _ in proxied), direct[0][1]


def main() -> None:
    lex = lexicons.build(10_000)
    work = Path(tempfile.mkdtemp(prefix="bench-stream-"))
    feed = in_process(lex)
    per_chunk, round_trip = over_http(lex, work)
    direct, proxied, events = proxy(lex, work)
    res = {"feed_s": feed, "stream_chunk_s": per_chunk, "moderate_chunk_s": round_trip,
           "proxy_direct_s": direct, "proxy_relayed_s": proxied, "events": events}
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "stream.json").write_text(json.dumps(res, indent=1))
    added = (proxied - direct) / max(events, 1)
    md = ["## Streaming", "",
          "1 KB mixed texts in 3-character chunks, the 10,000-term benchmark lexicon; medians of one run.", "",
          "| what | median |", "|---|---|",
          f"| `StreamChecker.feed`, in process, per chunk | {feed * 1e6:,.0f} µs |",
          f"| `POST /v1/moderate/stream`, per chunk (carry sealed and checked) | {per_chunk * 1e3:.2f} ms |",
          f"| `POST /v1/moderate` on the same chunk, for comparison | {round_trip * 1e3:.2f} ms |",
          f"| an SSE stream of {events} events read from the upstream directly | {direct * 1e3:,.0f} ms |",
          f"| the same stream through `interceptor proxy` | {proxied * 1e3:,.0f} ms |",
          f"| added by the proxy, per SSE event | {added * 1e3:.2f} ms |", ""]
    (HERE / "results" / "stream.md").write_text("\n".join(md))
    print("\n".join(md))


if __name__ == "__main__":
    main()
