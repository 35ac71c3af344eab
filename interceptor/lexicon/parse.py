"""Read and validate a lexicon directory (CONTRACT §1).

Validation collects every problem before giving up, so an operator fixes a bad lexicon in
one pass: each problem is reported as ``file:line: message`` and nothing is loaded when
there is any. A file's defaults come from its own row cells, then ``manifest.toml``'s
``[files."name.tsv"]`` table, then ``[defaults]``, then the engine defaults.
"""
from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from interceptor.errors import LexiconError, Problem
from interceptor.lexicon.model import DEFAULT_VARIANTS, Lexicon, Mention, Rule, Term, parse_variants
from interceptor.lexicon.risk import check_code
from interceptor.lexicon.version import content_version, lexicon_files, unreadable_entries
from interceptor.types import Tier

COLUMNS = ("term", "category", "tier", "variants", "lang", "note", "added")
MANIFEST_KEYS = {"name", "description", "defaults", "files", "risk_codes", "operator_supplied",
                 "hidden_categories"}
DEFAULT_KEYS = {"category", "tier", "variants", "lang", "added"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
RULE_KEYS = {"id", "category", "tier", "all", "categories", "none", "none_categories", "scope",
             "variants", "note", "description", "across_quotes", "handles"}
MENTION_KEYS = {"before", "after", "before_categories", "after_categories", "quotes", "variants", "note"}


@dataclass
class _Collector:
    problems: list[Problem] = field(default_factory=list)

    def add(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message))


def _decode(name: str, data: bytes, out: _Collector) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        out.add(name, line, f"invalid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})")
        return None
    return text.removeprefix("\ufeff")


def _toml_line(err: tomllib.TOMLDecodeError) -> int:
    m = re.search(r"line (\d+)", str(err))
    return int(m.group(1)) if m else 1


_TIERS = {t.value: t for t in Tier}
_NUL_OR_SURROGATE = re.compile("[\x00\ud800-\udfff]")


def _tier(value: str) -> Tier:
    got = _TIERS.get(value)  # written as the contract spells it: no strip, no lower, no enum call
    if got is not None:
        return got
    try:
        return Tier(value.strip().lower())
    except ValueError:
        raise ValueError(f"unknown tier {value!r} (expected block, mask, warn or monitor)") from None


def _infer_lang(term: str) -> str:
    for ch in term:
        cp = ord(ch)
        if 0x3040 <= cp <= 0x30FF:
            return "ja"
        if 0xAC00 <= cp <= 0xD7AF:
            return "ko"
    for ch in term:
        cp = ord(ch)
        if 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF:
            return "zh"
        if 0x0E00 <= cp <= 0x0E7F:
            return "th"
    return "und"


def _manifest(root: Path, out: _Collector) -> dict[str, Any]:
    path = root / "manifest.toml"
    if not path.is_file():  # absent, or reported by unreadable_entries
        return {}
    text = _decode("manifest.toml", path.read_bytes(), out)
    if text is None:
        return {}
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        out.add("manifest.toml", _toml_line(e), f"invalid TOML: {e}")
        return {}
    lines = text.splitlines()

    def line_of(key: str) -> int:
        for i, ln in enumerate(lines, 1):
            if re.match(rf"\s*\[?\s*\"?{re.escape(key)}", ln):
                return i
        return 1

    for key in data:
        if key not in MANIFEST_KEYS:
            out.add("manifest.toml", line_of(key), f"unknown key {key!r} (expected one of {sorted(MANIFEST_KEYS)})")
    tables = [("defaults", data.get("defaults", {}))]
    tables += [(f"files.{k}", v) for k, v in (data.get("files") or {}).items()]
    for where, table in tables:
        if not isinstance(table, dict):
            out.add("manifest.toml", line_of(where.split(".")[-1]), f"[{where}] must be a table")
            continue
        for k, v in table.items():
            ln = line_of(k)
            if k not in DEFAULT_KEYS:
                out.add("manifest.toml", ln, f"unknown key {k!r} in [{where}] (expected {sorted(DEFAULT_KEYS)})")
            elif not isinstance(v, str):
                out.add("manifest.toml", ln, f"{k} in [{where}] must be a string")
            elif k == "tier":
                try:
                    _tier(v)
                except ValueError as e:
                    out.add("manifest.toml", ln, str(e))
            elif k == "variants":
                try:
                    parse_variants(v)
                except ValueError as e:
                    out.add("manifest.toml", ln, str(e))
            elif k == "added" and not _DATE.fullmatch(v):
                out.add("manifest.toml", ln, f"added in [{where}] must be a date YYYY-MM-DD, not {v!r}")
    _risk_keys(data, line_of, out)
    return data


