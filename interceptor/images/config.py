"""``[images]`` settings from the TOML file and ``INTERCEPTOR_IMAGES_*`` variables.

    [images]
    enabled = true                  # needs pip install 'interceptor[ocr]'
    backend = "rapidocr"            # or "tesseract"
    max_bytes = 5242880             # encoded size of one image
    max_pixels = 20000000           # width x height, from the header, before decoding
    max_images = 8                  # per request
    max_total_bytes = 16777216      # all images of a request together (added to the body limit)
    formats = ["png", "jpeg", "webp", "gif", "bmp"]
    budget_s = 10.0                 # per image; over it 503 with Retry-After
    workers = 1                     # OCR threads, each with its own models
    queue = 16                      # images being read or waiting before 503
    threads = 1                     # onnxruntime threads per worker
    det_pixels = 230400             # the text detector sees large pictures scaled to this area
    cache_bytes = 33554432          # texts read, by SHA-256
    allowed_hosts = []              # remote http(s) images only from these hosts (public addresses only)
    fetch_timeout_s = 5.0

In the environment, lists are comma-separated (``INTERCEPTOR_IMAGES_ALLOWED_HOSTS=a.com,b.com``).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from typing import Any

from interceptor.errors import ConfigError
from interceptor.images.settings import ImageSettings

ENV_PREFIX = "INTERCEPTOR_IMAGES_"
_TYPES = {f.name: f.type for f in fields(ImageSettings)}


def _value(name: str, raw: Any, where: str) -> Any:
    kind = _TYPES[name]
    try:
        if kind in ("bool", bool):
            if isinstance(raw, bool):
                return raw
            if str(raw).strip().lower() in ("1", "true", "yes", "on", "0", "false", "no", "off", ""):
                return str(raw).strip().lower() in ("1", "true", "yes", "on")
            raise ValueError(raw)
        if kind in ("int", int):
            if isinstance(raw, bool):
                raise ValueError(raw)
            return int(raw)
        if kind in ("float", float):
            if isinstance(raw, bool):
                raise ValueError(raw)
            return float(raw)
        if str(kind).startswith("tuple"):
            items = raw.split(",") if isinstance(raw, str) else raw
            if not isinstance(items, list | tuple) or not all(isinstance(x, str) for x in items):
                raise ValueError(raw)
            return tuple(x.strip().lower() for x in items if x.strip())
        if not isinstance(raw, str):
            raise ValueError(raw)
        return raw
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: {raw!r} is not a valid {kind}") from None


def images_from_table(table: Mapping[str, Any], where: str = "[images]") -> dict[str, Any]:
    out = {}
    for key, raw in table.items():
        if key not in _TYPES:
            raise ConfigError(f"{where}: unknown setting {key}")
        out[key] = _value(key, raw, f"{where} {key}")
    return out


def images_from_env(env: Mapping[str, str]) -> dict[str, Any]:
    return {name: _value(name, env[ENV_PREFIX + name.upper()], ENV_PREFIX + name.upper())
            for name in _TYPES if env.get(ENV_PREFIX + name.upper(), "") != ""}


def with_values(base: ImageSettings, *layers: Mapping[str, Any]) -> ImageSettings:
    """``base`` with each layer of values applied in turn, validated."""
    merged: dict[str, Any] = {}
    for layer in layers:
        merged.update(layer)
    return replace(base, **merged).validated()
