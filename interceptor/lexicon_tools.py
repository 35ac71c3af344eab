"""``interceptor lexicon`` tools for ops teams: check, stats, import, diff, lint, impact.

Each reads real files and reports bad input as ``file:line: message`` (exit 2); ``lint``
exits 1 when it finds errors, ``diff`` and ``impact`` print text or ``--json``.
"""
from __future__ import annotations

import argparse
import csv
import io
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import orjson

from interceptor.errors import LexiconError, Problem
from interceptor.lexicon import Lexicon, Term, load_lexicon, parse_variants, variants_name
from interceptor.lexicon.consistency import category_problems, joined_terms, script_problem
from interceptor.types import Tier

SEVERE = {Tier.BLOCK, Tier.WARN, Tier.MASK}


def counts(lex: Lexicon) -> dict[str, Any]:
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


def _print_table(title: str, d: dict[str, int]) -> None:
    print(f"by {title}:")
    for k, n in d.items():
        print(f"  {k:24s} {n:>7d}")


def _emit(data: dict[str, Any], as_json: bool, text: str) -> None:
    print(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() if as_json else text)


# --------------------------------------------------------------------------- check, stats
def cmd_check(args: argparse.Namespace) -> int:
    c = counts(load_lexicon(args.dir))
    if args.json:
        print(orjson.dumps(c).decode())
        return 0
    print(f"lexicon {c['name']} version {c['version']}: {c['terms']} terms, {c['allow']} allowed phrases, "
          f"{c['rules']} rules")
    for key, title in (("by_tier", "tier"), ("by_category", "category"), ("by_lang", "language")):
        _print_table(title, c[key])
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    lex = load_lexicon(args.dir)
    c = counts(lex)
    c["by_variants"] = dict(Counter(variants_name(t.variants) for t in lex.terms).most_common())
    c["by_file"] = dict(Counter(t.source.rsplit(":", 1)[0] for t in lex.terms).most_common())
    c["languages"] = len(c["by_lang"])
    c["categories"] = len(c["by_category"])
    if args.json:
        print(orjson.dumps(c).decode())
        return 0
    print(f"{c['terms']} terms in {c['languages']} languages and {c['categories']} categories; "
          f"{c['allow']} allowed phrases; {c['rules']} rules; version {c['version']}")
    for key in ("by_tier", "by_category", "by_lang", "by_variants", "by_file"):
        _print_table(key[3:], c[key])
    return 0


