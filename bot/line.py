"""The way to LINE: `LineApi`, one line-bot-sdk v3 `ApiClient` per process, and the
`handlers.ports.LineClient` on it (`SdkLineClient`); `bot.richmenu` makes its calls on the same.

Every call has a total deadline. Failures are mapped to the exception tree declared (and
documented) in `handlers.ports`, re-exported here for the edge's own callers.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
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
    "LineApi",
    "SdkLineClient",
    "call",
    "error_for",
    "mapped_errors",
]


class LineApi:
    """The one way of a process to LINE: one SDK `ApiClient`, so one configuration (the
    channel's access token, no retries) and one urllib3 pool, for every call the process makes:
    replies and pushes (`SdkLineClient`), profiles, rich menus (`bot.richmenu.RichMenuApi`).
    `bot.create_app` builds one per process and hands it to both.

    Calls go to `base_url` (`LINE_API_BASE_URL`), except the rich-menu image, which goes to
    `data_base_url` (`LINE_DATA_API_BASE_URL`). The configuration has no fixed host because of
    that second host (the SDK would send every call to a fixed one): each call names its own
    (`call_api`'s `_host`; `MessagingApi`'s calls name its `line_base_path`, set to `base_url`).

    Each call has one total deadline (`timeout`, seconds): connecting, sending and reading the
    answer all end by it, so a caller with a budget (the webhook's 2 s) passes what is left of
    it. Errors are the `handlers.ports` tree (`mapped_errors`). One call is one request: the
    SDK's HTTP layer does not retry (retries are the outbox's job, with back-off). Thread-safe."""

    POOL_SIZE = 8  # connections kept per host

    def __init__(self, base_url: str, access_token: str, *, data_base_url: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.data_base_url = (data_base_url or base_url).rstrip("/")
        configuration = Configuration(host=None, access_token=access_token)
        configuration.retries = False
        configuration.connection_pool_maxsize = self.POOL_SIZE
        self.client = ApiClient(configuration)
        # Connections whose call can be ended at its deadline, whatever the server does (`call`).
        self.client.rest_client.pool_manager.pool_classes_by_scheme = {"http": _WatchedPool, "https": _WatchedTLSPool}
        # The SDK's typed calls (the rare ones: loading animation, profiles), on the same client.
        self.messaging = MessagingApi(self.client)
        self.messaging.line_base_path = self.base_url

    def request(
        self,
        method: str,
        path: str,
        *,
        timeout: float,
        body: Any = None,
        headers: dict[str, str] | None = None,
        content_type: str | None = None,
        data_host: bool = False,
    ) -> Any:
        """One request through the `ApiClient`'s public `call_api`, as the SDK's own calls make
        it (path, Bearer auth, pool, deadline, `ApiException` on a non-2xx answer) with `body`
        as it is: a JSON document (sent with `content_type` None) or bytes of `content_type`.
        LINE's answer decoded as plain JSON (the SDK's "object" type), not parsed into models."""
        header_params = {"Accept": "application/json", **(headers or {})}
        if body is not None:
            header_params["Content-Type"] = content_type or "application/json"
        return call(
            self.client.call_api,
            path,
            method,
            header_params=header_params,
            body=body,
            response_types_map=_ANSWER,
            auth_settings=["Bearer"],
            _return_http_data_only=True,
            _host=self.data_base_url if data_host else self.base_url,
            timeout=timeout,
        )

    def close(self) -> None:
        """The pool's connections closed (the process is done with LINE)."""
        self.client.close()
        self.client.rest_client.pool_manager.clear()


