"""Remote images over real sockets: only listed hosts, never a private or loopback address."""
from __future__ import annotations

import asyncio
import ipaddress
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from interceptor.images.errors import ImageTooLarge, RemoteRefused
from interceptor.images.remote import fetch, is_public

BODY = b"\x89PNG fake image bytes " * 10


class _Server:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        seen = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.append((self.path, self.headers.get("Host", "")))
                path = self.path.split("?")[0]
                if path == "/img.png":
                    self._send(200, BODY)
                elif path == "/big.png":
                    self._send(200, b"x" * 10_000)
                elif path == "/chunked.png":
                    self.send_response(200)
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for _ in range(20):
                        self.wfile.write(b"3e8\r\n" + b"y" * 1000 + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                elif path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", "/img.png")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    self._send(404, b"no")

            def _send(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def server() -> Iterator[_Server]:
    s = _Server()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


def _get(url: str, hosts: tuple[str, ...], **kw: object) -> bytes:
    return asyncio.run(fetch(url, hosts, 5000, 5.0, **kw))  # type: ignore[arg-type]


def test_unlisted_hosts_are_not_contacted(server: _Server) -> None:
    with pytest.raises(RemoteRefused, match="not fetched"):
        _get(f"http://127.0.0.1:{server.port}/img.png", ())
    with pytest.raises(RemoteRefused):
        _get(f"http://localhost:{server.port}/img.png", ("example.com",))
    assert server.requests == []


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_a_listed_host_on_a_loopback_address_is_refused(server: _Server, host: str) -> None:
    with pytest.raises(RemoteRefused, match="not public"):
        _get(f"http://{host}:{server.port}/img.png", (host,))
    assert server.requests == []  # refused after resolving, before connecting


def _loopback(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.is_loopback


def test_a_permitted_address_is_fetched_with_the_name_kept(server: _Server) -> None:
    got = _get(f"http://localhost:{server.port}/img.png?x=1", ("localhost",), permit=_loopback)
    assert got == BODY
    assert server.requests == [("/img.png?x=1", f"localhost:{server.port}")]


def test_size_redirects_and_errors(server: _Server) -> None:
    base = f"http://localhost:{server.port}"
    with pytest.raises(ImageTooLarge):
        _get(f"{base}/big.png", ("localhost",), permit=_loopback)  # declared length over the limit
    with pytest.raises(ImageTooLarge):
        _get(f"{base}/chunked.png", ("localhost",), permit=_loopback)  # no length: counted while read
    with pytest.raises(RemoteRefused, match="302"):
        _get(f"{base}/redirect", ("localhost",), permit=_loopback)
    with pytest.raises(RemoteRefused, match="404"):
        _get(f"{base}/missing", ("localhost",), permit=_loopback)
    assert [p for p, _ in server.requests] == ["/big.png", "/chunked.png", "/redirect", "/missing"]


@pytest.mark.parametrize("url", ["ftp://localhost/a.png", "file:///etc/passwd", "http://user:pw@localhost/a.png",
                                 "http:///a.png", "http://localhost:99999/a.png"])
def test_other_urls_are_refused(url: str) -> None:
    with pytest.raises(RemoteRefused):
        _get(url, ("localhost",))


def test_an_unresolvable_host_is_refused() -> None:
    with pytest.raises(RemoteRefused, match="resolve"):
        _get("http://no-such-host.invalid/a.png", ("no-such-host.invalid",))


@pytest.mark.parametrize(("address", "public"), [
    ("8.8.8.8", True), ("2001:4860:4860::8888", True), ("1.1.1.1", True),
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),
    ("240.0.0.1", False), ("255.255.255.255", False), ("198.18.0.1", False),
    ("::1", False), ("::", False), ("fe80::1", False), ("fc00::1", False), ("ff02::1", False),
    ("::ffff:127.0.0.1", False), ("::ffff:10.0.0.1", False), ("::ffff:8.8.8.8", True),
    ("64:ff9b::7f00:1", False), ("2002:7f00:1::", False), ("2002:0808:0808::", True),
])
def test_public_addresses(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public
