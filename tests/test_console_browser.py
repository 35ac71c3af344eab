"""The console in a real browser: Debian's headless Chromium driven by Playwright (the
system browser; nothing is downloaded), against a real ``interceptor serve``.

One browser and one server for the module; each test has its own browser context
(cookies). Every page a test opens is watched: a dialog (``alert``), a page error, a
console error (a CSP violation included) or a request to another host fails the test.
Screenshots go to tests/artifacts/ (ignored by git).
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from interceptor.service.console.highlight import invisible
from tests.conftest import ROOT
from tests.console_pages import PAYLOADS
from tests.server import AUDITOR, REVIEWER, Server

pytestmark = pytest.mark.browser

SAMPLE = ROOT / "lexicons" / "sample"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
NUMBERED = 60  # plain mask items, after the payloads
INVISIBLE = invisible()
WATCH = """
window.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    d = tmp_path_factory.mktemp("console-browser")
    shutil.copytree(SAMPLE, d / "lexicon")
    with Server(d / "lexicon", f"sqlite:///{d / 'audit.db'}") as s:
        # ids are time-ordered to the millisecond: the payloads first, so that they are the oldest
        first: list[dict[str, Any]] = [{"text": p, "conversation_id": f"xss-{i}"} for i, p in enumerate(PAYLOADS)]
        r = httpx.post(f"{s.url}/v1/moderate/batch", json={"items": first}, timeout=60)
        assert r.status_code == 200, r.text
        __import__("time").sleep(0.01)
        items = [{"text": "加我薇❤聊", "conversation_id": "ad-1"}]
        items += [{"text": f"第{i}条：你真是个傻逼", "conversation_id": f"n-{i}"} for i in range(NUMBERED)]
        chat = [{"role": "user", "content": p} for p in PAYLOADS[:6]]
        items.append({"text": "哪里能买到枪只", "conversation_id": "chat-1", "messages": chat})
        r = httpx.post(f"{s.url}/v1/moderate/batch", json={"items": items}, timeout=60)
        assert r.status_code == 200 and [x["action"] for x in r.json()["results"]][-1] == "block", r.text
        items = first + items
        deadline = 50
        while len(pending(s)) < len(items) - 1 and deadline:  # masks are written in the background
            __import__("time").sleep(0.1)
            deadline -= 1
        yield s


def pending(server: Server) -> list[dict[str, Any]]:
    r = httpx.get(f"{server.url}/v1/reviews", headers=REVIEWER, params={"limit": 1000})
    return r.json()["items"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("Chromium is not installed (Debian package chromium; `make test` installs it) and CI=true")
        pytest.skip("Chromium is not installed (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


class Watched:
    """A page with everything that must not happen recorded."""

    def __init__(self, context: Any, host: str):
        self.page = context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.foreign: list[str] = []

        def dialog(d: Any) -> None:
            self.dialogs.append(f"{d.type}: {d.message}")
            d.dismiss()

        self.page.on("dialog", dialog)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("request", lambda r: self.foreign.append(r.url)
                     if urlsplit(r.url).hostname not in (host, None) and not r.url.startswith("data:") else None)

    def quiet(self) -> None:
        assert self.dialogs == [], self.dialogs
        assert self.errors == [], self.errors
        assert self.foreign == [], self.foreign
        assert self.page.evaluate("typeof window.__xss") == "undefined"

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"console-{name}.png"), full_page=False)


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    ctx.add_init_script(WATCH)
    yield ctx
    ctx.close()


def open_signed_in(context: Any, server: Server, token: str, name: str, path: str = "/console/") -> Watched:
    w = Watched(context, "127.0.0.1")
    w.page.goto(f"{server.url}{path}")
    assert "/console/login" in w.page.url  # signed out: the sign-in page first
    w.page.fill("#token", token)
    w.page.fill("#name", name)
    with w.page.expect_navigation():
        w.page.click("#signin button[type=submit]")
    assert "/console/login" not in w.page.url, w.page.content()[:3000]
    return w


def current_id(w: Watched) -> str:
    return w.page.get_attribute("li.item.current", "data-review")  # type: ignore[no-any-return]


