"""``interceptor lexicon report``: coverage by risk code, and the filing's keyword list.

A filing under TC260-003 / GB/T 45654-2025 attaches the keyword list (关键词拦截列表): each
term with its risk code, category, tier, language and the date it was added, under the
lexicon's version. ``--export csv|xlsx|md`` writes it (stdout without ``--output``); xlsx
needs openpyxl (``pip install 'interceptor[xlsx]'``). Without ``--export`` the command
prints the coverage table; ``--strict`` exits 1 when a minimum is not met.
"""
from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import orjson

from interceptor.lexicon import Lexicon, load_lexicon
from interceptor.lexicon.coverage import Coverage, Status, coverage, risk_of
from interceptor.lexicon.risk import BY_CODE

TITLE = "关键词拦截列表 (keyword list)"


class Row(NamedTuple):
    """One line of the keyword list."""

    risk_code: str
    risk: str
    category: str
    term: str
    tier: str
    lang: str
    added: str


HEADER = ("风险编号 risk code", "风险类别 risk", "类别 category", "关键词 term", "处置 tier", "语言 language",
          "添加日期 date added")


def rows(lex: Lexicon) -> Iterator[Row]:
    """Every reported term, by risk code then category; rule-only words are not keywords."""
    items = [t for t in lex.terms if t.category not in lex.hidden]
    items.sort(key=lambda t: (risk_of(lex, t) or "~", t.category, t.lang, t.text))
    for t in items:
        code = risk_of(lex, t)
        yield Row(code, BY_CODE[code].zh if code else "", t.category, t.text, t.tier.value, t.lang, t.added)


# --------------------------------------------------------------------------- text report
def render(cov: Coverage) -> str:
    lines = [f"lexicon {cov.name} version {cov.version}: {cov.total} terms (minimum {cov.total_minimum})", "",
             f"{'code':6s} {'terms':>6s} {'min':>4s}  {'status':17s} {'block':>6s} {'mask':>6s} {'warn':>6s} "
             f"{'monitor':>7s} {'rules':>5s}  languages; categories"]
    for r in cov.risks:
        t = r.by_tier
        langs = ", ".join(f"{k} {n}" for k, n in list(r.by_lang.items())[:8])
        flag = " <-" if r.status in (Status.SHORT, Status.MISSING) else ""
        lines.append(f"{r.code:6s} {r.terms:>6d} {r.minimum:>4d}  {r.status.value:17s} {t.get('block', 0):>6d} "
                     f"{t.get('mask', 0):>6d} {t.get('warn', 0):>6d} {t.get('monitor', 0):>7d} {r.rules:>5d}  "
                     f"{langs or '-'}; {', '.join(r.categories) or '-'}{flag}   {r.name_en}")
    if cov.unmapped:
        lines.append("no risk code: " + ", ".join(f"{c} {n}" for c, n in cov.unmapped.items()))
    if cov.hidden:
        lines.append("rule vocabulary (not keywords): " + ", ".join(f"{c} {n}" for c, n in cov.hidden.items()))
    operator = [r.code for r in cov.risks if r.status is Status.OPERATOR]
    if operator:
        lines.append(f"operator-supplied (no terms shipped): {', '.join(operator)}")
    short = cov.shortfalls
    lines.append("shortfalls: " + ("; ".join(short) if short else "none"))
    return "\n".join(lines)


# --------------------------------------------------------------------------- exports
def export_csv(lex: Lexicon) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([*HEADER, "词库版本 lexicon version"])
    for r in rows(lex):
        w.writerow([*r, lex.version])
    return ("\ufeff" + buf.getvalue()).encode("utf8")  # the BOM tells spreadsheets it is UTF-8


def _md_cell(s: str) -> str:
    return s.replace("\\", "\\\\").replace("|", "\\|")


def export_md(lex: Lexicon) -> bytes:
    cov = coverage(lex)
    out = [f"# {TITLE}", "", f"Lexicon `{lex.name}`, version `{lex.version}`: {cov.total} terms.", "",
           "| 风险编号 risk code | 风险类别 risk | terms | minimum | status |", "|---|---|---:|---:|---|"]
    out += [f"| {r.code} | {r.name_zh} | {r.terms} | {r.minimum} | {r.status.value} |" for r in cov.risks]
    out += ["", "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    out += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows(lex)]
    return ("\n".join(out) + "\n").encode("utf8")


def export_xlsx(lex: Lexicon) -> bytes:
    try:
        from openpyxl import Workbook
    except ImportError:
        raise SystemExit("the xlsx export needs openpyxl: pip install 'interceptor[xlsx]'") from None
    cov = coverage(lex)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("关键词拦截列表")
    ws.append([TITLE, f"lexicon {lex.name}", f"version {lex.version}", f"{cov.total} terms"])
    ws.append(list(HEADER))
    for r in rows(lex):
        ws.append(list(r))
    cs = wb.create_sheet("coverage")
    cs.append(["风险编号 risk code", "风险类别 risk", "risk", "terms", "minimum", "status", "block", "mask", "warn",
               "monitor", "rules", "categories"])
    for rc in cov.risks:
        t = rc.by_tier
        cs.append([rc.code, rc.name_zh, rc.name_en, rc.terms, rc.minimum, rc.status.value, t.get("block", 0),
                   t.get("mask", 0), t.get("warn", 0), t.get("monitor", 0), rc.rules, ", ".join(rc.categories)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


EXPORTS = {"csv": export_csv, "md": export_md, "xlsx": export_xlsx}


def cmd_report(args: argparse.Namespace) -> int:
    lex = load_lexicon(args.dir)
    if args.export:
        data = EXPORTS[args.export](lex)
        if args.output:
            Path(args.output).write_bytes(data)
            print(f"wrote the keyword list of {lex.name} ({lex.version}) to {args.output}", file=sys.stderr)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        return 0
    cov = coverage(lex)
    if args.json:
        print(orjson.dumps(cov.to_dict()).decode())
    else:
        print(render(cov))
    return 1 if args.strict and cov.shortfalls else 0


def register(lsub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    r = lsub.add_parser("report", help="coverage by risk code (TC260-003 appendix A) and the filing's keyword list")
    r.add_argument("dir")
    r.add_argument("--export", choices=sorted(EXPORTS), help="write the keyword list instead of the coverage table")
    r.add_argument("--output", help="file to write the export to (default: stdout)")
    r.add_argument("--json", action="store_true", help="the coverage as JSON")
    r.add_argument("--strict", action="store_true", help="exit 1 when a minimum is not met")
    r.set_defaults(func=cmd_report)
