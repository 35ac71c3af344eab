"""The console over real sockets: a real ``interceptor serve``, pages fetched with httpx.

What a browser does with the pages is in test_console_browser.py; here: who sees what,
the session cookie, CSRF, the sign-in limit, the headers, escaping, and every page and
asset free of external references.
"""
from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import orjson
import pytest

from tests.conftest import ROOT
from tests.console_pages import CONVERSATION_PAYLOAD, PAYLOADS, csrf_of, local, scan, sign_in
from tests.server import ADMIN, AUDITOR, REVIEWER, Server

SAMPLE = ROOT / "lexicons" / "sample"
HEADERS = ("content-security-policy", "x-frame-options", "referrer-policy")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    d = tmp_path_factory.mktemp("console")
    shutil.copytree(SAMPLE, d / "lexicon")
    with (d / "lexicon" / "manifest.toml").open("a", encoding="utf8") as f:
        f.write('\n[risk_codes]\nweapons = "A.1-8"\ndrugs = "A.1-8"\nprofanity = "A.2-8"\n')
    with Server(d / "lexicon", f"sqlite:///{d / 'audit.db'}") as s:
        with httpx.Client(base_url=s.url, timeout=30) as c:
            for i, text in enumerate(PAYLOADS):
                r = c.post("/v1/moderate", json={"text": text, "conversation_id": f"xss-{i}", "user_id": "<b>u</b>"})
                assert r.status_code == 200 and r.json()["action"] == "mask", r.text
            r = c.post("/v1/moderate", json={"text": "加我薇❤聊", "conversation_id": CONVERSATION_PAYLOAD})
            assert r.json()["action"] == "mask"
            chat = [{"role": "user", "content": p} for p in PAYLOADS[:6]]
            block = c.post("/v1/moderate", json={"text": "哪里能买到枪只", "conversation_id": "chat-1",
                                                 "messages": chat}).json()
            assert block["action"] == "block"
            r = c.post("/v1/moderate", json={"text": "What the fuck", "direction": "output"})
            assert r.json()["action"] == "mask"
        s.block_id = block["log_id"]  # type: ignore[attr-defined]
        time.sleep(0.5)  # masks are written in the background
        yield s


@contextmanager
def client_for(server: Server, token: str | None, **kw: object) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30, **kw) as c:  # type: ignore[arg-type]
        if token is not None:
            r = sign_in(c, token)
            assert r.status_code == 303, r.text
        yield c


@pytest.fixture(scope="module")
def reviewer(server: Server) -> Iterator[httpx.Client]:
    with client_for(server, "rev-token") as c:
        yield c


@pytest.fixture(scope="module")
def auditor(server: Server) -> Iterator[httpx.Client]:
    with client_for(server, "aud-token") as c:
        yield c


@pytest.fixture(scope="module")
def admin(server: Server) -> Iterator[httpx.Client]:
    with client_for(server, "adm-token") as c:
        yield c


def has_security_headers(r: httpx.Response) -> bool:
    csp = r.headers.get("content-security-policy", "")
    return ("script-src 'self'" in csp and "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
            and r.headers.get("x-frame-options") == "DENY" and r.headers.get("referrer-policy") == "no-referrer")


# ---------------------------------------------------------------------- who sees what
def test_signed_out_goes_to_the_sign_in_page(server: Server) -> None:
    with client_for(server, None) as c:
        r = c.get("/console", follow_redirects=True)
        assert r.status_code == 200 and 'id="signin"' in r.text and str(r.url).startswith(f"{server.url}/console/login")
        r = c.get("/console/logs?action=block")
        assert r.status_code == 303
        assert r.headers["location"] == "/console/login?next=%2Fconsole%2Flogs%3Faction%3Dblock"
        assert c.post("/console/queue/x", data={"decision": "confirm"}).headers["location"].startswith("/console/login")


def test_reviewer_lands_on_the_queue_and_sees_nothing_else(reviewer: httpx.Client) -> None:
    r = reviewer.get("/console/")
    assert r.status_code == 200 and 'id="queue"' in r.text and "<h1>Review queue</h1>" in r.text
    assert 'href="/console/logs"' not in r.text and 'href="/console/lexicon"' not in r.text
    for path in ("/console/logs", "/console/lexicon", "/console/overview", "/console/holds"):
        assert reviewer.get(path).status_code == 403, path


