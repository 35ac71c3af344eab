"""An OpenAI-compatible filtering proxy: an AI service adopts Interceptor by changing its
base URL to ``interceptor proxy --upstream https://api.example.com``.

Every text a model sees is checked before anything goes upstream, and every text of its
answer before the user gets it; no spelling of a path and no shape of a body gets around
that. The parts, each with one job:

* ``paths`` — the path normalised before routing; the canonical path is what goes upstream;
* ``request_texts`` — every text of a request, whatever JSON shape carries it;
* ``answer_texts`` — every text of an answer, per choice;
* ``streams`` — SSE answers, one stream checker per choice and field;
* ``checks`` — the engine and the audit log (through ``interceptor.service.verdicts``);
* ``upstream`` — the model API client, its failures named (502/504, one log line);
* ``errors`` — errors in the shape OpenAI clients read;
* ``routes`` — the ASGI application; ``cli`` — the command.

Headers (API keys included) pass through untouched and are never logged.
"""
from __future__ import annotations

from interceptor.proxy.cli import register
from interceptor.proxy.routes import Proxy

__all__ = ["Proxy", "register"]
