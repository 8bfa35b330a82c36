"""The one place that reads the environment.

`load(overrides)` reads the process environment, applies explicit overrides (tests and
tools pass a mapping to `bot.create_app`) and returns a validated, immutable `Settings`.

Local mode: with neither `LINE_CHANNEL_SECRET` nor `LINE_CHANNEL_ACCESS_TOKEN` set, the app
runs against a LINE fake built into its own process (mounted at `/_line`) and serves the
simulator page at `/`. Setting only one of the two is a mistake and is reported as such.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Mapping

DEFAULT_LINE_API_BASE_URL = "https://api.line.me"
LOCAL_MODE_SECRET = "local-mode-channel-secret"
LOCAL_MODE_TOKEN = "local-mode-access-token"
LOCAL_FAKE_PREFIX = "/_line"


class ConfigError(Exception):
    """A setting is missing or malformed. The message names the setting."""


@dataclass(frozen=True)
class Settings:
    DATABASE_URL: str
    LINE_CHANNEL_SECRET: str
    LINE_CHANNEL_ACCESS_TOKEN: str
    LINE_API_BASE_URL: str
    REFERRAL_SLA_HOURS: float = 48.0
    ADMIN_GROUP_ID: str | None = None
    LOCAL_MODE: bool = False
    # Public address of this app; local mode points the LINE client at its built-in fake here.
    PUBLIC_URL: str = "http://127.0.0.1:8000"
    # Seconds for one outbound LINE call (connect + read).
    LINE_TIMEOUT_SECONDS: float = 5.0
    # The webhook's own budget: after this many seconds of a request, replies still owed go
    # to the outbox instead of being sent inline, so the webhook always answers within 2 s.
    WEBHOOK_BUDGET_SECONDS: float = 1.5
    # Messages per user allowed in a burst, and the refill rate per second (flood control).
    FLOOD_BURST: int = 6
    FLOOD_RATE_PER_SECOND: float = 1.0
    # Version of the privacy notice users consent to; stored with each consent.
    CONSENT_TEXT_VERSION: str = "2026-11"
    PRIVACY_URL: str = "https://rianto.example/privacy"
    WORKER_POLL_SECONDS: float = 1.0
    # How long a worker holds a claimed outbox row before another worker may retry it.
    OUTBOX_LEASE_SECONDS: float = 30.0
    TESTING: bool = False

    def as_flask_config(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _default_database_url(instance_path: str | None) -> str:
    folder = Path(instance_path or Path.cwd() / "instance")
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'rianto.sqlite3'}"


_FLOATS = {
    "REFERRAL_SLA_HOURS",
    "LINE_TIMEOUT_SECONDS",
    "WEBHOOK_BUDGET_SECONDS",
    "FLOOD_RATE_PER_SECOND",
    "WORKER_POLL_SECONDS",
    "OUTBOX_LEASE_SECONDS",
}
_INTS = {"FLOOD_BURST"}
_BOOLS = {"LOCAL_MODE", "TESTING"}


def _coerce(name: str, value: Any) -> Any:
    if value is None:
        return None
    try:
        if name in _FLOATS:
            number = float(value)
            if number <= 0:
                raise ValueError
            return number
        if name in _INTS:
            number = int(value)
            if number <= 0:
                raise ValueError
            return number
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a positive number, got {value!r}") from None
    if name in _BOOLS:
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in {"1", "true", "yes", "on"}
    return str(value)


def load(
    overrides: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    instance_path: str | None = None,
) -> Settings:
    """Settings from the environment, with `overrides` taking precedence."""
    env = os.environ if environ is None else environ
    names = {f.name for f in fields(Settings)}
    raw: dict[str, Any] = {name: env[name] for name in names if env.get(name) not in (None, "")}
    for key, value in (overrides or {}).items():
        if key in names:
            raw[key] = value

    secret = raw.get("LINE_CHANNEL_SECRET")
    token = raw.get("LINE_CHANNEL_ACCESS_TOKEN")
    if bool(secret) != bool(token):
        missing = "LINE_CHANNEL_ACCESS_TOKEN" if secret else "LINE_CHANNEL_SECRET"
        raise ConfigError(
            f"{missing} is not set. Set both LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN "
            "for a real LINE channel, or neither for local mode."
        )
    local = not secret
    values: dict[str, Any] = {name: _coerce(name, value) for name, value in raw.items()}
    values["LOCAL_MODE"] = local
    if local:
        values["LINE_CHANNEL_SECRET"] = LOCAL_MODE_SECRET
        values["LINE_CHANNEL_ACCESS_TOKEN"] = LOCAL_MODE_TOKEN
        public = str(values.get("PUBLIC_URL", Settings.PUBLIC_URL)).rstrip("/")
        values.setdefault("LINE_API_BASE_URL", public + LOCAL_FAKE_PREFIX)
    values.setdefault("LINE_API_BASE_URL", DEFAULT_LINE_API_BASE_URL)
    values["LINE_API_BASE_URL"] = str(values["LINE_API_BASE_URL"]).rstrip("/")
    if not values.get("DATABASE_URL"):
        values["DATABASE_URL"] = _default_database_url(instance_path)
    return Settings(**values)


def with_overrides(settings: Settings, **changes: Any) -> Settings:
    return replace(settings, **changes)