class SdkLineClient:
    """The real `handlers.ports.LineClient`, on a process's `LineApi` (given as `api`, or made
    from `base_url` and `access_token` for a client of its own, as tests do).

    Replies and pushes, the hot path, go through `LineApi.request` with the message dicts as
    the JSON body: the same request `MessagingApi.reply_message` makes, without building
    pydantic request models from messages our catalog already builds valid (tests check every
    request against messaging-api.yml) and converting them back to dicts, nor parsing the
    answer into response models (about 2.5 ms of CPU per reply). Rare calls use the SDK's
    `MessagingApi` on the same `ApiClient`. Every call has one total deadline (`timeout`, or
    the client's default)."""

    PROFILE_TIMEOUT_SECONDS = 0.5

    def __init__(
        self, base_url: str = "", access_token: str = "", timeout: float = 5.0, *, api: LineApi | None = None
    ) -> None:
        self._owned = api is None
        self.api = api if api is not None else LineApi(base_url, access_token)
        self._api = self.api.messaging
        self.timeout = timeout
        self._names: dict[tuple[str, str], str | None] = {}

    def _call(self, fn: Callable[..., Any], *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        return call(fn, *args, timeout=self.timeout if timeout is None else timeout, **kwargs)

    def _send(self, path: str, body: dict[str, Any], headers: dict[str, str], timeout: float | None) -> list[str]:
        """POST a send request (`/v2/bot/message/reply` or `/push`); the ids of `sentMessages`
        in LINE's answer."""
        answer = self.api.request(
            "POST", path, body=body, headers=headers, timeout=self.timeout if timeout is None else timeout
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
        """Closes the connections only of a client that made its own `LineApi` (a shared one is
        the process's, closed by its owner)."""
        if self._owned:
            self.api.close()


@contextlib.contextmanager
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
    """`fn` (an SDK call) with one total deadline of `timeout` seconds, errors mapped.

    urllib3's own timeout bounds each wait on the socket, not the call: an answer that comes a
    few bytes at a time would keep the call past it. So a timer shuts the call's connection at
    the deadline (`_Watch`, on connections of `LineApi`'s pools), which ends the call at once
    with a `LineTimeout` (the request may have reached LINE)."""
    if timeout <= 0:
        raise LineTimeout("no time left for the call", maybe_delivered=False)
    watch, outer = _Watch(), getattr(_calls, "watch", None)
    _calls.watch = watch
    _watchdog.add(time.monotonic() + timeout, watch)
    try:
        with mapped_errors():
            return fn(*args, _request_timeout=timeout, **kwargs)
    except LineError:
        if watch.expired:
            raise LineTimeout(f"LINE API: no complete answer within {timeout:.2f} s") from None
        raise
    finally:
        watch.finish()
        _calls.watch = outer


# -- the deadline of a call ----------------------------------------------------------------------------

_calls = threading.local()  # the `_Watch` of the call this thread is making
_watch_lock = threading.Lock()


class _Watchdog:
    """One daemon thread per process that expires the calls whose deadline has passed (a timer
    thread per call cost about 0.1 ms of CPU per reply). Calls that ended are skipped."""

    def __init__(self) -> None:
        self._due: list[tuple[float, int, _Watch]] = []
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._order = itertools.count()

    def add(self, deadline: float, watch: _Watch) -> None:
        with self._wake:
            if self._thread is None or not self._thread.is_alive():  # first use, or after a fork
                self._thread = threading.Thread(target=self._run, name="line-call-deadlines", daemon=True)
                self._thread.start()
            heapq.heappush(self._due, (deadline, next(self._order), watch))
            if self._due[0][2] is watch:
                self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._due or self._due[0][0] > time.monotonic():
                    self._wake.wait(self._due[0][0] - time.monotonic() if self._due else None)
                now, due = time.monotonic(), []
                while self._due and self._due[0][0] <= now:
                    due.append(heapq.heappop(self._due)[2])
            for watch in due:
                watch.expire()  # nothing to do for a call that has ended


_watchdog = _Watchdog()


class _Watch:
    """The deadline of one call in progress. The connection the call sends its request on
    registers here (`_WatchedConnection.request`); at the deadline that connection's socket is
    shut, unless the call has ended or another call has taken the connection since."""

    def __init__(self) -> None:
        self.connection: _WatchedConnection | None = None
        self.done = False
        self.expired = False

    def expire(self) -> None:
        with _watch_lock:
            connection = self.connection
            if self.done or connection is None or connection.watch is not self:
                return
            sock = connection.sock
            self.expired = True
            if sock is not None:
                # The socket's own shutdown (not SSLSocket's, which also drops its TLS state):
                # a read or write blocked on it in the calling thread ends at once.
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def finish(self) -> None:
        with _watch_lock:
            self.done = True


class _WatchedConnection(urllib3.connection.HTTPConnection):
    watch: _Watch | None = None

    def request(self, *args: Any, **kwargs: Any) -> None:
        watch = getattr(_calls, "watch", None)
        with _watch_lock:
            self.watch = watch
            if watch is not None:
                watch.connection = self
        super().request(*args, **kwargs)


class _WatchedTLSConnection(_WatchedConnection, urllib3.connection.HTTPSConnection):
    pass


class _WatchedPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _WatchedConnection


class _WatchedTLSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _WatchedTLSConnection


# The type the SDK gives a 200's body when read as plain JSON ("object": the decoded value as it is).
_ANSWER = {"200": "object"}


def _ids(answer: object) -> list[str]:
    """The ids of `sentMessages` in a reply's or push's answer (empty when it has none)."""
    sent = answer.get("sentMessages") if isinstance(answer, dict) else None
    if not isinstance(sent, list):
        return []
    return [str(item["id"]) for item in sent if isinstance(item, dict) and item.get("id")]
