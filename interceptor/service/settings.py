"""Service settings: defaults, then one TOML file, then ``INTERCEPTOR_*`` environment
variables, then command-line flags — each overriding the one before.

The TOML file (``--config FILE`` or ``INTERCEPTOR_CONFIG``)::

    lexicon = "lexicons/default"
    db = "sqlite:///data/audit.db"
    lexicon_from_db = false         # follow `interceptor lexicon publish` in PostgreSQL instead
    lexicon_db = ""                 # where lexicons are published (default: db)
    lexicon_cache = ""              # local copies of published versions (default: a /tmp directory)

    [server]
    host = "127.0.0.1"
    port = 8080
    workers = 1

    [limits]
    max_body_bytes = 1048576
    max_text_chars = 100000
    max_batch_items = 256
    max_in_flight = 1024            # requests in progress before 503 overloaded (Retry-After)
    offload_chars = 1024            # texts scanning more characters are checked in a check worker
    check_workers = 1               # worker processes for big texts; 0: every check on the event loop
    check_budget_s = 5.0            # a big check not done by then answers 503 (Retry-After), never pass

    [audit]
    group_ms = 2.0                  # a commit waits this long for more records to share it
    keep_images = true              # a block record keeps the images themselves (false: hash, text, boxes only)

    [images]                        # text in images, read with OCR: see interceptor/images/config.py
    enabled = false                 # true needs pip install 'interceptor[ocr]' (a start-up error without it)

    [retention]
    days = 183                      # at least 183 (six months); lower is refused
    audit_key = ""                  # or INTERCEPTOR_AUDIT_KEY: signs tombstones of dropped partitions

    [tokens]                        # or INTERCEPTOR_SERVICE_TOKEN etc.
    service = ""                    # empty: /v1/moderate* open (a sidecar on loopback)
    reviewer = ""                   # empty: reviewer routes closed
    auditor = ""
    admin = ""                      # admin holds every scope
    secret = ""                     # HMAC key of acknowledgement tokens and stream carries
    ack_ttl_s = 3600
    carry_ttl_s = 600               # a stream carry expires this long after it was issued

    [proxy]                         # interceptor proxy
    upstream_timeout_s = 60         # the longest wait for the model API: a whole answer, or between two events
    unknown_routes = "refuse"       # "forward": send on unknown routes whose JSON body holds no prompt
    max_body_bytes = 16777216

    [messages.refusal]
    default = "This request can't be processed."
    weapons = "…"                   # per category

    [messages.warning]
    default = "This content may be sensitive. Please confirm to continue."
    self-harm = "…"                 # the help shown with a self-harm warning (a built-in one otherwise)
"""
from __future__ import annotations

import os
import secrets
import tempfile
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from interceptor.errors import ConfigError
from interceptor.images.config import images_from_env, images_from_table, with_values
from interceptor.images.settings import ImageSettings

MIN_RETENTION_DAYS = 183
DEFAULT_REFUSAL = "This request can't be processed because it contains content that is not allowed."
DEFAULT_WARNING = "This content may be sensitive. Please confirm that you want to continue."
DEFAULT_WARNINGS = {
    # a self-harm hit warns with help, never a bare refusal; [messages.warning] self-harm
    # replaces it with the operator's own text (a local hotline number, say)
    "self-harm": "If you are thinking about hurting yourself, you are not alone. Please talk to someone you "
                 "trust, or call your local emergency number or a suicide-prevention hotline now.",
}


