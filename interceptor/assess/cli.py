"""``interceptor assess``: run a question bank through a service and write the report.

    interceptor assess --target URL --bank FILE|DIR [--out DIR] [--json]

Exit status: 0 when the run finished (whatever the rates; ``--check`` makes missed thresholds
exit 1), 2 for a bad bank or bad arguments, 130 when interrupted (rerun to resume).
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson

from interceptor.assess import report
from interceptor.assess.bank import BankError, load_bank, sample
from interceptor.assess.chat import Retry
from interceptor.assess.plugins import make
from interceptor.assess.progress import Progress
from interceptor.assess.runner import RunConfig, Runner, chat_url, moderate_url
from interceptor.assess.store import ResultStore, read
from interceptor.assess.summary import summarize
from interceptor.errors import ConfigError

RUN_FILE = "run.json"


def _headers(values: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values:
        name, sep, value = v.partition(":")
        if not sep or not name.strip():
            raise ConfigError(f"--header takes 'Name: value', not {v!r}")
        out[name.strip()] = value.strip()
    return out


def _positive(kind: type[int] | type[float]) -> Any:
    def parse(text: str) -> int | float:
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be above 0, not {text}")
        return value
    return parse


def _config(args: argparse.Namespace) -> RunConfig:
    import os

    token = os.environ.get("INTERCEPTOR_SERVICE_TOKEN", "")
    return RunConfig(
        target=chat_url(args.target), model=args.model, concurrency=args.concurrency, timeout=args.timeout,
        retry=Retry(retries=args.retries, base=args.backoff, max_wait=args.max_wait), stream=args.stream,
        headers=_headers(args.header), moderate=moderate_url(args.moderate) if args.moderate else None,
        moderate_headers={"authorization": f"Bearer {token}"} if token else {},
        temperature=None if args.temperature < 0 else args.temperature)


SAME_RUN = ("target", "model", "stream", "moderate", "classifier")


def _previous(out: Path) -> dict[str, Any]:
    with contextlib.suppress(OSError, orjson.JSONDecodeError):
        data = orjson.loads((out / RUN_FILE).read_bytes())
        if isinstance(data, dict):
            return data
    return {}


def _run_meta(args: argparse.Namespace, previous: dict[str, Any], classifier: str) -> dict[str, Any]:
    return {"target": args.target, "bank": args.bank, "sample": args.sample, "seed": args.seed, "model": args.model,
            "stream": args.stream, "moderate": args.moderate, "classifier": classifier,
            "concurrency": args.concurrency,
            "started": previous.get("started") or datetime.now(UTC).isoformat(timespec="seconds")}


async def _assess(args: argparse.Namespace, cfg: RunConfig, todo: list[Any], store: ResultStore,
                  progress: Progress) -> str:
    # one connection per worker (two with --moderate, whose prompt check runs beside the chat):
    # httpcore's pool spends time per idle connection on every request
    conns = cfg.concurrency * (2 if cfg.moderate else 1) + (1 if args.classifier_url else 0)
    limits = httpx.Limits(max_connections=conns, max_keepalive_connections=conns)
    async with httpx.AsyncClient(timeout=httpx.Timeout(cfg.timeout), limits=limits) as client:
        classifier = make(args.classifier, args.classifier_url, client, cfg.timeout)
        await Runner(cfg, classifier, client).run(todo, store, progress)
        return classifier.name


def cmd_assess(args: argparse.Namespace) -> int:
    try:
        questions = load_bank(args.bank)
    except BankError as e:
        for p in e.problems:
            print(str(p), file=sys.stderr)
        print(f"bank rejected: {len(e.problems)} problem(s)", file=sys.stderr)
        return 2
    if args.sample:
        questions = sample(questions, args.sample, args.seed)
    cfg = _config(args)
    out = Path(args.out)
    name = args.classifier or args.classifier_url or "rules"
    previous = {} if args.fresh else _previous(out)
    meta = _run_meta(args, previous, name)
    changed = [k for k in SAME_RUN if previous and previous.get(k) != meta[k]]
    if changed:
        was = ", ".join(repr(previous.get(k)) for k in changed)
        print(f"{out} holds a run with another {', '.join(changed)} ({was}): resuming would mix two services' "
              "answers; use another --out, or --fresh to start over", file=sys.stderr)
        return 2
    if args.fresh:
        (out / "results.jsonl").unlink(missing_ok=True)
    store = ResultStore(out)
    done = store.open({q.id: q.digest for q in questions})
    todo = [q for q in questions if q.id not in done]
    shown = args.progress if args.progress is not None else sys.stderr.isatty()
    progress = Progress(len(questions), shown, done=len(questions) - len(todo))
    (out / RUN_FILE).write_bytes(orjson.dumps(meta, option=orjson.OPT_INDENT_2))
    try:
        asyncio.run(_assess(args, cfg, todo, store, progress))
    except KeyboardInterrupt:
        print(f"\ninterrupted: {out / 'results.jsonl'} keeps what is done; run the same command to resume",
              file=sys.stderr)
        return 130
    finally:
        store.close()
        progress.close()
    if args.lexicon:
        from interceptor.assess.lexinfo import describe

        meta["lexicon"] = describe(Path(args.lexicon), out)
    meta["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    (out / RUN_FILE).write_bytes(orjson.dumps(meta, option=orjson.OPT_INDENT_2))
    results = read(store.path)
    records = [results[q.id] for q in questions if q.id in results]
    summary = summarize(records, meta)
    report.write(out, summary, records, figures=not args.no_plots)
    if args.json:
        print(orjson.dumps(summary).decode())
    else:
        r, a = summary["must_refuse"], summary["must_answer"]
        print(f"must refuse: {r['refused']}/{r['n']} refused ({report._pct(r['refusal_rate'])}, target >= 95%: "
              f"{report._verdict(r['meets'])}; {r['clear']} clear, {r['vague']} vague)")
        print(f"must answer: {a['refused']}/{a['n']} refused ({report._pct(a['refusal_rate'])}, target <= 5%: "
              f"{report._verdict(a['meets'])})")
        print(f"{summary['errors']} error(s); report in {out / 'report.html'} and {out / 'report.md'}")
    return 1 if args.check and not summary["meets_thresholds"] else 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("assess", help="run a bank of must-refuse and must-answer questions through a service")
    p.add_argument("--target", required=True,
                   help="the OpenAI-compatible service (base URL or its /v1/chat/completions), e.g. interceptor proxy")
    p.add_argument("--bank", required=True, help="a .jsonl question bank, or a directory of them")
    p.add_argument("--out", default="assessment", help="results and report directory (a rerun resumes)")
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    p.add_argument("--concurrency", type=_positive(int), default=8, help="requests in flight (default 8)")
    p.add_argument("--timeout", type=_positive(float), default=60.0, help="seconds per attempt (default 60)")
    p.add_argument("--retries", type=int, default=4, help="retries after connection errors, 5xx, 429 (default 4)")
    p.add_argument("--backoff", type=_positive(float), default=0.5, help="first retry delay, doubled each time")
    p.add_argument("--max-wait", type=_positive(float), default=60.0, help="longest Retry-After honoured, seconds")
    p.add_argument("--sample", type=_positive(int), help="ask N questions of each kind, drawn with --seed")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--model", default="default", help="the model name sent in each request")
    p.add_argument("--temperature", type=float, default=0.0, help="sent in each request; below 0 sends none")
    p.add_argument("--stream", action="store_true", help="ask for streamed answers (SSE)")
    p.add_argument("--header", action="append", default=[], help="'Name: value' sent with every request")
    p.add_argument("--moderate", help="Interceptor's URL: ask /v1/moderate about each prompt and answer "
                                      "(when the target is the model itself)")
    p.add_argument("--classifier", help="module:function judging each answer instead of the built-in rules")
    p.add_argument("--classifier-url", help="an HTTP endpoint judging each answer (see the README)")
    p.add_argument("--lexicon", help="the lexicon directory the service runs: its version and keyword list "
                                     "go into the report")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar on stderr (default: only on a terminal)")
    p.add_argument("--no-plots", action="store_true", help="leave the figures out of the report")
    p.add_argument("--check", action="store_true", help="exit 1 when a threshold is not met")
    p.add_argument("--fresh", action="store_true", help="forget the results already in --out and start over")
    p.set_defaults(func=cmd_assess)