def test_auditor_lands_on_the_logs(auditor: httpx.Client) -> None:
    r = auditor.get("/console/")
    assert r.status_code == 200 and 'id="records"' in r.text and "<h1>Audit log</h1>" in r.text
    assert auditor.get("/console/queue").status_code == 403
    assert auditor.get("/console/holds").status_code == 403
    assert auditor.post("/console/lexicon/reload", data={"csrf": csrf_of(r.text)}).status_code == 403


def test_admin_sees_every_page(admin: httpx.Client) -> None:
    assert "<h1>Overview</h1>" in admin.get("/console/").text
    for path in ("/console/queue", "/console/logs", "/console/holds", "/console/lexicon", "/console/overview"):
        assert admin.get(path).status_code == 200, path


def test_the_service_token_is_no_console_token(server: Server) -> None:
    with client_for(server, None, headers={"x-forwarded-for": "198.51.100.1"}) as c:
        assert sign_in(c, "").status_code == 401


# ---------------------------------------------------------------------- the session
def test_session_cookie_attributes(server: Server) -> None:
    with client_for(server, None) as c:
        r = sign_in(c, "rev-token")
        cookie = next(v for v in r.headers.get_list("set-cookie") if v.startswith("interceptor_console="))
        attrs = [a.strip().lower() for a in cookie.split(";")]
        assert "httponly" in attrs and "samesite=strict" in attrs and "path=/console" in attrs
        assert "max-age=28800" in attrs and "secure" not in attrs  # plain HTTP here
        assert "rev-token" not in cookie


def test_cookie_is_secure_behind_a_tls_proxy(server: Server) -> None:
    """uvicorn trusts X-Forwarded-Proto from 127.0.0.1, as from a sidecar's own proxy."""
    with client_for(server, None, headers={"x-forwarded-proto": "https"}) as c:
        page = c.get("/console/login")
        assert "; secure" in page.headers["set-cookie"].lower()
        # the browser would speak https to the proxy; httpx, speaking http here, keeps Secure cookies back
        c.cookies.set("interceptor_console_signin", page.cookies["interceptor_console_signin"], path="/console")
        r = c.post("/console/login", data={"csrf": csrf_of(page.text), "token": "rev-token"})
        assert r.status_code == 303
        cookies = r.headers.get_list("set-cookie")
        assert any(v.startswith("interceptor_console=") and "; secure" in v.lower() for v in cookies), cookies


def test_forged_or_altered_session_is_signed_out(server: Server, reviewer: httpx.Client) -> None:
    value = reviewer.cookies["interceptor_console"]
    body, mac = value.split(".")
    payload = orjson.loads(__import__("base64").urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["s"] = "admin"
    forged = __import__("base64").urlsafe_b64encode(orjson.dumps(payload)).rstrip(b"=").decode() + "." + mac
    with client_for(server, None) as c:
        c.cookies.set("interceptor_console", forged, path="/console")
        assert c.get("/console/overview").status_code == 303


def test_sign_out_ends_the_session(server: Server) -> None:
    with client_for(server, "aud-token") as c:
        page = c.get("/console/logs")
        assert c.post("/console/logout", data={"csrf": "wrong"}).status_code == 303
        assert c.get("/console/logs").status_code == 200  # a forged sign-out does nothing
        r = c.post("/console/logout", data={"csrf": csrf_of(page.text)})
        assert r.status_code == 303 and r.headers["location"] == "/console/login"
        assert c.get("/console/logs").status_code == 303


def test_failed_sign_ins_are_limited_and_logged_without_the_token(server: Server) -> None:
    secret = "not-a-token-7f3a9c"
    with client_for(server, None, headers={"x-forwarded-for": "203.0.113.9"}) as c:
        codes = [sign_in(c, secret).status_code for _ in range(6)]
        assert codes == [401] * 5 + [429], codes
        r = sign_in(c, "rev-token")  # even the right token waits out the window
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    with client_for(server, None, headers={"x-forwarded-for": "203.0.113.10"}) as other:
        assert sign_in(other, "rev-token").status_code == 303  # another address is not held up
    assert server.log is not None
    log = server.log.read_text()
    assert "console sign-in from 203.0.113.9 failed" in log and secret not in log and "rev-token" not in log


def test_sign_in_needs_its_form_nonce(server: Server) -> None:
    with client_for(server, None) as c:
        r = c.post("/console/login", data={"token": "adm-token"})
        assert r.status_code == 403 and "interceptor_console=" not in r.headers.get("set-cookie", "")


def test_next_never_leaves_the_console(server: Server) -> None:
    with client_for(server, None) as c:
        for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "/v1/logs"):
            r = sign_in(c, "rev-token", next_=target)
            assert r.headers["location"] == "/console/", target
            c.cookies.clear()