@dataclass(frozen=True)
class Settings:
    lexicon: str = "lexicons/default"
    lexicon_from_db: bool = False
    lexicon_db: str = ""            # where lexicons are published; empty: the audit store's ``db``
    lexicon_cache: str = ""         # where published versions are written; empty: a directory in /tmp
    lexicon_poll_s: float = 10.0
    matcher: str = "daachorse"
    db: str = "sqlite:///data/audit.db"
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    max_body_bytes: int = 1 << 20
    max_text_chars: int = 100_000
    max_batch_items: int = 256
    max_messages: int = 200
    max_in_flight: int = 1024
    offload_chars: int = 1024       # measured: natural text checks in ~0.4 ms at 1,024 characters (README)
    check_workers: int = 1
    check_budget_s: float = 5.0
    audit_group_ms: float = 2.0     # the audit writer waits this long for more records to share a commit
    retention_days: int = MIN_RETENTION_DAYS
    purge_interval_s: float = 86_400.0
    ack_ttl_s: int = 3600
    carry_ttl_s: int = 600          # a stream carry is valid this long after it was issued
    watch: bool = True
    service_token: str = ""
    reviewer_token: str = ""
    auditor_token: str = ""
    admin_token: str = ""
    secret: str = ""
    audit_key: str = ""             # HMAC key signing the tombstones of dropped partitions (PostgreSQL)
    refusals: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)
    log_level: str = "info"
    proxy_upstream_timeout_s: float = 60.0
    proxy_unknown_routes: str = "refuse"  # or "forward" (see interceptor/proxy/routes.py)
    proxy_max_body_bytes: int = 16 << 20
    audit_keep_images: bool = True  # a block record keeps the images' bytes ([audit] keep_images)
    images: ImageSettings = field(default_factory=ImageSettings)

    def __post_init__(self) -> None:
        if isinstance(self.images, dict):  # from JSON (the settings handed to uvicorn's workers)
            object.__setattr__(self, "images", with_values(ImageSettings(), images_from_table(self.images)))

    @property
    def body_limit(self) -> int:
        """The service's body limit: ``max_body_bytes``, and room for images while they are read."""
        return self.max_body_bytes + self.images.body_room

    def refusal(self, category: str) -> str:
        return self.refusals.get(category) or self.refusals.get("default") or DEFAULT_REFUSAL

    def warning(self, category: str) -> str:
        return (self.warnings.get(category) or DEFAULT_WARNINGS.get(category) or self.warnings.get("default")
                or DEFAULT_WARNING)

    def validated(self) -> Settings:
        if self.retention_days < MIN_RETENTION_DAYS:
            raise ConfigError(f"retention of {self.retention_days} days refused: audit records must be kept "
                              f"at least {MIN_RETENTION_DAYS} days (six months)")
        if self.workers < 1:
            raise ConfigError("workers must be at least 1")
        if self.max_in_flight < 1:
            raise ConfigError("max_in_flight must be at least 1")
        if self.offload_chars < 0 or self.check_workers < 0:
            raise ConfigError("offload_chars and check_workers must not be negative")
        if self.carry_ttl_s < 1 or self.ack_ttl_s < 1:
            raise ConfigError("ack_ttl_s and carry_ttl_s must be at least 1 second")
        if not 0 < self.check_budget_s <= 3600:
            raise ConfigError("check_budget_s must be more than 0 and at most 3600 seconds")
        if not 0 <= self.audit_group_ms <= 100:
            raise ConfigError("audit group_ms must be between 0 and 100 milliseconds")
        if self.max_body_bytes < 1024:
            raise ConfigError("max_body_bytes must be at least 1024")
        if self.lexicon_from_db and not self.published_lexicons_url.startswith(("postgresql://", "postgres://")):
            raise ConfigError("lexicon_from_db needs a PostgreSQL database: set db or lexicon_db to postgresql://...")
        if not 0 < self.proxy_upstream_timeout_s <= 86_400:
            raise ConfigError("proxy upstream_timeout_s must be above 0 and at most 86400 seconds")
        if self.proxy_unknown_routes not in ("refuse", "forward"):
            raise ConfigError(f"proxy unknown_routes must be 'refuse' or 'forward', not {self.proxy_unknown_routes!r}")
        if self.proxy_max_body_bytes < 1024:
            raise ConfigError("proxy max_body_bytes must be at least 1024")
        if self.matcher not in ("daachorse", "pyahocorasick"):
            raise ConfigError(f"unknown matcher {self.matcher!r}")
        self.images.validated()
        return self

    @property
    def published_lexicons_url(self) -> str:
        return self.lexicon_db or self.db

    @property
    def lexicon_cache_dir(self) -> str:
        return self.lexicon_cache or os.path.join(tempfile.gettempdir(), f"interceptor-lexicons-{os.getuid()}")

    def with_secret(self) -> Settings:
        """A random secret when none is configured (tokens then verify only in this process)."""
        return self if self.secret else replace(self, secret=secrets.token_hex(32))

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# TOML (section, key) -> setting
_TOML = {
    (None, "lexicon"): "lexicon", (None, "lexicon_from_db"): "lexicon_from_db",
    (None, "lexicon_db"): "lexicon_db", (None, "lexicon_cache"): "lexicon_cache",
    (None, "lexicon_poll_s"): "lexicon_poll_s", (None, "matcher"): "matcher",
    (None, "db"): "db", (None, "log_level"): "log_level", (None, "watch"): "watch",
    ("server", "host"): "host", ("server", "port"): "port", ("server", "workers"): "workers",
    ("limits", "max_body_bytes"): "max_body_bytes", ("limits", "max_text_chars"): "max_text_chars",
    ("limits", "max_batch_items"): "max_batch_items", ("limits", "max_messages"): "max_messages",
    ("limits", "max_in_flight"): "max_in_flight", ("audit", "group_ms"): "audit_group_ms",
    ("limits", "offload_chars"): "offload_chars", ("limits", "check_workers"): "check_workers",
    ("limits", "check_budget_s"): "check_budget_s",
    ("retention", "days"): "retention_days", ("retention", "purge_interval_s"): "purge_interval_s",
    ("tokens", "service"): "service_token", ("tokens", "reviewer"): "reviewer_token",
    ("tokens", "auditor"): "auditor_token", ("tokens", "admin"): "admin_token", ("tokens", "secret"): "secret",
    ("tokens", "ack_ttl_s"): "ack_ttl_s", ("tokens", "carry_ttl_s"): "carry_ttl_s",
    ("retention", "audit_key"): "audit_key",
    ("proxy", "upstream_timeout_s"): "proxy_upstream_timeout_s", ("proxy", "unknown_routes"): "proxy_unknown_routes",
    ("proxy", "max_body_bytes"): "proxy_max_body_bytes", ("audit", "keep_images"): "audit_keep_images",
}
ENV_PREFIX = "INTERCEPTOR_"


