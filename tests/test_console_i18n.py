"""The console's two languages."""
from __future__ import annotations

import re
from pathlib import Path

from starlette.requests import Request

from interceptor.service.console import i18n

TEMPLATES = Path(i18n.__file__).parent / "templates"


def request(accept: str = "", query: bytes = b"", cookie: str = "") -> Request:
    headers = [(b"accept-language", accept.encode())]
    if cookie:
        headers.append((b"cookie", f"{i18n.COOKIE}={cookie}".encode()))
    return Request({"type": "http", "method": "GET", "path": "/console/", "headers": headers, "query_string": query})


def test_both_catalogs_have_the_same_keys_and_placeholders() -> None:
    assert i18n.EN.keys() == i18n.ZH.keys()
    for key in i18n.EN:
        assert set(re.findall(r"{(\w+)}", i18n.EN[key])) == set(re.findall(r"{(\w+)}", i18n.ZH[key])), key


def test_every_key_the_templates_name_exists() -> None:
    named = {k for f in TEMPLATES.glob("*.html") for k in re.findall(r"\bt\('([a-z_]+)'\s*[,)]", f.read_text())}
    assert named and named <= i18n.EN.keys(), named - i18n.EN.keys()


def test_negotiation() -> None:
    assert i18n.negotiate(request("zh-CN,zh;q=0.9,en;q=0.8")) == "zh"
    assert i18n.negotiate(request("en-GB,zh;q=0.5")) == "en"
    assert i18n.negotiate(request("fr-FR, zh-TW;q=0.4, en;q=0.3")) == "zh"
    assert i18n.negotiate(request("zh;q=0, en")) == "en"
    assert i18n.negotiate(request("de")) == "en" and i18n.negotiate(request("")) == "en"
    assert i18n.negotiate(request("en", cookie="zh")) == "zh"
    assert i18n.negotiate(request("en", query=b"lang=zh", cookie="en")) == "zh"
    assert i18n.negotiate(request("zh", query=b"lang=xx")) == "zh"
