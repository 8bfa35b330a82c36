"""The LINE client: a small interface over line-bot-sdk v3's `MessagingApi`.

Every call has a timeout. Failures are mapped to a short exception tree, so callers decide
what to do from the kind of failure, never from status codes:

    LineError
    ├── LineTimeout          the API did not answer in time (retryable)
    └── LineHTTPError        the API answered with an error status
        ├── LineServerError      5xx (retryable)
        ├── LineRateLimited      429 rate limit (retryable)
        ├── LineQuotaExceeded    429 monthly quota (not retryable this month)
        ├── LineConflict         409: the retry key was already accepted (= delivered)
        └── LineRejected         any other 4xx, e.g. an invalid reply token (not retryable)

Messages are plain dicts in the Messaging API's JSON form; the dialogue builds them without
importing the SDK.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    PushMessageRequest,
    ShowLoadingAnimationRequest,
)

log = logging.getLogger(__name__)

Message = dict[str, Any]


class LineError(Exception):
    """Base of every failure of a LINE API call."""

    retryable = False


class LineTimeout(LineError):
    retryable = True


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
    def reply(self, reply_token: str, messages: list[Message], timeout: float | None = None) -> None: ...

    def push(self, to: str, messages: list[Message], retry_key: str) -> None: ...

    def show_loading(self, chat_id: str, seconds: int = 5, timeout: float | None = None) -> None: ...

    def group_member_name(self, group_id: str, user_id: str) -> str | None: ...


class SdkLineClient:
    """The real client. Thread-safe: one `ApiClient` (urllib3 pool) per process."""

    PROFILE_TIMEOUT_SECONDS = 0.5

    def __init__(self, base_url: str, access_token: str, timeout: float = 5.0) -> None:
        configuration = Configuration(host=base_url, access_token=access_token)
        self._api_client = ApiClient(configuration)
        self._api = MessagingApi(self._api_client)
        self.timeout = timeout
        self._reply_url = base_url.rstrip("/") + "/v2/bot/message/reply"
        self._names: dict[tuple[str, str], str] = {}
        self._reply_headers = {
            **self._api_client.default_headers,
            "Accept": "application/json",
            "Content-Type": "application/json",
            "Authorization": f"Bearer {access_token}",
        }

    def _call(self, fn: Any, *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        limit = self.timeout if timeout is None else timeout
        try:
            return fn(*args, _request_timeout=(min(limit, 3.0), limit), **kwargs)
        except ApiException as exc:
            raise error_for(exc.status or 0, exc.body) from None
        except (urllib3.exceptions.TimeoutError, TimeoutError) as exc:
            raise LineTimeout(str(exc)[:200]) from None
        except urllib3.exceptions.HTTPError as exc:
            # Connection refused/reset, protocol errors: the API is unreachable.
            raise LineTimeout(f"LINE API unreachable: {type(exc).__name__}") from None

    def reply(self, reply_token: str, messages: list[Message], timeout: float | None = None) -> None:
        # The webhook's hot path goes one layer down, to the SDK's own REST client (its urllib3
        # pool; its ApiException for error statuses), with the message dicts as they are:
        # the SDK's pydantic models, or the ApiClient's generic walk over the body, cost more
        # per reply than a database transaction (measured in-process: ~0.3 ms of ~1.1 ms).
        # The dicts are checked against messaging-api.yml by the test suite's fake LINE server.
        self._call(
            self._api_client.rest_client.request,
            "POST",
            self._reply_url,
            headers=dict(self._reply_headers),
            body={"replyToken": reply_token, "messages": messages},
            timeout=timeout,
        )

    def push(self, to: str, messages: list[Message], retry_key: str) -> None:
        request = PushMessageRequest.from_dict({"to": to, "messages": messages})
        self._call(self._api.push_message, request, x_line_retry_key=retry_key)

    def show_loading(self, chat_id: str, seconds: int = 5, timeout: float | None = None) -> None:
        request = ShowLoadingAnimationRequest(chatId=chat_id, loadingSeconds=seconds)
        self._call(self._api.show_loading_animation, request, timeout=timeout)

    def group_member_name(self, group_id: str, user_id: str) -> str | None:
        """A staff member's display name, for "รับเรื่องโดย …". It runs inside a staff tap's
        transaction, so it gets a short timeout, and names are kept (staff don't change
        names often; a failed lookup is not kept and is tried again next time)."""
        key = (group_id, user_id)
        if key in self._names:
            return self._names[key]
        try:
            profile = self._call(
                self._api.get_group_member_profile, group_id, user_id, timeout=self.PROFILE_TIMEOUT_SECONDS
            )
        except LineError as exc:
            log.info("group member profile unavailable: %s", type(exc).__name__)
            return None
        if len(self._names) >= 1024:
            self._names.clear()
        self._names[key] = profile.display_name
        return profile.display_name

    def close(self) -> None:
        self._api_client.close()
