"""Helpers for the console tests: signing in over HTTP, the XSS payloads, and a scan of
rendered HTML for anything active or external."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import NamedTuple

import httpx

# Every one is written by an attacker (prompt or model output) and reaches the console's
# pages; each holds a mask term (傻逼, in the sample lexicon) so it also lands in the queue.
PAYLOADS = (
    '<img src=x onerror="window.__xss=1;alert(1)">傻逼',
    "<script>window.__xss=2;alert(2)</script>傻逼",
    '<a href="javascript:window.__xss=3;alert(3)">click me</a>傻逼',
    '"><svg onload="window.__xss=4;alert(4)">傻逼',
    "'\"></textarea><iframe src=\"javascript:alert(5)\"></iframe>傻逼",
    "<style>body{display:none}</style><b style=\"position:fixed;inset:0\">傻逼</b>",
    "\u202e傻逼 gnp.exe \u2066evil\u2069 \u200b\u200dzero",
    "{{ 7*7 }}{% raw %}${7*7}傻逼",
    "傻逼" + "x" * 99_998,  # one 100,000-character word
)
CONVERSATION_PAYLOAD = '<img src=x onerror="window.__xss=6">\u202ec'


def sign_in(client: httpx.Client, token: str, name: str = "tester", next_: str = "/console/") -> httpx.Response:
    page = client.get("/console/login")
    nonce = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert nonce, page.text
    return client.post("/console/login", data={"csrf": nonce.group(1), "token": token, "name": name, "next": next_})


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, html[:2000]
    return m.group(1)


class Reference(NamedTuple):
    tag: str
    attr: str
    value: str


class Scan(HTMLParser):
    """Every tag, every attribute naming another resource, every event handler and every
    inline script or style of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.references: list[Reference] = []
        self.handlers: list[Reference] = []
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(Reference(tag, name, value or ""))
            if name in ("src", "href", "action", "formaction", "srcset", "poster", "data", "style"):
                self.references.append(Reference(tag, name, value or ""))
        self._in_script = tag == "script" and not values.get("src")

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


def scan(html: str) -> Scan:
    s = Scan()
    s.feed(html)
    s.close()
    return s


def local(value: str) -> bool:
    """A reference to this origin: a path, a query, a fragment — no scheme, no host."""
    return not re.match(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*:|//|\\\\)", value)
