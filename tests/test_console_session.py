"""Console sessions: the signed cookie, its expiry and revocation, the sign-in limiter."""
from __future__ import annotations

from dataclasses import replace

from starlette.requests import Request

from interceptor.service.console import session
from interceptor.service.settings import Settings

SETTINGS = Settings(reviewer_token="rev", auditor_token="aud", admin_token="adm", secret="s3cret")


def request_with(cookie: str | None) -> Request:
    headers = [(b"cookie", f"{session.COOKIE}={cookie}".encode())] if cookie else []
    return Request({"type": "http", "method": "GET", "path": "/console/", "headers": headers, "query_string": b""})


def test_scope_of_each_token() -> None:
    assert [session.scope_of(SETTINGS, t) for t in ("rev", "aud", "adm", "", "nope", "rev ")] == [
        "reviewer", "auditor", "admin", None, None, None]
    same = replace(SETTINGS, reviewer_token="one", admin_token="one")
    assert session.scope_of(same, "one") == "admin"  # the broadest scope the token holds
    assert session.scope_of(Settings(service_token="svc", secret="x"), "svc") is None


def test_a_session_reads_back_until_it_expires() -> None:
    made, cookie = session.issue(SETTINGS, "auditor", "ann", now=1000.0)
    assert "aud" not in cookie
    got = session.read(SETTINGS, request_with(cookie), now=1000.0 + session.TTL_S - 1)
    assert got == made and got.allows("auditor") and not got.allows("reviewer")
    assert session.read(SETTINGS, request_with(cookie), now=1000.0 + session.TTL_S + 1) is None


def test_a_session_ends_with_its_token_or_the_secret() -> None:
    _, cookie = session.issue(SETTINGS, "reviewer", "rob")
    assert session.read(SETTINGS, request_with(cookie)) is not None
    assert session.read(replace(SETTINGS, reviewer_token="rotated"), request_with(cookie)) is None
    assert session.read(replace(SETTINGS, reviewer_token=""), request_with(cookie)) is None
    assert session.read(replace(SETTINGS, secret="other"), request_with(cookie)) is None


def test_tampered_cookies_are_no_session() -> None:
    _, cookie = session.issue(SETTINGS, "reviewer", "rob")
    body, mac = cookie.split(".")
    for bad in (body + "." + mac[:-2] + "AA", "x" + cookie, cookie + "x", "garbage", ".", ""):
        assert session.read(SETTINGS, request_with(bad)) is None, bad
    assert session.read(SETTINGS, request_with(None)) is None


def test_admin_holds_every_scope() -> None:
    admin, _ = session.issue(SETTINGS, "admin", "ada")
    assert all(admin.allows(s) for s in ("reviewer", "auditor", "admin"))


def test_limiter_per_client_and_overall() -> None:
    lim = session.SignInLimiter(per_client=3, overall=5, window_s=60)
    for i in range(3):
        assert lim.wait("a", now=i) == 0
        lim.failed("a", now=i)
    assert lim.wait("a", now=3) == 57  # until the first failure leaves the window
    assert lim.wait("b", now=3) == 0
    lim.failed("b", now=3)
    lim.failed("c", now=4)
    assert lim.wait("d", now=5) == 55  # five failures from anyone: everyone waits
    assert lim.wait("a", now=61) == 0 and lim.wait("d", now=65) == 0
    assert lim._by_client.keys() <= {"a", "b", "c"}
    lim.wait("z", now=1000)
    assert lim._by_client == {} and not lim._all  # nothing kept past the window
