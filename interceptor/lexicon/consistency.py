"""Does each term agree with its own labels? Script against language, category against the
terms it is made of, category against the risk map (``interceptor lexicon lint``).

Lists merged from many sources carry mislabelled rows — English phrases tagged Arabic, a
profanity glued to a drug name and filed under drugs — and a reviewer cannot defend a
filing that holds them. These checks are cheap and need no dictionary: the script of a
term's letters (Unicode character names), the BCP-47 script a language is written in, and
the lexicon's other terms.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from interceptor.lexicon.model import Lexicon, Term

# Scripts by the first word of a letter's Unicode name (CJK and kana are one family each).
_NAME_SCRIPT = {"CJK": "Hani", "HIRAGANA": "Kana", "KATAKANA": "Kana", "HANGUL": "Hang", "LATIN": "Latn",
                "CYRILLIC": "Cyrl", "GREEK": "Grek", "ARABIC": "Arab", "HEBREW": "Hebr", "DEVANAGARI": "Deva",
                "THAI": "Thai", "BENGALI": "Beng", "TAMIL": "Taml", "GEORGIAN": "Geor", "ARMENIAN": "Armn"}
# Languages not written in Latin letters by default (BCP-47 suppress-script values).
_LANG_SCRIPTS: dict[str, frozenset[str]] = {
    "zh": frozenset({"Hani"}), "ja": frozenset({"Hani", "Kana"}), "ko": frozenset({"Hang", "Hani"}),
    "ru": frozenset({"Cyrl"}), "uk": frozenset({"Cyrl"}), "bg": frozenset({"Cyrl"}), "be": frozenset({"Cyrl"}),
    "sr": frozenset({"Cyrl", "Latn"}), "mk": frozenset({"Cyrl"}), "kk": frozenset({"Cyrl"}),
    "ar": frozenset({"Arab"}), "fa": frozenset({"Arab"}), "ur": frozenset({"Arab"}), "ps": frozenset({"Arab"}),
    "he": frozenset({"Hebr"}), "yi": frozenset({"Hebr"}), "hi": frozenset({"Deva"}), "mr": frozenset({"Deva"}),
    "ne": frozenset({"Deva"}), "th": frozenset({"Thai"}), "el": frozenset({"Grek"}), "bn": frozenset({"Beng"}),
    "ta": frozenset({"Taml"}), "ka": frozenset({"Geor"}), "hy": frozenset({"Armn"}),
}
LATIN = frozenset({"Latn"})


def scripts(text: str) -> set[str]:
    """The scripts of the letters of ``text``."""
    out = set()
    for ch in text:
        if unicodedata.category(ch)[0] == "L":
            name = unicodedata.name(ch, "")
            name = name.removeprefix("FULLWIDTH ").removeprefix("HALFWIDTH ")
            out.add(_NAME_SCRIPT.get(name.replace("-", " ").split(" ", 1)[0], "Zyyy"))
    return out


def expected_scripts(lang: str) -> frozenset[str] | None:
    """The scripts ``lang`` is written in: its script subtag (``ar-Latn``), or the language's
    own; None for an undetermined language."""
    parts = lang.replace("_", "-").split("-")
    if not parts[0] or parts[0] in ("und", "mul"):
        return None
    for p in parts[1:]:
        if len(p) == 4 and p.isalpha():
            return frozenset({p.title()})
    return _LANG_SCRIPTS.get(parts[0].lower(), LATIN)


def script_problem(term: Term) -> str | None:
    """Why ``term``'s letters disagree with its language, or None."""
    want = expected_scripts(term.lang)
    have = scripts(term.text)
    if want is None or not have:
        return None
    if want == {"Hani"} and have <= {"Hani", "Latn"} and sum(c.isascii() for c in term.text) <= 3:
        return None  # K粉, A片: a letter or two inside a Chinese term
    if have <= want:
        return None
    return f"written in {'+'.join(sorted(have))}, but {term.lang} is written in {'+'.join(sorted(want))}"


def joined_terms(terms: Iterable[tuple[str, Term]]) -> list[dict[str, Any]]:
    """Terms made wholly of other listed terms, one of another category (``fuck投毒杀人``):
    concatenations of list entries, not keywords. ``terms`` are (folded form, term) pairs."""
    forms: dict[str, Term] = {}
    for form, t in terms:
        forms.setdefault(form, t)
    out: list[dict[str, Any]] = []
    for form, t in forms.items():
        if not 4 <= len(form) <= 24:
            continue
        # the shortest split of the form into listed terms (none being the form itself)
        best: list[list[str] | None] = [None] * (len(form) + 1)
        best[0] = []
        for i in range(len(form)):
            here = best[i]
            if here is None:
                continue
            for j in range(i + 1, len(form) + 1):
                piece = form[i:j]
                there = best[j]
                if piece != form and piece in forms and (there is None or len(there) > len(here) + 1):
                    best[j] = [*here, piece]
        parts = best[len(form)]
        if parts and len(parts) >= 2 and any(forms[p].category != t.category for p in parts):
            out.append({"kind": "joins terms of other categories", "term": t.text, "category": t.category,
                        "parts": [f"{forms[p].text} ({forms[p].category})" for p in parts], "at": [t.source]})
    return out


def category_problems(lex: Lexicon) -> list[dict[str, Any]]:
    """Categories the risk map does not name, and rule-only terms given a tier that acts."""
    out: list[dict[str, Any]] = []
    if lex.risk_codes:
        seen: set[str] = set()
        for t in lex.terms:
            if t.category not in lex.risk_codes and t.category not in lex.hidden and t.category not in seen:
                seen.add(t.category)
                out.append({"kind": "category has no risk code", "category": t.category, "at": [t.source]})
    for t in lex.terms:
        if t.category in lex.hidden and t.tier.value != "monitor":
            out.append({"kind": "rule-only term with a tier that acts (it is never reported)", "term": t.text,
                        "tier": t.tier.value, "at": [t.source]})
    return out