def press_and_wait(w: Watched, key: str, review_id: str) -> None:
    """Decide the current item by key; it leaves the list (the script posts in the background)."""
    w.page.keyboard.press(key)
    w.page.wait_for_selector(f'li.item[data-review="{review_id}"]', state="detached")


def test_sign_in_and_decide_by_keyboard(context: Any, server: Server) -> None:
    w = open_signed_in(context, server, "rev-token", "keyboard-1")
    assert w.page.inner_text("h1") == "Review queue"
    first = current_id(w)
    w.page.keyboard.press("j")
    second = current_id(w)
    assert second != first and w.page.get_attribute("li.item.current", "id") == "item-1"
    w.page.keyboard.press("k")
    assert current_id(w) == first
    w.page.keyboard.press("j")
    w.page.keyboard.press("n")  # a note, then back to the list with Escape
    w.page.keyboard.type("seen by keyboard")
    w.page.keyboard.press("Escape")
    press_and_wait(w, "c", second)
    assert w.page.inner_text("#decided") == f"Item {second} decided."
    ids = w.page.eval_on_selector_all("li.item", "els => els.map(e => e.dataset.review)")
    assert second not in ids and first in ids  # it left the queue; the one before it stayed
    assert current_id(w) == ids[1]  # the reviewer stays where they were
    w.page.reload()
    assert second not in w.page.eval_on_selector_all("li.item", "els => els.map(e => e.dataset.review)")
    decided = httpx.get(f"{server.url}/v1/logs", headers=AUDITOR, params={"kind": "review"}).json()["items"]
    assert [(d["review_id"], d["decision"], d["reviewer"], d["note"]) for d in decided] == [
        (second, "confirm", "keyboard-1", "seen by keyboard")]
    w.shot("queue")
    w.quiet()


def test_a_conflict_is_shown_not_decided_twice(context: Any, server: Server) -> None:
    w = open_signed_in(context, server, "rev-token", "keyboard-2")
    target = current_id(w)
    r = httpx.post(f"{server.url}/v1/reviews/{target}", headers=REVIEWER,
                   json={"decision": "dismiss", "reviewer": "someone-else"})
    assert r.status_code == 200  # decided elsewhere while this page was open
    press_and_wait(w, "c", target)
    assert "already decided elsewhere (dismissed)" in w.page.inner_text("#conflict")
    decisions = httpx.get(f"{server.url}/v1/logs", headers=AUDITOR, params={"kind": "review"}).json()["items"]
    assert [d["decision"] for d in decisions if d["review_id"] == target] == ["dismiss"]
    w.quiet()


def test_payloads_are_inert_and_the_layout_holds(context: Any, server: Server) -> None:
    w = open_signed_in(context, server, "adm-token", "admin", "/console/queue")
    shown = w.page.eval_on_selector_all(
        "li.item", "els => els.map(e => [e.dataset.review, e.querySelector('.text.user').textContent])")
    written = {p["id"]: p["text"] for p in pending(server)}
    payloads = [text for rid, text in shown if written[rid] in PAYLOADS]
    assert len(payloads) >= len(PAYLOADS) - 2  # the two decided by the tests before aside
    for rid, text in shown:  # what the page shows is the text as written, tags and all
        if not INVISIBLE.search(written[rid]):
            assert text == written[rid]
    assert w.page.eval_on_selector_all("main img, main svg, main iframe, main script, main style", "e => e.length") == 0
    width = w.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width  # the 100,000-character word wraps inside its box
    assert w.page.locator(".ctl", has_text="U+202E").count() >= 1  # the override shown, not obeyed
    header = w.page.locator("header.top").bounding_box()
    assert header is not None and header["x"] == 0 and header["width"] >= 1200  # the page did not flip
    w.shot("queue-payloads")
    for path in ("/console/logs?kind=all", "/console/logs?category=profanity"):
        w.page.goto(f"{server.url}{path}")
        width = w.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], (path, width)
    w.shot("logs-payloads")
    w.page.goto(f"{server.url}/console/lexicon")
    w.page.fill("#playground-text", PAYLOADS[0] + PAYLOADS[2] + PAYLOADS[6])
    with w.page.expect_navigation():
        w.page.click("#playground button[type=submit]")
    assert "<img src=x onerror=" in w.page.inner_text("#verdict-text")
    w.page.goto(f"{server.url}/console/holds")
    w.page.fill("#new-hold input[name=conversation_id]", PAYLOADS[3][:200])
    w.page.fill("#new-hold input[name=reason]", PAYLOADS[0])
    with w.page.expect_navigation():
        w.page.click("#new-hold button[type=submit]")
    assert "<svg onload=" in w.page.inner_text("#holds")
    w.page.goto(f"{server.url}/console/overview")
    hour = w.page.inner_text("#window-hour")
    assert "Last hour" in hour and "profanity" in hour and "傻逼" in hour
    w.shot("overview")
    w.quiet()