# ---------------------------------------------------------------------- CSRF and decisions
def _pending(server: Server) -> list[dict]:  # type: ignore[type-arg]
    return httpx.get(f"{server.url}/v1/reviews", headers=REVIEWER, params={"limit": 1000}).json()["items"]  # type: ignore[no-any-return]


def test_decisions_need_the_csrf_nonce(server: Server, reviewer: httpx.Client) -> None:
    item = _pending(server)[0]
    r = reviewer.post(f"/console/queue/{item['id']}", data={"decision": "confirm"})
    assert r.status_code == 403 and "form expired" in r.text
    assert any(p["id"] == item["id"] for p in _pending(server))


def test_decide_in_the_console_then_conflict(server: Server, reviewer: httpx.Client) -> None:
    page = reviewer.get("/console/queue")
    first = re.search(r'data-review="([0-9a-f]+)"', page.text)
    assert first is not None
    rid, token = first.group(1), csrf_of(page.text)
    r = reviewer.post(f"/console/queue/{rid}", data={"csrf": token, "decision": "dismiss", "note": "fine", "at": "0"})
    assert r.status_code == 303 and r.headers["location"] == f"/console/queue?at=0&decided={rid}"
    assert rid not in reviewer.get("/console/queue").text.split('id="queue"')[1].split("</ol>")[0]
    decisions = httpx.get(f"{server.url}/v1/logs", headers=AUDITOR, params={"kind": "review"}).json()["items"]
    assert any(d["review_id"] == rid and d["decision"] == "dismiss" and d["reviewer"] == "tester"
               and d["note"] == "fine" for d in decisions)
    r = reviewer.post(f"/console/queue/{rid}", data={"csrf": token, "decision": "confirm"})  # decided meanwhile
    assert "conflict=" in r.headers["location"] and "was=dismiss" in r.headers["location"]
    shown = reviewer.get(r.headers["location"]).text
    assert 'id="conflict"' in shown and "already decided elsewhere (dismissed)" in shown
    assert sum(d["review_id"] == rid for d in httpx.get(f"{server.url}/v1/logs", headers=AUDITOR,
                                                          params={"kind": "review"}).json()["items"]) == 1


def test_queue_shows_hits_masked_text_context_and_counts(reviewer: httpx.Client) -> None:
    html = reviewer.get("/console/queue").text
    assert '<mark class="hit tier-mask" data-hits="1">薇❤</mark>' in html  # the sound match, marked
    assert "read by sound (homophone)" in html and "微信" in html and "contact-ads" in html
    assert "加我**聊" in html  # the masked text
    assert "By category" in html and "under an hour" in html
    assert re.search(r'<span id="pending-count">\d+</span>', html)


# ---------------------------------------------------------------------- escaping, headers, no external URL
def _assert_inert(html: str) -> None:
    s = scan(html)
    assert not {"img", "svg", "iframe", "style", "object", "embed", "b"} & set(s.tags), set(s.tags)
    assert s.handlers == [] and s.inline_scripts == 0
    assert not [r for r in s.references if r.attr == "style"]
    for ref in s.references:
        assert local(ref.value), ref
        assert not ref.value.lower().lstrip().startswith("javascript:"), ref


def test_payloads_are_escaped_on_every_page_that_shows_them(server: Server, admin: httpx.Client) -> None:
    pages = {"queue": admin.get("/console/queue").text, "logs": admin.get("/console/logs?kind=all").text}
    pages["record"] = admin.get(f"/console/logs/{server.block_id}").text  # type: ignore[attr-defined]
    for name, html in pages.items():
        _assert_inert(html)
        assert "&lt;img src=x onerror=" in html, name
    assert "&lt;script&gt;window.__xss=2;alert(2)&lt;/script&gt;" in pages["record"]  # in the complete chat
    assert '<span class="ctl">U+202E</span>' in pages["queue"]  # the override shown, not obeyed
    assert "{{ 7*7 }}" in pages["queue"] and ">49<" not in pages["queue"]  # no template injection
    assert "x" * 99_998 in pages["queue"]  # the long text whole, in its scrolling box