def _risk_keys(data: dict[str, Any], line_of: Any, out: _Collector) -> None:
    """``[risk_codes]`` (category -> appendix A code), ``operator_supplied`` (codes left to
    the operator) and ``hidden_categories`` (categories that only serve rules)."""
    codes = data.get("risk_codes", {})
    if not isinstance(codes, dict):
        out.add("manifest.toml", line_of("risk_codes"), "[risk_codes] must be a table of category = \"A.x-y\"")
    else:
        for cat, code in codes.items():
            why = check_code(code) if isinstance(code, str) else f"the risk code of {cat!r} must be a string"
            if why:
                out.add("manifest.toml", line_of(cat), why)
    for key in ("operator_supplied", "hidden_categories"):
        v = data.get(key, [])
        if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
            out.add("manifest.toml", line_of(key), f"{key} must be a list of non-empty strings")
        elif key == "operator_supplied":
            for code in v:
                if why := check_code(code):
                    out.add("manifest.toml", line_of(key), why)
    hidden = set(data.get("hidden_categories") or []) if isinstance(data.get("hidden_categories"), list) else set()
    if isinstance(codes, dict) and (both := sorted(hidden & set(codes))):
        out.add("manifest.toml", line_of("hidden_categories"),
                f"hidden categories are never reported, so they carry no risk code: {', '.join(both)}")


def _read_tsv(name: str, text: str, defaults: dict[str, str], out: _Collector) -> list[Term]:
    terms: list[Term] = []
    header: list[str] | None = None
    stem = Path(name).stem
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if header is None:
            header = [c.lower() for c in cells]
            if "term" not in header:
                out.add(name, lineno, f"header has no 'term' column (found: {', '.join(header)})")
                return []
            for c in header:
                if c not in COLUMNS:
                    out.add(name, lineno, f"unknown column {c!r} (expected: {', '.join(COLUMNS)})")
            if len(set(header)) != len(header):
                out.add(name, lineno, "a column is named twice in the header")
            continue
        if len(cells) > len(header):
            out.add(name, lineno, f"{len(cells)} cells but the header names {len(header)} columns")
            continue
        row = dict(zip(header, cells, strict=False))
        term = row.get("term", "")
        if not term:
            out.add(name, lineno, "empty term")
            continue
        if _NUL_OR_SURROGATE.search(term):
            out.add(name, lineno, "term holds a NUL or surrogate character")
            continue

        def cell(key: str, fallback: str, row: dict[str, str] = row) -> str:
            v = row.get(key, "")
            return v if v else defaults.get(key, fallback)

        try:
            tier = _tier(cell("tier", "mask"))
        except ValueError as e:
            out.add(name, lineno, str(e))
            continue
        try:
            variants = parse_variants(cell("variants", "default")) if cell("variants", "") else DEFAULT_VARIANTS
        except ValueError as e:
            out.add(name, lineno, str(e))
            continue
        added = cell("added", "")
        if added and not _DATE.fullmatch(added):
            out.add(name, lineno, f"added must be a date YYYY-MM-DD, not {added!r}")
            continue
        # categories and languages repeat across thousands of rows: one string each
        terms.append(Term(
            text=term, category=sys.intern(cell("category", stem)), tier=tier, variants=variants,
            lang=sys.intern(cell("lang", "") or _infer_lang(term)), note=row.get("note", ""),
            source=f"{name}:{lineno}", added=sys.intern(added),
        ))
    if header is None:
        out.add(name, 1, "no header line (the first line must name the columns, e.g. 'term\\ttier')")
    return terms


