"""The lexicon page: ``/console/lexicon`` (admin).

What serves (version, load time, counts by tier, category and language, and — when the
manifest maps categories to TC260-003 risk codes — the ``interceptor lexicon report``
coverage by risk code against its minimums), the last reloads with their
``file:line`` errors, a reload button, and a playground: a text checked by the serving
lexicon, shown as ``interceptor scan`` would print it, with the hits marked. Playground
texts are not logged: they are ops trying the lexicon, not traffic.
"""
from __future__ import annotations

import asyncio
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from interceptor.lexicon.coverage import coverage
from interceptor.service.console import render
from interceptor.service.console.access import needs, posts, runtime
from interceptor.service.console.session import Session
from interceptor.service.operations import serving_lexicon
from interceptor.types import DIRECTIONS, Verdict


def _breakdowns(info: dict[str, Any]) -> list[tuple[str, dict[str, int]]]:
    """Every ``by_*`` table of the report, in its order (tier, category, language, risk code…)."""
    return [(key.removeprefix("by_"), value) for key, value in info.items()
            if key.startswith("by_") and isinstance(value, dict)]


async def _page(request: Request, session: Session, status: int = 200, **extra: Any) -> Response:
    rt = runtime(request)
    info = serving_lexicon(rt)
    lex = rt.guard.lexicon
    risks = (await asyncio.to_thread(coverage, lex)) if lex.risk_codes else None
    return await render.page(request, "lexicon.html", session, status=status, info=info, breakdowns=_breakdowns(info),
                       risks=risks,
                       reloads=list(reversed(rt.reloads)), directions=DIRECTIONS,
                       **{"text": "", "direction": "input", "verdict": None, "scan": None, "error": None,
                          "reloaded": None, **extra})


@needs("admin")
async def lexicon(request: Request, session: Session) -> Response:
    return await _page(request, session)


@posts("admin")
async def reload(request: Request, session: Session, form: dict[str, str]) -> Response:
    result = await runtime(request).reload()
    return await _page(request, session, status=200 if result.ok else 422, reloaded=result)


@posts("admin")
async def playground(request: Request, session: Session, form: dict[str, str]) -> Response:
    """Check a pasted text as the service would, without logging it."""
    rt = runtime(request)
    text = form.get("text", "")
    direction = form.get("direction", "input")
    if direction not in DIRECTIONS:
        direction = "input"
    if len(text) > rt.settings.max_text_chars:
        return await _page(request, session, status=413, text="", direction=direction,
                     error=("text_too_long", len(text), rt.settings.max_text_chars))
    verdict: Verdict = await asyncio.to_thread(rt.guard.check, text, direction=direction)  # off the event loop
    scan = {"action": verdict.action.value, "text": verdict.text, "hits": [h.to_dict() for h in verdict.hits]}
    return await _page(request, session, text=text, direction=direction, verdict=scan,
                 scan=orjson.dumps(scan).decode())
