"""A fake LINE Messaging API platform: a real HTTP server (WSGI) that records what the bot
sends, enforces single-use reply tokens and retry keys, answers with schema-valid JSON, and
can be scripted to fail (errors, 429s, delays, expired tokens).

Tests run it on a loopback port (`FakeLineServer`); local mode mounts the same WSGI app
inside the bot's own process at `/_line`, so no LINE account is needed. A small read API
under `/_fake/` serves the simulator page.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

Validator = Callable[[str, str, dict[str, str], bytes], list[str]]
UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
RETRY_KEY_TTL = 24 * 3600


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    status: int
    at: float


@dataclass
class Sent:
    seq: int
    kind: str  # reply | push
    to: str
    messages: list[dict[str, Any]]
    retry_key: str | None
    at: float
    request_id: str
    # What LINE answered in `sentMessages`: one {"id", "quoteToken"} per message, in order.
    # A group message quoting one of them carries its id as `quotedMessageId`.
    sent_ids: list[dict[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "kind": self.kind,
            "to": self.to,
            "messages": self.messages,
            "at": self.at,
            "ids": [s["id"] for s in self.sent_ids],
        }


@dataclass
class _Failure:
    remaining: int
    status: int
    body: dict[str, Any]
    path_prefix: str
    headers: dict[str, str] = field(default_factory=dict)


class FakeLine:
    """State and WSGI app of a fake LINE platform. Thread-safe (one lock)."""

    def __init__(
        self,
        *,
        access_token: str | None = None,
        validator: Validator | None = None,
        accept_any_reply_token: bool = False,
        reply_token_ttl: float = 60.0,
    ) -> None:
        self.access_token = access_token
        self.validator = validator
        self.accept_any_reply_token = accept_any_reply_token
        self.reply_token_ttl = reply_token_ttl
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self.clear()

    # -- state -----------------------------------------------------------------------------
    def clear(self) -> None:
        with self._lock:
            # Requests still in flight from before (a scripted delay outlasting its test) must
            # not land in the new, empty record: each one remembers the generation it began in.
            self._generation = getattr(self, "_generation", 0) + 1
            self._requests: list[Recorded] = []
            self._sent: list[Sent] = []
            self._loading: list[dict[str, Any]] = []
            self._violations: list[str] = []
            self._tokens: dict[str, tuple[str, float]] = {}  # token → (chat, expires)
            self._used_tokens: set[str] = set()
            self._retry_keys: dict[str, tuple[float, str, list[dict[str, str]]]] = {}  # key → (time, request id, ids)
            self._failures: list[_Failure] = []
            self._delays: list[tuple[str, float]] = []
            self._profiles: dict[str, str] = {}
            self._seq = 0
            # Rich menus: id → {"menu": the object as created, "image": (content type, bytes) | None}.
            self._richmenus: dict[str, dict[str, Any]] = {}
            self._default_richmenu: str | None = None
            self._user_richmenus: dict[str, str] = {}

    def requests(self) -> list[Recorded]:
        with self._lock:
            return list(self._requests)

    def sent(self, to: str | None = None) -> list[Sent]:
        with self._lock:
            return [s for s in self._sent if to is None or s.to == to]

    def sent_message(self, message_id: str) -> tuple[Sent, int] | None:
        """The send that carried the message LINE numbered `message_id`, and its index in it."""
        with self._lock:
            for sent in self._sent:
                for index, ids in enumerate(sent.sent_ids):
                    if ids["id"] == message_id:
                        return sent, index
        return None

    def sent_after(self, seq: int, chat: str | None = None) -> list[Sent]:
        with self._lock:
            return [s for s in self._sent if s.seq > seq and (chat is None or s.to == chat)]

    def loading_calls(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._loading)

    def violations(self) -> list[str]:
        with self._lock:
            return list(self._violations)

    def issue_reply_token(self, chat_id: str) -> str:
        token = secrets.token_hex(16)
        with self._lock:
            self._tokens[token] = (chat_id, time.time() + self.reply_token_ttl)
        return token

    def fail_next(
        self,
        n: int,
        status: int = 500,
        *,
        body: dict[str, Any] | None = None,
        path_prefix: str = "/v2/bot/message",
        headers: dict[str, str] | None = None,
    ) -> None:
        default = {"message": "Internal server error"} if status >= 500 else {"message": "Error"}
        with self._lock:
            self._failures.append(_Failure(n, status, body or default, path_prefix, dict(headers or {})))

    def clear_failures(self) -> None:
        """LINE answers normally again (scripted failures still pending are dropped)."""
        with self._lock:
            self._failures = []

    def set_delay(self, seconds: float, path_prefix: str = "/v2/bot") -> None:
        with self._lock:
            self._delays = [(p, s) for p, s in self._delays if p != path_prefix]
            if seconds > 0:
                self._delays.append((path_prefix, seconds))

    def set_profile(self, user_id: str, display_name: str) -> None:
        with self._lock:
            self._profiles[user_id] = display_name

    def rich_menus(self) -> dict[str, dict[str, Any]]:
        """Rich menus as LINE holds them: id → {"menu", "image"} (image: (content type, bytes) or None)."""
        with self._lock:
            return {k: dict(v) for k, v in self._richmenus.items()}

    def default_rich_menu(self) -> str | None:
        with self._lock:
            return self._default_richmenu

    def rich_menu_of(self, user_id: str) -> str | None:
        """The rich menu a user sees: the one linked to them, else the default."""
        with self._lock:
            return self._user_richmenus.get(user_id) or self._default_richmenu

    def linked_rich_menu(self, user_id: str) -> str | None:
        with self._lock:
            return self._user_richmenus.get(user_id)

    def wait_for(self, predicate: Callable[[FakeLine], bool], timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            if predicate(self):
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            with self._changed:
                self._changed.wait(min(remaining, 0.05))

    # -- HTTP ------------------------------------------------------------------------------
    def wsgi_app(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        response = self._dispatch(request)
        return response(environ, start_response)

    __call__ = wsgi_app

    def _json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
        response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")
        response.headers["x-line-request-id"] = str(uuid.uuid4())
        for key, value in (headers or {}).items():
            response.headers[key] = value
        return response

    def _dispatch(self, request: Request) -> Response:
        path = request.path
        if path.startswith("/_fake/"):
            return self._fake_api(request)
        with self._lock:
            request.environ["fakeline.generation"] = self._generation
        raw = request.get_data(cache=True)
        headers = dict(request.headers.items())
        try:
            # Images (rich-menu content) are bytes; everything else the bot sends is JSON.
            body = json.loads(raw) if raw and not request.mimetype.startswith("image/") else None
        except ValueError:
            body = None
            if raw:
                return self._record(
                    request,
                    raw,
                    None,
                    self._json(
                        400, {"message": "The request body has 1 error(s)", "details": [{"message": "malformed JSON"}]}
                    ),
                )
        if self.validator is not None:
            problems = self.validator(request.method, path, headers, raw)
            if problems:
                with self._lock:
                    self._violations.extend(f"{request.method} {path}: {p}" for p in problems)
        for _prefix, seconds in self._delays_for(path):
            time.sleep(seconds)
        if self._stale(request):
            return self._json(503, {"message": "The fake was cleared while this request waited"})
        if self.access_token is not None and headers.get("Authorization") != f"Bearer {self.access_token}":
            return self._record(
                request,
                raw,
                body,
                self._json(
                    401,
                    {
                        "message": "Authentication failed. Confirm that the access token in the authorization "
                        "header is valid."
                    },
                ),
            )
        failure = self._take_failure(path)
        if failure is not None:
            return self._record(request, raw, body, self._json(failure.status, failure.body, failure.headers))
        route = {
            ("POST", "/v2/bot/message/reply"): self._reply,
            ("POST", "/v2/bot/message/push"): self._push,
            ("POST", "/v2/bot/chat/loading/start"): self._loading_start,
        }.get((request.method, path))
        if route is not None:
            return self._record(request, raw, body, route(request, body))
        if path.startswith(("/v2/bot/richmenu", "/v2/bot/user/")) and "richmenu" in path:
            return self._record(request, raw, body, self._richmenu_route(request, path, raw, body))
        match = re.fullmatch(r"/v2/bot/group/([^/]+)/member/([^/]+)", path) or re.fullmatch(
            r"/v2/bot/profile/()([^/]+)", path
        )
        if match and request.method == "GET":
            return self._record(request, raw, body, self._profile(match.group(2)))
        return self._record(request, raw, body, self._json(404, {"message": "Not found"}))

    def _delays_for(self, path: str) -> list[tuple[str, float]]:
        with self._lock:
            return [(p, s) for p, s in self._delays if path.startswith(p)]

    def _take_failure(self, path: str) -> _Failure | None:
        with self._lock:
            for failure in self._failures:
                if failure.remaining > 0 and path.startswith(failure.path_prefix):
                    failure.remaining -= 1
                    return failure
            self._failures = [f for f in self._failures if f.remaining > 0]
        return None

    def _stale(self, request: Request) -> bool:
        with self._lock:
            return request.environ.get("fakeline.generation") != self._generation

    def _record(self, request: Request, raw: bytes, body: Any, response: Response) -> Response:
        if self._stale(request):
            return response
        with self._changed:
            self._requests.append(
                Recorded(
                    request.method, request.path, dict(request.headers.items()), body, response.status_code, time.time()
                )
            )
            self._changed.notify_all()
        return response

    @staticmethod
    def _messages_problem(body: Any) -> str | None:
        if not isinstance(body, dict):
            return "The request body has 1 error(s)"
        messages = body.get("messages")
        if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
            return "Size must be between 1 and 5"
        if not all(isinstance(m, dict) and isinstance(m.get("type"), str) for m in messages):
            return "The request body has 1 error(s)"
        return None

    @staticmethod
    def _sent_messages(count: int) -> list[dict[str, str]]:
        # Message ids as LINE gives them: decimal strings, unique (18 digits, never a leading 0).
        return [
            {"id": str(10**17 + secrets.randbelow(9 * 10**17)), "quoteToken": secrets.token_urlsafe(16)}
            for _ in range(count)
        ]

    def _reply(self, request: Request, body: Any) -> Response:
        problem = self._messages_problem(body)
        if problem:
            return self._json(400, {"message": problem})
        token = body.get("replyToken")
        with self._changed:
            entry = self._tokens.pop(token, None) if isinstance(token, str) else None
            if (
                entry is None
                and self.accept_any_reply_token
                and isinstance(token, str)
                and token not in self._used_tokens
            ):
                entry = ("", time.time() + 60)
            if entry is None or entry[1] < time.time():
                return self._json(400, {"message": "Invalid reply token"})
            self._used_tokens.add(token)
            if len(self._used_tokens) > 100_000:
                self._used_tokens.clear()
            self._seq += 1
            request_id = str(uuid.uuid4())
            ids = self._sent_messages(len(body["messages"]))
            self._sent.append(Sent(self._seq, "reply", entry[0], body["messages"], None, time.time(), request_id, ids))
            self._changed.notify_all()
        return self._json(200, {"sentMessages": ids})

    def _push(self, request: Request, body: Any) -> Response:
        problem = self._messages_problem(body)
        if problem or not isinstance(body.get("to"), str):
            return self._json(400, {"message": problem or "The property, 'to', in the request body is invalid"})
        key = request.headers.get("X-Line-Retry-Key")
        if key is not None and not UUID_RE.match(key):
            return self._json(400, {"message": "The value of the X-Line-Retry-Key header is invalid"})
        with self._changed:
            now = time.time()
            if key is not None:
                seen = self._retry_keys.get(key)
                if seen and now - seen[0] < RETRY_KEY_TTL:
                    # LINE answers a repeated retry key with the ids of the messages it accepted first.
                    return self._json(
                        409,
                        {"message": "The retry key is already accepted", "sentMessages": seen[2]},
                        {"x-line-accepted-request-id": seen[1]},
                    )
            request_id = str(uuid.uuid4())
            ids = self._sent_messages(len(body["messages"]))
            if key is not None:
                self._retry_keys[key] = (now, request_id, ids)
            self._seq += 1
            self._sent.append(Sent(self._seq, "push", body["to"], body["messages"], key, now, request_id, ids))
            self._changed.notify_all()
        return self._json(200, {"sentMessages": ids})

    def _loading_start(self, request: Request, body: Any) -> Response:
        if not isinstance(body, dict) or not isinstance(body.get("chatId"), str):
            return self._json(400, {"message": "The request body has 1 error(s)"})
        seconds = body.get("loadingSeconds", 5)
        if not isinstance(seconds, int) or not 5 <= seconds <= 60 or seconds % 5:
            return self._json(400, {"message": "loadingSeconds must be a multiple of 5 from 5 to 60"})
        with self._lock:
            self._loading.append({"chatId": body["chatId"], "loadingSeconds": seconds, "at": time.time()})
        return self._json(202, {})

    def _profile(self, user_id: str) -> Response:
        with self._lock:
            name = self._profiles.get(user_id)
        if name is None:
            return self._json(404, {"message": "Not found"})
        return self._json(200, {"displayName": name, "userId": user_id, "pictureUrl": "https://example.com/p.png"})

    # -- rich menus ------------------------------------------------------------------------
    @staticmethod
    def _richmenu_problem(menu: Any) -> str | None:
        """What LINE's rich-menu validation refuses (beyond the schema the validator checks)."""
        if not isinstance(menu, dict):
            return "The request body has 1 error(s)"
        size = menu.get("size") or {}
        width, height = size.get("width"), size.get("height")
        if width not in (2500, 1200, 800) or not isinstance(height, int) or not 250 <= height <= 1686:
            return "size must be 2500, 1200 or 800 wide and 250 to 1686 high"
        if width / height < 1.45:
            return "size: width/height must be at least 1.45"
        for key in ("selected", "name", "chatBarText", "areas"):
            if key not in menu:
                return f"must be specified: {key}"
        if not isinstance(menu["chatBarText"], str) or not 1 <= len(menu["chatBarText"]) <= 14:
            return "chatBarText must be 1 to 14 characters"
        areas = menu["areas"]
        if not isinstance(areas, list) or not 1 <= len(areas) <= 20:
            return "areas: size must be between 1 and 20"
        for area in areas:
            bounds = area.get("bounds") if isinstance(area, dict) else None
            if not isinstance(bounds, dict) or not isinstance(area.get("action"), dict):
                return "areas: bounds and action are required"
            x, y, w, h = (bounds.get(k) for k in ("x", "y", "width", "height"))
            if not (isinstance(x, int) and isinstance(y, int) and isinstance(w, int) and isinstance(h, int)):
                return "areas: bounds must be integers"
            if x + w > width or y + h > height:
                return "areas: bounds must lie inside the rich menu"
        return None

    @staticmethod
    def _image_size(content_type: str, data: bytes) -> tuple[int, int] | None:
        if content_type == "image/png" and data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
            return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        if content_type == "image/jpeg" and data[:2] == b"\xff\xd8":
            i = 2
            while i + 9 < len(data):
                if data[i] != 0xFF:
                    return None
                marker, length = data[i + 1], int.from_bytes(data[i + 2 : i + 4], "big")
                if marker in (0xC0, 0xC1, 0xC2):
                    return int.from_bytes(data[i + 7 : i + 9], "big"), int.from_bytes(data[i + 5 : i + 7], "big")
                i += 2 + length
        return None

    def _richmenu_route(self, request: Request, path: str, raw: bytes, body: Any) -> Response:
        method = request.method
        not_found = self._json(404, {"message": "Not found"})
        if path == "/v2/bot/richmenu/validate" and method == "POST":
            problem = self._richmenu_problem(body)
            return self._json(400, {"message": problem}) if problem else self._json(200, {})
        if path == "/v2/bot/richmenu" and method == "POST":
            problem = self._richmenu_problem(body)
            if problem:
                return self._json(400, {"message": problem})
            rich_menu_id = "richmenu-" + secrets.token_hex(16)
            with self._changed:
                self._richmenus[rich_menu_id] = {"menu": body, "image": None}
                self._changed.notify_all()
            return self._json(200, {"richMenuId": rich_menu_id})
        if path == "/v2/bot/richmenu/list" and method == "GET":
            with self._lock:
                items = [{"richMenuId": k, **v["menu"]} for k, v in self._richmenus.items()]
            return self._json(200, {"richmenus": items})
        if path == "/v2/bot/richmenu/bulk/link" and method == "POST":
            users = body.get("userIds") if isinstance(body, dict) else None
            wanted = body.get("richMenuId") if isinstance(body, dict) else None
            if not isinstance(users, list) or not 1 <= len(users) <= 500:
                return self._json(400, {"message": "userIds: size must be between 1 and 500"})
            with self._changed:
                entry = self._richmenus.get(wanted) if isinstance(wanted, str) else None
                if entry is None or entry["image"] is None or not isinstance(wanted, str):
                    return self._json(400, {"message": "must upload richmenu image before applying it to user"})
                for user in users:
                    self._user_richmenus[str(user)] = wanted
                self._changed.notify_all()
            return self._json(202, {})
        if path == "/v2/bot/user/all/richmenu":
            with self._changed:
                if method == "GET":
                    default = self._default_richmenu
                    return self._json(200, {"richMenuId": default}) if default else not_found
                if method == "DELETE":
                    self._default_richmenu = None
                    self._changed.notify_all()
                    return self._json(200, {})
        match = re.fullmatch(r"/v2/bot/richmenu/([^/]+)/content", path)
        if match:
            return self._richmenu_content(request, match.group(1), raw)
        match = re.fullmatch(r"/v2/bot/richmenu/([^/]+)", path)
        if match and method in ("GET", "DELETE"):
            rich_menu_id = match.group(1)
            with self._changed:
                entry = self._richmenus.get(rich_menu_id)
                if entry is None:
                    return not_found
                if method == "GET":
                    return self._json(200, {"richMenuId": rich_menu_id, **entry["menu"]})
                del self._richmenus[rich_menu_id]
                if self._default_richmenu == rich_menu_id:
                    self._default_richmenu = None
                self._user_richmenus = {u: m for u, m in self._user_richmenus.items() if m != rich_menu_id}
                self._changed.notify_all()
            return self._json(200, {})
        match = re.fullmatch(r"/v2/bot/user/([^/]+)/richmenu(?:/([^/]+))?", path)
        if match:
            user, rich_menu_id = match.group(1), match.group(2)
            with self._changed:
                if rich_menu_id is None:
                    if method == "GET":
                        linked = self._user_richmenus.get(user)
                        return self._json(200, {"richMenuId": linked}) if linked else not_found
                    if method == "DELETE":
                        self._user_richmenus.pop(user, None)
                        self._changed.notify_all()
                        return self._json(200, {})
                    return not_found
                if method != "POST":
                    return not_found
                entry = self._richmenus.get(rich_menu_id)
                if entry is None:
                    return self._json(404, {"message": "richmenu not found"})
                if entry["image"] is None:
                    return self._json(400, {"message": "must upload richmenu image before applying it to user"})
                if user == "all":
                    self._default_richmenu = rich_menu_id
                else:
                    self._user_richmenus[user] = rich_menu_id
                self._changed.notify_all()
            return self._json(200, {})
        return not_found

    def _richmenu_content(self, request: Request, rich_menu_id: str, raw: bytes) -> Response:
        with self._changed:
            entry = self._richmenus.get(rich_menu_id)
            if entry is None:
                return self._json(404, {"message": "Not found"})
            if request.method == "GET":
                if entry["image"] is None:
                    return self._json(404, {"message": "Not found"})
                content_type, data = entry["image"]
                return Response(data, status=200, mimetype=content_type)
            if request.method != "POST":
                return self._json(404, {"message": "Not found"})
            content_type = (request.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if content_type not in ("image/png", "image/jpeg"):
                return self._json(415, {"message": "Content-Type must be image/jpeg or image/png"})
            if len(raw) > 1024 * 1024:
                return self._json(413, {"message": "The image is larger than 1 MB"})
            size = entry["menu"].get("size") or {}
            if self._image_size(content_type, raw) != (size.get("width"), size.get("height")):
                return self._json(400, {"message": "The image size does not match the rich menu size"})
            if entry["image"] is not None:
                return self._json(400, {"message": "An image has already been uploaded to the richmenu"})
            entry["image"] = (content_type, raw)
            self._changed.notify_all()
        return self._json(200, {})

    # -- read API for the simulator ----------------------------------------------------------
    def _fake_api(self, request: Request) -> Response:
        if request.path == "/_fake/health":
            return self._json(200, {"status": "ok"})
        if request.path == "/_fake/messages" and request.method == "GET":
            chat = request.args.get("chat") or None
            try:
                after = int(request.args.get("after", "0"))
            except ValueError:
                after = 0
            items = self.sent_after(after, chat)
            with self._lock:
                last = self._seq
            return self._json(200, {"messages": [s.as_json() for s in items], "last": last})
        if request.path == "/_fake/richmenu" and request.method == "GET":
            user = request.args.get("user") or ""
            rich_menu_id = self.rich_menu_of(user)
            with self._lock:
                entry = self._richmenus.get(rich_menu_id or "")
            if entry is None:
                return self._json(200, {"richMenuId": None})
            return self._json(200, {"richMenuId": rich_menu_id, **entry["menu"]})
        if request.path == "/_fake/reply-token" and request.method == "POST":
            data = request.get_json(silent=True) or {}
            chat = data.get("chat")
            if not isinstance(chat, str) or not chat:
                return self._json(400, {"message": "chat is required"})
            return self._json(200, {"replyToken": self.issue_reply_token(chat)})
        return self._json(404, {"message": "Not found"})


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:  # the fake records requests itself
        pass


class FakeLineServer:
    """Runs a `FakeLine` on 127.0.0.1 on a free port in a daemon thread."""

    def __init__(self, fake: FakeLine, host: str = "127.0.0.1", port: int = 0) -> None:
        self.fake = fake
        self._server = make_server(host, port, fake.wsgi_app, threaded=True, request_handler=_QuietHandler)
        self.base_url = f"http://{host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-line", daemon=True)

    def start(self) -> FakeLineServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:  # pragma: no cover - a convenience for the benchmark and manual runs
    import argparse

    parser = argparse.ArgumentParser(description="Run the fake LINE API on loopback.")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=None)
    args = parser.parse_args()
    fake = FakeLine(access_token=args.token, accept_any_reply_token=True)
    server = make_server("127.0.0.1", args.port, fake.wsgi_app, threaded=True)
    print(f"fake LINE API on http://127.0.0.1:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":  # pragma: no cover
    main()