def _read_allow(text: str) -> list[str]:
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def _as_str_list(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return [v.strip() for v in value]
    return None


def _read_mention(data: Any, line: int, out: _Collector) -> Mention:
    """``[mention]``: the words that say a word is spoken about (``interceptor.mention``)."""
    name = "rules.toml"
    if not isinstance(data, dict):
        out.add(name, line, "[mention] must be a table")
        return Mention()
    for k in data:
        if k not in MENTION_KEYS:
            out.add(name, line, f"unknown key {k!r} in [mention] (expected {', '.join(sorted(MENTION_KEYS))})")
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("before", "after", "before_categories", "after_categories"):
        v = _as_str_list(data.get(key, []))
        if v is None:
            out.add(name, line, f"[mention] {key} must be a list of non-empty strings")
            v = []
        lists[key] = tuple(v)
    quotes = data.get("quotes", False)
    if not isinstance(quotes, bool):
        out.add(name, line, "[mention] quotes must be true or false")
        quotes = False
    try:
        variants = parse_variants(str(data.get("variants", "default")))
    except ValueError as e:
        out.add(name, line, str(e))
        variants = DEFAULT_VARIANTS
    return Mention(before=lists["before"], after=lists["after"], before_categories=lists["before_categories"],
                   after_categories=lists["after_categories"], quotes=quotes, variants=variants,
                   source=f"{name}:{line}")


def _read_rules(text: str, out: _Collector) -> tuple[list[Rule], Mention]:
    name = "rules.toml"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        out.add(name, _toml_line(e), f"invalid TOML: {e}")
        return [], Mention()
    lines = text.splitlines()
    headers = [i for i, ln in enumerate(lines, 1) if re.match(r"\s*\[\[\s*rules?\s*\]\]", ln)]
    for key in data:
        if key not in ("rule", "rules", "mention"):
            out.add(name, 1, f"unknown top-level key {key!r} (rules are [[rule]] tables, and [mention])")
    mention = Mention()
    if "mention" in data:
        at = next((i for i, ln in enumerate(lines, 1) if re.match(r"\s*\[\s*mention\s*\]", ln)), 1)
        mention = _read_mention(data["mention"], at, out)
    entries = data.get("rule", []) or data.get("rules", [])
    if not isinstance(entries, list):
        out.add(name, 1, "[[rule]] must be an array of tables")
        return [], mention
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for n, r in enumerate(entries):
        line = headers[n] if n < len(headers) else 1
        if not isinstance(r, dict):
            out.add(name, line, "a rule must be a table")
            continue
        ok = True

        def bad(msg: str, line: int = line) -> None:
            nonlocal ok
            ok = False
            out.add(name, line, msg)

        for k in r:
            if k not in RULE_KEYS:
                bad(f"unknown key {k!r} (expected {', '.join(sorted(RULE_KEYS))})")
        rid = r.get("id")
        if not isinstance(rid, str) or not rid.strip():
            bad("rule has no id")
            rid = f"#{n + 1}"
        elif rid in seen:
            bad(f"duplicate rule id {rid!r} (first at line {seen[rid]})")
        else:
            seen[rid] = line
        category = r.get("category", rid)
        if not isinstance(category, str) or not category:
            bad("category must be a non-empty string")
            category = rid
        try:
            tier = _tier(str(r.get("tier", "mask")))
        except ValueError as e:
            bad(str(e))
            tier = Tier.MASK
        lists = {}
        for key in ("all", "categories", "none", "none_categories", "handles"):
            v = _as_str_list(r.get(key, []))
            if v is None:
                bad(f"{key} must be a list of non-empty strings")
                v = []
            lists[key] = v
        if not lists["all"] and not lists["categories"]:
            bad("rule needs at least one condition in 'all' or 'categories'")
        if set(lists["handles"]) - set(lists["categories"]):
            bad("handles must name categories of the rule's 'categories'")
        scope_v = r.get("scope", "message")
        window = 0
        if isinstance(scope_v, bool):
            bad("scope must be 'message', 'conversation' or a number of characters")
            scope = "message"
        elif isinstance(scope_v, int):
            if scope_v <= 0:
                bad("a window scope must be a positive number of characters")
            scope, window = "window", scope_v
        elif scope_v in ("message", "conversation"):
            scope = scope_v
        else:
            bad(f"unknown scope {scope_v!r} (expected 'message', 'conversation' or a number of characters)")
            scope = "message"
        try:
            variants = parse_variants(str(r.get("variants", "default")))
        except ValueError as e:
            bad(str(e))
            variants = DEFAULT_VARIANTS
        across = r.get("across_quotes", True)
        if not isinstance(across, bool):
            bad("across_quotes must be true or false")
        if ok:
            rules.append(Rule(
                id=rid, category=category, tier=tier, all_terms=tuple(lists["all"]),
                categories=tuple(lists["categories"]), none_terms=tuple(lists["none"]),
                none_categories=tuple(lists["none_categories"]), scope=scope, window=window,
                variants=variants, source=f"{name}:{line}", across_quotes=across, handles=tuple(lists["handles"]),
            ))
    return rules, mention


def load_lexicon(path: str | Path) -> Lexicon:
    """Read, validate and return the lexicon at ``path``; raise LexiconError listing every problem."""
    root = Path(path)
    out = _Collector()
    if not root.is_dir():
        raise LexiconError([Problem(str(root), 0, "not a directory")])
    unreadable = dict(unreadable_entries(root))
    for name, why in unreadable.items():
        out.add(name, 0, why)
    files = [f for f in lexicon_files(root) if f.name not in unreadable]
    manifest = _manifest(root, out)
    base_defaults = {k: v for k, v in (manifest.get("defaults") or {}).items() if isinstance(v, str)}
    per_file = manifest.get("files") or {}
    terms: list[Term] = []
    allow: list[str] = []
    rules: list[Rule] = []
    mention = Mention()
    for f in files:
        name = f.name
        text = _decode(name, f.read_bytes(), out)
        if text is None or name == "manifest.toml":
            continue
        if name.endswith(".tsv"):
            d = dict(base_defaults)
            d.update({k: v for k, v in (per_file.get(name) or {}).items() if isinstance(v, str)})
            terms.extend(_read_tsv(name, text, d, out))
        elif name == "allow.txt":
            allow = _read_allow(text)
        elif name == "rules.toml":
            rules, mention = _read_rules(text, out)
    if not any(f.name.endswith(".tsv") for f in files):
        out.add(str(root), 0, "no *.tsv keyword list in the directory")
    hidden = frozenset(manifest.get("hidden_categories") or ()) if isinstance(
        manifest.get("hidden_categories"), list) else frozenset()
    merged, also = _merge(terms, hidden, out)
    if out.problems:
        raise LexiconError(out.problems)
    return Lexicon(
        name=str(manifest.get("name") or root.resolve().name), path=str(root), version=content_version(root),
        terms=tuple(merged), allow=tuple(dict.fromkeys(allow)), rules=tuple(rules),
        files=tuple(f.name for f in files),
        risk_codes=dict(manifest.get("risk_codes") or {}),
        operator_supplied=tuple(manifest.get("operator_supplied") or ()),
        hidden=hidden, rule_categories=also, mention=mention,
    )


def _merge(terms: list[Term], hidden: frozenset[str], out: _Collector) -> tuple[list[Term], dict[str, tuple[str, ...]]]:
    """Drop exact repeats; report a term defined twice with a different tier or category.

    A term listed in a rule-only category as well as in another category is not a conflict:
    ``porn`` is a sexual term and one of the words the minors rule looks for. It is kept
    once, with the other category (a reported one wins over a rule-only one); the second
    listing makes it a member of that category for the rules (the returned map).
    """
    first: dict[str, Term] = {}
    at: dict[str, int] = {}
    merged: list[Term] = []
    also: dict[str, list[str]] = {}
    for t in terms:
        prev = first.get(t.text)
        if prev is None:
            first[t.text] = t
            at[t.text] = len(merged)
            merged.append(t)
            continue
        if prev.category != t.category and (prev.category in hidden or t.category in hidden):
            if prev.category in hidden and t.category not in hidden:  # the reported listing defines it
                merged[at[t.text]] = t
                first[t.text] = t
                prev, t = t, prev
            also.setdefault(t.text, [])
            if t.category not in also[t.text] and t.category != prev.category:
                also[t.text].append(t.category)
            continue
        if prev.tier != t.tier or prev.category != t.category:
            file, _, line = t.source.rpartition(":")
            out.add(file, int(line), f"term {t.text!r} conflicts with its definition at {prev.source} "
                                     f"({prev.tier.value}/{prev.category} here {t.tier.value}/{t.category})")
    return merged, {k: tuple(v) for k, v in also.items()}
