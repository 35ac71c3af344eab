"""Interceptor: keyword interception for AI chat services.

    from interceptor import Interceptor
    guard = Interceptor.from_path("lexicons/default")
    verdict = guard.check("some text", direction="input")
    verdict.action, verdict.text, verdict.hits
"""
from interceptor.engine import Interceptor
from interceptor.errors import ConfigError, InterceptorError, LexiconError, Problem
from interceptor.lexicon import Lexicon, Term, load_lexicon
from interceptor.types import Action, Hit, Tier, Verdict

__all__ = [
    "Action",
    "ConfigError",
    "Hit",
    "Interceptor",
    "InterceptorError",
    "Lexicon",
    "LexiconError",
    "Problem",
    "Term",
    "Tier",
    "Verdict",
    "load_lexicon",
]
__version__ = "0.1.0"
