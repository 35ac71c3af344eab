"""Remote images: fetched only from listed hosts, and never from a private address.

A URL in a request is an instruction to make the service connect somewhere: left open it
reaches the metadata endpoint, the database port or any host inside the network (SSRF).
So nothing is fetched unless the host is listed by the operator; the name is then resolved
once, every address it resolves to must be public (not private, loopback, link-local,
shared, multicast, reserved or unspecified, an IPv4 address mapped into IPv6 included), and
the connection goes to that checked address — with the name kept for ``Host`` and TLS — so
a second resolution (DNS rebinding) cannot swap it. Redirects are not followed, proxies from
the environment are not used, and the body is read up to the size limit and no further.
"""
from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

import httpx

from interceptor.images.errors import ImageTooLarge, RemoteRefused

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_public(ip: IpAddress) -> bool:
    """True for an address on the public Internet only."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is None and ip in _NAT64:
            inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if inner is not None:  # an IPv4 address carried in IPv6 is judged as that address
            return is_public(inner)
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local or ip.is_loopback
                                 or ip.is_private or ip.is_unspecified)


async def resolve(host: str, port: int) -> list[IpAddress]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos))


def _host_port(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise RemoteRefused(f"only http(s) image URLs may be fetched, not {scheme or 'a relative URL'}")
    if parts.username or parts.password:
        raise RemoteRefused("image URLs with credentials are not fetched")
    try:
        host = (parts.hostname or "").rstrip(".").lower()
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise RemoteRefused("malformed image URL") from None
    if not host:
        raise RemoteRefused("an image URL needs a host")
    return scheme, host, port


async def fetch(url: str, allowed_hosts: tuple[str, ...], max_bytes: int, timeout_s: float,
                permit: Callable[[IpAddress], bool] = is_public) -> bytes:
    """The body of ``url``, if its host is listed and resolves only to permitted addresses."""
    scheme, host, port = _host_port(url)
    if host not in {h.rstrip(".").lower() for h in allowed_hosts}:
        raise RemoteRefused(f"remote images are not fetched from {host} (not in [images] allowed_hosts)")
    try:
        addresses = await asyncio.wait_for(resolve(host, port), timeout_s)
    except (OSError, TimeoutError, UnicodeError) as e:
        raise RemoteRefused(f"{host} does not resolve: {e}") from None
    refused = [str(a) for a in addresses if not permit(a)]
    if not addresses or refused:
        raise RemoteRefused(f"{host} resolves to an address that is not public ({', '.join(refused) or 'none'})")
    try:
        return await asyncio.wait_for(_get(url, scheme, host, port, addresses[0], max_bytes, timeout_s), timeout_s)
    except TimeoutError:
        raise RemoteRefused(f"fetching the image from {host} took over {timeout_s} s") from None


async def _get(url: str, scheme: str, host: str, port: int, ip: IpAddress, max_bytes: int, timeout_s: float) -> bytes:
    """GET from the checked address, the name kept for ``Host`` and TLS."""
    literal = f"[{ip}]" if ip.version == 6 else str(ip)
    parts = urlsplit(url)
    pinned = urlunsplit((scheme, f"{literal}:{port}", parts.path or "/", parts.query, ""))
    default_port = port == (443 if scheme == "https" else 80)
    headers = {"Host": host if default_port else f"{host}:{port}", "Accept": "image/*"}
    try:
        async with httpx.AsyncClient(trust_env=False, follow_redirects=False, timeout=timeout_s) as client, \
                client.stream("GET", pinned, headers=headers, extensions={"sni_hostname": host}) as r:
            if r.status_code != 200:
                raise RemoteRefused(f"{host} answered {r.status_code} for the image (redirects are not followed)")
            declared = r.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise ImageTooLarge(f"{declared} bytes; the limit is {max_bytes}")
            body = bytearray()
            async for chunk in r.aiter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise ImageTooLarge(f"more than {max_bytes} bytes; the limit is {max_bytes}")
            return bytes(body)
    except httpx.HTTPError as e:
        raise RemoteRefused(f"fetching the image from {host} failed: {type(e).__name__}") from None