def test_every_console_page_and_asset_is_local_and_carries_the_headers(server: Server, admin: httpx.Client) -> None:
    page = admin.get("/console/lexicon")
    token = csrf_of(page.text)
    responses = [
        httpx.get(f"{server.url}/console"), httpx.get(f"{server.url}/console/"),
        httpx.get(f"{server.url}/console/login"), httpx.get(f"{server.url}/console/nowhere"),
        admin.get("/console/"), admin.get("/console/queue"), admin.get("/console/logs"),
        admin.get("/console/logs?kind=all&category=profanity"), admin.get("/console/logs?since=yesterday"),
        admin.get(f"/console/logs/{server.block_id}"), admin.get("/console/logs/nothing-here"),  # type: ignore[attr-defined]
        admin.get("/console/holds"), page, admin.get("/console/overview"), admin.get("/console/logs/export"),
        admin.post("/console/logs/verify", data={"csrf": token}),
        admin.post("/console/lexicon/try", data={"csrf": token, "text": PAYLOADS[0], "direction": "output"}),
        admin.post("/console/lexicon/try", data={"csrf": "nope", "text": "x"}),
        admin.get("/console/logs/export?direction=sideways"),
    ]
    assets = {m for r in responses for m in re.findall(r'(?:src|href)="(/console/static/[^"]+)"', r.text)}
    assert assets >= {"/console/static/console.css", "/console/static/console.js", "/console/static/favicon.svg"}
    responses += [admin.get(a) for a in sorted(assets)] + [admin.get("/console/static/../templates/base.html")]
    for r in responses:
        assert has_security_headers(r), (r.url, r.status_code, dict(r.headers))
        if r.headers.get("content-type", "").startswith("text/html"):
            _assert_inert(r.text)
    for a in assets:
        text = admin.get(a).text.replace('xmlns="http://www.w3.org/2000/svg"', "")  # a namespace name, not a fetch
        assert not re.search(r"https?:|//[a-z0-9.-]+\.[a-z]{2,}|@import|url\(", text, re.I), a
    codes = [r.status_code for r in responses]
    assert codes[3] == 404 and codes[8] == 400 and codes[10] == 404 and codes[-1] == 404


def test_docs_work_offline(server: Server) -> None:
    r = httpx.get(f"{server.url}/docs")
    assert r.status_code == 200 and "script-src 'self'" in r.headers["content-security-policy"]
    s = scan(r.text)
    assert s.inline_scripts == 0 and s.handlers == [] and all(local(ref.value) for ref in s.references)
    srcs = [ref.value for ref in s.references if ref.attr in ("src", "href")]
    for src in srcs:
        assert httpx.get(f"{server.url}{src}").status_code == 200, src
    assert httpx.get(f"{server.url}/docs/assets/index.html").status_code == 404  # only the files the page uses
    assert httpx.get(f"{server.url}/redoc").status_code == 404


# ---------------------------------------------------------------------- logs, holds, lexicon, overview
def test_log_filters_and_export(auditor: httpx.Client) -> None:
    html = auditor.get("/console/logs?category=profanity").text
    rows = html.split('id="records"')[1].split("</table>")[0]
    assert rows.count('class="record-link"') == len(PAYLOADS) + 1 and "weapons" not in rows
    out = auditor.get("/console/logs?direction=output").text.split('id="records"')[1].split("</table>")[0]
    assert out.count('class="record-link"') == 1 and "fuck" in out
    blocks = auditor.get("/console/logs?action=block").text
    assert blocks.count('class="record-link"') == 1
    assert auditor.get("/console/logs?since=2999-01-01T00:00Z").text.count('id="no-records"') == 1
    r = auditor.get("/console/logs?action=&since=&category=profanity")  # an empty form field is no filter
    assert r.status_code == 303 and r.headers["location"] == "/console/logs?category=profanity"
    r = auditor.get("/console/logs/export?category=profanity&direction=input")
    lines = [orjson.loads(x) for x in r.text.splitlines()]
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    assert "attachment" in r.headers["content-disposition"]
    assert len(lines) == len(PAYLOADS) and all(any(h["category"] == "profanity" for h in x["hits"]) for x in lines)


def test_record_shows_the_complete_chat(server: Server, auditor: httpx.Client) -> None:
    html = auditor.get(f"/console/logs/{server.block_id}").text  # type: ignore[attr-defined]
    assert 'id="chat"' in html and html.count('class="turn"') == 6 and "枪只" in html and "枪支" in html
    assert 'id="hold-form"' not in html  # holds are the admin's


