"""The LINE client: `handlers.ports.LineClient` over line-bot-sdk v3's `MessagingApi`.

Every call has a timeout. Failures are mapped to the exception tree declared (and documented)
in `handlers.ports`, re-exported here for the edge's own callers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    PushMessageRequest,
    ReplyMessageRequest,
    ShowLoadingAnimationRequest,
)

from bot import textclean
from handlers.ports import (
    LineClient,
    LineConflict,
    LineError,
    LineHTTPError,
    LineQuotaExceeded,
    LineRateLimited,
    LineRejected,
    LineServerError,
    LineTimeout,
    Message,
    error_for,
)

log = logging.getLogger(__name__)

__all__ = [
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
    "SdkLineClient",
    "error_for",
]


class SdkLineClient:
    """The real client, on the SDK's `MessagingApi` for every call. Thread-safe: one
    `ApiClient` (one urllib3 pool) per process.

    Each call has one total deadline (`timeout`, or the client's default): connecting,
    sending and reading the answer all end by it, so a caller with a budget (the webhook's
    2 s) passes what is left of it. The SDK's HTTP layer does not retry (retries are the
    outbox's job, with back-off), so one call is one request."""

    PROFILE_TIMEOUT_SECONDS = 0.5

    def __init__(self, base_url: str, access_token: str, timeout: float = 5.0) -> None:
        configuration = Configuration(host=base_url, access_token=access_token)
        configuration.retries = False
        configuration.connection_pool_maxsize = 8
        self._api_client = ApiClient(configuration)
        self._api = MessagingApi(self._api_client)
        self.timeout = timeout
        self._names: dict[tuple[str, str], str | None] = {}

    @contextmanager
    def _mapped_errors(self) -> Iterator[None]:
        """The SDK's and urllib3's exceptions as the tree of `handlers.ports`."""
        try:
            yield
        except ApiException as exc:
            raise error_for(exc.status or 0, exc.body) from None
        except (urllib3.exceptions.ConnectTimeoutError, urllib3.exceptions.NewConnectionError) as exc:
            # The connection was never made: the request did not reach LINE.
            raise LineTimeout(f"LINE API unreachable: {type(exc).__name__}", maybe_delivered=False) from None
        except (urllib3.exceptions.TimeoutError, TimeoutError) as exc:
            raise LineTimeout(str(exc)[:200]) from None
        except urllib3.exceptions.HTTPError as exc:
            # Reset or closed mid-request, protocol errors: LINE may have taken the request.
            raise LineTimeout(f"LINE API connection failed: {type(exc).__name__}") from None

    def _call(self, fn: Callable[..., Any], *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        limit = self.timeout if timeout is None else timeout
        if limit <= 0:
            raise LineTimeout("no time left for the call", maybe_delivered=False)
        with self._mapped_errors():
            return fn(*args, _request_timeout=limit, **kwargs)

    def reply(self, reply_token: str, messages: list[Message], timeout: float | None = None) -> list[str]:
        request = ReplyMessageRequest.from_dict({"replyToken": reply_token, "messages": messages})
        return _ids(self._call(self._api.reply_message, request, timeout=timeout))

    def push(self, to: str, messages: list[Message], retry_key: str, timeout: float | None = None) -> list[str]:
        request = PushMessageRequest.from_dict({"to": to, "messages": messages})
        return _ids(self._call(self._api.push_message, request, x_line_retry_key=retry_key, timeout=timeout))

    def show_loading(self, chat_id: str, seconds: int = 5, timeout: float | None = None) -> None:
        request = ShowLoadingAnimationRequest(chatId=chat_id, loadingSeconds=seconds)
        self._call(self._api.show_loading_animation, request, timeout=timeout)

    def group_member_name(self, group_id: str, user_id: str, timeout: float | None = None) -> str | None:
        """A staff member's display name, for "รับเรื่องโดย …"; asked before the event's
        transaction. Names are kept (staff don't change names often; a failed lookup is not
        kept and is tried again next time)."""
        key = (group_id, user_id)
        if key in self._names:
            return self._names[key]
        limit = self.PROFILE_TIMEOUT_SECONDS if timeout is None else min(timeout, self.PROFILE_TIMEOUT_SECONDS)
        try:
            profile = self._call(self._api.get_group_member_profile, group_id, user_id, timeout=limit)
        except LineError as exc:
            log.info("group member profile unavailable: %s", type(exc).__name__)
            return None
        if len(self._names) >= 1024:
            self._names.clear()
        # Cleaned at the edge like webhook text: no NUL, controls or direction overrides in a
        # name that lands in replies and case events (bot.textclean).
        name = textclean.clean_text(str(profile.display_name or "")).strip() or None
        self._names[key] = name
        return name

    def is_friend(self, user_id: str, timeout: float | None = None) -> bool | None:
        """Whether the user has the account as a friend (GET /v2/bot/profile/{userId}: 200 yes,
        404 no); None when LINE does not tell (timeout, other errors). Never raises."""
        limit = self.PROFILE_TIMEOUT_SECONDS if timeout is None else min(timeout, self.PROFILE_TIMEOUT_SECONDS)
        try:
            self._call(self._api.get_profile, user_id, timeout=limit)
        except LineRejected as exc:
            return False if exc.status == 404 else None
        except LineError as exc:
            log.info("profile unavailable: %s", type(exc).__name__)
            return None
        return True

    def close(self) -> None:
        self._api_client.close()


def _ids(response: Any) -> list[str]:
    """The ids of `sentMessages` in a reply's or push's answer (empty when it has none)."""
    return [str(sent.id) for sent in (getattr(response, "sent_messages", None) or []) if getattr(sent, "id", None)]
