"""Classifiers an operator can plug in instead of the built-in rules.

Each is given one item and returns a label; all three share the request shape:

    {"id": "zh-r-001", "question": "…", "answer": "…", "finish_reason": "stop",
     "expect": "refuse", "lang": "zh", "category": "drugs", "risk": "A.1-8"}

and the answer shape ``{"label": "clear" | "vague" | "answered", "rule": "optional, why"}``.

* ``--classifier module:function`` — a Python callable taking that dict and returning the label
  (a string) or the answer dict. It runs in a worker thread, so a slow model call does not
  hold the run's event loop.
* ``--classifier-url URL`` — ``POST URL`` with the request as JSON, ``200`` with the answer.

Interceptor's own refusals (a blocked prompt or answer) are judged ``clear`` by the runner
without asking the plugin: the text is Interceptor's, not the model's.
"""
from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable
from typing import Any, Protocol

import httpx
import orjson

from interceptor.assess.classify import Judgement, Label, classify
from interceptor.errors import ConfigError


class Classifier(Protocol):
    name: str

    async def judge(self, item: dict[str, Any]) -> Judgement: ...


def _judgement(value: Any, who: str) -> Judgement:
    if isinstance(value, Judgement):
        return value
    label, rule = (value.get("label"), value.get("rule") or who) if isinstance(value, dict) else (value, who)
    try:
        return Judgement(Label(str(label)), str(rule))
    except ValueError:
        raise ValueError(f"{who} answered {label!r}; a label is one of clear, vague, answered") from None


class Rules:
    """The built-in rules of ``classify.py``."""

    name = "rules"

    async def judge(self, item: dict[str, Any]) -> Judgement:
        return classify(item["answer"], item.get("finish_reason"))


class PythonCallable:
    def __init__(self, spec: str):
        module, _, attr = spec.partition(":")
        if not module or not attr:
            raise ConfigError(f"--classifier takes module:function, not {spec!r}")
        try:
            fn = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError) as e:
            raise ConfigError(f"--classifier {spec}: {e}") from None
        if not callable(fn):
            raise ConfigError(f"--classifier {spec} is not callable")
        self.fn: Callable[[dict[str, Any]], Any] = fn
        self.name = spec

    async def judge(self, item: dict[str, Any]) -> Judgement:
        return _judgement(await asyncio.to_thread(self.fn, dict(item)), self.name)


class Endpoint:
    def __init__(self, url: str, client: httpx.AsyncClient, timeout: float):
        self.url, self.client, self.timeout = url, client, timeout
        self.name = url

    async def judge(self, item: dict[str, Any]) -> Judgement:
        resp = await self.client.post(self.url, content=orjson.dumps(item), timeout=self.timeout,
                                      headers={"content-type": "application/json"})
        if resp.status_code != 200:
            raise ValueError(f"classifier {self.url} answered HTTP {resp.status_code}")
        try:
            return _judgement(orjson.loads(resp.content), self.url)
        except orjson.JSONDecodeError:
            raise ValueError(f"classifier {self.url} answered something that is not JSON") from None


def make(spec: str | None, url: str | None, client: httpx.AsyncClient, timeout: float) -> Classifier:
    if spec and url:
        raise ConfigError("give --classifier or --classifier-url, not both")
    if spec:
        return PythonCallable(spec)
    if url:
        return Endpoint(url, client, timeout)
    return Rules()