def test_verify_reports_an_intact_chain(admin: httpx.Client) -> None:
    token = csrf_of(admin.get("/console/logs").text)
    html = admin.post("/console/logs/verify", data={"csrf": token}).text
    assert 'id="verify-result"' in html and "The chain is intact" in html


def test_holds_place_and_release(admin: httpx.Client) -> None:
    token = csrf_of(admin.get("/console/holds").text)
    r = admin.post("/console/holds", data={"csrf": token, "action": "set", "conversation_id": "chat-1",
                                           "reason": "<i>court</i>"})
    assert r.status_code == 303
    holds = httpx.get(f"{admin.base_url}/v1/admin/holds", headers=ADMIN).json()["items"]
    assert [h["conversation_id"] for h in holds] == ["chat-1"] and holds[0]["by"] == "tester"
    assert "&lt;i&gt;court&lt;/i&gt;" in admin.get("/console/holds").text
    r = admin.post("/console/holds", data={"csrf": token, "action": "release", "conversation_id": "chat-1"})
    assert r.status_code == 303 and httpx.get(f"{admin.base_url}/v1/admin/holds", headers=ADMIN).json()["items"] == []
    assert admin.post("/console/holds", data={"csrf": token, "action": "release",
                                              "conversation_id": "chat-1"}).status_code == 404


def test_lexicon_page_reload_and_errors(server: Server, admin: httpx.Client) -> None:
    html = admin.get("/console/lexicon").text
    assert "By tier" in html and "By category" in html and "By language" in html and "contact-ads" in html
    risks = html.split('id="risk-codes"')[1].split("</table>")[0]  # the lexicon report's coverage
    assert "A.1-8" in risks and "other content prohibited by law" in risks and "no risk code" in risks
    token = csrf_of(html)
    tsv = Path(server.lexicon) / "zh.tsv"
    good = tsv.read_text(encoding="utf8")
    try:
        tsv.write_text(good + "坏词\tbad\tnot-a-tier\tdefault\tzh\t\n", encoding="utf8")
        r = admin.post("/console/lexicon/reload", data={"csrf": token})
        assert r.status_code == 422 and 'id="reload-result"' in r.text and "rejected" in r.text
        assert re.search(r"zh\.tsv:\d+", r.text), r.text[-3000:]
    finally:
        tsv.write_text(good, encoding="utf8")
    r = admin.post("/console/lexicon/reload", data={"csrf": token})
    assert r.status_code == 200 and "Reloaded" in r.text


def test_playground_shows_the_verdict_and_logs_nothing(server: Server, admin: httpx.Client) -> None:
    def logged() -> int:
        return len(httpx.get(f"{server.url}/v1/logs", headers=AUDITOR, params={"kind": "all", "limit": 1000})
                   .json()["items"])

    before = logged()
    token = csrf_of(admin.get("/console/lexicon").text)
    html = admin.post("/console/lexicon/try", data={"csrf": token, "text": "加我薇❤聊", "direction": "input"}).text
    assert 'id="verdict-action">mask<' in html and "homophone" in html and "加我**聊" in html
    assert '"variant":"homophone"' in html.replace("&#34;", '"')  # the scan line
    too_long = admin.post("/console/lexicon/try", data={"csrf": token, "text": "x" * 100_001})
    assert too_long.status_code == 413
    time.sleep(0.3)
    assert logged() == before


def test_overview_counts_from_metrics_and_log(admin: httpx.Client) -> None:
    html = admin.get("/console/overview").text
    hour = html.split('id="window-hour"')[1].split("</section>")[0]
    n = int(re.search(r'<span class="requests">(\d+)</span>', hour).group(1))  # type: ignore[union-attr]
    assert n >= len(PAYLOADS) + 3 and "profanity" in hour and "傻逼" in hour and "p99" in hour
    assert 'id="audit-queue">0<' in html


# ---------------------------------------------------------------------- languages
def test_language_from_accept_language_and_the_switch(server: Server) -> None:
    with client_for(server, "rev-token", headers={"accept-language": "zh-CN,zh;q=0.9,en;q=0.5"}) as c:
        assert "<h1>审核队列</h1>" in c.get("/console/queue").text
        r = c.get("/console/queue?lang=en")
        assert "<h1>Review queue</h1>" in r.text and "interceptor_console_lang=en" in r.headers["set-cookie"]
        assert "<h1>Review queue</h1>" in c.get("/console/queue").text  # the cookie holds the choice
    with client_for(server, None, headers={"accept-language": "fr, en;q=0.1"}) as c:
        assert "Sign in" in c.get("/console/login").text
