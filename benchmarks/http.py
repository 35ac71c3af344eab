"""HTTP benchmark: load from wrk on loopback against ``interceptor serve`` and against a bare
ASGI app that does the same engine check (the floor of HTTP overhead), in one run.

Scenarios (1 KB mixed texts, the 10,000-term benchmark lexicon, 32 connections, 2 wrk
threads, 10 s each):

* ``/v1/moderate`` with 1 and with 2 uvicorn workers, texts with no hit (the common case);
* ``/v1/moderate/batch``, 10 texts per request;
* a block-heavy mix: every text holds a block term, so every answer waits for its audit
  record's group commit and fsync;
* the bare ASGI floor on the same texts, passing and block-heavy;
* traffic that looks like traffic (``traffic.py``'s texts, the bundled lexicon): natural text in
  every shipped language with one body in ten flagged, and hit-dense text with every body
  flagged and logged, each against its own floor.

wrk, the server and its workers share the machine's cores: figures are medians of three
runs and comparisons are between scenarios of the same run.
"""
from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's directory comes first on sys.path, where this module's name
# would shadow the standard library's ``http`` package: take the directory off again.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

import importlib.util  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from types import ModuleType  # noqa: E402
from typing import Any  # noqa: E402


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


corpora = _load("corpora")
lexicons = _load("lexicons")
traffic = _load("traffic")

DURATION = int(os.environ.get("BENCH_HTTP_SECONDS", "10"))
CONNECTIONS = 32
ROUNDS = 3
PG_URL = os.environ.get("INTERCEPTOR_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")

FLOOR_APP = '''
import orjson, os
from interceptor import Interceptor
guard = Interceptor.from_path(os.environ["BENCH_LEXICON"])

async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            msg = await receive()
            if msg["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif msg["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    body = b""
    while True:
        msg = await receive()
        body += msg.get("body", b"")
        if not msg.get("more_body"):
            break
    req = orjson.loads(body)
    out = orjson.dumps(guard.check(req["text"], direction=req.get("direction", "input")).to_dict())
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": out})
'''

