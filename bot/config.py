"""The one place that reads the environment.

`load(overrides)` reads the process environment, applies explicit overrides (tests and
tools pass a mapping to `bot.create_app`) and returns a validated, immutable `Settings`.

Local mode is explicit: `LOCAL_MODE=1` runs the app against a LINE fake built into its own
process (mounted at `/_line`) and serves the simulator page at `/`. Without it, missing or
empty LINE credentials or `SECRET_KEY` stop start-up with a `ConfigError` naming them, and the
well-known local-mode secret is refused: a misconfigured server never fails open. A server on a
real LINE channel also needs its https `PUBLIC_URL`, since people are sent links under it.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_LINE_API_BASE_URL = "https://api.line.me"
DEFAULT_LINE_DATA_API_BASE_URL = "https://api-data.line.me"
LOCAL_MODE_SECRET = "local-mode-channel-secret"
LOCAL_MODE_TOKEN = "local-mode-access-token"
LOCAL_FAKE_PREFIX = "/_line"


class ConfigError(Exception):
    """A setting is missing or malformed. The message names the setting."""


@dataclass(frozen=True)
class Settings:
    DATABASE_URL: str
    LINE_CHANNEL_SECRET: str = field(repr=False)
    LINE_CHANNEL_ACCESS_TOKEN: str = field(repr=False)
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
    # Answers per user sent at once in a burst, and the refill rate per second (flood control,
    # `handlers.conversation`): a person answering quick replies as they appear stays under it.
    FLOOD_BURST: int = 6
    FLOOD_RATE_PER_SECOND: float = 3.0
    # Rich-menu images go to LINE's data host (see `load` for the default).
    LINE_DATA_API_BASE_URL: str = DEFAULT_LINE_DATA_API_BASE_URL
    # Signs the staff console's session cookies. Required outside local mode.
    SECRET_KEY: str = field(default="", repr=False)
    # The full privacy notice; default: this app's own `/privacy` page under PUBLIC_URL.
    PRIVACY_URL: str = ""
    # While LINE answers the monthly-quota 429, the worker retries deliveries this often.
    QUOTA_RETRY_MINUTES: float = 60.0
    # A case closed this long ago keeps only its statistical fields.
    RETENTION_DAYS: float = 365.0
    # An intake abandoned this long is erased by the worker (DESIGN §2, §6).
    ABANDONED_INTAKE_DAYS: float = 7.0
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
    "QUOTA_RETRY_MINUTES",
    "RETENTION_DAYS",
    "ABANDONED_INTAKE_DAYS",
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
    raw: dict[str, Any] = {name: env[name] for name in names if not _blank(env.get(name))}
    for key, value in (overrides or {}).items():
        if key in names:
            raw[key] = value

    # An empty value is an absent one (`LINE_CHANNEL_SECRET=` must not count as set).
    values: dict[str, Any] = {name: _coerce(name, value) for name, value in raw.items() if not _blank(value)}
    local = bool(values.get("LOCAL_MODE"))
    values["LOCAL_MODE"] = local
    public_set = "PUBLIC_URL" in values
    public = str(values.get("PUBLIC_URL", Settings.PUBLIC_URL)).rstrip("/")
    values["PUBLIC_URL"] = public
    if local:
        if "LINE_API_BASE_URL" not in values:
            # The built-in fake: its well-known credentials, whatever the shell holds.
            values["LINE_API_BASE_URL"] = public + LOCAL_FAKE_PREFIX
            values["LINE_CHANNEL_SECRET"] = LOCAL_MODE_SECRET
            values["LINE_CHANNEL_ACCESS_TOKEN"] = LOCAL_MODE_TOKEN
        values.setdefault("LINE_CHANNEL_SECRET", LOCAL_MODE_SECRET)
        values.setdefault("LINE_CHANNEL_ACCESS_TOKEN", LOCAL_MODE_TOKEN)
        if "SECRET_KEY" not in values:
            values["SECRET_KEY"] = _local_secret_key(instance_path)
    values.setdefault("LINE_API_BASE_URL", DEFAULT_LINE_API_BASE_URL)
    values["LINE_API_BASE_URL"] = str(values["LINE_API_BASE_URL"]).rstrip("/")
    if not local:
        _check_production(values)
        _check_public_links(values, public_set=public_set)
    if "LINE_DATA_API_BASE_URL" not in values:
        # Only the messaging host was pointed elsewhere (a fake, a proxy): the data host follows it.
        moved = values["LINE_API_BASE_URL"] != DEFAULT_LINE_API_BASE_URL
        values["LINE_DATA_API_BASE_URL"] = values["LINE_API_BASE_URL"] if moved else DEFAULT_LINE_DATA_API_BASE_URL
    values["LINE_DATA_API_BASE_URL"] = str(values["LINE_DATA_API_BASE_URL"]).rstrip("/")
    values.setdefault("PRIVACY_URL", public + "/privacy")
    if not values.get("DATABASE_URL"):
        values["DATABASE_URL"] = _default_database_url(instance_path)
    return Settings(**values)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _local_secret_key(instance_path: str | None) -> str:
    """Local mode's session key: random, kept in the instance folder so a restart keeps sessions."""
    folder = Path(instance_path or Path.cwd() / "instance")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "local-secret-key"
    try:
        return path.read_text().strip() or _write_key(path)
    except FileNotFoundError:
        return _write_key(path)