def test_open_a_record_with_the_complete_chat(context: Any, server: Server) -> None:
    w = open_signed_in(context, server, "aud-token", "auditor", "/console/logs?action=block")
    assert w.page.inner_text("h1") == "Audit log"
    with w.page.expect_navigation():
        w.page.click("#records a.record-link")
    turns = w.page.locator("#chat li.turn")
    assert turns.count() == 7  # six earlier messages and the blocked text
    assert "<script>window.__xss=2;alert(2)</script>" in turns.nth(1).inner_text()
    assert w.page.locator("#record-text mark.hit").inner_text() == "枪只"
    assert "homophone" in w.page.inner_text("table.hits")
    w.shot("record")
    w.page.goto(f"{server.url}/console/logs")
    with w.page.expect_navigation():
        w.page.click("#verify button")
    assert "The chain is intact" in w.page.inner_text("#verify-result")
    w.quiet()


def test_playground_shows_the_verdict_and_variant(context: Any, server: Server) -> None:
    w = open_signed_in(context, server, "adm-token", "ops", "/console/lexicon")
    w.page.fill("#playground-text", "加我薇❤聊")
    with w.page.expect_navigation():
        w.page.click("#playground button[type=submit]")
    assert w.page.inner_text("#verdict-action") == "mask"
    assert w.page.inner_text("#verdict-text mark.hit") == "薇❤"
    row = w.page.inner_text("#verdict table.hits tbody tr")
    assert "微信" in row and "contact-ads" in row and "homophone" in row and "read by sound" in row
    w.shot("playground")
    w.quiet()


def test_language_switch(context: Any, server: Server) -> None:
    w = open_signed_in(context, server, "rev-token", "lang")
    with w.page.expect_navigation():
        w.page.click("header .langs a[hreflang=zh]")
    assert w.page.inner_text("h1") == "审核队列"
    w.page.goto(f"{server.url}/console/queue")
    assert w.page.inner_text("h1") == "审核队列"  # the choice is kept
    w.shot("queue-zh")
    w.quiet()


def test_docs_render_offline(context: Any, server: Server) -> None:
    w = Watched(context, "127.0.0.1")
    w.page.goto(f"{server.url}/docs")
    w.page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
    assert "Interceptor" in w.page.inner_text(".swagger-ui .info .title")
    assert w.page.locator(".opblock-summary-path", has_text="/v1/moderate").count() >= 1
    w.shot("docs")
    w.quiet()


def test_a_reviewer_decides_fifty_items_by_keyboard_alone(context: Any, server: Server) -> None:
    before = {p["id"] for p in pending(server)}
    assert len(before) >= 50
    w = open_signed_in(context, server, "rev-token", "fifty")
    seen = []
    for i in range(50):
        rid = current_id(w)
        assert rid in before and rid not in seen
        if w.page.locator("li.item").count() == 1:  # the last of its page: the next page loads
            with w.page.expect_navigation():
                w.page.keyboard.press("c" if i % 2 else "d")
        else:
            press_and_wait(w, "c" if i % 2 else "d", rid)
        assert rid not in w.page.eval_on_selector_all("li.item", "els => els.map(e => e.dataset.review)")
        seen.append(rid)
    after = {p["id"] for p in pending(server)}
    assert before - after == set(seen)
    decisions = httpx.get(f"{server.url}/v1/logs", headers=AUDITOR, params={"kind": "review", "limit": 1000}).json()
    mine = [d for d in decisions["items"] if d["reviewer"] == "fifty"]
    assert len(mine) == 50 and {d["decision"] for d in mine} == {"confirm", "dismiss"}
    w.shot("queue-after-fifty")
    w.quiet()
