"""``interceptor serve``: the sidecar on uvicorn."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from interceptor.errors import LexiconError

if TYPE_CHECKING:
    from interceptor.service.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("serve", help="serve the HTTP API (CONTRACT §5)")
    p.add_argument("--lexicon", help="lexicon directory (default lexicons/default)")
    p.add_argument("--db", help="audit store: sqlite:///path.db (default) or postgresql://...")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--workers", type=int)
    p.add_argument("--config", help="TOML settings file (see README)")
    p.add_argument("--matcher", choices=("daachorse", "pyahocorasick"))
    p.add_argument("--lexicon-from-db", dest="lexicon_from_db", action="store_true", default=None,
                   help="serve the lexicon published with `interceptor lexicon publish` (PostgreSQL --db) "
                        "and follow new publications; --lexicon is the fallback before the first one")
    p.add_argument("--no-watch", dest="watch", action="store_false", default=None,
                   help="do not reload when the lexicon directory changes")
    p.add_argument("--log-level", default=None)
    p.set_defaults(func=serve)


def ready_to_start(settings: Settings) -> bool:
    """Check what a server needs before it starts, and say what is wrong on stderr: a lexicon
    that does not load (every file:line), an audit store that cannot be opened, an OCR
    backend that cannot load while images are enabled. Starting
    anyway would fail later inside the server, as a traceback far from the cause."""
    from interceptor.audit.opening import open_store
    from interceptor.audit.store import StoreUnavailable
    from interceptor.lexicon import load_lexicon

    if not settings.lexicon_from_db:  # (a published lexicon was validated when it was published)
        try:
            load_lexicon(settings.lexicon)  # fail fast, with every file:line
        except LexiconError as e:
            for problem in e.problems:
                print(problem, file=sys.stderr)
            if not Path(settings.lexicon).is_dir():  # started outside the repository, most often
                print(f"no lexicon directory at {Path(settings.lexicon).resolve()}: pass --lexicon DIR "
                      "(or set INTERCEPTOR_LEXICON, or lexicon in the config file)", file=sys.stderr)
            return False
    if settings.images.enabled:  # a reader that cannot load is said now, never a silent pass later
        from interceptor.images.backends import make_backend
        from interceptor.images.errors import OcrUnavailable

        try:
            make_backend(settings.images)
        except OcrUnavailable as e:
            print(f"image screening is enabled ([images] enabled) but its reader cannot start: {e}", file=sys.stderr)
            return False
    try:
        open_store(settings.db, settings.audit_key).close()  # create the file and apply migrations once, up front
    except StoreUnavailable as e:
        print(f"audit store unavailable: {e}", file=sys.stderr)
        return False
    return True


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from interceptor.service.app import SETTINGS_ENV, create_app
    from interceptor.service.settings import load_settings

    settings = load_settings(args.config, {
        "lexicon": args.lexicon, "db": args.db, "host": args.host, "port": args.port, "workers": args.workers,
        "matcher": args.matcher, "watch": args.watch, "log_level": args.log_level,
        "lexicon_from_db": args.lexicon_from_db,
    })
    if not ready_to_start(settings):
        return 2
    if hasattr(signal, "SIGXFSZ"):
        # a file-size limit reached by the audit log must fail that write (answered 503, the
        # record kept for retry) rather than kill the process and everything it has queued
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    settings = settings.with_secret()  # one secret for every worker
    if settings.workers == 1:
        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level=settings.log_level,
                    access_log=False, timeout_graceful_shutdown=30)
        return 0
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="interceptor-metrics-")
    os.environ[SETTINGS_ENV] = orjson.dumps(replace(settings).to_json()).decode()
    uvicorn.run("interceptor.service.app:app_from_env", factory=True, host=settings.host, port=settings.port,
                workers=settings.workers, log_level=settings.log_level, access_log=False,
                timeout_graceful_shutdown=30)
    return 0
