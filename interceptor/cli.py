"""The ``interceptor`` command line (CONTRACT §4).

A thin layer: argument parsing and I/O here, the work in the engine, the lexicon tools,
the service and the audit stores. Exit status 2 means bad input (an invalid lexicon, a bad
argument); 1 means a check failed (``logs verify``).
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from interceptor.errors import ConfigError, LexiconError

Handler = Callable[[argparse.Namespace], int]


def _lexicon_error(e: LexiconError) -> int:
    for p in e.problems:
        print(str(p), file=sys.stderr)
    print(f"lexicon rejected: {len(e.problems)} problem(s)", file=sys.stderr)
    return 2


def cmd_scan(args: argparse.Namespace) -> int:
    from interceptor.scan import scan_stream

    try:
        return scan_stream(args.lexicon, sys.stdin.buffer, sys.stdout.buffer, matcher=args.matcher)
    except LexiconError as e:
        return _lexicon_error(e)




def build_parser(scan_only: bool = False) -> argparse.ArgumentParser:
    """The whole command line; with ``scan_only``, ``scan`` alone (its start-up is then the
    engine's: none of the layers around it, the web framework among them, is imported)."""
    from interceptor.engine import BACKENDS, DEFAULT_BACKEND

    ap = argparse.ArgumentParser(prog="interceptor", description="Keyword interception for AI chat services.")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("scan", help="check JSON Lines from stdin, one verdict line per input line")
    p.add_argument("--lexicon", required=True, help="lexicon directory")
    p.add_argument("--matcher", choices=BACKENDS, default=DEFAULT_BACKEND, help="Aho-Corasick backend")
    p.set_defaults(func=cmd_scan)

    if not scan_only:
        _add_optional_commands(sub)
    return ap


def _add_optional_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The layers around the engine register their own commands."""
    from interceptor import lexicon_tools, proxy
    from interceptor.assess import cli as assess_cli
    from interceptor.audit import cli as audit_cli
    from interceptor.service import cli as service_cli

    lexicon_tools.register(sub)
    service_cli.register(sub)
    audit_cli.register(sub)
    proxy.register(sub)
    assess_cli.register(sub)


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    ap = build_parser(scan_only=words[:1] == ["scan"] and not {"-h", "--help"} & set(words))
    args = ap.parse_args(argv)
    try:
        return int(args.func(args))
    except LexiconError as e:
        return _lexicon_error(e)
    except ConfigError as e:
        print(f"configuration error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
