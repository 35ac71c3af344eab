"""Pages rendered from the package's Jinja2 templates, autoescaped throughout.

Every value a template prints is escaped unless it is ``Markup`` made here (``visible``,
``marked``), which escapes the text itself first; nothing attacker-written is ever marked
safe as it is.
"""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from interceptor.service.console import highlight, i18n
from interceptor.service.console.session import Session
from interceptor.types import SEVERITY, Tier

ENV = Environment(loader=PackageLoader("interceptor.service.console", "templates"), autoescape=True,
                  undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _severity(hit: dict[str, Any]) -> int:
    try:
        return SEVERITY[Tier(hit.get("tier"))]
    except ValueError:
        return -1


def marked(text: str | None, hits: list[dict[str, Any]] | None) -> Markup:
    """The text with each hit in a ``<mark>`` carrying its tier (the most severe of the hits
    covering that piece) and the numbers of its hits in the hits table (shown by the
    stylesheet when there are several, so a copied text stays the text)."""
    if text is None:
        return Markup("")
    hits = hits or []
    out: list[str] = []
    for piece in highlight.segments(text, hits):
        if not piece.hits:
            out.append(highlight.visible(piece.text))
            continue
        top = max((hits[i] for i in piece.hits), key=_severity)
        numbers = " ".join(str(i + 1) for i in piece.hits)
        out.append(Markup('<mark class="hit {}{}" data-hits="{}">{}</mark>').format(
            highlight.tier_class(top.get("tier")), " numbered" if len(hits) > 1 else "", numbers,
            highlight.visible(piece.text)))
    return Markup("".join(out))


def when(value: str | float | None) -> str:
    """An ISO time or a Unix time as ``YYYY-MM-DD HH:MM:SS`` UTC."""
    if value is None or value == "":
        return ""
    try:
        dt = (datetime.fromtimestamp(value, UTC) if isinstance(value, int | float)
              else datetime.fromisoformat(str(value).replace("Z", "+00:00")))
    except (ValueError, OverflowError, OSError):
        return str(value)
    return dt.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


ENV.filters.update(marked=marked, visible=highlight.visible, when=when, duration=duration,
                   tier_class=highlight.tier_class)

SHORT = 600  # characters of a conversation's other turns shown beside a review item


def shorten(text: str | None, most: int = SHORT) -> str:
    if not text:
        return ""
    return text if len(text) <= most else text[:most] + "…"


def terms(hits: list[dict[str, Any]] | None) -> str:
    return ", ".join(str(h.get("term", "")) for h in hits or ())


ENV.filters.update(shorten=shorten, terms=terms)


async def page(request: Request, template: str, session: Session | None, status: int = 200,
               **context: Any) -> HTMLResponse:
    """A page in the request's language, with what the session may see — rendered in a
    worker thread: a page of 100,000-character texts must not hold the event loop."""
    lang = i18n.negotiate(request)
    base = request.scope.get("root_path", "")
    # the language switch: this page again in the other language (a posted form's result: the landing page)
    path, query = ((request.url.path, {k: v for k, v in request.query_params.items() if k != "lang"})
                   if request.method == "GET" else (f"{base}/", {}))
    switch = {code: f"{path}?{urlencode({**query, 'lang': code})}" for code in i18n.LANGUAGES}
    html = await asyncio.to_thread(
        ENV.get_template(template).render, t=i18n.translator(lang), lang=lang, base=base, session=session,
        switch=switch, nav=template.removesuffix(".html"), **context)
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, lang, max_age=365 * 86400, path=base or "/", samesite="strict",
                            httponly=True, secure=request.url.scheme == "https")
    return response


__all__ = ["ENV", "escape", "marked", "page"]
