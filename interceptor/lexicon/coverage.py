"""Coverage of a lexicon by risk code, against the minimums of TC260-003.

The standard asks a keyword library for at least 10,000 terms, at least 200 for each risk
of appendix A.1 and 100 for each of A.2. A lexicon says which risk each of its categories
belongs to in its manifest (``[risk_codes]``); a risk it leaves to the operator (the
political ones, for the bundled lexicon) is listed in ``operator_supplied`` and reported
as such rather than as a shortfall. Terms of categories with no code are counted apart.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import Enum

from interceptor.lexicon.model import Lexicon, Term
from interceptor.lexicon.risk import BY_CODE, KEYWORD_CODES, TOTAL_MINIMUM


class Status(str, Enum):
    """How a risk stands against its minimum."""

    MET = "met"
    SHORT = "short"  # covered, but with fewer terms than the minimum
    MISSING = "missing"  # a risk of A.1/A.2 with no term and not left to the operator
    OPERATOR = "operator-supplied"
    EXTRA = "extra"  # a risk outside A.1/A.2 (insults, personal information): no minimum


@dataclass(frozen=True)
class RiskCoverage:
    """One risk code: its terms, by tier and language, and its rules."""

    code: str
    name_zh: str
    name_en: str
    minimum: int
    terms: int
    status: Status
    categories: tuple[str, ...]
    by_tier: dict[str, int] = field(default_factory=dict)
    by_lang: dict[str, int] = field(default_factory=dict)
    rules: int = 0


@dataclass(frozen=True)
class Coverage:
    """The whole report: every risk, the total against its minimum, what has no code."""

    name: str
    version: str
    total: int
    total_minimum: int
    risks: tuple[RiskCoverage, ...]
    unmapped: dict[str, int]  # category -> terms, for categories with no risk code
    hidden: dict[str, int]  # rule-only categories -> terms

    @property
    def shortfalls(self) -> list[str]:
        """Each failed minimum, as a sentence."""
        out = [f"{r.code} {r.name_en}: {r.terms} terms, minimum {r.minimum}" for r in self.risks
               if r.status in (Status.SHORT, Status.MISSING)]
        if self.total < self.total_minimum:
            out.insert(0, f"total: {self.total} terms, minimum {self.total_minimum}")
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "name": self.name, "version": self.version, "total": self.total, "total_minimum": self.total_minimum,
            "risks": [{**r.__dict__, "status": r.status.value, "categories": list(r.categories)} for r in self.risks],
            "unmapped": self.unmapped, "hidden": self.hidden, "shortfalls": self.shortfalls,
        }


def risk_of(lex: Lexicon, term: Term) -> str:
    """The risk code of a term's category, or ``""``."""
    return lex.risk_codes.get(term.category, "")


def coverage(lex: Lexicon) -> Coverage:
    by_code: dict[str, list[Term]] = {}
    unmapped: Counter[str] = Counter()
    hidden: Counter[str] = Counter()
    for t in lex.terms:
        if t.category in lex.hidden:
            hidden[t.category] += 1
        elif code := risk_of(lex, t):
            by_code.setdefault(code, []).append(t)
        else:
            unmapped[t.category] += 1
    rules = Counter(lex.risk_codes.get(r.category, "") for r in lex.rules)
    codes = list(KEYWORD_CODES) + sorted(c for c in {*by_code, *lex.risk_codes.values()} if c not in KEYWORD_CODES)
    risks = []
    for code in codes:
        risk, terms = BY_CODE[code], by_code.get(code, [])
        if code not in KEYWORD_CODES:
            status = Status.EXTRA
        elif not terms:
            status = Status.OPERATOR if code in lex.operator_supplied else Status.MISSING
        else:
            status = Status.MET if len(terms) >= risk.minimum else Status.SHORT
        cats = sorted({c for c, v in lex.risk_codes.items() if v == code})
        risks.append(RiskCoverage(
            code=code, name_zh=risk.zh, name_en=risk.en, minimum=risk.minimum, terms=len(terms), status=status,
            categories=tuple(cats), by_tier=dict(Counter(t.tier.value for t in terms).most_common()),
            by_lang=dict(Counter(t.lang for t in terms).most_common()), rules=rules.get(code, 0)))
    total = sum(len(v) for v in by_code.values()) + sum(unmapped.values())  # every keyword, rule words aside
    return Coverage(name=lex.name, version=lex.version, total=total, total_minimum=TOTAL_MINIMUM,
                    risks=tuple(risks), unmapped=dict(unmapped.most_common()), hidden=dict(hidden.most_common()))
