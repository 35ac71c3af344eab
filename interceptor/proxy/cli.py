"""``interceptor proxy``: the filtering proxy on uvicorn."""
from __future__ import annotations

import argparse
import sys
from urllib.parse import urlsplit


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("proxy", help="an OpenAI-compatible filtering proxy in front of a model API")
    p.add_argument("--upstream", required=True, help="the model API's base URL, e.g. https://api.openai.com")
    p.add_argument("--listen", default="127.0.0.1:8081", help="host:port to listen on")
    p.add_argument("--lexicon", help="lexicon directory (default lexicons/default)")
    p.add_argument("--db", help="audit store: sqlite:///path.db (default) or postgresql://...")
    p.add_argument("--config", help="TOML settings file (see README)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from interceptor.proxy.routes import Proxy
    from interceptor.service.cli import ready_to_start
    from interceptor.service.settings import load_settings

    upstream = urlsplit(args.upstream)
    if upstream.scheme not in ("http", "https") or not upstream.netloc:
        print(f"--upstream must be an http:// or https:// URL, not {args.upstream!r}", file=sys.stderr)
        return 2
    host, _, port = args.listen.rpartition(":")
    if not port.isdigit() or int(port) > 65535:
        print(f"--listen must be host:port, not {args.listen!r}", file=sys.stderr)
        return 2
    settings = load_settings(args.config, {"lexicon": args.lexicon, "db": args.db})
    if not ready_to_start(settings):
        return 2
    uvicorn.run(Proxy(settings, args.upstream), host=host or "127.0.0.1", port=int(port), access_log=False,
                log_level=settings.log_level, lifespan="on")
    return 0
