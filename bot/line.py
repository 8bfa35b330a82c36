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
    "api_client",
    "call",
    "error_for",
    "mapped_errors",
]


class SdkLineClient:
    """The real client, on the SDK for every call. Thread-safe: one `ApiClient` (one urllib3
    pool, one configuration) per process. (`bot.richmenu.RichMenuApi` makes the rich-menu calls
    the same way: `api_client`, `call`, `mapped_errors` below.)

    Replies and pushes, the hot path, go through that `ApiClient`'s public `call_api` with the
    message dicts as the JSON body: the same request `MessagingApi.reply_message` makes (path,
    headers, Bearer auth, pool, timeout, `ApiException` on a non-2xx answer), without building
    pydantic request models from messages our catalog already builds valid (tests check every
    request against messaging-api.yml) and converting them back to dicts, nor parsing the
    answer into response models (about 2.5 ms of CPU per reply). Rare calls use `MessagingApi`.

    Each call has one total deadline (`timeout`, or the client's default): connecting,
    sending and reading the answer all end by it, so a caller with a budget (the webhook's
    2 s) passes what is left of it. The SDK's HTTP layer does not retry (retries are the
    outbox's job, with back-off), so one call is one request."""

    PROFILE_TIMEOUT_SECONDS = 0.5

    def __init__(self, base_url: str, access_token: str, timeout: float = 5.0) -> None:
        self._api_client = api_client(base_url, access_token)
        self._api = MessagingApi(self._api_client)
        self.timeout = timeout
        self._names: dict[tuple[str, str], str | None] = {}

    def _call(self, fn: Callable[..., Any], *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        return call(fn, *args, timeout=self.timeout if timeout is None else timeout, **kwargs)

    def _send(self, path: str, body: dict[str, Any], headers: dict[str, str], timeout: float | None) -> list[str]:
        """POST a send request (`/v2/bot/message/reply` or `/push`) through the SDK's
        `ApiClient`, as `MessagingApi` does; the ids of `sentMessages` in LINE's answer."""
        answer = self._call(
            self._api_client.call_api,
            path,
            "POST",
            header_params={**_JSON_HEADERS, **headers},
            body=body,
            response_types_map=_SENT,
            auth_settings=["Bearer"],
            _return_http_data_only=True,
            timeout=timeout,
        )
        return _ids(answer)

    def reply(self, reply_token: str, messages: list[Message], timeout: float | None = None) -> list[str]:
        body = {"replyToken": reply_token, "messages": messages}
        return self._send("/v2/bot/message/reply", body, {}, timeout)

    def push(self, to: str, messages: list[Message], retry_key: str, timeout: float | None = None) -> list[str]:
        body = {"to": to, "messages": messages}
        return self._send("/v2/bot/message/push", body, {"X-Line-Retry-Key": retry_key}, timeout)

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


def api_client(host: str | None, access_token: str) -> ApiClient:
    """An SDK `ApiClient` configured as ours are: Bearer auth, no retries (one call is one
    request; the outbox retries, with back-off), up to 8 connections a host. With `host` None
    the client has no fixed host and each `call_api` names its own (`_host`)."""
    configuration = Configuration(host=host, access_token=access_token)
    configuration.retries = False
    configuration.connection_pool_maxsize = 8
    return ApiClient(configuration)


@contextmanager
def mapped_errors() -> Iterator[None]:
    """The SDK's and urllib3's exceptions as the tree of `handlers.ports`."""
    try:
        yield
    except ApiException as exc:
        if not exc.status:
            # No HTTP answer: the SDK reports a failed TLS handshake (or a request it could not
            # build) as an ApiException of status 0. Not LINE's refusal: tried again later.
            reason = str(exc.reason).split("\n", 1)[0]
            raise LineTimeout(f"LINE API unreachable: {reason}"[:200], maybe_delivered=False) from None
        raise error_for(exc.status, exc.body) from None
    except (urllib3.exceptions.ConnectTimeoutError, urllib3.exceptions.NewConnectionError) as exc:
        # The connection was never made: the request did not reach LINE.
        raise LineTimeout(f"LINE API unreachable: {type(exc).__name__}", maybe_delivered=False) from None
    except (urllib3.exceptions.TimeoutError, TimeoutError) as exc:
        raise LineTimeout(str(exc)[:200]) from None
    except urllib3.exceptions.HTTPError as exc:
        # Reset or closed mid-request, protocol errors: LINE may have taken the request.
        raise LineTimeout(f"LINE API connection failed: {type(exc).__name__}") from None


def call(fn: Callable[..., Any], *args: Any, timeout: float, **kwargs: Any) -> Any:
    """`fn` (an SDK call) with one total deadline of `timeout` seconds, errors mapped."""
    if timeout <= 0:
        raise LineTimeout("no time left for the call", maybe_delivered=False)
    with mapped_errors():
        return fn(*args, _request_timeout=timeout, **kwargs)


# What `MessagingApi` sends with a JSON body, and the type the SDK gives a 200's body when read
# as plain JSON ("object": the decoded value as it is).
_JSON_HEADERS = {"Accept": "application/json", "Content-Type": "application/json"}
_SENT = {"200": "object"}


def _ids(answer: object) -> list[str]:
    """The ids of `sentMessages` in a reply's or push's answer (empty when it has none)."""
    sent = answer.get("sentMessages") if isinstance(answer, dict) else None
    if not isinstance(sent, list):
        return []
    return [str(item["id"]) for item in sent if isinstance(item, dict) and item.get("id")]
