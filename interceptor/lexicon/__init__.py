"""Lexicon directories: the format of CONTRACT §1, validated as a whole."""
from interceptor.lexicon.model import (
    ALL_VARIANTS,
    DEFAULT_VARIANTS,
    NO_VARIANTS,
    TECHNIQUES,
    Lexicon,
    Rule,
    Term,
    parse_variants,
    variants_name,
)
from interceptor.lexicon.parse import load_lexicon
from interceptor.lexicon.version import content_version, lexicon_files

__all__ = [
    "ALL_VARIANTS",
    "DEFAULT_VARIANTS",
    "NO_VARIANTS",
    "TECHNIQUES",
    "Lexicon",
    "Rule",
    "Term",
    "content_version",
    "lexicon_files",
    "load_lexicon",
    "parse_variants",
    "variants_name",
]
