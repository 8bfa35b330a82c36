"""What the handlers need from the edge, declared here so that `handlers` never imports `bot`.

`bot` provides the implementations (`bot.line.SdkLineClient`, `bot.clock.SystemClock`,
`bot.config.Settings`) and builds one `Services` per process (`bot.create_app`). Tests swap
in the test clock of `tests/support/clock.py` and the fake LINE server.

Every failure of a LINE API call is one of these exceptions, so callers decide what to do
from the kind of failure, never from status codes:

    LineError
    ├── LineTimeout          no answer within the call's deadline, or LINE unreachable (retryable);
    │                        `maybe_delivered` tells whether the request may have reached LINE
    └── LineHTTPError        the API answered with an error status (`status`, `message`)
        ├── LineServerError      5xx (retryable)
        ├── LineRateLimited      429 rate limit (retryable)
        ├── LineQuotaExceeded    429 monthly quota (not retryable this month)
        ├── LineConflict         409: the retry key was already accepted (= delivered)
        └── LineRejected         any other 4xx, e.g. an invalid reply token (not retryable)

Messages are plain dicts in the Messaging API's JSON form; handlers build them without the SDK.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from models.db import Database

# One message object of the Messaging API, as JSON (text, flex, …).
Message = dict[str, Any]


class LineError(Exception):
    """Base of every failure of a LINE API call."""

    retryable = False


class LineTimeout(LineError):
    """No answer in time. `maybe_delivered` is False only when the request surely never
    reached LINE (the connection could not be made), so it is safe to send it another way."""

    retryable = True

    def __init__(self, message: str = "", *, maybe_delivered: bool = True) -> None:
        super().__init__(message)
        self.maybe_delivered = maybe_delivered


class LineHTTPError(LineError):
    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(f"LINE API answered {status}: {message}"[:200])
        self.status = status
        self.message = message


class LineServerError(LineHTTPError):
    retryable = True


class LineRateLimited(LineHTTPError):
    retryable = True


class LineQuotaExceeded(LineHTTPError):
    pass


class LineConflict(LineHTTPError):
    pass


class LineRejected(LineHTTPError):
    pass


def error_for(status: int, body: str | bytes | None) -> LineHTTPError:
    """The exception for an error status of the Messaging API."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else (body or "")
    if status >= 500:
        return LineServerError(status, text)
    if status == 429:
        if "monthly limit" in text.lower():
            return LineQuotaExceeded(status, text)
        return LineRateLimited(status, text)
    if status == 409:
        return LineConflict(status, text)
    return LineRejected(status, text)


class LineClient(Protocol):
    """The Messaging API calls the bot makes. Each has a total deadline (`timeout`, seconds;
    None = the client's default) and raises only `LineError`s. `reply` and `push` return the
    ids LINE gives the sent messages (`sentMessages`; empty when it gives none)."""

    def reply(self, reply_token: str, messages: list[Message], timeout: float | None = None) -> list[str]: ...

    def push(self, to: str, messages: list[Message], retry_key: str, timeout: float | None = None) -> list[str]: ...

    def show_loading(self, chat_id: str, seconds: int = 5, timeout: float | None = None) -> None: ...

    def group_member_name(self, group_id: str, user_id: str, timeout: float | None = None) -> str | None:
        """A group member's display name; None when LINE does not tell (never raises)."""
        ...

    def is_friend(self, user_id: str, timeout: float | None = None) -> bool | None:
        """Whether the user has the account as a friend (a 1:1 push reaches them); None when
        LINE does not tell (never raises)."""
        ...


class Clock(Protocol):
    def now(self) -> datetime: ...


class Settings(Protocol):
    """The settings handlers read (`bot.config.Settings` provides them). A handler that needs
    another key adds it here, read-only, as it is in `bot.config`."""

    @property
    def ADMIN_GROUP_ID(self) -> str | None: ...

    @property
    def REFERRAL_SLA_HOURS(self) -> float: ...

    @property
    def FLOOD_BURST(self) -> int: ...

    @property
    def FLOOD_RATE_PER_SECOND(self) -> float: ...

    @property
    def PRIVACY_URL(self) -> str: ...

    @property
    def PUBLIC_URL(self) -> str: ...

    @property
    def WEBHOOK_BUDGET_SECONDS(self) -> float: ...

    @property
    def RETENTION_DAYS(self) -> float: ...

    @property
    def ABANDONED_INTAKE_DAYS(self) -> float: ...

    @property
    def QUOTA_RETRY_MINUTES(self) -> float: ...

    @property
    def LOCAL_MODE(self) -> bool: ...


@dataclass
class Services:
    """The services of one process, handed to every handler (through its `Context`)."""

    settings: Settings
    db: Database
    line: LineClient
    clock: Clock


__all__ = [
    "Clock",
    "LineClient",
    "LineConflict",
    "LineError",
    "LineHTTPError",
    "LineQuotaExceeded",
    "LineRateLimited",
    "LineRejected",
    "LineServerError",
    "LineTimeout",
    "Message",
    "Services",
    "Settings",
    "error_for",
]