WRK_SCRIPT = '''
local bodies = {}
for line in io.lines("%s") do bodies[#bodies + 1] = line end
local i = 0
request = function()
  i = i %% #bodies + 1
  return wrk.format("POST", "%s", {["Content-Type"] = "application/json"}, bodies[i])
end
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(port: int, timeout: float = 240) -> None:
    import httpx

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code in (200, 404, 405, 500):
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"server on {port} did not start")


def prime(port: int, path: str, bodies: Path) -> None:
    """One request of the scenario, answered before wrk starts: what a server sets up on its
    first flagged text (the audit store's first write, the streams' prefixes built in the
    background at start) is start-up, not throughput (on a loaded machine it took 30 s)."""
    import httpx

    line = bodies.read_text(encoding="utf8").splitlines()[0]
    httpx.post(f"http://127.0.0.1:{port}{path}", content=line.encode(), timeout=600,
               headers={"content-type": "application/json"})


def server_cpu(pid: int) -> float:
    """CPU seconds used so far by a server: its process and every process under it (uvicorn's
    workers, the check workers), those that ended included as far as they were waited for."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += t.user + t.system + (t.children_user + t.children_system if p is root else 0.0)
    return total


def wrk(port: int, path: str, bodies: Path, work: Path, pid: int | None = None) -> dict[str, float]:
    """One wrk run; with ``pid``, also the server's CPU time per answered request (steadier than
    requests/s on a machine whose cores are shared)."""
    script = work / f"wrk-{bodies.stem}.lua"
    script.write_text(WRK_SCRIPT % (bodies, path))
    cpu0 = server_cpu(pid) if pid else 0.0
    out = subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency", "-s", str(script),
                          f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    lat = {p: _ms(re.search(rf"\s{p}%\s+([\d.]+\w+)", out).group(1)) for p in ("50", "99")}  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result = {"rps": rps, "p50_ms": lat["50"], "p99_ms": lat["99"], "errors": float(non2xx.group(1)) if non2xx else 0.0}
    if pid:
        done = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
        result["cpu_us"] = (server_cpu(pid) - cpu0) / max(done, 1) * 1e6
    return result


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def bodies_file(work: Path, name: str, texts: list[str], batch: int = 0) -> Path:
    path = work / f"{name}.jsonl"
    with path.open("w", encoding="utf8") as f:
        for i, t in enumerate(texts):
            if batch:
                items = [{"text": texts[(i + k) % len(texts)]} for k in range(batch)]
                f.write(json.dumps({"items": items}, ensure_ascii=False) + "\n")
            else:
                f.write(json.dumps({"text": t, "conversation_id": f"c{i}"}, ensure_ascii=False) + "\n")
    return path


def block_term(lexicon: Path) -> str:
    for line in (lexicon / "zh.tsv").read_text(encoding="utf8").splitlines()[1:]:
        term, tier, _ = line.split("\t")
        if tier == "block":
            return term
    raise RuntimeError("no block term")


def _pg_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=3):
            return True
    except Exception:
        return False


def _drop_schema(schema: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


FLAGGED_SHARE = 10  # realistic traffic: one body in this many holds a term that acts


def traffic_bodies(lexicon: Path, n: int = 60) -> tuple[list[str], list[str]]:
    """Texts that look like traffic for the bundled lexicon (``traffic.py``): clean natural text
    in every shipped language with one body in FLAGGED_SHARE holding a term that acts, and
    hit-dense text (six terms per KB, every body flagged and logged)."""
    from interceptor import Interceptor

    guard = Interceptor.from_path(lexicon)
    clean = [t for lang in traffic.LANGS for t in traffic.pieces(lang, 12) + traffic.all_languages(12)
             if guard.check(t).action.value == "pass"]
    acting = [t.text for t in guard.lexicon.terms if t.tier.value in ("block", "mask", "warn") and len(t.text) >= 2]
    realistic = []
    for i in range(n):
        text = clean[(7 * i) % len(clean)]
        if i % FLAGGED_SHARE == 0:
            term = acting[(31 * i) % len(acting)]
            text = text[:400] + " " + term + " " + text[402 + len(term):]
        realistic.append(text)
    dense = traffic.hit_dense(traffic.load_terms(lexicon), n)
    return realistic, dense


def run() -> dict[str, Any]:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian package wrk)")
    lex = lexicons.build(10_000)
    bundled = HERE.parent / "lexicons" / "default"
    work = Path(tempfile.mkdtemp(prefix="bench-http-"))
    texts = [corpora.mixed(1024, 7 + 13 * i) for i in range(200)]
    from interceptor import Interceptor

    guard = Interceptor.from_path(lex)
    clean = [t for t in texts if not guard.check(t).hits][:50]  # the common case: nothing to log
    texts = texts[:50]
    term = block_term(lex)
    blocky = [t[:500] + term + t[500 + len(term):] for t in texts]
    realistic, dense = traffic_bodies(bundled)
    files = {"pass": bodies_file(work, "pass", clean), "block": bodies_file(work, "block", blocky),
             "batch": bodies_file(work, "batch", clean, batch=10),
             "realistic": bodies_file(work, "realistic", realistic), "dense": bodies_file(work, "dense", dense)}
    (work / "floor.py").write_text(FLOOR_APP)
    env = {**os.environ, "BENCH_LEXICON": str(lex), "PYTHONPATH": str(work)}

    def serve(workers: int, pg: bool = False, lexicon: Path = lex) -> tuple[subprocess.Popen[bytes], int]:
        port = free_port()
        db = f"{PG_URL}?schema=bench_http_{port}" if pg else f"sqlite:///{work / f'audit-{port}.db'}"
        if pg:
            _drop_schema(f"bench_http_{port}")
        proc = subprocess.Popen([sys.executable, "-m", "interceptor.cli", "serve", "--lexicon", str(lexicon), "--db",
                                 db, "--port", str(port), "--workers", str(workers), "--no-watch",
                                 "--log-level", "warning"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        wait_up(port)
        return proc, port

    def floor(lexicon: Path = lex) -> tuple[subprocess.Popen[bytes], int]:
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "floor:app", "--port", str(port), "--log-level",
                                 "warning", "--no-access-log"], env={**env, "BENCH_LEXICON": str(lexicon)}, cwd=work,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        wait_up(port)
        return proc, port

    scenarios = {
        "bare ASGI floor, pass": (floor, "/", "pass"),
        "/v1/moderate, 1 worker": (lambda: serve(1), "/v1/moderate", "pass"),
        "/v1/moderate, 2 workers": (lambda: serve(2), "/v1/moderate", "pass"),
        "/v1/moderate/batch (10 texts), 1 worker": (lambda: serve(1), "/v1/moderate/batch", "batch"),
        "bare ASGI floor, block-heavy": (floor, "/", "block"),
        "/v1/moderate block-heavy, 1 worker": (lambda: serve(1), "/v1/moderate", "block"),
        "/v1/moderate block-heavy, 2 workers": (lambda: serve(2), "/v1/moderate", "block"),
        REAL_FLOOR: (lambda: floor(bundled), "/", "realistic"),
        REAL: (lambda: serve(1, lexicon=bundled), "/v1/moderate", "realistic"),
        DENSE_FLOOR: (lambda: floor(bundled), "/", "dense"),
        DENSE: (lambda: serve(1, lexicon=bundled), "/v1/moderate", "dense"),
    }
    if _pg_reachable():
        scenarios["/v1/moderate block-heavy, 1 worker, PostgreSQL"] = (lambda: serve(1, True), "/v1/moderate", "block")
        scenarios["/v1/moderate block-heavy, 2 workers, PostgreSQL"] = (lambda: serve(2, True), "/v1/moderate",
                                                                        "block")
    only = os.environ.get("BENCH_HTTP_ONLY")  # a part of the scenarios' names: run those alone (the others kept)
    if only:
        scenarios = {name: sc for name, sc in scenarios.items() if only in name}
    results: dict[str, list[dict[str, float]]] = {name: [] for name in scenarios}
    for _ in range(ROUNDS):
        for name, (start, path, body) in scenarios.items():
            proc, port = start()
            try:
                prime(port, path, files[body])
                wrk(port, path, files[body], work)  # warm-up
                results[name].append(wrk(port, path, files[body], work, proc.pid))
            finally:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=60)
                if "PostgreSQL" in name:
                    _drop_schema(f"bench_http_{port}")
            print(f"{name:42s} {results[name][-1]}", flush=True)
    shutil.rmtree(work, ignore_errors=True)
    return {name: {k: statistics.median(r[k] for r in runs) for k in runs[0]} for name, runs in results.items()}


REAL_FLOOR = "bare ASGI floor, realistic traffic (bundled lexicon)"
REAL = f"/v1/moderate, 1 worker, realistic traffic (1 in {FLAGGED_SHARE} flagged, bundled lexicon)"
DENSE_FLOOR = "bare ASGI floor, hit-dense traffic (bundled lexicon)"
DENSE = "/v1/moderate, 1 worker, hit-dense traffic (every text flagged and logged, bundled lexicon)"
FLOORS = {REAL: REAL_FLOOR, DENSE: DENSE_FLOOR}


def render(res: dict[str, Any]) -> str:
    floor_pass = res["bare ASGI floor, pass"]["rps"]
    floor_block = res["bare ASGI floor, block-heavy"]["rps"]
    out = ["## HTTP: `interceptor serve` against a bare ASGI app doing the same check", "",
           f"wrk on loopback, {CONNECTIONS} connections, 2 threads, {DURATION} s, median of {ROUNDS} runs; "
           "1 KB mixed Chinese/English texts, the 10,000-term benchmark lexicon; SQLite audit log with fsync "
           "unless the scenario names PostgreSQL (the local server, `synchronous_commit` on). "
           "wrk, the server and PostgreSQL share the machine's 2 cores.", "",
           "CPU/request is the server's CPU time (its process and its check workers) per answered request.", "",
           "| scenario | requests/s | p50 | p99 | CPU/request | ÷ floor |", "|---|---|---|---|---|---|"]
    for name, r in res.items():
        base = res[FLOORS[name]]["rps"] if name in FLOORS else floor_block if "block" in name else floor_pass
        if name in FLOORS.values():
            base = r["rps"]
        cpu = f"{r['cpu_us']:,.0f} µs" if "cpu_us" in r else "—"
        out.append(f"| {name} | {r['rps']:,.0f} | {r['p50_ms']:.2f} ms | {r['p99_ms']:.2f} ms | {cpu} | "
                   f"{r['rps'] / base:.2f} |")
    one = res["/v1/moderate, 1 worker"]["rps"] / floor_pass
    blk = res["/v1/moderate block-heavy, 1 worker"]["rps"] / floor_block
    out += ["", f"* {'met' if one >= 0.6 else '**not met**'}: `/v1/moderate` with 1 worker reaches {one:.0%} of the "
                f"floor's requests/s (target ≥ 60%)",
            f"* {'met' if blk >= 0.4 else '**not met**'}: the block-heavy mix reaches {blk:.0%} of its floor "
            f"(target ≥ 40%); every answer there waits for its record's commit"]
    for name, target in ((REAL, 0.8), (DENSE, 0.6)):
        if name in res and FLOORS[name] in res:
            share = res[name]["rps"] / res[FLOORS[name]]["rps"]
            mine, base_cpu = res[name].get("cpu_us"), res[FLOORS[name]].get("cpu_us")
            by_cpu = f"; by CPU per request, {base_cpu / mine:.0%}" if mine and base_cpu else ""
            out.append(f"* {'met' if share >= target else '**not met**'}: {name} reaches {share:.0%} of its floor's "
                       f"requests/s (target ≥ {target:.0%}){by_cpu}")
    pg1 = res.get("/v1/moderate block-heavy, 1 worker, PostgreSQL")
    if pg1:
        pg2 = res["/v1/moderate block-heavy, 2 workers, PostgreSQL"]
        sq1, sq2 = res["/v1/moderate block-heavy, 1 worker"], res["/v1/moderate block-heavy, 2 workers"]
        out.append(f"* block-heavy on PostgreSQL ÷ on SQLite: {pg1['rps'] / sq1['rps']:.2f} with 1 worker, "
                   f"{pg2['rps'] / sq2['rps']:.2f} with 2 workers")
    out += ["",
            "![HTTP requests per second](http.png)", ""]
    return "\n".join(out)


def plot(res: dict[str, Any]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(res)
    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.barh(names, [res[n]["rps"] for n in names], color=["#888" if "floor" in n else "#36c" for n in names])
    ax.set_xlabel("requests per second (median)")
    ax.invert_yaxis()
    fig.tight_layout()
    fig.savefig(HERE / "http.png", dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    result = run()
    saved = HERE / "results" / "http.json"
    if os.environ.get("BENCH_HTTP_ONLY") and saved.exists():  # the other scenarios as last measured
        result = {**json.loads(saved.read_text()), **result}
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "http.json").write_text(json.dumps(result, indent=1))
    (HERE / "results" / "http.md").write_text(render(result))
    plot(result)