def _write_key(path: Path) -> str:
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _check_production(values: dict[str, Any]) -> None:
    """Outside local mode: every credential set, and none of them the well-known local one."""
    required = ["LINE_CHANNEL_SECRET", "LINE_CHANNEL_ACCESS_TOKEN"]
    # Tests build apps in-process with TESTING=1; they may run without a session key.
    if values.get("TESTING"):
        values.setdefault("SECRET_KEY", secrets.token_hex(32))
    else:
        required.append("SECRET_KEY")
    missing = [name for name in required if not values.get(name)]
    if missing:
        raise ConfigError(
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set. A real LINE channel needs "
            "LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN and SECRET_KEY; "
            "for the simulator set LOCAL_MODE=1 (`make run` does)."
        )
    if values["LINE_CHANNEL_SECRET"] == LOCAL_MODE_SECRET or values["LINE_CHANNEL_ACCESS_TOKEN"] == LOCAL_MODE_TOKEN:
        raise ConfigError(
            "LINE_CHANNEL_SECRET/LINE_CHANNEL_ACCESS_TOKEN hold the public local-mode values; "
            "they are accepted only with LOCAL_MODE=1."
        )


def _check_public_links(values: dict[str, Any], *, public_set: bool) -> None:
    """People on a real LINE channel get this app's links (the privacy notice in the consent
    question, console sign-in links): they must be the app's real https address, never the
    loopback default. Tests, and runs whose LINE is a fake on this machine, reach no one."""
    if values.get("TESTING") or _is_loopback(values["LINE_API_BASE_URL"]):
        return
    if not public_set:
        raise ConfigError(
            "PUBLIC_URL is not set. A real LINE channel needs this app's public https address "
            "(e.g. PUBLIC_URL=https://rianto.example.go.th) for the privacy notice and console sign-in links; "
            "for the simulator set LOCAL_MODE=1 (`make run` does)."
        )
    for name in ("PUBLIC_URL", "PRIVACY_URL"):
        if name in values and not _is_https(values[name]):
            raise ConfigError(f"{name} must be an https:// address people can open, got {values[name]!r}.")


def _is_https(url: str) -> bool:
    parts = urlsplit(str(url))
    return parts.scheme == "https" and bool(parts.hostname) and not _is_loopback(url)


def _is_loopback(url: str) -> bool:
    host = urlsplit(str(url)).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def with_overrides(settings: Settings, **changes: Any) -> Settings:
    return replace(settings, **changes)
