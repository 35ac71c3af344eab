"""Acknowledgement tokens and stream carries: one spelling each, signed, expiring."""
from __future__ import annotations

import base64

import pytest

from interceptor.service.tokens import TokenError, ack_token, seal, unseal, verify

SECRET = "s3cret"


def spellings(part: str) -> list[str]:
    """Other spellings of the same bytes that a lax decoder takes."""
    raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    out = [part + "=" * (-len(part) % 4 or 4)]  # padded (or over-padded)
    std = base64.b64encode(raw).decode().rstrip("=")
    if std != part:
        out.append(std)  # the +/ alphabet
    if len(part) % 4:  # spare bits of the last character set
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        last = alphabet.index(part[-1])
        spare = {2: 0b1111, 3: 0b11}[len(part) % 4]
        out.append(part[:-1] + alphabet[last | spare])
    return [s for s in out if s != part]


def test_every_other_spelling_of_an_ack_token_is_refused() -> None:
    token, _ = ack_token(SECRET, "req", "conv", "log", 3600)
    assert verify(SECRET, token, "ack")["lid"] == "log"
    body, mac = token.split(".")
    variants = [f"{b}.{mac}" for b in spellings(body)] + [f"{body}.{m}" for m in spellings(mac)]
    assert len(variants) >= 4
    for variant in variants:
        with pytest.raises(TokenError):
            verify(SECRET, variant, "ack")


def test_a_carry_has_one_spelling_too() -> None:
    carry = seal(SECRET, {"state": {"text": "x"}, "meta": {}})
    body, mac = carry.split(".")
    for variant in [f"{b}.{mac}" for b in spellings(body)] + [f"{body}.{m}" for m in spellings(mac)]:
        with pytest.raises(TokenError):
            unseal(SECRET, variant)
    assert unseal(SECRET, carry)["state"] == {"text": "x"}
