"""engine/aside.py: a large automaton built in a forked child is the automaton built here;
a child that fails leaves the build to this process."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import interceptor.engine.aside as aside
from interceptor.engine import Engine
from interceptor.engine.aside import Aside
from interceptor.engine.automaton import BACKENDS, build_matcher
from interceptor.lexicon import load_lexicon
from tests.conftest import CASES

PATTERNS = ["微信", "weixin", "wei xin", "加我", "枪支", "kill", "信", "a"]
TEXTS = ["加我微信 weixin", "wei xin, kill it", "枪支 枪 支", "", "nothing here"]


def _never() -> list[str]:
    raise AssertionError("made again, where the child built it")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_list_past_the_bound_is_built_in_a_child(backend: str) -> None:
    got = Aside(list(PATTERNS), backend, _never, aside_from=1)
    assert got.forked
    here = build_matcher(PATTERNS, backend)
    matcher = got.result()
    assert got.forked
    assert [sorted(matcher.find(t)) for t in TEXTS] == [sorted(here.find(t)) for t in TEXTS]


@pytest.mark.parametrize(("size", "forked"), [(len(PATTERNS) + 1, False), (len(PATTERNS), True)])
def test_a_list_below_the_bound_is_built_here(size: int, forked: bool) -> None:
    got = Aside(list(PATTERNS), "daachorse", _never, aside_from=size)
    assert got.forked is forked
    assert sorted(got.result().find("加我微信")) == [(0, 2, 3), (2, 4, 0), (3, 4, 6)]


class _FailsInAChild(list[str]):
    """Patterns that cannot be read in any process but the one that made them."""

    def __init__(self, items: list[str]):
        super().__init__(items)
        self.pid = os.getpid()

    def __iter__(self) -> Iterator[str]:
        if os.getpid() != self.pid:
            raise RuntimeError("read in a child")
        return super().__iter__()


def test_a_child_that_fails_leaves_the_build_here() -> None:
    got = Aside(_FailsInAChild(["微信"]), "daachorse", lambda: ["微信"], aside_from=1)
    assert got.forked
    assert got.result().find("加我微信") == [(2, 4, 0)]


def test_an_engine_built_aside_answers_as_one_built_here(monkeypatch: pytest.MonkeyPatch) -> None:
    lexicon = load_lexicon(Path(CASES) / "lexicon")
    texts = ["加我薇信吧", "you f<b>uc</b>k", "哪里能买到枪只？", "a clean sentence", "弓虽女干"]
    here = Engine(lexicon)
    monkeypatch.setattr(aside, "ASIDE_FROM", 1)
    away = Engine(lexicon)
    assert [away.scan(t) for t in texts] == [here.scan(t) for t in texts]
