"""Signed, expiring tokens: acknowledgement tokens for warnings (and stream carries).

A token is ``base64url(payload) "." base64url(HMAC-SHA256(secret, payload))``. The payload
binds the token to its request, conversation and log record and carries its expiry; any
replica that shares the secret verifies it.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from typing import Any

import orjson


class TokenError(Exception):
    """Forged or malformed (``expired`` False), or well-signed but past its expiry."""

    def __init__(self, message: str, expired: bool = False):
        super().__init__(message)
        self.expired = expired


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    """Exactly one spelling decodes: unpadded base64url whose spare bits are zero, as ``_b64``
    writes it. Padding, the ``+/`` alphabet or other spare bits would otherwise give one
    token many spellings, each taken for a new acknowledgement."""
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as e:
        raise ValueError(str(e)) from None
    if _b64(data) != text:
        raise ValueError("not the canonical encoding")
    return data


def sign(secret: str, payload: dict[str, Any], purpose: str) -> str:
    body = _b64(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS))
    mac = hmac.new(secret.encode(), f"{purpose}.{body}".encode(), hashlib.sha256).digest()
    return f"{body}.{_b64(mac)}"


def verify(secret: str, token: str, purpose: str, now: float | None = None) -> dict[str, Any]:
    try:
        body, mac = token.split(".")
        expected = hmac.new(secret.encode(), f"{purpose}.{body}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(mac)):
            raise TokenError("signature does not match")
        payload = orjson.loads(_unb64(body))
    except TokenError:
        raise
    except (ValueError, orjson.JSONDecodeError) as e:
        raise TokenError(f"malformed token: {e}") from None
    if not isinstance(payload, dict):
        raise TokenError("malformed token")
    exp = payload.get("exp")
    if isinstance(exp, int | float) and (now if now is not None else time.time()) > exp:
        raise TokenError("token expired", expired=True)
    return payload


def ack_token(secret: str, request_id: str, conversation_id: str | None, log_id: str, ttl_s: int,
              now: float | None = None) -> tuple[str, int]:
    exp = int((now if now is not None else time.time()) + ttl_s)
    return sign(secret, {"rid": request_id, "cid": conversation_id, "lid": log_id, "exp": exp}, "ack"), exp


def token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def seal(secret: str, state: dict[str, Any]) -> str:
    """A stream carry: the state, compressed, signed so a client cannot edit it."""
    import zlib

    body = _b64(zlib.compress(orjson.dumps(state), 6))
    mac = hmac.new(secret.encode(), f"carry.{body}".encode(), hashlib.sha256).digest()
    return f"{body}.{_b64(mac)}"


def unseal(secret: str, carry: str) -> dict[str, Any]:
    import zlib

    try:
        body, mac = carry.split(".")
        expected = hmac.new(secret.encode(), f"carry.{body}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(mac)):
            raise TokenError("carry signature does not match")
        state = orjson.loads(zlib.decompress(_unb64(body), bufsize=1 << 16))
    except TokenError:
        raise
    except (ValueError, zlib.error, orjson.JSONDecodeError) as e:
        raise TokenError(f"malformed carry: {e}") from None
    if not isinstance(state, dict):
        raise TokenError("malformed carry")
    return state