def _coerce(name: str, value: Any) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    try:
        if kind in ("int", int):
            return int(value)
        if kind in ("float", float):
            return float(value)
        if kind in ("bool", bool):
            if isinstance(value, bool):
                return value
            return str(value).strip().lower() in ("1", "true", "yes", "on")
    except (TypeError, ValueError):
        raise ConfigError(f"{name}: {value!r} is not a valid {kind}") from None
    return str(value)


def from_toml(path: str | Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{path}: {e}") from e
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict) and key == "messages":
            for kind, table in value.items():
                if kind not in ("refusal", "warning") or not isinstance(table, dict):
                    raise ConfigError(f"{path}: unknown table [messages.{kind}]")
                out["refusals" if kind == "refusal" else "warnings"] = {str(k): str(v) for k, v in table.items()}
        elif isinstance(value, dict) and key == "images":
            out["images"] = images_from_table(value, f"{path}: [images]")
        elif isinstance(value, dict):
            for sub, v in value.items():
                name = _TOML.get((key, sub))
                if name is None:
                    raise ConfigError(f"{path}: unknown setting [{key}] {sub}")
                out[name] = _coerce(name, v)
        else:
            name = _TOML.get((None, key))
            if name is None:
                raise ConfigError(f"{path}: unknown setting {key}")
            out[name] = _coerce(name, value)
    return out


def from_env(env: dict[str, str] | None = None) -> dict[str, Any]:
    env = dict(os.environ) if env is None else env
    out: dict[str, Any] = {}
    for f in fields(Settings):
        if f.name in ("refusals", "warnings", "images"):
            continue
        key = ENV_PREFIX + f.name.upper()
        if key in env and env[key] != "":
            out[f.name] = _coerce(f.name, env[key])
    return out


def load_settings(config: str | None = None, overrides: dict[str, Any] | None = None,
                  env: dict[str, str] | None = None) -> Settings:
    """Defaults < config file < environment < ``overrides`` (command-line flags)."""
    values: dict[str, Any] = {}
    environ = dict(os.environ) if env is None else env
    config = config or environ.get(ENV_PREFIX + "CONFIG")
    if config:
        values.update(from_toml(config))
    values.update(from_env(environ))
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    values["images"] = with_values(ImageSettings(), values.get("images", {}), images_from_env(environ))
    return Settings(**values).validated()
