"""What a loaded lexicon holds: terms, allowed phrases, contextual rules and its version."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from interceptor.types import Tier

TECHNIQUES: tuple[str, ...] = (
    "case", "width", "traditional", "diacritics", "noise",
    "repeat", "leet", "homoglyph", "homophone", "pinyin", "initials", "lookalike", "translit",
    "layout",
)
"""Every variant technique a term may allow (CONTRACT §1; ``translit``, a Cyrillic term in
Latin letters, and ``layout``, a term typed with the other keyboard layout on, are this
project's own, documented in README.md)."""

# `default` is every technique except `initials`: two or three letters are too short to be
# evidence unless an operator asks for them term by term.
DEFAULT_VARIANTS = frozenset(TECHNIQUES) - {"initials"}
ALL_VARIANTS = frozenset(TECHNIQUES)
NO_VARIANTS: frozenset[str] = frozenset()


def parse_variants(spec: str) -> frozenset[str]:
    """``default``, ``none``, ``all`` or a comma list of techniques; raises ValueError."""
    spec = spec.strip().lower()
    if spec in ("", "default"):
        return DEFAULT_VARIANTS
    if spec == "none":
        return NO_VARIANTS
    if spec == "all":
        return ALL_VARIANTS
    out: set[str] = set()
    for part in (p.strip() for p in spec.split(",")):
        if part == "default":
            out |= DEFAULT_VARIANTS
        elif part == "all":
            out |= ALL_VARIANTS
        elif part in TECHNIQUES:
            out.add(part)
        else:
            raise ValueError(f"unknown variant {part!r} (expected default, none, all or a comma list of: "
                             f"{', '.join(TECHNIQUES)})")
    return frozenset(out)


def variants_name(v: frozenset[str]) -> str:
    if v == DEFAULT_VARIANTS:
        return "default"
    if v == ALL_VARIANTS:
        return "all"
    if not v:
        return "none"
    return ",".join(t for t in TECHNIQUES if t in v)


def by_position(self: Any) -> tuple[type, tuple[Any, ...]]:
    """``__reduce__`` for a slotted dataclass: its fields as the constructor's arguments.

    Pickle's default for a frozen slotted dataclass calls a Python ``__setstate__`` that
    looks the fields up again for every object; a compiled lexicon read from the cache holds
    one per term (and one per compiled term), so this halves the time to read it.
    """
    return type(self), tuple(getattr(self, name) for name in self.__slots__)


@dataclass(frozen=True, slots=True)
class Term:
    """One keyword as written in a lexicon file, with its policy."""

    __reduce__ = by_position

    text: str
    category: str
    tier: Tier
    variants: frozenset[str]
    lang: str
    note: str = ""
    source: str = ""  # "file:line" where it was defined
    added: str = ""  # ISO date the term entered the list (the filing's "date added"), if known


@dataclass(frozen=True, slots=True)
class RuleCondition:
    """One condition of a rule: a term (matched with variants) or a whole category."""

    kind: str  # "term" or "category"
    value: str


@dataclass(frozen=True, slots=True)
class Rule:
    """A contextual rule: fires when all of its conditions occur within its scope."""

    id: str
    category: str
    tier: Tier
    all_terms: tuple[str, ...]
    categories: tuple[str, ...]
    none_terms: tuple[str, ...]
    none_categories: tuple[str, ...]
    scope: str  # "message", "conversation" or "window"
    window: int = 0
    variants: frozenset[str] = DEFAULT_VARIANTS
    source: str = ""
    handles: tuple[str, ...] = ()
    """Categories of the rule met only where an account handle follows the hit (``QQ 2837465``,
    ``tg @shop``): the name of an app alone is no offer of a contact."""
    across_quotes: bool = True
    """Whether the rule may combine a word inside a quotation with one outside it: a group
    word and the contempt word someone else used (people who call them "vermin") are apart."""


@dataclass(frozen=True, slots=True)
class Mention:
    """Words that say a text speaks *about* a word rather than uses it (``[mention]`` in
    ``rules.toml``): a definition question (``what does X mean``, ``X是什么意思``, ``the word
    X``) and, with ``quotes``, a word alone in quotation marks."""

    before: tuple[str, ...] = ()  # written just before the word spoken about: the word, 什么叫
    after: tuple[str, ...] = ()  # written just after it: mean, 是什么意思, 这个词
    before_categories: tuple[str, ...] = ()
    after_categories: tuple[str, ...] = ()
    quotes: bool = False
    variants: frozenset[str] = DEFAULT_VARIANTS
    source: str = ""

    def __bool__(self) -> bool:
        return bool(self.before or self.after or self.before_categories or self.after_categories or self.quotes)


@dataclass(frozen=True)
class Lexicon:
    """A validated lexicon directory. Immutable: a reload builds a new one."""

    name: str
    path: str
    version: str
    terms: tuple[Term, ...]
    allow: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    files: tuple[str, ...] = field(default=())
    risk_codes: Mapping[str, str] = field(default_factory=dict)
    """Category -> risk code of TC260-003 appendix A (``manifest.toml``'s ``[risk_codes]``)."""
    operator_supplied: tuple[str, ...] = ()
    """Risk codes this lexicon leaves to the operator's own lists (the political risks)."""
    hidden: frozenset[str] = frozenset()
    """Categories whose terms only serve rules (``hidden_categories``): found, never reported."""
    rule_categories: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Term -> the rule-only categories it is also listed in (a term has one reported category)."""
    mention: Mention = field(default_factory=Mention)
    """What says a word is spoken about, not used (``rules.toml``'s ``[mention]``)."""
