"""The ``interceptor lexicon`` tools: check (and, as they land, import/diff/stats/lint/impact)."""
from __future__ import annotations

import argparse
from collections import Counter

import orjson

from interceptor.lexicon import Lexicon, load_lexicon


def counts(lex: Lexicon) -> dict[str, object]:
    return {
        "name": lex.name,
        "version": lex.version,
        "terms": len(lex.terms),
        "allow": len(lex.allow),
        "rules": len(lex.rules),
        "by_tier": dict(Counter(t.tier.value for t in lex.terms).most_common()),
        "by_category": dict(Counter(t.category for t in lex.terms).most_common()),
        "by_lang": dict(Counter(t.lang for t in lex.terms).most_common()),
    }


def _print_counts(c: dict[str, object]) -> None:
    print(f"lexicon {c['name']} version {c['version']}: {c['terms']} terms, "
          f"{c['allow']} allowed phrases, {c['rules']} rules")
    for key, title in (("by_tier", "tier"), ("by_category", "category"), ("by_lang", "language")):
        print(f"by {title}:")
        for k, n in c[key].items():  # type: ignore[attr-defined]
            print(f"  {k:24s} {n:>7d}")


def run(args: argparse.Namespace) -> int:
    if args.lexicon_command == "check":
        lex = load_lexicon(args.dir)
        c = counts(lex)
        if getattr(args, "json", False):
            print(orjson.dumps(c).decode())
        else:
            _print_counts(c)
        return 0
    raise SystemExit(f"unknown lexicon command {args.lexicon_command}")
