"""The LINE client: `handlers.ports.LineClient` over line-bot-sdk v3's `MessagingApi`.

Every call has a timeout. Failures are mapped to the exception tree declared (and documented)
in `handlers.ports`, re-exported here for the edge's own callers.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    PushMessageRequest,
    ShowLoadingAnimationRequest,
)

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
    """The real client. Thread-safe: one `ApiClient` (urllib3 pool) per process."""

    PROFILE_TIMEOUT_SECONDS = 0.5

    def __init__(self, base_url: str, access_token: str, timeout: float = 5.0) -> None:
        configuration = Configuration(host=base_url, access_token=access_token)
        self._api_client = ApiClient(configuration)
        self._api = MessagingApi(self._api_client)
        self.timeout = timeout
        self._names: dict[tuple[str, str], str] = {}
        # The reply's connection pool: the SDK's own (its TLS, proxy and retry settings),
        # for the API's host.
        self._reply_pool = self._api_client.rest_client.pool_manager.connection_from_url(base_url)
        self._reply_path = urlsplit(base_url).path.rstrip("/") + "/v2/bot/message/reply"
        self._reply_headers = {
            **self._api_client.default_headers,
            "Accept": "application/json",
            "Content-Type": "application/json",
            "Authorization": f"Bearer {access_token}",
        }

    def _timeout(self, timeout: float | None) -> tuple[float, float]:
        limit = self.timeout if timeout is None else timeout
        return min(limit, 3.0), limit

    @contextmanager
    def _mapped_errors(self) -> Iterator[None]:
        """The SDK's and urllib3's exceptions as this module's."""
        try:
            yield
        except ApiException as exc:
            raise error_for(exc.status or 0, exc.body) from None
        except (urllib3.exceptions.TimeoutError, TimeoutError) as exc:
            raise LineTimeout(str(exc)[:200]) from None
        except urllib3.exceptions.HTTPError as exc:
            # Connection refused/reset, protocol errors: the API is unreachable.
            raise LineTimeout(f"LINE API unreachable: {type(exc).__name__}") from None

    def _call(self, fn: Any, *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        with self._mapped_errors():
            return fn(*args, _request_timeout=self._timeout(timeout), **kwargs)

    def reply(self, reply_token: str, messages: list[Message], timeout: float | None = None) -> list[str]:
        # The webhook's hot path goes below the SDK's request helpers, to its connection pool,
        # with the message dicts as they are, sent as UTF-8 JSON (Thai text escaped as
        # \uXXXX is twice the bytes). Through the SDK's pydantic models, the ApiClient's
        # generic walk over the body and its PoolManager, a reply cost more CPU than the
        # event's database transaction (measured in the webhook benchmark). The dicts are
        # checked against messaging-api.yml by the test suite's fake LINE server.
        body = json.dumps({"replyToken": reply_token, "messages": messages}, ensure_ascii=False, separators=(",", ":"))
        connect, read = self._timeout(timeout)
        with self._mapped_errors():
            response = self._reply_pool.urlopen(
                "POST",
                self._reply_path,
                body=body.encode("utf-8"),
                headers=self._reply_headers,
                timeout=urllib3.Timeout(connect=connect, read=read),
            )
        if not 200 <= response.status < 300:
            raise error_for(response.status, response.data)
        return _sent_ids(response.data)

    def push(self, to: str, messages: list[Message], retry_key: str, timeout: float | None = None) -> list[str]:
        request = PushMessageRequest.from_dict({"to": to, "messages": messages})
        response = self._call(self._api.push_message, request, x_line_retry_key=retry_key, timeout=timeout)
        return [sent.id for sent in (getattr(response, "sent_messages", None) or []) if getattr(sent, "id", None)]

    def show_loading(self, chat_id: str, seconds: int = 5, timeout: float | None = None) -> None:
        request = ShowLoadingAnimationRequest(chatId=chat_id, loadingSeconds=seconds)
        self._call(self._api.show_loading_animation, request, timeout=timeout)

    def group_member_name(self, group_id: str, user_id: str, timeout: float | None = None) -> str | None:
        """A staff member's display name, for "รับเรื่องโดย …". It runs inside a staff tap's
        transaction, so it gets a short timeout, and names are kept (staff don't change
        names often; a failed lookup is not kept and is tried again next time)."""
        key = (group_id, user_id)
        if key in self._names:
            return self._names[key]
        try:
            profile = self._call(
                self._api.get_group_member_profile, group_id, user_id, timeout=self.PROFILE_TIMEOUT_SECONDS if timeout is None else timeout
            )
        except LineError as exc:
            log.info("group member profile unavailable: %s", type(exc).__name__)
            return None
        if len(self._names) >= 1024:
            self._names.clear()
        self._names[key] = profile.display_name
        return profile.display_name

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


def _sent_ids(body: bytes) -> list[str]:
    """The ids of `sentMessages` in a reply's or push's answer (empty when it has none)."""
    try:
        sent = json.loads(body or b"{}").get("sentMessages") or []
        return [str(item["id"]) for item in sent if isinstance(item, dict) and item.get("id")]
    except (ValueError, AttributeError, TypeError):
        return []