# --------------------------------------------------------------------------- import
def cmd_import(args: argparse.Namespace) -> int:
    """Plain lists, CSV, ``word`` and ``word|tag`` files -> a TSV of this format."""
    problems: list[Problem] = []
    try:
        tier = Tier(args.tier)
        variants = parse_variants(args.variants)
    except ValueError as e:
        print(f"{e}", file=sys.stderr)
        return 2
    rows: dict[str, tuple[str, str]] = {}
    for path in args.files:
        name = Path(path).name
        try:
            data = Path(path).read_bytes().decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as e:
            problems.append(Problem(name, Path(path).read_bytes()[: e.start].count(b"\n") + 1, "invalid UTF-8"))
            continue
        except OSError as e:
            problems.append(Problem(name, 0, str(e)))
            continue
        fmt = args.format if args.format != "auto" else ("csv" if name.endswith(".csv") else "lines")
        entries: list[tuple[int, str, str]] = []
        if fmt == "csv":
            for n, rec in enumerate(csv.reader(io.StringIO(data)), 1):
                if not rec or not rec[0].strip() or rec[0].lstrip().startswith("#"):
                    continue
                if n == 1 and rec[0].strip().lower() in ("term", "word", "keyword"):
                    continue
                entries.append((n, rec[0].strip(), rec[1].strip() if len(rec) > 1 else ""))
        else:
            for n, line in enumerate(data.splitlines(), 1):
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                term, _, tag = line.partition("|") if fmt == "word-tag" else (line, "", "")
                if not term.strip():
                    problems.append(Problem(name, n, "empty term"))
                    continue
                entries.append((n, term.strip(), tag.strip()))
        for n, term, tag in entries:
            if "\t" in term:
                problems.append(Problem(name, n, "a term may not contain a tab"))
                continue
            rows.setdefault(term, (tag, f"{name}:{n}"))
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        return 2
    out = ["term\tcategory\ttier\tvariants\tlang\tnote"]
    for term, (tag, src) in rows.items():
        out.append(f"{term}\t{args.category}\t{tier.value}\t{variants_name(variants)}\t{args.lang}\t"
                   f"{('tag ' + tag + '; ') if tag else ''}imported from {src}")
    text = "\n".join(out) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf8")
        print(f"wrote {len(rows)} terms to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


# --------------------------------------------------------------------------- diff
def _key(t: Term) -> dict[str, str]:
    return {"category": t.category, "tier": t.tier.value, "variants": variants_name(t.variants), "lang": t.lang}


def lexicon_diff(old: Lexicon, new: Lexicon) -> dict[str, Any]:
    a = {t.text: t for t in old.terms}
    b = {t.text: t for t in new.terms}
    changed = []
    for text in sorted(a.keys() & b.keys()):
        ka, kb = _key(a[text]), _key(b[text])
        if ka != kb:
            changed.append({"term": text, "from": {k: v for k, v in ka.items() if kb[k] != v},
                            "to": {k: v for k, v in kb.items() if ka[k] != v}})
    return {
        "old_version": old.version, "new_version": new.version,
        "added": [{"term": t, **_key(b[t])} for t in sorted(b.keys() - a.keys())],
        "removed": [{"term": t, **_key(a[t])} for t in sorted(a.keys() - b.keys())],
        "changed": changed,
        "allow_added": sorted(set(new.allow) - set(old.allow)),
        "allow_removed": sorted(set(old.allow) - set(new.allow)),
        "rules_added": sorted({r.id for r in new.rules} - {r.id for r in old.rules}),
        "rules_removed": sorted({r.id for r in old.rules} - {r.id for r in new.rules}),
    }


def cmd_diff(args: argparse.Namespace) -> int:
    d = lexicon_diff(load_lexicon(args.old), load_lexicon(args.new))
    lines = [f"{d['old_version']} -> {d['new_version']}: {len(d['added'])} added, {len(d['removed'])} removed, "
             f"{len(d['changed'])} changed"]
    lines += [f"+ {x['term']}\t{x['tier']}\t{x['category']}" for x in d["added"]]
    lines += [f"- {x['term']}\t{x['tier']}\t{x['category']}" for x in d["removed"]]
    lines += [f"~ {x['term']}\t" + ", ".join(f"{k}: {x['from'][k]} -> {x['to'][k]}" for k in x["to"])
              for x in d["changed"]]
    lines += [f"+ allow {p}" for p in d["allow_added"]] + [f"- allow {p}" for p in d["allow_removed"]]
    lines += [f"+ rule {r}" for r in d["rules_added"]] + [f"- rule {r}" for r in d["rules_removed"]]
    _emit(d, args.json, "\n".join(lines))
    return 0


# --------------------------------------------------------------------------- lint
def lexicon_lint(lex: Lexicon) -> dict[str, list[dict[str, Any]]]:
    """Errors: terms the allow-list makes unreachable, one term written twice with different
    tiers. Warnings: duplicates, terms inside terms of another tier, everyday words, and terms
    whose script, category or risk code disagree with their labels (``consistency``)."""
    from interceptor.engine import term_units
    from interceptor.normalize.tables import load

    t = load()
    errors: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []
    forms: dict[str, list[Term]] = defaultdict(list)
    for term in lex.terms:
        if term.category in lex.hidden:
            continue  # a rule word may repeat a listed term (the lexicon keeps both roles)
        units, _ = term_units(term.text, t)
        forms["".join(t.fold_char(c) for c in units) or term.text].append(term)
    for form, group in forms.items():
        if len(group) > 1:
            tiers = {g.tier for g in group}
            entry = {"kind": "same term written twice", "form": form, "terms": [g.text for g in group],
                     "at": [g.source for g in group]}
            (errors if len(tiers) > 1 else warnings).append(entry)
    allow_forms = set()
    for phrase in lex.allow:
        units, _ = term_units(phrase, t)
        allow_forms.add("".join(t.fold_char(c) for c in units))
    for form, group in forms.items():
        if form in allow_forms:
            errors.append({"kind": "unreachable: allowed as a whole phrase", "terms": [g.text for g in group],
                           "at": [g.source for g in group]})
    by_form = sorted(forms.items(), key=lambda kv: len(kv[0]))
    short = [(f, g) for f, g in by_form if 1 <= len(f) <= 4]
    for f_long, g_long in by_form:
        if len(f_long) < 2:
            continue
        for f_short, g_short in short:
            if len(f_short) >= len(f_long):
                break
            if f_short in f_long and g_short[0].tier != g_long[0].tier and \
                    g_short[0].tier in SEVERE and g_long[0].tier in SEVERE:
                warnings.append({"kind": "term inside a term of another tier", "inner": g_short[0].text,
                                 "inner_tier": g_short[0].tier.value, "outer": g_long[0].text,
                                 "outer_tier": g_long[0].tier.value, "at": [g_short[0].source, g_long[0].source]})
    for term in lex.terms:
        if term.tier in SEVERE and (term.text in t.words_zh or term.text.lower() in t.words_en):
            warnings.append({"kind": "everyday word with a severe tier", "term": term.text, "tier": term.tier.value,
                             "at": [term.source]})
        if why := script_problem(term):
            warnings.append({"kind": "script disagrees with language", "term": term.text, "lang": term.lang,
                             "why": why, "at": [term.source]})
    warnings += joined_terms((form, g[0]) for form, g in forms.items())
    warnings += category_problems(lex)
    return {"errors": errors, "warnings": warnings}


def cmd_lint(args: argparse.Namespace) -> int:
    report = lexicon_lint(load_lexicon(args.dir))
    if args.json:
        print(orjson.dumps(report).decode())
    else:
        for level in ("errors", "warnings"):
            for item in report[level]:
                at = ", ".join(item.get("at", []))
                detail = {k: v for k, v in item.items() if k not in ("kind", "at")}
                print(f"{at}: {level[:-1]}: {item['kind']}: {orjson.dumps(detail).decode()}")
        print(f"{len(report['errors'])} errors, {len(report['warnings'])} warnings")
    return 1 if report["errors"] else 0


# --------------------------------------------------------------------------- impact
def _corpus(path: str) -> list[str]:
    data = Path(path).read_bytes().decode("utf-8", errors="replace")
    texts = []
    for n, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            try:
                obj = orjson.loads(line)
            except orjson.JSONDecodeError:
                raise LexiconError([Problem(Path(path).name, n, "invalid JSON line")]) from None
            text = obj.get("text") if isinstance(obj, dict) else None
            if not isinstance(text, str):
                raise LexiconError([Problem(Path(path).name, n, "a JSON line needs a string 'text'")])
            texts.append(text)
        else:
            texts.append(line)
    return texts


def cmd_impact(args: argparse.Namespace) -> int:
    from interceptor import Interceptor

    guard = Interceptor.from_path(args.dir)
    texts = _corpus(args.corpus)
    fired: Counter[str] = Counter()
    tiers: dict[str, str] = {}
    actions: Counter[str] = Counter()
    chars = 0
    for text in texts:
        v = guard.check(text)
        chars += len(text)
        actions[v.action.value] += 1
        for h in v.hits:
            fired[h.term] += 1
            tiers[h.term] = h.tier.value
    severe = sum(n for term, n in fired.items() if tiers[term] != "monitor")
    top = [{"term": term, "tier": tiers[term], "hits": n} for term, n in fired.most_common(args.top)]
    report: dict[str, Any] = {"texts": len(texts), "characters": chars, "actions": dict(actions),
                              "severe_hits_per_10k_chars": round(severe / max(chars, 1) * 10_000, 3), "terms": top}
    lines = [f"{report['texts']} texts, {chars} characters: actions {dict(actions)}; "
             f"{report['severe_hits_per_10k_chars']} severe hits per 10,000 characters"]
    lines += [f"{x['hits']:>7d}  {x['tier']:8s} {x['term']}" for x in top]
    _emit(report, args.json, "\n".join(lines))
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from interceptor.lexicon_db import LexiconDbError, publish

    try:
        pub = publish(args.dir, args.db, by=args.by)
    except LexiconDbError as e:
        print(f"publish failed: {e}", file=sys.stderr)
        return 2
    _emit(pub.to_dict(), args.json, f"published lexicon {pub.version} ({pub.terms} terms) at {pub.published_at}")
    return 0


def cmd_published(args: argparse.Namespace) -> int:
    from interceptor.lexicon_db import LexiconDbError, history

    try:
        rows = history(args.db, args.limit)
    except LexiconDbError as e:
        print(f"cannot read publications: {e}", file=sys.stderr)
        return 2
    lines = [f"{r['seq']:>5d}  {r['published_at']}  {r['version']}  {r['terms']:>7d} terms  {r['published_by'] or ''}"
             for r in rows] or ["no lexicon published yet"]
    _emit({"publications": rows}, args.json, "\n".join(lines))
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from interceptor import lexicon_report

    lx = sub.add_parser("lexicon", help="validate and maintain lexicon directories")
    lsub = lx.add_subparsers(dest="lexicon_command", required=True)
    c = lsub.add_parser("check", help="validate a lexicon; print counts by tier, category and language")
    c.add_argument("dir")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_check)
    s = lsub.add_parser("stats", help="counts by tier, category, language, variants and file")
    s.add_argument("dir")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_stats)
    i = lsub.add_parser("import", help="plain lists, CSV, word or word|tag files -> a TSV")
    i.add_argument("files", nargs="+")
    i.add_argument("--format", choices=("auto", "lines", "csv", "word", "word-tag"), default="auto")
    i.add_argument("--category", required=True)
    i.add_argument("--tier", default="mask")
    i.add_argument("--variants", default="default")
    i.add_argument("--lang", default="und")
    i.add_argument("-o", "--output")
    i.set_defaults(func=cmd_import)
    d = lsub.add_parser("diff", help="added, removed and changed terms between two lexicons")
    d.add_argument("old")
    d.add_argument("new")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=cmd_diff)
    li = lsub.add_parser("lint", help="duplicates, shadowed terms, everyday words, unreachable terms")
    li.add_argument("dir")
    li.add_argument("--json", action="store_true")
    li.set_defaults(func=cmd_lint)
    lexicon_report.register(lsub)
    im = lsub.add_parser("impact", help="how often each term fires on a corpus (lines or JSON lines)")
    im.add_argument("dir")
    im.add_argument("--corpus", required=True)
    im.add_argument("--top", type=int, default=30)
    im.add_argument("--json", action="store_true")
    im.set_defaults(func=cmd_impact)
    pb = lsub.add_parser("publish", help="validate a lexicon and publish it to the sidecars (PostgreSQL)")
    pb.add_argument("dir")
    pb.add_argument("--db", required=True, help="postgresql://... (?schema=name as for the audit store)")
    pb.add_argument("--by", help="who publishes (kept with the publication)")
    pb.add_argument("--json", action="store_true")
    pb.set_defaults(func=cmd_publish)
    ph = lsub.add_parser("published", help="the latest publications, newest first")
    ph.add_argument("--db", required=True)
    ph.add_argument("--limit", type=int, default=20)
    ph.add_argument("--json", action="store_true")
    ph.set_defaults(func=cmd_published)
