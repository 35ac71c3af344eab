"""The exception tree: every error Interceptor raises on purpose derives from InterceptorError."""
from __future__ import annotations

from dataclasses import dataclass


class InterceptorError(Exception):
    """Base class of Interceptor's own errors."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a lexicon directory, located as ``file:line``."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class LexiconError(InterceptorError):
    """A lexicon directory was rejected as a whole; ``problems`` lists every error found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ConfigError(InterceptorError):
    """A setting is missing, malformed or outside what the service allows."""
